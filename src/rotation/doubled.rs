//! Doubling a resolvable design: `2v` people in rooms of `k` from two zero-repeat designs on
//! `v` points, with nobody meeting anyone twice.
//!
//! Take a zero-repeat resolvable design D on `v` points (rooms of `k`), and a copy π(D) of it
//! under a relabelling π that shares no room with D. Together they cover each pair of points
//! at most twice, in two different rooms. Every point x becomes two people, 2x and 2x + 1,
//! and every room Q of D or π(D) becomes two rooms: one takes copy ε(Q, x) of each point x
//! of Q, the other the opposite copies. A pair of points x, y met in Q then seats either
//! {2x + a, 2y + a} or {2x + a, 2y + 1 - a} together, depending on ε(Q, x) + ε(Q, y) (mod 2);
//! where x and y share two rooms Q and Q', the choices must differ there, so every pair of
//! people meets at most once. Those conditions are linear over GF(2) in the ε bits, so
//! Gaussian elimination decides them at once; relabellings are tried until one solves.
//! Only a person and their own twin never meet.
//!
//! Shapes it reaches: `2v` people in `2v / k` rooms for twice the rounds of the design on `v`
//! points, wherever one of the field constructions gives that design. With two affine
//! planes of order 4 (relabelled by a linear map of GF(2)^4) it gives 32 people in 8 rooms of
//! 4 for 10 rounds, the classic social-golfer instance (every pair but the 16 twins meets
//! exactly once: a resolvable 4-GDD of type 2^16); with two affine planes of order 3 it
//! gives 18 in 6×3 for 8 rounds; both are the most rounds possible. For the affine planes of
//! order 5 and 7 and for KTS(15) no relabelling tried solved the conditions.

use crate::rotation::problem::Round;
use crate::rotation::resolvable::resolvable;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::HashSet;

/// Relabellings tried before giving up. Small: where the construction works, the first few
/// succeed; where it cannot (odd affine planes), more would only cost time.
const TRIES: u64 = 24;

/// Largest number of people tried: the linear system has a row per pair of points and a
/// column per seat of the two designs, and larger shapes have better constructions.
const MAX_PEOPLE: usize = 64;

/// Fixed so that the same shape always gives the same plan.
const SEED: u64 = 0x5eed_d0b1;

/// A plan for `people` in `rooms` equal rooms in which no pair meets twice, doubled from a
/// field construction on `people / 2` points, or None where this construction does not reach.
pub(crate) fn doubled(people: usize, rooms: usize) -> Option<Vec<Round>> {
    if people > MAX_PEOPLE || rooms == 0 || !people.is_multiple_of(rooms) || !rooms.is_multiple_of(2) {
        return None;
    }
    let half = people / 2;
    let size = people / rooms;
    if size < 3 {
        return None;
    }
    let base = resolvable(half, rooms / 2)?;
    let mut rng = ChaCha8Rng::seed_from_u64(SEED);
    let linear = half.is_power_of_two();
    (0..TRIES).find_map(|attempt| {
        // Affine designs over fields of characteristic 2 number points as bit vectors; a
        // linear map keeps their rooms affine, which is what the sign conditions need.
        let relabel =
            if linear && attempt % 2 == 0 { linear_map(half, &mut rng) } else { permutation(half, &mut rng) };
        let copy: Vec<Round> = base
            .iter()
            .map(|round| round.iter().map(|room| room.iter().map(|&x| relabel[x]).collect()).collect())
            .collect();
        let rounds: Vec<Round> = base.iter().chain(&copy).cloned().collect();
        lift(half, &rounds)
    })
}

/// A random invertible linear map of GF(2)^d, `points = 2^d`, as a permutation of `0..points`.
fn linear_map(points: usize, rng: &mut ChaCha8Rng) -> Vec<usize> {
    let d = points.trailing_zeros() as usize;
    // Columns drawn one by one outside the span of those before: invertible by construction.
    let mut columns: Vec<usize> = Vec::with_capacity(d);
    let mut span: Vec<usize> = vec![0];
    while columns.len() < d {
        let candidate = rng.random_range(1..points);
        if span.contains(&candidate) {
            continue;
        }
        let grown: Vec<usize> = span.iter().map(|&s| s ^ candidate).collect();
        span.extend(grown);
        columns.push(candidate);
    }
    (0..points)
        .map(|x| {
            columns.iter().enumerate().filter(|&(bit, _)| x >> bit & 1 == 1).fold(0, |acc, (_, &c)| acc ^ c)
        })
        .collect()
}

fn permutation(points: usize, rng: &mut ChaCha8Rng) -> Vec<usize> {
    let mut order: Vec<usize> = (0..points).collect();
    order.shuffle(rng);
    order
}

/// The doubled plan for `rounds` over `points` points (each pair in at most two rooms, never
/// twice in one round), if the sign conditions can all hold.
fn lift(points: usize, rounds: &[Round]) -> Option<Vec<Round>> {
    let rooms: Vec<&Vec<usize>> = rounds.iter().flatten().collect();
    let mut distinct = HashSet::new();
    if !rooms.iter().all(|room| {
        let mut sorted = (*room).clone();
        sorted.sort_unstable();
        distinct.insert(sorted)
    }) {
        return None; // a shared room would make its pairs meet twice whatever the signs
    }
    // Seat (room, position) is unknown number `offset[room] + position`.
    let mut offset = Vec::with_capacity(rooms.len());
    let mut unknowns = 0;
    for room in &rooms {
        offset.push(unknowns);
        unknowns += room.len();
    }
    let mut first_seen: Vec<Option<(usize, usize)>> = vec![None; points * points];
    let mut system = System::new(unknowns);
    for (r, room) in rooms.iter().enumerate() {
        for (i, &x) in room.iter().enumerate() {
            for (j, &y) in room.iter().enumerate().skip(i + 1) {
                let seats = (offset[r] + i, offset[r] + j);
                let slot = &mut first_seen[x.min(y) * points + x.max(y)];
                match slot.take() {
                    None => *slot = Some(seats),
                    // Met in two rooms: the two rooms must seat the pair's copies differently.
                    Some((a, b)) => system.push(&[a, b, seats.0, seats.1], true),
                }
            }
        }
    }
    let signs = system.solve()?;
    let mut lifted = Vec::with_capacity(rounds.len());
    let mut r = 0;
    for round in rounds {
        let mut doubled_round = Vec::with_capacity(round.len() * 2);
        for room in round {
            let sign = |i: usize| usize::from(signs[offset[r] + i]);
            doubled_round.push(room.iter().enumerate().map(|(i, &x)| 2 * x + sign(i)).collect());
            doubled_round.push(room.iter().enumerate().map(|(i, &x)| 2 * x + 1 - sign(i)).collect());
            r += 1;
        }
        lifted.push(doubled_round);
    }
    // A pair met in a third room would have been a second entry over a taken slot: check
    // the result instead of trusting the input.
    zero_repeats(2 * points, &lifted).then_some(lifted)
}

/// Whether no two people share a room twice.
fn zero_repeats(people: usize, rounds: &[Round]) -> bool {
    let mut met = vec![false; people * people];
    rounds.iter().flatten().all(|room| {
        room.iter().enumerate().all(|(i, &a)| {
            room[i + 1..].iter().all(|&b| !std::mem::replace(&mut met[a.min(b) * people + a.max(b)], true))
        })
    })
}

/// Linear equations over GF(2), one bit per unknown.
struct System {
    unknowns: usize,
    words: usize,
    rows: Vec<(Vec<u64>, bool)>,
}

impl System {
    fn new(unknowns: usize) -> System {
        System { unknowns, words: unknowns.div_ceil(64), rows: Vec::new() }
    }

    /// Adds "the sum of these unknowns is `value`".
    fn push(&mut self, terms: &[usize], value: bool) {
        let mut row = vec![0u64; self.words];
        for &t in terms {
            row[t / 64] ^= 1 << (t % 64);
        }
        self.rows.push((row, value));
    }

    /// One solution (free unknowns 0), or None if the equations contradict each other.
    fn solve(mut self) -> Option<Vec<bool>> {
        let mut pivots = Vec::new();
        let mut next = 0;
        for column in 0..self.unknowns {
            let (word, bit) = (column / 64, 1u64 << (column % 64));
            let Some(found) = (next..self.rows.len()).find(|&r| self.rows[r].0[word] & bit != 0) else {
                continue;
            };
            self.rows.swap(next, found);
            let (pivot_row, pivot_value) = self.rows[next].clone();
            for (r, (row, value)) in self.rows.iter_mut().enumerate() {
                if r != next && row[word] & bit != 0 {
                    row.iter_mut().zip(&pivot_row).for_each(|(a, b)| *a ^= b);
                    *value ^= pivot_value;
                }
            }
            pivots.push((column, next));
            next += 1;
        }
        if self.rows[next..].iter().any(|&(_, value)| value) {
            return None;
        }
        let mut solution = vec![false; self.unknowns];
        for (column, row) in pivots {
            solution[column] = self.rows[row].1;
        }
        Some(solution)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::rotation::resolvable::tests::verified;

    #[test]
    fn thirty_two_golfers_play_ten_rounds_in_fours_without_meeting_twice() {
        let design = doubled(32, 8).expect("two affine planes of order 4, doubled");
        assert_eq!(design.len(), 10);
        // Everyone meets 30 of the 31 others: all pairs but the 16 twins.
        assert_eq!(verified(32, 4, &design), 496 - 16);
    }

    #[test]
    fn doubled_affine_planes_of_order_three_reach_the_most_rounds_possible() {
        let design = doubled(18, 6).unwrap_or_default();
        assert_eq!(design.len(), 8, "(18 - 1) / 2 rounds");
        assert_eq!(verified(18, 3, &design), 18 * 17 / 2 - 9);
    }

    #[test]
    fn the_same_shape_gives_the_same_plan() {
        assert_eq!(doubled(32, 8), doubled(32, 8));
    }

    #[test]
    fn contradictory_sign_conditions_are_refused() {
        // x + y = 1, y + z = 1, x + z = 1 sum to 0 = 1.
        let mut system = System::new(3);
        system.push(&[0, 1], true);
        system.push(&[1, 2], true);
        system.push(&[0, 2], true);
        assert!(system.solve().is_none());
        let mut system = System::new(3);
        system.push(&[0, 1], true);
        system.push(&[1, 2], false);
        let solution = system.solve().expect("consistent");
        assert!(solution[0] ^ solution[1]);
        assert!(!(solution[1] ^ solution[2]));
    }

    #[test]
    fn shapes_it_does_not_reach_give_none() {
        assert!(doubled(31, 8).is_none(), "odd");
        assert!(doubled(24, 6).is_none(), "no design on 12 points in rooms of 4");
        assert!(doubled(128, 32).is_none(), "beyond the size tried");
    }
}
