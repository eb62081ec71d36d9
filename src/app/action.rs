//! Messages into `update` and the effects it asks the runtime to carry out.

use crossterm::event::KeyEvent;

use super::jobs::{PlannedRound, PlanningProgress, RoomsRequest};
use crate::console::Input;
use crate::model::{Request, Stamped};
use crate::net::{HostNews, LinkNews, Outcome};

/// Something that happened to the console.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// A key was pressed.
    Key(KeyEvent),
    /// Text was pasted (bracketed paste): it goes into the capture bar whole, newlines and all.
    Paste(String),
    /// The terminal was resized.
    Resize(u16, u16),
    /// Time passed (the clock is read by the runtime and passed to `update`).
    Tick,
    /// Events up to this sequence number are durable on disk.
    Persisted(u64),
    /// A write failed; nothing after the last `Persisted` counts as saved.
    PersistFailed(String),
    /// Something worth telling that puts no event at risk (e.g. the draft could not be kept).
    Notice(String),
    /// Hosting: a joined terminal submitted something, or who is connected changed.
    Host(HostNews),
    /// Joined: news from the host.
    Link(LinkNews),
    /// Joined: requests up to this number are in the outbox on disk.
    Kept(u64),
    /// Room planning in the background got this far.
    PlanningProgress(PlanningProgress),
    /// Room planning finished in the background (or could not plan).
    RoomsPlanned(Result<PlannedRound, String>),
}

impl From<Input<Action>> for Action {
    fn from(input: Input<Action>) -> Action {
        match input {
            Input::Key(key) => Action::Key(key),
            Input::Paste(text) => Action::Paste(text),
            Input::Resize(columns, rows) => Action::Resize(columns, rows),
            Input::Tick => Action::Tick,
            Input::News(action) => action,
        }
    }
}

/// Work for the runtime; `update` itself never does I/O.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Append to the journal and fsync, then report `Persisted`.
    Persist(Stamped),
    /// Keep the capture bar's unsent text on disk.
    SaveDraft(String),
    /// Ring the terminal bell (an item ran out of time and the plan asks for it).
    Bell,
    /// Leave: compact the file and restore the terminal.
    Quit,
    /// Hosting: tell a joiner what became of its submission, once everything before is durable.
    Answer {
        /// The joined terminal's id.
        client: String,
        /// Its number for the submission.
        seq: u64,
        /// What became of it.
        outcome: Outcome,
    },
    /// Hosting: disconnect a joined terminal.
    Disconnect(u64),
    /// Joined: keep this request in the outbox (fsync) under this number, then send it.
    Submit(u64, Request),
    /// Plan a round of rooms in the background; the result comes back as `RoomsPlanned`.
    PlanRooms(Box<RoomsRequest>),
    /// Stop room planning and drop its result.
    CancelPlanning,
    /// Stop room planning now and take its best plan so far.
    TakeBestPlan,
    /// Put this text on the user's clipboard (OSC 52).
    Copy(String),
    /// Send a `Tick` after this long: a held command key acts the moment its quiet window ends,
    /// not at the next regular tick.
    WakeIn(std::time::Duration),
}
