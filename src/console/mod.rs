//! The console shell: one event loop for every seat. It owns the terminal (set up and restored
//! in one guard, on every way out), merges terminal input, ticks, signals and the seat's news
//! into inputs, draws, and hands each input to the seat. Seats (live, host, joined, replay)
//! differ in what they do with an input, never in how the screen is driven.

mod clock;
mod shell;
mod terminal;

pub use clock::{Clock, FakeClock, SystemClock};
pub use shell::{run, Ending, Flow, Input, Screen, Seat, BATCH, TICK};
pub use terminal::{copy_to_clipboard, require_terminal, TerminalGuard};
