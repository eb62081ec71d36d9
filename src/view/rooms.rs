//! The session as a rooms problem, and the rows of the rooms screen.

use crate::model::{Plan, SessionState};
use crate::rotation::session::{IdRound, SessionProblem};
use crate::rotation::Objective;

/// The session as a rotation problem, earlier sessions of the series (`history`) included.
pub fn session_problem(
    plan: &Plan,
    session: &SessionState,
    history: &[IdRound],
    objective: Objective,
) -> SessionProblem {
    SessionProblem::new(plan, &session.rooms, history, objective)
}

/// Rows of the rooms screen: everyone seated this round (room by room), then the people who
/// sit in rooms but are not seated (late, or not yet assigned), each with their room if any.
pub fn room_rows(session: &SessionState, problem: &SessionProblem) -> Vec<(String, Option<usize>)> {
    let mut rows: Vec<(String, Option<usize>)> = Vec::new();
    if let Some(round) = session.rooms.current() {
        for (i, room) in round.rooms.iter().enumerate() {
            rows.extend(room.iter().map(|id| (id.clone(), Some(i))));
        }
    }
    for id in &problem.ids {
        // Those who left or were marked absent stay selectable, so `a` can seat them when they come.
        if !rows.iter().any(|(seated, _)| seated == id) {
            rows.push((id.clone(), None));
        }
    }
    rows
}

/// The objective in words, for the screen.
pub fn objective_label(objective: Objective) -> &'static str {
    match objective {
        Objective::MostNewPairings => "most new pairings (some pairs may meet more often)",
        Objective::EvenSpread => "fair (no pair meets more often than needed)",
    }
}
