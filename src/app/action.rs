//! Messages into `update` and the effects it asks the runtime to carry out.

use crossterm::event::KeyEvent;

use crate::model::Stamped;

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
}
