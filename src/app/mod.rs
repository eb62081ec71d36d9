//! The live console: state, actions, the pure `update`, the key table, and the runtime that
//! carries out effects on a tokio event loop.

mod action;
mod agenda;
mod broadcast;
pub mod checkin;
mod jobs;
mod joined;
mod keymap;
mod present;
mod quiet;
mod remote;
mod replay;
mod rooms;
mod runtime;
mod state;
mod update;
mod vote;

pub use crate::console::{Clock, FakeClock, SystemClock};
pub use action::{Action, Effect};
pub use broadcast::{banner as broadcast_banner, shown_for as broadcast_shown_for, ENDED_TEXT, VOTE_TEXT};
pub use jobs::{plan_rooms, PlannedRound, RoomsRequest, SEARCH_BUDGET};
pub use joined::{run_joined, JoinOptions, Joiner};
pub use keymap::{
    command_for, hints, joiner_may, keys_label, popup_command, popup_hints, Binding, Chord, Command, Popup,
    PopupBinding, PopupCommand, BINDINGS, POPUP_BINDINGS,
};
pub use present::{
    palette_from_environment, run_present, run_present_remote, Panel, PanelChoice, PresentOptions, Presenter,
    Reading, POLL,
};
pub use quiet::QUIET_MS;
pub use replay::{run_replay, update_replay, ReplayAction, ReplayApp, ReplayView};
pub use rooms::{rows as room_rows, session_problem};
pub use runtime::{run_console, run_host, serve_headless, HeadlessHost, HostOptions};
pub use state::{
    new_capture, AppState, Entry, Hosting, Joined, Mode, Overlay, Planning, Seat, Severity, Tags,
};
pub use update::{update, HISTORY_LENGTH};
pub use vote::screen_mode;
