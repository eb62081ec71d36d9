//! Ballots and voters.

use crate::model::{CandidateId, Participant, Plan, Role, SessionState, Vote, Voter, VoterKey};

/// Labels for candidates on a ballot, in order: one key each, so a dot is one keystroke.
pub const LABELS: &str = "123456789abcdefghijklmnopqrstuvwxyz";

/// The label of the candidate at `position` on the ballot.
pub fn label(position: usize) -> Option<char> {
    LABELS.chars().nth(position)
}

/// Who votes: every attendee still here except those running the session (participant ids), or
/// their organisations (names) when each organisation has one voice.
pub fn voters(plan: &Plan, session: &SessionState, by_org: bool) -> Vec<VoterKey> {
    if by_org {
        organisations_voting(plan, session).into_iter().map(VoterKey::from).collect()
    } else {
        people_voting(plan, session).map(|p| VoterKey::from(p.id.as_str())).collect()
    }
}

/// The organisations of the attendees who vote, each once, in list order.
pub fn organisations_voting(plan: &Plan, session: &SessionState) -> Vec<String> {
    let mut organisations: Vec<String> = people_voting(plan, session).map(|p| p.org.clone()).collect();
    let mut seen = std::collections::HashSet::new();
    organisations.retain(|o| seen.insert(o.clone()));
    organisations
}

/// Partners and room leads on the list who have not left.
fn people_voting<'a>(plan: &'a Plan, session: &'a SessionState) -> impl Iterator<Item = &'a Participant> {
    // People who left the session cannot be waited for.
    let left = &session.rooms.left;
    plan.participants
        .iter()
        .filter(|p| matches!(p.role, Role::Partner | Role::RoomLead) && !left.contains(&p.id))
}

/// How a voter is shown: a participant's name, or the organisation as is.
/// Whom a joined terminal casts as in `vote`: the participant its name matched (`me`), as a
/// person or by their organisation; or why it cannot cast here, in words.
pub fn joiner_voter(plan: &Plan, me: Option<&str>, vote: &Vote) -> Result<VoterKey, String> {
    let person = me.and_then(|id| plan.participant(id)).ok_or_else(|| {
        "your name is not on the participant list, so you cannot vote here (join with --name as listed)"
            .to_string()
    })?;
    crate::model::voter_in(vote, person).map_err(|rejection| rejection.to_string())
}

pub fn voter_name(plan: &Plan, voter: Voter<'_>) -> String {
    match voter {
        Voter::Person(id) => super::display_name(plan, id).to_string(),
        Voter::Organisation(organisation) => organisation.to_string(),
    }
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
            .map(|(i, v)| (i, voter_name(plan, vote.rules.voter(v))))
            .filter(|(_, name)| super::folded(name).contains(&filter))
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_voter_is_named_by_its_kind_not_by_a_guess() {
        let plan: Plan =
            ron::from_str(r#"(title: "t", participants: [(id: "unison", name: "Uma Nair", org: "Unison")])"#)
                .expect("a plan");
        assert_eq!(voter_name(&plan, Voter::Person("unison")), "Uma Nair");
        // An organisation whose name is also someone's id is still the organisation.
        assert_eq!(voter_name(&plan, Voter::Organisation("unison")), "unison");
        assert_eq!(voters(&plan, &SessionState::new(&plan), true), [VoterKey::from("Unison")]);
        assert_eq!(voters(&plan, &SessionState::new(&plan), false), [VoterKey::from("unison")]);
    }
}
