//! Small domain queries every layer that shows a session shares (console, replay, `check`,
//! exports): who a participant id names, what text is safe to show, and the session's local
//! time.

pub mod names;
pub mod sanitise;
pub mod zone;
