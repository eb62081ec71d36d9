//! `decide`: what a person wants (an [`Intent`]) becomes events, or a [`Rejection`] that says
//! why not. The one place that says what each actor may do: the solo and hosting consoles
//! decide their own acts here, and the host decides every joined terminal's request here.

use thiserror::Error;

use super::{Actor, Event, ItemMinutes, Participant, Plan, Request, SessionState, Vote};

/// Something a person wants recorded, before ids are given and rights are checked.
#[derive(Debug, Clone, PartialEq)]
pub enum Intent {
    /// A new comment; the model numbers it.
    AddComment {
        /// As typed.
        text: String,
        /// Theme name.
        theme: Option<String>,
        /// Room index.
        room: Option<u32>,
        /// Participant id of who said it.
        author: Option<String>,
        /// Sent in ahead of the session.
        pre_session: bool,
    },
    /// New text for a comment.
    EditComment {
        /// The comment.
        id: u32,
        /// Its new text.
        text: String,
    },
    /// New tags for a comment.
    RetagComment {
        /// The comment.
        id: u32,
        /// Theme name.
        theme: Option<String>,
        /// Room index.
        room: Option<u32>,
        /// Participant id.
        author: Option<String>,
    },
    /// Withdraw a comment.
    RetractComment {
        /// The comment.
        id: u32,
    },
    /// A joined terminal's own dot, cast as the participant it joined as (or their organisation).
    PlaceOwnDot {
        /// The vote.
        vote: u32,
        /// The candidate.
        candidate: u32,
    },
    /// Take one of a joined terminal's own dots back.
    RemoveOwnDot {
        /// The vote.
        vote: u32,
        /// The candidate.
        candidate: u32,
    },
    /// Steering the session (agenda, rooms, votes, decisions, dots cast on the facilitator's
    /// screen): the facilitator's alone, checked against the log by the fold.
    Steer(Event),
    /// New lengths for items still to come after an overrun (a proposal the facilitator
    /// accepted, see `model::rebalance`): the facilitator's alone.
    RebalanceAgenda {
        /// Each changed item and its new minutes.
        items: Vec<ItemMinutes>,
    },
}

/// Why an intent was not recorded; the console shows the message as it is.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum Rejection {
    /// Nothing to record.
    #[error("an empty comment is not recorded")]
    EmptyComment,
    /// No such comment.
    #[error("there is no comment #{0}")]
    NoSuchComment(u32),
    /// A joiner may change only what it captured.
    #[error("#{0} was captured elsewhere: ask the facilitator to change it")]
    CapturedElsewhere(u32),
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
    #[error("{0}")]
    Invalid(String),
}

/// Turn `actor`'s intent into the events to record, or say why not. Pure: ids come from the
/// folded state. What the log itself forbids (a dot beyond the allowance, a closed item) the
/// fold refuses when the events are applied; see [`Rejection::Invalid`].
pub fn decide(
    plan: &Plan,
    state: &SessionState,
    actor: &Actor,
    intent: Intent,
) -> Result<Vec<Event>, Rejection> {
    let joined = matches!(actor, Actor::NoteTaker(_));
    let own = |id: u32| match state.comment(id) {
        Some(c) if !joined || c.captured_by == *actor => Ok(()),
        Some(_) => Err(Rejection::CapturedElsewhere(id)),
        None => Err(Rejection::NoSuchComment(id)),
    };
    let event = match intent {
        Intent::AddComment { text, theme, room, author, pre_session } => {
            if text.trim().is_empty() {
                return Err(Rejection::EmptyComment);
            }
            Event::CommentAdded { id: state.next_comment_id(), text, theme, room, author, pre_session }
        }
        Intent::EditComment { id, text } => {
            own(id)?;
            Event::CommentEdited { id, text }
        }
        Intent::RetagComment { id, theme, room, author } => {
            own(id)?;
            Event::CommentRetagged { id, theme, room, author }
        }
        Intent::RetractComment { id } => {
            own(id)?;
            Event::CommentRetracted { id }
        }
        Intent::PlaceOwnDot { vote, candidate } => {
            Event::DotPlaced { vote, voter: joiner_voter(plan, state, actor, vote)?, candidate }
        }
        Intent::RemoveOwnDot { vote, candidate } => {
            Event::DotRemoved { vote, voter: joiner_voter(plan, state, actor, vote)?, candidate }
        }
        Intent::Steer(event) if !joined => event,
        Intent::Steer(_) => return Err(Rejection::FacilitatorOnly),
        Intent::RebalanceAgenda { .. } if joined => return Err(Rejection::FacilitatorOnly),
        Intent::RebalanceAgenda { items } if items.is_empty() => {
            return Err(Rejection::Invalid("nothing to rebalance: no item changes".into()))
        }
        Intent::RebalanceAgenda { items } => Event::AgendaRebalanced { items },
    };
    Ok(vec![event])
}

/// Who a joined terminal casts as in `vote`: the participant it joined as, or their organisation.
fn joiner_voter(plan: &Plan, state: &SessionState, actor: &Actor, vote: u32) -> Result<String, Rejection> {
    let Actor::NoteTaker(name) = actor else {
        return Err(Rejection::Invalid("the facilitator casts for a voter chosen on screen".into()));
    };
    let open = state.voting.open_vote().filter(|v| v.id == vote).ok_or(Rejection::VoteClosed)?;
    let person = plan.participant_named(name).ok_or_else(|| Rejection::NotAParticipant(name.clone()))?;
    voter_in(open, person)
}

/// Who a participant votes as in this vote (themselves, or their organisation), if they may.
pub fn voter_in(vote: &Vote, person: &Participant) -> Result<String, Rejection> {
    if !vote.rules.joiners {
        return Err(Rejection::CastOnFacilitatorScreen);
    }
    let voter = if vote.rules.by_org { person.org.clone() } else { person.id.clone() };
    if vote.rules.voters.contains(&voter) {
        Ok(voter)
    } else {
        Err(Rejection::NotAVoter(if vote.rules.by_org { person.org.clone() } else { person.name.clone() }))
    }
}

impl Intent {
    /// The intent an event recorded at a console stands for: comment acts as themselves,
    /// everything else as steering.
    pub fn of_event(event: Event) -> Intent {
        match event {
            Event::CommentAdded { text, theme, room, author, pre_session, .. } => {
                Intent::AddComment { text, theme, room, author, pre_session }
            }
            Event::CommentEdited { id, text } => Intent::EditComment { id, text },
            Event::CommentRetagged { id, theme, room, author } => {
                Intent::RetagComment { id, theme, room, author }
            }
            Event::CommentRetracted { id } => Intent::RetractComment { id },
            Event::AgendaRebalanced { items } => Intent::RebalanceAgenda { items },
            other => Intent::Steer(other),
        }
    }
}

impl From<Request> for Intent {
    fn from(request: Request) -> Intent {
        match request {
            Request::AddComment { text, theme, room, author, pre_session } => {
                Intent::AddComment { text, theme, room, author, pre_session }
            }
            Request::EditComment { id, text } => Intent::EditComment { id, text },
            Request::RetagComment { id, theme, room, author } => {
                Intent::RetagComment { id, theme, room, author }
            }
            Request::RetractComment { id } => Intent::RetractComment { id },
            Request::PlaceDot { vote, candidate } => Intent::PlaceOwnDot { vote, candidate },
            Request::RemoveDot { vote, candidate } => Intent::RemoveOwnDot { vote, candidate },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan() -> Plan {
        ron::from_str(
            r#"(title: "Decide", themes: [(key: 't', name: "Threats")],
                participants: [(id: "priya", name: "Priya Shah", org: "Food Bank")])"#,
        )
        .expect("a plan")
    }

    fn comment(text: &str) -> Intent {
        Intent::AddComment { text: text.into(), theme: None, room: None, author: None, pre_session: false }
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
        assert!(matches!(next[..], [Event::CommentAdded { id: 3, .. }]));
        assert_eq!(decide(&plan, &state, &me, comment("  ")), Err(Rejection::EmptyComment));
    }

    #[test]
    fn a_joiner_changes_only_its_own_comments_and_never_steers() {
        let plan = plan();
        let ben = Actor::NoteTaker("Ben".into());
        let priya = Actor::NoteTaker("Priya Shah".into());
        let state = folded(&plan, &ben, vec![comment("Ben's")]);
        let edit = Intent::EditComment { id: 1, text: "changed".into() };
        assert!(decide(&plan, &state, &ben, edit.clone()).is_ok());
        assert_eq!(decide(&plan, &state, &priya, edit.clone()), Err(Rejection::CapturedElsewhere(1)));
        assert!(
            decide(&plan, &state, &Actor::Facilitator, edit).is_ok(),
            "the facilitator corrects anything"
        );
        assert_eq!(
            decide(&plan, &state, &priya, Intent::RetractComment { id: 9 }),
            Err(Rejection::NoSuchComment(9))
        );
        assert_eq!(
            decide(&plan, &state, &priya, Intent::Steer(Event::TimerPaused)),
            Err(Rejection::FacilitatorOnly)
        );
        assert_eq!(
            decide(&plan, &state, &priya, Intent::PlaceOwnDot { vote: 1, candidate: 1 }),
            Err(Rejection::VoteClosed)
        );
    }
}
