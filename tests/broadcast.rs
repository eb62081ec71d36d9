//! Messages to the rooms: the facilitator's prompt, the agenda's own messages on a breakout's
//! warning and end and when a vote opens for joiners, and how joined consoles and the presenter
//! show them.
#![allow(clippy::unwrap_used, clippy::panic)] // a test fails by panicking

mod common;

use chrono::{DateTime, Duration, Utc};
use common::*;
use convene::app::{
    broadcast_banner, update, Action, AppState, Effect, Hosting, Joined, PresentOptions, Presenter, Seat,
    ENDED_TEXT, VOTE_TEXT,
};
use convene::model::VoteId;
use convene::model::{Actor, BroadcastCause, Event, SessionState, Stamped};
use convene::net::LinkNews;
use convene::ui::theme::Palette;
use crossterm::event::KeyCode;
use ratatui::backend::TestBackend;
use ratatui::Terminal;

/// The template's breakout item: 35 minutes, warning at 5, with a room note.
const BREAKOUT: u32 = 2;
const ROOM_NOTE: &str = "5 minutes left: agree the three points you will report back";

fn broadcasts(effects: &[Effect]) -> Vec<(String, bool, Option<BroadcastCause>)> {
    persisted(effects)
        .into_iter()
        .filter_map(|e| match e {
            Event::Broadcast { text, bell, cause } => Some((text, bell, cause)),
            _ => None,
        })
        .collect()
}

fn hosting() -> AppState {
    let mut state = console();
    state.seat =
        Seat::Hosting(Hosting { join_command: "convene join 127.0.0.1:7447".into(), ..Default::default() });
    state
}

#[test]
fn the_facilitator_types_a_message_and_enter_records_it() {
    let mut state = hosting();
    type_text(&mut state, "half-typed comment");
    update(&mut state, key(KeyCode::F(10)), t0());
    type_text(&mut state, "Back in the main room at 14:30");
    update(&mut state, key(KeyCode::Backspace), t0());
    type_text(&mut state, "0");
    // Tab turns the joined consoles' bell off.
    update(&mut state, key(KeyCode::Tab), t0());
    let effects = update(&mut state, key(KeyCode::Enter), t0());
    assert_eq!(broadcasts(&effects), vec![("Back in the main room at 14:30".to_string(), false, None)]);
    assert!(state.overlay.is_none());
    assert_eq!(state.capture_text(), "half-typed comment", "the capture bar is untouched");
    let latest = state.session.latest_broadcast().expect("folded");
    assert_eq!(latest.text, "Back in the main room at 14:30");
    let (said, _) = state.message.clone().expect("said on the status line");
    assert!(said.contains("sent to every room"), "{said}");
}

#[test]
fn an_empty_message_stays_in_the_prompt_and_esc_sends_nothing() {
    let mut state = hosting();
    update(&mut state, key(KeyCode::F(10)), t0());
    type_text(&mut state, "   ");
    let effects = update(&mut state, key(KeyCode::Enter), t0());
    assert!(broadcasts(&effects).is_empty());
    assert!(state.overlay.is_some(), "the prompt stays open to be fixed");
    assert!(state.message.clone().unwrap().0.contains("empty message"));
    let effects = update(&mut state, key(KeyCode::Esc), t0());
    assert!(broadcasts(&effects).is_empty() && state.overlay.is_none());
    assert!(state.session.broadcasts.is_empty());
}

#[test]
fn a_pasted_message_is_one_line_and_never_longer_than_a_banner_takes() {
    let mut state = hosting();
    update(&mut state, key(KeyCode::F(10)), t0());
    update(&mut state, Action::Paste(format!("line one\nline two {}", "x".repeat(400))), t0());
    let effects = update(&mut state, key(KeyCode::Enter), t0());
    let sent = broadcasts(&effects);
    assert_eq!(sent.len(), 1);
    assert!(sent[0].0.starts_with("line one line two"), "{sent:?}");
    assert_eq!(sent[0].0.chars().count(), convene::model::MAX_BROADCAST_CHARS);
}

fn start_breakout(state: &mut AppState, at: DateTime<Utc>) {
    let stamped = Stamped {
        seq: state.session.last_seq + 1,
        at,
        by: Actor::Facilitator,
        origin: None,
        event: Event::AgendaItemStarted { item: BREAKOUT },
    };
    state.session.apply(&state.plan, &stamped).expect("starts");
    persist_all(state);
}

#[test]
fn the_agenda_tells_the_rooms_when_the_breakout_warns_and_when_its_time_runs_out_once_each() {
    let mut state = hosting();
    start_breakout(&mut state, t0());
    let tick = |state: &mut AppState, minutes: i64, seconds: i64| {
        update(state, Action::Tick, t0() + Duration::minutes(minutes) + Duration::seconds(seconds))
    };
    assert!(broadcasts(&tick(&mut state, 29, 59)).is_empty(), "not yet");
    let warned = broadcasts(&tick(&mut state, 30, 0));
    assert_eq!(warned, vec![(ROOM_NOTE.to_string(), true, Some(BroadcastCause::Warning { item: BREAKOUT }))]);
    assert!(broadcasts(&tick(&mut state, 31, 0)).is_empty(), "said once");
    let ended = broadcasts(&tick(&mut state, 35, 1));
    assert_eq!(
        ended,
        vec![(ENDED_TEXT.to_string(), true, Some(BroadcastCause::ItemEnded { item: BREAKOUT }))]
    );
    assert!(broadcasts(&tick(&mut state, 36, 0)).is_empty(), "said once");
    // Moving on after the time ran out says nothing more.
    let moved = update(&mut state, key(KeyCode::F(5)), t0() + Duration::minutes(37));
    assert!(broadcasts(&moved).is_empty(), "{:?}", persisted(&moved));
}

#[test]
fn a_console_reopened_after_the_warning_does_not_say_it_again() {
    let mut state = hosting();
    start_breakout(&mut state, t0());
    let effects = update(&mut state, Action::Tick, t0() + Duration::minutes(31));
    assert_eq!(broadcasts(&effects).len(), 1);
    // The same log folded afresh, as after a crash: the log says the warning was sent.
    let events: Vec<Stamped> = effects
        .iter()
        .filter_map(|e| if let Effect::Persist(s) = e { Some(s.clone()) } else { None })
        .collect();
    let mut reopened = hosting();
    start_breakout(&mut reopened, t0());
    for event in &events {
        reopened.session.apply(&reopened.plan, event).expect("folds");
    }
    let again = update(&mut reopened, Action::Tick, t0() + Duration::minutes(32));
    assert!(broadcasts(&again).is_empty());
}

#[test]
fn leaving_a_breakout_early_calls_the_rooms_back() {
    let mut state = hosting();
    start_breakout(&mut state, t0());
    let effects = update(&mut state, key(KeyCode::F(5)), t0() + Duration::minutes(10));
    let events = persisted(&effects);
    assert!(matches!(events[0], Event::AgendaItemStarted { item: 3 }), "{events:?}");
    assert_eq!(
        broadcasts(&effects),
        vec![(ENDED_TEXT.to_string(), true, Some(BroadcastCause::ItemEnded { item: BREAKOUT }))]
    );
}

#[test]
fn a_warning_without_a_room_note_says_the_minutes_left() {
    let mut state = hosting();
    state.plan.agenda[BREAKOUT as usize].room_note = None;
    state.plan.agenda[BREAKOUT as usize].warn_minutes = None;
    start_breakout(&mut state, t0());
    let effects = update(&mut state, Action::Tick, t0() + Duration::minutes(33) + Duration::seconds(5));
    assert_eq!(broadcasts(&effects)[0].0, "2 minutes left: time to wrap up");
}

fn open_vote_by_keys(state: &mut AppState, joiners: bool) -> Vec<Effect> {
    update(state, key(KeyCode::F(3)), t0());
    update(state, key(KeyCode::Char('a')), t0());
    for text in ["Transport", "Housing", "Youth voice"] {
        type_text(state, text);
        update(state, key(KeyCode::Enter), t0());
    }
    update(state, key(KeyCode::Esc), t0());
    update(state, key(KeyCode::Char('o')), t0());
    if !joiners {
        update(state, key(KeyCode::Char('j')), t0());
    }
    update(state, key(KeyCode::Enter), t0())
}

#[test]
fn a_vote_open_to_joined_terminals_tells_the_rooms_and_one_cast_on_screen_does_not() {
    let mut state = hosting();
    let effects = open_vote_by_keys(&mut state, true);
    let events = persisted(&effects);
    assert!(events.iter().any(|e| matches!(e, Event::VoteOpened { .. })), "{events:?}");
    assert_eq!(
        broadcasts(&effects),
        vec![(VOTE_TEXT.to_string(), true, Some(BroadcastCause::VoteOpened { vote: VoteId(1) }))]
    );
    let mut state = hosting();
    let effects = open_vote_by_keys(&mut state, false);
    assert!(persisted(&effects).iter().any(|e| matches!(e, Event::VoteOpened { .. })));
    assert!(broadcasts(&effects).is_empty());
}

fn joined() -> AppState {
    let mut state = console();
    state.actor = Actor::NoteTaker("Room lead 2".into());
    state.seat = Seat::Joined(Joined {
        name: "Room lead 2".into(),
        host: "127.0.0.1:7447".into(),
        client: "mine".into(),
        online: true,
        next_seq: 1,
        ..Joined::default()
    });
    state
}

fn message(seq: u64, at: DateTime<Utc>, text: &str, bell: bool) -> Action {
    let event = Stamped {
        seq,
        at,
        by: Actor::Facilitator,
        origin: None,
        event: Event::Broadcast { text: text.into(), bell, cause: None },
    };
    Action::Link(LinkNews::Event(Box::new(event)))
}

#[test]
fn a_joined_console_shows_the_message_rings_once_and_hides_it_on_ctrl_l() {
    let mut state = joined();
    let effects = update(&mut state, message(1, t0(), "Back in the main room at 14:30", true), t0());
    assert!(effects.contains(&Effect::Bell), "{effects:?}");
    assert_eq!(broadcast_banner(&state).map(|b| b.text.as_str()), Some("Back in the main room at 14:30"));
    let screen = render(&mut state, 80, 24);
    assert!(screen.contains("Back in the main room at 14:30"), "{screen}");
    assert!(screen.contains("Ctrl+L hides"), "{screen}");
    insta::assert_snapshot!("joined_with_message_80x24", screen);
    // A reconnect sends the whole log again: the message is not rung for twice.
    update(&mut state, Action::Link(LinkNews::Reset), t0());
    let again = update(&mut state, message(1, t0(), "Back in the main room at 14:30", true), t0());
    assert!(!again.contains(&Effect::Bell));
    update(&mut state, ctrl('l'), t0());
    assert!(broadcast_banner(&state).is_none());
    assert!(!render(&mut state, 80, 24).contains("main room at 14:30"));
    // A joined console may not send one.
    update(&mut state, key(KeyCode::F(10)), t0());
    assert!(state.overlay.is_none());
    assert!(state.message.clone().unwrap().0.contains("facilitator's console"));
}

#[test]
fn messages_older_than_two_minutes_arrive_as_history_not_news() {
    let mut state = joined();
    let now = t0() + Duration::minutes(30);
    let effects = update(&mut state, message(1, t0(), "Two minutes left", true), now);
    assert!(!effects.contains(&Effect::Bell));
    assert!(broadcast_banner(&state).is_none());
    let effects = update(&mut state, message(2, now, "Voting is open", false), now);
    assert!(!effects.contains(&Effect::Bell), "no bell asked for");
    assert_eq!(broadcast_banner(&state).map(|b| b.seq), Some(2));
}

fn presenter_with_message(sent: DateTime<Utc>, now: DateTime<Utc>) -> Presenter {
    let plan = template_plan();
    let events = vec![
        Stamped {
            seq: 1,
            at: t0(),
            by: Actor::Facilitator,
            origin: None,
            event: Event::AgendaItemStarted { item: 0 },
        },
        Stamped {
            seq: 2,
            at: sent,
            by: Actor::Facilitator,
            origin: None,
            event: Event::Broadcast {
                text: "Back in the main room at 14:30, please bring your top three".into(),
                bell: true,
                cause: None,
            },
        },
    ];
    let session = SessionState::fold(&plan, &events).expect("folds");
    Presenter::showing(plan, session, PresentOptions { palette: Palette::PLAIN, ..Default::default() }, now)
}

fn draw(presenter: &Presenter, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("terminal");
    terminal.draw(|frame| convene::ui::present::render(frame, presenter)).expect("draw");
    terminal.backend().to_string()
}

#[test]
fn the_presenter_shows_the_latest_message_for_two_minutes() {
    let sent = t0() + Duration::minutes(3);
    let screen = draw(&presenter_with_message(sent, sent + Duration::seconds(20)), 80, 24);
    assert!(screen.contains("Back in the main room at 14:30"), "{screen}");
    assert!(!screen.contains("Ctrl+L"), "no key hints on the shared screen");
    insta::assert_snapshot!("presenter_with_message_80x24", screen);
    let later =
        draw(&presenter_with_message(sent, sent + Duration::minutes(2) + Duration::seconds(1)), 80, 24);
    assert!(!later.contains("main room at 14:30"), "{later}");
}

#[test]
fn a_solo_console_sends_no_messages_by_itself() {
    let mut state = console();
    start_breakout(&mut state, t0());
    let effects = update(&mut state, Action::Tick, t0() + Duration::minutes(31));
    assert!(broadcasts(&effects).is_empty());
    let effects = update(&mut state, key(KeyCode::F(5)), t0() + Duration::minutes(36));
    assert!(broadcasts(&effects).is_empty(), "{:?}", persisted(&effects));
    // Typed ones are for the shared screen.
    update(&mut state, key(KeyCode::F(10)), t0());
    type_text(&mut state, "Coffee until 15:10");
    let effects = update(&mut state, key(KeyCode::Enter), t0());
    assert_eq!(broadcasts(&effects).len(), 1);
    assert!(state.message.clone().unwrap().0.contains("sent to the shared screen"));
}

#[test]
fn the_replay_shows_a_message_for_two_minutes_after_it_was_sent() {
    let mut state = console();
    state.mode = convene::app::Mode::Replay;
    let stamped = Stamped {
        seq: 1,
        at: t0(),
        by: Actor::Facilitator,
        origin: None,
        event: Event::Broadcast { text: "Coffee until 15:10".into(), bell: false, cause: None },
    };
    state.session.apply(&state.plan, &stamped).expect("folds");
    state.now = t0() + Duration::seconds(90);
    let screen = render(&mut state, 80, 24);
    assert!(screen.contains("from the facilitator: Coffee until 15:10"), "{screen}");
    assert!(!screen.contains("Ctrl+L"), "nothing to dismiss in the replay");
    state.now = t0() + Duration::minutes(3);
    assert!(!render(&mut state, 80, 24).contains("Coffee until 15:10"));
}

#[test]
fn messages_to_the_rooms_round_trip_through_the_session_file() {
    use convene::store::{parse_session, session_text};
    let mut file = template_file();
    let causes = [
        None,
        Some(BroadcastCause::Warning { item: BREAKOUT }),
        Some(BroadcastCause::ItemEnded { item: BREAKOUT }),
        Some(BroadcastCause::VoteOpened { vote: VoteId(1) }),
    ];
    for (i, cause) in causes.into_iter().enumerate() {
        file.events.push(Stamped {
            seq: i as u64 + 1,
            at: t0() + Duration::seconds(i as i64),
            by: Actor::Facilitator,
            origin: None,
            event: Event::Broadcast {
                text: format!("message \"{i}\"\nsecond line"),
                bell: i % 2 == 0,
                cause,
            },
        });
    }
    let text = session_text(&file).expect("writes");
    let back = parse_session(std::path::Path::new("round.ron"), &text).expect("reads back");
    assert_eq!(back.events, file.events);
    let state = back.fold().expect("folds");
    assert_eq!(state.broadcasts.len(), 4);
    assert_eq!(
        state.latest_broadcast().and_then(|b| b.cause),
        Some(BroadcastCause::VoteOpened { vote: VoteId(1) })
    );
}

#[test]
fn m_on_a_command_screen_opens_the_message_prompt_where_f10_is_the_terminals_menu() {
    // A single `M` standing alone on the agenda (or any command screen) opens the prompt; typed
    // into the capture bar it stays text.
    let mut state = hosting();
    type_text(&mut state, "More buses, please");
    assert!(state.overlay.is_none(), "M in the capture bar is a letter");
    assert_eq!(state.capture_text(), "More buses, please");
    let mut state = keys_act_at_once(hosting());
    update(&mut state, ctrl('g'), t0());
    assert_eq!(state.mode, convene::app::Mode::Agenda);
    update(&mut state, key(KeyCode::Char('M')), t0());
    assert!(matches!(state.overlay, Some(convene::app::Overlay::Broadcast { .. })), "{:?}", state.overlay);
    type_text(&mut state, "Five minutes to go");
    let effects = update(&mut state, key(KeyCode::Enter), t0());
    assert_eq!(broadcasts(&effects), vec![("Five minutes to go".to_string(), true, None)]);
}
