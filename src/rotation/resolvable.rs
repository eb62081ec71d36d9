//! Resolvable designs from finite fields: every round seats everyone, and no two people ever
//! share a room twice.
//!
//! - Lines of the affine geometry AG(n, q), `q` any prime power: `q^n` people in rooms of `q`,
//!   `(q^n - 1)/(q - 1)` rounds (n = 2: the affine plane, `q + 1` rounds).
//! - Kirkman triple systems KTS(v), rooms of three, `(v - 1)/2` rounds:
//!   KTS(2q + 1) and KTS(3q) for prime powers `q ≡ 1 (mod 6)` (Ray-Chaudhuri & Wilson 1971, as
//!   given by Stinson 1991, constructions 1.1 and 1.2), AG(n, 3) for `v = 3^n`, and KTS(2n + 1)
//!   from a (n, 4, 1) design by doubling its points and filling each doubled block with a
//!   KTS(9) (Beth, Jungnickel & Lenz, Lemma IX.6.4), which gives KTS(33) among others, and
//!   KTS(45) the same way from a design on 22 points with blocks of 4 and 7.
//! - Resolvable (3q + 1, 4, 1) designs, rooms of four, for prime powers `q ≡ 1 (mod 4)`
//!   (Beth, Jungnickel & Lenz VII.7.5): 28 people in 7 rooms for 9 rounds, 40 in 10 for 13, …
//!
//! Round order matters when leads must sit apart: where a design has rounds in which one set
//! of `rooms` people never meet, those rounds come first (see each construction).

use crate::rotation::field::Field;
use crate::rotation::problem::Round;

/// A plan for `people` (numbered `0..people`) in `rooms` equal rooms in which no two people
/// ever share a room twice, with as many rounds as the construction gives, if one of the
/// finite-field constructions reaches that shape: affine geometries over GF(q), Kirkman triple
/// systems, resolvable designs with rooms of four, or twice the people of one of these (each
/// point doubled, as 32 in 8 rooms of 4 over 10 rounds). `solve` starts from these by itself.
pub fn zero_repeat_design(people: usize, rooms: usize) -> Option<Vec<Round>> {
    resolvable(people, rooms).or_else(|| crate::rotation::doubled::doubled(people, rooms))
}

/// See `zero_repeat_design`.
pub(crate) fn resolvable(people: usize, rooms: usize) -> Option<Vec<Round>> {
    if rooms == 0 || !people.is_multiple_of(rooms) || people / rooms < 2 {
        return None;
    }
    let size = people / rooms;
    if size == 3 && people % 6 == 3 {
        if let Some(design) = kirkman(people) {
            return Some(design);
        }
    }
    if let Some(design) = affine_power(people, size) {
        return Some(design);
    }
    if size == 4 {
        return rooms_of_four(people);
    }
    None
}

/// AG(n, size) when `people = size^n`, `size` a prime power, n >= 2.
fn affine_power(people: usize, size: usize) -> Option<Vec<Round>> {
    let mut n = 0;
    let mut power = 1usize;
    while power < people {
        power = power.checked_mul(size)?;
        n += 1;
    }
    (power == people && n >= 2).then(|| affine_lines(size, n)).flatten()
}

/// The parallel classes of lines of AG(n, q). A point is a vector of GF(q)^n, numbered by its
/// base-`q` digits (coordinate 0 lowest). Directions with a nonzero first coordinate come first:
/// in those `q^(n-1)` rounds the points with first coordinate 0 never meet, one in each room, so
/// they can seat room leads.
pub(crate) fn affine_lines(q: usize, n: usize) -> Option<Vec<Round>> {
    let field = Field::new(q)?;
    let points = q.checked_pow(n as u32)?;
    let coords = |x: usize| -> Vec<usize> { (0..n).map(|i| (x / q.pow(i as u32)) % q).collect() };
    let number = |v: &[usize]| -> usize { v.iter().rev().fold(0, |acc, &c| acc * q + c) };
    // Directions: nonzero vectors whose first nonzero coordinate is 1.
    let mut first = Vec::new();
    let mut rest = Vec::new();
    for d in 1..points {
        let v = coords(d);
        match v.iter().position(|&c| c != 0) {
            Some(0) if v[0] == 1 => first.push(v),
            Some(i) if i > 0 && v[i] == 1 => rest.push(v),
            _ => {}
        }
    }
    let rounds = first
        .into_iter()
        .chain(rest)
        .map(|d| {
            let mut placed = vec![false; points];
            let mut rooms = Vec::with_capacity(points / q);
            for x in 0..points {
                if placed[x] {
                    continue;
                }
                let base = coords(x);
                let room: Vec<usize> = (0..q)
                    .map(|lambda| {
                        let v: Vec<usize> =
                            base.iter().zip(&d).map(|(&b, &c)| field.add(b, field.mul(lambda, c))).collect();
                        number(&v)
                    })
                    .collect();
                for &y in &room {
                    placed[y] = true;
                }
                rooms.push(room);
            }
            rooms
        })
        .collect();
    Some(rounds)
}

/// A Kirkman triple system on `v` points, if one of the constructions here reaches `v`.
pub(crate) fn kirkman(v: usize) -> Option<Vec<Round>> {
    if v % 6 != 3 {
        return None;
    }
    if v == 3 {
        return Some(vec![vec![vec![0, 1, 2]]]);
    }
    if let Some(design) = affine_power(v, 3) {
        return Some(design);
    }
    let q = (v - 1) / 2;
    if q % 6 == 1 {
        if let Some(field) = Field::new(q) {
            return Some(kirkman_2q_plus_1(&field));
        }
    }
    let q = v / 3;
    if q % 6 == 1 {
        if let Some(field) = Field::new(q) {
            return Some(kirkman_3q(&field));
        }
    }
    let n = (v - 1) / 2;
    let blocks = if n == 22 { blocks_of_four_and_seven_22()? } else { blocks_of_four(n)? };
    doubled(&blocks, n)
}

/// KTS(2q + 1), q = 6t + 1: points (x, 1) = x, (x, 2) = q + x, and ∞ = 2q; one base round
/// developed by adding each element of GF(q).
fn kirkman_2q_plus_1(field: &Field) -> Vec<Round> {
    let q = field.order();
    let t = (q - 1) / 6;
    let a = |i: usize| field.power(i);
    // ω^m = (ω^t + 1) / 2; ω^t + 1 is not 0 since ω^t has order 6, and q is odd.
    let half = field.div(field.add(a(t), 1), field.integer(2)).unwrap_or(1);
    let m = field.log(half).unwrap_or(0);
    let mut base: Vec<[(usize, usize); 3]> = Vec::with_capacity((2 * q + 1) / 3);
    for i in (0..t).chain(2 * t..3 * t).chain(4 * t..5 * t) {
        base.push([(a(i), 1), (a(t + i), 1), (a(m + i), 2)]);
    }
    for i in 0..t {
        base.push([(a(m + t + i), 2), (a(m + 3 * t + i), 2), (a(m + 5 * t + i), 2)]);
    }
    let point = |(x, level): (usize, usize), shift: usize| (level - 1) * q + field.add(x, shift);
    (0..q)
        .map(|shift| {
            let mut round: Round = vec![vec![point((0, 1), shift), point((0, 2), shift), 2 * q]];
            round.extend(base.iter().map(|triple| triple.iter().map(|&x| point(x, shift)).collect()));
            round
        })
        .collect()
}

/// KTS(3q), q = 6t + 1: points (x, j) = j·q + x for j in 0..3. The 3t rounds developed from
/// one transversal triple each come first: in them the points of one level never meet.
fn kirkman_3q(field: &Field) -> Vec<Round> {
    let q = field.order();
    let t = (q - 1) / 6;
    let a = |i: usize| field.power(i);
    let across = |i: usize| [(a(i), 0), (a(i + 2 * t), 1), (a(i + 4 * t), 2)];
    let point = |(x, level): (usize, usize), shift: usize| level * q + field.add(x, shift);
    let develop = |triple: &[(usize, usize); 3], shift: usize| -> Vec<usize> {
        triple.iter().map(|&x| point(x, shift)).collect()
    };
    let mut rounds: Vec<Round> = Vec::with_capacity((3 * q - 1) / 2);
    for i in (0..t).chain(2 * t..3 * t).chain(4 * t..5 * t) {
        rounds.push((0..q).map(|shift| develop(&across(i), shift)).collect());
    }
    let mut base: Vec<[(usize, usize); 3]> = vec![[(0, 0), (0, 1), (0, 2)]];
    for level in 0..3 {
        for i in 0..t {
            base.push([(a(i), level), (a(i + 2 * t), level), (a(i + 4 * t), level)]);
        }
    }
    for i in (t..2 * t).chain(3 * t..4 * t).chain(5 * t..6 * t) {
        base.push(across(i));
    }
    for shift in 0..q {
        rounds.push(base.iter().map(|triple| develop(triple, shift)).collect());
    }
    rounds
}

/// Resolvable (3q + 1, 4, 1) design, q ≡ 1 (mod 4): points (x, j) = j·q + x for j in 0..3 and
/// ∞ = 3q; one base round developed by adding each element of GF(q).
pub(crate) fn rooms_of_four(v: usize) -> Option<Vec<Round>> {
    if v < 4 || v % 3 != 1 {
        return None;
    }
    let q = (v - 1) / 3;
    if q % 4 != 1 {
        return None;
    }
    let field = Field::new(q)?;
    let quarter = (q - 1) / 4;
    let w = |i: usize| field.power(i);
    // e = ω^((q-1)/4) squares to -1.
    let e = w(quarter);
    let mut base: Vec<[(usize, usize); 4]> = Vec::with_capacity((3 * q + 1) / 4);
    for i in 0..quarter {
        for j in 0..3 {
            let x = w(i);
            let y = field.mul(e, x);
            base.push([(x, j), (field.neg(x), j), (y, (j + 1) % 3), (field.neg(y), (j + 1) % 3)]);
        }
    }
    let point = |(x, level): (usize, usize), shift: usize| level * q + field.add(x, shift);
    Some(
        (0..q)
            .map(|shift| {
                let mut round: Round =
                    vec![vec![point((0, 0), shift), point((0, 1), shift), point((0, 2), shift), 3 * q]];
                round.extend(base.iter().map(|block| block.iter().map(|&x| point(x, shift)).collect()));
                round
            })
            .collect(),
    )
}

/// The blocks of a (n, 4, 1) design, where one is known here: lines of AG(m, 4) (n = 4^m),
/// lines of PG(m, 3) (n = (3^(m+1) - 1)/2), or the resolvable (3q + 1, 4, 1) designs.
fn blocks_of_four(n: usize) -> Option<Vec<Vec<usize>>> {
    let flatten = |rounds: Vec<Round>| rounds.into_iter().flatten().collect::<Vec<_>>();
    if let Some(design) = affine_power(n, 4) {
        return Some(flatten(design));
    }
    if let Some(design) = rooms_of_four(n) {
        return Some(flatten(design));
    }
    projective_lines_over_3(n)
}

/// Lines of PG(m, 3) on n = (3^(m+1) - 1)/2 points: the points of AG(m + 1, 3) other than 0
/// up to sign, and a line is a 2-dimensional subspace.
fn projective_lines_over_3(n: usize) -> Option<Vec<Vec<usize>>> {
    let mut dim = 1;
    while (3usize.pow(dim + 1) - 1) / 2 < n {
        dim += 1;
    }
    if (3usize.pow(dim + 1) - 1) / 2 != n {
        return None;
    }
    let space = 3usize.pow(dim + 1);
    let field = Field::new(3)?;
    let coords = |x: usize| -> Vec<usize> { (0..=dim).map(|i| (x / 3usize.pow(i)) % 3).collect() };
    let number = |v: &[usize]| -> usize { v.iter().rev().fold(0, |acc, &c| acc * 3 + c) };
    // A point is the vector whose first nonzero coordinate is 1.
    let normal = |v: &[usize]| -> Option<Vec<usize>> {
        let lead = *v.iter().find(|&&c| c != 0)?;
        let inverse = field.div(1, lead)?;
        Some(v.iter().map(|&c| field.mul(c, inverse)).collect())
    };
    let points: Vec<usize> =
        (1..space).filter(|&x| normal(&coords(x)).is_some_and(|v| number(&v) == x)).collect();
    let index = |x: usize| points.binary_search(&x).ok();
    let mut lines: Vec<Vec<usize>> = Vec::new();
    for (i, &a) in points.iter().enumerate() {
        for &b in &points[i + 1..] {
            let (va, vb) = (coords(a), coords(b));
            let mut line: Vec<usize> = [1, 2]
                .iter()
                .filter_map(|&c| {
                    let sum: Vec<usize> =
                        va.iter().zip(&vb).map(|(&x, &y)| field.add(x, field.mul(c, y))).collect();
                    normal(&sum).and_then(|v| index(number(&v)))
                })
                .collect();
            line.push(index(a)?);
            line.push(index(b)?);
            line.sort_unstable();
            // Each line is listed once: from its two smallest points.
            if line[0] == index(a)? && line[1] == index(b)? {
                lines.push(line);
            }
        }
    }
    Some(lines)
}

/// KTS(2n + 1) from a pairwise balanced design on n points with blocks of 4 and 7: point x
/// becomes 2x and 2x + 1, ∞ = 2n. Round x holds {2x, 2x + 1, ∞} and, for each block through x,
/// the class of a KTS(2k + 1) on that block's k doubled points in which ∞ sits with x's two
/// copies (KTS(9) for blocks of 4, KTS(15) for blocks of 7).
fn doubled(blocks: &[Vec<usize>], n: usize) -> Option<Vec<Round>> {
    let small_4 = relabelled_small_kts(9)?;
    let small_7 = relabelled_small_kts(15)?;
    let mut rounds: Vec<Round> = (0..n).map(|x| vec![vec![2 * x, 2 * x + 1, 2 * n]]).collect();
    for block in blocks {
        let small = match block.len() {
            4 => &small_4,
            7 => &small_7,
            _ => return None,
        };
        for (i, class) in small.iter().enumerate() {
            // Point 2j + s of the small system is copy s of the block's j-th point.
            let copy = |u: usize| 2 * block[u / 2] + u % 2;
            let round = rounds.get_mut(block[i])?;
            round.extend(class.iter().map(|triple| triple.iter().map(|&u| copy(u)).collect::<Vec<usize>>()));
        }
    }
    Some(rounds)
}

/// The k classes of KTS(2k + 1) (v = 9 or 15), relabelled so that class i holds
/// {2i, 2i + 1, 2k}, that triple left out (the doubling adds it once per round).
fn relabelled_small_kts(v: usize) -> Option<Vec<Vec<Vec<usize>>>> {
    let design = kirkman(v)?;
    let infinity = v - 1;
    let mut label = vec![usize::MAX; v];
    label[infinity] = infinity;
    for (i, class) in design.iter().enumerate() {
        let with = class.iter().find(|triple| triple.contains(&infinity))?;
        let mut others = with.iter().filter(|&&u| u != infinity);
        label[*others.next()?] = 2 * i;
        label[*others.next()?] = 2 * i + 1;
    }
    Some(
        design
            .iter()
            .map(|class| {
                class
                    .iter()
                    .filter(|triple| !triple.contains(&infinity))
                    .map(|triple| triple.iter().map(|&u| label[u]).collect())
                    .collect()
            })
            .collect(),
    )
}

/// A pairwise balanced design on 22 points with blocks of 4 and one of 7: KTS(15) with a new
/// point added to every triple of each class, the seven new points forming the last block.
fn blocks_of_four_and_seven_22() -> Option<Vec<Vec<usize>>> {
    let design = kirkman(15)?;
    let mut blocks: Vec<Vec<usize>> = Vec::with_capacity(36);
    for (i, class) in design.iter().enumerate() {
        blocks.extend(class.iter().map(|triple| {
            let mut block = triple.clone();
            block.push(15 + i);
            block
        }));
    }
    blocks.push((15..22).collect());
    Some(blocks)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Checks, pair by pair, that `design` seats `people` once per round in rooms of `size`
    /// and that no pair meets twice; returns the pairs met.
    pub(crate) fn verified(people: usize, size: usize, design: &[Round]) -> usize {
        let mut met = vec![false; people * people];
        let mut pairs = 0;
        for (r, round) in design.iter().enumerate() {
            let mut seen = vec![false; people];
            for room in round {
                assert_eq!(room.len(), size, "round {r}: {room:?}");
                for (i, &a) in room.iter().enumerate() {
                    assert!(a < people && !std::mem::replace(&mut seen[a], true), "round {r}: {a} twice");
                    for &b in &room[i + 1..] {
                        assert!(!std::mem::replace(&mut met[a * people + b], true), "{a}-{b} meet twice");
                        met[b * people + a] = true;
                        pairs += 1;
                    }
                }
            }
            assert!(seen.iter().all(|&s| s), "round {r} leaves someone out");
        }
        pairs
    }

    #[test]
    fn kirkman_triple_systems_are_complete_for_every_order_they_claim() {
        let mut built = Vec::new();
        for v in (3..=243).step_by(6) {
            if let Some(design) = kirkman(v) {
                assert_eq!(design.len(), (v - 1) / 2, "KTS({v}) rounds");
                assert_eq!(verified(v, 3, &design), v * (v - 1) / 2, "KTS({v}) covers every pair");
                built.push(v);
            }
        }
        for v in [9, 15, 21, 27, 33, 39, 45, 51, 57, 63, 75, 81, 87, 93, 99] {
            assert!(built.contains(&v), "KTS({v}) missing from {built:?}");
        }
    }

    #[test]
    fn affine_geometries_over_prime_power_fields_are_complete() {
        for (q, n) in [
            (2, 3),
            (3, 2),
            (4, 2),
            (5, 2),
            (7, 2),
            (8, 2),
            (9, 2),
            (4, 3),
            (3, 3),
            (16, 2),
            (25, 2),
            (27, 2),
        ] {
            let design = affine_lines(q, n).unwrap_or_default();
            let people = q.pow(n as u32);
            assert_eq!(design.len(), (people - 1) / (q - 1), "AG({n},{q})");
            assert_eq!(verified(people, q, &design), people * (people - 1) / 2, "AG({n},{q})");
        }
    }

    #[test]
    fn affine_leads_never_meet_in_the_first_rounds() {
        let (q, n) = (4, 2);
        let design = affine_lines(q, n).unwrap_or_default();
        // Points with first coordinate 0: 0, q, 2q, ...
        let leads: Vec<usize> = (0..q).map(|i| i * q).collect();
        for round in &design[..q] {
            for room in round {
                assert_eq!(room.iter().filter(|p| leads.contains(p)).count(), 1);
            }
        }
    }

    #[test]
    fn rooms_of_four_are_complete() {
        for v in [16, 28, 40, 52, 76, 88] {
            let design = rooms_of_four(v).unwrap_or_default();
            assert_eq!(design.len(), (v - 1) / 3, "({v},4,1)");
            assert_eq!(verified(v, 4, &design), v * (v - 1) / 2, "({v},4,1)");
        }
    }

    #[test]
    fn kirkman_3q_levels_never_meet_in_the_first_rounds() {
        // 21 = 3 · 7 (and 2 · 10 + 1 is not of the other form), so KTS(3q) builds it.
        let design = kirkman(21).unwrap_or_default();
        let t = (7 - 1) / 6;
        for round in &design[..3 * t] {
            for room in round {
                assert_eq!(room.iter().filter(|&&p| p < 7).count(), 1, "{room:?}");
            }
        }
    }
}
