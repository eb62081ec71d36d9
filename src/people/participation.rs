//! Who has contributed: comments and dots per person and per organisation, and who has not
//! yet, among those present. For the facilitator's eyes (to bring quieter partners in), so
//! it is computed from the fold and shown only on the console.

use std::collections::BTreeMap;

use crate::model::{Plan, Role, SessionState, Voter};

/// One person's contributions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonContribution {
    /// Participant id.
    pub id: String,
    /// Full name.
    pub name: String,
    /// Organisation.
    pub org: String,
    /// Live comments attributed to them (pre-session input included).
    pub comments: usize,
    /// Dots they placed as themselves (per-person votes).
    pub dots: u32,
}

/// One organisation's contributions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgContribution {
    /// Organisation name.
    pub org: String,
    /// Live comments by its people.
    pub comments: usize,
    /// Dots by its people, and by it as one voice in per-organisation votes.
    pub dots: u32,
}

/// Participation across the session.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Participation {
    /// Partners and room leads present, most contributions first, then by name.
    pub people: Vec<PersonContribution>,
    /// Organisations, most contributions first, then by name.
    pub orgs: Vec<OrgContribution>,
    /// Names of those present with no comment and no dot yet, in roster order.
    pub silent: Vec<String>,
}

/// Comments and dots per person and organisation; only partners and room leads who are
/// expected here (present, or everyone before a roll call) are listed.
pub fn participation(plan: &Plan, state: &SessionState) -> Participation {
    let people = state.people();
    let mut comments: BTreeMap<&str, usize> = BTreeMap::new();
    for comment in state.live_comments() {
        if let Some(author) = &comment.author {
            *comments.entry(author.as_str()).or_default() += 1;
        }
    }
    let mut dots: BTreeMap<&str, u32> = BTreeMap::new();
    let mut org_dots: BTreeMap<&str, u32> = BTreeMap::new();
    for vote in &state.voting.votes {
        for (voter, placed) in &vote.dots {
            let total: u32 = placed.values().sum();
            match vote.rules.voter(voter) {
                Voter::Organisation(organisation) => *org_dots.entry(organisation).or_default() += total,
                Voter::Person(id) => *dots.entry(id).or_default() += total,
            }
        }
    }
    let mut rows: Vec<PersonContribution> = Vec::new();
    let mut orgs: BTreeMap<String, OrgContribution> = BTreeMap::new();
    for person in people.roster(plan) {
        let count = comments.get(person.id.as_str()).copied().unwrap_or(0);
        let placed = dots.get(person.id.as_str()).copied().unwrap_or(0);
        if !person.org.trim().is_empty() {
            let org = orgs.entry(person.org.clone()).or_insert_with(|| OrgContribution {
                org: person.org.clone(),
                comments: 0,
                dots: org_dots.get(person.org.as_str()).copied().unwrap_or(0),
            });
            org.comments += count;
            org.dots += placed;
        }
        let sits = matches!(person.role, Role::Partner | Role::RoomLead);
        if sits && (people.expected_here(&person.id) || count > 0 || placed > 0) {
            rows.push(PersonContribution {
                id: person.id.clone(),
                name: person.name.clone(),
                org: person.org.clone(),
                comments: count,
                dots: placed,
            });
        }
    }
    let silent = rows.iter().filter(|r| r.comments == 0 && r.dots == 0).map(|r| r.name.clone()).collect();
    rows.sort_by(|a, b| {
        (b.comments + b.dots as usize).cmp(&(a.comments + a.dots as usize)).then(a.name.cmp(&b.name))
    });
    let mut orgs: Vec<OrgContribution> = orgs.into_values().collect();
    orgs.sort_by(|a, b| {
        (b.comments + b.dots as usize).cmp(&(a.comments + a.dots as usize)).then(a.org.cmp(&b.org))
    });
    Participation { people: rows, orgs, silent }
}
