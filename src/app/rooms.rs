//! The rooms screen's commands: plan a round with the solver, move people by keyboard, seat
//! latecomers where they meet the most new people, and let people leave without a reshuffle.

use super::action::Effect;
use super::jobs::{PlannedRound, RoomsRequest};
use super::keymap::Command;
use super::state::{AppState, Mode, Planning, Severity};
use super::update::record;
use crate::model::Event;
use crate::rotation::session::SessionProblem;
use crate::rotation::Objective;
use crate::view::{self, objective_label};

/// The session as a rotation problem, earlier sessions of the series included.
pub fn session_problem(state: &AppState) -> SessionProblem {
    view::session_problem(&state.plan, &state.session, &state.rooms.history, state.rooms.objective)
}

/// Rows of the rooms screen for this console.
pub fn rows(state: &AppState) -> Vec<(String, Option<usize>)> {
    state.rooms_view().rows.clone()
}

/// Keep the highlight on the person just moved, wherever their row went.
fn follow(state: &mut AppState, id: &str) {
    if let Some(index) = rows(state).iter().position(|(row, _)| row == id) {
        state.rooms.person = index;
    }
}

/// A round planned in the background: recorded only if the rooms are as they were when asked.
pub(super) fn planned(state: &mut AppState, result: Result<PlannedRound, String>, effects: &mut Vec<Effect>) {
    if state.rooms.planning.take().is_none() {
        return; // cancelled meanwhile
    }
    let planned = match result {
        Ok(planned) => planned,
        Err(error) => return say(state, format!("cannot plan the rooms: {error}"), Severity::Error),
    };
    if planned.basis != state.session.rooms {
        let text = "the rooms changed while planning, so the plan was not used: press g again";
        return say(state, text, Severity::Warning);
    }
    let event = Event::RoomsAssigned { round: planned.round, rooms: planned.rooms };
    if record(state, event, effects) {
        let verdict = match (planned.optimal, planned.cut_short) {
            (true, _) => "optimal",
            (false, true) => "best so far, taken early",
            (false, false) => "best found",
        };
        let text = format!(
            "round {} planned: {} repeated pairing(s), no pair more than {}×, {} new ({verdict})",
            planned.round + 1,
            planned.repeats,
            planned.max_meetings,
            planned.new_pairings
        );
        say(state, text, Severity::Info);
    }
}

fn say(state: &mut AppState, text: impl Into<String>, severity: Severity) {
    state.message = Some((text.into(), severity));
}

fn name(state: &AppState, id: &str) -> String {
    view::display_name(&state.plan, id).to_string()
}

/// Seat `id` in `room` (a move if they are in a room now, else an arrival).
pub(super) fn move_person(
    state: &mut AppState,
    id: &str,
    seated: bool,
    room: u32,
    effects: &mut Vec<Effect>,
) {
    let event = if seated {
        Event::ParticipantMoved { id: id.to_string(), room }
    } else {
        Event::ParticipantArrived { id: id.to_string(), room }
    };
    if record(state, event, effects) {
        follow(state, id);
        let who = name(state, id);
        say(state, format!("{who} → {}", state.plan.room_name(Some(room))), Severity::Info);
    }
}

/// Plan the next round (or the current one again) in the background.
pub(super) fn start_planning(state: &mut AppState, replan: bool, effects: &mut Vec<Effect>) {
    if let Some(planning) = &state.rooms.planning {
        let text = format!("already planning round {} (Esc cancels)", planning.round + 1);
        return say(state, text, Severity::Info);
    }
    let problem = state.rooms_view().problem.clone();
    let replan = replan && !problem.held.is_empty();
    let round = if replan { problem.held.len() - 1 } else { problem.held.len() };
    state.rooms.planning = Some(Planning { round: round as u32, replan, started: state.now, progress: None });
    let request = RoomsRequest {
        seed: problem.held.len() as u64 + 1,
        problem,
        replan,
        basis: state.session.rooms.clone(),
    };
    effects.push(Effect::PlanRooms(Box::new(request)));
}

/// Carry out a rooms command; `digit` is the room key pressed for a move.
pub(super) fn run(state: &mut AppState, command: Command, digit: Option<u32>, effects: &mut Vec<Effect>) {
    match command {
        Command::RoomsScreen => {
            state.mode = Mode::Rooms;
            if state.plan.rooms.is_empty() {
                say(state, "the plan has no rooms: add them to the file", Severity::Warning);
            }
        }
        Command::ReplanRound if state.session.rooms.current().is_some() && state.rooms.planning.is_none() => {
            // Planning over a round that exists replaces it: asked in words first.
            state.overlay = Some(super::state::Overlay::ConfirmReplan);
        }
        Command::NextRooms | Command::ReplanRound => {
            start_planning(state, command == Command::ReplanRound, effects)
        }
        Command::CancelPlanning => match state.rooms.planning.take() {
            Some(planning) => {
                effects.push(Effect::CancelPlanning);
                say(state, format!("planning round {} cancelled", planning.round + 1), Severity::Info);
            }
            None => state.mode = Mode::Capture,
        },
        Command::TakeBestPlan if state.rooms.planning.is_some() => {
            effects.push(Effect::TakeBestPlan);
            say(state, "taking the best plan found so far", Severity::Info);
        }
        Command::CopyRound => {
            let Some(round) = state.session.rooms.current() else {
                return say(state, "plan a round first (g)", Severity::Info);
            };
            let number = state.session.rooms.rounds.len();
            let text = view::chat_text(&state.plan, state.session.people(), number, &round.rooms);
            let lines = text.lines().count();
            effects.push(Effect::Copy(text));
            say(
                state,
                format!("round {number} copied ({lines} lines): paste it into the call's chat"),
                Severity::Info,
            );
        }
        Command::SwitchObjective => {
            state.rooms.objective = match state.rooms.objective {
                Objective::MostNewPairings => Objective::EvenSpread,
                Objective::EvenSpread => Objective::MostNewPairings,
            };
            let text = format!("next rounds: {}", objective_label(state.rooms.objective));
            say(state, text, Severity::Info);
        }
        Command::Up => state.rooms.person = state.rooms.person.saturating_sub(1),
        Command::Down => {
            state.rooms.person = (state.rooms.person + 1).min(rows(state).len().saturating_sub(1))
        }
        Command::MoveToRoom => {
            let Some((id, from)) = rows(state).get(state.rooms.person).cloned() else { return };
            let Some(room) = digit.and_then(|d| d.checked_sub(1)) else { return };
            if room as usize >= state.plan.rooms.len() {
                return say(state, format!("there is no room {}", room + 1), Severity::Warning);
            }
            let leads = from.and_then(|f| state.plan.rooms.get(f)).and_then(|r| r.lead.as_deref());
            if leads == Some(id.as_str()) && from != Some(room as usize) {
                // A room without its lead has nobody to run it: asked in words first.
                state.overlay = Some(super::state::Overlay::ConfirmMoveLead { id, room });
                return;
            }
            move_person(state, &id, from.is_some(), room, effects);
        }
        Command::Arrive => {
            let Some((id, None)) = rows(state).get(state.rooms.person).cloned() else {
                return say(
                    state,
                    "select someone not yet in a room (listed below the rooms)",
                    Severity::Info,
                );
            };
            let Some(room) = state.rooms_view().problem.best_room(&id) else {
                return say(state, "plan a round first (g)", Severity::Info);
            };
            if record(state, Event::ParticipantArrived { id: id.clone(), room: room as u32 }, effects) {
                follow(state, &id);
                let who = name(state, &id);
                say(
                    state,
                    format!("{who} seated in {}: most new faces", state.plan.room_name(Some(room as u32))),
                    Severity::Info,
                );
            }
        }
        Command::Leave => {
            let Some((id, _)) = rows(state).get(state.rooms.person).cloned() else { return };
            if record(state, Event::ParticipantLeft { id: id.clone() }, effects) {
                let who = name(state, &id);
                say(state, format!("{who} left; everyone else stays where they are"), Severity::Info);
            }
        }
        _ => {}
    }
}
