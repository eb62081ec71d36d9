//! What anyone may ask to have recorded, a joined terminal too: the network carries it as it
//! is, and `model::decide` turns it into events (numbered and checked) on whoever records.

use serde::{Deserialize, Serialize};

use super::ids::{CandidateId, CommentId, VoteId};

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
        id: CommentId,
        /// Its new text.
        text: String,
    },
    /// New tags for a comment.
    RetagComment {
        /// The comment.
        id: CommentId,
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
        id: CommentId,
    },
    /// A dot from the joiner (as themselves) in an open vote.
    PlaceDot {
        /// The vote.
        vote: VoteId,
        /// The candidate.
        candidate: CandidateId,
    },
    /// Take one of the joiner's dots back.
    RemoveDot {
        /// The vote.
        vote: VoteId,
        /// The candidate.
        candidate: CandidateId,
    },
    /// Undo the act this event belongs to (a joiner's own acts only).
    Undo {
        /// Sequence number of an event of the act.
        seq: u64,
    },
    /// Redo an undone act (a joiner's own acts only).
    Redo {
        /// Sequence number of an event of the act.
        seq: u64,
    },
}
