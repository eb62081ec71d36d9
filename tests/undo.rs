//! Undo and redo as events: for every kind of act, undoing it leaves the session as it was
//! before the act, and redoing it brings the act back; the log keeps both, replay and reports
//! read the undone state, and a joiner undoes only its own acts.
#![allow(clippy::unwrap_used, clippy::panic)] // a test fails by panicking

mod common;

use std::path::Path;

use chrono::{DateTime, Duration, Utc};
use convene::model::CommentId;
use convene::model::{
    decide, Actor, Event, Intent, Plan, Rejection, Request, SessionFile, SessionState, Stamped,
};
use convene::store::load_read_only;

fn example() -> SessionFile {
    load_read_only(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/sessions/example.ron")))
        .expect("example loads")
        .file
}

/// What a person sees of a session: everything the fold says, but not its bookkeeping (the
/// log itself, and the numbered placeholders an undone creation leaves).
fn seen(state: &SessionState) -> String {
    let comments: Vec<_> =
        state.live_comments().map(|c| (c.id, &c.text, &c.theme, c.room, &c.author)).collect();
    let candidates: Vec<_> = state.voting.standing().map(|c| (c.id, &c.text, &c.sources)).collect();
    let votes: Vec<_> = state.voting.counted_votes().map(|v| (v.id, &v.rules, &v.dots, v.closed)).collect();
    let decisions: Vec<_> =
        state.voting.counted_decisions().map(|d| (d.id, &d.question, &d.answers, d.closed)).collect();
    format!(
        "{comments:?}\n{:?}\n{candidates:?}\n{votes:?}\n{decisions:?}\n{:?}\n{:?}",
        state.theme_counts.iter().filter(|(_, n)| **n > 0).collect::<std::collections::BTreeMap<_, _>>(),
        state.agenda,
        state.rooms,
    )
}

fn stamp(state: &SessionState, by: &Actor, event: Event, at: DateTime<Utc>) -> Stamped {
    Stamped { seq: state.last_seq + 1, at, by: by.clone(), origin: None, event }
}

/// Record what `by` asks for, through `decide` and the fold, as every console does.
fn ask(
    plan: &Plan,
    state: &mut SessionState,
    by: &Actor,
    intent: Intent,
    at: DateTime<Utc>,
) -> Result<(), String> {
    let events = decide(plan, state, by, intent).map_err(|r| r.to_string())?;
    for event in events {
        let stamped = stamp(state, by, event, at);
        state.apply(plan, &stamped).map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// Undo an event's act right after it, then redo it: first the session is as before the act,
/// then as after it. Returns what kinds of event were checked.
fn undo_redo_each(plan: &Plan, events: &[Stamped]) -> Vec<String> {
    let mut kinds = Vec::new();
    let mut state = SessionState::new(plan);
    for (i, stamped) in events.iter().enumerate() {
        let before = seen(&state);
        state.apply(plan, stamped).unwrap_or_else(|e| panic!("event {i}: {e}"));
        let after = seen(&state);
        if stamped.event.is_undo_mark() {
            continue;
        }
        let at = stamped.at;
        let mut trial = state.clone();
        let by = stamped.by.clone();
        ask(plan, &mut trial, &by, Intent::Ask(Request::Undo { seq: stamped.seq }), at)
            .unwrap_or_else(|e| panic!("undo of {}: {e}", stamped.event.describe()));
        assert_eq!(
            seen(&trial),
            before,
            "undoing {} leaves the session as before it",
            stamped.event.describe()
        );
        assert!(trial.is_undone(stamped.seq));
        ask(plan, &mut trial, &by, Intent::Ask(Request::Redo { seq: stamped.seq }), at)
            .unwrap_or_else(|e| panic!("redo of {}: {e}", stamped.event.describe()));
        assert_eq!(seen(&trial), after, "redoing {} brings it back", stamped.event.describe());
        // The whole log, marks included, folds to the same state as the live one.
        let refolded = SessionState::fold(plan, trial.log()).expect("the log with its marks folds");
        assert_eq!(seen(&refolded), after);
        let kind =
            format!("{:?}", stamped.event).split([' ', '{', '(']).next().unwrap_or_default().to_string();
        if !kinds.contains(&kind) {
            kinds.push(kind);
        }
    }
    kinds
}

#[test]
fn every_act_of_the_example_can_be_undone_and_redone_right_after_it() {
    let file = example();
    let kinds = undo_redo_each(&file.plan, &file.events);
    assert!(kinds.len() >= 20, "the example exercises most kinds of act: {kinds:?}");
}

#[test]
fn the_acts_the_example_lacks_can_be_undone_and_redone_too() {
    let plan: Plan = ron::from_str(
        r#"(title: "Undo", themes: [(key: 't', name: "Threats")],
            rooms: [(name: "North"), (name: "South")],
            agenda: [(title: "Welcome", minutes: 5), (title: "Breakout", minutes: 20), (title: "Close", minutes: 5)],
            participants: [(id: "priya", name: "Priya Shah", org: "Food Bank"),
                           (id: "ben", name: "Ben Ode", org: "NHS")])"#,
    )
    .unwrap();
    let t0: DateTime<Utc> = "2026-11-29T10:00:00Z".parse().unwrap();
    let me = Actor::Facilitator;
    let acts = [
        Event::AgendaItemStarted { item: 0 },
        Event::TimerPaused,
        Event::TimerResumed,
        Event::AgendaItemSkipped { item: 1 },
        Event::ParticipantCheckedIn { id: "priya".into() },
        Event::ParticipantAdded {
            id: "sam".into(),
            name: "Sam Okafor".into(),
            organisation: "Council".into(),
            deputy_for: Some("ben".into()),
            role: convene::model::Role::Partner,
            email: None,
        },
        Event::RoomsAssigned { round: 0, rooms: vec![vec!["priya".into()], vec!["sam".into()]] },
        Event::ParticipantMoved { id: "priya".into(), room: 1 },
        Event::AgendaItemStarted { item: 2 },
        Event::AgendaEnded,
    ];
    let mut state = SessionState::new(&plan);
    for (i, event) in acts.into_iter().enumerate() {
        let stamped = stamp(&state, &me, event, t0 + Duration::minutes(i as i64));
        state.apply(&plan, &stamped).unwrap_or_else(|e| panic!("{e}"));
    }
    let kinds = undo_redo_each(&plan, state.log());
    for kind in [
        "TimerPaused",
        "TimerResumed",
        "AgendaItemSkipped",
        "AgendaEnded",
        "ParticipantAdded",
        "ParticipantMoved",
    ] {
        assert!(kinds.iter().any(|k| k == kind), "{kind} checked: {kinds:?}");
    }
}

fn small_plan() -> Plan {
    ron::from_str(
        r#"(title: "Undo", agenda: [(title: "Welcome", minutes: 5), (title: "Threats", minutes: 10)],
            participants: [(id: "priya", name: "Priya Shah", org: "Food Bank")])"#,
    )
    .unwrap()
}

fn comment(text: &str) -> Intent {
    Intent::Ask(Request::AddComment {
        text: text.into(),
        theme: None,
        room: None,
        author: None,
        pre_session: false,
    })
}

#[test]
fn an_undone_comment_keeps_its_number_and_nothing_that_needs_it_is_left_dangling() {
    let plan = small_plan();
    let t0: DateTime<Utc> = "2026-11-29T10:00:00Z".parse().unwrap();
    let me = Actor::Facilitator;
    let mut state = SessionState::new(&plan);
    ask(&plan, &mut state, &me, comment("first"), t0).unwrap();
    ask(
        &plan,
        &mut state,
        &me,
        Intent::Ask(Request::EditComment { id: CommentId(1), text: "first, corrected".into() }),
        t0,
    )
    .unwrap();
    // Undoing the capture while its correction stands is refused, in words.
    let refused = ask(&plan, &mut state, &me, Intent::Ask(Request::Undo { seq: 1 }), t0).unwrap_err();
    assert!(refused.contains("depends on it") && refused.contains("undo that first"), "{refused}");
    assert_eq!(state.live, vec![CommentId(1)], "a refused undo changes nothing");
    // Latest first works: the correction, then the capture.
    ask(&plan, &mut state, &me, Intent::Ask(Request::Undo { seq: 2 }), t0).unwrap();
    assert_eq!(state.comment(CommentId(1)).unwrap().text, "first");
    ask(&plan, &mut state, &me, Intent::Ask(Request::Undo { seq: 1 }), t0).unwrap();
    assert!(state.live.is_empty());
    // The next comment is #2: numbers are never reused, so "comment 1" always means one thing.
    ask(&plan, &mut state, &me, comment("second"), t0).unwrap();
    assert_eq!(state.live, vec![CommentId(2)]);
    assert_eq!(state.log().len(), 5, "the log keeps the acts and the undos");
    let refolded = SessionState::fold(&plan, state.log()).unwrap();
    assert_eq!(seen(&refolded), seen(&state));
}

#[test]
fn ctrl_z_undoes_ones_own_latest_act_and_ctrl_y_redoes_it_until_something_new_is_done() {
    let plan = small_plan();
    let t0: DateTime<Utc> = "2026-11-29T10:00:00Z".parse().unwrap();
    let me = Actor::Facilitator;
    let ben = Actor::NoteTaker("Ben".into());
    let mut state = SessionState::new(&plan);
    ask(&plan, &mut state, &me, Intent::Steer(Event::AgendaItemStarted { item: 0 }), t0).unwrap();
    ask(&plan, &mut state, &ben, comment("Ben's point"), t0 + Duration::seconds(1)).unwrap();
    // The facilitator's Ctrl+Z undoes the facilitator's act, not the joiner's later comment.
    let undo = convene::model::undo_last(&state, &me).unwrap();
    assert_eq!(undo, Intent::Ask(Request::Undo { seq: 1 }));
    ask(&plan, &mut state, &me, undo, t0 + Duration::seconds(2)).unwrap();
    assert_eq!(state.agenda.current, None);
    assert_eq!(state.live, vec![CommentId(1)], "Ben's comment stands");
    let redo = convene::model::redo_last(&state, &me).unwrap();
    ask(&plan, &mut state, &me, redo, t0 + Duration::seconds(3)).unwrap();
    assert_eq!(state.agenda.current, Some(0));
    assert_eq!(convene::model::redo_last(&state, &me), Err(Rejection::NothingToRedo));
    // After a new act, the undone one can no longer be redone with Ctrl+Y.
    let intent = convene::model::undo_last(&state, &me).unwrap();
    ask(&plan, &mut state, &me, intent, t0 + Duration::seconds(4)).unwrap();
    ask(&plan, &mut state, &me, comment("new"), t0 + Duration::seconds(5)).unwrap();
    assert_eq!(convene::model::redo_last(&state, &me), Err(Rejection::NothingToRedo));
}

#[test]
fn a_joiner_undoes_only_its_own_acts_and_the_facilitator_any() {
    let plan = small_plan();
    let t0: DateTime<Utc> = "2026-11-29T10:00:00Z".parse().unwrap();
    let ben = Actor::NoteTaker("Ben".into());
    let priya = Actor::NoteTaker("Priya Shah".into());
    let mut state = SessionState::new(&plan);
    ask(&plan, &mut state, &ben, comment("Ben's point"), t0).unwrap();
    ask(&plan, &mut state, &Actor::Facilitator, Intent::Steer(Event::AgendaItemStarted { item: 0 }), t0)
        .unwrap();
    let theirs = decide(&plan, &state, &priya, Intent::Ask(Request::Undo { seq: 1 }));
    assert!(matches!(theirs, Err(Rejection::NotYourAct(_))), "{theirs:?}");
    let steering = decide(&plan, &state, &ben, Intent::Ask(Request::Undo { seq: 2 }));
    assert!(matches!(steering, Err(Rejection::NotYourAct(_))), "{steering:?}");
    assert_eq!(convene::model::undo_last(&state, &priya), Err(Rejection::NothingToUndo));
    ask(&plan, &mut state, &ben, Intent::Ask(Request::Undo { seq: 1 }), t0).unwrap();
    ask(&plan, &mut state, &Actor::Facilitator, Intent::Ask(Request::Redo { seq: 1 }), t0).unwrap();
    assert_eq!(state.live, vec![CommentId(1)], "the facilitator may redo anyone's act");
}

#[test]
fn a_two_event_act_is_undone_and_redone_whole() {
    let plan: Plan = ron::from_str(
        r#"(title: "Undo", themes: [(key: 't', name: "Threats")],
            participants: [(id: "priya", name: "Priya Shah", org: "Food Bank")])"#,
    )
    .unwrap();
    let t0: DateTime<Utc> = "2026-11-29T10:00:00Z".parse().unwrap();
    let me = Actor::Facilitator;
    let mut state = SessionState::new(&plan);
    ask(&plan, &mut state, &me, comment("first"), t0).unwrap();
    // One correction of text and tags, recorded together as the console's edit does.
    let t1 = t0 + Duration::seconds(5);
    ask(
        &plan,
        &mut state,
        &me,
        Intent::Ask(Request::EditComment { id: CommentId(1), text: "first!".into() }),
        t1,
    )
    .unwrap();
    let retag =
        Request::RetagComment { id: CommentId(1), theme: Some("Threats".into()), room: None, author: None };
    ask(&plan, &mut state, &me, Intent::Ask(retag), t1).unwrap();
    let intent = convene::model::undo_last(&state, &me).unwrap();
    ask(&plan, &mut state, &me, intent, t1 + Duration::seconds(1)).unwrap();
    let comment = state.comment(CommentId(1)).unwrap();
    assert_eq!((comment.text.as_str(), comment.theme.as_deref()), ("first", None), "one undo, both halves");
    let intent = convene::model::redo_last(&state, &me).unwrap();
    ask(&plan, &mut state, &me, intent, t1 + Duration::seconds(2)).unwrap();
    let comment = state.comment(CommentId(1)).unwrap();
    assert_eq!((comment.text.as_str(), comment.theme.as_deref()), ("first!", Some("Threats")));
}

mod console {
    use super::common::*;
    use convene::app::{update, AppState, Overlay};
    use convene::model::{CommentId, Event};
    use crossterm::event::KeyCode;

    fn message(state: &AppState) -> String {
        state.message.as_ref().map(|(m, _)| m.clone()).unwrap_or_default()
    }

    #[test]
    fn ctrl_z_undoes_the_latest_act_whatever_the_screen_and_ctrl_y_redoes_it() {
        let mut state = keys_act_at_once(console());
        commit(&mut state, "Fire and police share one control room");
        update(&mut state, key(KeyCode::F(2)), t0());
        update(&mut state, key(KeyCode::Char('n')), t0());
        assert_eq!(state.session.agenda.current, Some(0));
        let effects = update(&mut state, ctrl('z'), t0());
        assert!(matches!(persisted(&effects)[..], [Event::Undone { seq: 2 }]), "{effects:?}");
        assert_eq!(state.session.agenda.current, None, "the session is as it was before `n`");
        assert!(message(&state).starts_with("undone: start of"), "{}", message(&state));
        // Back on the capture bar, the next Ctrl+Z undoes the comment and gives its text back.
        update(&mut state, key(KeyCode::Esc), t0());
        update(&mut state, ctrl('z'), t0());
        assert!(state.session.live.is_empty());
        assert_eq!(state.capture_text(), "Fire and police share one control room");
        // Ctrl+Y redoes it, and the bar lets the text go again.
        update(&mut state, ctrl('y'), t0());
        assert_eq!(state.session.live, vec![CommentId(1)]);
        assert_eq!(state.capture_text(), "");
        assert!(message(&state).starts_with("redone: comment #1"), "{}", message(&state));
    }

    #[test]
    fn the_history_lists_acts_with_who_and_when_and_enter_undoes_the_highlighted_one() {
        let mut state = keys_act_at_once(console());
        commit(&mut state, "Buses stop at six");
        commit(&mut state, "Libraries close early");
        update(&mut state, key(KeyCode::F(2)), t0());
        update(&mut state, key(KeyCode::Char('n')), t0());
        update(&mut state, key(KeyCode::F(12)), t0());
        assert_eq!(state.overlay, Some(Overlay::History { index: 0 }));
        update(&mut state, key(KeyCode::Down), t0());
        update(&mut state, key(KeyCode::Down), t0());
        // Enter at once after opening waits, like a confirmation; a moment later it acts.
        let later = t0() + chrono::Duration::seconds(1);
        update(&mut state, key(KeyCode::Enter), later);
        assert_eq!(state.session.live, vec![CommentId(2)], "the first comment, two rows down, is undone");
        assert_eq!(state.session.agenda.current, Some(0), "later acts stand");
        let screen = render(&mut state, 80, 24);
        insta::assert_snapshot!(screen);
        assert!(screen.contains("undone comment #1"), "{screen}");
        // Enter on an undone act redoes it.
        update(&mut state, key(KeyCode::Enter), later);
        assert_eq!(state.session.live, vec![CommentId(1), CommentId(2)]);
    }

    #[test]
    fn an_undo_that_would_break_a_later_act_is_refused_in_words() {
        let mut state = keys_act_at_once(console());
        commit(&mut state, "Buses stop at six");
        update(&mut state, key(KeyCode::Esc), t0());
        update(&mut state, key(KeyCode::Char('e')), t0());
        type_text(&mut state, " and on Sundays not at all");
        update(&mut state, key(KeyCode::Enter), t0());
        update(&mut state, key(KeyCode::F(12)), t0());
        update(&mut state, key(KeyCode::Down), t0());
        let later = t0() + chrono::Duration::seconds(1);
        update(&mut state, key(KeyCode::Enter), later);
        assert_eq!(state.session.live, vec![CommentId(1)], "refused: the edit needs the comment");
        assert!(message(&state).contains("undo that first"), "{}", message(&state));
    }
}

/// Undo folds again only from the latest checkpoint before the act it changes: random logs of
/// comments, corrections, retractions, candidates, votes, dots and undo or redo marks, applied
/// one by one, hold exactly what a fresh fold of the whole log holds, and a refused mark leaves
/// the state as it was (and is refused by the fresh fold too).
mod checkpoints {
    use chrono::{DateTime, Duration, Utc};
    use convene::model::{
        Actor, CandidateId, CommentId, Event, Plan, SessionState, Stamped, VoteId, VoteRules,
    };
    use proptest::prelude::*;

    fn plan() -> Plan {
        ron::from_str(
            r#"(title: "Checkpoints",
                themes: [(key: 's', name: "Strengths"), (key: 't', name: "Threats")],
                participants: [(id: "ana", name: "Ana", org: "A"), (id: "ben", name: "Ben", org: "B")],
                rooms: [(name: "Room 1"), (name: "Room 2")],
                agenda: [(title: "Welcome", minutes: 5), (title: "Talk", minutes: 10)])"#,
        )
        .unwrap()
    }

    /// One step of a random session: what to do, and two numbers that pick its targets.
    type Step = (u8, u16, u16);

    /// The event a step asks for, given the state so far (ids and sequence numbers near what
    /// exists, so most steps hold and some are refused).
    fn event_for((kind, a, b): Step, state: &SessionState) -> Event {
        let comments = state.comments.len() as u32;
        let comment = CommentId(u32::from(a) % (comments + 1) + 1);
        let candidates = state.voting.candidates.len() as u32;
        let candidate = CandidateId(u32::from(b) % (candidates + 1) + 1);
        let votes = state.voting.votes.len() as u32;
        let vote = VoteId(votes.max(1));
        let theme = ["Strengths", "Threats"].get(usize::from(a % 3)).map(|t| t.to_string());
        let room = (b % 3 != 2).then_some(u32::from(b % 3));
        let voter = ["ana", "ben"][usize::from(a % 2)].to_string();
        let seq = u64::from(a) % (state.last_seq + 2);
        match kind % 12 {
            0 | 1 => Event::CommentAdded {
                id: CommentId(comments + 1),
                text: format!("comment {a}"),
                theme,
                room,
                author: Some(voter),
                pre_session: false,
            },
            2 => Event::CommentEdited { id: comment, text: format!("corrected {b}") },
            3 => Event::CommentRetagged { id: comment, theme, room, author: None },
            4 => Event::CommentRetracted { id: comment },
            5 => Event::CandidateAdded {
                id: CandidateId(candidates + 1),
                text: format!("priority {b}"),
                source: (a % 2 == 0).then_some(comment),
            },
            6 => Event::VoteOpened {
                vote: VoteId(votes + 1),
                rules: VoteRules {
                    title: "Round".into(),
                    candidates: (1..=candidates).map(CandidateId).collect(),
                    dots: 3,
                    cap: 2,
                    voters: vec!["ana".into(), "ben".into()],
                    by_org: false,
                    hidden: false,
                    joiners: false,
                },
            },
            7 => Event::DotPlaced { vote, voter: voter.into(), candidate },
            8 => Event::DotRemoved { vote, voter: voter.into(), candidate },
            9 => Event::AgendaItemStarted { item: u32::from(b % 2) },
            10 => Event::Undone { seq },
            _ => Event::Redone { seq },
        }
    }

    fn steps() -> impl Strategy<Value = (usize, Vec<Step>)> {
        (1usize..7, prop::collection::vec((any::<u8>(), any::<u16>(), any::<u16>()), 1..160))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn folding_step_by_step_with_checkpoints_equals_a_fresh_fold(
            (spacing, script) in steps()
        ) {
            let plan = plan();
            let start: DateTime<Utc> = "2026-11-29T10:00:00Z".parse().unwrap();
            let mut state = SessionState::new(&plan).with_checkpoint_spacing(spacing);
            let mut log: Vec<Stamped> = Vec::new();
            for step in script {
                let event = event_for(step, &state);
                let seq = state.last_seq + 1;
                let stamped = Stamped {
                    seq,
                    at: start + Duration::seconds(seq as i64 * 7),
                    by: Actor::Facilitator,
                    origin: None,
                    event,
                };
                let mut with = log.clone();
                with.push(stamped.clone());
                let fresh = SessionState::fold(&plan, &with);
                if stamped.event.is_undo_mark() {
                    // Undo and redo change the state in place: a refusal must undo nothing.
                    let before = state.clone();
                    match state.apply(&plan, &stamped) {
                        Ok(()) => log = with,
                        Err(refused) => {
                            prop_assert_eq!(&state, &before, "refused ({}) yet changed", refused);
                            prop_assert!(fresh.is_err(), "refused step by step only: {}", refused);
                        }
                    }
                } else {
                    // Other events are tried on a copy, as the consoles decide before applying.
                    let mut trial = state.clone();
                    if trial.apply(&plan, &stamped).is_ok() {
                        state = trial;
                        log = with;
                    } else {
                        prop_assert!(fresh.is_err(), "refused step by step only: {:?}", stamped.event);
                    }
                }
                let whole = SessionState::fold(&plan, &log).unwrap();
                prop_assert_eq!(&state, &whole, "after {:?}", stamped.event);
                prop_assert_eq!(state.checkpoint_count(), log.len() / spacing);
            }
        }
    }
}
