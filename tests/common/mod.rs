//! Fixtures shared by the integration tests: a plan from the built-in template, a console at
//! a fixed time, and key helpers.
#![allow(dead_code, clippy::panic)] // a test fails by panicking

pub mod console;

use std::path::{Path, PathBuf};

use chrono::{DateTime, TimeZone, Utc};
use convene::app::{update, Action, AppState, Effect};
use convene::cli::session_template;
use convene::model::{Plan, SessionFile, SessionState};
use convene::store::parse_session;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// 14:00 UTC on the session day: every test clock starts here.
pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 14, 14, 0, 0).single().expect("valid time")
}

/// The built-in template as a parsed session file.
pub fn template_file() -> SessionFile {
    parse_session(Path::new("template.ron"), &session_template("Snapshot session", "2026-03-14"))
        .expect("the template parses")
}

pub fn template_plan() -> Plan {
    template_file().plan
}

/// A console on an empty session at `t0`, at 80x24.
pub fn console() -> AppState {
    let plan = template_plan();
    let session = SessionState::fold(&plan, &[]).expect("empty log folds");
    keys_act_at_once(AppState::new(PathBuf::from("sessions/test.ron"), plan, session, t0()))
}

/// Tests of single commands press each key alone but all at one instant: without the quiet
/// window, a command key acts at once. tests/typing.rs checks the quiet window itself.
pub fn keys_act_at_once(mut state: AppState) -> AppState {
    state.keys.quiet = chrono::Duration::zero();
    state
}

pub fn key(code: KeyCode) -> Action {
    Action::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

pub fn ctrl(c: char) -> Action {
    Action::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

pub fn alt(c: char) -> Action {
    Action::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::ALT))
}

/// Type text key by key, as a user would.
pub fn type_text(state: &mut AppState, text: &str) -> Vec<Effect> {
    let mut effects = Vec::new();
    for c in text.chars() {
        effects.extend(update(state, key(KeyCode::Char(c)), state.now));
    }
    effects
}

/// Type a comment and press Enter; returns the effects of the Enter.
pub fn commit(state: &mut AppState, text: &str) -> Vec<Effect> {
    type_text(state, text);
    update(state, key(KeyCode::Enter), state.now)
}

/// Acknowledge every event so far as durable, as the writer would.
pub fn persist_all(state: &mut AppState) {
    let seq = state.session.last_seq;
    update(state, Action::Persisted(seq), state.now);
}

/// The events a list of effects asks to persist.
pub fn persisted(effects: &[Effect]) -> Vec<convene::model::Event> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Persist(stamped) => Some(stamped.event.clone()),
            _ => None,
        })
        .collect()
}

/// A temporary directory holding a fresh session made from the template.
pub fn temp_session() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("consult.ron");
    std::fs::write(&path, session_template("Test session", "2026-03-14")).expect("write template");
    (dir, path)
}

/// `update`, then any background job it asks for run to completion here and its result fed
/// back through `update`, as the console's shell does off the UI loop; every effect in order.
pub fn update_settled(state: &mut AppState, action: Action, now: DateTime<Utc>) -> Vec<Effect> {
    let mut all = Vec::new();
    let mut queue = vec![action];
    while let Some(action) = queue.pop() {
        for effect in update(state, action, now) {
            if let Effect::PlanRooms(request) = &effect {
                queue.push(convene::app::plan_rooms(request));
            }
            all.push(effect);
        }
    }
    all
}

/// Draw the console at `width`×`height` as the shell does: the resize, one frame, and the
/// feed's size kept for the next keys.
fn draw_frame(
    state: &mut AppState,
    width: u16,
    height: u16,
) -> ratatui::Terminal<ratatui::backend::TestBackend> {
    update(state, Action::Resize(width, height), state.now);
    let mut terminal =
        ratatui::Terminal::new(ratatui::backend::TestBackend::new(width, height)).expect("terminal");
    let mut drawn = None;
    terminal.draw(|frame| drawn = Some(convene::ui::render(frame, state))).expect("draw");
    state.feed.viewport = drawn.expect("a frame was drawn").feed;
    terminal
}

/// One frame, as the text snapshots show a screen (each row quoted).
pub fn render(state: &mut AppState, width: u16, height: u16) -> String {
    draw_frame(state, width, height).backend().to_string()
}

/// One frame's cells, for tests that look at styles.
pub fn draw_buffer(state: &mut AppState, width: u16, height: u16) -> ratatui::buffer::Buffer {
    draw_frame(state, width, height).backend().buffer().clone()
}

/// A drawn screen as plain text, one line a row, trailing blanks cut.
pub fn text(buffer: &ratatui::buffer::Buffer) -> String {
    let width = usize::from(buffer.area.width);
    buffer
        .content()
        .chunks(width)
        .map(|row| row.iter().map(|c| c.symbol()).collect::<String>().trim_end().to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The cells of the first place `word` is written on screen.
pub fn cells_of<'b>(buffer: &'b ratatui::buffer::Buffer, word: &str) -> Vec<&'b ratatui::buffer::Cell> {
    let screen = text(buffer);
    let (row, line) = screen.lines().enumerate().find(|(_, l)| l.contains(word)).unwrap_or_else(|| {
        panic!("{word:?} is not on screen:\n{screen}");
    });
    let column = line[..line.find(word).expect("found above")].chars().count() as u16;
    (0..word.chars().count() as u16).map(|i| &buffer[(column + i, row as u16)]).collect()
}
