//! Lower bounds on repeated pairings by counting shared pairs between rounds.
//!
//! Every pair meeting `t` times contributes `C(t,2)` pairs of rounds, so the sum over pairs of
//! `C(t,2)` equals the sum over pairs of rounds of the pairs they share. Two partitions share at
//! least as many pairs as when each room of one spreads evenly over the rooms of the other.
//! Knowing that sum (`shared`), the pair slots (`slots = Σ t`) and the most meetings any pair can
//! have (`R` = all rounds), the most pairs that can meet at all is the largest `k` for which
//! `k` meet counts in `1..=R` summing to `slots` can reach `shared`; repeats `>= slots - k`.

use crate::rotation::problem::Problem;
use crate::rotation::score::{meet_counts, repeats_of};

/// A proven lower bound on repeated pairings for `problem` (history included); 0 when a
/// zero-repeat plan might exist or the problem is malformed.
pub fn lower_bound(problem: &Problem) -> u32 {
    let Some(counts) = Counts::of(problem) else {
        return 0;
    };
    let history_repeats = repeats_of(problem.people, &meet_counts(problem.people, &problem.history));
    let most_met = most_pairs_met(&counts);
    let bound = counts.slots.saturating_sub(most_met);
    (bound.max(history_repeats as u64)).min(u32::MAX as u64) as u32
}

/// A lower bound on the most times any pair meets, history included.
pub(crate) fn max_meetings_bound(problem: &Problem) -> u32 {
    let Some(counts) = Counts::of(problem) else {
        return 0;
    };
    let history = meet_counts(problem.people, &problem.history);
    let mut bound = history.iter().copied().max().unwrap_or(0) as u64;
    if counts.pairs > 0 {
        bound = bound.max(counts.slots.div_ceil(counts.pairs));
    }
    if lower_bound(problem) > 0 {
        bound = bound.max(2);
    }
    bound.min(u32::MAX as u64) as u32
}

/// The quantities the counting argument needs.
struct Counts {
    /// Unordered pairs of people present.
    pairs: u64,
    /// Total pair meetings over history and plan.
    slots: u64,
    /// Lower bound on the sum over pairs of `C(t, 2)`.
    shared: u64,
    /// Most times one pair can meet: every round, history included.
    rounds: u64,
}

impl Counts {
    fn of(problem: &Problem) -> Option<Counts> {
        let n = problem.people;
        if problem.rooms == 0 || n == 0 {
            return None;
        }
        let sizes = planned_sizes(n, problem.rooms);
        let history: Vec<Vec<usize>> = problem
            .history
            .iter()
            .map(|round| history_sizes(n, round))
            .collect();
        let history_meets = meet_counts(n, &problem.history);
        let mut slots: u64 = history_meets.iter().map(|&t| t as u64).sum::<u64>() / 2;
        slots += problem.rounds as u64 * sizes.iter().map(|&s| choose2(s)).sum::<u64>();
        let mut shared: u64 = history_meets.iter().map(|&t| choose2(t as usize)).sum::<u64>() / 2;
        let planned_pair = min_shared(&sizes, &sizes);
        let rounds = problem.rounds as u64;
        shared += rounds * rounds.saturating_sub(1) / 2 * planned_pair;
        for held in &history {
            shared += rounds * min_shared(held, &sizes);
        }
        Some(Counts {
            pairs: choose2(n),
            slots,
            shared,
            rounds: (problem.history.len() + problem.rounds) as u64,
        })
    }
}

/// The most pairs that can meet at least once given the counts.
fn most_pairs_met(counts: &Counts) -> u64 {
    let top = counts.pairs.min(counts.slots);
    if counts.rounds <= 1 {
        return top;
    }
    let most_extra = counts.rounds - 1;
    // Fewer met pairs leave more extra meetings to concentrate, so `reachable` only grows as
    // `k` falls: scan down from the most pairs that could meet.
    let reachable = |k: u64| -> Option<u64> {
        let extra = counts.slots - k;
        let full = extra / most_extra;
        let rest = extra % most_extra;
        if full + u64::from(rest > 0) > k {
            return None;
        }
        Some(full * choose2(counts.rounds as usize) + choose2(rest as usize + 1))
    };
    let mut k = top;
    while k > 0 {
        if let Some(most_shared) = reachable(k) {
            if most_shared >= counts.shared {
                return k;
            }
        }
        k -= 1;
    }
    0
}

/// Room sizes of a planned round: as even as possible.
fn planned_sizes(n: usize, rooms: usize) -> Vec<usize> {
    (0..rooms)
        .map(|i| n / rooms + usize::from(i < n % rooms))
        .collect()
}

/// Room sizes of a held round among present people; absent people count as singletons,
/// since a planned room can place them anywhere without sharing a held pair.
fn history_sizes(n: usize, round: &[Vec<usize>]) -> Vec<usize> {
    let mut seen = vec![false; n];
    let mut sizes = Vec::new();
    for room in round {
        let mut size = 0;
        for &p in room {
            if p < n && !seen[p] {
                seen[p] = true;
                size += 1;
            }
        }
        if size > 0 {
            sizes.push(size);
        }
    }
    sizes.extend(seen.iter().filter(|&&s| !s).map(|_| 1));
    sizes
}

/// Fewest pairs two partitions with these room sizes can share: each room of one spread as
/// evenly as possible over the rooms of the other (ignoring the other's sizes, which only
/// lowers the figure), taking the better of the two directions.
fn min_shared(a: &[usize], b: &[usize]) -> u64 {
    let spread = |rows: &[usize], cols: usize| -> u64 {
        rows.iter()
            .map(|&s| {
                let q = s / cols;
                let r = s % cols;
                r as u64 * choose2(q + 1) + (cols - r) as u64 * choose2(q)
            })
            .sum()
    };
    let cols_a = a.iter().filter(|&&s| s > 0).count().max(1);
    let cols_b = b.iter().filter(|&&s| s > 0).count().max(1);
    spread(a, cols_b).max(spread(b, cols_a))
}

fn choose2(s: usize) -> u64 {
    let s = s as u64;
    s * s.saturating_sub(1) / 2
}
