//! The history of acts, newest first, in words a facilitator reads at a glance: what the undo
//! list shows and what undo and redo messages say.

use chrono::{DateTime, Utc};

use crate::model::{undo, Actor, Event, Plan, SessionState, VoterKey};

use super::names::display_name;

/// One act in the history: what one key did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Act {
    /// Sequence number of its latest event (the one undo and redo are asked for).
    pub seq: u64,
    /// When it was done.
    pub at: DateTime<Utc>,
    /// Who did it.
    pub by: Actor,
    /// What it did, in words.
    pub what: String,
    /// Undone (and not redone).
    pub undone: bool,
}

/// The latest `limit` acts of the session, newest first (undo and redo marks are not acts).
pub fn recent_acts(plan: &Plan, state: &SessionState, limit: usize) -> Vec<Act> {
    let log = state.log();
    let mut acts = Vec::new();
    let mut index = log.len();
    while index > 0 && acts.len() < limit {
        index -= 1;
        let last = &log[index];
        if last.event.is_undo_mark() {
            continue;
        }
        let act = undo::act_of(log, last.seq);
        // `act_of` lists latest first; skip the earlier halves of this act.
        index = log.partition_point(|e| e.seq < *act.last().unwrap_or(&last.seq));
        acts.push(Act {
            seq: last.seq,
            at: last.at,
            by: last.by.clone(),
            what: words(plan, state, &act),
            undone: state.is_undone(last.seq),
        });
    }
    acts
}

/// The act whose latest event is `seq`, in words.
pub fn act_words(plan: &Plan, state: &SessionState, seq: u64) -> String {
    words(plan, state, &undo::act_of(state.log(), seq))
}

/// An act's events (latest first, as `act_of` gives them) in the order they happened, in words.
fn words(plan: &Plan, state: &SessionState, act: &[u64]) -> String {
    let log = state.log();
    let said: Vec<String> = act
        .iter()
        .rev()
        .filter_map(|seq| undo::find(log, *seq))
        .map(|e| describe(plan, state, &e.event))
        .collect();
    said.join(", then ")
}

/// Who did an act, as the history shows it.
pub fn who(by: &Actor) -> &str {
    match by {
        Actor::Facilitator => "facilitator",
        Actor::NoteTaker(name) => name,
    }
}

/// An event in the words of the screen it came from: names, not ids; a comment's first words.
pub fn describe(plan: &Plan, state: &SessionState, event: &Event) -> String {
    let person = |id: &str| display_name(plan, id).to_string();
    let item = |index: u32| {
        plan.agenda.get(index as usize).map_or_else(|| format!("item {}", index + 1), |i| i.title.clone())
    };
    let room = |index: u32| {
        plan.rooms.get(index as usize).map_or_else(|| format!("room {}", index + 1), |r| r.name.clone())
    };
    match event {
        Event::CommentAdded { id, text, .. } => format!("comment #{id} “{}”", first_words(text)),
        Event::CommentEdited { id, .. } => format!("edit of #{id}"),
        Event::CommentRetagged { id, .. } => format!("new tags for #{id}"),
        Event::CommentRetracted { id } => format!("retraction of #{id}"),
        Event::AgendaItemStarted { item: index } => format!("start of “{}”", item(*index)),
        Event::AgendaItemSkipped { item: index } => format!("skip of “{}”", item(*index)),
        Event::AgendaEnded => "end of the agenda".into(),
        Event::TimerPaused => "timer paused".into(),
        Event::TimerResumed => "timer resumed".into(),
        Event::TimerExtended { minutes } => format!("{minutes:+} min for the current item"),
        Event::CandidateAdded { id, text, .. } => format!("candidate {id} “{}”", first_words(text)),
        Event::CandidateEdited { id, .. } => format!("rewording of candidate {id}"),
        Event::CandidatesMerged { into, from } => format!("merge of candidate {from} into {into}"),
        Event::VoteOpened { vote, rules } => {
            format!("opening of vote {vote} “{}”", first_words(&rules.title))
        }
        Event::VoteClosed { vote } => format!("closing of vote {vote}"),
        // While a hidden tally is open, nobody's dots are shown, in the history either.
        Event::DotPlaced { vote, voter, .. } | Event::DotRemoved { vote, voter, .. }
            if hidden(state, *vote) =>
        {
            let what = if matches!(event, Event::DotPlaced { .. }) { "dot" } else { "dot taken back" };
            format!(
                "{}'s {what} in vote {vote} (hidden until it closes)",
                voter_words(plan, state, *vote, voter)
            )
        }
        Event::DotPlaced { vote, voter, candidate } => {
            format!("{}'s dot on candidate {candidate}", voter_words(plan, state, *vote, voter))
        }
        Event::DotRemoved { vote, voter, candidate } => {
            format!("{}'s dot taken off candidate {candidate}", voter_words(plan, state, *vote, voter))
        }
        Event::DecisionOpened { id, question, .. } => format!("decision {id} “{}”", first_words(question)),
        Event::DecisionAnswered { organisation, choice, id } => {
            format!("{organisation}'s answer ({}) to decision {id}", format!("{choice:?}").to_lowercase())
        }
        Event::DecisionRecorded { id } => format!("recording of decision {id}"),
        Event::RoomsAssigned { round, .. } => format!("rooms for round {}", round + 1),
        Event::ParticipantMoved { id, room: to } => format!("move of {} to {}", person(id), room(*to)),
        Event::ParticipantArrived { id, room: to } => format!("arrival of {} in {}", person(id), room(*to)),
        Event::ParticipantLeft { id } => format!("departure of {}", person(id)),
        Event::ParticipantCheckedIn { id } => format!("check-in of {}", person(id)),
        Event::ParticipantAbsent { id } => format!("{} marked absent", person(id)),
        Event::ParticipantAdded { name, deputy_for: Some(for_), .. } => {
            format!("{name} as deputy for {}", person(for_))
        }
        Event::ParticipantAdded { name, .. } => format!("walk-in {name}"),
        Event::AgendaRebalanced { items } => format!("rebalancing of {} items to come", items.len()),
        Event::Broadcast { text, cause: None, .. } => format!("message to the rooms “{}”", first_words(text)),
        Event::Broadcast { text, .. } => format!("automatic message to the rooms “{}”", first_words(text)),
        Event::Undone { seq } | Event::Redone { seq } => {
            let target = undo::find(state.log(), *seq).map(|e| describe(plan, state, &e.event));
            let verb = if matches!(event, Event::Undone { .. }) { "undo" } else { "redo" };
            format!("{verb} of {}", target.unwrap_or_else(|| format!("event {seq}")))
        }
    }
}

/// Whether a vote's tally is still hidden (it is open and hides it).
fn hidden(state: &SessionState, vote: crate::model::VoteId) -> bool {
    state.voting.vote(vote).is_some_and(|v| v.rules.hidden && !v.closed)
}

fn voter_words(plan: &Plan, state: &SessionState, vote: crate::model::VoteId, voter: &VoterKey) -> String {
    // The fold refuses a dot in a vote it does not have; were one there, its key shows as is.
    match state.voting.vote(vote) {
        Some(vote) => super::voter_name(plan, vote.rules.voter(voter)),
        None => voter.to_string(),
    }
}

/// The first few words of a text, for a one-line mention.
fn first_words(text: &str) -> String {
    const MAX: usize = 32;
    let line = text.lines().next().unwrap_or_default();
    if line.chars().count() <= MAX && !text.contains('\n') {
        return line.to_string();
    }
    let cut: String = line.chars().take(MAX).collect();
    // End on a whole word where there is one.
    let cut = match cut.rfind(' ') {
        Some(space) if space > MAX / 2 => &cut[..space],
        _ => cut.as_str(),
    };
    format!("{}…", cut.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{decide, CandidateId, Intent, Request, Stamped, VoteId};

    fn plan() -> Plan {
        ron::from_str(
            r#"(title: "History", agenda: [(title: "Welcome", minutes: 5), (title: "Threats", minutes: 10)],
                participants: [(id: "priya", name: "Priya Shah", org: "Food Bank")])"#,
        )
        .expect("a plan")
    }

    fn record(plan: &Plan, state: &mut SessionState, by: &Actor, intent: Intent) {
        for event in decide(plan, state, by, intent).expect("allowed") {
            let stamped = Stamped {
                seq: state.last_seq + 1,
                at: DateTime::default(),
                by: by.clone(),
                origin: None,
                event,
            };
            state.apply(plan, &stamped).expect("applies");
        }
    }

    #[test]
    fn the_history_names_acts_in_words_newest_first_and_marks_what_is_undone() {
        let plan = plan();
        let mut state = SessionState::new(&plan);
        let me = Actor::Facilitator;
        let comment = Request::AddComment {
            text: "Fire and police share one control room in the north".into(),
            theme: None,
            room: None,
            author: None,
            pre_session: false,
        };
        record(&plan, &mut state, &me, Intent::Ask(comment));
        record(&plan, &mut state, &me, Intent::Steer(Event::AgendaItemStarted { item: 0 }));
        record(&plan, &mut state, &me, Intent::Ask(Request::Undo { seq: 2 }));
        let acts = recent_acts(&plan, &state, 10);
        let words: Vec<_> = acts.iter().map(|a| (a.what.as_str(), a.undone)).collect();
        assert_eq!(
            words,
            vec![("start of “Welcome”", true), ("comment #1 “Fire and police share one…”", false)]
        );
        assert_eq!(who(&acts[0].by), "facilitator");
    }

    #[test]
    fn the_history_never_shows_where_a_dot_went_while_the_tally_is_hidden() {
        let plan = plan();
        let mut state = SessionState::new(&plan);
        let me = Actor::Facilitator;
        let add = Event::CandidateAdded { id: CandidateId(1), text: "One front door".into(), source: None };
        record(&plan, &mut state, &me, Intent::Steer(add));
        let rules = crate::model::VoteRules {
            title: "Shortlist".into(),
            candidates: vec![CandidateId(1)],
            dots: 1,
            cap: 1,
            voters: vec!["priya".into()],
            by_org: false,
            hidden: true,
            joiners: false,
        };
        record(&plan, &mut state, &me, Intent::Steer(Event::VoteOpened { vote: VoteId(1), rules }));
        let dot = Event::DotPlaced { vote: VoteId(1), voter: "priya".into(), candidate: CandidateId(1) };
        record(&plan, &mut state, &me, Intent::Steer(dot));
        let open = recent_acts(&plan, &state, 1);
        assert_eq!(open[0].what, "Priya Shah's dot in vote 1 (hidden until it closes)");
        record(&plan, &mut state, &me, Intent::Steer(Event::VoteClosed { vote: VoteId(1) }));
        let closed = recent_acts(&plan, &state, 2);
        assert_eq!(closed[1].what, "Priya Shah's dot on candidate 1");
    }
}
