//! The fold of the event log, and RON round-trips of whole sessions.
#![allow(clippy::unwrap_used, clippy::panic)] // a test fails by panicking

mod common;

use chrono::Duration;
use common::*;
use convene::model::CommentId;
use convene::model::{Actor, Event, SessionFile, SessionState, Stamped};
use convene::store::{parse_session, session_text};
use proptest::prelude::*;

fn stamp(seq: u64, event: Event) -> Stamped {
    Stamped { seq, at: t0() + Duration::seconds(seq as i64), by: Actor::Facilitator, origin: None, event }
}

fn added(id: u32, text: &str, theme: Option<&str>) -> Event {
    Event::CommentAdded {
        id: CommentId(id),
        text: text.into(),
        theme: theme.map(str::to_string),
        room: None,
        author: None,
        pre_session: false,
    }
}

#[test]
fn the_fold_applies_edits_retags_and_retractions() {
    let plan = template_plan();
    let log = vec![
        stamp(1, added(1, "first", Some("Strengths"))),
        stamp(2, added(2, "second", Some("Threats"))),
        stamp(3, Event::CommentEdited { id: CommentId(1), text: "first, corrected".into() }),
        stamp(
            4,
            Event::CommentRetagged {
                id: CommentId(2),
                theme: Some("Legal".into()),
                room: Some(2),
                author: Some("lead3".into()),
            },
        ),
        stamp(5, Event::CommentRetracted { id: CommentId(1) }),
    ];
    let state = SessionState::fold(&plan, &log).expect("folds");
    assert_eq!(state.live, vec![CommentId(2)]);
    assert_eq!(
        state.comment(CommentId(1)).map(|c| (c.text.as_str(), c.edits, c.retracted)),
        Some(("first, corrected", 1, true))
    );
    let second = state.comment(CommentId(2)).expect("comment 2");
    assert_eq!(
        (second.theme.as_deref(), second.room, second.author.as_deref()),
        (Some("Legal"), Some(2), Some("lead3"))
    );
    assert_eq!(state.theme_count(Some("Strengths")), 0, "retracted comments leave the counts");
    assert_eq!(state.theme_count(Some("Threats")), 0);
    assert_eq!(state.theme_count(Some("Legal")), 1);
    assert_eq!(state.last_seq, 5);
}

#[test]
fn the_fold_names_the_first_event_that_contradicts_the_log() {
    let plan = template_plan();
    let cases = [
        (vec![stamp(1, Event::CommentEdited { id: CommentId(9), text: "x".into() })], 1, "comment #9"),
        (vec![stamp(1, added(2, "skips an id", None))], 1, "expected comment #1"),
        (vec![stamp(1, added(1, "a", None)), stamp(1, added(2, "b", None))], 1, "does not follow"),
        (vec![stamp(1, added(1, "a", Some("Gossip")))], 1, "Gossip"),
        (
            vec![
                stamp(1, added(1, "a", None)),
                stamp(2, Event::CommentRetracted { id: CommentId(1) }),
                stamp(3, Event::CommentRetracted { id: CommentId(1) }),
            ],
            3,
            "retracted",
        ),
    ];
    for (log, seq, needle) in cases {
        let error = SessionState::fold(&plan, &log).expect_err("must be refused");
        assert_eq!(error.seq, seq, "{error}");
        assert!(error.to_string().contains(needle), "{error} should mention {needle}");
    }
}

/// Arbitrary comment text: Unicode, emoji, right-to-left, quotes, backslashes, newlines and
/// control characters all survive storage exactly.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "\\PC{0,40}",
        Just("emoji 🎉👩🏽‍💻 and RTL مرحبا بالعالم".to_string()),
        Just("quotes \" ' \\ and r#\"raw\"# \n second line\r\n\ttab \u{1b}[31m esc".to_string()),
        "[a-z \\n\"\\\\]{0,30}",
    ]
}

fn log_strategy() -> impl Strategy<Value = Vec<Stamped>> {
    let plan = template_plan();
    let themes: Vec<Option<String>> =
        std::iter::once(None).chain(plan.themes.iter().map(|t| Some(t.name.clone()))).collect();
    let authors: Vec<Option<String>> =
        std::iter::once(None).chain(plan.participants.iter().map(|p| Some(p.id.clone()))).collect();
    let ops = prop::collection::vec(
        (0u8..4, text(), 0..themes.len(), 0u32..4, 0..authors.len(), any::<bool>(), 0usize..50, 0i64..120),
        0..40,
    );
    ops.prop_map(move |ops| {
        let mut log = Vec::new();
        let mut live: Vec<u32> = Vec::new();
        let mut next = 1;
        let mut at = t0();
        for (kind, text, theme, room, author, pre, pick, gap) in ops {
            at += Duration::seconds(gap);
            let room = room.checked_sub(1);
            let event = match (kind, live.is_empty()) {
                (1, false) => Event::CommentEdited { id: CommentId(live[pick % live.len()]), text },
                (2, false) => Event::CommentRetagged {
                    id: CommentId(live[pick % live.len()]),
                    theme: themes[theme].clone(),
                    room,
                    author: authors[author].clone(),
                },
                (3, false) => Event::CommentRetracted { id: CommentId(live.remove(pick % live.len())) },
                _ => {
                    live.push(next);
                    next += 1;
                    Event::CommentAdded {
                        id: CommentId(next - 1),
                        text,
                        theme: themes[theme].clone(),
                        room,
                        author: authors[author].clone(),
                        pre_session: pre,
                    }
                }
            };
            let by = if pre { Actor::NoteTaker("Priya Shah".into()) } else { Actor::Facilitator };
            log.push(Stamped { seq: log.len() as u64 + 1, at, by, origin: None, event });
        }
        log
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn any_session_round_trips_through_ron_unchanged(log in log_strategy()) {
        let mut file = template_file();
        file.events = log;
        let folded = file.fold().expect("generated logs are valid");
        let text = session_text(&file).expect("encodes");
        let back: SessionFile = parse_session(std::path::Path::new("roundtrip.ron"), &text).expect("parses back");
        prop_assert_eq!(&back, &file);
        prop_assert_eq!(back.fold().expect("folds"), folded);
    }

    #[test]
    fn each_rooms_live_list_is_exactly_the_live_comments_of_that_room(log in log_strategy()) {
        let mut file = template_file();
        file.events = log;
        let folded = file.fold().expect("generated logs are valid");
        let mut rooms: Vec<Option<u32>> = folded.comments.iter().map(|c| c.room).collect();
        rooms.sort();
        rooms.dedup();
        for room in rooms {
            let expected: Vec<CommentId> = folded.live_comments().filter(|c| c.room == room).map(|c| c.id).collect();
            prop_assert_eq!(folded.live_in_room(room), expected.as_slice());
        }
    }
}

#[test]
fn the_bundled_example_round_trips_with_every_kind_of_event() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sessions/example.ron");
    let text = std::fs::read_to_string(&path).expect("example");
    let file = parse_session(&path, &text).expect("parses");
    let kinds: std::collections::BTreeSet<String> = file
        .events
        .iter()
        .map(|e| format!("{:?}", e.event).split([' ', '(', '{']).next().unwrap_or_default().to_string())
        .collect();
    for kind in [
        "CommentAdded",
        "CommentEdited",
        "AgendaItemStarted",
        "TimerPaused",
        "RoomsAssigned",
        "DotPlaced",
        "VoteClosed",
        "DecisionRecorded",
    ] {
        assert!(kinds.contains(kind), "the example has no {kind}: {kinds:?}");
    }
    let back = parse_session(&path, &session_text(&file).expect("encodes")).expect("parses back");
    assert_eq!(back, file);
    assert_eq!(back.fold().expect("folds"), file.fold().expect("folds"));
}
