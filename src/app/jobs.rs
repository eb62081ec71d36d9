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
use crate::rotation::Progress;

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
    /// The most times one pair has met, this round included.
    pub max_meetings: u32,
    /// Proved optimal.
    pub optimal: bool,
    /// Taken before the search had used its time (the best so far).
    pub cut_short: bool,
    /// The rooms it was planned from.
    pub basis: RoomsState,
}

/// How far planning has got, for the screen.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PlanningProgress {
    /// Repeated pairings of the best plan so far.
    pub repeats: u64,
    /// The most times one pair meets in it.
    pub max_meetings: u32,
    /// Share of the time budget used, 0 to 1.
    pub fraction: f64,
}

/// A running planning job: `stop` ends the search (its best plan so far comes back), and
/// `discard` drops whatever comes back.
struct Running {
    stop: Arc<AtomicBool>,
    discard: Arc<AtomicBool>,
}

/// The background jobs of one console.
pub struct Jobs {
    to_app: mpsc::UnboundedSender<Action>,
    running: Vec<Running>,
}

impl Jobs {
    /// Jobs whose results come back on `to_app`.
    pub fn new(to_app: mpsc::UnboundedSender<Action>) -> Jobs {
        Jobs { to_app, running: Vec::new() }
    }

    /// Plan a round on a thread of its own; progress and the result come back as actions.
    pub fn plan_rooms(&mut self, request: RoomsRequest) {
        self.running.retain(|job| !job.stop.load(Ordering::Relaxed));
        let stop = Arc::new(AtomicBool::new(false));
        let discard = Arc::new(AtomicBool::new(false));
        self.running.push(Running { stop: stop.clone(), discard: discard.clone() });
        let to_app = self.to_app.clone();
        std::thread::spawn(move || {
            let mut report = |progress: Progress| {
                if !discard.load(Ordering::Relaxed) {
                    let _ = to_app.send(Action::PlanningProgress(PlanningProgress {
                        repeats: progress.repeats,
                        max_meetings: progress.max_meetings,
                        fraction: progress.fraction,
                    }));
                }
            };
            let outcome = Action::RoomsPlanned(plan(&request, &stop, &mut report).map_err(|e| e.to_string()));
            stop.store(true, Ordering::Relaxed);
            // A discarded plan is dropped here; the screen already moved on.
            if !discard.load(Ordering::Relaxed) {
                let _ = to_app.send(outcome);
            }
        });
    }

    /// A `Tick` after `after`, from the event loop's own timer.
    pub fn wake_in(&self, after: Duration) {
        let to_app = self.to_app.clone();
        tokio::spawn(async move {
            tokio::time::sleep(after).await;
            let _ = to_app.send(Action::Tick);
        });
    }

    /// End planning now and take the best plan found so far.
    pub fn take_best(&mut self) {
        for job in &self.running {
            job.stop.store(true, Ordering::Relaxed);
        }
    }

    /// Stop every running job and drop what it finds.
    pub fn cancel_all(&mut self) {
        for job in self.running.drain(..) {
            job.discard.store(true, Ordering::Relaxed);
            job.stop.store(true, Ordering::Relaxed);
        }
    }
}

/// Plan the round a request asks for, on the calling thread; the action that brings it back.
pub fn plan_rooms(request: &RoomsRequest) -> Action {
    let never = AtomicBool::new(false);
    Action::RoomsPlanned(plan(request, &never, &mut |_| {}).map_err(|error| error.to_string()))
}

fn plan(
    request: &RoomsRequest,
    stop: &AtomicBool,
    progress: &mut dyn FnMut(Progress),
) -> Result<PlannedRound, crate::rotation::RotationError> {
    let problem = &request.problem;
    let replan = request.replan && !problem.held.is_empty();
    let schedule = if replan {
        problem.replan_current_with(request.seed, SEARCH_BUDGET, stop, progress)?
    } else {
        problem.plan_rounds_with(1, request.seed, SEARCH_BUDGET, stop, progress)?
    };
    let round = if replan { problem.held.len() - 1 } else { problem.held.len() };
    let rooms = schedule.rounds.last().map(|r| problem.to_ids(r)).unwrap_or_default();
    Ok(PlannedRound {
        round: round as u32,
        rooms,
        repeats: schedule.score.repeats,
        new_pairings: schedule.score.new_pairings,
        max_meetings: schedule.score.max_meetings,
        optimal: schedule.optimal,
        cut_short: schedule.cancelled,
        basis: request.basis.clone(),
    })
}
