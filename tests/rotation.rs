//! Breakout-room rotation: properties of `solve` on random instances, and worked examples
//! (known designs, infeasible rules, re-planning after absences and late arrivals).
#![allow(clippy::unwrap_used, clippy::panic)] // a test fails by panicking

use convene::rotation::{
    best_room_for, lower_bound, max_meetings_lower_bound, new_faces, parse_instances, score, solve,
    solve_with, without_person, zero_repeat_design, InstancesError, Lock, Objective, Problem, RotationError,
    Round, Schedule, SoftViolation, SolveOptions,
};
use proptest::prelude::*;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// Options whose result depends only on the seed: the iteration cap ends the search long
/// before the time budget could.
fn capped(seed: u64, max_iterations: u64) -> SolveOptions {
    SolveOptions { seed, time_budget: Duration::from_secs(120), max_iterations: Some(max_iterations) }
}

/// A seating of `present` into `rooms` balanced rooms with present leads in their rooms.
fn witness_round(rng: &mut ChaCha8Rng, present: &[usize], rooms: usize, leads: &[Option<usize>]) -> Round {
    let base = present.len() / rooms;
    let mut capacity = vec![base; rooms];
    let mut order: Vec<usize> = (0..rooms).collect();
    order.shuffle(rng);
    for &room in order.iter().take(present.len() % rooms) {
        capacity[room] += 1;
    }
    let mut round: Round = vec![Vec::new(); rooms];
    let mut others = Vec::new();
    for &p in present {
        match leads.iter().position(|&lead| lead == Some(p)) {
            Some(room) => round[room].push(p),
            None => others.push(p),
        }
    }
    others.shuffle(rng);
    for p in others {
        // Leads take one seat of a room holding at least one, so a room with space exists.
        let room = (0..rooms)
            .find(|&room| round[room].len() < capacity[room])
            .expect("balanced capacities seat everyone");
        round[room].push(p);
    }
    round
}

/// A random problem that a seating is known to satisfy: leads, locks and keep-apart pairs are
/// drawn from a witness seating, so every hard rule can hold.
fn feasible_problem(seed: u64) -> Problem {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let people = rng.random_range(1..=18);
    let mut absent: Vec<usize> = (0..people).filter(|_| rng.random_bool(0.15)).collect();
    let rooms = rng.random_range(1..=people - absent.len().min(people - 1));
    if people - absent.len() < rooms {
        absent.clear();
    }
    let present: Vec<usize> = (0..people).filter(|p| !absent.contains(p)).collect();
    let rounds: usize = rng.random_range(0..=5);
    // Mostly something left to plan, sometimes everything already held.
    let frozen_count =
        if rng.random_bool(0.1) { rounds } else { rng.random_range(0..=rounds.saturating_sub(1)) };
    // Leads may be absent: their rooms then have none.
    let mut room_leads = vec![None; rooms];
    for room in 0..rooms {
        let p = rng.random_range(0..people);
        if rng.random_bool(0.3) && !room_leads.contains(&Some(p)) {
            room_leads[room] = Some(p);
        }
    }
    let orgs = if rng.random_bool(0.5) {
        Vec::new()
    } else {
        let kinds = people as u32 / 2 + 1;
        (0..people).map(|_| rng.random_range(0..kinds)).collect()
    };
    let frozen: Vec<Round> = (0..frozen_count)
        .map(|_| {
            let mut round: Round = vec![Vec::new(); rooms];
            for p in 0..people {
                if rng.random_bool(0.8) {
                    round[rng.random_range(0..rooms)].push(p);
                }
            }
            round
        })
        .collect();
    let witness: Vec<Round> =
        (frozen_count..rounds).map(|_| witness_round(&mut rng, &present, rooms, &room_leads)).collect();
    let room_in = |round: &Round, p: usize| round.iter().position(|room| room.contains(&p));
    let mut locks = Vec::new();
    for (i, round) in witness.iter().enumerate() {
        for &p in &present {
            if rng.random_bool(0.1) {
                if let Some(room) = room_in(round, p) {
                    locks.push(Lock { person: p, round: frozen_count + i, room });
                }
            }
        }
    }
    // Locks on frozen rounds are ignored, whatever they say.
    if frozen_count > 0 && rng.random_bool(0.3) {
        locks.push(Lock {
            person: rng.random_range(0..people),
            round: rng.random_range(0..frozen_count),
            room: rng.random_range(0..rooms),
        });
    }
    let mut keep_apart = Vec::new();
    let mut keep_together = Vec::new();
    if people >= 2 {
        for _ in 0..rng.random_range(0..4) {
            let a = rng.random_range(0..people);
            let b = rng.random_range(0..people);
            let apart_in_witness = witness
                .iter()
                .all(|round| room_in(round, a).is_none() || room_in(round, a) != room_in(round, b));
            if a != b && apart_in_witness {
                keep_apart.push((a, b));
            }
        }
        for _ in 0..rng.random_range(0..3) {
            let a = rng.random_range(0..people);
            let b = rng.random_range(0..people);
            let apart = keep_apart.contains(&(a, b)) || keep_apart.contains(&(b, a));
            let same_org = !orgs.is_empty() && orgs[a] == orgs[b];
            if a != b && !apart && !same_org {
                keep_together.push((a, b));
            }
        }
    }
    let history: Vec<Round> = (0..rng.random_range(0..2))
        .map(|_| witness_round(&mut rng, &(0..people).collect::<Vec<_>>(), rooms, &[]))
        .collect();
    Problem {
        people,
        rooms,
        rounds,
        room_leads,
        orgs,
        keep_apart,
        keep_together,
        locks,
        absent,
        history,
        frozen,
        objective: if rng.random_bool(0.5) { Objective::MostNewPairings } else { Objective::EvenSpread },
    }
}

/// Checks every promise `solve` makes about its result; returns the first broken one.
fn broken_promise(problem: &Problem, schedule: &Schedule) -> Option<String> {
    let frozen = problem.frozen.len();
    if schedule.rounds.len() != problem.rounds {
        return Some(format!("{} rounds, not {}", schedule.rounds.len(), problem.rounds));
    }
    if schedule.rounds[..frozen] != problem.frozen[..] {
        return Some("frozen rounds changed".into());
    }
    for (r, round) in schedule.rounds.iter().enumerate().skip(frozen) {
        if round.len() != problem.rooms {
            return Some(format!("round {r} has {} rooms", round.len()));
        }
        let mut seats = vec![0; problem.people];
        for &p in round.iter().flatten() {
            if p >= problem.people {
                return Some(format!("round {r} seats unknown person {p}"));
            }
            seats[p] += 1;
        }
        for (p, &count) in seats.iter().enumerate() {
            let expected = usize::from(!problem.absent.contains(&p));
            if count != expected {
                return Some(format!("round {r}: person {p} seated {count} times"));
            }
        }
        let sizes: Vec<usize> = round.iter().map(Vec::len).collect();
        let (min, max) = (sizes.iter().min()?, sizes.iter().max()?);
        if max - min > 1 {
            return Some(format!("round {r}: room sizes {sizes:?}"));
        }
        for (room, lead) in problem.room_leads.iter().enumerate() {
            if let Some(lead) = *lead {
                if !problem.absent.contains(&lead) && !round[room].contains(&lead) {
                    return Some(format!("round {r}: lead {lead} not in room {room}"));
                }
            }
        }
        for lock in problem.locks.iter().filter(|lock| lock.round == r) {
            if !round[lock.room].contains(&lock.person) {
                return Some(format!("lock {lock:?} broken"));
            }
        }
        for &(a, b) in &problem.keep_apart {
            if round.iter().any(|room| room.contains(&a) && room.contains(&b)) {
                return Some(format!("round {r}: keep-apart {a}–{b} together"));
            }
        }
    }
    if schedule.score != score(problem, &schedule.rounds) {
        return Some("reported score differs from the recomputed one".into());
    }
    if schedule.lower_bound != lower_bound(problem) {
        return Some("reported bound differs from lower_bound()".into());
    }
    if schedule.score.repeats < schedule.lower_bound {
        return Some(format!(
            "repeats {} beat the lower bound {}",
            schedule.score.repeats, schedule.lower_bound
        ));
    }
    if schedule.max_meetings_bound != max_meetings_lower_bound(problem) {
        return Some("reported max-meetings bound differs from max_meetings_lower_bound()".into());
    }
    if schedule.score.max_meetings < schedule.max_meetings_bound {
        return Some(format!(
            "a pair meets at most {} times, below the bound {}",
            schedule.score.max_meetings, schedule.max_meetings_bound
        ));
    }
    if schedule.fair_cap < schedule.max_meetings_bound || schedule.fair_repeats_bound < schedule.lower_bound {
        return Some("the fair targets lie below the bounds".into());
    }
    if schedule.score.max_meetings <= schedule.fair_cap
        && schedule.score.repeats < schedule.fair_repeats_bound
    {
        return Some(format!(
            "repeats {} beat the bound {} for plans within the fair cap",
            schedule.score.repeats, schedule.fair_repeats_bound
        ));
    }
    if schedule.optimal {
        let proved = match problem.objective {
            Objective::MostNewPairings => schedule.score.repeats == schedule.lower_bound,
            Objective::EvenSpread => {
                schedule.score.max_meetings <= schedule.fair_cap
                    && schedule.score.repeats == schedule.fair_repeats_bound
            }
        };
        if !proved {
            return Some("optimal claimed above the bound".into());
        }
    }
    None
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn solved_plans_keep_every_promise(seed in any::<u64>()) {
        let problem = feasible_problem(seed);
        let schedule = solve(&problem, &capped(seed, 400));
        prop_assert!(schedule.is_ok(), "{:?} for {:?}", schedule, problem);
        let schedule = schedule.unwrap();
        let broken = broken_promise(&problem, &schedule);
        prop_assert!(broken.is_none(), "{:?}\n{:?}\n{:?}", broken, problem, schedule.rounds);
    }

    #[test]
    fn same_seed_and_iteration_cap_give_the_same_plan(seed in any::<u64>()) {
        let problem = feasible_problem(seed);
        let first = solve(&problem, &capped(seed ^ 1, 300));
        let second = solve(&problem, &capped(seed ^ 1, 300));
        prop_assert_eq!(first, second);
    }

    #[test]
    fn a_late_arrival_is_seated_without_breaking_balance(seed in any::<u64>()) {
        let problem = feasible_problem(seed);
        let schedule = solve(&problem, &capped(seed, 100)).unwrap();
        let frozen = problem.frozen.len();
        if problem.rounds == frozen {
            return Ok(());
        }
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let round = rng.random_range(frozen..problem.rounds);
        let movable: Vec<usize> = (0..problem.people)
            .filter(|&p| !problem.absent.contains(&p))
            .filter(|&p| !problem.room_leads.contains(&Some(p)))
            .filter(|&p| !problem.locks.iter().any(|l| l.person == p && l.round == round))
            .collect();
        if movable.is_empty() {
            return Ok(());
        }
        let person = movable[rng.random_range(0..movable.len())];
        let mut rounds = without_person(&schedule.rounds, round, person);
        prop_assert!(rounds[round].iter().all(|room| !room.contains(&person)));
        prop_assert_eq!(&rounds[..round], &schedule.rounds[..round]);
        rounds.truncate(round + 1);
        let room = best_room_for(&problem, &rounds, round, person);
        prop_assert!(room < problem.rooms);
        rounds[round][room].push(person);
        let sizes: Vec<usize> = rounds[round].iter().map(Vec::len).collect();
        prop_assert!(sizes.iter().max().unwrap() - sizes.iter().min().unwrap() <= 1, "{:?}", sizes);
        for &(a, b) in &problem.keep_apart {
            prop_assert!(!rounds[round][room].contains(&a) || !rounds[round][room].contains(&b));
        }
    }
}

#[test]
fn kirkman_schoolgirls_meet_without_repeats() {
    // Speed is measured by rotation-bench, not here.
    let problem = Problem { people: 15, rooms: 5, rounds: 7, ..Problem::default() };
    let schedule = solve(&problem, &SolveOptions::default()).unwrap();
    assert_eq!(broken_promise(&problem, &schedule), None);
    assert_eq!(schedule.score.repeats, 0);
    assert_eq!(schedule.score.max_meetings, 1);
    assert_eq!(schedule.score.new_pairings, 105);
    assert!(schedule.optimal);
}

#[test]
fn thirty_two_people_in_eight_rooms_of_four_meet_without_repeats_for_nine_rounds() {
    for rounds in [8, 9] {
        let problem = Problem { people: 32, rooms: 8, rounds, ..Problem::default() };
        let schedule = solve(&problem, &SolveOptions::default()).unwrap();
        assert_eq!(broken_promise(&problem, &schedule), None);
        assert_eq!(schedule.score.repeats, 0, "{rounds} rounds");
        assert!(schedule.optimal);
    }
}

#[test]
fn every_reference_instance_meets_its_reference() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/benches/rotation/instances.ron");
    let text = std::fs::read_to_string(path).unwrap();
    let instances = parse_instances(&text).unwrap();
    assert_eq!(instances.len(), 22);
    for instance in instances {
        // The default objective, fair, against Good-Enough Golfers on both of its measures.
        let problem = instance.problem();
        let schedule = solve(&problem, &capped(7, 20_000)).unwrap();
        assert_eq!(broken_promise(&problem, &schedule), None, "{}", instance.name);
        let reference = instance.reference.unwrap();
        let reference_max = instance.reference_max_pair.unwrap();
        assert!(
            schedule.score.repeats <= reference && schedule.score.max_meetings <= reference_max,
            "{}: {} repeats, a pair {} times; reference {reference}, {reference_max}",
            instance.name,
            schedule.score.repeats,
            schedule.score.max_meetings,
        );
        if let Some(optimum) = instance.optimum {
            assert!(schedule.lower_bound <= optimum, "{}", instance.name);
        }
    }
}

#[test]
fn even_spread_trades_repeats_for_no_pair_meeting_thrice() {
    // 20 in 4×5 over 4 rounds: 12 repeats needs four pairs meeting every round, while no
    // pair meeting more than twice costs 24 repeats.
    let fewest = Problem {
        people: 20,
        rooms: 4,
        rounds: 4,
        objective: Objective::MostNewPairings,
        ..Problem::default()
    };
    let schedule = solve(&fewest, &capped(3, 50_000)).unwrap();
    assert_eq!(schedule.score.repeats, 12);
    let even = Problem { objective: Objective::EvenSpread, ..fewest };
    let schedule = solve(&even, &capped(3, 50_000)).unwrap();
    assert_eq!(broken_promise(&even, &schedule), None);
    assert_eq!(schedule.score.max_meetings, 2);
    assert!(schedule.score.repeats >= 24);
}

#[test]
fn history_counts_as_already_met() {
    let problem = Problem {
        people: 18,
        rooms: 3,
        rounds: 1,
        history: vec![vec![(0..6).collect(), (6..12).collect(), (12..18).collect()]],
        ..Problem::default()
    };
    let schedule = solve(&problem, &capped(1, 10_000)).unwrap();
    // Each new room of 6 takes two people from each earlier room: 3 repeats per room.
    assert_eq!(schedule.score.repeats, 9);
    assert_eq!(schedule.lower_bound, 9);
    assert!(schedule.optimal);
}

#[test]
fn infeasible_rules_are_named() {
    let base = Problem {
        people: 9,
        rooms: 3,
        rounds: 2,
        room_leads: vec![Some(0), Some(1), Some(2)],
        ..Problem::default()
    };
    let fails = |problem: Problem| solve(&problem, &capped(0, 100)).unwrap_err();

    let error = fails(Problem { locks: vec![Lock { person: 1, round: 0, room: 0 }], ..base.clone() });
    assert_eq!(
        error,
        RotationError::LeadLockedElsewhere { lead: 1, leads_room: 1, locked_room: 0, round: 0 }
    );
    assert!(error.to_string().contains("lead 1"));

    let error = fails(Problem { room_leads: vec![Some(0), Some(0), None], ..base.clone() });
    assert!(matches!(error, RotationError::LeadInTwoRooms { lead: 0, .. }));

    let error = fails(Problem { locks: vec![Lock { person: 5, round: 1, room: 3 }], ..base.clone() });
    assert!(matches!(error, RotationError::LockOutOfRange { room: 3, .. }));
    assert!(error.to_string().contains("room 3"));

    let error = fails(Problem { people: 2, room_leads: Vec::new(), ..base.clone() });
    assert_eq!(error, RotationError::MoreRoomsThanPeople { rooms: 3, people: 2 });

    let error = fails(Problem { keep_apart: vec![(4, 5)], keep_together: vec![(5, 4)], ..base.clone() });
    assert!(matches!(error, RotationError::TogetherAndApart { a: 5, b: 4, .. }));
    assert!(error.to_string().contains("keep-apart 4–5"), "{error}");

    let error = fails(Problem {
        keep_apart: vec![(0, 7)],
        locks: vec![Lock { person: 7, round: 1, room: 0 }],
        ..base.clone()
    });
    assert_eq!(error, RotationError::KeepApartForcedTogether { a: 0, b: 7, room: 0, round: 1 });

    let error = fails(Problem {
        locks: (3..6).map(|person| Lock { person, round: 0, room: 2 }).collect(),
        ..base.clone()
    });
    assert!(matches!(error, RotationError::RoomOverfull { room: 2, round: 0, fixed: 4, capacity: 3 }));

    // Person 5 must avoid both leads, and there is no room without one.
    let error = fails(Problem {
        people: 6,
        rooms: 2,
        room_leads: vec![Some(0), Some(1)],
        keep_apart: vec![(5, 0), (5, 1)],
        ..base.clone()
    });
    assert_eq!(error, RotationError::NoSeat { person: 5, round: 0 });

    let error =
        fails(Problem { frozen: vec![vec![vec![0, 1, 2], vec![3, 4, 5], vec![6, 7, 8]]; 3], ..base.clone() });
    assert_eq!(error, RotationError::TooManyFrozen { frozen: 3, rounds: 2 });

    let error =
        fails(Problem { absent: vec![4], locks: vec![Lock { person: 4, round: 1, room: 1 }], ..base });
    assert_eq!(error, RotationError::LockedButAbsent { person: 4, round: 1, room: 1 });
}

#[test]
fn same_organisation_is_soft_when_it_cannot_hold() {
    // Four people of organisation 7 and only three rooms: two of them must share.
    let problem = Problem {
        people: 12,
        rooms: 3,
        rounds: 2,
        orgs: vec![7, 7, 7, 7, 1, 2, 3, 4, 5, 6, 8, 9],
        ..Problem::default()
    };
    let schedule = solve(&problem, &capped(5, 5_000)).unwrap();
    assert_eq!(broken_promise(&problem, &schedule), None);
    let shared: Vec<&SoftViolation> = schedule.score.soft_violations.iter().collect();
    assert_eq!(shared.len(), 2, "{shared:?}");
    assert!(shared.iter().all(|v| matches!(v, SoftViolation::SameOrganisation { org: 7, .. })));

    // Three people of one organisation and three rooms: kept apart every round.
    let problem = Problem { orgs: vec![7, 7, 7, 1, 1, 2, 3, 4, 5, 6, 8, 9], ..problem };
    let schedule = solve(&problem, &capped(5, 5_000)).unwrap();
    assert!(schedule.score.soft_violations.is_empty());
}

#[test]
fn replanning_keeps_held_rounds_and_seats_only_those_present() {
    let plan = Problem {
        people: 16,
        rooms: 4,
        rounds: 4,
        room_leads: vec![Some(0), None, Some(2), None],
        ..Problem::default()
    };
    let first = solve(&plan, &capped(11, 20_000)).unwrap();
    assert_eq!(first.score.repeats, 0);

    // Two rounds held; person 9 has left and person 16 arrives for the rest.
    let replan = Problem { people: 17, absent: vec![9], frozen: first.rounds[..2].to_vec(), ..plan };
    let second = solve(&replan, &capped(11, 20_000)).unwrap();
    assert_eq!(broken_promise(&replan, &second), None);
    assert_eq!(&second.rounds[..2], &first.rounds[..2]);
    for round in &second.rounds[2..] {
        assert!(round.iter().all(|room| !room.contains(&9)));
        assert!(round.iter().any(|room| room.contains(&16)));
        assert!(round[0].contains(&0) && round[2].contains(&2));
    }
    assert!(second.score.repeats >= second.lower_bound);
}

#[test]
fn late_arrivals_and_departures_leave_others_in_place() {
    let problem = Problem { people: 9, rooms: 3, rounds: 2, ..Problem::default() };
    let rounds: Vec<Round> =
        vec![vec![vec![0, 1, 2], vec![3, 4, 5], vec![6, 7]], vec![vec![0, 3, 6], vec![1, 4, 7], vec![2, 5]]];
    // Person 8 arrives late: the smallest room, where everyone is new to them.
    assert_eq!(best_room_for(&problem, &rounds, 1, 8), 2);
    let faces = new_faces(&problem, &rounds, 1, 0);
    assert_eq!(faces, vec![(0, 2), (3, 2), (6, 2)]);

    let left = without_person(&rounds, 1, 4);
    assert_eq!(left[0], rounds[0]);
    assert_eq!(left[1], vec![vec![0, 3, 6], vec![1, 7], vec![2, 5]]);

    // Met 1 and 2 before, so person 0 sees nobody new in a room with them again.
    let again: Vec<Round> = vec![rounds[0].clone(), rounds[0].clone()];
    assert_eq!(new_faces(&problem, &again, 1, 0), vec![(0, 0), (1, 0), (2, 0)]);
}

#[test]
fn instance_files_report_where_they_are_wrong() {
    let error = parse_instances("[\n  (name: \"a\", people: 4, rooms: 2,\n   rounds: x)\n]").unwrap_err();
    assert!(matches!(error, InstancesError::Syntax { line: 3, .. }), "{error:?}");
    assert!(error.to_string().starts_with("line 3"));
    let twice = "[(name: \"a\", people: 4, rooms: 2, rounds: 1, lower_bound: 0, optimum: None, reference: 0),\
                  (name: \"a\", people: 4, rooms: 2, rounds: 1, lower_bound: 0, optimum: None, reference: 0)]";
    assert!(matches!(parse_instances(twice), Err(InstancesError::DuplicateName { .. })));
}

/// Every seating of `people` into `rooms` balanced, labelled rooms.
fn all_rounds(people: usize, rooms: usize) -> Vec<Round> {
    fn extend(next: usize, people: usize, big_left: usize, round: &mut Round, all: &mut Vec<Round>) {
        if next == people {
            all.push(round.clone());
            return;
        }
        let base = people / round.len();
        for room in 0..round.len() {
            let len = round[room].len();
            let big = len == base;
            if len < base || (big && big_left > 0) {
                round[room].push(next);
                extend(next + 1, people, big_left - usize::from(big), round, all);
                round[room].pop();
            }
        }
    }
    let mut all = Vec::new();
    extend(0, people, people % rooms, &mut vec![Vec::new(); rooms], &mut all);
    all
}

/// Fewest repeats over every plan, by enumeration; the first round is fixed when there is no
/// history, since relabelling people maps any first round to any other.
fn true_optimum(problem: &Problem) -> u64 {
    let seatings = all_rounds(problem.people, problem.rooms);
    let free = if problem.history.is_empty() { problem.rounds - 1 } else { problem.rounds };
    let mut plan: Vec<Round> = vec![seatings[0].clone(); problem.rounds];
    let mut best = u64::MAX;
    let mut index = vec![0usize; free];
    loop {
        for (slot, &i) in index.iter().enumerate() {
            plan[problem.rounds - free + slot] = seatings[i].clone();
        }
        best = best.min(score(problem, &plan).repeats);
        let Some(slot) = (0..free).rev().find(|&s| index[s] + 1 < seatings.len()) else {
            return best;
        };
        index[slot] += 1;
        index[slot + 1..].iter_mut().for_each(|i| *i = 0);
    }
}

/// The least "most meetings of one pair" over every plan, by enumeration (first round fixed,
/// as relabelling people maps any first round to any other; no history).
fn least_max_meetings(problem: &Problem) -> u32 {
    let seatings = all_rounds(problem.people, problem.rooms);
    let free = problem.rounds - 1;
    let mut plan: Vec<Round> = vec![seatings[0].clone(); problem.rounds];
    let mut best = u32::MAX;
    let mut index = vec![0usize; free];
    loop {
        for (slot, &i) in index.iter().enumerate() {
            plan[1 + slot] = seatings[i].clone();
        }
        best = best.min(score(problem, &plan).max_meetings);
        let Some(slot) = (0..free).rev().find(|&s| index[s] + 1 < seatings.len()) else {
            return best;
        };
        index[slot] += 1;
        index[slot + 1..].iter_mut().for_each(|i| *i = 0);
    }
}

#[test]
fn lower_bound_never_exceeds_the_true_optimum_of_small_instances() {
    let mut checked = 0;
    for people in 2..=8 {
        for rooms in 1..=people.min(4) {
            let count = all_rounds(people, rooms).len();
            for rounds in 1..=3 {
                for with_history in [false, true] {
                    let free = if with_history { rounds } else { rounds - 1 };
                    if count.pow(free as u32) > 60_000 {
                        continue;
                    }
                    let history = if with_history {
                        let mut rng = ChaCha8Rng::seed_from_u64((people * 100 + rooms * 10 + rounds) as u64);
                        let everyone: Vec<usize> = (0..people).collect();
                        vec![witness_round(&mut rng, &everyone, rooms.max(2).min(people), &[])]
                    } else {
                        Vec::new()
                    };
                    let problem = Problem {
                        people,
                        rooms,
                        rounds,
                        history,
                        objective: Objective::MostNewPairings,
                        ..Problem::default()
                    };
                    let optimum = true_optimum(&problem);
                    let bound = lower_bound(&problem);
                    assert!(bound <= optimum, "{problem:?}: bound {bound} > optimum {optimum}");
                    let schedule = solve(&problem, &capped(1, 3_000)).unwrap();
                    assert_eq!(schedule.score.repeats, optimum, "{problem:?}");
                    assert_eq!(schedule.optimal, optimum == bound, "{problem:?}");
                    checked += 1;
                }
            }
        }
    }
    assert!(checked >= 100, "{checked}");
}

/// Checks, pair by pair, that `design` seats `0..people` once per round in `rooms` rooms of
/// equal size and that no two people share a room twice.
fn verified_zero_repeat(people: usize, rooms: usize, design: &[Round]) -> Result<(), String> {
    let mut met = vec![false; people * people];
    for (r, round) in design.iter().enumerate() {
        if round.len() != rooms {
            return Err(format!("round {r} has {} rooms", round.len()));
        }
        let mut seen = vec![false; people];
        for room in round {
            if room.len() != people / rooms {
                return Err(format!("round {r}: room {room:?}"));
            }
            for (i, &a) in room.iter().enumerate() {
                if a >= people || std::mem::replace(&mut seen[a], true) {
                    return Err(format!("round {r}: person {a} out of range or seated twice"));
                }
                for &b in &room[i + 1..] {
                    if std::mem::replace(&mut met[a * people + b], true) {
                        return Err(format!("{a} and {b} meet twice"));
                    }
                    met[b * people + a] = true;
                }
            }
        }
        if seen.iter().any(|&s| !s) {
            return Err(format!("round {r} leaves someone out"));
        }
    }
    Ok(())
}

#[test]
fn every_construction_is_verified_pair_by_pair_for_every_shape_it_claims() {
    let mut shapes = Vec::new();
    for people in 4..=130 {
        for rooms in (1..people).filter(|r| people % r == 0) {
            let Some(design) = zero_repeat_design(people, rooms) else { continue };
            assert!(!design.is_empty(), "{people} in {rooms}");
            if let Err(e) = verified_zero_repeat(people, rooms, &design) {
                panic!("{people} in {rooms} rooms: {e}");
            }
            shapes.push((people, rooms, design.len()));
        }
    }
    // Complete designs where theory promises them: Kirkman triple systems ((v-1)/2 rounds),
    // affine planes over GF(q) (q + 1 rounds), resolvable (v, 4, 1) designs ((v-1)/3 rounds).
    for expected in [
        (9, 3, 4),
        (15, 5, 7),
        (21, 7, 10),
        (27, 9, 13),
        (33, 11, 16),
        (39, 13, 19),
        (45, 15, 22),
        (51, 17, 25),
        (57, 19, 28),
        (16, 4, 5),
        (49, 7, 8),
        (64, 8, 9),
        (81, 9, 10),
        (121, 11, 12),
        (28, 7, 9),
        (40, 10, 13),
        (64, 16, 21),
        // Doubled designs: 32 golfers in fours for 10 rounds, 18 in threes for 8.
        (32, 8, 10),
        (18, 6, 8),
    ] {
        assert!(shapes.contains(&expected), "{expected:?} missing from {shapes:?}");
    }
}

#[test]
fn thirty_two_golfers_play_ten_rounds_in_fours_and_nobody_meets_twice() {
    for objective in [Objective::FAIR, Objective::MostNewPairings] {
        for rounds in [8, 9, 10] {
            let problem = Problem { people: 32, rooms: 8, rounds, objective, ..Problem::default() };
            let schedule = solve(&problem, &capped(1, 1_000)).unwrap();
            assert_eq!(broken_promise(&problem, &schedule), None);
            assert_eq!(
                verified_zero_repeat(32, 8, &schedule.rounds),
                Ok(()),
                "{rounds} rounds, {objective:?}"
            );
            assert_eq!(schedule.score.repeats, 0);
            assert!(schedule.optimal && schedule.iterations == 0, "from the design alone");
        }
    }
}

#[test]
fn kirkman_triple_systems_plan_without_repeats() {
    for (people, rooms, rounds) in [(21, 7, 10), (33, 11, 16), (28, 7, 9), (20, 7, 10)] {
        let problem = Problem { people, rooms, rounds, ..Problem::default() };
        let schedule = solve(&problem, &capped(1, 1_000)).unwrap();
        assert_eq!(broken_promise(&problem, &schedule), None);
        assert_eq!(schedule.score.repeats, 0, "{people} in {rooms} for {rounds}");
        assert!(schedule.optimal);
    }
}

#[test]
fn leads_sit_in_their_rooms_in_a_designed_plan() {
    // 49 in 7 rooms of 7 with 7 leads: the affine plane of order 7 keeps one line of leads apart.
    let problem = Problem {
        people: 49,
        rooms: 7,
        rounds: 7,
        room_leads: (0..7).map(Some).collect(),
        ..Problem::default()
    };
    let schedule = solve(&problem, &capped(1, 1_000)).unwrap();
    assert_eq!(broken_promise(&problem, &schedule), None);
    assert_eq!(schedule.score.repeats, 0);
    // 21 in 7 rooms of 3 with 7 leads: KTS(21)'s first three rounds keep one level apart.
    let problem = Problem {
        people: 21,
        rooms: 7,
        rounds: 3,
        room_leads: (0..7).map(Some).collect(),
        ..Problem::default()
    };
    let schedule = solve(&problem, &capped(1, 0)).unwrap();
    assert_eq!(broken_promise(&problem, &schedule), None);
    assert_eq!(schedule.score.repeats, 0, "from the design alone");
}

#[test]
fn fair_keeps_every_pair_within_the_least_possible_where_most_new_piles_up() {
    // 30 in 5 rooms of 6, 5 leads, 4 rounds: fewest repeats (15) needs pairs meeting 4 times;
    // fair holds every pair to 2 meetings, at the fewest repeats that allows (30), and proves it.
    let base = Problem {
        people: 30,
        rooms: 5,
        rounds: 4,
        room_leads: (0..5).map(Some).collect(),
        ..Problem::default()
    };
    let fair = solve(&base, &capped(2, 20_000)).unwrap();
    assert_eq!(broken_promise(&base, &fair), None);
    assert_eq!((fair.score.max_meetings, fair.score.repeats), (2, 30));
    assert!(fair.optimal);
    let most_new = Problem { objective: Objective::MostNewPairings, ..base };
    let piled = solve(&most_new, &capped(2, 20_000)).unwrap();
    assert_eq!(piled.score.repeats, 15);
    assert!(piled.score.max_meetings > 2);
}

#[test]
fn fair_lets_a_pair_meet_once_more_when_holding_the_line_costs_everyone_a_new_face() {
    // 24 in 4 rooms of 6 for 6 rounds: no pair meeting thrice costs at least 120 repeats (each
    // two rounds share 8 pairs), against 84 at best: the fair cap rises to 3.
    let problem = Problem { people: 24, rooms: 4, rounds: 6, ..Problem::default() };
    let schedule = solve(&problem, &capped(3, 20_000)).unwrap();
    assert_eq!(broken_promise(&problem, &schedule), None);
    assert_eq!((schedule.max_meetings_bound, schedule.fair_cap), (2, 3));
    assert!(schedule.score.max_meetings <= 3);
    assert!(schedule.score.repeats < 118, "{} repeats", schedule.score.repeats);
}

#[test]
fn a_cancelled_plan_is_the_best_so_far_and_says_so() {
    let problem = Problem { people: 48, rooms: 8, rounds: 10, ..Problem::default() };
    let options = SolveOptions { seed: 4, time_budget: Duration::from_secs(600), max_iterations: None };
    let cancel = AtomicBool::new(false);
    let mut reports = Vec::new();
    // Cancel from the progress callback, as a UI thread would from a key press.
    let schedule = solve_with(&problem, &options, &cancel, &mut |progress| {
        reports.push(progress);
        cancel.store(true, Ordering::Relaxed);
    })
    .unwrap();
    assert!(schedule.cancelled);
    assert_eq!(broken_promise(&problem, &schedule), None);
    let last = reports.last().copied().unwrap();
    assert_eq!(last.fraction, 1.0);
    assert_eq!((last.repeats, last.max_meetings), (schedule.score.repeats, schedule.score.max_meetings));
    assert!(reports.iter().all(|p| (0.0..=1.0).contains(&p.fraction)));

    // From another thread, with the flag shared.
    let flag = std::sync::Arc::new(AtomicBool::new(true));
    let worker = {
        let flag = std::sync::Arc::clone(&flag);
        std::thread::spawn(move || solve_with(&problem, &options, &flag, &mut |_| {}))
    };
    let schedule = worker.join().unwrap().unwrap();
    assert!(schedule.cancelled && schedule.iterations == 0);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// The default plan keeps every pair within the bound of the criterion it puts first: its
    /// cap, or the least any plan can do where the cap (a counting bound) is out of reach, found
    /// by trying every plan of these small shapes.
    #[test]
    fn the_fair_default_meets_no_pair_beyond_its_cap(
        people in 3usize..=8,
        rooms in 2usize..=3,
        rounds in 1usize..=3,
        seed in any::<u64>(),
    ) {
        prop_assume!(people >= rooms);
        let problem = Problem { people, rooms, rounds, ..Problem::default() };
        prop_assume!(all_rounds(people, rooms).len().pow(rounds as u32 - 1) <= 40_000);
        let schedule = solve(&problem, &capped(seed, 3_000)).unwrap();
        prop_assert_eq!(broken_promise(&problem, &schedule), None);
        let least = least_max_meetings(&problem);
        prop_assert!(schedule.max_meetings_bound <= least);
        prop_assert!(
            schedule.score.max_meetings <= schedule.fair_cap.max(least),
            "{:?}: a pair meets {} times, cap {}, least possible {}",
            problem, schedule.score.max_meetings, schedule.fair_cap, least
        );
    }

    /// 32 golfers over 10 rounds with up to two of them absent and up to two leads: still a
    /// valid plan with no repeat at all (the search alone left 16 before the doubled design).
    /// Absentees and leads are the twins of the doubled design, the only pairs never seated
    /// together, so more than two of either fall back to the search.
    #[test]
    fn thirty_two_golfers_with_absences_or_leads_still_meet_nobody_twice(
        seed in 0u64..1_000,
        absent in 0usize..=2,
        leads in 0usize..=2,
        rounds in 8usize..=10,
    ) {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut people: Vec<usize> = (0..32).collect();
        people.shuffle(&mut rng);
        let mut room_leads = vec![None; 8];
        for (i, &lead) in people[..leads].iter().enumerate() {
            room_leads[(i * 5 + seed as usize) % 8] = Some(lead);
        }
        let problem = Problem {
            people: 32,
            rooms: 8,
            rounds,
            room_leads,
            absent: people[leads..leads + absent].to_vec(),
            ..Problem::default()
        };
        let schedule = solve(&problem, &capped(seed, 2_000)).unwrap();
        prop_assert_eq!(broken_promise(&problem, &schedule), None);
        prop_assert_eq!(schedule.score.repeats, 0, "{:?}", problem);
    }

    /// Every construction claimed for a random prime-power shape holds pair by pair.
    #[test]
    fn random_field_shapes_hold_pair_by_pair(q in prop::sample::select(vec![2usize, 3, 4, 5, 7, 8, 9, 11, 13, 16]), n in 2usize..=3) {
        let people = q.pow(n as u32);
        prop_assume!(people <= 400);
        let design = zero_repeat_design(people, people / q);
        prop_assert!(design.is_some(), "AG({}, {})", n, q);
        let design = design.unwrap();
        prop_assert_eq!(design.len(), (people - 1) / (q - 1));
        prop_assert_eq!(verified_zero_repeat(people, people / q, &design), Ok(()));
    }
}
