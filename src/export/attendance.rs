//! Who was expected and who was there, as far as the log tells: the roll call, walk-ins,
//! breakout rooms, arrivals, comments spoken, dots placed and events captured all count as
//! presence. Leaving is not: someone who never came never "left".

use std::collections::{BTreeMap, BTreeSet};

use super::report::session_day;
use super::text::when;
use crate::model::{Actor, Event, Role, Voter};
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
    /// Not on the plan's list: added at the door (a walk-in or a deputy).
    pub walk_in: bool,
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
    /// People expected (on the plan's list) who attended.
    pub fn attended(&self) -> usize {
        self.people.iter().filter(|p| !p.walk_in && p.presence == Presence::Attended).count()
    }

    /// People expected: those on the plan's list.
    pub fn expected(&self) -> usize {
        self.people.iter().filter(|p| !p.walk_in).count()
    }

    /// Walk-ins and deputies who came.
    pub fn walk_ins(&self) -> usize {
        self.people.iter().filter(|p| p.walk_in).count()
    }

    /// "2 of 2", "1 of 2, +1 walk-in or deputy", or "2 expected" when the log cannot tell.
    pub fn summary(&self) -> String {
        let unknown = self.people.iter().filter(|p| p.presence == Presence::NotRecorded).count();
        let count = if self.expected() == 0 {
            String::new()
        } else if unknown == self.expected() {
            format!("{} expected", self.expected())
        } else if unknown > 0 {
            format!("{} of {} ({unknown} not recorded)", self.attended(), self.expected())
        } else {
            format!("{} of {}", self.attended(), self.expected())
        };
        match (self.walk_ins(), count.is_empty()) {
            (0, _) => count,
            (n, true) => format!("{n} walk-in(s) or deputies"),
            (n, false) => format!("{count}, +{n} walk-in(s) or deputies"),
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
    // Checked in, arrived or added at the door; leaving alone proves nothing.
    let people = state.people();
    seen.extend(people.roster(plan).filter(|p| people.came(&p.id)).map(|p| p.id.clone()));
    seen.extend(state.live_comments().filter(|c| !c.pre_session).filter_map(|c| c.author.clone()));
    for vote in &state.voting.votes {
        seen.extend(vote.dots.keys().filter_map(|key| match vote.rules.voter(key) {
            Voter::Person(id) => Some(id.to_string()),
            Voter::Organisation(_) => None,
        }));
    }
    let mut facilitated = false;
    let counted = crate::model::undo::counted(&loaded.file.events);
    for stamped in &counted {
        if let Event::ParticipantArrived { id, .. } = &stamped.event {
            seen.insert(id.clone());
        }
        match &stamped.by {
            // Note-takers sign events with their name (or id): they were there.
            Actor::NoteTaker(who) => {
                if let Some(p) = people.roster(plan).find(|p| &p.name == who || &p.id == who) {
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

/// Attendance by organisation (alphabetical), each person with arrival and leaving times;
/// walk-ins and deputies under their organisation.
pub(crate) fn attendance(loaded: &Loaded) -> Vec<OrgAttendance> {
    let plan = &loaded.file.plan;
    let state = &loaded.state;
    let people = state.people();
    let day = session_day(plan, state);
    let seen = seen(loaded);
    let had_rooms = !state.rooms.rounds.is_empty();
    // The roll call runs during the welcome: checking in after it, or after being marked
    // absent, is arriving late.
    let counted = crate::model::undo::counted(&loaded.file.events);
    let welcome_over = counted
        .iter()
        .filter(|e| matches!(e.event, Event::AgendaItemStarted { .. } | Event::AgendaEnded))
        .nth(1)
        .map(|e| e.at);
    let late = |at| welcome_over.is_some_and(|over| at >= over);
    let mut marked_absent: BTreeSet<&str> = BTreeSet::new();
    let mut arrived: BTreeMap<&str, String> = BTreeMap::new();
    for stamped in &counted {
        match &stamped.event {
            Event::ParticipantAbsent { id } => {
                marked_absent.insert(id.as_str());
            }
            Event::ParticipantArrived { id, room } => {
                arrived.entry(id.as_str()).or_insert_with(|| {
                    format!("arrived late, {}, into {}", when(stamped.at, day), plan.room_name(Some(*room)))
                });
            }
            Event::ParticipantCheckedIn { id } if late(stamped.at) || marked_absent.contains(id.as_str()) => {
                arrived
                    .entry(id.as_str())
                    .or_insert_with(|| format!("arrived late, {}", when(stamped.at, day)));
            }
            Event::ParticipantAdded { id, .. } if late(stamped.at) => {
                arrived.entry(id.as_str()).or_insert_with(|| format!("arrived {}", when(stamped.at, day)));
            }
            _ => {}
        }
    }
    let mut by_org: BTreeMap<&str, Vec<Attendee>> = BTreeMap::new();
    for person in people.roster(plan) {
        let walk_in = people.walk_in(&person.id);
        let presence = if seen.contains(&person.id) {
            Presence::Attended
        } else if people.absent.contains(&person.id)
            || ((had_rooms || people.roll_call) && matches!(person.role, Role::Partner | Role::RoomLead))
        {
            // Rooms seat, and the roll call lists, every partner and lead who is there.
            Presence::Absent
        } else {
            Presence::NotRecorded
        };
        let mut notes: Vec<String> = Vec::new();
        if let Some(walk_in) = walk_in {
            notes.push(match &walk_in.deputy_for {
                Some(for_) => format!(
                    "deputy for {}",
                    plan.participant(for_).map_or(for_.as_str(), |p| p.name.as_str())
                ),
                None => "walk-in".to_string(),
            });
        }
        notes.extend(arrived.get(person.id.as_str()).cloned());
        // Only someone who was there can have left; someone who came back is not gone.
        if presence == Presence::Attended {
            if let Some(at) = people.left.get(&person.id) {
                notes.push(format!("left at {}", when(*at, day)));
            }
        }
        by_org.entry(person.org.as_str()).or_default().push(Attendee {
            id: person.id.clone(),
            name: person.name.clone(),
            role: person.role,
            presence,
            notes,
            walk_in: walk_in.is_some(),
        });
    }
    by_org.into_iter().map(|(org, people)| OrgAttendance { org: org.to_string(), people }).collect()
}
