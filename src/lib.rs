//! convene: a terminal facilitation console for partnership consultation sessions.
//!
//! A session is a plan plus an append-only log of stamped events; every screen, the replay
//! and the reports are views of that log. Layers, from the edge inwards (README, Design; checked
//! by `tests/layers.rs`): `cli` → `app` (pure update, key table, seats) → `console` (the one
//! shell) and `ui` (pure rendering) → `view` (shared queries and measurement), `export`,
//! `replay`, `net` → `store` (files) → `people`, `rotation` → `model` (plan, events, fold, decide).

pub mod app;
pub mod cli;
pub mod console;
pub mod export;
pub mod model;
pub mod net;
pub mod people;
pub mod replay;
pub mod rotation;
pub mod store;
pub mod ui;
pub mod view;
