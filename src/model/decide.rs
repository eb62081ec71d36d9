//! `decide`: what a person wants (an [`Intent`]) becomes events, or a [`Rejection`] that says
//! why not. The one place that says what each actor may do: the solo and hosting consoles
//! decide their own acts here, and the host decides every joined terminal's request here.

use thiserror::Error;

use super::{
    undo, Actor, AgendaRefusal, CommentId, Event, Participant, Plan, Refusal, Request, SessionState, Vote,
    VoteId, Voter, VoterKey, MAX_BROADCAST_CHARS,
};

/// Something a person wants recorded, before ids are given and rights are checked.
#[derive(Debug, Clone, PartialEq)]
pub enum Intent {
    /// What anyone may ask for, a joined terminal too (the network carries it as it is):
    /// comments, their own dots, undo and redo.
    Ask(Request),
    /// Steering the session (agenda, rooms, votes, decisions, dots cast on the facilitator's
    /// screen): the facilitator's alone, checked against the log by the fold.
    Steer(Event),
}

/// Why an intent was not recorded; the console shows the message as it is.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum Rejection {
    /// Nothing to record.
    #[error("an empty comment is not recorded")]
    EmptyComment,
    /// No such comment.
    #[error("there is no comment #{0}")]
    NoSuchComment(CommentId),
    /// A joiner may change only what it captured.
    #[error("#{0} was captured elsewhere: ask the facilitator to change it")]
    CapturedElsewhere(CommentId),
    /// Only the facilitator's console steers the session.
    #[error("the facilitator's console does that")]
    FacilitatorOnly,
    /// The vote is not open.
    #[error("that vote is closed")]
    VoteClosed,
    /// The vote is cast on the facilitator's screen only.
    #[error("this vote is cast on the facilitator's screen")]
    CastOnFacilitatorScreen,
    /// The joiner's name matches nobody on the participant list.
    #[error("\"{0}\" is not on the participant list, so cannot vote here (join with --name as listed)")]
    NotAParticipant(String),
    /// The participant (or their organisation) is not among the vote's voters.
    #[error("{0} is not among this vote's voters")]
    NotAVoter(String),
    /// The log refuses it (e.g. beyond a voter's allowance); the fold's own words.
    #[error(transparent)]
    Refused(#[from] Refusal),
    /// The facilitator's console casts dots for the voter chosen on its screen, not by request.
    #[error("the facilitator casts for a voter chosen on screen")]
    CastsOnScreen,
    /// Undo or redo of an event the log does not have.
    #[error("there is no event {0} to undo or redo")]
    NoSuchEvent(u64),
    /// A joiner undoes and redoes only its own acts.
    #[error("{0} was done elsewhere: only the facilitator or whoever did it can undo it")]
    NotYourAct(String),
    /// Undo with nothing of one's own left to undo.
    #[error("nothing of yours to undo")]
    NothingToUndo,
    /// Redo with nothing undone, or after something new was done.
    #[error("nothing to redo (a new act since the last undo ends what can be redone)")]
    NothingToRedo,
    /// A message to the rooms with no words.
    #[error("an empty message is not sent to the rooms")]
    EmptyBroadcast,
    /// A message to the rooms longer than a banner line.
    #[error("a message to the rooms is at most {0} characters: shorten it")]
    BroadcastTooLong(usize),
}

/// Turn `actor`'s intent into the events to record, or say why not. Pure: ids come from the
/// folded state. What the log itself forbids (a dot beyond the allowance, a closed item) the
/// fold refuses when the events are applied; see [`Rejection::Refused`].
pub fn decide(
    plan: &Plan,
    state: &SessionState,
    actor: &Actor,
    intent: Intent,
) -> Result<Vec<Event>, Rejection> {
    let joined = matches!(actor, Actor::NoteTaker(_));
    let own = |id: CommentId| match state.comment(id) {
        Some(c) if !joined || c.captured_by == *actor => Ok(()),
        Some(_) => Err(Rejection::CapturedElsewhere(id)),
        None => Err(Rejection::NoSuchComment(id)),
    };
    let request = match intent {
        Intent::Steer(Event::Broadcast { text, .. }) if !joined && text.trim().is_empty() => {
            return Err(Rejection::EmptyBroadcast)
        }
        Intent::Steer(Event::Broadcast { text, .. })
            if !joined && text.chars().count() > MAX_BROADCAST_CHARS =>
        {
            return Err(Rejection::BroadcastTooLong(MAX_BROADCAST_CHARS))
        }
        Intent::Steer(Event::AgendaRebalanced { items }) if !joined && items.is_empty() => {
            return Err(Refusal::from(AgendaRefusal::NothingToRebalance).into())
        }
        Intent::Steer(event) if !joined => return Ok(vec![event]),
        Intent::Steer(_) => return Err(Rejection::FacilitatorOnly),
        Intent::Ask(request) => request,
    };
    let event = match request {
        Request::AddComment { text, theme, room, author, pre_session } => {
            if text.trim().is_empty() {
                return Err(Rejection::EmptyComment);
            }
            Event::CommentAdded { id: state.next_comment_id(), text, theme, room, author, pre_session }
        }
        Request::EditComment { id, text } => {
            own(id)?;
            Event::CommentEdited { id, text }
        }
        Request::RetagComment { id, theme, room, author } => {
            own(id)?;
            Event::CommentRetagged { id, theme, room, author }
        }
        Request::RetractComment { id } => {
            own(id)?;
            Event::CommentRetracted { id }
        }
        Request::PlaceDot { vote, candidate } => {
            Event::DotPlaced { vote, voter: joiner_voter(plan, state, actor, vote)?, candidate }
        }
        Request::RemoveDot { vote, candidate } => {
            Event::DotRemoved { vote, voter: joiner_voter(plan, state, actor, vote)?, candidate }
        }
        Request::Undo { seq } => return undo_act(state, actor, seq, true),
        Request::Redo { seq } => return undo_act(state, actor, seq, false),
    };
    Ok(vec![event])
}

/// Undo (or redo) the whole act event `seq` belongs to: the marks, in the order that keeps
/// every step consistent (an act's latest event is undone first and redone last). Whether the
/// rest of the log still holds without it is the fold's to say when the marks are applied.
fn undo_act(state: &SessionState, actor: &Actor, seq: u64, undo: bool) -> Result<Vec<Event>, Rejection> {
    let log = state.log();
    let target = undo::find(log, seq).ok_or(Rejection::NoSuchEvent(seq))?;
    if target.event.is_undo_mark() {
        return Err(Rejection::NoSuchEvent(seq));
    }
    if matches!(actor, Actor::NoteTaker(_)) && target.by != *actor {
        return Err(Rejection::NotYourAct(target.event.describe()));
    }
    let mut act = undo::act_of(log, seq);
    act.retain(|s| state.is_undone(*s) != undo);
    if act.is_empty() {
        return Err(if undo { Rejection::NothingToUndo } else { Rejection::NothingToRedo });
    }
    if undo {
        Ok(act.into_iter().map(|seq| Event::Undone { seq }).collect())
    } else {
        Ok(act.into_iter().rev().map(|seq| Event::Redone { seq }).collect())
    }
}

/// The intent behind Ctrl+Z: undo `actor`'s latest act that still counts.
pub fn undo_last(state: &SessionState, actor: &Actor) -> Result<Intent, Rejection> {
    let act = undo::last_act(state.log(), state.undone(), actor).ok_or(Rejection::NothingToUndo)?;
    Ok(Intent::Ask(Request::Undo { seq: act[0] }))
}

/// The intent behind Ctrl+Y: redo what `actor`'s latest undo undid, if nothing came since.
pub fn redo_last(state: &SessionState, actor: &Actor) -> Result<Intent, Rejection> {
    let act = undo::last_undo(state.log(), state.undone(), actor).ok_or(Rejection::NothingToRedo)?;
    Ok(Intent::Ask(Request::Redo { seq: act[0] }))
}

/// Who a joined terminal casts as in `vote`: the participant it joined as, or their organisation.
fn joiner_voter(
    plan: &Plan,
    state: &SessionState,
    actor: &Actor,
    vote: VoteId,
) -> Result<VoterKey, Rejection> {
    let Actor::NoteTaker(name) = actor else {
        return Err(Rejection::CastsOnScreen);
    };
    let open = state.voting.open_vote().filter(|v| v.id == vote).ok_or(Rejection::VoteClosed)?;
    let person = plan.participant_named(name).ok_or_else(|| Rejection::NotAParticipant(name.clone()))?;
    voter_in(open, person)
}

/// Who a participant votes as in this vote (themselves, or their organisation), if they may.
pub fn voter_in(vote: &Vote, person: &Participant) -> Result<VoterKey, Rejection> {
    if !vote.rules.joiners {
        return Err(Rejection::CastOnFacilitatorScreen);
    }
    let key = vote.rules.key_of(person);
    if vote.rules.has_voter(&key) {
        return Ok(key);
    }
    Err(Rejection::NotAVoter(match vote.rules.voter(&key) {
        Voter::Organisation(organisation) => organisation.to_string(),
        Voter::Person(_) => person.name.clone(),
    }))
}

impl Intent {
    /// The intent an event recorded at a console stands for: comment acts as themselves,
    /// everything else as steering.
    pub fn of_event(event: Event) -> Intent {
        match event {
            Event::CommentAdded { text, theme, room, author, pre_session, .. } => {
                Intent::Ask(Request::AddComment { text, theme, room, author, pre_session })
            }
            Event::CommentEdited { id, text } => Intent::Ask(Request::EditComment { id, text }),
            Event::CommentRetagged { id, theme, room, author } => {
                Intent::Ask(Request::RetagComment { id, theme, room, author })
            }
            Event::CommentRetracted { id } => Intent::Ask(Request::RetractComment { id }),
            Event::Undone { seq } => Intent::Ask(Request::Undo { seq }),
            Event::Redone { seq } => Intent::Ask(Request::Redo { seq }),
            other => Intent::Steer(other),
        }
    }
}

impl From<Request> for Intent {
    fn from(request: Request) -> Intent {
        Intent::Ask(request)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::CandidateId;

    fn plan() -> Plan {
        ron::from_str(
            r#"(title: "Decide", themes: [(key: 't', name: "Threats")],
                participants: [(id: "priya", name: "Priya Shah", org: "Food Bank")])"#,
        )
        .expect("a plan")
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

    fn folded(plan: &Plan, by: &Actor, intents: Vec<Intent>) -> SessionState {
        let mut state = SessionState::new(plan);
        for intent in intents {
            for event in decide(plan, &state, by, intent).expect("allowed") {
                let stamped = crate::model::Stamped {
                    seq: state.last_seq + 1,
                    at: chrono::DateTime::default(),
                    by: by.clone(),
                    origin: None,
                    event,
                };
                state.apply(plan, &stamped).expect("the fold takes what decide gives");
            }
        }
        state
    }

    #[test]
    fn the_model_numbers_comments_and_refuses_empty_ones() {
        let plan = plan();
        let me = Actor::Facilitator;
        let state = folded(&plan, &me, vec![comment("one"), comment("two")]);
        let next = decide(&plan, &state, &me, comment("three")).expect("allowed");
        assert!(matches!(next[..], [Event::CommentAdded { id: CommentId(3), .. }]));
        assert_eq!(decide(&plan, &state, &me, comment("  ")), Err(Rejection::EmptyComment));
    }

    #[test]
    fn a_joiner_changes_only_its_own_comments_and_never_steers() {
        let plan = plan();
        let ben = Actor::NoteTaker("Ben".into());
        let priya = Actor::NoteTaker("Priya Shah".into());
        let state = folded(&plan, &ben, vec![comment("Ben's")]);
        let edit = Intent::Ask(Request::EditComment { id: CommentId(1), text: "changed".into() });
        assert!(decide(&plan, &state, &ben, edit.clone()).is_ok());
        assert_eq!(
            decide(&plan, &state, &priya, edit.clone()),
            Err(Rejection::CapturedElsewhere(CommentId(1)))
        );
        assert!(
            decide(&plan, &state, &Actor::Facilitator, edit).is_ok(),
            "the facilitator corrects anything"
        );
        assert_eq!(
            decide(&plan, &state, &priya, Intent::Ask(Request::RetractComment { id: CommentId(9) })),
            Err(Rejection::NoSuchComment(CommentId(9)))
        );
        assert_eq!(
            decide(&plan, &state, &priya, Intent::Steer(Event::TimerPaused)),
            Err(Rejection::FacilitatorOnly)
        );
        assert_eq!(
            decide(
                &plan,
                &state,
                &priya,
                Intent::Ask(Request::PlaceDot { vote: VoteId(1), candidate: CandidateId(1) })
            ),
            Err(Rejection::VoteClosed)
        );
    }

    fn broadcast(text: &str, cause: Option<crate::model::BroadcastCause>) -> Intent {
        Intent::Steer(Event::Broadcast { text: text.into(), bell: true, cause })
    }

    #[test]
    fn only_the_facilitator_sends_messages_to_the_rooms_and_they_need_words() {
        let plan = plan();
        let me = Actor::Facilitator;
        let state = folded(&plan, &me, vec![broadcast("Five minutes left: agree your top 3", None)]);
        let latest = state.latest_broadcast().expect("the fold keeps the message");
        assert_eq!(
            (latest.seq, latest.text.as_str(), latest.bell),
            (1, "Five minutes left: agree your top 3", true)
        );
        let ben = Actor::NoteTaker("Ben".into());
        assert_eq!(decide(&plan, &state, &ben, broadcast("hello", None)), Err(Rejection::FacilitatorOnly));
        assert_eq!(decide(&plan, &state, &me, broadcast("  \n ", None)), Err(Rejection::EmptyBroadcast));
        let long = "x".repeat(MAX_BROADCAST_CHARS + 1);
        assert_eq!(
            decide(&plan, &state, &me, broadcast(&long, None)),
            Err(Rejection::BroadcastTooLong(MAX_BROADCAST_CHARS))
        );
    }

    #[test]
    fn a_broadcast_about_an_agenda_item_the_plan_lacks_is_refused_by_the_fold() {
        let plan = plan();
        let mut state = SessionState::new(&plan);
        let cause = Some(crate::model::BroadcastCause::Warning { item: 3 });
        let stamped = crate::model::Stamped {
            seq: 1,
            at: chrono::DateTime::default(),
            by: Actor::Facilitator,
            origin: None,
            event: Event::Broadcast { text: "2 minutes".into(), bell: false, cause },
        };
        let error = state.apply(&plan, &stamped).expect_err("no such item");
        assert_eq!(*error.problem, Refusal::Agenda(AgendaRefusal::CauseOutOfRange { item: 3, items: 0 }));
        assert!(error.to_string().contains("agenda item 4 is out of range"), "{error}");
        assert!(state.broadcasts.is_empty(), "the state is unchanged");
    }
}
