//! The rooms screen's commands: plan a round with the solver, move people by keyboard, seat
//! latecomers where they meet the most new people, and let people leave without a reshuffle.

use std::time::Duration;

use super::action::Effect;
use super::keymap::Command;
use super::state::{AppState, Mode, Severity};
use super::update::record;
use crate::model::Event;
use crate::rotation::session::SessionProblem;
use crate::rotation::Objective;

/// How long the solver may think while the room waits: it stops early at the lower bound.
const SEARCH_BUDGET: Duration = Duration::from_millis(1500);

/// The session as a rotation problem, earlier sessions of the series included.
pub fn session_problem(state: &AppState) -> SessionProblem {
    SessionProblem::new(&state.plan, &state.session.rooms, &state.series_history, state.rooms_objective)
}

/// Rows of the rooms screen: everyone seated this round (room by room), then the people who
/// sit in rooms but are not seated (late, or not yet assigned), each with their room if any.
pub fn rows(state: &AppState) -> Vec<(String, Option<usize>)> {
    rows_of(state, &session_problem(state))
}

/// `rows` with the session's problem already built (the screen builds it once per frame).
pub fn rows_of(state: &AppState, problem: &SessionProblem) -> Vec<(String, Option<usize>)> {
    let mut rows: Vec<(String, Option<usize>)> = Vec::new();
    if let Some(round) = state.session.rooms.current() {
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
        Objective::MostNewPairings => "most new pairings",
        Objective::EvenSpread => "even spread (no pair more often than it must)",
    }
}

fn say(state: &mut AppState, text: impl Into<String>, severity: Severity) {
    state.message = Some((text.into(), severity));
}

fn name(state: &AppState, id: &str) -> String {
    state.plan.participant(id).map_or_else(|| id.to_string(), |p| p.name.clone())
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
        Command::NextRooms | Command::ReplanRound => {
            let problem = session_problem(state);
            let replan = command == Command::ReplanRound && !problem.held.is_empty();
            let seed = problem.held.len() as u64 + 1;
            let planned = if replan {
                problem.replan_current(seed, SEARCH_BUDGET)
            } else {
                problem.plan_rounds(1, seed, SEARCH_BUDGET)
            };
            match planned {
                Ok(schedule) => {
                    let Some(round) = schedule.rounds.last() else { return };
                    let number = if replan { problem.held.len() - 1 } else { problem.held.len() };
                    let event = Event::RoomsAssigned { round: number as u32, rooms: problem.to_ids(round) };
                    if record(state, event, effects) {
                        let verdict = if schedule.optimal { "optimal" } else { "best found" };
                        say(
                            state,
                            format!(
                                "round {} planned: {} repeated pairing(s), {} new ({verdict})",
                                number + 1,
                                schedule.score.repeats,
                                schedule.score.new_pairings
                            ),
                            Severity::Info,
                        );
                    }
                }
                Err(error) => say(state, format!("cannot plan the rooms: {error}"), Severity::Error),
            }
        }
        Command::SwitchObjective => {
            state.rooms_objective = match state.rooms_objective {
                Objective::MostNewPairings => Objective::EvenSpread,
                Objective::EvenSpread => Objective::MostNewPairings,
            };
            let text = format!("rooms will be planned for {}", objective_label(state.rooms_objective));
            say(state, text, Severity::Info);
        }
        Command::Up => state.person_index = state.person_index.saturating_sub(1),
        Command::Down => {
            state.person_index = (state.person_index + 1).min(rows(state).len().saturating_sub(1))
        }
        Command::MoveToRoom => {
            let Some((id, from)) = rows(state).get(state.person_index).cloned() else { return };
            let Some(room) = digit.and_then(|d| d.checked_sub(1)) else { return };
            if room as usize >= state.plan.rooms.len() {
                return say(state, format!("there is no room {}", room + 1), Severity::Warning);
            }
            let event = match from {
                Some(_) => Event::ParticipantMoved { id: id.clone(), room },
                None => Event::ParticipantArrived { id: id.clone(), room },
            };
            if record(state, event, effects) {
                let who = name(state, &id);
                say(state, format!("{who} → {}", state.plan.room_name(Some(room))), Severity::Info);
            }
        }
        Command::Arrive => {
            let Some((id, None)) = rows(state).get(state.person_index).cloned() else {
                return say(
                    state,
                    "select someone not yet in a room (listed below the rooms)",
                    Severity::Info,
                );
            };
            let Some(room) = session_problem(state).best_room(&id) else {
                return say(state, "plan a round first (g)", Severity::Info);
            };
            if record(state, Event::ParticipantArrived { id: id.clone(), room: room as u32 }, effects) {
                let who = name(state, &id);
                say(
                    state,
                    format!("{who} seated in {}: most new faces", state.plan.room_name(Some(room as u32))),
                    Severity::Info,
                );
            }
        }
        Command::Leave => {
            let Some((id, _)) = rows(state).get(state.person_index).cloned() else { return };
            if record(state, Event::ParticipantLeft { id: id.clone() }, effects) {
                let who = name(state, &id);
                say(state, format!("{who} left; everyone else stays where they are"), Severity::Info);
            }
        }
        _ => {}
    }
}
