//! Merging people read from a spreadsheet into a plan: a person already listed (same e-mail,
//! or else the same name, accents and case aside) keeps their id and is updated; anyone else
//! is added with an id made from their name. Room leads take the room the sheet gives them.

use std::collections::BTreeSet;

use super::error::{PeopleError, RowProblem};
use super::id::{first_name_slug, fold_name, slug, unique};
use super::registration::Registrant;
use crate::model::{Participant, Plan};

/// What a merge changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Merge {
    /// Ids of participants added, in file order.
    pub added: Vec<String>,
    /// Ids of participants whose entry changed.
    pub updated: Vec<String>,
    /// Indices of rooms whose lead changed.
    pub rooms: Vec<usize>,
}

fn room_index(plan: &Plan, room: &str) -> Option<usize> {
    let room = room.trim();
    if let Ok(number) = room.parse::<usize>() {
        return number.checked_sub(1).filter(|&i| i < plan.rooms.len());
    }
    let folded = fold_name(room);
    plan.rooms.iter().position(|r| fold_name(&r.name) == folded)
}

/// Merge `people` into `plan` (in place); `file` names the spreadsheet in messages. On error
/// the plan is unchanged.
pub fn merge_people(plan: &mut Plan, people: &[Registrant], file: &str) -> Result<Merge, PeopleError> {
    let mut merged = plan.clone();
    let mut merge = Merge::default();
    let mut problems = Vec::new();
    let listed = plan.participants.len();
    // Which existing entry each row is, decided before anyone is added.
    let mut matches: Vec<Option<usize>> = Vec::new();
    let mut claimed = BTreeSet::new();
    for person in people {
        let by_email = person.email.as_ref().and_then(|email| {
            plan.participants
                .iter()
                .position(|p| p.email.as_ref().is_some_and(|e| e.eq_ignore_ascii_case(email)))
        });
        let by_name = || {
            let name = fold_name(&person.name);
            let found: Vec<usize> =
                (0..listed).filter(|&i| fold_name(&plan.participants[i].name) == name).collect();
            // Two listed people of that name: the organisation tells them apart, or nothing does.
            match found.as_slice() {
                [one] => Some(*one),
                several => several
                    .iter()
                    .copied()
                    .find(|&i| fold_name(&plan.participants[i].org) == fold_name(&person.org)),
            }
        };
        let found = by_email.or_else(by_name);
        if let Some(i) = found {
            if !claimed.insert(i) {
                problems.push(RowProblem {
                    line: person.line,
                    column: 1,
                    message: format!(
                        "duplicate person: another row is already {} (id \"{}\"); keep one row per person",
                        plan.participants[i].name, plan.participants[i].id
                    ),
                });
            }
        }
        matches.push(found);
    }
    // First names make short ids, as hand-written plans have them, unless two people share one.
    let first_names: Vec<String> = people.iter().map(|p| first_name_slug(&p.name)).collect();
    for (person, found) in people.iter().zip(&matches) {
        let role = person.role;
        let id = match found {
            Some(i) => {
                let entry = &mut merged.participants[*i];
                let before = entry.clone();
                entry.name = person.name.clone();
                if !person.org.is_empty() {
                    entry.org = person.org.clone();
                }
                if person.email.is_some() {
                    entry.email = person.email.clone();
                }
                if let Some(role) = role {
                    entry.role = role;
                }
                if *entry != before {
                    merge.updated.push(entry.id.clone());
                }
                entry.id.clone()
            }
            None => {
                let first = first_name_slug(&person.name);
                let shared = first_names.iter().filter(|f| **f == first).count() > 1
                    || merged.participants.iter().any(|p| first_name_slug(&p.name) == first);
                let base = if shared { slug(&person.name) } else { first };
                let id = unique(&base, |c| merged.participants.iter().any(|p| p.id == c));
                merged.participants.push(Participant {
                    id: id.clone(),
                    name: person.name.clone(),
                    org: person.org.clone(),
                    role: role.unwrap_or_default(),
                    email: person.email.clone(),
                });
                merge.added.push(id.clone());
                id
            }
        };
        if let Some(room) = &person.room {
            match room_index(&merged, room) {
                Some(r) => {
                    if merged.rooms[r].lead.as_deref() != Some(id.as_str()) {
                        merged.rooms[r].lead = Some(id.clone());
                        merge.rooms.push(r);
                    }
                }
                None => problems.push(RowProblem {
                    line: person.line,
                    column: person.room_column,
                    message: format!(
                        "{} leads \"{room}\", a room that does not exist: the plan's rooms are {}",
                        person.name,
                        if merged.rooms.is_empty() {
                            "none (add rooms to the plan first)".to_string()
                        } else {
                            merged
                                .rooms
                                .iter()
                                .map(|r| format!("\"{}\"", r.name))
                                .collect::<Vec<_>>()
                                .join(", ")
                        }
                    ),
                }),
            }
        }
    }
    if !problems.is_empty() {
        return Err(PeopleError::rows(file, problems));
    }
    // Someone made a room lead elsewhere in the sheet no longer leads a room twice.
    merge.rooms.sort_unstable();
    merge.rooms.dedup();
    *plan = merged;
    Ok(merge)
}
