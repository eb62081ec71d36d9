//! Rendered screens at a small and a large size, on ratatui's TestBackend.
#![allow(clippy::unwrap_used, clippy::panic)] // a test fails by panicking

mod common;

use common::*;
use convene::app::{update, Action, AppState};
use convene::model::CommentId;
use crossterm::event::KeyCode;

/// A console mid-session: a few tagged comments, one edited, one unsaved, text being typed.
fn busy_console() -> AppState {
    let mut state = console();
    let lines = [
        ('s', '1', "Long history of joint working between the council and the voluntary sector"),
        ('w', '1', "Data sharing agreements take months; partners duplicate assessments"),
        ('o', '2', "Shared prevention budget could fund the community navigators pilot"),
        ('t', '3', "Funding cliff in 2027 when the transformation grant ends"),
        ('p', '0', "Devolution deal changes who holds the commissioning budget"),
        ('c', '2', "Younger residents are missing from every consultation so far"),
    ];
    for (theme, room, text) in lines {
        update(&mut state, alt(theme), t0());
        update(&mut state, alt(room), t0());
        commit(&mut state, text);
    }
    persist_all(&mut state);
    commit(&mut state, "Not yet durable: waiting for the disk");
    type_text(&mut state, "Half-typed thought about transport links");
    state
}

#[test]
fn main_screen_80x24() {
    let mut state = busy_console();
    insta::assert_snapshot!(render(&mut state, 80, 24));
}

#[test]
fn main_screen_160x48() {
    let mut state = busy_console();
    insta::assert_snapshot!(render(&mut state, 160, 48));
}

#[test]
fn help_overlay_80x24() {
    let mut state = console();
    update(&mut state, key(KeyCode::F(1)), t0());
    insta::assert_snapshot!(render(&mut state, 80, 24));
}

#[test]
fn browse_mode_selects_a_comment() {
    let mut state = busy_console();
    render(&mut state, 80, 24);
    update(&mut state, key(KeyCode::Esc), t0());
    update(&mut state, key(KeyCode::Up), t0());
    insta::assert_snapshot!(render(&mut state, 80, 24));
}

#[test]
fn control_characters_never_reach_the_terminal() {
    let mut state = console();
    update(&mut state, Action::Paste("evil \u{1b}[2J\u{1b}]0;pwned\u{7} text".into()), t0());
    update(&mut state, key(KeyCode::Enter), t0());
    let screen = render(&mut state, 80, 24);
    assert!(!screen.contains('\u{1b}'), "{screen}");
    assert!(!screen.contains('\u{7}'), "{screen}");
    assert!(screen.contains("evil"), "{screen}");
    // Stored exactly as typed.
    assert!(state.session.comment(CommentId(1)).expect("comment").text.contains("\u{1b}[2J"));
}

#[test]
fn every_size_from_tiny_to_huge_renders_without_panicking() {
    let mut state = busy_console();
    for (width, height) in [(1, 1), (20, 5), (40, 10), (79, 23), (80, 24), (120, 30), (250, 80)] {
        let screen = render(&mut state, width, height);
        assert_eq!(screen.lines().count(), height as usize);
    }
}
