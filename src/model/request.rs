//! What a joined terminal asks the host to record: the network's side of an event, before the
//! host has numbered and stamped it.

use serde::{Deserialize, Serialize};

/// Something a joined terminal asks the host to record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Request {
    /// A new comment; the host numbers it.
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
    /// A dot from the joiner (as themselves) in an open vote.
    PlaceDot {
        /// The vote.
        vote: u32,
        /// The candidate.
        candidate: u32,
    },
    /// Take one of the joiner's dots back.
    RemoveDot {
        /// The vote.
        vote: u32,
        /// The candidate.
        candidate: u32,
    },
}
