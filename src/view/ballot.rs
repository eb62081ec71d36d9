//! Ballots and voters.

use crate::model::{CandidateId, Plan, Role, SessionState};

/// Labels for candidates on a ballot, in order: one key each, so a dot is one keystroke.
pub const LABELS: &str = "123456789abcdefghijklmnopqrstuvwxyz";

/// The label of the candidate at `position` on the ballot.
pub fn label(position: usize) -> Option<char> {
    LABELS.chars().nth(position)
}

/// Who votes: every attendee still here except those running the session, or their organisations.
pub fn voters(plan: &Plan, session: &SessionState, by_org: bool) -> Vec<String> {
    // People who left the session cannot be waited for.
    let left = &session.rooms.left;
    let people = plan
        .participants
        .iter()
        .filter(|p| matches!(p.role, Role::Partner | Role::RoomLead) && !left.contains(&p.id));
    let mut voters: Vec<String> =
        if by_org { people.map(|p| p.org.clone()).collect() } else { people.map(|p| p.id.clone()).collect() };
    let mut seen = std::collections::HashSet::new();
    voters.retain(|v| seen.insert(v.clone()));
    voters
}

/// How a voter is shown: a participant's name, or the organisation as is.
pub fn voter_name(plan: &Plan, voter: &str) -> String {
    super::display_name(plan, voter).to_string()
}

/// Candidate ids still standing, in list order.
pub fn standing(session: &SessionState) -> Vec<CandidateId> {
    session.voting.standing().map(|c| c.id).collect()
}

/// The ballot a new vote would have: all standing candidates, or the last vote's top K.
pub fn ballot(session: &SessionState, top: Option<usize>) -> Vec<CandidateId> {
    match (top, session.voting.latest_vote()) {
        (Some(k), Some(last)) => last.top(k),
        _ => standing(session),
    }
}

/// Voters of the open vote whose name contains `filter` (any case, any accents): (position, name).
pub fn voter_matches(plan: &Plan, session: &SessionState, filter: &str) -> Vec<(usize, String)> {
    let filter = super::folded(filter);
    session.voting.open_vote().map_or_else(Vec::new, |vote| {
        vote.rules
            .voters
            .iter()
            .enumerate()
            .map(|(i, v)| (i, voter_name(plan, v)))
            .filter(|(_, name)| super::folded(name).contains(&filter))
            .collect()
    })
}
