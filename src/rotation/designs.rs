//! Known constructions that seat people with no (or provably few) repeated pairings.
//!
//! - Vector-space designs: people are the vectors of `F_p^d` (`p` prime), a round is the set of
//!   cosets of a `k`-dimensional subspace, and rounds whose subspaces share only the zero
//!   vector never repeat a pair. This covers affine planes (`p²` people in `p` rooms, up to
//!   `p + 1` rounds; 16 = 4×4 as lines of `F_2^4`) and 32 people in 8 rooms of 4 for 9 rounds
//!   (a partial spread of lines in PG(4,2)).
//! - Stacked affine planes: with `d = 2k`, any number of people above `p^{2k}` in `p^k` rooms,
//!   two or more to a point, the extra ones on the cosets of a spare class (which every other
//!   class cuts evenly). Only people sharing a point repeat; this meets the counting bound for
//!   18 in 3×6, 20 in 4×5 and 30 in 3×10, and covers three rooms for any number of people.
//! - A Kirkman triple system for 15 people in 5 rooms of 3 over 7 rounds, as a packing of
//!   PG(3,2) into spreads.

use crate::rotation::doubled::doubled;
use crate::rotation::problem::Round;
use crate::rotation::resolvable::resolvable;
use std::collections::HashSet;

/// Search nodes allowed when picking subspaces or spreads.
const NODE_LIMIT: u64 = 200_000;
/// Largest number of spanning sets tried when listing subspaces.
const SPAN_LIMIT: u64 = 100_000;

/// A construction for `people` in `rooms` rooms: up to `rounds` rounds (fewer when the
/// construction has fewer), people numbered `0..people`, rooms of equal size. `stacks` allows
/// the stacked designs, where people sharing a point meet every round: right for fewest
/// repeats, wrong for an even spread. `unmet` people (leads, or placeholders for missing people) must be able to
/// sit in different rooms every round; vector-space designs keep a subspace free for them.
pub(crate) fn known_designs(
    people: usize,
    rooms: usize,
    rounds: usize,
    stacks: bool,
    unmet: usize,
) -> Vec<Vec<Round>> {
    if rounds == 0 || rooms == 0 || people < 4 {
        return Vec::new();
    }
    // Field constructions first: complete, instant, and ordered so that rounds where leads can
    // sit apart come first; the vector-space search below can reserve room for leads instead.
    let mut found: Vec<Vec<Round>> = resolvable(people, rooms)
        .map(|mut design| {
            design.truncate(rounds);
            design
        })
        .into_iter()
        .collect();
    found.extend(known_design(people, rooms, rounds, stacks, unmet));
    // A doubled design (`doubled`) only where it covers more rounds than those above, as for
    // 32 in 8×4 over 10 rounds; in it only twins never meet, so it seats at most two leads.
    let covered = found.iter().map(Vec::len).max().unwrap_or(0);
    if covered < rounds && unmet <= 2 {
        if let Some(mut design) = doubled(people, rooms).filter(|design| design.len() > covered) {
            design.truncate(rounds);
            found.insert(0, design);
        }
    }
    found
}

/// The vector-space and stacked designs, and Kirkman's 15 schoolgirls; see `known_designs`.
pub(crate) fn known_design(
    people: usize,
    rooms: usize,
    rounds: usize,
    stacks: bool,
    unmet: usize,
) -> Option<Vec<Round>> {
    if rounds == 0 || rooms == 0 || people < 4 {
        return None;
    }
    if people == 15 && rooms == 5 {
        return kirkman_15(rounds);
    }
    for p in [2usize, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31] {
        let mut size = p;
        let mut d = 1;
        while size <= people {
            if size == people {
                if let Some(design) = plain(p, d, rooms, rounds, unmet) {
                    return Some(design);
                }
            }
            if stacks {
                if let Some(design) = stacked(p, d, people, rooms, rounds, unmet) {
                    return Some(design);
                }
            }
            size *= p;
            d += 1;
        }
    }
    None
}

/// Cosets of pairwise trivially-intersecting subspaces of `F_p^d`, `p^d` people.
fn plain(p: usize, d: usize, rooms: usize, rounds: usize, unmet: usize) -> Option<Vec<Round>> {
    let n = p.pow(d as u32);
    let k = (1..d).find(|&k| p.pow((d - k) as u32) == rooms)?;
    let space = Space { p, d };
    let subspaces = space.subspaces(k)?;
    // Points of a coset of a subspace no round uses never meet, so such a coset can seat the
    // leads. All subspaces of one dimension are alike under a change of basis: the span of the
    // first unit vectors serves.
    let reserved = match (1..=d - k).find(|&u| p.pow(u as u32) >= unmet) {
        Some(u) if unmet >= 2 => {
            let basis: Vec<usize> = (0..u).map(|i| p.pow(i as u32)).collect();
            space.span(&basis)?
        }
        _ => Vec::new(),
    };
    // The bound on classes is not always reached (PG(4,2) has partial spreads of 9 lines, not
    // 10), so settle for the most rounds found.
    let most = rounds.min(max_classes(p, d, k));
    let chosen = (1..=most).rev().find_map(|want| pick_disjoint(&subspaces, want, n, &reserved))?;
    Some(chosen.iter().map(|s| space.cosets(s)).collect())
}

/// An affine plane over `F_{p^k}` (as `F_p^{2k}`, `p^k` rooms) with `q` or `q + 1` people
/// stacked on each point, the extra ones filling the cosets of one spare class in order. Every
/// room of another class meets each spare coset in exactly one point, so rooms stay balanced;
/// only people stacked on one point meet again, in every round.
fn stacked(
    p: usize,
    d: usize,
    people: usize,
    rooms: usize,
    rounds: usize,
    unmet: usize,
) -> Option<Vec<Round>> {
    let k = d / 2;
    let side = p.pow(k as u32);
    let points = side * side;
    if !d.is_multiple_of(2) || rooms != side || people <= points {
        return None;
    }
    let q = people / points;
    let extra = people % points;
    // The spare class orders the extra seats, and its cosets keep leads from meeting.
    let spare = usize::from(extra > 0 || unmet >= 2);
    let rounds = rounds.min(side + 1 - spare);
    let space = Space { p, d };
    let subspaces = space.subspaces(k)?;
    let chosen = pick_disjoint(&subspaces, rounds + spare, points, &[])?;
    let (used, order): (&[Vec<usize>], Vec<usize>) = match chosen.split_first() {
        Some((first, rest)) if spare == 1 => (rest, space.cosets(first).concat()),
        _ => (&chosen, (0..points).collect()),
    };
    let mut seats: Vec<Vec<usize>> = vec![Vec::new(); points];
    let mut next = 0..people;
    for seat in seats.iter_mut() {
        seat.extend(next.by_ref().take(q));
    }
    for &x in order.iter().take(extra) {
        seats[x].extend(next.next());
    }
    Some(
        used.iter()
            .map(|s| {
                space
                    .cosets(s)
                    .into_iter()
                    .map(|room| room.iter().flat_map(|&x| seats[x].iter().copied()).collect())
                    .collect()
            })
            .collect(),
    )
}

/// Most pairwise trivially-intersecting `k`-subspaces worth asking for: the nonzero vectors
/// split among them.
fn max_classes(p: usize, d: usize, k: usize) -> usize {
    (p.pow(d as u32) - 1) / (p.pow(k as u32) - 1)
}

/// The vector space `F_p^d`, vectors numbered by their base-`p` digits.
struct Space {
    p: usize,
    d: usize,
}

impl Space {
    fn size(&self) -> usize {
        self.p.pow(self.d as u32)
    }

    fn add(&self, mut x: usize, mut y: usize) -> usize {
        let mut sum = 0;
        let mut place = 1;
        for _ in 0..self.d {
            sum += ((x % self.p + y % self.p) % self.p) * place;
            x /= self.p;
            y /= self.p;
            place *= self.p;
        }
        sum
    }

    fn scale(&self, c: usize, x: usize) -> usize {
        (0..c).fold(0, |acc, _| self.add(acc, x))
    }

    /// Every vector of the span of `basis`, sorted; None if the basis is dependent.
    fn span(&self, basis: &[usize]) -> Option<Vec<usize>> {
        let mut members = vec![0usize];
        for &v in basis {
            if members.contains(&v) {
                return None;
            }
            let mut grown = Vec::with_capacity(members.len() * self.p);
            for c in 0..self.p {
                let step = self.scale(c, v);
                grown.extend(members.iter().map(|&m| self.add(m, step)));
            }
            members = grown;
        }
        members.sort_unstable();
        Some(members)
    }

    /// All `k`-dimensional subspaces (sorted member lists), if there are few enough to list.
    fn subspaces(&self, k: usize) -> Option<Vec<Vec<usize>>> {
        let n = self.size();
        let nonzero = n - 1;
        let mut combinations: u64 = 1;
        for i in 0..k as u64 {
            combinations = combinations.checked_mul(nonzero as u64 - i)? / (i + 1);
        }
        if combinations > SPAN_LIMIT {
            return None;
        }
        let mut seen = HashSet::new();
        let mut found = Vec::new();
        let mut basis: Vec<usize> = (1..=k).collect();
        loop {
            if let Some(members) = self.span(&basis) {
                if members.len() == self.p.pow(k as u32) && seen.insert(members.clone()) {
                    found.push(members);
                }
            }
            // Next k-combination of 1..n in lexicographic order.
            let mut i = k;
            loop {
                if i == 0 {
                    return Some(found);
                }
                i -= 1;
                if basis[i] < n - (k - i) {
                    basis[i] += 1;
                    for j in i + 1..k {
                        basis[j] = basis[j - 1] + 1;
                    }
                    break;
                }
            }
        }
    }

    /// The cosets of a subspace: one round's rooms.
    fn cosets(&self, subspace: &[usize]) -> Round {
        let n = self.size();
        let mut placed = vec![false; n];
        let mut rooms = Vec::new();
        for x in 0..n {
            if placed[x] {
                continue;
            }
            let room: Vec<usize> = subspace.iter().map(|&w| self.add(x, w)).collect();
            for &y in &room {
                placed[y] = true;
            }
            rooms.push(room);
        }
        rooms
    }
}

/// `want` sets whose members other than 0 are pairwise disjoint and not `reserved`, by bounded
/// depth-first search.
fn pick_disjoint(
    sets: &[Vec<usize>],
    want: usize,
    universe: usize,
    reserved: &[usize],
) -> Option<Vec<Vec<usize>>> {
    let masks: Vec<Vec<bool>> = sets
        .iter()
        .map(|s| {
            let mut mask = vec![false; universe];
            for &x in s.iter().filter(|&&x| x != 0) {
                mask[x] = true;
            }
            mask
        })
        .collect();
    let mut used = vec![false; universe];
    for &x in reserved.iter().filter(|&&x| x != 0) {
        used[x] = true;
    }
    let mut chosen = Vec::new();
    let mut nodes = 0u64;
    if choose(&masks, want, 0, &mut used, &mut chosen, &mut nodes) {
        Some(chosen.iter().map(|&i| sets[i].clone()).collect())
    } else {
        None
    }
}

fn choose(
    masks: &[Vec<bool>],
    want: usize,
    from: usize,
    used: &mut [bool],
    chosen: &mut Vec<usize>,
    nodes: &mut u64,
) -> bool {
    if chosen.len() == want {
        return true;
    }
    for i in from..masks.len() {
        if masks.len() - i < want - chosen.len() {
            return false;
        }
        *nodes += 1;
        if *nodes > NODE_LIMIT {
            return false;
        }
        let mask = &masks[i];
        if mask.iter().zip(used.iter()).any(|(&m, &u)| m && u) {
            continue;
        }
        set_mask(used, mask, true);
        chosen.push(i);
        if choose(masks, want, i + 1, used, chosen, nodes) {
            return true;
        }
        chosen.pop();
        set_mask(used, mask, false);
    }
    false
}

fn set_mask(used: &mut [bool], mask: &[bool], value: bool) {
    for (u, &m) in used.iter_mut().zip(mask) {
        if m {
            *u = value;
        }
    }
}

/// Kirkman's schoolgirls: lines of PG(3,2) (triples `{a, b, a^b}` of nonzero 4-bit vectors)
/// packed into 7 spreads; person `v - 1` is vector `v`.
fn kirkman_15(rounds: usize) -> Option<Vec<Round>> {
    if rounds > 7 {
        return kirkman_15(7);
    }
    let mut lines: Vec<[usize; 3]> = Vec::new();
    for a in 1..16usize {
        for b in a + 1..16 {
            let c = a ^ b;
            if c > b {
                lines.push([a, b, c]);
            }
        }
    }
    // Spreads: 5 lines covering the 15 points, found by always covering the lowest free point.
    let mut spreads: Vec<Vec<usize>> = Vec::new();
    let mut current = Vec::new();
    collect_spreads(&lines, &mut [false; 16], &mut current, &mut spreads);
    // A packing: spreads sharing no line, as sets over line indices.
    let line_sets: Vec<Vec<usize>> = spreads.iter().map(|s| s.iter().map(|&l| l + 1).collect()).collect();
    let packing = pick_disjoint(&line_sets, rounds, lines.len() + 1, &[])?;
    Some(
        packing
            .iter()
            .map(|spread| spread.iter().map(|&l| lines[l - 1].iter().map(|&v| v - 1).collect()).collect())
            .collect(),
    )
}

fn collect_spreads(
    lines: &[[usize; 3]],
    covered: &mut [bool; 16],
    current: &mut Vec<usize>,
    spreads: &mut Vec<Vec<usize>>,
) {
    let Some(point) = (1..16).find(|&v| !covered[v]) else {
        spreads.push(current.clone());
        return;
    };
    for (i, line) in lines.iter().enumerate() {
        if line.contains(&point) && line.iter().all(|&v| !covered[v]) {
            line.iter().for_each(|&v| covered[v] = true);
            current.push(i);
            collect_spreads(lines, covered, current, spreads);
            current.pop();
            line.iter().for_each(|&v| covered[v] = false);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rotation::problem::Problem;
    use crate::rotation::score::score;

    /// Repeats of `design`, after checking that every round seats everyone once in balanced
    /// rooms.
    fn checked_repeats(people: usize, rooms: usize, design: &[Round]) -> u64 {
        for round in design {
            assert_eq!(round.len(), rooms);
            let mut seen: Vec<usize> = round.iter().flatten().copied().collect();
            seen.sort_unstable();
            assert_eq!(seen, (0..people).collect::<Vec<_>>());
            let sizes: Vec<usize> = round.iter().map(Vec::len).collect();
            let (min, max) = (sizes.iter().min(), sizes.iter().max());
            assert!(max.zip(min).is_some_and(|(max, min)| max - min <= 1), "{sizes:?}");
        }
        let problem = Problem { people, rooms, rounds: design.len(), ..Problem::default() };
        score(&problem, design).repeats
    }

    #[test]
    fn zero_repeat_designs_have_the_rounds_they_promise() {
        for (people, rooms, rounds, unmet) in [
            (15, 5, 7, 0),
            (16, 4, 5, 0),
            (16, 4, 4, 4),
            (25, 5, 6, 0),
            (27, 9, 13, 0),
            (32, 8, 9, 0),
            (32, 8, 8, 8),
            (49, 7, 8, 0),
        ] {
            let design = known_design(people, rooms, rounds, true, unmet).unwrap_or_default();
            assert_eq!(design.len(), rounds, "{people} in {rooms}");
            assert_eq!(checked_repeats(people, rooms, &design), 0, "{people} in {rooms}");
        }
    }

    #[test]
    fn stacked_designs_meet_the_counting_bound() {
        for (people, rooms, rounds, bound) in [(18, 3, 3, 18), (20, 4, 4, 12), (30, 3, 3, 72)] {
            let design = known_design(people, rooms, rounds, true, 0).unwrap_or_default();
            assert_eq!(design.len(), rounds);
            assert_eq!(checked_repeats(people, rooms, &design), bound, "{people} in {rooms}");
        }
        assert!(known_design(18, 3, 3, false, 0).is_none(), "stacks only when allowed");
    }
}
