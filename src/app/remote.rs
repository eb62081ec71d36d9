//! Joined terminals, from both ends. Hosting, requests become events (each exactly once, by
//! the joiner's number); joined, this console's own commands become requests for the host.

use super::action::Effect;
use super::state::{AppState, Severity};
use super::update::record_as;
use crate::model::{decide, Actor, Event, Intent, Origin, Rejection, Request, SessionState, Vote, VoterKey};
use crate::net::{HostNews, LinkNews, Outcome, Submission, SESSION_CLOSED};

/// Hosting: news from the network.
pub(super) fn on_host_news(state: &mut AppState, news: HostNews, effects: &mut Vec<Effect>) {
    match news {
        HostNews::Submitted(submission) => submitted(state, submission, effects),
        HostNews::Peers(peers) => {
            if let Some(hosting) = state.seat.hosting_mut() {
                hosting.peers = peers;
            }
        }
        HostNews::Refused(what) => state.message = Some((what, Severity::Warning)),
    }
}

/// Record a joiner's request once, and answer it.
fn submitted(state: &mut AppState, submission: Submission, effects: &mut Vec<Effect>) {
    let Some(hosting) = state.seat.hosting_mut() else {
        return;
    };
    let Submission { client, name, seq, request } = submission;
    let seen = hosting.seen.entry(client.clone()).or_default();
    let outcome = if seq <= *seen {
        Outcome::Duplicate
    } else {
        *seen = seq;
        let by = Actor::NoteTaker(name);
        match decide(&state.plan, &state.session, &by, Intent::from(request)) {
            Ok(events) => {
                let origin = Origin { client: client.clone(), seq };
                let mut outcome = Outcome::Rejected(Rejection::EmptyComment.to_string());
                for event in events {
                    outcome = match record_as(state, by.clone(), Some(origin.clone()), event, effects) {
                        Ok(stored) => Outcome::Stored(stored),
                        Err(reason) => Outcome::Rejected(reason),
                    };
                }
                outcome
            }
            Err(rejection) => Outcome::Rejected(rejection.to_string()),
        }
    };
    effects.push(Effect::Answer { client, seq, outcome });
}

/// Joined: send what this console would have recorded to the host instead. False if it is
/// not something a joined terminal may ask for.
pub(super) fn submit(state: &mut AppState, event: Event, effects: &mut Vec<Effect>) -> bool {
    let Some(joined) = state.seat.joined_mut() else {
        return false;
    };
    if joined.refused {
        let why = joined.problem.clone().unwrap_or_default();
        state.message =
            Some((format!("the host refused this terminal ({why}); nothing is sent"), Severity::Error));
        return false;
    }
    let request = match event {
        Event::CommentAdded { text, theme, room, author, pre_session, .. } => {
            Request::AddComment { text, theme, room, author, pre_session }
        }
        Event::CommentEdited { id, text } => Request::EditComment { id, text },
        Event::CommentRetagged { id, theme, room, author } => {
            Request::RetagComment { id, theme, room, author }
        }
        Event::CommentRetracted { id } => Request::RetractComment { id },
        Event::DotPlaced { vote, candidate, .. } => Request::PlaceDot { vote, candidate },
        Event::DotRemoved { vote, candidate, .. } => Request::RemoveDot { vote, candidate },
        Event::Undone { seq } => Request::Undo { seq },
        Event::Redone { seq } => Request::Redo { seq },
        _ => {
            state.message = Some(("the facilitator's console does that".into(), Severity::Warning));
            return false;
        }
    };
    // Asked here as the host will ask, so a refusal is said at once and nothing is sent.
    if let Err(rejection) = decide(&state.plan, &state.session, &state.actor, Intent::from(request.clone())) {
        state.message = Some((rejection.to_string(), Severity::Warning));
        return false;
    }
    let Some(joined) = state.seat.joined_mut() else {
        return false;
    };
    let seq = joined.next_seq;
    joined.next_seq += 1;
    joined.unsent.push((seq, request.clone()));
    effects.push(Effect::Submit(seq, request));
    if !joined.online {
        state.message = Some(("offline: kept, and sent when the host is back".into(), Severity::Warning));
    }
    true
}

/// Joined: news from the host.
pub(super) fn on_link_news(state: &mut AppState, news: LinkNews, effects: &mut Vec<Effect>) {
    let Some(joined) = state.seat.joined_mut() else {
        return;
    };
    match news {
        LinkNews::Welcome { plan, applied, you, .. } => {
            joined.online = true;
            joined.problem = None;
            joined.me = you;
            joined.unsent.retain(|(seq, _)| *seq > applied);
            // The host has seen every number up to `applied`: never hand one out again.
            joined.next_seq = joined.next_seq.max(applied.saturating_add(1));
            state.plan = *plan;
        }
        LinkNews::Reset => {
            state.session = SessionState::new(&state.plan);
            state.disk.durable_seq = 0;
        }
        LinkNews::Event(event) => {
            match state.session.apply(&state.plan, &event) {
                Ok(()) => {
                    super::update::follow_agenda(state, &event.event);
                    // The host's log is on its disk before it reaches us.
                    state.disk.durable_seq = state.session.last_seq;
                    if let (Event::Broadcast { .. }, Some(broadcast)) =
                        (&event.event, state.session.latest_broadcast().cloned())
                    {
                        super::broadcast::arrived(state, &broadcast, effects);
                    }
                }
                Err(error) => {
                    state.message = Some((format!("the host's log puzzles us: {error}"), Severity::Error))
                }
            }
        }
        LinkNews::Answer { seq, outcome } => {
            joined.unsent.retain(|(s, _)| *s != seq);
            if let Outcome::Rejected(reason) = outcome {
                state.message = Some((format!("the host refused it: {reason}"), Severity::Warning));
            }
        }
        LinkNews::HostTime(_) => {}
        LinkNews::Offline(reason) => {
            joined.online = false;
            joined.problem = Some(reason);
        }
        LinkNews::Closed => {
            joined.online = false;
            joined.refused = true;
            joined.problem = Some(SESSION_CLOSED.to_string());
            let unsent = joined.unsent.len();
            let kept = match unsent {
                0 => "everything you sent is stored".to_string(),
                n => format!("{n} not stored are kept in {}", state.path.display()),
            };
            state.message = Some((format!("{kept}; Ctrl+Q leaves"), Severity::Warning));
        }
        LinkNews::Refused(reason) => {
            joined.online = false;
            joined.refused = true;
            state.message = Some((format!("the host refused this terminal: {reason}"), Severity::Error));
            joined.problem = Some(reason);
        }
    }
}

/// Joined: the voter this terminal casts as in `vote`, or why it cannot.
pub(super) fn my_voter(state: &AppState, vote: &Vote) -> Result<VoterKey, String> {
    let me = state.seat.joined().and_then(|j| j.me.as_deref());
    crate::view::joiner_voter(&state.plan, me, vote)
}
