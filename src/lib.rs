//! convene: a terminal facilitation console for partnership consultation sessions.
//!
//! A session is a plan plus an append-only log of stamped events; every screen, the replay
//! and the reports are views of that log (see the design notes in README.md).

pub mod model;
pub mod store;
