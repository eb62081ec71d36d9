//! A problem checked and compiled into tables the construction and search read in O(1).

use crate::rotation::bound::fair_cap;
use crate::rotation::error::RotationError;
use crate::rotation::problem::{Objective, Problem};
use crate::rotation::score::meet_counts;

/// Largest `people` accepted: the pair tables are `people²` entries.
pub const MAX_PEOPLE: usize = 2048;

/// Cap on one pair's cost so totals over every pair stay far from `i64` overflow.
const PAIR_COST_CAP: i64 = 1 << 36;

/// Cap on the weight of one soft violation, for the same reason.
const SOFT_WEIGHT_CAP: i64 = 1 << 24;

/// Hard and soft rules of a problem, as tables.
#[derive(Debug, Clone)]
pub(crate) struct Rules {
    /// People present.
    pub n: usize,
    /// Rooms per round.
    pub rooms: usize,
    /// Planned rounds.
    pub rounds: usize,
    /// Smaller room size: `n = base * rooms + big`.
    pub base: usize,
    /// Rooms per round that hold `base + 1`.
    pub big: usize,
    /// Room each person is fixed to (leads, locks), `rounds × n`.
    pub fixed: Vec<Option<usize>>,
    /// Pairs that must not share a room (keep-apart and hard same-org), `n × n`.
    pub apart: Vec<bool>,
    /// Each person's hard keep-apart partners.
    pub apart_of: Vec<Vec<usize>>,
    /// Extra cost when a pair shares a room in one round (soft same-org positive,
    /// keep-together negative), `n × n`.
    pub together: Vec<i64>,
    /// Constant making `together` costs non-negative: keep-together pairs × rounds × weight.
    pub together_offset: i64,
    /// Cost of one soft-rule violation in one round.
    pub soft_weight: i64,
    /// Meetings per pair in history, `n × n`.
    pub history: Vec<u32>,
    /// Cost of a pair by how often it met (history and plan).
    pub pair_cost: Vec<i64>,
}

impl Rules {
    /// Checks `problem` and builds its tables; `orgs_hard` asks for same-org as a hard rule
    /// wherever leads and locks allow it.
    pub fn compile(problem: &Problem, orgs_hard: bool) -> Result<Rules, RotationError> {
        let n = problem.people;
        let rooms = problem.rooms;
        let rounds = problem.rounds;
        check_shape(problem)?;
        let base = n / rooms;
        let big = n % rooms;
        let fixed = fixed_seats(problem)?;
        let mut apart = vec![false; n * n];
        for &(a, b) in &problem.keep_apart {
            if a >= n || b >= n {
                return Err(RotationError::PairOutOfRange { rule: "keep-apart".into(), a, b, people: n });
            }
            if a == b {
                return Err(RotationError::KeepApartSelf { person: a });
            }
            apart[a * n + b] = true;
            apart[b * n + a] = true;
        }
        check_forced_apart(&fixed, &apart, n, rounds)?;
        check_capacity(&fixed, n, rooms, rounds, base, big)?;

        let pair_cost = pair_costs(problem);
        // One soft violation outweighs every repeat a plan can hold (one per pair slot), so
        // soft rules come first; capped so that totals stay far from overflow.
        let choose2 = |s: usize| (s * s.saturating_sub(1) / 2) as i64;
        let slots_per_round = big as i64 * choose2(base + 1) + (rooms - big) as i64 * choose2(base);
        let soft_weight = (slots_per_round.saturating_mul(rounds as i64) + 1).min(SOFT_WEIGHT_CAP);
        let mut together = vec![0i64; n * n];
        if !problem.orgs.is_empty() {
            let hard_org = hard_orgs(problem, &fixed, orgs_hard);
            for a in 0..n {
                for b in a + 1..n {
                    let org = problem.orgs[a];
                    if org != problem.orgs[b] {
                        continue;
                    }
                    if hard_org(org) {
                        apart[a * n + b] = true;
                        apart[b * n + a] = true;
                    } else {
                        together[a * n + b] += soft_weight;
                        together[b * n + a] += soft_weight;
                    }
                }
            }
        }
        let mut together_offset = 0;
        let mut kept: Vec<(usize, usize)> = Vec::new();
        for &(a, b) in &problem.keep_together {
            if a >= n || b >= n {
                return Err(RotationError::PairOutOfRange { rule: "keep-together".into(), a, b, people: n });
            }
            let key = (a.min(b), a.max(b));
            if a == b || kept.contains(&key) {
                continue;
            }
            kept.push(key);
            together[a * n + b] -= soft_weight;
            together[b * n + a] -= soft_weight;
            together_offset += soft_weight * rounds as i64;
        }
        let apart_of = (0..n).map(|a| (0..n).filter(|&b| apart[a * n + b]).collect()).collect();
        Ok(Rules {
            n,
            rooms,
            rounds,
            base,
            big,
            fixed,
            apart,
            apart_of,
            together,
            together_offset,
            soft_weight,
            history: meet_counts(n, &problem.history),
            pair_cost,
        })
    }

    /// Cost change when a pair that met `meets` times meets once more (`meets + 1` is in range
    /// because the table covers history plus every planned round).
    pub fn gain_cost(&self, meets: u32) -> i64 {
        let m = meets as usize;
        self.pair_cost[m + 1] - self.pair_cost[m]
    }

    /// Cost of one pair that met `meets` times.
    pub fn cost_of(&self, meets: u32) -> i64 {
        self.pair_cost[meets as usize]
    }
}

/// Room of each person in each planned round fixed by leads and locks.
fn fixed_seats(problem: &Problem) -> Result<Vec<Option<usize>>, RotationError> {
    let n = problem.people;
    let rooms = problem.rooms;
    let rounds = problem.rounds;
    let lead_room = lead_rooms(problem)?;
    let mut fixed = vec![None; rounds * n];
    for r in 0..rounds {
        fixed[r * n..(r + 1) * n].copy_from_slice(&lead_room);
    }
    for lock in &problem.locks {
        if lock.person >= n || lock.round >= rounds || lock.room >= rooms {
            return Err(RotationError::LockOutOfRange {
                person: lock.person,
                round: lock.round,
                room: lock.room,
                people: n,
                rooms,
                rounds,
            });
        }
        let seat = &mut fixed[lock.round * n + lock.person];
        match *seat {
            Some(room) if room != lock.room => {
                return Err(match lead_room[lock.person] {
                    Some(leads_room) => RotationError::LeadLockedElsewhere {
                        lead: lock.person,
                        leads_room,
                        locked_room: lock.room,
                        round: lock.round,
                    },
                    None => RotationError::LockedToTwoRooms {
                        person: lock.person,
                        round: lock.round,
                        first: room,
                        second: lock.room,
                    },
                });
            }
            _ => *seat = Some(lock.room),
        }
    }
    Ok(fixed)
}

/// Fails when leads or locks seat a keep-apart pair in one room.
fn check_forced_apart(
    fixed: &[Option<usize>],
    apart: &[bool],
    n: usize,
    rounds: usize,
) -> Result<(), RotationError> {
    for r in 0..rounds {
        let seats = &fixed[r * n..(r + 1) * n];
        for a in 0..n {
            let Some(room) = seats[a] else { continue };
            for b in a + 1..n {
                if seats[b] == Some(room) && apart[a * n + b] {
                    return Err(RotationError::KeepApartForcedTogether { a, b, room, round: r });
                }
            }
        }
    }
    Ok(())
}

/// Fails when leads and locks overfill rooms beyond balanced sizes.
fn check_capacity(
    fixed: &[Option<usize>],
    n: usize,
    rooms: usize,
    rounds: usize,
    base: usize,
    big: usize,
) -> Result<(), RotationError> {
    let capacity = if big > 0 { base + 1 } else { base };
    for r in 0..rounds {
        let mut count = vec![0usize; rooms];
        for room in fixed[r * n..(r + 1) * n].iter().flatten() {
            count[*room] += 1;
        }
        for (room, &fixed) in count.iter().enumerate() {
            if fixed > capacity {
                return Err(RotationError::RoomOverfull { room, round: r, fixed, capacity });
            }
        }
        let filled = count.iter().filter(|&&c| c == base + 1).count();
        if big > 0 && filled > big {
            return Err(RotationError::TooManyFullRooms { round: r, filled, size: base + 1, allowed: big });
        }
    }
    Ok(())
}

/// Which organisations are kept apart as a hard rule: those with no more present members
/// than rooms and no two members fixed to one room.
fn hard_orgs<'a>(
    problem: &'a Problem,
    fixed: &[Option<usize>],
    orgs_hard: bool,
) -> impl Fn(u32) -> bool + 'a {
    let n = problem.people;
    let mut soft: Vec<u32> = Vec::new();
    let mut sorted: Vec<u32> = problem.orgs.clone();
    sorted.sort_unstable();
    for group in sorted.chunk_by(|a, b| a == b) {
        if group.len() > problem.rooms {
            soft.push(group[0]);
        }
    }
    for r in 0..problem.rounds {
        let seats = &fixed[r * n..(r + 1) * n];
        for a in 0..n {
            for b in a + 1..n {
                if seats[a].is_some() && seats[a] == seats[b] && problem.orgs[a] == problem.orgs[b] {
                    soft.push(problem.orgs[a]);
                }
            }
        }
    }
    move |org| orgs_hard && !soft.contains(&org)
}

/// Cost of a pair by meet count, per objective; see `Objective`.
fn pair_costs(problem: &Problem) -> Vec<i64> {
    let n = problem.people;
    let history = meet_counts(n, &problem.history);
    let most = history.iter().copied().max().unwrap_or(0) as usize + problem.rounds + 2;
    let mut costs = vec![0i64; most + 1];
    match problem.objective {
        Objective::MostNewPairings => {
            for (t, cost) in costs.iter_mut().enumerate() {
                *cost = t.saturating_sub(1) as i64;
            }
        }
        Objective::EvenSpread => {
            // One pair meeting beyond the fair cap must outweigh every repeat a plan can hold,
            // and likewise for each higher level: weights grow by the number of pair slots.
            let cap = fair_cap(problem) as usize;
            let slots = (problem.rounds + problem.history.len()) as i64 * (n * n) as i64 + 1;
            let mut level = 0i64;
            let mut weight = slots.clamp(1, PAIR_COST_CAP);
            for (t, cost) in costs.iter_mut().enumerate() {
                if t > cap {
                    level = (level + weight).min(PAIR_COST_CAP);
                    weight = weight.saturating_mul(slots).min(PAIR_COST_CAP);
                }
                *cost = (t.saturating_sub(1) as i64 + level).min(PAIR_COST_CAP);
            }
        }
    }
    costs
}

/// The checks every entry point makes first: rooms exist, the size is within reach, and the
/// organisations list (if given) covers everyone.
pub(crate) fn check_shape(problem: &Problem) -> Result<(), RotationError> {
    let n = problem.people;
    if problem.rooms == 0 {
        return Err(RotationError::NoRooms);
    }
    if n > MAX_PEOPLE {
        return Err(RotationError::TooManyPeople { people: n, max: MAX_PEOPLE });
    }
    if !problem.orgs.is_empty() && problem.orgs.len() != n {
        return Err(RotationError::OrgsLength { given: problem.orgs.len(), people: n });
    }
    Ok(())
}

/// Each person's room as a lead (none for most): leads must be people, one room each, and
/// no more rooms led than there are rooms.
pub(crate) fn lead_rooms(problem: &Problem) -> Result<Vec<Option<usize>>, RotationError> {
    let (n, rooms) = (problem.people, problem.rooms);
    if problem.room_leads.len() > rooms && problem.room_leads[rooms..].iter().any(Option::is_some) {
        return Err(RotationError::MoreLeadsThanRooms {
            leads: problem.room_leads.iter().flatten().count(),
            rooms,
        });
    }
    let mut lead_room: Vec<Option<usize>> = vec![None; n];
    for (room, lead) in problem.room_leads.iter().enumerate().take(rooms) {
        let Some(lead) = *lead else { continue };
        if lead >= n {
            return Err(RotationError::LeadNotPresent { lead, room, people: n });
        }
        if let Some(first) = lead_room[lead] {
            return Err(RotationError::LeadInTwoRooms { lead, first, second: room });
        }
        lead_room[lead] = Some(room);
    }
    Ok(lead_room)
}
