//! People from a registration spreadsheet into a plan: reading the CSV (the headers people
//! really have, Zoom's registration report, a plain list), making ids from names, merging
//! into the plan, and rewriting only the participants' and rooms' entries of the file's text.

mod error;
mod id;
mod merge;
mod participation;
mod plan_text;
mod registration;

pub use error::{PeopleError, RowProblem};
pub use id::{fold_name, slug, unique as unique_id};
pub use merge::{merge_people, Merge};
pub use participation::{participation, OrgContribution, Participation, PersonContribution};
pub use plan_text::{edit_list, participant_entry, plan_list, room_entry, set_list, Change, ListSpan};
pub use registration::{plausible_email, read_registrations, Registrant};

use crate::model::Plan;

/// The file's text with the plan's participants and rooms brought in line with `after`
/// (which is `before` with people merged in): changed entries are rewritten, new ones
/// appended, all other bytes kept.
pub fn rewrite_plan_text(text: &str, before: &Plan, after: &Plan) -> Result<String, PeopleError> {
    let mut changes = Vec::new();
    for (i, person) in after.participants.iter().enumerate() {
        match before.participants.get(i) {
            Some(old) if old == person => {}
            Some(_) => changes.push(Change::Replace(i, participant_entry(person))),
            None => changes.push(Change::Append(participant_entry(person))),
        }
    }
    let text = if changes.is_empty() { text.to_string() } else { edit_list(text, "participants", &changes)? };
    let rooms: Vec<Change> = after
        .rooms
        .iter()
        .enumerate()
        .filter(|(i, room)| before.rooms.get(*i) != Some(room))
        .map(|(i, room)| Change::Replace(i, room_entry(room)))
        .collect();
    if rooms.is_empty() {
        Ok(text)
    } else {
        edit_list(&text, "rooms", &rooms)
    }
}

/// A new session's text: the template's placeholder people replaced by `people`, room leads
/// as the sheet gives them (rooms it gives no lead have none).
pub fn template_with_people(
    template: &str,
    template_plan: &Plan,
    people: &[Registrant],
    file: &str,
) -> Result<(String, Plan), PeopleError> {
    let mut plan = template_plan.clone();
    plan.participants.clear();
    for room in &mut plan.rooms {
        room.lead = None;
    }
    merge_people(&mut plan, people, file)?;
    let entries: Vec<String> = plan.participants.iter().map(participant_entry).collect();
    let text = set_list(template, "participants", &entries)?;
    let rooms: Vec<String> = plan.rooms.iter().map(room_entry).collect();
    Ok((set_list(&text, "rooms", &rooms)?, plan))
}
