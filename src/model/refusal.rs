//! Why the fold refuses an event, one enum per area of the session, gathered as [`Refusal`].
//! Each variant carries what was refused (ids, names, numbers), not text: callers match on
//! the variant, and the wording lives here once. Agenda items, rooms and rounds are held as
//! the 0-based indices the log uses and shown counted from 1, as people count them.

use thiserror::Error;

use super::ids::{CandidateId, CommentId, DecisionId, VoteId};
use super::state::FoldError;
use super::voter::VoterKey;

/// Any refusal of the fold, by area; its message is the area's own.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum Refusal {
    /// The log's own order: sequence numbers, undo and redo marks.
    #[error(transparent)]
    Log(#[from] LogRefusal),
    /// Comments and their tags.
    #[error(transparent)]
    Comment(#[from] CommentRefusal),
    /// The agenda's timers.
    #[error(transparent)]
    Agenda(#[from] AgendaRefusal),
    /// Candidates, dot-votes and decisions.
    #[error(transparent)]
    Vote(#[from] VoteRefusal),
    /// Breakout rooms.
    #[error(transparent)]
    Rooms(#[from] RoomsRefusal),
    /// The roll call and walk-ins.
    #[error(transparent)]
    People(#[from] PeopleRefusal),
}

/// The log's order: sequence numbers, undo and redo.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum LogRefusal {
    /// Sequence numbers only rise.
    #[error("sequence number {seq} does not follow {last}")]
    OutOfSequence {
        /// The event's number.
        seq: u64,
        /// The last number applied.
        last: u64,
    },
    /// An undo or redo names an event the log does not have before it.
    #[error("there is no event {0} before it")]
    NoEarlierEvent(u64),
    /// An undo or redo names another undo or redo.
    #[error("event {0} is itself an undo or a redo; undo or redo the act instead")]
    UndoOfMark(u64),
    /// Undoing what is undone.
    #[error("event {seq} ({what}) is already undone")]
    AlreadyUndone {
        /// The event named.
        seq: u64,
        /// It, described.
        what: String,
    },
    /// Redoing what is not undone.
    #[error("event {seq} ({what}) is not undone")]
    NotUndone {
        /// The event named.
        seq: u64,
        /// It, described.
        what: String,
    },
    /// Undoing (or redoing) an event would leave a later one without what it needs.
    #[error(
        "{} cannot be {}: event {} ({}) depends on it ({}); undo that first",
        .target.as_deref().unwrap_or("that"),
        if *.undo { "undone" } else { "redone" },
        .broken.seq,
        .broken.what,
        .broken.problem
    )]
    WouldBreak {
        /// Undo (true) or redo.
        undo: bool,
        /// The event undone or redone, described, if the log has it.
        target: Option<String>,
        /// The later event that would no longer hold, and why.
        broken: Box<FoldError>,
    },
}

/// Comments and their tags.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CommentRefusal {
    /// Comments are numbered consecutively.
    #[error("expected comment #{expected} next")]
    OutOfOrder {
        /// The number the next comment must have.
        expected: CommentId,
    },
    /// No comment has this number.
    #[error("there is no comment #{0}")]
    NoSuchComment(CommentId),
    /// Capturing it was undone.
    #[error("capturing comment #{0} was undone")]
    Undone(CommentId),
    /// It was retracted.
    #[error("comment #{0} was already retracted")]
    AlreadyRetracted(CommentId),
    /// A theme the plan does not define.
    #[error("theme \"{0}\" is not in the plan's themes")]
    UnknownTheme(String),
    /// A room index beyond the plan's rooms.
    #[error("room index {room} is out of range: the plan has {rooms} rooms")]
    RoomOutOfRange {
        /// The room index (0-based, as the log holds it).
        room: u32,
        /// How many rooms the plan has.
        rooms: usize,
    },
    /// An author who is nobody listed or added.
    #[error("author \"{0}\" is not in the plan's participants")]
    UnknownAuthor(String),
}

/// The agenda's timers.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum AgendaRefusal {
    /// An item beyond the agenda.
    #[error("the agenda has no item {} (it has {items})", .item + 1)]
    NoSuchItem {
        /// The item (0-based).
        item: usize,
        /// How many items the agenda has.
        items: usize,
    },
    /// A message to the rooms about an item beyond the agenda.
    #[error("agenda item {} is out of range: the plan has {items} items", .item + 1)]
    CauseOutOfRange {
        /// The item (0-based).
        item: usize,
        /// How many items the plan has.
        items: usize,
    },
    /// Pausing, resuming or extending with no item current.
    #[error("no agenda item is current")]
    NoCurrentItem,
    /// Pausing a paused timer.
    #[error("the timer is already paused")]
    AlreadyPaused,
    /// Resuming a running timer.
    #[error("the timer is not paused")]
    NotPaused,
    /// Taking back more minutes than the item has.
    #[error("that would leave {allotted} minutes; an item keeps at least 1")]
    TooShort {
        /// The minutes it would have.
        allotted: i64,
    },
    /// Skipping a skipped item.
    #[error("item {} is already skipped", .0 + 1)]
    AlreadySkipped(usize),
    /// Skipping an item that ran (and is not current).
    #[error("item {} has already run; it cannot be skipped", .0 + 1)]
    AlreadyRan(usize),
    /// Ending an agenda that never started.
    #[error("the agenda was never started")]
    NeverStarted,
    /// A rebalance of no items.
    #[error("a rebalance names at least one item")]
    EmptyRebalance,
    /// A rebalance proposed with no item changing.
    #[error("nothing to rebalance: no item changes")]
    NothingToRebalance,
    /// Rebalancing an item that started or was skipped.
    #[error("item {} has started or was skipped; only items to come are rebalanced", .0 + 1)]
    NotToCome(usize),
    /// Rebalancing an item to nothing.
    #[error("item {} would get 0 minutes; an item keeps at least 1", .0 + 1)]
    NoMinutes(usize),
    /// A rebalance naming an item twice.
    #[error("item {} is named twice", .0 + 1)]
    NamedTwice(usize),
}

/// Candidates, dot-votes and decisions.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum VoteRefusal {
    /// Candidates are numbered consecutively.
    #[error("expected candidate {expected} next")]
    CandidateOutOfOrder {
        /// The number the next candidate must have.
        expected: CandidateId,
    },
    /// No candidate has this number.
    #[error("there is no candidate {0}")]
    NoSuchCandidate(CandidateId),
    /// The candidate was merged into another.
    #[error("candidate {id} was merged into {into}")]
    Merged {
        /// The candidate named.
        id: CandidateId,
        /// The candidate that now carries it.
        into: CandidateId,
    },
    /// Adding the candidate was undone.
    #[error("adding candidate {0} was undone")]
    CandidateUndone(CandidateId),
    /// Merging a candidate with itself.
    #[error("a candidate cannot be merged into itself")]
    MergeIntoItself,
    /// Votes are numbered consecutively.
    #[error("expected vote {expected} next")]
    VoteOutOfOrder {
        /// The number the next vote must have.
        expected: VoteId,
    },
    /// No vote has this number.
    #[error("there is no vote {0}")]
    NoSuchVote(VoteId),
    /// Opening the vote was undone.
    #[error("opening vote {0} was undone")]
    VoteUndone(VoteId),
    /// One vote at a time.
    #[error("vote {0} is still open")]
    StillOpen(VoteId),
    /// A vote with no dots or no cap.
    #[error("a vote needs at least one dot per voter and a cap of at least one")]
    NoDots,
    /// A vote with nothing to vote on or nobody to vote.
    #[error("a vote needs candidates and voters")]
    EmptyBallot,
    /// A dot on a closed vote.
    #[error("vote {0} is closed")]
    Closed(VoteId),
    /// Closing a closed vote.
    #[error("vote {0} is already closed")]
    AlreadyClosed(VoteId),
    /// A dot from someone (or some organisation) not among the vote's voters.
    #[error("\"{voter}\" is not a voter in vote {vote}")]
    NotAVoter {
        /// Who, as the log names them.
        voter: VoterKey,
        /// The vote.
        vote: VoteId,
    },
    /// A dot on a candidate not on the ballot.
    #[error("candidate {candidate} is not on the ballot of vote {vote}")]
    NotOnBallot {
        /// The candidate.
        candidate: CandidateId,
        /// The vote.
        vote: VoteId,
    },
    /// A dot beyond the voter's allowance.
    #[error("{voter} has used all {dots} dots")]
    AllDotsUsed {
        /// Who, as the log names them.
        voter: VoterKey,
        /// The allowance.
        dots: u32,
    },
    /// A dot beyond the cap per candidate.
    #[error("{voter} already has {cap} dot(s) on candidate {candidate}, the cap")]
    AtCap {
        /// Who, as the log names them.
        voter: VoterKey,
        /// The cap.
        cap: u32,
        /// The candidate.
        candidate: CandidateId,
    },
    /// Taking back a dot that is not there.
    #[error("{voter} has no dot on candidate {candidate}")]
    NoDot {
        /// Who, as the log names them.
        voter: VoterKey,
        /// The candidate.
        candidate: CandidateId,
    },
    /// Decisions are numbered consecutively.
    #[error("expected decision {expected} next")]
    DecisionOutOfOrder {
        /// The number the next decision must have.
        expected: DecisionId,
    },
    /// A decision nobody can answer.
    #[error("a decision needs organisations to answer")]
    NoOrganisations,
    /// No decision has this number.
    #[error("there is no decision {0}")]
    NoSuchDecision(DecisionId),
    /// Opening the decision was undone.
    #[error("opening decision {0} was undone")]
    DecisionUndone(DecisionId),
    /// Answering or recording a recorded decision.
    #[error("decision {0} is already recorded")]
    AlreadyRecorded(DecisionId),
    /// An answer from an organisation without a voice in the decision.
    #[error("\"{organisation}\" has no voice in decision {decision}")]
    NoVoice {
        /// The organisation.
        organisation: String,
        /// The decision.
        decision: DecisionId,
    },
}

/// Breakout rooms.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RoomsRefusal {
    /// Someone who is not there to seat (nobody listed, or marked absent after arriving).
    #[error(transparent)]
    People(#[from] PeopleRefusal),
    /// A room beyond the plan's rooms.
    #[error("there is no room {} (the plan has {rooms})", u64::from(*.room) + 1)]
    NoSuchRoom {
        /// The room index (0-based).
        room: u32,
        /// How many rooms the plan has.
        rooms: usize,
    },
    /// Rounds are assigned in order (the current one may be assigned again).
    #[error("round {} cannot be assigned after {held} round(s)", u64::from(*.round) + 1)]
    RoundOutOfOrder {
        /// The round (0-based).
        round: u32,
        /// Rounds held so far.
        held: usize,
    },
    /// A round with another number of rooms than the plan's.
    #[error("{given} rooms given but the plan has {planned}")]
    WrongRoomCount {
        /// Rooms in the round.
        given: usize,
        /// Rooms in the plan.
        planned: usize,
    },
    /// Someone seated twice in one round.
    #[error("\"{0}\" is in two rooms")]
    InTwoRooms(String),
    /// A move or arrival before any round.
    #[error("no rooms have been assigned yet")]
    NoRounds,
    /// Moving someone who is in no room.
    #[error("\"{0}\" is in no room this round")]
    Unseated(String),
    /// An arrival of someone already seated.
    #[error("\"{0}\" is already in a room")]
    AlreadySeated(String),
    /// Leaving twice.
    #[error("\"{0}\" has already left")]
    AlreadyLeft(String),
}

/// The roll call and walk-ins.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PeopleRefusal {
    /// Nobody listed or added has this id.
    #[error("\"{0}\" is not in the plan's participants")]
    NotListed(String),
    /// Someone who arrived during the session cannot be marked absent.
    #[error("\"{0}\" arrived during the session: record their leaving instead")]
    ArrivedDuring(String),
    /// A walk-in without an id or a name.
    #[error("a walk-in needs an id and a name")]
    Unnamed,
    /// A walk-in with the id of someone already there.
    #[error("\"{0}\" is already a participant")]
    AlreadyListed(String),
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, Utc};

    use super::*;
    use crate::model::{
        Actor, AgendaState, Event, ItemMinutes, Plan, RoomsState, SessionState, Stamped, VoteRules,
        VotingState,
    };

    fn plan() -> Plan {
        ron::from_str(
            r#"(title: "Refusals", themes: [(key: 't', name: "Threats")],
                participants: [(id: "ann", name: "Ann", org: "A"), (id: "bob", name: "Bob", org: "B")],
                rooms: [(name: "One"), (name: "Two")],
                agenda: [(title: "Welcome", minutes: 5), (title: "Rooms", minutes: 20)])"#,
        )
        .expect("a plan")
    }

    fn at(minute: u32) -> DateTime<Utc> {
        format!("2026-11-05T14:{minute:02}:00Z").parse().expect("a time")
    }

    fn stamped(seq: u64, event: Event) -> Stamped {
        Stamped { seq, at: at(0), by: Actor::Facilitator, origin: None, event }
    }

    #[test]
    fn the_agenda_says_which_item_and_what_it_lacks() {
        let plan = plan();
        let mut agenda = AgendaState::new(&plan);
        assert_eq!(agenda.pause(at(0)), Err(AgendaRefusal::NoCurrentItem));
        assert_eq!(agenda.start(7, at(0)), Err(AgendaRefusal::NoSuchItem { item: 7, items: 2 }));
        assert_eq!(agenda.end(at(0)), Err(AgendaRefusal::NeverStarted));
        agenda.start(0, at(0)).expect("the first item");
        assert_eq!(agenda.resume(at(1)), Err(AgendaRefusal::NotPaused));
        assert_eq!(agenda.extend(&plan, -5), Err(AgendaRefusal::TooShort { allotted: 0 }));
        agenda.start(1, at(5)).expect("the second item");
        assert_eq!(agenda.skip(0, at(6)), Err(AgendaRefusal::AlreadyRan(0)));
        let twice = [ItemMinutes { item: 1, minutes: 10 }];
        assert_eq!(agenda.rebalance(&twice), Err(AgendaRefusal::NotToCome(1)));
        assert_eq!(agenda.rebalance(&[]), Err(AgendaRefusal::EmptyRebalance));
    }

    #[test]
    fn a_vote_says_whose_dot_and_which_limit() {
        let mut voting = VotingState::default();
        voting.add_candidate(CandidateId(1), "Housing", None).expect("the first candidate");
        assert_eq!(
            voting.add_candidate(CandidateId(3), "Jobs", None),
            Err(VoteRefusal::CandidateOutOfOrder { expected: CandidateId(2) })
        );
        assert_eq!(voting.merge(CandidateId(1), CandidateId(1)), Err(VoteRefusal::MergeIntoItself));
        let rules = VoteRules {
            title: "Round 1".into(),
            candidates: vec![CandidateId(1)],
            dots: 1,
            cap: 1,
            voters: vec!["ann".into()],
            by_org: false,
            hidden: false,
            joiners: false,
        };
        voting.open(VoteId(1), &rules).expect("a vote");
        assert_eq!(voting.open(VoteId(2), &rules), Err(VoteRefusal::StillOpen(VoteId(1))));
        assert_eq!(
            voting.place(VoteId(1), &"bob".into(), CandidateId(1)),
            Err(VoteRefusal::NotAVoter { voter: "bob".into(), vote: VoteId(1) })
        );
        voting.place(VoteId(1), &"ann".into(), CandidateId(1)).expect("ann's dot");
        assert_eq!(
            voting.place(VoteId(1), &"ann".into(), CandidateId(1)),
            Err(VoteRefusal::AllDotsUsed { voter: "ann".into(), dots: 1 })
        );
        voting.close(VoteId(1)).expect("closes");
        assert_eq!(voting.close(VoteId(1)), Err(VoteRefusal::AlreadyClosed(VoteId(1))));
        assert_eq!(
            voting.place(VoteId(9), &"ann".into(), CandidateId(1)),
            Err(VoteRefusal::NoSuchVote(VoteId(9)))
        );
        assert_eq!(voting.record(DecisionId(1)), Err(VoteRefusal::NoSuchDecision(DecisionId(1))));
    }

    #[test]
    fn rooms_and_people_say_who() {
        let plan = plan();
        let mut rooms = RoomsState::default();
        assert_eq!(rooms.move_to(&plan, "ann", 1), Err(RoomsRefusal::NoRounds));
        let seated = vec![vec!["ann".to_string()], vec!["bob".to_string()]];
        assert_eq!(
            rooms.assign(&plan, 1, &seated, at(0)),
            Err(RoomsRefusal::RoundOutOfOrder { round: 1, held: 0 })
        );
        assert_eq!(
            rooms.assign(&plan, 0, &seated[..1], at(0)),
            Err(RoomsRefusal::WrongRoomCount { given: 1, planned: 2 })
        );
        rooms.assign(&plan, 0, &seated, at(0)).expect("a round");
        assert_eq!(rooms.move_to(&plan, "ann", 5), Err(RoomsRefusal::NoSuchRoom { room: 5, rooms: 2 }));
        assert_eq!(
            rooms.arrive(&plan, "zed", 0, at(1)),
            Err(RoomsRefusal::People(PeopleRefusal::NotListed("zed".into())))
        );
        assert_eq!(rooms.arrive(&plan, "bob", 0, at(1)), Err(RoomsRefusal::AlreadySeated("bob".into())));
        rooms.leave(&plan, "bob", at(2)).expect("bob leaves");
        assert_eq!(rooms.leave(&plan, "bob", at(3)), Err(RoomsRefusal::AlreadyLeft("bob".into())));
        rooms.arrive(&plan, "bob", 1, at(4)).expect("bob comes back");
        assert_eq!(
            rooms.mark_absent(&plan, "bob"),
            Err(RoomsRefusal::People(PeopleRefusal::ArrivedDuring("bob".into())))
        );
    }

    #[test]
    fn the_fold_carries_the_area_and_the_log_its_order() {
        let plan = plan();
        let mut state = SessionState::new(&plan);
        let comment = |id: u32, theme: Option<&str>| Event::CommentAdded {
            id: CommentId(id),
            text: "x".into(),
            theme: theme.map(str::to_string),
            room: None,
            author: None,
            pre_session: false,
        };
        let refused = state.apply(&plan, &stamped(1, comment(1, Some("Nope")))).expect_err("no such theme");
        assert_eq!(*refused.problem, Refusal::Comment(CommentRefusal::UnknownTheme("Nope".into())));
        state.apply(&plan, &stamped(1, comment(1, None))).expect("a comment");
        let refused = state.apply(&plan, &stamped(1, comment(2, None))).expect_err("seq 1 again");
        assert_eq!(*refused.problem, Refusal::Log(LogRefusal::OutOfSequence { seq: 1, last: 1 }));
        let refused = state.apply(&plan, &stamped(2, Event::Undone { seq: 9 })).expect_err("no event 9");
        assert_eq!(*refused.problem, Refusal::Log(LogRefusal::NoEarlierEvent(9)));
        state
            .apply(&plan, &stamped(2, Event::CommentEdited { id: CommentId(1), text: "y".into() }))
            .expect("edit");
        let refused =
            state.apply(&plan, &stamped(3, Event::Undone { seq: 1 })).expect_err("the edit needs it");
        let Refusal::Log(LogRefusal::WouldBreak { undo: true, broken, .. }) = &*refused.problem else {
            panic!("expected a refusal naming the event that would break: {refused:?}");
        };
        assert_eq!(
            (broken.seq, &*broken.problem),
            (2, &Refusal::Comment(CommentRefusal::Undone(CommentId(1))))
        );
    }

    #[test]
    fn messages_read_as_they_always_did() {
        let cases: [(Refusal, &str); 6] = [
            (AgendaRefusal::NoSuchItem { item: 4, items: 3 }.into(), "the agenda has no item 5 (it has 3)"),
            (
                VoteRefusal::AtCap { voter: "ann".into(), cap: 1, candidate: CandidateId(2) }.into(),
                "ann already has 1 dot(s) on candidate 2, the cap",
            ),
            (RoomsRefusal::NoSuchRoom { room: 2, rooms: 2 }.into(), "there is no room 3 (the plan has 2)"),
            (
                RoomsRefusal::RoundOutOfOrder { round: u32::MAX, held: 0 }.into(),
                "round 4294967296 cannot be assigned after 0 round(s)",
            ),
            (PeopleRefusal::NotListed("zed".into()).into(), "\"zed\" is not in the plan's participants"),
            (CommentRefusal::Undone(CommentId(3)).into(), "capturing comment #3 was undone"),
        ];
        for (refusal, message) in cases {
            assert_eq!(refusal.to_string(), message);
        }
        let broken = Box::new(FoldError {
            seq: 7,
            what: "comment #1 edited".into(),
            problem: Box::new(CommentRefusal::Undone(CommentId(1)).into()),
        });
        assert_eq!(
            LogRefusal::WouldBreak { undo: true, target: None, broken }.to_string(),
            "that cannot be undone: event 7 (comment #1 edited) depends on it \
             (capturing comment #1 was undone); undo that first"
        );
    }
}
