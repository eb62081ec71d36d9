//! Messages to the rooms: what the facilitator (or the agenda, by itself) told every joined
//! console and the shared screen, as the fold keeps them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::ids::VoteId;

/// Longest message to the rooms, in characters: a banner line, not a letter.
pub const MAX_BROADCAST_CHARS: usize = 200;

/// Why the agenda sent a message by itself (none: the facilitator typed it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum BroadcastCause {
    /// A breakout item's warning fired (the plan's `room_note`, or the minutes left).
    Warning {
        /// Index into the plan's agenda, from 0.
        item: u32,
    },
    /// A breakout item ended: its time ran out, or the facilitator moved on.
    ItemEnded {
        /// Index into the plan's agenda, from 0.
        item: u32,
    },
    /// A vote opened in which joined terminals cast their own dots.
    VoteOpened {
        /// The vote.
        vote: VoteId,
    },
}

impl BroadcastCause {
    /// The agenda item it is about, if any.
    pub fn item(self) -> Option<u32> {
        match self {
            BroadcastCause::Warning { item } | BroadcastCause::ItemEnded { item } => Some(item),
            BroadcastCause::VoteOpened { .. } => None,
        }
    }
}

/// A message to the rooms as the fold keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Broadcast {
    /// Sequence number of its event: joined consoles remember which they have dismissed.
    pub seq: u64,
    /// When it was sent.
    pub at: DateTime<Utc>,
    /// The message.
    pub text: String,
    /// Joined consoles ring the bell.
    pub bell: bool,
    /// Why the agenda sent it, if it did.
    pub cause: Option<BroadcastCause>,
}
