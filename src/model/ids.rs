//! Numbers the log gives what it creates: comments, candidates, votes and decisions. Each is
//! its own type so one cannot stand for another, and each is stored as the bare number it
//! always was (`#[serde(transparent)]`), so session files and the wire do not change.

use std::fmt;

use serde::{Deserialize, Serialize};

macro_rules! log_id {
    ($(#[$doc:meta])* $name:ident, $what:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub u32);

        impl $name {
            #[doc = concat!("The first ", $what, " of a session.")]
            pub const FIRST: Self = $name(1);

            #[doc = concat!("The ", $what, " at this position of the fold's list (0-based).")]
            pub fn at(index: usize) -> Self {
                $name(u32::try_from(index).unwrap_or(u32::MAX - 1).saturating_add(1))
            }

            #[doc = concat!("Its position in the fold's list of every ", $what, " (numbers start at 1); none for 0.")]
            pub fn index(self) -> Option<usize> {
                self.0.checked_sub(1).map(|i| i as usize)
            }

            #[doc = concat!("The ", $what, " numbered after this one.")]
            pub fn next(self) -> Self {
                $name(self.0.saturating_add(1))
            }

            /// The bare number, as the file stores it.
            pub fn get(self) -> u32 {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl From<u32> for $name {
            fn from(n: u32) -> Self {
                $name(n)
            }
        }
    };
}

log_id!(
    /// A comment's number, 1 for the first comment of the session, then consecutive.
    CommentId,
    "comment"
);
log_id!(
    /// A candidate priority's number, consecutive from 1.
    CandidateId,
    "candidate"
);
log_id!(
    /// A dot-vote's number, consecutive from 1.
    VoteId,
    "vote"
);
log_id!(
    /// A yes/no/abstain decision's number, consecutive from 1.
    DecisionId,
    "decision"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_positions_correspond() {
        assert_eq!(CommentId::at(0), CommentId::FIRST);
        assert_eq!(CommentId(7).index(), Some(6));
        assert_eq!(CommentId(0).index(), None);
        assert_eq!(CandidateId(3).next(), CandidateId(4));
        assert_eq!(VoteId(u32::MAX).next(), VoteId(u32::MAX));
        assert_eq!(DecisionId::at(41).get(), 42);
    }

    #[test]
    fn display_is_the_bare_number() {
        assert_eq!(CommentId(12).to_string(), "12");
        assert_eq!(format!("#{}", VoteId(2)), "#2");
    }

    #[test]
    fn serialises_as_the_bare_number() {
        assert_eq!(ron::to_string(&CandidateId(5)).expect("a number serialises"), "5");
        assert_eq!(ron::from_str::<DecisionId>("9").expect("a number parses"), DecisionId(9));
        assert_eq!(serde_json::to_string(&VoteId(3)).expect("a number serialises"), "3");
    }
}
