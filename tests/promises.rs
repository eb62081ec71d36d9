//! Screens keep their promises: the decision screen answers for the highlighted organisation
//! and never wraps; the rooms screen's highlight follows the person moved.

mod common;

use std::path::Path;

use common::*;
use convene::app::{room_rows, update, AppState, Mode};
use convene::model::DecisionId;
use convene::model::{Choice, Event, SessionState};
use convene::store::load_read_only;
use crossterm::event::KeyCode;

fn deciding() -> AppState {
    let mut state = console();
    update(&mut state, key(KeyCode::F(3)), t0());
    update(&mut state, key(KeyCode::Char('a')), t0());
    commit(&mut state, "Single front door for residents");
    update(&mut state, key(KeyCode::Esc), t0());
    update(&mut state, key(KeyCode::Char('d')), t0());
    commit(&mut state, "Sign off the draft priorities");
    assert_eq!(state.mode, Mode::Deciding);
    state
}

#[test]
fn arrows_move_through_organisations_and_answers_go_to_the_highlighted_one() {
    let mut state = deciding();
    let organisations = state.session.voting.open_decision().expect("open").organisations.clone();
    assert_eq!(organisations.len(), 3);
    update(&mut state, key(KeyCode::Down), t0());
    update(&mut state, key(KeyCode::Down), t0());
    update(&mut state, key(KeyCode::Up), t0());
    assert_eq!(state.priorities.voter, 1, "↑ moves the organisation, not the candidate list");
    let events = persisted(&update(&mut state, key(KeyCode::Char('y')), t0()));
    assert_eq!(
        events,
        vec![Event::DecisionAnswered {
            id: DecisionId(1),
            organisation: organisations[1].clone(),
            choice: Choice::Yes
        }]
    );
    assert_eq!(state.priorities.voter, 2, "on to the next still to answer");
    assert!(state
        .message
        .as_ref()
        .expect("says so")
        .0
        .contains(&format!("next to answer: {}", organisations[2])));
    // The last one answered: nothing below is left, and the highlight does not wrap to the top.
    update(&mut state, key(KeyCode::Char('n')), t0());
    assert_eq!(state.priorities.voter, 2);
    let message = state.message.clone().expect("says so").0;
    assert!(message.contains("none below still to answer"), "{message}");
    // A second answer is a correction of the same highlighted organisation.
    let events = persisted(&update(&mut state, key(KeyCode::Char('a')), t0()));
    assert_eq!(
        events,
        vec![Event::DecisionAnswered {
            id: DecisionId(1),
            organisation: organisations[2].clone(),
            choice: Choice::Abstain
        }]
    );
    assert!(!state.session.voting.open_decision().expect("open").answers.contains_key(&organisations[0]));
}

#[test]
fn after_a_move_the_highlight_follows_the_person() {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("sessions/example.ron");
    let plan = load_read_only(&example).expect("example loads").file.plan;
    let session = SessionState::fold(&plan, &[]).expect("empty log");
    let mut state = keys_act_at_once(AppState::new("sessions/test.ron".into(), plan, session, t0()));
    update(&mut state, key(KeyCode::F(4)), t0());
    update_settled(&mut state, key(KeyCode::Char('g')), t0());
    update(&mut state, key(KeyCode::Down), t0());
    let mover = room_rows(&state)[state.rooms.person].0.clone();
    let events = persisted(&update(&mut state, key(KeyCode::Char('3')), t0()));
    assert_eq!(events, vec![Event::ParticipantMoved { id: mover.clone(), room: 2 }]);
    assert_eq!(room_rows(&state)[state.rooms.person].0, mover, "the highlight stays on who moved");
    // Pressing 2 now moves the same person again, not whoever took their old row.
    let events = persisted(&update(&mut state, key(KeyCode::Char('2')), t0()));
    assert_eq!(events, vec![Event::ParticipantMoved { id: mover, room: 1 }]);
}
