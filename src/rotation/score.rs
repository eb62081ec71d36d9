//! How good a plan is, recomputed from scratch with history included.

use crate::rotation::problem::{Problem, Round};
use serde::{Deserialize, Serialize};

/// A soft rule a plan breaks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum SoftViolation {
    /// A keep-together pair sits in different rooms in a planned round.
    Separated {
        /// Planned round.
        round: usize,
        /// First person.
        a: usize,
        /// Second person.
        b: usize,
    },
    /// Two people of one organisation share a room in a planned round.
    SameOrganisation {
        /// Planned round.
        round: usize,
        /// First person.
        a: usize,
        /// Second person.
        b: usize,
        /// Their organisation.
        org: u32,
    },
}

/// Quality of a plan.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Score {
    /// Sum over pairs of meetings beyond the first, history and plan together.
    pub repeats: u64,
    /// Pairs meeting in the plan (frozen rounds included) that never met in history.
    pub new_pairings: u64,
    /// Most times any pair sits together, history included (the fairness measure: nobody is
    /// stuck with one person more often than this).
    pub max_meetings: u32,
    /// Seats, over the rounds scored, of people who meet nobody new in that round: every
    /// room-mate met before (history and earlier rounds included). People alone are not counted.
    pub nobody_new: u64,
    /// Soft rules the plan breaks.
    pub soft_violations: Vec<SoftViolation>,
}

/// Meet counts of every pair over `rounds`, ignoring indices `>= people`.
pub(crate) fn meet_counts(people: usize, rounds: &[Round]) -> Vec<u32> {
    let mut meets = vec![0u32; people * people];
    for round in rounds {
        for room in round {
            for (i, &a) in room.iter().enumerate() {
                for &b in &room[i + 1..] {
                    if a < people && b < people && a != b {
                        meets[a * people + b] += 1;
                        meets[b * people + a] += 1;
                    }
                }
            }
        }
    }
    meets
}

/// Repeated pairings within a meet-count table.
pub(crate) fn repeats_of(people: usize, meets: &[u32]) -> u64 {
    let mut repeats = 0;
    for a in 0..people {
        for b in a + 1..people {
            repeats += u64::from(meets[a * people + b].saturating_sub(1));
        }
    }
    repeats
}

/// Score of the plan's `rounds` (frozen ones first, as `solve` returns them) for `problem`,
/// recomputed from scratch with history included; indices `>= problem.people` are ignored.
pub fn score(problem: &Problem, rounds: &[Round]) -> Score {
    let n = problem.people;
    let past = meet_counts(n, &problem.history);
    let planned = meet_counts(n, rounds);
    let mut result = Score::default();
    for a in 0..n {
        for b in a + 1..n {
            let before = past[a * n + b];
            let now = planned[a * n + b];
            let total = before + now;
            result.repeats += u64::from(total.saturating_sub(1));
            result.max_meetings = result.max_meetings.max(total);
            if before == 0 && now > 0 {
                result.new_pairings += 1;
            }
        }
    }
    result.soft_violations = soft_violations(problem, rounds);
    result.nobody_new = nobody_new(n, past, rounds);
    result
}

/// Seats whose every room-mate was met before, given the meetings before `rounds`.
fn nobody_new(n: usize, mut met: Vec<u32>, rounds: &[Round]) -> u64 {
    let mut count = 0;
    for round in rounds {
        for room in round {
            let seated: Vec<usize> = room.iter().copied().filter(|&p| p < n).collect();
            if seated.len() < 2 {
                continue;
            }
            count += seated.iter().filter(|&&p| seated.iter().all(|&q| q == p || met[p * n + q] > 0)).count()
                as u64;
        }
        // Meetings of this round count only for the rounds after it.
        for room in round {
            for (i, &a) in room.iter().enumerate() {
                for &b in &room[i + 1..] {
                    if a < n && b < n && a != b {
                        met[a * n + b] += 1;
                        met[b * n + a] += 1;
                    }
                }
            }
        }
    }
    count
}

/// Soft rules broken in the planned rounds, in round order.
fn soft_violations(problem: &Problem, rounds: &[Round]) -> Vec<SoftViolation> {
    let n = problem.people;
    let mut found = Vec::new();
    for (r, round) in rounds.iter().enumerate() {
        let mut room_of = vec![usize::MAX; n];
        for (room, members) in round.iter().enumerate() {
            for &p in members {
                if p < n {
                    room_of[p] = room;
                }
            }
        }
        let mut seen = Vec::new();
        for &(a, b) in &problem.keep_together {
            let key = (a.min(b), a.max(b));
            if a >= n || b >= n || a == b || seen.contains(&key) {
                continue;
            }
            seen.push(key);
            // Someone not seated this round (absent, arrived later) cannot be kept with anyone.
            let seated = room_of[a] != usize::MAX && room_of[b] != usize::MAX;
            if seated && room_of[a] != room_of[b] {
                found.push(SoftViolation::Separated { round: r, a: key.0, b: key.1 });
            }
        }
        if problem.orgs.len() == n {
            for members in round {
                for (i, &a) in members.iter().enumerate() {
                    for &b in &members[i + 1..] {
                        if a < n && b < n && a != b && problem.orgs[a] == problem.orgs[b] {
                            found.push(SoftViolation::SameOrganisation {
                                round: r,
                                a: a.min(b),
                                b: a.max(b),
                                org: problem.orgs[a],
                            });
                        }
                    }
                }
            }
        }
    }
    found
}

/// For each member of room `room` in `rounds[round]`, in room order: how many of their
/// room-mates they meet there for the first time (never in `problem.history` nor in
/// `rounds[..round]`). Pass the whole plan, frozen rounds first. Empty if out of range.
pub fn new_faces(problem: &Problem, rounds: &[Round], round: usize, room: usize) -> Vec<(usize, usize)> {
    let Some(members) = rounds.get(round).and_then(|r| r.get(room)) else {
        return Vec::new();
    };
    let n = problem.people.max(members.iter().map(|&p| p + 1).max().unwrap_or(0));
    let mut met = meet_counts(n, &problem.history);
    for (slot, count) in met.iter_mut().zip(meet_counts(n, &rounds[..round])) {
        *slot += count;
    }
    members
        .iter()
        .map(|&p| {
            let fresh = members.iter().filter(|&&q| q != p && met[p * n + q] == 0).count();
            (p, fresh)
        })
        .collect()
}
