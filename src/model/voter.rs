//! Who places dots in a vote. The log writes a voter as one string: a participant id, or an
//! organisation's name when the vote gives each organisation one voice. Which of the two it is
//! belongs to the vote (`VoteRules::by_org`), so a [`VoterKey`] says nothing by itself and
//! [`VoteRules::voter`] resolves it into a [`Voter`] that does. Nothing else guesses, so an
//! organisation whose name happens to be someone's id is never shown as that person.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::plan::Participant;
use super::vote::VoteRules;

/// A voter as the log writes it: stored as the bare string it always was
/// (`#[serde(transparent)]`), so session files and the wire do not change.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct VoterKey(String);

impl VoterKey {
    /// The text the log holds: a participant id or an organisation's name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for VoterKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl From<String> for VoterKey {
    fn from(key: String) -> Self {
        VoterKey(key)
    }
}

impl From<&str> for VoterKey {
    fn from(key: &str) -> Self {
        VoterKey(key.to_string())
    }
}

impl PartialEq<str> for VoterKey {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for VoterKey {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

/// A voter resolved against its vote: a person, or an organisation with one voice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Voter<'a> {
    /// A participant, by id.
    Person(&'a str),
    /// An organisation, by name.
    Organisation(&'a str),
}

impl VoteRules {
    /// What `key` stands for in this vote: an organisation when the vote is by organisation,
    /// else a participant.
    pub fn voter<'a>(&self, key: &'a VoterKey) -> Voter<'a> {
        if self.by_org {
            Voter::Organisation(key.as_str())
        } else {
            Voter::Person(key.as_str())
        }
    }

    /// The key `person` votes under in this vote: their organisation's, or their own.
    pub fn key_of(&self, person: &Participant) -> VoterKey {
        if self.by_org {
            VoterKey(person.org.clone())
        } else {
            VoterKey(person.id.clone())
        }
    }

    /// Whether `key` is among this vote's voters.
    pub fn has_voter(&self, key: &VoterKey) -> bool {
        self.voters.contains(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CandidateId, Role};

    fn rules(by_org: bool) -> VoteRules {
        VoteRules {
            title: "t".into(),
            candidates: vec![CandidateId(1)],
            dots: 1,
            cap: 1,
            voters: vec!["ann".into(), "Food Bank".into()],
            by_org,
            hidden: false,
            joiners: false,
        }
    }

    #[test]
    fn the_vote_says_which_kind_a_key_is() {
        let key = VoterKey::from("ann");
        assert_eq!(rules(false).voter(&key), Voter::Person("ann"));
        assert_eq!(rules(true).voter(&key), Voter::Organisation("ann"));
    }

    #[test]
    fn a_person_votes_as_themselves_or_their_organisation() {
        let ann = Participant {
            id: "ann".into(),
            name: "Ann".into(),
            org: "Food Bank".into(),
            role: Role::Partner,
            email: None,
        };
        assert_eq!(rules(false).key_of(&ann), "ann");
        assert_eq!(rules(true).key_of(&ann), "Food Bank");
        assert!(rules(true).has_voter(&rules(true).key_of(&ann)));
    }

    #[test]
    fn a_key_is_stored_as_the_bare_string() {
        assert_eq!(ron::to_string(&VoterKey::from("ann")).expect("serialises"), r#""ann""#);
        assert_eq!(ron::from_str::<VoterKey>(r#""Food Bank""#).expect("parses"), "Food Bank");
    }
}
