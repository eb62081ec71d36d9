//! The session document: a plan plus an append-only log of stamped events, and the fold
//! that turns them into the state every screen and report reads.

pub mod agenda;
pub mod broadcast;
pub mod comment;
pub mod decide;
pub mod event;
pub mod ids;
pub mod people;
pub mod plan;
pub mod rebalance;
pub mod refusal;
pub mod request;
pub mod rooms;
pub mod state;
pub mod undo;
pub mod vote;
pub mod voter;

pub use agenda::{AgendaState, ItemStatus, Phase, Projection};
pub use broadcast::{Broadcast, BroadcastCause, MAX_BROADCAST_CHARS};
pub use comment::Comment;
pub use decide::{decide, redo_last, undo_last, voter_in, Intent, Rejection};
pub use event::{Actor, Event, ItemMinutes, Origin, Stamped};
pub use ids::{CandidateId, CommentId, DecisionId, VoteId};
pub use people::{PeopleState, Status, WalkIn};
pub use plan::{AgendaItem, ItemKind, Participant, Plan, Role, Room, Theme};
pub use refusal::{
    AgendaRefusal, CommentRefusal, LogRefusal, PeopleRefusal, Refusal, RoomsRefusal, VoteRefusal,
};
pub use request::Request;
pub use rooms::{RoomRound, RoomsState};
pub use state::{FoldError, SessionState};
pub use vote::{
    Candidate, Choice, Decision, DecisionBase, MajorityRule, Ranked, Vote, VoteRules, VotingState,
};
pub use voter::{Voter, VoterKey};

use serde::{Deserialize, Serialize};

/// The file format version written by this build; older versions are migrated on load.
/// 2 added `origin` to events that arrive from joined terminals; 3 added undo and redo marks,
/// messages to the rooms and agenda rebalances (`store::format_needed` says which needs which).
pub const FORMAT_VERSION: u32 = 3;

/// Everything a session file holds: the plan and the full event log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionFile {
    /// Format version, so older files can be migrated and newer ones refused clearly.
    pub format: u32,
    /// What the facilitator planned: themes, people, rooms, agenda.
    pub plan: Plan,
    /// Every fact that happened, in order.
    #[serde(default)]
    pub events: Vec<Stamped>,
}

impl SessionFile {
    /// A new session with an empty log.
    pub fn new(plan: Plan) -> Self {
        SessionFile { format: FORMAT_VERSION, plan, events: Vec::new() }
    }

    /// Fold the whole log into the current state, checking every invariant on the way.
    pub fn fold(&self) -> Result<SessionState, FoldError> {
        SessionState::fold(&self.plan, &self.events)
    }
}
