//! Lower bounds on repeated pairings by counting shared pairs between rounds.
//!
//! Every pair meeting `t` times contributes `C(t,2)` pairs of rounds, so the sum over pairs of
//! `C(t,2)` equals the sum over pairs of rounds of the pairs they share. Two partitions share at
//! least as many pairs as when each room of one spreads evenly over the rooms of the other.
//! Knowing that sum (`shared`), the pair slots (`slots = Σ t`) and the most meetings any pair can
//! have (`R` = all rounds), the most pairs that can meet at all is the largest `k` for which
//! `k` meet counts in `1..=R` summing to `slots` can reach `shared`; repeats `>= slots - k`.
//!
//! The bounds ignore leads, locks and keep-apart rules, which can only raise the optimum.

use crate::rotation::presence::{restate, Presence};
use crate::rotation::problem::Problem;
use crate::rotation::score::{meet_counts, repeats_of, score};

/// A proven lower bound on repeated pairings for `problem` (history and frozen rounds
/// included, absentees seated nowhere); 0 when the problem is malformed.
///
/// When a plan's repeats reach it, no plan has fewer; `Schedule::optimal` reports that.
pub fn lower_bound(problem: &Problem) -> u64 {
    restate(problem).map_or(0, |presence| Bounds::of(problem, &presence).repeats)
}

/// A proven lower bound on the most times any pair meets in any plan for `problem` (history
/// and frozen rounds included): pigeonhole over each person's meetings, and 2 wherever
/// repeats cannot all be avoided; 0 when the problem is malformed.
pub fn max_meetings_lower_bound(problem: &Problem) -> u32 {
    restate(problem).map_or(0, |presence| Bounds::of(problem, &presence).max_meetings)
}

/// Lower bounds on each part of a plan's score, in the caller's numbering.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Bounds {
    /// Repeated pairings.
    pub repeats: u64,
    /// Most meetings of one pair.
    pub max_meetings: u32,
    /// Soft-rule violations.
    pub soft: u64,
    /// The most meetings per pair the fair objective aims for (`fair_cap`).
    pub fair_cap: u32,
    /// Repeated pairings among plans where no pair meets more than `fair_cap` times.
    pub fair_repeats: u64,
}

impl Bounds {
    /// Bounds for `problem`, whose restatement is `presence`.
    pub fn of(problem: &Problem, presence: &Presence) -> Bounds {
        let dense = &presence.dense;
        // Pairs with an absentee meet no more; what they met before is fixed.
        let all = problem.people;
        let mut held = problem.history.clone();
        held.extend(problem.frozen.iter().cloned());
        let met = meet_counts(all, &held);
        let mut present = vec![false; all];
        for &p in &presence.people {
            present[p] = true;
        }
        let mut fixed_repeats = 0u64;
        let mut fixed_max = 0u32;
        for a in 0..all {
            for b in a + 1..all {
                if !present[a] || !present[b] {
                    let t = met[a * all + b];
                    fixed_repeats += u64::from(t.saturating_sub(1));
                    fixed_max = fixed_max.max(t);
                }
            }
        }
        let frozen_soft = score(problem, &problem.frozen).soft_violations.len() as u64;
        // Pairs with an absentee may already exceed the dense cap; what they met is fixed.
        let cap = fair_cap(dense).max(fixed_max);
        Bounds {
            repeats: repeats_bound(dense) + fixed_repeats,
            max_meetings: max_meetings_bound(dense).max(fixed_max),
            soft: frozen_soft + dense.rounds as u64 * same_org_bound(dense),
            fair_cap: cap,
            fair_repeats: repeats_bound_capped(dense, cap) + fixed_repeats,
        }
    }
}

/// Same-organisation pairs one round must seat together: each organisation spread evenly.
pub(crate) fn same_org_bound(dense: &Problem) -> u64 {
    let mut sorted = dense.orgs.clone();
    sorted.sort_unstable();
    sorted.chunk_by(|a, b| a == b).map(|group| spread(group.len(), dense.rooms)).sum()
}

/// A lower bound on repeated pairings among the people of a restated problem, history
/// included; 0 when a zero-repeat plan might exist.
pub(crate) fn repeats_bound(dense: &Problem) -> u64 {
    repeats_bound_capped(dense, u32::MAX)
}

/// A lower bound on repeated pairings among plans of a restated problem in which no pair
/// meets more than `cap` times: with fewer meetings per pair allowed, the pairs rounds must
/// share are spread over more pairs.
pub(crate) fn repeats_bound_capped(dense: &Problem, cap: u32) -> u64 {
    let history_repeats = repeats_of(dense.people, &meet_counts(dense.people, &dense.history));
    let Some(mut counts) = Counts::of(dense) else {
        return history_repeats;
    };
    counts.rounds = counts.rounds.min(u64::from(cap.max(1)));
    let most_met = most_pairs_met(&counts);
    counts.slots.saturating_sub(most_met).max(history_repeats)
}

/// The most meetings per pair the fair objective aims for: the least any plan needs, raised
/// one step at a time while holding it would provably cost more than one extra repeat per
/// person (over the fewest repeats possible at all). So pairs meet no more often than they
/// must, unless that would take, on average, a whole new face from everyone.
pub(crate) fn fair_cap(dense: &Problem) -> u32 {
    let free = repeats_bound(dense);
    let allowance = dense.people as u64;
    let total_rounds = u32::try_from(dense.history.len() + dense.rounds).unwrap_or(u32::MAX).max(1);
    let mut cap = max_meetings_bound(dense).max(1);
    while cap < total_rounds && repeats_bound_capped(dense, cap) > free + allowance {
        cap += 1;
    }
    cap
}

/// A lower bound on the most times any pair of a restated problem meets, history included.
///
/// Pigeonhole twice: all pair meetings spread over all pairs; and one person's meetings
/// spread over the people they can meet (a lead never meets another lead, so a lead's
/// meetings spread over the others only).
pub(crate) fn max_meetings_bound(dense: &Problem) -> u32 {
    let history = meet_counts(dense.people, &dense.history);
    let mut bound = u64::from(history.iter().copied().max().unwrap_or(0));
    if let Some(counts) = Counts::of(dense) {
        if counts.pairs > 0 {
            bound = bound.max(counts.slots.div_ceil(counts.pairs));
        }
    }
    let n = dense.people;
    let leads = dense.room_leads.iter().take(dense.rooms).flatten().filter(|&&l| l < n).count();
    if leads >= 2 && dense.rooms > 0 && n > leads {
        // A lead sits in a room of at least `n / rooms` people every round.
        let own = dense.rounds as u64 * (n / dense.rooms).saturating_sub(1) as u64;
        let is_lead = |q: usize| dense.room_leads.iter().take(dense.rooms).any(|&l| l == Some(q));
        let lead = (0..n).find(|&q| is_lead(q)).unwrap_or(0);
        let before: u64 = (0..n).filter(|&q| !is_lead(q)).map(|q| u64::from(history[lead * n + q])).sum();
        bound = bound.max((own + before).div_ceil((n - leads) as u64));
    }
    // Pigeonhole over rounds: a person's rooms in k rounds are one of rooms^k sequences, so
    // with more people than that, two share all k rooms and meet k times.
    let mut k = 0u64;
    let mut sequences = 1u64;
    while k < dense.rounds as u64 {
        sequences = sequences.saturating_mul(dense.rooms as u64);
        if sequences >= n as u64 {
            break;
        }
        k += 1;
    }
    bound = bound.max(k);
    if repeats_bound(dense) > 0 {
        bound = bound.max(2);
    }
    u32::try_from(bound).unwrap_or(u32::MAX)
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
        let history: Vec<Vec<usize>> = problem.history.iter().map(|round| history_sizes(n, round)).collect();
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
    (0..rooms).map(|i| n / rooms + usize::from(i < n % rooms)).collect()
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

/// Fewest pairs a room of `size` people spread over `rooms` rooms leaves together.
fn spread(size: usize, rooms: usize) -> u64 {
    let rooms = rooms.max(1);
    let q = size / rooms;
    let r = size % rooms;
    r as u64 * choose2(q + 1) + (rooms - r) as u64 * choose2(q)
}

/// Fewest pairs two partitions with these room sizes can share: each room of one spread as
/// evenly as possible over the rooms of the other (ignoring the other's sizes, which only
/// lowers the figure), taking the better of the two directions.
fn min_shared(a: &[usize], b: &[usize]) -> u64 {
    let spread_all = |rows: &[usize], cols: usize| -> u64 { rows.iter().map(|&s| spread(s, cols)).sum() };
    let cols_a = a.iter().filter(|&&s| s > 0).count().max(1);
    let cols_b = b.iter().filter(|&&s| s > 0).count().max(1);
    spread_all(a, cols_b).max(spread_all(b, cols_a))
}

fn choose2(s: usize) -> u64 {
    let s = s as u64;
    s * s.saturating_sub(1) / 2
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(people: usize, rooms: usize, rounds: usize) -> Problem {
        Problem { people, rooms, rounds, ..Problem::default() }
    }

    #[test]
    fn counting_gives_the_known_bounds() {
        assert_eq!(lower_bound(&plain(18, 3, 3)), 18);
        assert_eq!(lower_bound(&plain(20, 4, 4)), 12);
        assert_eq!(lower_bound(&plain(15, 5, 7)), 0);
        assert_eq!(lower_bound(&plain(15, 5, 8)), 15);
        let second_session = Problem {
            history: vec![vec![(0..6).collect(), (6..12).collect(), (12..18).collect()]],
            ..plain(18, 3, 1)
        };
        assert_eq!(lower_bound(&second_session), 9);
    }

    #[test]
    fn absentees_keep_what_they_met() {
        // 0–1 met twice before and 1 is absent now: that repeat stays. 2–3 also met twice and
        // share the single room again: two repeats.
        let problem = Problem {
            history: vec![vec![vec![0, 1], vec![2, 3]], vec![vec![0, 1], vec![2, 3]]],
            absent: vec![1],
            ..plain(4, 1, 1)
        };
        assert_eq!(lower_bound(&problem), 3);
        let bounds = Bounds::of(&problem, &restate(&problem).unwrap_or_else(|e| panic!("{e}")));
        assert_eq!(bounds.max_meetings, 2, "what history already holds");
    }
}
