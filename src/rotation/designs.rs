//! Known constructions that seat people with no (or provably few) repeated pairings.
//!
//! - Vector-space designs: people are the vectors of `F_p^d` (`p` prime), a round is the set of
//!   cosets of a `k`-dimensional subspace, and rounds whose subspaces share only the zero
//!   vector never repeat a pair. This covers affine planes (`p²` people in `p` rooms, up to
//!   `p + 1` rounds; 16 = 4×4 as lines of `F_2^4`) and 32 people in 8 rooms of 4 for 9 rounds
//!   (a partial spread of lines in PG(4,2)).
//! - Twinned affine planes: with `d = 2k`, the cosets of one spare subspace are cut evenly by
//!   every other, so `j` of them can carry a twin each: `p^{2k} + j·p^k` people in `p^k` rooms.
//!   Only twins repeat, which meets the counting bound for 18 in 3×6 and 20 in 4×5.
//! - A Kirkman triple system for 15 people in 5 rooms of 3 over 7 rounds, as a packing of
//!   PG(3,2) into spreads.

use crate::rotation::problem::Round;
use std::collections::HashSet;

/// Search nodes allowed when picking subspaces or spreads.
const NODE_LIMIT: u64 = 200_000;
/// Largest number of spanning sets tried when listing subspaces.
const SPAN_LIMIT: u64 = 100_000;

/// A construction for `people` in `rooms` rooms: up to `rounds` rounds (fewer when the
/// construction has fewer), people numbered `0..people`, rooms of equal size. `twins` allows
/// the twinned designs, whose twins meet every round: right for fewest repeats, wrong for an
/// even spread.
pub(crate) fn known_design(
    people: usize,
    rooms: usize,
    rounds: usize,
    twins: bool,
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
                if let Some(design) = plain(p, d, rooms, rounds) {
                    return Some(design);
                }
            }
            if twins && d % 2 == 0 {
                if let Some(design) = twinned(p, d, people, rooms, rounds) {
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
fn plain(p: usize, d: usize, rooms: usize, rounds: usize) -> Option<Vec<Round>> {
    let n = p.pow(d as u32);
    let k = (1..d).find(|&k| p.pow((d - k) as u32) == rooms)?;
    let space = Space { p, d };
    let subspaces = space.subspaces(k)?;
    // The bound on classes is not always reached (PG(4,2) has partial spreads of 9 lines, not
    // 10), so settle for the most rounds found.
    let most = rounds.min(max_classes(p, d, k));
    let chosen = (1..=most)
        .rev()
        .find_map(|want| pick_disjoint(&subspaces, want, n))?;
    Some(chosen.iter().map(|s| space.cosets(s)).collect())
}

/// An affine design on `p^d` points (`d = 2k`) with twins on `j` cosets of a spare class.
fn twinned(p: usize, d: usize, people: usize, rooms: usize, rounds: usize) -> Option<Vec<Round>> {
    let k = d / 2;
    let side = p.pow(k as u32);
    let points = side * side;
    if rooms != side || people <= points || (people - points) % side != 0 {
        return None;
    }
    let j = (people - points) / side;
    if j > side {
        return None;
    }
    // One class is spare for the twins; later rounds are left to the search.
    let rounds = rounds.min(side);
    let space = Space { p, d };
    let subspaces = space.subspaces(k)?;
    let chosen = pick_disjoint(&subspaces, rounds + 1, points)?;
    let (spare, used) = chosen.split_first()?;
    // The twin of each point on the first `j` cosets of the spare subspace.
    let mut twin = vec![None; points];
    let mut next = points;
    for coset in space.cosets(spare).iter().take(j) {
        for &x in coset {
            twin[x] = Some(next);
            next += 1;
        }
    }
    Some(
        used.iter()
            .map(|s| {
                space
                    .cosets(s)
                    .into_iter()
                    .map(|room| room.iter().flat_map(|&x| std::iter::once(x).chain(twin[x])).collect())
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

/// `want` sets whose members other than 0 are pairwise disjoint, by bounded depth-first search.
fn pick_disjoint(sets: &[Vec<usize>], want: usize, universe: usize) -> Option<Vec<Vec<usize>>> {
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
    let line_sets: Vec<Vec<usize>> = spreads
        .iter()
        .map(|s| s.iter().map(|&l| l + 1).collect())
        .collect();
    let packing = pick_disjoint(&line_sets, rounds, lines.len() + 1)?;
    Some(
        packing
            .iter()
            .map(|spread| {
                spread
                    .iter()
                    .map(|&l| lines[l - 1].iter().map(|&v| v - 1).collect())
                    .collect()
            })
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
