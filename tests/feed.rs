//! Scrolling the comment feed: keys go by the size of the feed on the frame last drawn (as in
//! the console, where a frame is always drawn before the next key), the view moves as little as
//! possible, and a wrapped comment counts every row it takes.
#![allow(clippy::unwrap_used, clippy::panic)] // a test fails by panicking

mod common;

use common::*;
use convene::app::{update, Action, AppState, Mode};
use convene::model::CommentId;
use convene::ui;
use convene::view::feed;
use crossterm::event::KeyCode;
use proptest::prelude::*;
use ratatui::backend::TestBackend;
use ratatui::Terminal;

/// Draw as the console does and keep the feed's size for the next keys; the screen's rows.
fn draw(state: &mut AppState, width: u16, height: u16) -> Vec<String> {
    update(state, Action::Resize(width, height), state.now);
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("terminal");
    let mut drawn = None;
    terminal.draw(|frame| drawn = Some(ui::render(frame, state))).expect("draw");
    state.feed.viewport = drawn.expect("drawn").feed;
    let buffer = terminal.backend().buffer().clone();
    (0..height).map(|y| (0..width).map(|x| buffer[(x, y)].symbol().to_string()).collect::<String>()).collect()
}

/// The feed's comment rows on screen (below its title row).
fn feed_rows(screen: &[String], state: &AppState) -> Vec<String> {
    screen.iter().skip(3).take(usize::from(state.feed.viewport.rows)).cloned().collect()
}

/// The number each comment row starts with ("#12"), in screen order.
fn numbers(rows: &[String]) -> Vec<u32> {
    rows.iter()
        .filter_map(|row| {
            // The first column is the selection marker ("▶" or a space).
            let rest: String = row.chars().skip(1).collect();
            rest.strip_prefix('#')?.split_whitespace().next()?.parse().ok()
        })
        .collect()
}

fn with_comments(texts: impl IntoIterator<Item = String>) -> AppState {
    let mut state = keys_act_at_once(console());
    for text in texts {
        commit(&mut state, &text);
    }
    persist_all(&mut state);
    state
}

fn press(state: &mut AppState, code: KeyCode, times: usize) {
    for _ in 0..times {
        update(state, key(code), t0());
    }
}

#[test]
fn browsing_up_keeps_the_view_until_the_selection_leaves_it_then_brings_it_to_the_top() {
    let mut state = with_comments((1..=30).map(|n| format!("comment {n}")));
    let screen = draw(&mut state, 80, 24);
    let rows = usize::from(state.feed.viewport.rows);
    assert_eq!(rows, 16, "80x24 leaves 16 rows for comments");
    assert_eq!(numbers(&feed_rows(&screen, &state)), (15..=30).collect::<Vec<_>>());

    update(&mut state, key(KeyCode::Esc), t0());
    assert_eq!(state.mode, Mode::Browse);
    assert_eq!(state.feed.selected, Some(CommentId(30)));
    // Up to the top row of what shows: the view does not move.
    press(&mut state, KeyCode::Up, 15);
    let screen = draw(&mut state, 80, 24);
    let shown = feed_rows(&screen, &state);
    assert_eq!(numbers(&shown), (15..=30).collect::<Vec<_>>());
    assert!(shown[0].starts_with("▶#15"), "{shown:?}");

    // One more: #14 comes in at the top, and the newest scrolls out below.
    update(&mut state, key(KeyCode::Up), t0());
    let screen = draw(&mut state, 80, 24);
    let shown = feed_rows(&screen, &state);
    assert_eq!(numbers(&shown), (14..=29).collect::<Vec<_>>());
    assert!(shown[0].starts_with("▶#14"), "{shown:?}");
    assert!(screen[2].contains("↓ 1 newer below"), "{}", screen[2]);

    // Back down within the view: it stays where it is.
    update(&mut state, key(KeyCode::Down), t0());
    let screen = draw(&mut state, 80, 24);
    let shown = feed_rows(&screen, &state);
    assert_eq!(numbers(&shown), (14..=29).collect::<Vec<_>>());
    assert!(shown[1].starts_with("▶#15"), "{shown:?}");

    // End goes back to the newest, with nothing below.
    update(&mut state, key(KeyCode::End), t0());
    let screen = draw(&mut state, 80, 24);
    assert_eq!(numbers(&feed_rows(&screen, &state)), (15..=30).collect::<Vec<_>>());
    assert!(!screen[2].contains("newer below"), "{}", screen[2]);
}

#[test]
fn a_wrapped_comment_shows_whole_when_selected_at_the_top() {
    let long = "A long comment about transport links between the market towns and the \
                hospital, which several partners raised in every room this morning"
        .to_string();
    let texts = (1..=20).map(|n| if n == 5 { long.clone() } else { format!("comment {n}") });
    let mut state = with_comments(texts);
    draw(&mut state, 80, 24);
    update(&mut state, key(KeyCode::Esc), t0());
    press(&mut state, KeyCode::Up, 15);
    assert_eq!(state.feed.selected, Some(CommentId(5)));
    let screen = draw(&mut state, 80, 24);
    let shown = feed_rows(&screen, &state);
    assert!(shown[0].starts_with("▶#5 "), "{shown:?}");
    assert!(shown[2].trim() == "morning", "its last row shows too: {shown:?}");
    let comment = state.session.comment(CommentId(5)).unwrap();
    let height = feed::height(&state.feed_look(), comment, usize::from(state.feed.viewport.columns));
    assert_eq!(height, 3, "the long comment takes three rows at 80 columns: {shown:?}");
    // The rows below it fill the page: 13 one-row comments after a three-row one.
    assert_eq!(numbers(&shown), (5..=18).collect::<Vec<_>>());
}

#[test]
fn page_keys_move_half_of_what_the_screen_shows() {
    for (width, height) in [(80u16, 24u16), (160, 45)] {
        let mut state = with_comments((1..=100).map(|n| format!("comment {n}")));
        draw(&mut state, width, height);
        let page = feed::page_size(state.feed.viewport);
        assert_eq!(page, usize::from(state.feed.viewport.rows) / 2, "{width}x{height}");
        update(&mut state, key(KeyCode::PageUp), t0());
        let screen = draw(&mut state, width, height);
        assert!(screen[2].contains(&format!("↓ {page} newer below")), "{width}x{height}: {}", screen[2]);
        let shown = numbers(&feed_rows(&screen, &state));
        assert_eq!(shown.last(), Some(&(100 - page as u32)), "{width}x{height}");
        update(&mut state, key(KeyCode::PageDown), t0());
        let screen = draw(&mut state, width, height);
        assert!(!screen[2].contains("newer below"), "{width}x{height}: {}", screen[2]);
        assert_eq!(state.feed.bottom, None, "back to following the newest");
    }
}

#[test]
fn a_taller_terminal_pages_further_once_a_frame_has_shown_it() {
    let mut state = with_comments((1..=100).map(|n| format!("comment {n}")));
    draw(&mut state, 80, 24);
    let small = state.feed.viewport;
    draw(&mut state, 160, 45);
    let large = state.feed.viewport;
    assert!(large.rows > small.rows && large.columns > small.columns, "{small:?} {large:?}");
    assert!(feed::page_size(large) > feed::page_size(small));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    /// Whatever the comments' lengths and the keys, the selected comment is on screen whole
    /// after every key in Browse mode.
    #[test]
    fn the_selected_comment_is_always_on_screen_whole(
        words in proptest::collection::vec(1usize..40, 3..40),
        keys in proptest::collection::vec(0u8..6, 1..30),
        tall in any::<bool>(),
    ) {
        let (width, height) = if tall { (160, 45) } else { (80, 24) };
        let texts = words.iter().enumerate().map(|(i, n)| format!("c{} {}", i + 1, "word ".repeat(*n)));
        let mut state = with_comments(texts);
        draw(&mut state, width, height);
        update(&mut state, key(KeyCode::Esc), t0());
        for k in keys {
            let code = [KeyCode::Up, KeyCode::Down, KeyCode::PageUp, KeyCode::PageDown, KeyCode::Home, KeyCode::End][usize::from(k)];
            update(&mut state, key(code), t0());
            let screen = draw(&mut state, width, height);
            let rows = feed_rows(&screen, &state);
            let selected = state.feed.selected.unwrap();
            let at = rows.iter().position(|r| r.starts_with(&format!("▶#{selected} ")));
            prop_assert!(at.is_some(), "#{selected} not on screen: {rows:?}");
            let comment = state.session.comment(selected).unwrap();
            let height = feed::height(&state.feed_look(), comment, usize::from(state.feed.viewport.columns));
            prop_assert!(at.unwrap() + height <= rows.len(), "#{selected} cut off: {rows:?}");
        }
    }
}
