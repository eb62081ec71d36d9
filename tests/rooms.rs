//! Breakout rooms in the console: planning rounds, moving people, latecomers and leavers, the
//! series history beside the file; and the rooms screen.
#![allow(clippy::unwrap_used, clippy::panic)] // a test fails by panicking

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use common::*;
use convene::app::{update, Action, AppState, Mode, Overlay};
use convene::model::{Event, SessionState};
use convene::store::{earlier_in_series, load_read_only};
use crossterm::event::KeyCode;
use ratatui::backend::TestBackend;
use ratatui::Terminal;

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sessions/example.ron")
}

/// A console on the example's plan with an empty log, on the rooms screen.
fn rooms_console() -> AppState {
    let plan = load_read_only(&example()).expect("example loads").file.plan;
    let session = SessionState::fold(&plan, &[]).expect("empty log");
    let mut state = common::keys_act_at_once(AppState::new("sessions/test.ron".into(), plan, session, t0()));
    update(&mut state, key(KeyCode::F(4)), t0());
    assert_eq!(state.mode, Mode::Rooms);
    state
}

fn org_of(state: &AppState, id: &str) -> String {
    state.plan.participant(id).map(|p| p.org.clone()).unwrap_or_default()
}

#[test]
fn planned_rounds_seat_everyone_once_with_leads_fixed_and_organisations_apart() {
    let mut state = rooms_console();
    for round in 0..3u32 {
        let events = persisted(&update_settled(&mut state, key(KeyCode::Char('g')), t0()));
        let Some(Event::RoomsAssigned { round: number, rooms }) = events.first() else {
            panic!("expected rooms, got {events:?} ({:?})", state.message);
        };
        assert_eq!(*number, round);
        let seated: Vec<&String> = rooms.iter().flatten().collect();
        let unique: BTreeSet<&String> = seated.iter().copied().collect();
        assert_eq!(seated.len(), unique.len(), "nobody twice");
        assert_eq!(seated.len(), 18, "every partner and room lead");
        let sizes: Vec<usize> = rooms.iter().map(Vec::len).collect();
        assert!(sizes.iter().max().expect("rooms") - sizes.iter().min().expect("rooms") <= 1, "{sizes:?}");
        for (i, room) in rooms.iter().enumerate() {
            let lead = state.plan.rooms[i].lead.clone().expect("every room has a lead");
            assert!(room.contains(&lead), "the lead sits in their own room");
            let orgs: Vec<String> =
                room.iter().map(|id| org_of(&state, id)).filter(|o| o != "Working group").collect();
            let distinct: BTreeSet<&String> = orgs.iter().collect();
            assert_eq!(orgs.len(), distinct.len(), "same organisation kept apart: {room:?}");
        }
    }
    assert_eq!(state.session.rooms.rounds.len(), 3);
}

#[test]
fn moving_leaving_and_arriving_touch_only_that_person() {
    let mut state = rooms_console();
    update_settled(&mut state, key(KeyCode::Char('g')), t0());
    let before = state.session.rooms.current().expect("a round").rooms.clone();
    // The second row is a partner in room 1; move them to room 3.
    update(&mut state, key(KeyCode::Down), t0());
    let mover = before[0][1].clone();
    let events = persisted(&update(&mut state, key(KeyCode::Char('3')), t0()));
    assert_eq!(events, vec![Event::ParticipantMoved { id: mover.clone(), room: 2 }]);
    let after = state.session.rooms.current().expect("a round").rooms.clone();
    assert!(after[2].contains(&mover));
    assert_eq!(after[1], before[1], "room 2 untouched");

    // Someone leaves: only they go.
    let leaver = after[1][2].clone();
    let row = convene::app::room_rows(&state).iter().position(|(id, _)| *id == leaver).expect("listed");
    state.rooms.person = row;
    let events = persisted(&update(&mut state, key(KeyCode::Char('l')), t0()));
    assert_eq!(events, vec![Event::ParticipantLeft { id: leaver.clone() }]);
    let now = state.session.rooms.current().expect("a round").rooms.clone();
    assert_eq!(now[1].len(), after[1].len() - 1);
    assert_eq!(now[0], after[0]);
    assert_eq!(now[2], after[2]);
}

#[test]
fn a_latecomer_is_seated_where_they_meet_the_most_new_people() {
    let mut state = rooms_console();
    update_settled(&mut state, key(KeyCode::Char('g')), t0());
    // Take someone out as if they had not arrived, then seat them with `a`.
    let late = state.session.rooms.current().expect("round").rooms[2][1].clone();
    let row = convene::app::room_rows(&state).iter().position(|(id, _)| *id == late).expect("listed");
    state.rooms.person = row;
    update(&mut state, key(KeyCode::Char('l')), t0());
    // Someone who left stays selectable below the rooms, so `a` can seat them if they return.
    assert!(
        convene::app::room_rows(&state).iter().any(|(id, room)| *id == late && room.is_none()),
        "left people are offered, not seated"
    );
    // A late person: a console where one partner was not seated when the round began.
    let mut state = rooms_console();
    update_settled(&mut state, key(KeyCode::Char('g')), t0());
    let missing = state.session.rooms.current().expect("round").rooms[0][1].clone();
    let mut rooms = state.session.rooms.current().expect("round").rooms.clone();
    rooms[0].retain(|id| *id != missing);
    // The round as it was before they came.
    let stamped = convene::model::Stamped {
        seq: state.session.last_seq + 1,
        at: t0(),
        by: convene::model::Actor::Facilitator,
        origin: None,
        event: Event::RoomsAssigned { round: 0, rooms },
    };
    state.session.apply(&state.plan, &stamped).expect("valid");
    let row = convene::app::room_rows(&state).iter().position(|(id, room)| *id == missing && room.is_none());
    state.rooms.person = row.expect("listed as not in a room");
    let problem = convene::app::session_problem(&state);
    let best = problem.best_room(&missing).expect("a room");
    let events = persisted(&update(&mut state, key(KeyCode::Char('a')), t0()));
    assert_eq!(events, vec![Event::ParticipantArrived { id: missing, room: best as u32 }]);
}

#[test]
fn earlier_sessions_of_the_series_beside_the_file_are_history() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::copy(example(), dir.path().join("consult-2.ron")).expect("copy");
    let text = std::fs::read_to_string(example()).expect("read");
    let plan_only = format!("{}    events: [],\n)\n", &text[..text.find("    events: [").expect("events")]);
    // The next session of the series has an identity of its own (as `convene new --from` gives).
    let later = plan_only
        .replace("date: \"2026-11-05\"", "date: \"2026-11-19\"")
        .replace("5f0c2a9e7b1d4e38a6c94d27e0b8f315", "9d1e7b20c4a35f6e8b0a1c2d3e4f5a6b");
    std::fs::write(dir.path().join("consult-3.ron"), &later).expect("write");
    std::fs::write(dir.path().join("other-series.ron"), plan_only.replace("2027-2030", "2031"))
        .expect("write");
    let path = dir.path().join("consult-3.ron");
    let plan = load_read_only(&path).expect("loads").file.plan;
    let (earlier, problems) = earlier_in_series(&path, &plan);
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(earlier.len(), 1, "only the earlier session of the same series");
    assert_eq!(earlier[0].rounds.len(), 2);
    // And from consult-2's point of view, consult-3 is later: no history.
    let (none, _) =
        earlier_in_series(&dir.path().join("consult-2.ron"), &plan_with_date(&plan, "2026-11-05"));
    assert!(none.is_empty());
}

fn plan_with_date(plan: &convene::model::Plan, date: &str) -> convene::model::Plan {
    let mut plan = plan.clone();
    plan.date = Some(date.into());
    plan
}

#[test]
fn rooms_screen_snapshot() {
    let mut state = rooms_console();
    let loaded = load_read_only(&example()).expect("example");
    // The example's own two rounds, then the screen as the facilitator sees it.
    for stamped in loaded.file.events.iter().filter(|e| {
        matches!(
            e.event,
            Event::RoomsAssigned { .. } | Event::ParticipantArrived { .. } | Event::ParticipantLeft { .. }
        )
    }) {
        let mut stamped = stamped.clone();
        stamped.seq = state.session.last_seq + 1;
        state.session.apply(&state.plan, &stamped).expect("valid");
    }
    persist_all(&mut state);
    update(&mut state, Action::Resize(100, 36), t0());
    let mut terminal = Terminal::new(TestBackend::new(100, 36)).expect("terminal");
    terminal
        .draw(|frame| {
            convene::ui::render(frame, &state);
        })
        .expect("draw");
    insta::assert_snapshot!(terminal.backend().to_string());
}

#[test]
fn the_rooms_screen_reuses_its_view_between_frames_until_the_rooms_change() {
    let mut state = rooms_console();
    update_settled(&mut state, key(KeyCode::Char('g')), t0());
    update(&mut state, Action::Resize(100, 36), t0());
    let mut terminal = Terminal::new(TestBackend::new(100, 36)).expect("terminal");
    terminal
        .draw(|frame| {
            convene::ui::render(frame, &state);
        })
        .expect("draw");
    let first = state.rooms_view();
    terminal
        .draw(|frame| {
            convene::ui::render(frame, &state);
        })
        .expect("draw");
    terminal
        .draw(|frame| {
            convene::ui::render(frame, &state);
        })
        .expect("draw");
    assert!(std::sync::Arc::ptr_eq(&first, &state.rooms_view()), "frames reuse the built view");
    // Moving someone (not a lead: moving a lead asks first) is a change: the next frame shows
    // them in their new room.
    let leads: Vec<String> = state.plan.rooms.iter().filter_map(|r| r.lead.clone()).collect();
    let row = first.rows.iter().position(|(id, _)| !leads.contains(id)).expect("a partner");
    state.rooms.person = row;
    let (id, from) = first.rows[row].clone();
    let (digit, to) = if from == Some(0) { ('2', 1) } else { ('1', 0) };
    update(&mut state, key(KeyCode::Char(digit)), t0());
    terminal
        .draw(|frame| {
            convene::ui::render(frame, &state);
        })
        .expect("draw");
    let moved = state.rooms_view();
    assert!(!std::sync::Arc::ptr_eq(&first, &moved), "a move builds the view again");
    assert!(moved.rows.contains(&(id.clone(), Some(to))), "{id} now in room {}: {:?}", to + 1, moved.rows);
    assert!(std::sync::Arc::ptr_eq(&moved, &state.rooms_view()), "and keeps it for the frames after");
}

#[test]
fn the_objective_can_be_switched_on_the_rooms_screen() {
    let mut state = rooms_console();
    // Fair by default: no pair meets more often than it must.
    assert_eq!(convene::app::session_problem(&state).base.objective, convene::rotation::Objective::FAIR);
    update(&mut state, key(KeyCode::Char('o')), t0());
    assert_eq!(
        convene::app::session_problem(&state).base.objective,
        convene::rotation::Objective::MostNewPairings
    );
    assert!(state.message.as_ref().expect("said").0.contains("most new pairings"));
    update(&mut state, key(KeyCode::Char('o')), t0());
    assert_eq!(state.rooms.objective, convene::rotation::Objective::FAIR);
    assert!(state.message.as_ref().expect("said").0.contains("fair"));
}

#[test]
fn this_rounds_rooms_are_copied_as_a_list_for_the_calls_chat() {
    let mut state = rooms_console();
    let effects = update(&mut state, key(KeyCode::Char('y')), t0());
    assert!(!effects.iter().any(|e| matches!(e, convene::app::Effect::Copy(_))), "nothing to copy yet");
    update_settled(&mut state, key(KeyCode::Char('g')), t0());
    let effects = update(&mut state, key(KeyCode::Char('y')), t0());
    let Some(convene::app::Effect::Copy(text)) = effects.first() else {
        panic!("copied: {effects:?} {:?} {:?}", state.message, state.mode)
    };
    let round = state.session.rooms.current().expect("a round");
    for id in round.rooms.iter().flatten() {
        let name = &state.plan.participant(id).expect("listed").name;
        assert_eq!(text.matches(name.as_str()).count(), 1, "{name} once in:\n{text}");
    }
    assert!(text.starts_with("Breakout rooms, round 1"), "{text}");
    assert!(state.message.as_ref().expect("said").0.contains("copied"));
}

#[test]
fn planning_runs_as_a_job_that_can_be_taken_early_or_cancelled() {
    let mut state = rooms_console();
    let effects = update(&mut state, key(KeyCode::Char('g')), t0());
    assert!(matches!(effects.as_slice(), [convene::app::Effect::PlanRooms(_)]), "{effects:?}");
    assert!(state.rooms.planning.is_some(), "the screen says a round is being planned");
    // A second `g` while planning asks for nothing more.
    assert!(update(&mut state, key(KeyCode::Char('g')), t0()).is_empty());
    // Enter takes the best so far: the job is told to stop, and its result is still applied.
    let effects = update(&mut state, key(KeyCode::Enter), t0());
    assert_eq!(effects, vec![convene::app::Effect::TakeBestPlan]);
    assert!(state.rooms.planning.is_some(), "still waiting for the plan to come back");
    // Esc drops it: a result arriving afterwards is ignored.
    let effects = update(&mut state, key(KeyCode::Esc), t0());
    assert_eq!(effects, vec![convene::app::Effect::CancelPlanning]);
    assert!(state.rooms.planning.is_none());
    let request = match update(&mut state, key(KeyCode::Char('g')), t0()).pop() {
        Some(convene::app::Effect::PlanRooms(request)) => request,
        other => panic!("planning again: {other:?}"),
    };
    update(&mut state, key(KeyCode::Esc), t0());
    let late = convene::app::plan_rooms(&request);
    assert!(persisted(&update(&mut state, late, t0())).is_empty(), "a cancelled plan is never recorded");
    // A plan made from rooms that changed meanwhile is not recorded either.
    update_settled(&mut state, key(KeyCode::Char('g')), t0());
    let request = match update(&mut state, key(KeyCode::Char('g')), t0()).pop() {
        Some(convene::app::Effect::PlanRooms(request)) => request,
        other => panic!("planning again: {other:?}"),
    };
    state.rooms.person = 1;
    update(&mut state, key(KeyCode::Char('l')), t0()); // someone leaves while it plans
    let stale = convene::app::plan_rooms(&request);
    assert!(persisted(&update(&mut state, stale, t0())).is_empty());
    assert!(state.message.as_ref().expect("said").0.contains("changed while planning"));
}

#[test]
fn replanning_a_round_and_moving_a_lead_ask_first_and_a_round_planned_by_mistake_is_undone() {
    let mut state = rooms_console();
    update_settled(&mut state, key(KeyCode::Char('g')), t0());
    assert_eq!(state.session.rooms.rounds.len(), 1);
    let later = t0() + chrono::Duration::seconds(1);
    // R over an existing round asks; any other key keeps the rooms.
    let effects = update(&mut state, key(KeyCode::Char('R')), t0());
    assert_eq!(state.overlay, Some(Overlay::ConfirmReplan));
    assert!(effects.iter().all(|e| !matches!(e, convene::app::Effect::PlanRooms(_))), "nothing planned yet");
    update(&mut state, key(KeyCode::Char('x')), later);
    assert_eq!(state.overlay, None);
    assert!(state.rooms.planning.is_none());
    // Enter plans it again, as a replan of round 1.
    update(&mut state, key(KeyCode::Char('R')), later);
    let events =
        persisted(&update_settled(&mut state, key(KeyCode::Enter), later + chrono::Duration::seconds(1)));
    assert!(matches!(events[..], [Event::RoomsAssigned { round: 0, .. }]), "{events:?}");
    // The first row is room 1's lead: moving them out asks, in words.
    state.rooms.person = 0;
    let lead = state.plan.rooms[0].lead.clone().expect("room 1 has a lead");
    assert_eq!(convene::app::room_rows(&state)[0].0, lead);
    let effects = update(&mut state, key(KeyCode::Char('2')), later);
    assert!(persisted(&effects).is_empty());
    assert_eq!(state.overlay, Some(Overlay::ConfirmMoveLead { id: lead.clone(), room: 1 }));
    let screen = {
        let mut terminal =
            ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24)).expect("terminal");
        terminal
            .draw(|frame| {
                convene::ui::render(frame, &state);
            })
            .expect("draw");
        terminal.backend().to_string()
    };
    assert!(screen.contains("Room 1 has nobody to run it"), "{screen}");
    let events = persisted(&update(&mut state, key(KeyCode::Enter), later + chrono::Duration::seconds(2)));
    assert_eq!(events, vec![Event::ParticipantMoved { id: lead, room: 1 }]);
    // A round planned by mistake is undone whole, and no longer counts as pairing history.
    update_settled(&mut state, key(KeyCode::Char('g')), later);
    assert_eq!(state.session.rooms.rounds.len(), 2);
    update(&mut state, ctrl('z'), later);
    assert_eq!(state.session.rooms.rounds.len(), 1, "{:?}", state.message);
}
