//! Joined terminals as pure state transitions: the host turning requests into events once,
//! what joiners may and may not do, and the joined console's own screen.
#![allow(clippy::unwrap_used, clippy::panic)] // a test fails by panicking

mod common;

use common::*;
use convene::app::{update, Action, AppState, Effect, Hosting, Joined, Overlay, Seat};
use convene::model::{Actor, Event, Origin, Request, Stamped, VoteRules};
use convene::model::{CandidateId, CommentId, VoteId};
use convene::net::{HostNews, LinkNews, Outcome, Peer, Submission};
use crossterm::event::KeyCode;

fn hosting() -> AppState {
    let mut state = console();
    state.seat = Seat::Hosting(Hosting {
        join_command: "convene join 127.0.0.1:7447 --token T".into(),
        ..Default::default()
    });
    state
}

fn submit(state: &mut AppState, name: &str, seq: u64, request: Request) -> Vec<Effect> {
    let submission = Submission { client: format!("client-{name}"), name: name.into(), seq, request };
    update(state, Action::Host(HostNews::Submitted(submission)), state.now)
}

fn add(text: &str) -> Request {
    Request::AddComment { text: text.into(), theme: None, room: Some(1), author: None, pre_session: false }
}

fn answer(effects: &[Effect]) -> Outcome {
    effects
        .iter()
        .find_map(|e| match e {
            Effect::Answer { outcome, .. } => Some(outcome.clone()),
            _ => None,
        })
        .expect("every submission is answered")
}

#[test]
fn the_host_records_a_submission_once_however_often_it_is_resent() {
    let mut state = hosting();
    let effects = submit(&mut state, "Priya", 1, add("Transport is the barrier"));
    let Some(Effect::Persist(stamped)) = effects.first() else { panic!("persisted: {effects:?}") };
    assert_eq!(stamped.by, Actor::NoteTaker("Priya".into()));
    assert_eq!(stamped.origin, Some(Origin { client: "client-Priya".into(), seq: 1 }));
    assert_eq!(answer(&effects), Outcome::Stored(stamped.seq));
    let again = submit(&mut state, "Priya", 1, add("Transport is the barrier"));
    assert_eq!(persisted(&again), vec![], "a resend records nothing");
    assert_eq!(answer(&again), Outcome::Duplicate);
    assert_eq!(state.session.live.len(), 1);
}

#[test]
fn joiners_correct_their_own_comments_only() {
    let mut state = hosting();
    commit(&mut state, "The facilitator's own note");
    let theirs =
        submit(&mut state, "Priya", 1, Request::EditComment { id: CommentId(1), text: "changed".into() });
    assert!(matches!(answer(&theirs), Outcome::Rejected(reason) if reason.contains("ask the facilitator")));
    submit(&mut state, "Priya", 2, add("Mine"));
    let own = submit(
        &mut state,
        "Priya",
        3,
        Request::EditComment { id: CommentId(2), text: "Mine, corrected".into() },
    );
    assert!(matches!(answer(&own), Outcome::Stored(_)));
    let retract = submit(&mut state, "Priya", 4, Request::RetractComment { id: CommentId(2) });
    assert!(matches!(answer(&retract), Outcome::Stored(_)));
    assert_eq!(state.session.live, vec![CommentId(1)]);
    let empty = submit(&mut state, "Priya", 5, add("   "));
    assert!(matches!(answer(&empty), Outcome::Rejected(_)));
}

/// Candidates 1-3 and an open vote with the given rules.
fn open_vote(state: &mut AppState, joiners: bool, by_org: bool) {
    let mut events = vec![];
    for (id, text) in [(1, "Transport"), (2, "Housing"), (3, "Youth voice")] {
        events.push(Event::CandidateAdded { id: CandidateId(id), text: text.into(), source: None });
    }
    let voters = if by_org {
        vec!["Organisation A".into(), "Organisation B".into()]
    } else {
        vec!["partner1".into(), "partner2".into()]
    };
    let rules = VoteRules {
        title: "Round 1".into(),
        candidates: vec![CandidateId(1), CandidateId(2), CandidateId(3)],
        dots: 2,
        cap: 1,
        voters,
        by_org,
        hidden: false,
        joiners,
    };
    events.push(Event::VoteOpened { vote: VoteId(1), rules });
    for event in events {
        let stamped = Stamped {
            seq: state.session.last_seq + 1,
            at: t0(),
            by: Actor::Facilitator,
            origin: None,
            event,
        };
        state.session.apply(&state.plan, &stamped).expect("valid");
    }
}

#[test]
fn joiners_vote_as_themselves_within_the_allowance_when_the_vote_is_open_to_them() {
    let mut state = hosting();
    open_vote(&mut state, true, false);
    let dot = |state: &mut AppState, name: &str, seq, candidate| {
        answer(&submit(state, name, seq, Request::PlaceDot { vote: VoteId(1), candidate }))
    };
    assert!(
        matches!(dot(&mut state, "partner one", 1, CandidateId(1)), Outcome::Stored(_)),
        "names match any case"
    );
    assert!(
        matches!(dot(&mut state, "Partner one", 2, CandidateId(1)), Outcome::Rejected(r) if r.contains("cap"))
    );
    assert!(matches!(dot(&mut state, "Partner one", 3, CandidateId(2)), Outcome::Stored(_)));
    assert!(
        matches!(dot(&mut state, "Partner one", 4, CandidateId(3)), Outcome::Rejected(_)),
        "two dots each"
    );
    assert!(
        matches!(dot(&mut state, "Nobody", 1, CandidateId(1)), Outcome::Rejected(r) if r.contains("participant list"))
    );
    assert!(
        matches!(dot(&mut state, "Partner three", 1, CandidateId(1)), Outcome::Rejected(r) if r.contains("not among"))
    );
    let vote = state.session.voting.open_vote().expect("open");
    assert_eq!(vote.used_by(&"partner1".into()), 2);
}

#[test]
fn a_vote_cast_on_the_facilitators_screen_refuses_joiners_and_by_organisation_counts_the_organisation() {
    let mut state = hosting();
    open_vote(&mut state, false, false);
    let refused = submit(
        &mut state,
        "Partner one",
        1,
        Request::PlaceDot { vote: VoteId(1), candidate: CandidateId(1) },
    );
    assert!(matches!(answer(&refused), Outcome::Rejected(r) if r.contains("facilitator's screen")));
    let mut state = hosting();
    open_vote(&mut state, true, true);
    submit(&mut state, "Partner two", 1, Request::PlaceDot { vote: VoteId(1), candidate: CandidateId(3) });
    assert_eq!(state.session.voting.open_vote().expect("open").used_by(&"Organisation B".into()), 1);
}

fn joined() -> AppState {
    let mut state = console();
    state.actor = Actor::NoteTaker("Priya".into());
    state.seat = Seat::Joined(Joined {
        name: "Priya".into(),
        host: "127.0.0.1:7447".into(),
        client: "mine".into(),
        online: true,
        next_seq: 7,
        ..Joined::default()
    });
    state
}

#[test]
fn a_joined_console_sends_requests_and_learns_their_fate_from_the_host() {
    let mut state = joined();
    let effects = commit(&mut state, "Buses stop at six");
    assert_eq!(
        effects.iter().find(|e| matches!(e, Effect::Submit(..))),
        Some(&Effect::Submit(7, add_with_room("Buses stop at six", None))),
    );
    assert!(persisted(&effects).is_empty(), "a joined console records nothing itself");
    assert_eq!(state.seat.joined().map(|j| j.unsent.len()), Some(1));
    assert!(state.session.live.is_empty(), "the comment appears when the host's log brings it");
    let event = Stamped {
        seq: 1,
        at: t0(),
        by: Actor::NoteTaker("Priya".into()),
        origin: Some(Origin { client: "mine".into(), seq: 7 }),
        event: Event::CommentAdded {
            id: CommentId(1),
            text: "Buses stop at six".into(),
            theme: None,
            room: None,
            author: None,
            pre_session: false,
        },
    };
    update(&mut state, Action::Link(LinkNews::Event(Box::new(event))), t0());
    update(&mut state, Action::Link(LinkNews::Answer { seq: 7, outcome: Outcome::Stored(1) }), t0());
    assert_eq!(state.session.live, vec![CommentId(1)]);
    assert!(state.seat.joined().is_some_and(|j| j.unsent.is_empty()));
    // Steering the session stays with the facilitator.
    let effects = update(&mut state, key(KeyCode::F(5)), t0());
    assert!(effects.is_empty());
    assert!(state.session.agenda.current.is_none());
    assert!(state.message.as_ref().is_some_and(|(m, _)| m.contains("facilitator")));
    // Undo goes through the host too, naming the act by its place in the host's log.
    let effects = update(&mut state, ctrl('z'), t0());
    assert!(matches!(effects.first(), Some(Effect::Submit(8, Request::Undo { seq: 1 }))), "{effects:?}");
}

fn add_with_room(text: &str, room: Option<u32>) -> Request {
    Request::AddComment { text: text.into(), theme: None, room, author: None, pre_session: false }
}

#[test]
fn the_joined_console_offline_with_unsent_comments() {
    let mut state = joined();
    update(&mut state, alt('2'), t0());
    for (seq, text) in
        [(1, "Older people rely on the library bus"), (2, "Evening services would help carers")]
    {
        let event = Stamped {
            seq,
            at: t0(),
            by: Actor::NoteTaker("Ben".into()),
            origin: None,
            event: Event::CommentAdded {
                id: CommentId(seq as u32),
                text: text.into(),
                theme: Some("Weaknesses".into()),
                room: Some(1),
                author: None,
                pre_session: false,
            },
        };
        update(&mut state, Action::Link(LinkNews::Event(Box::new(event))), t0());
    }
    update(&mut state, Action::Link(LinkNews::Offline("cannot reach 127.0.0.1:7447".into())), t0());
    let effects = commit(&mut state, "Parish councils want a say in routes");
    let Some(Effect::Submit(seq, _)) = effects.iter().find(|e| matches!(e, Effect::Submit(..))) else {
        panic!("submitted: {effects:?}");
    };
    // Until the outbox keeper says it is on disk, the screen does not call it sent.
    assert!(render(&mut state, 80, 24).contains("(saving…)"));
    update(&mut state, Action::Kept(*seq), t0());
    let screen = render(&mut state, 80, 24);
    assert!(screen.contains("offline, 1 unsent"), "{screen}");
    assert!(screen.contains("unsent: offline"), "{screen}");
    insta::assert_snapshot!("joined_offline_80x24", screen);
}

#[test]
fn the_host_lists_joined_terminals_and_disconnects_one() {
    let mut state = hosting();
    let peers = ["Room lead 1", "Room lead 2", "Note-taker"]
        .iter()
        .enumerate()
        .map(|(i, name)| Peer {
            connection: i as u64 + 1,
            name: name.to_string(),
            address: format!("127.0.0.1:{}", 50000 + i).parse().expect("address"),
            since: t0(),
        })
        .collect();
    update(&mut state, Action::Host(HostNews::Peers(peers)), t0());
    update(&mut state, key(KeyCode::F(8)), t0());
    assert_eq!(state.overlay, Some(Overlay::Joiners { index: 0 }));
    let screen = render(&mut state, 100, 30);
    assert!(screen.contains("3 joined"), "{screen}");
    insta::assert_snapshot!("joiners_overlay_100x30", screen);
    update(&mut state, key(KeyCode::Down), t0());
    let effects = update(&mut state, key(KeyCode::Char('d')), t0());
    assert_eq!(effects, vec![Effect::Disconnect(2)]);
}

#[test]
fn a_joined_console_refuses_to_open_someone_elses_comment_before_anything_is_typed() {
    let mut state = joined();
    let theirs = Stamped {
        seq: 1,
        at: t0(),
        by: Actor::NoteTaker("Ben".into()),
        origin: None,
        event: Event::CommentAdded {
            id: CommentId(1),
            text: "Ben's comment".into(),
            theme: None,
            room: None,
            author: None,
            pre_session: false,
        },
    };
    update(&mut state, Action::Link(LinkNews::Event(Box::new(theirs))), t0());
    update(&mut state, key(KeyCode::Esc), t0());
    assert_eq!(state.feed.selected, Some(CommentId(1)));
    // `e` would open the edit box; it is refused at once and the capture bar is untouched.
    let effects = update(&mut state, key(KeyCode::Char('e')), t0());
    assert!(effects.is_empty(), "{effects:?}");
    assert_ne!(state.mode, convene::app::Mode::Edit);
    assert!(
        state.message.as_ref().is_some_and(|(m, _)| m.contains("captured elsewhere")),
        "{:?}",
        state.message
    );
    // `d` likewise, before any confirmation is asked.
    update(&mut state, key(KeyCode::Char('d')), t0());
    assert!(state.overlay.is_none(), "no confirmation for what cannot be done");
}
