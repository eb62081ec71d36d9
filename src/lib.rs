//! convene: a terminal facilitation console for partnership consultation sessions.
//!
//! A session is a plan plus an append-only log of stamped events; every screen, the replay
//! and the reports are views of that log. Layers, from the edge inwards:
//! `cli` → `app` (pure update + runtime) → `ui` (pure views) → `replay`, `export`, `net` →
//! `store` (files) → `rotation` → `model`.

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
