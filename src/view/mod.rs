//! Domain queries and view-models that every layer showing a session shares (console, screens,
//! replay, `check`, exports): who votes and as whom, what a ballot holds, how a person is named
//! and found, the session as a rooms problem, what text is safe to show, and the session's
//! local time. Pure functions of the plan and the fold; below `app` and `ui`, above `model`.

mod ballot;
pub mod feed;
pub mod history;
pub mod names;
mod people;
mod rooms;
pub mod sanitise;
pub mod text;
pub mod zone;

pub use ballot::{
    ballot, joiner_voter, label, organisations_voting, standing, voter_matches, voter_name, voters, LABELS,
};
pub use names::display_name;
pub use people::{author_label, author_matches, folded};
pub use rooms::{chat_text, objective_label, room_rows, session_problem, RoomsCache, RoomsView};
