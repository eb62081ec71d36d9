//! People arriving late or leaving early while a plan runs: small edits that leave everyone
//! else where they are, so rooms already announced stay true.

use crate::rotation::problem::{Problem, Round};
use crate::rotation::score::meet_counts;

/// The room of `planned[round]` (the whole plan, frozen rounds first) where a late arrival
/// `person` adds the most new pairings, among rooms that keep
/// the hard rules (their lead room, locks, keep-apart) and size balance as far as possible.
///
/// Preference order: hard rules held, then the smallest rooms (so sizes stay within one), then
/// no same-organisation room-mate, then most people never met (history and other planned
/// rounds), then the lowest index. Returns 0 when the round has no rooms or is out of range.
pub fn best_room_for(problem: &Problem, planned: &[Round], round: usize, person: usize) -> usize {
    let Some(rooms) = planned.get(round) else {
        return 0;
    };
    if rooms.is_empty() {
        return 0;
    }
    if let Some(room) = required_room(problem, round, person) {
        if room < rooms.len() {
            return room;
        }
    }
    let n = problem.people.max(person + 1);
    let mut met = meet_counts(n, &problem.history);
    let others: Vec<Round> =
        planned.iter().enumerate().filter(|&(r, _)| r != round).map(|(_, rounds)| rounds.clone()).collect();
    for (a, b) in meet_counts(n, &others).into_iter().enumerate() {
        met[a] += b;
    }
    // Sizes without the person, in case they are already listed.
    let sizes: Vec<usize> = rooms.iter().map(|room| room.iter().filter(|&&p| p != person).count()).collect();
    let smallest = sizes.iter().copied().min().unwrap_or(0);
    let org = |p: usize| problem.orgs.get(p).copied();
    let apart = |a: usize, b: usize| {
        problem.keep_apart.iter().any(|&(x, y)| (x == a && y == b) || (x == b && y == a))
    };
    let lead_elsewhere = |room: usize, p: usize| {
        problem.room_leads.iter().enumerate().any(|(i, lead)| i != room && *lead == Some(p))
    };
    (0..rooms.len())
        .max_by_key(|&room| {
            let mates: Vec<usize> = rooms[room].iter().copied().filter(|&p| p != person).collect();
            let hard_ok = mates.iter().all(|&m| !apart(person, m)) && !lead_elsewhere(room, person);
            let balanced = sizes[room] == smallest;
            let org_ok = org(person).is_none_or(|o| mates.iter().all(|&m| org(m) != Some(o)));
            let new = mates.iter().filter(|&&m| m < n && met[person * n + m] == 0).count();
            (hard_ok, balanced, org_ok, new, usize::MAX - room)
        })
        .unwrap_or(0)
}

/// The room a lead or lock fixes `person` to in `round`, if any.
fn required_room(problem: &Problem, round: usize, person: usize) -> Option<usize> {
    problem
        .locks
        .iter()
        .find(|lock| lock.person == person && lock.round == round)
        .map(|lock| lock.room)
        .or_else(|| problem.room_leads.iter().position(|&lead| lead == Some(person)))
}

/// The plan with `person` taken out of every round from `from_round` on, everyone else left
/// where they were. Room sizes may then differ by two; re-plan the rest (with the earlier rounds
/// frozen and `person` absent) to even them out.
pub fn without_person(planned: &[Round], from_round: usize, person: usize) -> Vec<Round> {
    planned
        .iter()
        .enumerate()
        .map(|(r, round)| {
            if r < from_round {
                return round.clone();
            }
            round.iter().map(|room| room.iter().copied().filter(|&p| p != person).collect()).collect()
        })
        .collect()
}
