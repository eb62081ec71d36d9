//! Domain queries and view-models that both the console (`app`) and the screens (`ui`) read:
//! who votes and as whom, what a ballot holds, how a person is named and found, the session as
//! a rooms problem. Pure functions of the plan and the fold; below `app` and `ui`, above `model`.

mod ballot;
mod people;
mod rooms;

pub use ballot::{ballot, label, standing, voter_matches, voter_name, voters, LABELS};
pub use people::{author_label, author_matches, display_name, folded};
pub use rooms::{objective_label, room_rows, session_problem};
