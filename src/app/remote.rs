//! Joined terminals, from both ends. Hosting, requests become events (each exactly once, by
//! the joiner's number); joined, this console's own commands become requests for the host.

use super::action::Effect;
use super::state::{AppState, Severity};
use super::update::record_as;
use crate::model::{Actor, Event, Origin, Participant, Request, SessionState, Vote};
use crate::net::{HostNews, LinkNews, Outcome, Submission};

/// Hosting: news from the network.
pub(super) fn on_host_news(state: &mut AppState, news: HostNews, effects: &mut Vec<Effect>) {
    match news {
        HostNews::Submitted(submission) => submitted(state, submission, effects),
        HostNews::Peers(peers) => {
            if let Some(hosting) = state.hosting.as_mut() {
                hosting.peers = peers;
            }
        }
        HostNews::Refused(what) => state.message = Some((what, Severity::Warning)),
    }
}

/// Record a joiner's request once, and answer it.
fn submitted(state: &mut AppState, submission: Submission, effects: &mut Vec<Effect>) {
    let Some(hosting) = state.hosting.as_mut() else {
        return;
    };
    let Submission { client, name, seq, request } = submission;
    let seen = hosting.seen.entry(client.clone()).or_default();
    let outcome = if seq <= *seen {
        Outcome::Duplicate
    } else {
        *seen = seq;
        let by = Actor::NoteTaker(name);
        match event_for(state, &by, request) {
            Ok(event) => {
                let origin = Origin { client: client.clone(), seq };
                match record_as(state, by, Some(origin), event, effects) {
                    Ok(stored) => Outcome::Stored(stored),
                    Err(reason) => Outcome::Rejected(reason),
                }
            }
            Err(reason) => Outcome::Rejected(reason),
        }
    };
    effects.push(Effect::Answer { client, seq, outcome });
}

/// The event a joiner's request stands for, if they may make it.
fn event_for(state: &AppState, by: &Actor, request: Request) -> Result<Event, String> {
    // Joiners correct what they captured; anything else goes through the facilitator.
    let own = |id: u32| match state.session.comment(id) {
        Some(c) if c.captured_by == *by => Ok(()),
        Some(_) => Err(format!("#{id} was captured elsewhere: ask the facilitator to change it")),
        None => Err(format!("there is no comment #{id}")),
    };
    Ok(match request {
        Request::AddComment { text, theme, room, author, pre_session } => {
            if text.trim().is_empty() {
                return Err("an empty comment is not recorded".into());
            }
            let id = state.session.next_comment_id();
            Event::CommentAdded { id, text, theme, room, author, pre_session }
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
            Event::DotPlaced { vote, voter: host_voter(state, by, vote)?, candidate }
        }
        Request::RemoveDot { vote, candidate } => {
            Event::DotRemoved { vote, voter: host_voter(state, by, vote)?, candidate }
        }
    })
}

fn host_voter(state: &AppState, by: &Actor, vote: u32) -> Result<String, String> {
    let Actor::NoteTaker(name) = by else {
        return Err("only joined terminals vote this way".into());
    };
    let open = state.session.voting.open_vote().filter(|v| v.id == vote);
    let open = open.ok_or_else(|| "that vote is closed".to_string())?;
    let person = state
        .plan
        .participant_named(name)
        .ok_or_else(|| format!("\"{name}\" is not on the participant list, so cannot vote here"))?;
    voter_in(open, person)
}

/// Who a participant votes as in this vote (themselves, or their organisation), if they may.
pub(super) fn voter_in(vote: &Vote, person: &Participant) -> Result<String, String> {
    if !vote.rules.joiners {
        return Err("this vote is cast on the facilitator's screen".into());
    }
    let voter = if vote.rules.by_org { person.org.clone() } else { person.id.clone() };
    if vote.rules.voters.contains(&voter) {
        Ok(voter)
    } else {
        Err(format!(
            "{} is not among this vote's voters",
            if vote.rules.by_org { &person.org } else { &person.name }
        ))
    }
}

/// Joined: send what this console would have recorded to the host instead. False if it is
/// not something a joined terminal may ask for.
pub(super) fn submit(state: &mut AppState, event: Event, effects: &mut Vec<Effect>) -> bool {
    let Some(joined) = state.joined.as_mut() else {
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
        _ => {
            state.message = Some(("the facilitator's console does that".into(), Severity::Warning));
            return false;
        }
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
pub(super) fn on_link_news(state: &mut AppState, news: LinkNews) {
    let Some(joined) = state.joined.as_mut() else {
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
            state.durable_seq = 0;
            state.my_commits.clear();
        }
        LinkNews::Event(event) => {
            let mine = event.origin.as_ref().is_some_and(|o| o.client == joined.client);
            match state.session.apply(&state.plan, &event) {
                Ok(()) => {
                    // The host's log is on its disk before it reaches us.
                    state.durable_seq = state.session.last_seq;
                    if let (true, Event::CommentAdded { id, .. }) = (mine, &event.event) {
                        state.my_commits.push(*id);
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
        LinkNews::Refused(reason) => {
            joined.online = false;
            joined.refused = true;
            state.message = Some((format!("the host refused this terminal: {reason}"), Severity::Error));
            joined.problem = Some(reason);
        }
    }
}

/// Joined: the voter this terminal casts as in `vote`, or why it cannot.
pub(super) fn my_voter(state: &AppState, vote: &Vote) -> Result<String, String> {
    let me = state.joined.as_ref().and_then(|j| j.me.as_deref());
    let person = me.and_then(|id| state.plan.participant(id)).ok_or_else(|| {
        "your name is not on the participant list, so you cannot vote here (join with --name as listed)"
            .to_string()
    })?;
    voter_in(vote, person)
}
