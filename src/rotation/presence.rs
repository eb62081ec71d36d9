//! The caller's problem checked in the caller's numbering, then restated over the people
//! present in the rounds still to plan.
//!
//! Construction and search work on people `0..n`, all present, with nothing frozen: absentees
//! are dropped and frozen rounds join the history. Checking first in the caller's numbering
//! keeps error messages about real people and rounds.

use crate::rotation::error::RotationError;
use crate::rotation::problem::{Lock, Problem, Round};

/// A problem restated over present people.
#[derive(Debug, Clone)]
pub(crate) struct Presence {
    /// Caller's index of each present person, ascending.
    pub people: Vec<usize>,
    /// The problem over present people (index `i` is `people[i]`), no absentees, nothing
    /// frozen, `rounds` counting only the rounds still to plan.
    pub dense: Problem,
    /// Rounds frozen: dense round `r` is plan round `r + first_round`.
    pub first_round: usize,
}

/// Checks what can be checked in the caller's numbering and restates the rest.
pub(crate) fn restate(problem: &Problem) -> Result<Presence, RotationError> {
    check(problem)?;
    let all = problem.people;
    let mut present = vec![true; all];
    for &p in &problem.absent {
        present[p] = false;
    }
    let people: Vec<usize> = (0..all).filter(|&p| present[p]).collect();
    let mut dense_of = vec![None; all];
    for (i, &p) in people.iter().enumerate() {
        dense_of[p] = Some(i);
    }
    let first_round = problem.frozen.len();
    let map_pairs = |pairs: &[(usize, usize)]| -> Vec<(usize, usize)> {
        pairs.iter().filter_map(|&(a, b)| Some((dense_of[a]?, dense_of[b]?))).collect()
    };
    let map_round = |round: &Round| -> Round {
        round
            .iter()
            .map(|room| room.iter().filter_map(|&p| dense_of.get(p).copied().flatten()).collect())
            .collect()
    };
    let dense = Problem {
        people: people.len(),
        rooms: problem.rooms,
        rounds: problem.rounds - first_round,
        room_leads: problem.room_leads.iter().map(|lead| lead.and_then(|p| dense_of[p])).collect(),
        orgs: if problem.orgs.is_empty() {
            Vec::new()
        } else {
            people.iter().map(|&p| problem.orgs[p]).collect()
        },
        keep_apart: map_pairs(&problem.keep_apart),
        keep_together: map_pairs(&problem.keep_together),
        locks: problem
            .locks
            .iter()
            .filter(|lock| lock.round >= first_round)
            .filter_map(|lock| {
                Some(Lock {
                    person: dense_of[lock.person]?,
                    round: lock.round - first_round,
                    room: lock.room,
                })
            })
            .collect(),
        absent: Vec::new(),
        history: problem.history.iter().chain(&problem.frozen).map(map_round).collect(),
        frozen: Vec::new(),
        objective: problem.objective,
    };
    Ok(Presence { people, dense, first_round })
}

/// Checks indices, frozen rounds and contradictions between rules, in the caller's numbering.
fn check(problem: &Problem) -> Result<(), RotationError> {
    let n = problem.people;
    let rooms = problem.rooms;
    super::rules::check_shape(problem)?;
    check_frozen(problem)?;
    let mut present = vec![true; n];
    for &person in &problem.absent {
        if person >= n {
            return Err(RotationError::AbsentOutOfRange { person, people: n });
        }
        present[person] = false;
    }
    check_leads(problem)?;
    for lock in &problem.locks {
        if lock.person >= n || lock.round >= problem.rounds || lock.room >= rooms {
            return Err(RotationError::LockOutOfRange {
                person: lock.person,
                round: lock.round,
                room: lock.room,
                people: n,
                rooms,
                rounds: problem.rounds,
            });
        }
        if lock.round >= problem.frozen.len() && !present[lock.person] {
            return Err(RotationError::LockedButAbsent {
                person: lock.person,
                round: lock.round,
                room: lock.room,
            });
        }
    }
    check_pairs(problem)?;
    let seated = present.iter().filter(|&&p| p).count();
    if problem.rounds > problem.frozen.len() && seated < rooms {
        return Err(RotationError::MoreRoomsThanPeople { rooms, people: seated });
    }
    Ok(())
}

/// Frozen rounds must fit the plan and seat real people at most once each.
fn check_frozen(problem: &Problem) -> Result<(), RotationError> {
    let n = problem.people;
    if problem.frozen.len() > problem.rounds {
        return Err(RotationError::TooManyFrozen { frozen: problem.frozen.len(), rounds: problem.rounds });
    }
    for (round, rooms) in problem.frozen.iter().enumerate() {
        let mut seen = vec![false; n];
        for &person in rooms.iter().flatten() {
            if person >= n {
                return Err(RotationError::FrozenPersonOutOfRange { round, person, people: n });
            }
            if std::mem::replace(&mut seen[person], true) {
                return Err(RotationError::FrozenPersonTwice { round, person });
            }
        }
    }
    Ok(())
}

/// Leads must be real people, each leading one existing room.
fn check_leads(problem: &Problem) -> Result<(), RotationError> {
    super::rules::lead_rooms(problem).map(|_| ())
}

/// Pair rules must name real, distinct people and not contradict each other.
fn check_pairs(problem: &Problem) -> Result<(), RotationError> {
    let n = problem.people;
    for (rule, pairs) in [("keep-apart", &problem.keep_apart), ("keep-together", &problem.keep_together)] {
        if let Some(&(a, b)) = pairs.iter().find(|&&(a, b)| a >= n || b >= n) {
            return Err(RotationError::PairOutOfRange { rule: rule.into(), a, b, people: n });
        }
    }
    if let Some(&(person, _)) = problem.keep_apart.iter().find(|&&(a, b)| a == b) {
        return Err(RotationError::KeepApartSelf { person });
    }
    for &(a, b) in &problem.keep_together {
        if a == b {
            continue;
        }
        if let Some(&(x, y)) = problem.keep_apart.iter().find(|&&pair| pair == (a, b) || pair == (b, a)) {
            return Err(RotationError::TogetherAndApart { a, b, reason: format!("keep-apart {x}–{y}") });
        }
        if !problem.orgs.is_empty() && problem.orgs[a] == problem.orgs[b] {
            return Err(RotationError::TogetherAndApart {
                a,
                b,
                reason: format!("both being of organisation {}", problem.orgs[a]),
            });
        }
    }
    Ok(())
}
