//! Replay: folding the log up to any moment gives the state the live console had then.
#![allow(clippy::unwrap_used, clippy::panic)] // a test fails by panicking

mod common;

use std::path::{Path, PathBuf};

use chrono::{Duration, Utc};
use common::*;
use convene::app::{update, update_replay, ReplayAction, ReplayApp};
use convene::model::{Event, SessionFile, SessionState};
use convene::replay::{MarkerKind, Replay};
use convene::store::{load_read_only, open_for_writing};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use proptest::prelude::*;
use ratatui::backend::TestBackend;
use ratatui::Terminal;

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sessions/example.ron")
}

/// A log recorded the way the live console records it: comments, agenda keys, votes.
fn recorded(script: &[(u8, i64)]) -> SessionFile {
    let mut state = console();
    let mut file = template_file();
    let mut now = t0();
    for &(action, gap) in script {
        now += Duration::seconds(gap);
        let effects = match action {
            0 => {
                type_text(&mut state, "a comment");
                update(&mut state, key(KeyCode::Enter), now)
            }
            1 => update(&mut state, key(KeyCode::F(5)), now),
            2 => update(&mut state, key(KeyCode::F(6)), now),
            3 => update(&mut state, key(KeyCode::F(7)), now),
            _ => update(&mut state, ctrl('z'), now),
        };
        for effect in effects {
            if let convene::app::Effect::Persist(stamped) = effect {
                file.events.push(stamped);
            }
        }
    }
    file
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    /// Seeking anywhere in any order, then to the end, gives exactly the live fold; so does
    /// playing it through.
    #[test]
    fn replaying_to_the_end_yields_the_live_state(
        script in prop::collection::vec((0u8..5, 1i64..400), 1..80),
        seeks in prop::collection::vec(0usize..100, 0..10),
        step in 1i64..900,
    ) {
        let file = recorded(&script);
        let live = file.fold().expect("recorded logs fold");
        let mut replay = Replay::new(file.clone()).expect("replay");
        let mut state = SessionState::new(&file.plan);
        for position in seeks {
            replay.seek(&mut state, position);
            prop_assert_eq!(&state, &SessionState::fold(&file.plan, &file.events[..replay.position]).expect("prefix folds"));
        }
        replay.seek(&mut state, usize::MAX);
        prop_assert_eq!(&state, &live);

        let mut played = Replay::new(file.clone()).expect("replay");
        let mut state = SessionState::new(&file.plan);
        while !played.at_end() {
            played.advance(&mut state, Duration::seconds(step));
        }
        prop_assert_eq!(&state, &live);
    }
}

#[test]
fn quiet_gaps_are_compressed_and_said_so() {
    let file = recorded(&[(0, 1), (0, 1_800), (0, 5)]);
    let mut replay = Replay::new(file.clone()).expect("replay");
    let mut state = SessionState::new(&file.plan);
    replay.advance(&mut state, Duration::seconds(1));
    assert_eq!(replay.position, 1);
    replay.advance(&mut state, Duration::seconds(30));
    assert_eq!(replay.position, 2, "half an hour of quiet is skipped, not waited out");
    assert!(replay.compressed.expect("reported") > Duration::minutes(29));
}

#[test]
fn replay_reads_a_session_open_live_elsewhere_and_never_changes_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("live.ron");
    std::fs::copy(example(), &path).expect("copy");
    let before = std::fs::read(&path).expect("read");
    let (_loaded, _lock, _writer) = open_for_writing(&path).expect("open live");
    let loaded = load_read_only(&path).expect("read-only load works while locked");
    let mut app = ReplayApp::new(path.clone(), loaded.file).expect("replay");
    update_replay(&mut app, ReplayAction::Key(KeyEvent::new(KeyCode::End, KeyModifiers::NONE)), Utc::now());
    assert!(app.replay.at_end());
    assert_eq!(std::fs::read(&path).expect("read"), before);
}

#[test]
fn every_agenda_boundary_of_the_example_matches_its_snapshot() {
    let loaded = load_read_only(&example()).expect("example loads");
    let mut app = ReplayApp::new(example(), loaded.file).expect("replay");
    let agenda_markers: Vec<usize> =
        app.replay.markers.iter().filter(|m| m.kind == MarkerKind::Agenda).map(|m| m.position).collect();
    assert_eq!(agenda_markers.len(), 7, "one per agenda item");
    update_replay(&mut app, ReplayAction::Resize(100, 30), t0());
    for (i, position) in agenda_markers.into_iter().enumerate() {
        // One minute into each item, so its timer is running.
        app.replay.seek(&mut app.view.session, position);
        let at = app.replay.now + Duration::minutes(1);
        app.replay.seek_time(&mut app.view.session, at);
        update_replay(&mut app, ReplayAction::Tick, t0());
        let mut terminal = Terminal::new(TestBackend::new(100, 30)).expect("terminal");
        terminal.draw(|frame| convene::ui::timeline::render_replay(frame, &app)).expect("draw");
        insta::assert_snapshot!(format!("replay_item_{}", i + 1), terminal.backend().to_string());
    }
}

#[test]
fn keys_step_jump_and_switch_views() {
    let loaded = load_read_only(&example()).expect("example loads");
    let mut app = ReplayApp::new(example(), loaded.file).expect("replay");
    let press = |app: &mut ReplayApp, code: KeyCode| {
        update_replay(app, ReplayAction::Key(KeyEvent::new(code, KeyModifiers::NONE)), t0())
    };
    press(&mut app, KeyCode::Right);
    assert_eq!(app.replay.position, 1);
    press(&mut app, KeyCode::Char(']'));
    let first_item = app.replay.position;
    assert!(matches!(app.replay.events()[first_item - 1].event, Event::AgendaItemStarted { item: 0 }));
    press(&mut app, KeyCode::Char(']'));
    assert!(app.replay.position > first_item);
    press(&mut app, KeyCode::Char('['));
    assert_eq!(app.replay.position, first_item);
    press(&mut app, KeyCode::Char('+'));
    press(&mut app, KeyCode::Char('+'));
    assert_eq!(app.speed(), 8);
    press(&mut app, KeyCode::Char('t'));
    for c in "15:00".chars() {
        press(&mut app, KeyCode::Char(c));
    }
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.view.local(app.replay.now).format("%H:%M").to_string(), "15:00");
    press(&mut app, KeyCode::Tab);
    assert_eq!(app.screen, convene::app::ReplayView::Agenda);
}

/// Where the side panel's box starts on each row of a screen, if it has one.
fn side_panel_column(screen: &str) -> Option<usize> {
    screen.lines().find_map(|row| row.chars().position(|c| c == '┌').filter(|&at| at > 1))
}

#[test]
fn the_replay_lays_out_its_side_panel_as_the_live_console_did() {
    let loaded = load_read_only(&example()).expect("example loads");
    for width in [119u16, 120, 160, 220] {
        let mut app = ReplayApp::new(example(), loaded.file.clone()).expect("replay");
        update_replay(&mut app, ReplayAction::Resize(width, 45), t0());
        let mut terminal = Terminal::new(TestBackend::new(width, 45)).expect("terminal");
        terminal.draw(|frame| convene::ui::timeline::render_replay(frame, &app)).expect("draw");
        let replay = terminal.backend().to_string();

        let mut live =
            convene::app::AppState::new(example(), loaded.file.plan.clone(), loaded.state.clone(), t0());
        update(&mut live, convene::app::Action::Resize(width, 45), t0());
        let mut terminal = Terminal::new(TestBackend::new(width, 45)).expect("terminal");
        terminal
            .draw(|frame| {
                convene::ui::render(frame, &live);
            })
            .expect("draw");
        let console = terminal.backend().to_string();
        assert_eq!(
            side_panel_column(&replay),
            side_panel_column(&console),
            "{width} columns:\n{replay}\n{console}"
        );
        assert_eq!(side_panel_column(&replay).is_some(), width >= 120, "{width} columns:\n{replay}");
    }
}
