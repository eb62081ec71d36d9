//! A session's people and rooms as a rotation problem: participant ids become indices, the
//! plan's room leads are fixed to their rooms, organisations are kept apart, and the rounds
//! already held (earlier sessions of the series, then this one) are the pairing history.

use std::collections::HashMap;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use super::{
    best_room_for, new_faces, score, solve, solve_with, Objective, PairingHistory, Problem, Progress,
    RotationError, Round, Schedule, Score, SolveOptions,
};
use crate::model::{Plan, Role, RoomsState};

/// Rooms by participant id, as the log records them.
pub type IdRound = Vec<Vec<String>>;

/// The mapping between a session and the solver.
#[derive(Debug, Clone)]
pub struct SessionProblem {
    /// Participant ids by solver index: the people who sit in rooms.
    pub ids: Vec<String>,
    index: HashMap<String, usize>,
    /// Rounds of earlier sessions in the series, by index.
    pub earlier: Vec<Round>,
    /// Rounds held in this session so far, by index.
    pub held: Vec<Round>,
    /// The problem with no rounds to plan yet; `plan_rounds` fills in what varies.
    pub base: Problem,
}

impl SessionProblem {
    /// Partners and room leads rotate; the facilitator and note-takers stay in the plenary.
    /// Only people present are seated (see [`crate::model::PeopleState::expected_here`]).
    pub fn new(
        plan: &Plan,
        rooms: &RoomsState,
        earlier: &PairingHistory,
        objective: Objective,
    ) -> SessionProblem {
        // Walk-ins and deputies added at the door sit in rooms like anyone on the list.
        let people = &rooms.people;
        let ids: Vec<String> = people
            .roster(plan)
            .filter(|p| matches!(p.role, Role::Partner | Role::RoomLead))
            .map(|p| p.id.clone())
            .collect();
        let index: HashMap<String, usize> = ids.iter().enumerate().map(|(i, id)| (id.clone(), i)).collect();
        let mut org_numbers: HashMap<&str, u32> = HashMap::new();
        let orgs = ids
            .iter()
            .map(|id| {
                // No organisation given: their own, so nobody is kept apart by accident.
                let org = people.person(plan, id).map_or("", |p| p.org.as_str());
                let key = if org.trim().is_empty() { id.as_str() } else { org };
                let next = org_numbers.len() as u32;
                *org_numbers.entry(key).or_insert(next)
            })
            .collect();
        let room_leads =
            plan.rooms.iter().map(|r| r.lead.as_deref().and_then(|l| index.get(l).copied())).collect();
        let to_round = |round: &IdRound| -> Round {
            round.iter().map(|room| room.iter().filter_map(|id| index.get(id).copied()).collect()).collect()
        };
        let earlier = earlier.rounds().map(to_round).collect();
        let held = rooms.rounds.iter().map(|r| to_round(&r.rooms)).collect();
        // Only people present are seated: once a roll call has begun, those not checked in
        // (or arrived, or added) are absent; before it, everyone listed and not gone counts.
        let absent = ids
            .iter()
            .enumerate()
            .filter(|(_, id)| rooms.left.contains(*id) || !people.expected_here(id))
            .map(|(i, _)| i)
            .collect();
        let base = Problem {
            people: ids.len(),
            rooms: plan.rooms.len(),
            rounds: 0,
            room_leads,
            orgs,
            absent,
            objective,
            ..Problem::default()
        };
        SessionProblem { ids, index, earlier, held, base }
    }

    /// The solver index of a participant, if they sit in rooms.
    pub fn index(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }

    /// A round by participant id.
    pub fn to_ids(&self, round: &Round) -> IdRound {
        round.iter().map(|room| room.iter().map(|&i| self.ids[i].clone()).collect()).collect()
    }

    /// The problem of planning `rounds` more rounds after the first `held` rounds of this session.
    pub fn problem(&self, held: usize, rounds: usize) -> Problem {
        let mut history = self.earlier.clone();
        history.extend(self.held.iter().take(held).cloned());
        Problem { rounds, history, ..self.base.clone() }
    }

    /// Plan `rounds` rounds after everything held so far.
    pub fn plan_rounds(&self, rounds: usize, seed: u64, budget: Duration) -> Result<Schedule, RotationError> {
        let options = SolveOptions { seed, time_budget: budget, max_iterations: None };
        solve(&self.problem(self.held.len(), rounds), &options)
    }

    /// `plan_rounds` for a worker thread: stops soon after `cancel` is set with the best plan
    /// so far (`Schedule::cancelled`), reporting progress on the way; see `solve_with`.
    pub fn plan_rounds_with(
        &self,
        rounds: usize,
        seed: u64,
        budget: Duration,
        cancel: &AtomicBool,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<Schedule, RotationError> {
        let options = SolveOptions { seed, time_budget: budget, max_iterations: None };
        solve_with(&self.problem(self.held.len(), rounds), &options, cancel, progress)
    }

    /// `replan_current` for a worker thread; see `plan_rounds_with`.
    pub fn replan_current_with(
        &self,
        seed: u64,
        budget: Duration,
        cancel: &AtomicBool,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<Schedule, RotationError> {
        let options = SolveOptions { seed, time_budget: budget, max_iterations: None };
        solve_with(&self.problem(self.held.len().saturating_sub(1), 1), &options, cancel, progress)
    }

    /// Plan the current round again (everything before it stays as history).
    pub fn replan_current(&self, seed: u64, budget: Duration) -> Result<Schedule, RotationError> {
        let options = SolveOptions { seed, time_budget: budget, max_iterations: None };
        solve(&self.problem(self.held.len().saturating_sub(1), 1), &options)
    }

    /// The room where a late arrival meets the most new people in the current round.
    pub fn best_room(&self, id: &str) -> Option<usize> {
        let person = self.index(id)?;
        let current = self.held.last()?.clone();
        let problem = self.problem(self.held.len() - 1, 1);
        Some(best_room_for(&problem, &[current], 0, person))
    }

    /// For each room of round `round` of this session: each member and how many of their
    /// room-mates they meet for the first time (earlier sessions included).
    pub fn new_faces(&self, round: usize) -> Vec<Vec<(String, usize)>> {
        let problem = self.problem(0, self.held.len());
        let rooms = self.held.get(round).map_or(0, |r| r.len());
        (0..rooms)
            .map(|room| {
                new_faces(&problem, &self.held, round, room)
                    .into_iter()
                    .map(|(person, count)| (self.ids[person].clone(), count))
                    .collect()
            })
            .collect()
    }

    /// The score of this session's rounds so far, earlier sessions counted as history.
    pub fn score_so_far(&self) -> Score {
        score(&self.problem(0, self.held.len()), &self.held)
    }
}
