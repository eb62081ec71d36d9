//! A comment as the fold sees it: current text and tags, plus its history counters.

use chrono::{DateTime, Utc};

use super::event::Actor;
use super::ids::CommentId;

/// One captured comment in its current form.
#[derive(Debug, Clone, PartialEq)]
pub struct Comment {
    /// Comment number, consecutive from 1.
    pub id: CommentId,
    /// Current text (edits applied).
    pub text: String,
    /// Theme name, if tagged.
    pub theme: Option<String>,
    /// Room index, if from a breakout room.
    pub room: Option<u32>,
    /// Participant id of who said it.
    pub author: Option<String>,
    /// Sent in ahead of the session.
    pub pre_session: bool,
    /// When it was first captured.
    pub added_at: DateTime<Utc>,
    /// Sequence number of the event that added it.
    pub added_seq: u64,
    /// Who captured it.
    pub captured_by: Actor,
    /// How many times its text was edited.
    pub edits: u32,
    /// Whether it has been withdrawn.
    pub retracted: bool,
    /// Whether the act that captured it was undone: it keeps its number and nothing else.
    pub undone: bool,
}
