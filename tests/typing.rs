//! Typing never fires a command: on the command screens a single key acts only once it has
//! stood alone for the quiet window; a burst of keys (typing, pasting) is text in the capture
//! bar. Confirmations take Enter, never a typed letter.

mod common;

use chrono::Duration;
use common::*;
use convene::app::{update, Action, AppState, Effect, Hosting, Mode, Overlay, Seat, Severity, QUIET_MS};
use convene::model::CommentId;
use convene::model::Event;
use convene::net::Peer;
use crossterm::event::KeyCode;
use proptest::prelude::*;

/// A console with the quiet window on, as the live and joined consoles run.
fn guarded() -> AppState {
    let mut state = console();
    state.keys.quiet = Duration::milliseconds(QUIET_MS);
    state
}

/// One comment committed, then the given screen.
fn on_screen(screen: usize) -> AppState {
    let mut state = guarded();
    commit(&mut state, "first comment");
    persist_all(&mut state);
    let to = match screen {
        0 => key(KeyCode::Esc),
        1 => ctrl('g'),
        2 => key(KeyCode::F(3)),
        3 => key(KeyCode::F(4)),
        _ => key(KeyCode::F(9)),
    };
    after(&mut state, 0, to);
    state
}

/// Types `text` at `keys_per_second`, with the shell's 250 ms ticks in between; the log's new
/// events and every effect.
fn type_at(state: &mut AppState, text: &str, keys_per_second: i64, pauses: &[usize]) -> Vec<Effect> {
    let gap = Duration::milliseconds(1000 / keys_per_second);
    let mut effects = Vec::new();
    let mut now = state.now;
    let mut next_tick = now + Duration::milliseconds(250);
    for (i, c) in text.chars().enumerate() {
        if pauses.contains(&i) {
            now += Duration::milliseconds(900);
        }
        now += gap;
        while next_tick <= now {
            effects.extend(update(state, Action::Tick, next_tick));
            next_tick += Duration::milliseconds(250);
        }
        effects.extend(update(state, key(KeyCode::Char(c)), now));
    }
    // Time passes after the last key.
    for _ in 0..4 {
        effects.extend(update(state, Action::Tick, next_tick));
        next_tick += Duration::milliseconds(250);
    }
    effects
}

/// `action`, `ms` milliseconds after the state's last reading of the clock.
fn after(state: &mut AppState, ms: i64, action: Action) -> Vec<Effect> {
    let now = state.now + Duration::milliseconds(ms);
    update(state, action, now)
}

#[test]
fn the_issue_sentence_in_select_mode_becomes_a_comment_draft() {
    let mut state = on_screen(0);
    assert_eq!(state.mode, Mode::Browse);
    let effects = type_at(&mut state, "dynamic leadership", 8, &[]);
    assert!(persisted(&effects).is_empty(), "{:?}", persisted(&effects));
    assert_eq!(state.mode, Mode::Capture);
    assert_eq!(state.capture_text(), "dynamic leadership");
    assert!(!state.session.comment(CommentId(1)).expect("kept").retracted);
    let message = state.message.clone().expect("says so").0;
    assert!(message.contains("typed text went to the capture bar"), "{message}");
}

#[test]
fn a_session_heading_on_the_priorities_screen_places_no_dot() {
    let mut state = on_screen(2);
    let effects = type_at(&mut state, "Session 2: next steps", 10, &[]);
    assert!(persisted(&effects).is_empty());
    assert_eq!(state.capture_text(), "Session 2: next steps");
}

#[test]
fn a_key_that_stands_alone_acts_after_the_quiet_window() {
    let mut state = on_screen(1);
    assert_eq!(state.mode, Mode::Agenda);
    let pressed = state.now;
    let effects = update(&mut state, key(KeyCode::Char('n')), pressed);
    assert!(persisted(&effects).is_empty(), "held, not yet acted");
    // The console is asked for a tick the moment the window ends, so the key acts in 0.3 s.
    let wake = std::time::Duration::from_millis(QUIET_MS as u64);
    assert!(effects.contains(&convene::app::Effect::WakeIn(wake)), "{effects:?}");
    // A tick inside the quiet window still holds it.
    let effects = update(&mut state, Action::Tick, pressed + Duration::milliseconds(QUIET_MS - 50));
    assert!(persisted(&effects).is_empty());
    let effects = update(&mut state, Action::Tick, pressed + Duration::milliseconds(QUIET_MS));
    assert!(matches!(persisted(&effects).as_slice(), [Event::AgendaItemStarted { .. }]), "{effects:?}");
    assert_eq!(state.mode, Mode::Agenda);
}

#[test]
fn an_arrow_after_a_held_key_lets_the_key_act_first() {
    let mut state = on_screen(1);
    let effects = after(&mut state, 0, key(KeyCode::Char('n')));
    assert!(persisted(&effects).is_empty());
    let effects = after(&mut state, 100, key(KeyCode::F(6)));
    let events = persisted(&effects);
    assert!(matches!(events.first(), Some(Event::AgendaItemStarted { .. })), "{events:?}");
    assert_eq!(events.len(), 2, "then the pause: {events:?}");
}

#[test]
fn pasting_on_a_command_screen_goes_to_the_capture_bar() {
    let mut state = on_screen(3);
    assert_eq!(state.mode, Mode::Rooms);
    let effects = after(&mut state, 0, Action::Paste("3 people moved\r\nand 2 left".into()));
    assert!(persisted(&effects).is_empty());
    assert_eq!(state.mode, Mode::Capture);
    assert_eq!(state.capture_text(), "3 people moved\nand 2 left");
}

#[test]
fn retract_takes_enter_and_ignores_keys_typed_on() {
    let mut state = on_screen(0);
    after(&mut state, 0, key(KeyCode::Char('d')));
    let opened = state.now + Duration::milliseconds(QUIET_MS);
    update(&mut state, Action::Tick, opened);
    assert_eq!(state.overlay, Some(Overlay::ConfirmRetract(CommentId(1))));
    // Enter at once (typed on from before the window) neither confirms nor cancels.
    let effects = update(&mut state, key(KeyCode::Enter), opened + Duration::milliseconds(100));
    assert!(persisted(&effects).is_empty());
    assert_eq!(state.overlay, Some(Overlay::ConfirmRetract(CommentId(1))));
    // A letter, later, cancels: only Enter retracts.
    let effects = update(&mut state, key(KeyCode::Char('y')), opened + Duration::milliseconds(600));
    assert!(persisted(&effects).is_empty());
    assert_eq!(state.overlay, None);
    assert!(!state.session.comment(CommentId(1)).expect("kept").retracted);
    after(&mut state, 1000, key(KeyCode::Delete));
    assert_eq!(state.overlay, Some(Overlay::ConfirmRetract(CommentId(1))));
    let effects = after(&mut state, 1000, key(KeyCode::Enter));
    assert_eq!(persisted(&effects), vec![Event::CommentRetracted { id: CommentId(1) }]);
}

#[test]
fn ctrl_q_quits_with_a_window_open() {
    let mut state = on_screen(0);
    after(&mut state, 0, key(KeyCode::F(1)));
    assert!(matches!(state.overlay, Some(Overlay::Help { .. })));
    let effects = after(&mut state, 10, ctrl('q'));
    assert!(effects.contains(&Effect::Quit), "{effects:?}");
}

#[test]
fn one_q_never_ends_hosting_with_joiners_connected() {
    let mut state = on_screen(0);
    state.seat = Seat::Hosting(Hosting {
        peers: vec![Peer {
            connection: 1,
            name: "Ana".into(),
            address: "127.0.0.1:4000".parse().expect("an address"),
            since: state.now,
        }],
        ..Hosting::default()
    });
    after(&mut state, 0, key(KeyCode::Char('q')));
    let effects = after(&mut state, QUIET_MS, Action::Tick);
    assert!(!effects.contains(&Effect::Quit));
    assert_eq!(state.overlay, Some(Overlay::ConfirmQuit));
    let screen = render(&mut state, 80, 24);
    assert!(screen.contains("1 terminal(s) are joined"), "{screen}");
    let effects = after(&mut state, QUIET_MS, key(KeyCode::Enter));
    assert!(effects.contains(&Effect::Quit));
}

#[test]
fn alt_with_no_such_theme_says_so() {
    let mut state = guarded();
    after(&mut state, 0, alt('k'));
    let (message, severity) = state.message.clone().expect("a message");
    assert!(message.contains("no theme has the key 'k'"), "{message}");
    assert_eq!(severity, Severity::Warning);
}

#[test]
fn a_multi_line_comment_shows_its_lines_in_the_feed() {
    let mut state = guarded();
    type_text(&mut state, "first line");
    after(&mut state, 0, ctrl('j'));
    type_text(&mut state, "second line");
    after(&mut state, 0, key(KeyCode::Enter));
    assert_eq!(state.session.comment(CommentId(1)).expect("committed").text, "first line\nsecond line");
    let screen = render(&mut state, 100, 24);
    assert!(!screen.contains('\u{240a}'), "no stand-in for the line break:\n{screen}");
    let rows: Vec<&str> = screen.lines().collect();
    let first = rows.iter().position(|r| r.contains("first line")).expect("first line shown");
    assert!(rows[first + 1].contains("second line"), "the second line is the next row:\n{screen}");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Any text of two keys or more, typed at 8 keys a second on any command screen, pauses
    /// between words included, records nothing and lands whole in the capture bar.
    #[test]
    fn typed_text_never_fires_a_command(
        screen in 0usize..5,
        text in "[a-zA-Z0-9+=!/,.' -]{2,40}",
        pauses in proptest::collection::vec(2usize..40, 0..3),
    ) {
        let mut state = on_screen(screen);
        let before = state.session.last_seq;
        let effects = type_at(&mut state, &text, 8, &pauses);
        prop_assert!(persisted(&effects).is_empty(), "{:?}", persisted(&effects));
        prop_assert_eq!(state.session.last_seq, before);
        prop_assert!(!effects.contains(&Effect::Quit));
        prop_assert_eq!(state.mode, Mode::Capture);
        prop_assert_eq!(state.capture_text(), text);
    }
}
