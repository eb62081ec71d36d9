//! People at the console: the roll call (present / absent for each expected person, quick
//! while people introduce themselves), walk-ins and deputies added by name and organisation,
//! the participation view, and the base a decision is counted against.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::Effect;
use super::keymap::Command;
use super::state::{AppState, Mode, Severity};
use super::update::record;
use crate::model::{DecisionBase, Event, Participant, Status};
use crate::people::{fold_name, slug};

/// What the check-in screen shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum View {
    /// Everyone expected, with their status.
    #[default]
    RollCall,
    /// Comments and dots per person and organisation (the facilitator's eyes only).
    Participation,
}

/// What is being typed on the check-in screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Typing {
    /// Part of a name, to find someone (accents and case aside).
    Find(String),
    /// "Name, Organisation" of a walk-in; a deputy stands in for this participant id.
    WalkIn {
        /// Typed so far.
        text: String,
        /// The person they stand in for.
        deputy_for: Option<String>,
    },
}

/// The check-in screen's own state (never logged).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckIn {
    /// Selected row of the roll call.
    pub index: usize,
    /// Typing a name to find, or a walk-in.
    pub typing: Option<Typing>,
    /// Roll call or participation.
    pub view: View,
    /// A new decision counts only the organisations present (else all partner organisations).
    pub decide_on_present: bool,
}

/// The rows of the roll call: everyone on the list and everyone added at the door.
pub fn roster(state: &AppState) -> Vec<&Participant> {
    state.session.people().roster(&state.plan).collect()
}

/// Rows whose name contains `filter`, accents and case aside, in roster order.
pub fn find(state: &AppState, filter: &str) -> Vec<usize> {
    let filter = fold_name(filter);
    roster(state)
        .iter()
        .enumerate()
        .filter(|(_, p)| fold_name(&p.name).contains(&filter) || fold_name(&p.org).contains(&filter))
        .map(|(i, _)| i)
        .collect()
}

/// The screen's line saying who room planning counts on.
pub fn planning_note(state: &AppState) -> &'static str {
    if state.session.people().roll_call {
        "Rooms seat only people present (checked in, arrived or added)."
    } else {
        "No check-in yet: rooms count everyone on the list as present."
    }
}

fn say(state: &mut AppState, text: impl Into<String>, severity: Severity) {
    state.message = Some((text.into(), severity));
}

fn selected(state: &AppState) -> Option<(String, String)> {
    roster(state).get(state.checkin.index).map(|p| (p.id.clone(), p.name.clone()))
}

/// Carry out a check-in command.
pub(super) fn run(state: &mut AppState, command: Command, effects: &mut Vec<Effect>) {
    let rows = roster(state).len();
    match command {
        Command::CheckInScreen => {
            state.mode = Mode::CheckIn;
            state.checkin.typing = None;
            let note = planning_note(state);
            say(state, note, Severity::Info);
        }
        Command::Up => state.checkin.index = state.checkin.index.saturating_sub(1),
        Command::Down => state.checkin.index = (state.checkin.index + 1).min(rows.saturating_sub(1)),
        Command::MarkPresent | Command::MarkAbsent => {
            let Some((id, name)) = selected(state) else { return };
            let status = state.session.people().status(&id);
            let event = match (command, status) {
                (Command::MarkPresent, Status::Present) => {
                    return say(state, format!("{name} is already present"), Severity::Info)
                }
                // Someone who left and is back: an arrival, not a second check-in.
                (Command::MarkPresent, Status::Left) => {
                    return say(
                        state,
                        format!("{name} left earlier: seat them from the rooms screen (F4, a)"),
                        Severity::Info,
                    )
                }
                (Command::MarkPresent, _) => Event::ParticipantCheckedIn { id },
                (_, Status::Absent) => {
                    return say(state, format!("{name} is already absent"), Severity::Info)
                }
                _ => Event::ParticipantAbsent { id },
            };
            let present = matches!(event, Event::ParticipantCheckedIn { .. });
            if record(state, event, effects) {
                say(state, format!("{name}: {}", if present { "present" } else { "absent" }), Severity::Info);
                // On to the next person: the roll call goes down the list.
                state.checkin.index = (state.checkin.index + 1).min(rows.saturating_sub(1));
            }
        }
        Command::FindPerson => state.checkin.typing = Some(Typing::Find(String::new())),
        Command::AddWalkIn => {
            state.checkin.typing = Some(Typing::WalkIn { text: String::new(), deputy_for: None })
        }
        Command::AddDeputy => {
            let Some((id, name)) = selected(state) else { return };
            let org = state.session.person(&state.plan, &id).map(|p| p.org.clone()).unwrap_or_default();
            state.checkin.typing =
                Some(Typing::WalkIn { text: format!(", {org}"), deputy_for: Some(id.clone()) });
            say(
                state,
                format!("type the name of {name}'s deputy before the comma; Enter adds"),
                Severity::Info,
            );
        }
        Command::SwitchView => {
            state.checkin.view = match state.checkin.view {
                View::RollCall => View::Participation,
                View::Participation => View::RollCall,
            }
        }
        Command::SwitchDecisionBase => {
            state.checkin.decide_on_present = !state.checkin.decide_on_present;
            let text = if state.checkin.decide_on_present {
                "new decisions count only the organisations present"
            } else {
                "new decisions count all partner organisations, present or not"
            };
            say(state, text, Severity::Info);
        }
        _ => {}
    }
}

/// Keys while typing on the check-in screen; false when not typing (the key table decides).
pub(super) fn typing_key(state: &mut AppState, key: KeyEvent, effects: &mut Vec<Effect>) -> bool {
    let Some(typing) = state.checkin.typing.clone() else {
        return false;
    };
    if key.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) {
        return false;
    }
    let text = match &typing {
        Typing::Find(text) | Typing::WalkIn { text, .. } => text.clone(),
    };
    let text = match key.code {
        KeyCode::Esc => {
            state.checkin.typing = None;
            return true;
        }
        KeyCode::Enter => {
            state.checkin.typing = None;
            match typing {
                Typing::Find(_) => {}
                Typing::WalkIn { deputy_for, .. } => add_walk_in(state, &text, deputy_for, effects),
            }
            return true;
        }
        KeyCode::Backspace => {
            let mut text = text;
            text.pop();
            text
        }
        KeyCode::Char(c) => text + &c.to_string(),
        _ => return true,
    };
    if let Typing::Find(_) = typing {
        // Jump to the first match as the name is typed.
        if let Some(&first) = find(state, &text).first() {
            state.checkin.index = first;
        }
    }
    state.checkin.typing = Some(match typing {
        Typing::Find(_) => Typing::Find(text),
        Typing::WalkIn { deputy_for, .. } => Typing::WalkIn { text, deputy_for },
    });
    true
}

/// The event adding a walk-in typed as "Name, Organisation", or why it cannot be added.
pub fn walk_in_event(state: &AppState, typed: &str, deputy_for: Option<String>) -> Result<Event, String> {
    let (name, org) = typed.split_once(',').unwrap_or((typed, ""));
    let (name, org) = (name.trim(), org.trim());
    if name.is_empty() {
        return Err("type the name first, then a comma and the organisation".into());
    }
    let people = state.session.people();
    if let Some(existing) = people
        .roster(&state.plan)
        .find(|p| fold_name(&p.name) == fold_name(name) && fold_name(&p.org) == fold_name(org))
    {
        return Err(format!("{} is already on the list: select them and press p", existing.name));
    }
    let base = slug(name);
    let id = crate::people::unique_id(&base, |c| people.person(&state.plan, c).is_some());
    Ok(Event::ParticipantAdded {
        id,
        name: name.to_string(),
        organisation: org.to_string(),
        deputy_for,
        role: Default::default(),
        email: None,
    })
}

fn add_walk_in(state: &mut AppState, typed: &str, deputy_for: Option<String>, effects: &mut Vec<Effect>) {
    match walk_in_event(state, typed, deputy_for) {
        Ok(event) => {
            let name = match &event {
                Event::ParticipantAdded { name, .. } => name.clone(),
                _ => String::new(),
            };
            if record(state, event, effects) {
                state.checkin.index = roster(state).len().saturating_sub(1);
                say(
                    state,
                    format!("{name} added and present; F4 then a seats them in a room"),
                    Severity::Info,
                );
            }
        }
        Err(problem) => say(state, problem, Severity::Warning),
    }
}

/// The organisations with a voice in a new decision and what its majority counts against:
/// every partner organisation of the plan (what sign-off needs), or the organisations with a
/// partner present when the facilitator switched to that. A plan naming no partner
/// organisations falls back to those present, as before.
pub fn decision_base(state: &AppState) -> (Vec<String>, Option<DecisionBase>) {
    let partners = state.plan.partner_organisations();
    if partners.is_empty() {
        return (crate::view::organisations_voting(&state.plan, &state.session), None);
    }
    if !state.checkin.decide_on_present {
        return (partners, Some(DecisionBase::AllPartners));
    }
    let people = state.session.people();
    let mut present: Vec<String> = people
        .roster(&state.plan)
        .filter(|p| p.role == crate::model::Role::Partner && people.expected_here(&p.id))
        .map(|p| p.org.clone())
        .filter(|org| !org.trim().is_empty())
        .collect();
    present.sort();
    present.dedup();
    (present, Some(DecisionBase::Present))
}
