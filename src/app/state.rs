//! Everything the live console knows: the folded session plus UI-only state (never logged).

use std::collections::HashMap;
use std::path::PathBuf;

use chrono::{DateTime, FixedOffset, Utc};
use ratatui_textarea::TextArea;

use crate::model::{Actor, CandidateId, CommentId, Plan, Request, SessionState};
use crate::net::Peer;
use crate::view::feed::{self, Viewport};

/// Where keys go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Typing a new comment (the default).
    Capture,
    /// Correcting a committed comment in the capture bar.
    Edit,
    /// Selecting comments in the feed.
    Browse,
    /// Steering the agenda with single keys.
    Agenda,
    /// The priorities list, with no vote open.
    Vote,
    /// A vote is open: candidate keys place dots for the selected voter.
    Casting,
    /// A decision is open: organisations answer yes, no or abstain.
    Deciding,
    /// Typing a candidate's wording or a decision's question.
    Entry,
    /// Replaying a finished session (read-only).
    Replay,
    /// The breakout rooms.
    Rooms,
    /// The roll call: who is there, walk-ins and deputies; and participation.
    CheckIn,
}

/// What the entry line is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    /// A new candidate priority.
    NewCandidate,
    /// New wording for this candidate.
    EditCandidate(CandidateId),
    /// The question of a new decision.
    DecisionQuestion,
}

impl Mode {
    /// Whether keys go into the capture bar.
    pub fn is_typing(self) -> bool {
        matches!(self, Mode::Capture | Mode::Edit | Mode::Entry)
    }

    /// The word the screen shows for the mode.
    pub fn label(self) -> &'static str {
        match self {
            Mode::Capture => "CAPTURE",
            Mode::Edit => "EDIT",
            Mode::Browse => "SELECT",
            Mode::Agenda => "AGENDA",
            Mode::Vote => "PRIORITIES",
            Mode::Casting => "VOTING",
            Mode::Deciding => "DECISION",
            Mode::Entry => "ENTRY",
            Mode::Replay => "REPLAY",
            Mode::Rooms => "ROOMS",
            Mode::CheckIn => "CHECK-IN",
        }
    }
}

/// A window over the main screen that takes the keys while open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Overlay {
    /// Every key, generated from the key table.
    Help {
        /// First help line shown.
        scroll: u16,
    },
    /// Quit although something is not durable yet?
    ConfirmQuit,
    /// Retract this comment?
    ConfirmRetract(CommentId),
    /// Choose who said it.
    AuthorPicker {
        /// Typed filter.
        filter: String,
        /// Highlighted row among the matches (row 0 is "nobody").
        index: usize,
    },
    /// The next key picks a theme.
    ThemeKey,
    /// Set up a vote before opening it.
    VoteSetup {
        /// Dots per voter.
        dots: u32,
        /// Most dots per candidate per voter.
        cap: u32,
        /// One voice per organisation.
        by_org: bool,
        /// Tally hidden until the vote closes.
        hidden: bool,
        /// Joined terminals may cast their own dots.
        joiners: bool,
        /// A new round on the last vote's top K, if set.
        top: Option<usize>,
    },
    /// Close the open vote?
    ConfirmCloseVote,
    /// Find a voter by typing part of their name.
    VoterSearch {
        /// Typed so far.
        filter: String,
    },
    /// Hosting: the joined terminals, to see who is there and disconnect one.
    Joiners {
        /// Highlighted row.
        index: usize,
    },
    /// Plan the current round again, replacing its rooms?
    ConfirmReplan,
    /// Move a room's lead out of the room they lead?
    ConfirmMoveLead {
        /// The lead.
        id: String,
        /// The room they would go to.
        room: u32,
    },
    /// The recent acts, newest first: Enter undoes or redoes the highlighted one.
    History {
        /// Highlighted row (0 is the newest act).
        index: usize,
    },
    /// Typing a message to every room.
    Broadcast {
        /// Typed so far.
        text: String,
        /// Joined consoles ring the bell.
        bell: bool,
    },
    /// Shorter items to come after an overrun, planned → proposed: Enter records it.
    Rebalance(crate::model::rebalance::Proposal),
}

impl Overlay {
    /// The layer of the key table this window's keys come from.
    pub fn popup(&self) -> super::keymap::Popup {
        use super::keymap::Popup;
        match self {
            Overlay::Help { .. } => Popup::Help,
            Overlay::ConfirmQuit
            | Overlay::ConfirmRetract(_)
            | Overlay::ConfirmCloseVote
            | Overlay::ConfirmReplan
            | Overlay::ConfirmMoveLead { .. }
            | Overlay::Rebalance(_) => Popup::Confirm,
            Overlay::AuthorPicker { .. } => Popup::AuthorPicker,
            Overlay::ThemeKey => Popup::ThemeKey,
            Overlay::VoteSetup { .. } => Popup::VoteSetup,
            Overlay::VoterSearch { .. } => Popup::VoterSearch,
            Overlay::Joiners { .. } => Popup::Joiners,
            Overlay::History { .. } => Popup::History,
            Overlay::Broadcast { .. } => Popup::Broadcast,
        }
    }
}

/// This console hosts the session for joined terminals.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Hosting {
    /// The command joiners paste (token included).
    pub join_command: String,
    /// The join command's token is shown in full (F8 then `r`); masked otherwise, since the
    /// console may be on a shared screen.
    pub token_shown: bool,
    /// Who is connected.
    pub peers: Vec<Peer>,
    /// Per joined terminal: the highest submission number seen, so a resend counts once.
    pub seen: HashMap<String, u64>,
}

/// This console is joined to a host: it sends requests and shows the host's log.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Joined {
    /// Who is capturing here.
    pub name: String,
    /// HOST:PORT.
    pub host: String,
    /// This terminal's id, to recognise its own events in the log.
    pub client: String,
    /// The participant the host matched our name to (we vote as them).
    pub me: Option<String>,
    /// Connected and welcomed.
    pub online: bool,
    /// Why we are offline, or why the host refused us.
    pub problem: Option<String>,
    /// The host refused us for good; nothing more will be sent.
    pub refused: bool,
    /// Requests kept in the outbox but not yet answered, in order.
    pub unsent: Vec<(u64, Request)>,
    /// The number the next request gets.
    pub next_seq: u64,
    /// Requests up to this number are in the outbox on disk (fsync'd); later ones are not yet.
    pub kept_through: u64,
    /// Messages to the rooms up to this sequence number are hidden (dismissed, or old news).
    pub dismissed: u64,
    /// The bell rang for messages up to this sequence number (never twice after a reconnect).
    pub rung: u64,
}

/// Where this console sits: on its own, hosting joined terminals, or joined to a host. One
/// value, so a console can never be both host and joiner.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Seat {
    /// The facilitator's console with nobody joined (and a replay or a presenter).
    #[default]
    Solo,
    /// The facilitator's console, serving joined terminals.
    Hosting(Hosting),
    /// A note-taker's or room lead's console, joined to a host.
    Joined(Joined),
}

impl Seat {
    /// The hosting side, if this console hosts.
    pub fn hosting(&self) -> Option<&Hosting> {
        match self {
            Seat::Hosting(hosting) => Some(hosting),
            _ => None,
        }
    }

    /// The hosting side, to change, if this console hosts.
    pub fn hosting_mut(&mut self) -> Option<&mut Hosting> {
        match self {
            Seat::Hosting(hosting) => Some(hosting),
            _ => None,
        }
    }

    /// The link to the host, if this console is joined.
    pub fn joined(&self) -> Option<&Joined> {
        match self {
            Seat::Joined(joined) => Some(joined),
            _ => None,
        }
    }

    /// The link to the host, to change, if this console is joined.
    pub fn joined_mut(&mut self) -> Option<&mut Joined> {
        match self {
            Seat::Joined(joined) => Some(joined),
            _ => None,
        }
    }

    /// Whether this console hosts joined terminals.
    pub fn is_hosting(&self) -> bool {
        matches!(self, Seat::Hosting(_))
    }

    /// Whether this console is joined to a host.
    pub fn is_joined(&self) -> bool {
        matches!(self, Seat::Joined(_))
    }
}

/// The tags the next comment (or the edited one) will carry.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tags {
    /// Index into the plan's themes.
    pub theme: Option<usize>,
    /// Room index; none is the plenary.
    pub room: Option<u32>,
    /// Participant id.
    pub author: Option<String>,
    /// Sent in ahead of the session.
    pub pre_session: bool,
}

/// A round of rooms being planned in the background.
#[derive(Debug, Clone, PartialEq)]
pub struct Planning {
    /// The round's number in the session, from 0.
    pub round: u32,
    /// The current round is planned again.
    pub replan: bool,
    /// When it was asked for.
    pub started: DateTime<Utc>,
    /// The best plan so far, as the search last reported it.
    pub progress: Option<super::jobs::PlanningProgress>,
}

/// The comment feed's part of the console.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Feed {
    /// Selected comment in Browse mode.
    pub selected: Option<CommentId>,
    /// Position (in what the feed lists) of the comment at the bottom; none follows the newest.
    pub bottom: Option<usize>,
    /// The feed lists only this room's comments.
    pub room: Option<u32>,
    /// The feed's size as last drawn: page keys and "keep the selection in view" go by it.
    pub viewport: Viewport,
}

/// How a status message should look.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// Something done.
    Info,
    /// Refused or odd, but nothing lost.
    Warning,
    /// Something failed; data may not be saved.
    Error,
}

/// The capture bar's part of the console: the text being typed and what it will be tagged with.
#[derive(Debug, Clone)]
pub struct CaptureBar {
    /// The text being typed.
    pub text: TextArea<'static>,
    /// Tags for the next comment (or the one being edited).
    pub tags: Tags,
    /// The comment being edited, in Edit mode.
    pub editing: Option<CommentId>,
    /// The bar's text and tags, put aside while editing.
    pub stash: Option<(TextArea<'static>, Tags)>,
    /// The draft changed since it was last kept on disk.
    pub draft_dirty: bool,
}

impl Default for CaptureBar {
    fn default() -> Self {
        CaptureBar {
            text: new_capture(""),
            tags: Tags::default(),
            editing: None,
            stash: None,
            draft_dirty: false,
        }
    }
}

/// What the disk has of the log, for the status line and for quitting safely.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Disk {
    /// Highest sequence number known to be on disk.
    pub durable_seq: u64,
    /// When the log last became fully durable.
    pub saved_at: Option<DateTime<Utc>>,
    /// The last write failure, shown until a write succeeds.
    pub save_error: Option<String>,
}

/// The priorities screen's part: the list, the voter being cast for, and the entry line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Priorities {
    /// Selected row on the priorities list.
    pub candidate: usize,
    /// Selected voter (or organisation, in a decision).
    pub voter: usize,
    /// A candidate marked to be merged into the next one chosen.
    pub merge_from: Option<CandidateId>,
    /// The next candidate key removes a dot instead of placing one.
    pub remove_armed: bool,
    /// What the entry line is for, and the mode to return to.
    pub entry: Option<(Entry, Mode)>,
}

/// The rooms screen's part: the selection, the planner's work and what it optimises.
#[derive(Debug, Default)]
pub struct RoomsScreen {
    /// Selected row (members of the current round, then those not seated).
    pub person: usize,
    /// A round of rooms being planned in the background.
    pub planning: Option<Planning>,
    /// What the room planner optimises.
    pub objective: crate::rotation::Objective,
    /// Rooms of earlier sessions in the series, the pairing history.
    pub history: crate::rotation::PairingHistory,
    /// The screen's problem, score and rows, kept until the rooms or people change.
    pub cache: crate::view::RoomsCache,
}

/// How keys are told from typing on command screens (see `app/quiet.rs`).
#[derive(Debug, Clone)]
pub struct Keys {
    /// How long a single key on a command screen must stand alone to act (zero: at once).
    pub quiet: chrono::Duration,
    /// A printable key on a command screen, held until it proves to stand alone.
    pub pending: Option<super::quiet::Pending>,
    /// When the open window (overlay) appeared: keys in the quiet window after it are ignored.
    pub overlay_since: DateTime<Utc>,
}

/// The console's whole state: the session and where this console sits, then one part per
/// screen or concern. `update` is the only code that changes it (the drawn feed's size aside).
pub struct AppState {
    /// The session file, for the status line.
    pub path: PathBuf,
    /// The plan, as loaded.
    pub plan: Plan,
    /// The fold of the log so far, including events not yet durable.
    pub session: SessionState,
    /// Who this console records events as.
    pub actor: Actor,
    /// Solo, hosting joined terminals, or joined to a host.
    pub seat: Seat,
    /// Where keys go.
    pub mode: Mode,
    /// A window taking the keys, if open.
    pub overlay: Option<Overlay>,
    /// A transient message for the status line.
    pub message: Option<(String, Severity)>,
    /// The clock's last reading.
    pub now: DateTime<Utc>,
    /// Offset of the wall clock shown on screen (the local zone; UTC in tests).
    pub utc_offset: FixedOffset,
    /// Terminal size (columns, rows).
    pub size: (u16, u16),
    /// Set once quitting is decided.
    pub quitting: bool,
    /// The current item and its remaining time at the last tick, to ring the bell on crossing zero.
    pub last_remaining: Option<(usize, chrono::Duration)>,
    /// What the disk has of the log.
    pub disk: Disk,
    /// How keys are told from typing.
    pub keys: Keys,
    /// The capture bar.
    pub bar: CaptureBar,
    /// The comment feed: its selection, where it stands, its room filter, its size on screen.
    pub feed: Feed,
    /// The priorities and vote screens.
    pub priorities: Priorities,
    /// The rooms screen.
    pub rooms: RoomsScreen,
    /// The check-in screen's selection and typing.
    pub checkin: super::checkin::CheckIn,
}

impl AppState {
    /// A console over a loaded session whose log is durable up to its last event.
    pub fn new(path: PathBuf, plan: Plan, session: SessionState, now: DateTime<Utc>) -> Self {
        let durable_seq = session.last_seq;
        AppState {
            path,
            plan,
            session,
            actor: Actor::Facilitator,
            seat: Seat::Solo,
            mode: Mode::Capture,
            overlay: None,
            message: None,
            now,
            utc_offset: FixedOffset::east_opt(0).expect("zero offset is valid"),
            size: (80, 24),
            quitting: false,
            last_remaining: None,
            disk: Disk { durable_seq, saved_at: Some(now), save_error: None },
            keys: Keys { quiet: super::quiet::quiet(), pending: None, overlay_since: now },
            bar: CaptureBar::default(),
            feed: Feed::default(),
            priorities: Priorities::default(),
            rooms: RoomsScreen::default(),
            checkin: Default::default(),
        }
    }

    /// The rooms screen's view of the session, built again only when it changed.
    pub fn rooms_view(&self) -> std::sync::Arc<crate::view::RoomsView> {
        self.rooms.cache.get(&self.plan, &self.session, &self.rooms.history, self.rooms.objective)
    }

    /// Ids of the comments the feed lists, oldest first.
    pub fn shown(&self) -> &[CommentId] {
        feed::shown(&self.session, self.feed.room)
    }

    /// What the feed's rows depend on besides each comment and the width.
    pub fn feed_look(&self) -> feed::Look<'_> {
        feed::Look { plan: &self.plan, offset: self.utc_offset, durable_seq: self.disk.durable_seq }
    }

    /// Events recorded but not yet on disk.
    pub fn unsaved_events(&self) -> u64 {
        self.session.last_seq.saturating_sub(self.disk.durable_seq)
    }

    /// Text in the capture bar, lines joined.
    pub fn capture_text(&self) -> String {
        self.bar.text.lines().join("\n")
    }

    /// A time as the wall clock on screen shows it.
    pub fn local(&self, at: DateTime<Utc>) -> DateTime<FixedOffset> {
        at.with_timezone(&self.utc_offset)
    }

    /// The theme the tags name, if any.
    pub fn theme_name(&self, tags: &Tags) -> Option<&str> {
        tags.theme.and_then(|i| self.plan.themes.get(i)).map(|t| t.name.as_str())
    }
}

/// The offset the screens show times in: the session's own time zone when the plan names one
/// (so every console and the write-up agree), else this machine's.
pub fn screen_offset(plan: &Plan, now: DateTime<Utc>) -> FixedOffset {
    use chrono::Offset;
    match plan.time_zone {
        Some(_) => crate::view::zone::offset_at(plan, now),
        None => chrono::Local::now().offset().fix(),
    }
}

/// A capture bar holding `text`, cursor at the end.
pub fn new_capture(text: &str) -> TextArea<'static> {
    let lines: Vec<String> =
        if text.is_empty() { vec![String::new()] } else { text.split('\n').map(str::to_string).collect() };
    let mut area = TextArea::new(lines);
    // Long lines break onto the rows below, so every line of a multi-line comment shows from
    // its start (without wrapping, each line scrolls sideways to the cursor's column).
    area.set_wrap_mode(ratatui_textarea::WrapMode::WordOrGlyph);
    area.move_cursor(ratatui_textarea::CursorMove::Bottom);
    area.move_cursor(ratatui_textarea::CursorMove::End);
    area
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_seat_is_one_of_solo_host_and_joiner() {
        let mut solo = Seat::default();
        assert_eq!(solo, Seat::Solo);
        assert!(!solo.is_hosting() && !solo.is_joined());
        assert!(solo.hosting_mut().is_none() && solo.joined_mut().is_none());

        let mut host =
            Seat::Hosting(Hosting { join_command: "convene join h:1".into(), ..Hosting::default() });
        assert!(host.is_hosting() && !host.is_joined() && host.joined().is_none());
        if let Some(hosting) = host.hosting_mut() {
            hosting.token_shown = true;
        }
        assert_eq!(host.hosting().map(|h| h.token_shown), Some(true));

        let mut joiner = Seat::Joined(Joined { name: "Priya".into(), ..Joined::default() });
        assert!(joiner.is_joined() && !joiner.is_hosting() && joiner.hosting().is_none());
        if let Some(joined) = joiner.joined_mut() {
            joined.online = true;
        }
        assert_eq!(joiner.joined().map(|j| (j.name.as_str(), j.online)), Some(("Priya", true)));
    }
}
