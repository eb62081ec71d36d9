//! The console shell: one event loop for every seat. It owns the terminal (set up and restored
//! in one guard, on every way out), merges terminal input, ticks, signals and the seat's news
//! into inputs, draws, and hands each input to the seat. Seats (live, host, joined, replay)
//! differ in what they do with an input, never in how the screen is driven. Only the shell
//! writes to the terminal: a seat's bell and clipboard copies come to it as [`Output`]s.

mod clock;
mod shell;
mod terminal;

pub use clock::{Clock, FakeClock, SystemClock};
pub use shell::{run, Ending, Flow, Input, Output, Screen, Seat, BATCH, TICK};
pub use terminal::{require_terminal, TerminalGuard};
