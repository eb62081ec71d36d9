//! The console's state transitions, driven through the pure `update` function.
#![allow(clippy::unwrap_used, clippy::panic)] // a test fails by panicking

mod common;

use common::*;
use convene::app::{update, Action, Effect, Mode, Overlay};
use convene::model::CommentId;
use convene::model::Event;
use crossterm::event::KeyCode;

#[test]
fn enter_commits_the_typed_comment_with_its_tags() {
    let mut state = console();
    update(&mut state, alt('s'), t0());
    update(&mut state, alt('2'), t0());
    let effects = commit(&mut state, "Strong local networks");
    let events = persisted(&effects);
    assert_eq!(events.len(), 1);
    match &events[0] {
        Event::CommentAdded { id, text, theme, room, .. } => {
            assert_eq!(*id, CommentId(1));
            assert_eq!(text, "Strong local networks");
            assert_eq!(theme.as_deref(), Some("Strengths"));
            assert_eq!(*room, Some(1));
        }
        other => panic!("expected a comment, got {other:?}"),
    }
    assert_eq!(state.capture_text(), "", "the bar is cleared for the next comment");
    assert_eq!(state.session.live, vec![CommentId(1)]);
    // Tags stay for the next comment: note-takers capture runs of one theme.
    assert_eq!(state.theme_name(&state.bar.tags.clone()), Some("Strengths"));
}

#[test]
fn an_empty_bar_never_commits() {
    let mut state = console();
    let effects = commit(&mut state, "   ");
    assert!(persisted(&effects).is_empty());
    assert!(state.session.comments.is_empty());
}

#[test]
fn saved_is_shown_only_after_the_writer_confirms() {
    let mut state = console();
    commit(&mut state, "first");
    assert_eq!(state.unsaved_events(), 1);
    update(&mut state, Action::Persisted(1), t0());
    assert_eq!(state.unsaved_events(), 0);
    update(&mut state, Action::PersistFailed("disk full".into()), t0());
    assert_eq!(state.disk.save_error.as_deref(), Some("disk full"));
}

#[test]
fn undo_takes_back_the_last_comment_and_gives_its_text_back() {
    let mut state = console();
    commit(&mut state, "keep me");
    commit(&mut state, "oops");
    let effects = update(&mut state, ctrl('z'), t0());
    assert_eq!(persisted(&effects), vec![Event::Undone { seq: 2 }]);
    assert_eq!(state.capture_text(), "oops");
    assert_eq!(state.session.live, vec![CommentId(1)]);
}

#[test]
fn edit_changes_the_text_and_the_log_keeps_both() {
    let mut state = console();
    commit(&mut state, "Funding cliff in 2027");
    update(&mut state, key(KeyCode::Esc), t0());
    assert_eq!(state.mode, Mode::Browse);
    update(&mut state, key(KeyCode::Char('e')), t0());
    assert_eq!(state.mode, Mode::Edit);
    assert_eq!(state.capture_text(), "Funding cliff in 2027");
    for _ in 0..4 {
        update(&mut state, key(KeyCode::Backspace), t0());
    }
    type_text(&mut state, "2028");
    let effects = update(&mut state, key(KeyCode::Enter), t0());
    let events = persisted(&effects);
    assert!(events.contains(&Event::CommentEdited { id: CommentId(1), text: "Funding cliff in 2028".into() }));
    let comment = state.session.comment(CommentId(1)).expect("comment 1");
    assert_eq!(comment.text, "Funding cliff in 2028");
    assert_eq!(comment.edits, 1);
}

#[test]
fn retract_asks_first_and_keeps_the_comment_on_no() {
    let mut state = console();
    commit(&mut state, "one");
    update(&mut state, key(KeyCode::Esc), t0());
    update(&mut state, key(KeyCode::Char('d')), t0());
    assert_eq!(state.overlay, Some(Overlay::ConfirmRetract(CommentId(1))));
    let effects = update(&mut state, key(KeyCode::Char('n')), t0());
    assert!(persisted(&effects).is_empty());
    update(&mut state, key(KeyCode::Char('d')), t0());
    let effects = update(&mut state, key(KeyCode::Enter), t0());
    assert_eq!(persisted(&effects), vec![Event::CommentRetracted { id: CommentId(1) }]);
    assert!(state.session.live.is_empty());
    assert!(state.session.comment(CommentId(1)).expect("kept in the log").retracted);
}

#[test]
fn quit_asks_only_when_something_is_not_durable() {
    let mut state = console();
    commit(&mut state, "not yet on disk");
    let effects = update(&mut state, ctrl('q'), t0());
    assert!(!effects.contains(&Effect::Quit));
    assert_eq!(state.overlay, Some(Overlay::ConfirmQuit));
    update(&mut state, key(KeyCode::Char('n')), t0());
    persist_all(&mut state);
    let effects = update(&mut state, ctrl('q'), t0());
    assert!(effects.contains(&Effect::Quit));
}

#[test]
fn quit_asked_while_the_disk_catches_up_goes_ahead_once_it_has() {
    let mut state = console();
    commit(&mut state, "not yet on disk");
    update(&mut state, ctrl('q'), t0());
    assert_eq!(state.overlay, Some(Overlay::ConfirmQuit));
    let seq = state.session.last_seq;
    let effects = update(&mut state, Action::Persisted(seq), t0());
    assert!(effects.contains(&Effect::Quit), "nothing is at stake any more: {effects:?}");
}

#[test]
fn question_mark_opens_help_only_on_an_empty_bar() {
    let mut state = console();
    update(&mut state, key(KeyCode::Char('?')), t0());
    assert!(matches!(state.overlay, Some(Overlay::Help { .. })));
    update(&mut state, key(KeyCode::Esc), t0());
    type_text(&mut state, "why?");
    assert_eq!(state.overlay, None);
    assert_eq!(state.capture_text(), "why?");
}

#[test]
fn paste_keeps_line_breaks_and_never_commits() {
    let mut state = console();
    let effects = update(&mut state, Action::Paste("line one\r\nline two".into()), t0());
    assert!(persisted(&effects).is_empty());
    assert_eq!(state.capture_text(), "line one\nline two");
}

#[test]
fn theme_prefix_then_key_sets_the_theme() {
    let mut state = console();
    update(&mut state, ctrl('t'), t0());
    update(&mut state, key(KeyCode::Char('h')), t0());
    assert_eq!(state.theme_name(&state.bar.tags.clone()), Some("Technological"));
    update(&mut state, ctrl('t'), t0());
    update(&mut state, key(KeyCode::Char('-')), t0());
    assert_eq!(state.bar.tags.theme, None);
}

#[test]
fn events_are_stamped_in_order_even_if_the_clock_steps_back() {
    let mut state = console();
    commit(&mut state, "one");
    let earlier = t0() - chrono::Duration::seconds(30);
    type_text(&mut state, "two");
    let effects = update(&mut state, key(KeyCode::Enter), earlier);
    let Some(Effect::Persist(stamped)) = effects.iter().find(|e| matches!(e, Effect::Persist(_))) else {
        panic!("expected a persist effect");
    };
    assert_eq!(stamped.seq, 2);
    assert!(stamped.at >= t0(), "time never runs backwards in the log");
}

#[test]
fn an_agenda_item_with_a_theme_tags_what_is_typed_while_it_runs() {
    let mut state = console();
    let threats =
        state.plan.themes.iter().position(|t| t.name == "Threats").expect("the template has Threats");
    state.plan.agenda[0].theme = Some("Threats".into());
    assert_eq!(state.bar.tags.theme, None);
    update(&mut state, key(KeyCode::F(5)), t0());
    assert_eq!(state.bar.tags.theme, Some(threats), "the item's theme is the bar's");
    commit(&mut state, "Funding cliff in 2027");
    assert_eq!(state.session.comment(CommentId(1)).and_then(|c| c.theme.clone()).as_deref(), Some("Threats"));
    // A plan naming a theme it does not have says so in words.
    state.plan.agenda[1].theme = Some("Threads".into());
    let problems = state.plan.problems();
    assert!(
        problems.iter().any(|p| p.contains("\"Threads\", which is not among the themes")),
        "{problems:?}"
    );
}
