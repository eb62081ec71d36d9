//! Slow work off the UI loop. Room planning runs on a thread of its own while the screen, the
//! clock and joiners are served as usual; its result comes back as an action, and `update`
//! applies it only if the rooms have not changed since it was asked for.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::mpsc;

use super::Action;
use crate::model::RoomsState;
use crate::rotation::session::{IdRound, SessionProblem};

/// How long the solver may think: it stops early at the lower bound.
pub const SEARCH_BUDGET: Duration = Duration::from_millis(1500);

/// A round to plan, and what it was planned from.
#[derive(Debug, Clone)]
pub struct RoomsRequest {
    /// The session as a rotation problem.
    pub problem: SessionProblem,
    /// Plan the current round again rather than the next.
    pub replan: bool,
    /// The solver's seed (the round's number, so a plan is reproducible).
    pub seed: u64,
    /// The rooms as they were when planning was asked for.
    pub basis: RoomsState,
}

// Two requests are the same request when they plan the same round from the same rooms.
impl PartialEq for RoomsRequest {
    fn eq(&self, other: &Self) -> bool {
        self.replan == other.replan
            && self.seed == other.seed
            && self.basis == other.basis
            && self.problem.ids == other.problem.ids
    }
}

/// A planned round, ready to record.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedRound {
    /// The round's number in the session, from 0.
    pub round: u32,
    /// Rooms by participant id.
    pub rooms: IdRound,
    /// Repeated pairings, counted over the series.
    pub repeats: u64,
    /// Pairs meeting for the first time.
    pub new_pairings: u64,
    /// Proved optimal.
    pub optimal: bool,
    /// The rooms it was planned from.
    pub basis: RoomsState,
}

/// The background jobs of one console.
pub struct Jobs {
    to_app: mpsc::UnboundedSender<Action>,
    cancel: Vec<Arc<AtomicBool>>,
}

impl Jobs {
    /// Jobs whose results come back on `to_app`.
    pub fn new(to_app: mpsc::UnboundedSender<Action>) -> Jobs {
        Jobs { to_app, cancel: Vec::new() }
    }

    /// Plan a round on a thread of its own.
    pub fn plan_rooms(&mut self, request: RoomsRequest) {
        self.cancel.retain(|flag| !flag.load(Ordering::Relaxed));
        let cancelled = Arc::new(AtomicBool::new(false));
        self.cancel.push(cancelled.clone());
        let to_app = self.to_app.clone();
        std::thread::spawn(move || {
            let outcome = plan_rooms(&request);
            // A cancelled plan is dropped here; the screen already moved on.
            if !cancelled.swap(true, Ordering::Relaxed) {
                let _ = to_app.send(outcome);
            }
        });
    }

    /// Stop waiting for every running job.
    pub fn cancel_all(&mut self) {
        for flag in self.cancel.drain(..) {
            flag.store(true, Ordering::Relaxed);
        }
    }
}

/// Plan the round a request asks for, on the calling thread; the action that brings it back.
pub fn plan_rooms(request: &RoomsRequest) -> Action {
    Action::RoomsPlanned(plan(request).map_err(|error| error.to_string()))
}

fn plan(request: &RoomsRequest) -> Result<PlannedRound, crate::rotation::RotationError> {
    let problem = &request.problem;
    let replan = request.replan && !problem.held.is_empty();
    let schedule = if replan {
        problem.replan_current(request.seed, SEARCH_BUDGET)?
    } else {
        problem.plan_rounds(1, request.seed, SEARCH_BUDGET)?
    };
    let round = if replan { problem.held.len() - 1 } else { problem.held.len() };
    let rooms = schedule.rounds.last().map(|r| problem.to_ids(r)).unwrap_or_default();
    Ok(PlannedRound {
        round: round as u32,
        rooms,
        repeats: schedule.score.repeats,
        new_pairings: schedule.score.new_pairings,
        optimal: schedule.optimal,
        basis: request.basis.clone(),
    })
}
