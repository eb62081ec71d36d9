//! Agenda timing: the arithmetic of the fold, the keys through `update`, and the pane on screen.
#![allow(clippy::unwrap_used, clippy::panic)] // a test fails by panicking

mod common;

use chrono::{DateTime, Duration, Utc};
use common::*;
use convene::app::{update, Action, AppState, Effect, Mode};
use convene::model::{Actor, Event, ItemStatus, Phase, SessionState, Stamped};
use crossterm::event::KeyCode;
use proptest::prelude::*;
use ratatui::backend::TestBackend;
use ratatui::Terminal;

fn at(seconds: i64) -> DateTime<Utc> {
    t0() + Duration::seconds(seconds)
}

/// Fold a log given as (seconds after t0, event).
fn fold(log: &[(i64, Event)]) -> SessionState {
    let events: Vec<Stamped> = log
        .iter()
        .enumerate()
        .map(|(i, (s, event))| Stamped {
            seq: i as u64 + 1,
            at: at(*s),
            by: Actor::Facilitator,
            origin: None,
            event: event.clone(),
        })
        .collect();
    SessionState::fold(&template_plan(), &events).expect("valid log")
}

fn start(item: u32) -> Event {
    Event::AgendaItemStarted { item }
}

#[test]
fn a_pause_spanning_a_minute_boundary_stops_the_clock_exactly() {
    // Item 1 is 10 minutes. Run 0:50, pause over the 1:00 mark until 2:10, run again.
    let state = fold(&[(0, start(0)), (50, Event::TimerPaused), (130, Event::TimerResumed)]);
    let plan = template_plan();
    let agenda = &state.agenda;
    assert_eq!(agenda.elapsed(0, at(130)), Duration::seconds(50));
    assert_eq!(agenda.elapsed(0, at(200)), Duration::seconds(120));
    assert_eq!(agenda.remaining(&plan, 0, at(200)), Duration::seconds(480));
    let paused = fold(&[(0, start(0)), (50, Event::TimerPaused)]);
    assert_eq!(
        paused.agenda.remaining(&plan, 0, at(3_000)),
        Duration::seconds(550),
        "paused time does not count"
    );
    assert_eq!(paused.agenda.phase(&plan, 0, at(3_000)), Phase::Paused);
}

#[test]
fn extending_during_an_overrun_brings_the_item_back_into_time() {
    let plan = template_plan();
    // 10-minute item, 11 minutes in: one minute over.
    let over = fold(&[(0, start(0))]);
    assert_eq!(over.agenda.phase(&plan, 0, at(660)), Phase::Overrun);
    assert_eq!(over.agenda.remaining(&plan, 0, at(660)), Duration::seconds(-60));
    let extended = fold(&[(0, start(0)), (660, Event::TimerExtended { minutes: 5 })]);
    assert_eq!(extended.agenda.remaining(&plan, 0, at(660)), Duration::seconds(240));
    assert_eq!(extended.agenda.phase(&plan, 0, at(660)), Phase::Running);
    assert_eq!(extended.agenda.phase(&plan, 0, at(800)), Phase::Warning, "2 minutes or less left");
}

#[test]
fn skipping_stops_the_clock_and_the_item_never_counts_again() {
    let plan = template_plan();
    let state =
        fold(&[(0, start(0)), (600, start(1)), (700, Event::AgendaItemSkipped { item: 1 }), (700, start(2))]);
    let agenda = &state.agenda;
    assert_eq!(agenda.items[1].status, ItemStatus::Skipped);
    assert_eq!(agenda.elapsed(1, at(5_000)), Duration::seconds(100));
    assert_eq!(agenda.current, Some(2));
    // Skipping an item still to come takes it out of the projection.
    let ahead = fold(&[(0, start(0)), (10, Event::AgendaItemSkipped { item: 4 })]);
    let projection = ahead.agenda.projection(&plan, at(10)).expect("started");
    assert_eq!(projection.projected_end - at(0), Duration::minutes(110 - 20));
    // A finished item cannot be skipped: the fold refuses it.
    let events: Vec<Stamped> = [start(0), start(1), Event::AgendaItemSkipped { item: 0 }]
        .into_iter()
        .enumerate()
        .map(|(i, event)| Stamped {
            seq: i as u64 + 1,
            at: at(i as i64),
            by: Actor::Facilitator,
            origin: None,
            event,
        })
        .collect();
    let error = SessionState::fold(&plan, &events).expect_err("refused");
    assert!(error.to_string().contains("already run"), "{error}");
}

#[test]
fn reopening_mid_item_after_a_crash_shows_the_right_remaining_time() {
    // The log is all a reopened console has: the time left follows from the stamps and the clock.
    let plan = template_plan();
    let log = [(0, start(0)), (600, start(1)), (700, Event::TimerPaused), (760, Event::TimerResumed)];
    let before_crash = fold(&log);
    let reopened = fold(&log);
    let later = at(1_000);
    assert_eq!(reopened.agenda.remaining(&plan, 1, later), before_crash.agenda.remaining(&plan, 1, later));
    // 15-minute item: ran 100 s, paused 60 s, ran 240 s since.
    assert_eq!(reopened.agenda.remaining(&plan, 1, later), Duration::seconds(900 - 340));
}

#[test]
fn an_item_started_twice_keeps_adding_up_its_time() {
    let plan = template_plan();
    // Starting the running item again changes nothing.
    let same = fold(&[(0, start(0)), (60, start(0))]);
    assert_eq!(same.agenda.items[0].runs.len(), 1);
    assert_eq!(same.agenda.elapsed(0, at(120)), Duration::seconds(120));
    // Going back to a finished item reopens it; both spells count.
    let back = fold(&[(0, start(0)), (300, start(1)), (400, start(0))]);
    assert_eq!(back.agenda.items[1].status, ItemStatus::Done);
    assert_eq!(back.agenda.elapsed(0, at(500)), Duration::seconds(400));
    assert_eq!(back.agenda.remaining(&plan, 0, at(500)), Duration::seconds(200));
}

#[test]
fn the_projection_counts_pauses_extensions_and_overruns() {
    let plan = template_plan(); // 110 minutes planned
    let state = fold(&[
        (0, start(0)),
        (60, Event::TimerPaused),
        (360, Event::TimerResumed),
        (400, Event::TimerExtended { minutes: 2 }),
    ]);
    let projection = state.agenda.projection(&plan, at(400)).expect("started");
    assert_eq!(projection.planned_end, at(110 * 60));
    // Item 1: 12 min allotted, 100 s run, so 620 s left; then 100 min of items to come.
    assert_eq!(projection.projected_end, at(400 + 620 + 100 * 60));
    assert_eq!(projection.drift(), Duration::seconds(400 + 620 + 6_000 - 6_600));
}

fn press(state: &mut AppState, action: Action, now: DateTime<Utc>) -> Vec<Event> {
    persisted(&update(state, action, now))
}

#[test]
fn the_facilitator_runs_the_agenda_from_the_keyboard() {
    let mut state = console();
    assert_eq!(
        press(&mut state, key(KeyCode::F(5)), at(0)),
        vec![start(0)],
        "F5 starts the session from the capture bar"
    );
    update(&mut state, ctrl('g'), at(1));
    assert_eq!(state.mode, Mode::Agenda);
    assert_eq!(press(&mut state, key(KeyCode::Char(' ')), at(10)), vec![Event::TimerPaused]);
    assert_eq!(press(&mut state, key(KeyCode::Char(' ')), at(20)), vec![Event::TimerResumed]);
    assert_eq!(press(&mut state, key(KeyCode::Char('+')), at(30)), vec![Event::TimerExtended { minutes: 1 }]);
    assert_eq!(press(&mut state, key(KeyCode::Char('>')), at(31)), vec![Event::TimerExtended { minutes: 5 }]);
    assert_eq!(
        press(&mut state, key(KeyCode::Char('-')), at(32)),
        vec![Event::TimerExtended { minutes: -1 }]
    );
    assert_eq!(press(&mut state, key(KeyCode::Char('n')), at(40)), vec![start(1)]);
    assert_eq!(
        press(&mut state, key(KeyCode::Char('x')), at(50)),
        vec![Event::AgendaItemSkipped { item: 1 }, start(2)]
    );
    assert_eq!(
        press(&mut state, key(KeyCode::Char('b')), at(60)),
        vec![start(0)],
        "back skips over the skipped item"
    );
    for i in 1..5 {
        press(&mut state, key(KeyCode::Char('n')), at(60 + i));
    }
    assert_eq!(state.session.agenda.current, Some(5));
    assert_eq!(press(&mut state, key(KeyCode::Char('n')), at(100)), vec![Event::AgendaEnded]);
    assert!(press(&mut state, key(KeyCode::Char('n')), at(101)).is_empty());
    // Typing keys still type in the capture bar.
    update(&mut state, key(KeyCode::Esc), at(102));
    type_text(&mut state, "n+ x");
    assert_eq!(state.capture_text(), "n+ x");
}

#[test]
fn an_item_keeps_at_least_a_minute() {
    let mut state = console();
    update(&mut state, key(KeyCode::F(5)), at(0));
    update(&mut state, ctrl('g'), at(0));
    for _ in 0..9 {
        press(&mut state, key(KeyCode::Char('-')), at(1));
    }
    assert!(press(&mut state, key(KeyCode::Char('-')), at(2)).is_empty());
    assert_eq!(state.session.agenda.allotted(&state.plan, 0), Duration::minutes(1));
}

#[test]
fn the_bell_rings_once_at_zero_only_when_the_plan_asks() {
    for bell in [false, true] {
        let mut state = console();
        state.plan.timer_bell = bell;
        update(&mut state, key(KeyCode::F(5)), at(0));
        let mut rings = 0;
        for second in (0..1_200).step_by(7) {
            rings +=
                update(&mut state, Action::Tick, at(second)).iter().filter(|e| **e == Effect::Bell).count();
        }
        assert_eq!(rings, usize::from(bell));
    }
}

/// Random timer actions with random gaps, applied through `update` as keys.
fn actions() -> impl Strategy<Value = Vec<(u8, i64)>> {
    prop::collection::vec((0u8..7, 1i64..30), 500)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Over a simulated two-hour session, the time left always equals planned + extensions −
    /// the time the item's clock was running, measured here independently tick by tick.
    #[test]
    fn remaining_time_is_planned_plus_extensions_minus_running_time(script in actions()) {
        let mut state = console();
        update(&mut state, ctrl('g'), t0());
        let items = state.plan.agenda.len();
        let mut running_ms = vec![0i64; items];
        let mut extensions = vec![0i64; items];
        let mut now = t0();
        for (action, gap) in script {
            // Time passes: whichever item is running accrues it.
            let next = now + Duration::seconds(gap) + Duration::milliseconds(gap * 37 % 1000);
            if let Some(c) = state.session.agenda.current {
                if state.session.agenda.items[c].status == ItemStatus::Running {
                    running_ms[c] += (next - now).num_milliseconds();
                }
            }
            now = next;
            let key_code = match action {
                0 => KeyCode::Char('n'),
                1 => KeyCode::Char('b'),
                2 => KeyCode::Char(' '),
                3 => KeyCode::Char('+'),
                4 => KeyCode::Char('>'),
                5 => KeyCode::Char('-'),
                _ => KeyCode::Char('x'),
            };
            let current = state.session.agenda.current;
            for event in persisted(&update(&mut state, key(key_code), now)) {
                if let (Event::TimerExtended { minutes }, Some(c)) = (event, current) {
                    extensions[c] += minutes as i64;
                }
            }
            for (i, item) in state.plan.agenda.iter().enumerate() {
                let expected = (item.minutes as i64 + extensions[i]) * 60_000 - running_ms[i];
                prop_assert_eq!(state.session.agenda.remaining(&state.plan, i, now).num_milliseconds(), expected);
            }
        }
        prop_assert!(now - t0() >= Duration::minutes(60), "the script covers a long session");
    }
}

fn screen(state: &mut AppState, width: u16, height: u16, now: DateTime<Utc>) -> String {
    update(state, Action::Resize(width, height), now);
    update(state, Action::Tick, now);
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("terminal");
    terminal
        .draw(|frame| {
            convene::ui::render(frame, state);
        })
        .expect("draw");
    terminal.backend().to_string()
}

/// A session 2 items in: the breakout (35 min, warns at 5 with a note for rooms) is running.
fn in_breakout() -> AppState {
    let mut state = console();
    update(&mut state, key(KeyCode::F(5)), at(0));
    update(&mut state, key(KeyCode::F(5)), at(12 * 60));
    update(&mut state, key(KeyCode::F(7)), at(20 * 60));
    update(&mut state, key(KeyCode::F(5)), at(27 * 60));
    commit(&mut state, "Room 2: transport is the barrier nobody owns");
    persist_all(&mut state);
    update(&mut state, ctrl('g'), at(27 * 60));
    state
}

#[test]
fn agenda_pane_snapshots() {
    let breakout_start = 27 * 60;
    let cases = [
        ("running", breakout_start + 10 * 60, false),
        ("warning", breakout_start + 31 * 60, false),
        ("overrun", breakout_start + 37 * 60 + 5, false),
        ("paused", breakout_start + 12 * 60, true),
    ];
    for (name, seconds, pause) in cases {
        let mut state = in_breakout();
        if pause {
            update(&mut state, key(KeyCode::Char(' ')), at(breakout_start + 5 * 60));
            persist_all(&mut state);
        }
        insta::assert_snapshot!(format!("agenda_{name}_80x24"), screen(&mut state, 80, 24, at(seconds)));
        update(&mut state, key(KeyCode::Esc), at(seconds));
        insta::assert_snapshot!(format!("agenda_{name}_160x48"), screen(&mut state, 160, 48, at(seconds)));
    }
}
