//! Who was expected and who was there, as far as the log tells: breakout rooms, arrivals and
//! departures, comments spoken, dots placed and events captured all count as presence.

use std::collections::{BTreeMap, BTreeSet};

use super::report::session_day;
use super::text::when;
use crate::model::{Actor, Event, Role};
use crate::store::Loaded;

/// Whether someone expected was there, as far as the log can tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    /// Sat in a breakout room, arrived, spoke, voted or captured comments.
    Attended,
    /// Rooms were assigned and they were in none of them, nor left any trace in the log.
    Absent,
    /// Nothing in the log says either way (e.g. no rooms were used).
    NotRecorded,
}

/// One expected participant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attendee {
    /// Participant id.
    pub id: String,
    /// Full name.
    pub name: String,
    /// Their part in the session.
    pub role: Role,
    /// Whether they were there.
    pub presence: Presence,
    /// Late arrival and leaving early, in words ("arrived late, 14:41, into Room 2").
    pub notes: Vec<String>,
}

/// The people one organisation was expected to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgAttendance {
    /// Organisation name.
    pub org: String,
    /// Its people, in plan order.
    pub people: Vec<Attendee>,
}

impl Attendee {
    /// What to say beside the name: role (other than partner), absence, arrival, leaving.
    pub fn remarks(&self) -> Vec<String> {
        let mut remarks = Vec::new();
        if self.role != Role::Partner {
            remarks.push(self.role.label().to_string());
        }
        if self.presence == Presence::Absent {
            remarks.push("absent".to_string());
        }
        remarks.extend(self.notes.iter().cloned());
        remarks
    }
}

impl OrgAttendance {
    /// People who attended.
    pub fn attended(&self) -> usize {
        self.people.iter().filter(|p| p.presence == Presence::Attended).count()
    }

    /// People expected.
    pub fn expected(&self) -> usize {
        self.people.len()
    }

    /// "2 of 2", or "2 expected" when the log cannot tell.
    pub fn summary(&self) -> String {
        let unknown = self.people.iter().filter(|p| p.presence == Presence::NotRecorded).count();
        if unknown == self.expected() {
            format!("{} expected", self.expected())
        } else if unknown > 0 {
            format!("{} of {} ({unknown} not recorded)", self.attended(), self.expected())
        } else {
            format!("{} of {}", self.attended(), self.expected())
        }
    }
}

/// Ids of everyone the log shows was there: in a room, arriving or leaving, speaking during
/// the session, voting, or capturing comments.
fn seen(loaded: &Loaded) -> BTreeSet<String> {
    let plan = &loaded.file.plan;
    let state = &loaded.state;
    let mut seen: BTreeSet<String> = BTreeSet::new();
    for round in &state.rooms.rounds {
        seen.extend(round.rooms.iter().flatten().cloned());
    }
    seen.extend(state.rooms.left.iter().cloned());
    seen.extend(state.live_comments().filter(|c| !c.pre_session).filter_map(|c| c.author.clone()));
    for vote in state.voting.votes.iter().filter(|v| !v.rules.by_org) {
        seen.extend(vote.dots.keys().cloned());
    }
    let mut facilitated = false;
    for stamped in &loaded.file.events {
        if let Event::ParticipantArrived { id, .. } = &stamped.event {
            seen.insert(id.clone());
        }
        match &stamped.by {
            // Note-takers sign events with their name (or id): they were there.
            Actor::NoteTaker(who) => {
                if let Some(p) = plan.participants.iter().find(|p| &p.name == who || &p.id == who) {
                    seen.insert(p.id.clone());
                }
            }
            Actor::Facilitator => facilitated |= matches!(stamped.event, Event::AgendaItemStarted { .. }),
        }
    }
    if facilitated {
        seen.extend(plan.participants.iter().filter(|p| p.role == Role::Facilitator).map(|p| p.id.clone()));
    }
    seen
}

/// Attendance by organisation (alphabetical), each person with late arrival or early leaving.
pub(crate) fn attendance(loaded: &Loaded) -> Vec<OrgAttendance> {
    let plan = &loaded.file.plan;
    let state = &loaded.state;
    let day = session_day(plan, state);
    let seen = seen(loaded);
    let had_rooms = !state.rooms.rounds.is_empty();
    let mut arrived: BTreeMap<&str, String> = BTreeMap::new();
    let mut left: BTreeMap<&str, String> = BTreeMap::new();
    for stamped in &loaded.file.events {
        match &stamped.event {
            Event::ParticipantArrived { id, room } => {
                arrived.entry(id.as_str()).or_insert_with(|| {
                    format!("arrived late, {}, into {}", when(stamped.at, day), plan.room_name(Some(*room)))
                });
            }
            Event::ParticipantLeft { id } => {
                left.insert(id.as_str(), format!("left at {}", when(stamped.at, day)));
            }
            _ => {}
        }
    }
    let mut by_org: BTreeMap<&str, Vec<Attendee>> = BTreeMap::new();
    for person in &plan.participants {
        let presence = if seen.contains(&person.id) {
            Presence::Attended
        } else if had_rooms && matches!(person.role, Role::Partner | Role::RoomLead) {
            // Rooms seat every partner and lead who is there, so no room means not there.
            Presence::Absent
        } else {
            Presence::NotRecorded
        };
        let mut notes: Vec<String> = arrived.get(person.id.as_str()).cloned().into_iter().collect();
        // Someone who left and came back is no longer counted as gone.
        if state.rooms.left.contains(&person.id) {
            notes.extend(left.get(person.id.as_str()).cloned());
        }
        by_org.entry(person.org.as_str()).or_default().push(Attendee {
            id: person.id.clone(),
            name: person.name.clone(),
            role: person.role,
            presence,
            notes,
        });
    }
    by_org.into_iter().map(|(org, people)| OrgAttendance { org: org.to_string(), people }).collect()
}
