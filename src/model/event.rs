//! Events: facts in the past tense, stamped with sequence, time and author.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::broadcast::BroadcastCause;
use super::ids::{CandidateId, CommentId, DecisionId, VoteId};
use super::plan::Role;
use super::vote::{Choice, DecisionBase, MajorityRule, VoteRules};
use super::voter::VoterKey;

/// An event as stored: its place in the log, when it happened and who caused it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stamped {
    /// Monotonic sequence number, starting at 1.
    pub seq: u64,
    /// Wall-clock time (UTC) the event was recorded.
    pub at: DateTime<Utc>,
    /// Who recorded it.
    pub by: Actor,
    /// The joined terminal's own number for it, when it came over the network: the key that
    /// makes a resend after a lost connection or a host restart count once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<Origin>,
    /// What happened.
    pub event: Event,
}

/// Where a networked event came from: a joined terminal and its numbering of what it sent.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Origin {
    /// The joined terminal's id, random and kept in its outbox.
    pub client: String,
    /// Its number for this submission, rising by one per submission.
    pub seq: u64,
}

/// Who recorded an event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Actor {
    /// The console the facilitator shares.
    Facilitator,
    /// A named note-taker or room lead capturing from their own terminal.
    NoteTaker(String),
}

/// Something that happened in the session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Event {
    /// A comment was captured.
    CommentAdded {
        /// Comment number, 1 for the first comment of the session, then consecutive.
        id: CommentId,
        /// Exactly as typed.
        text: String,
        /// Theme name from the plan, if tagged.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        theme: Option<String>,
        /// Room index (0-based) the comment came from; none for the plenary.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        room: Option<u32>,
        /// Participant id of who said it, if known.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        author: Option<String>,
        /// Sent in ahead of the session (e.g. by email) rather than said on the call.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        pre_session: bool,
    },
    /// A comment's text was corrected.
    CommentEdited {
        /// The comment changed.
        id: CommentId,
        /// The new text.
        text: String,
    },
    /// A comment's theme, room or author was corrected.
    CommentRetagged {
        /// The comment changed.
        id: CommentId,
        /// New theme name, if any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        theme: Option<String>,
        /// New room index, if any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        room: Option<u32>,
        /// New author id, if any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        author: Option<String>,
    },
    /// A comment was withdrawn; it stays in the log but leaves the feed and the reports.
    CommentRetracted {
        /// The comment withdrawn.
        id: CommentId,
    },
    /// An agenda item started (the first one starts the session); the current one is done.
    AgendaItemStarted {
        /// Index into the plan's agenda, from 0.
        item: u32,
    },
    /// The current item's timer was paused.
    TimerPaused,
    /// The current item's timer was resumed.
    TimerResumed,
    /// Minutes were added to the current item (negative: taken back).
    TimerExtended {
        /// Minutes added.
        minutes: i32,
    },
    /// An item was passed over (the current one, or one still to come).
    AgendaItemSkipped {
        /// Index into the plan's agenda, from 0.
        item: u32,
    },
    /// The agenda is over; the current item is done.
    AgendaEnded,
    /// A candidate priority joined the long list (typed, or promoted from a comment).
    CandidateAdded {
        /// Candidate number, consecutive from 1.
        id: CandidateId,
        /// Its wording.
        text: String,
        /// The comment it was promoted from.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        source: Option<CommentId>,
    },
    /// A candidate's wording changed.
    CandidateEdited {
        /// The candidate.
        id: CandidateId,
        /// The new wording.
        text: String,
    },
    /// Two duplicate candidates became one; `from`'s dots and links moved to `into`.
    CandidatesMerged {
        /// The candidate kept.
        into: CandidateId,
        /// The candidate folded into it.
        from: CandidateId,
    },
    /// A dot-vote opened.
    VoteOpened {
        /// Vote number, consecutive from 1.
        vote: VoteId,
        /// Ballot, allowance, cap, voters, visibility.
        rules: VoteRules,
    },
    /// A voter placed a dot.
    DotPlaced {
        /// The vote.
        vote: VoteId,
        /// Participant id, or organisation name in a one-voice-per-organisation vote.
        voter: VoterKey,
        /// The candidate.
        candidate: CandidateId,
    },
    /// A voter took a dot back.
    DotRemoved {
        /// The vote.
        vote: VoteId,
        /// Participant id, or organisation name.
        voter: VoterKey,
        /// The candidate.
        candidate: CandidateId,
    },
    /// A dot-vote closed; its tally is final.
    VoteClosed {
        /// The vote.
        vote: VoteId,
    },
    /// A yes/no/abstain decision by organisation opened.
    DecisionOpened {
        /// Decision number, consecutive from 1.
        id: DecisionId,
        /// The question.
        question: String,
        /// How it passes.
        rule: MajorityRule,
        /// The organisations with a voice.
        organisations: Vec<String>,
        /// What "more than half" counts against; absent in files from before it was asked
        /// (they count against the organisations listed, as they always did).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        base: Option<DecisionBase>,
    },
    /// An organisation answered (a later answer replaces an earlier one).
    DecisionAnswered {
        /// The decision.
        id: DecisionId,
        /// The organisation.
        organisation: String,
        /// Its answer.
        choice: Choice,
    },
    /// A decision was recorded with the answers given.
    DecisionRecorded {
        /// The decision.
        id: DecisionId,
    },
    /// Breakout rooms were assigned for a round (the next one, or the current one again).
    RoomsAssigned {
        /// Round number, from 0.
        round: u32,
        /// Participant ids in each room, indexed like the plan's rooms (leads included).
        rooms: Vec<Vec<String>>,
    },
    /// Someone moved to another room in the current round.
    ParticipantMoved {
        /// Participant id.
        id: String,
        /// Room index, from 0.
        room: u32,
    },
    /// A late arrival joined a room in the current round.
    ParticipantArrived {
        /// Participant id.
        id: String,
        /// Room index, from 0.
        room: u32,
    },
    /// Someone left the session.
    ParticipantLeft {
        /// Participant id.
        id: String,
    },
    /// At the roll call, someone expected was there.
    ParticipantCheckedIn {
        /// Participant id.
        id: String,
    },
    /// At the roll call, someone expected was not there (yet).
    ParticipantAbsent {
        /// Participant id.
        id: String,
    },
    /// Someone not on the plan's list came: a walk-in, or a deputy sent by an organisation.
    /// They count as present from this moment.
    ParticipantAdded {
        /// New participant id, unique among the plan's and earlier walk-ins'.
        id: String,
        /// Full name as given.
        name: String,
        /// Organisation they speak for.
        organisation: String,
        /// The participant id of the person they stand in for, if a deputy.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        deputy_for: Option<String>,
        /// Their part (a partner unless said otherwise).
        #[serde(default, skip_serializing_if = "is_partner")]
        role: Role,
        /// E-mail address, if given.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        email: Option<String>,
    },
    /// An earlier event was undone: the log keeps it, the fold leaves it out from now on (a
    /// comment, candidate, vote or decision it created keeps its number, so none is reused).
    Undone {
        /// Sequence number of the event undone.
        seq: u64,
    },
    /// An undone event counts again.
    Redone {
        /// Sequence number of the event redone.
        seq: u64,
    },
    /// A message to every room: joined consoles show it as a banner until dismissed, the
    /// presenter shows it for a while. The facilitator's alone.
    Broadcast {
        /// The message, as typed (or the plan's `room_note` when a warning fires).
        text: String,
        /// Joined consoles ring the terminal bell.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        bell: bool,
        /// What made the agenda send it by itself; none when the facilitator typed it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        cause: Option<BroadcastCause>,
    },
    /// After an overrun, the facilitator accepted new lengths for items still to come.
    AgendaRebalanced {
        /// Each changed item and its new planned minutes (items left out keep theirs).
        items: Vec<ItemMinutes>,
    },
}

/// An agenda item's new planned length, as a rebalance set it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemMinutes {
    /// Index into the plan's agenda, from 0.
    pub item: u32,
    /// Its new planned minutes.
    pub minutes: u32,
}

impl Event {
    /// Whether this event undoes or redoes another, rather than being an act of its own.
    pub fn is_undo_mark(&self) -> bool {
        matches!(self, Event::Undone { .. } | Event::Redone { .. })
    }

    /// Whether the console recorded this by itself (a message the agenda sent to the rooms):
    /// not anyone's act, so Ctrl+Z passes over it to what the person did.
    pub fn is_automatic(&self) -> bool {
        matches!(self, Event::Broadcast { cause: Some(_), .. })
    }

    /// Whether `later`, recorded at the same moment by the same person, is the second half of
    /// one act with this event (a correction of text and tags; a skip that starts the next
    /// item): undo and redo take such an act whole.
    pub fn same_act_as(&self, later: &Event) -> bool {
        match (self, later) {
            (Event::CommentEdited { id: a, .. }, Event::CommentRetagged { id: b, .. }) => a == b,
            (Event::AgendaItemSkipped { .. }, Event::AgendaItemStarted { .. } | Event::AgendaEnded) => true,
            _ => false,
        }
    }
}

fn is_partner(role: &Role) -> bool {
    *role == Role::Partner
}

impl Event {
    /// A short human description, for replay and error messages.
    pub fn describe(&self) -> String {
        match self {
            Event::CommentAdded { id, .. } => format!("comment #{id} added"),
            Event::CommentEdited { id, .. } => format!("comment #{id} edited"),
            Event::CommentRetagged { id, .. } => format!("comment #{id} retagged"),
            Event::CommentRetracted { id } => format!("comment #{id} retracted"),
            Event::AgendaItemStarted { item } => format!("agenda item {} started", item + 1),
            Event::TimerPaused => "timer paused".into(),
            Event::TimerResumed => "timer resumed".into(),
            Event::TimerExtended { minutes } => format!("timer extended by {minutes:+} min"),
            Event::AgendaItemSkipped { item } => format!("agenda item {} skipped", item + 1),
            Event::AgendaEnded => "agenda ended".into(),
            Event::CandidateAdded { id, .. } => format!("candidate {id} added"),
            Event::CandidateEdited { id, .. } => format!("candidate {id} edited"),
            Event::CandidatesMerged { into, from } => format!("candidate {from} merged into {into}"),
            Event::VoteOpened { vote, .. } => format!("vote {vote} opened"),
            Event::DotPlaced { vote, voter, candidate } => {
                format!("vote {vote}: {voter} placed a dot on {candidate}")
            }
            Event::DotRemoved { vote, voter, candidate } => {
                format!("vote {vote}: {voter} removed a dot from {candidate}")
            }
            Event::VoteClosed { vote } => format!("vote {vote} closed"),
            Event::DecisionOpened { id, .. } => format!("decision {id} opened"),
            Event::DecisionAnswered { id, organisation, .. } => {
                format!("decision {id}: {organisation} answered")
            }
            Event::DecisionRecorded { id } => format!("decision {id} recorded"),
            Event::RoomsAssigned { round, .. } => format!("rooms assigned for round {}", round + 1),
            Event::ParticipantMoved { id, room } => format!("{id} moved to room {}", room + 1),
            Event::ParticipantArrived { id, room } => format!("{id} arrived, into room {}", room + 1),
            Event::ParticipantLeft { id } => format!("{id} left"),
            Event::ParticipantCheckedIn { id } => format!("{id} checked in"),
            Event::ParticipantAbsent { id } => format!("{id} marked absent"),
            Event::ParticipantAdded { id, deputy_for: Some(for_), .. } => {
                format!("{id} added as deputy for {for_}")
            }
            Event::ParticipantAdded { id, .. } => format!("{id} added at the door"),
            Event::Undone { seq } => format!("event {seq} undone"),
            Event::Redone { seq } => format!("event {seq} redone"),
            Event::Broadcast { .. } => "message to the rooms".into(),
            Event::AgendaRebalanced { items } => {
                format!("agenda rebalanced ({} items shortened)", items.len())
            }
        }
    }
}
