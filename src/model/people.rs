//! Who is actually there, as a fold of events: the roll call (checked in, absent), walk-ins
//! and deputies added at the door, late arrivals and departures, each with its time.
//!
//! Until the first roll-call event everyone on the plan's list counts as expected-present,
//! which is how sessions without a check-in always behaved.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};

use super::plan::{Participant, Plan, Role};
use super::refusal::PeopleRefusal;

/// Someone not on the plan's list who came.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WalkIn {
    /// As the plan would list them (id, name, organisation, role, e-mail).
    pub person: Participant,
    /// The participant id of the person they stand in for, if a deputy.
    pub deputy_for: Option<String>,
    /// When they were added.
    pub at: DateTime<Utc>,
}

/// Presence of every person, folded from the log.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PeopleState {
    /// Walk-ins and deputies, in the order they came.
    pub added: Vec<WalkIn>,
    /// First check-in of each person at the roll call.
    pub checked_in: BTreeMap<String, DateTime<Utc>>,
    /// Marked absent at the roll call and not arrived since.
    pub absent: BTreeSet<String>,
    /// First late arrival of each person (into a room, or at the door).
    pub arrived: BTreeMap<String, DateTime<Utc>>,
    /// When each person last left; removed when they come back.
    pub left: BTreeMap<String, DateTime<Utc>>,
    /// Whether a roll call happened at all (a check-in or an absence was recorded).
    pub roll_call: bool,
}

/// Where someone stands now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Checked in, arrived late or added at the door, and still here.
    Present,
    /// Marked absent at the roll call.
    Absent,
    /// No roll call yet for them.
    NotChecked,
    /// Was here and left.
    Left,
}

impl Status {
    /// A short word for screens.
    pub fn label(self) -> &'static str {
        match self {
            Status::Present => "present",
            Status::Absent => "absent",
            Status::NotChecked => "not checked",
            Status::Left => "left",
        }
    }
}

impl PeopleState {
    /// The walk-in with this id.
    pub fn walk_in(&self, id: &str) -> Option<&WalkIn> {
        self.added.iter().find(|w| w.person.id == id)
    }

    /// The participant with this id: on the plan's list, or added at the door.
    pub fn person<'a>(&'a self, plan: &'a Plan, id: &str) -> Option<&'a Participant> {
        plan.participant(id).or_else(|| self.walk_in(id).map(|w| &w.person))
    }

    /// Everyone: the plan's list, then the walk-ins in the order they came.
    pub fn roster<'a>(&'a self, plan: &'a Plan) -> impl Iterator<Item = &'a Participant> + 'a {
        plan.participants.iter().chain(self.added.iter().map(|w| &w.person))
    }

    /// Where someone stands now.
    pub fn status(&self, id: &str) -> Status {
        if self.left.contains_key(id) {
            Status::Left
        } else if self.checked_in.contains_key(id)
            || self.arrived.contains_key(id)
            || self.walk_in(id).is_some()
        {
            Status::Present
        } else if self.absent.contains(id) {
            Status::Absent
        } else {
            Status::NotChecked
        }
    }

    /// Whether room planning should count on them: present, or (before any roll call) on the
    /// list and not gone.
    pub fn expected_here(&self, id: &str) -> bool {
        match self.status(id) {
            Status::Present => true,
            Status::NotChecked => !self.roll_call,
            Status::Absent | Status::Left => false,
        }
    }

    /// Whether the log shows them there at some point: checked in, arrived or added.
    pub fn came(&self, id: &str) -> bool {
        self.checked_in.contains_key(id) || self.arrived.contains_key(id) || self.walk_in(id).is_some()
    }

    fn check_person(&self, plan: &Plan, id: &str) -> Result<(), PeopleRefusal> {
        self.person(plan, id).map(|_| ()).ok_or_else(|| PeopleRefusal::NotListed(id.to_string()))
    }

    /// Someone is there at the roll call.
    pub fn check_in(&mut self, plan: &Plan, id: &str, at: DateTime<Utc>) -> Result<(), PeopleRefusal> {
        self.check_person(plan, id)?;
        self.roll_call = true;
        self.absent.remove(id);
        self.checked_in.entry(id.to_string()).or_insert(at);
        Ok(())
    }

    /// Someone is not there at the roll call (also a correction of a check-in by mistake).
    pub fn mark_absent(&mut self, plan: &Plan, id: &str) -> Result<(), PeopleRefusal> {
        self.check_person(plan, id)?;
        if self.arrived.contains_key(id) || self.walk_in(id).is_some() {
            return Err(PeopleRefusal::ArrivedDuring(id.to_string()));
        }
        self.roll_call = true;
        self.checked_in.remove(id);
        self.absent.insert(id.to_string());
        Ok(())
    }

    /// A walk-in or deputy joins the list, present from now.
    pub fn add(&mut self, plan: &Plan, walk_in: WalkIn) -> Result<(), PeopleRefusal> {
        let id = &walk_in.person.id;
        if id.trim().is_empty() || walk_in.person.name.trim().is_empty() {
            return Err(PeopleRefusal::Unnamed);
        }
        if self.person(plan, id).is_some() {
            return Err(PeopleRefusal::AlreadyListed(id.clone()));
        }
        if let Some(for_) = &walk_in.deputy_for {
            self.check_person(plan, for_)?;
        }
        self.added.push(walk_in);
        Ok(())
    }

    /// A late arrival (into a room or at the door).
    pub fn arrive(&mut self, id: &str, at: DateTime<Utc>) {
        self.absent.remove(id);
        self.left.remove(id);
        self.arrived.entry(id.to_string()).or_insert(at);
    }

    /// Someone leaves.
    pub fn leave(&mut self, id: &str, at: DateTime<Utc>) {
        self.left.insert(id.to_string(), at);
    }
}

/// Whether someone of this role sits in breakout rooms.
pub fn sits_in_rooms(role: Role) -> bool {
    matches!(role, Role::Partner | Role::RoomLead)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan() -> Plan {
        let person = |id: &str, org: &str| Participant {
            id: id.into(),
            name: id.to_uppercase(),
            org: org.into(),
            role: Role::Partner,
            email: None,
        };
        Plan {
            id: None,
            title: "t".into(),
            series: None,
            date: None,
            time_zone: None,
            themes: vec![],
            participants: vec![person("ann", "A"), person("bob", "B")],
            rooms: vec![],
            agenda: vec![],
            timer_bell: false,
        }
    }

    fn at(minute: u32) -> DateTime<Utc> {
        format!("2026-11-05T14:{minute:02}:00Z").parse().expect("a time")
    }

    #[test]
    fn before_a_roll_call_everyone_listed_is_expected() {
        let people = PeopleState::default();
        assert!(people.expected_here("ann"));
        assert_eq!(people.status("ann"), Status::NotChecked);
    }

    #[test]
    fn after_a_roll_call_only_those_checked_in_are_expected() {
        let plan = plan();
        let mut people = PeopleState::default();
        people.check_in(&plan, "ann", at(1)).expect("listed");
        assert!(people.expected_here("ann"));
        assert!(!people.expected_here("bob"));
        people.mark_absent(&plan, "bob").expect("listed");
        assert_eq!(people.status("bob"), Status::Absent);
        people.arrive("bob", at(20));
        assert_eq!(people.status("bob"), Status::Present);
        assert_eq!(people.arrived.get("bob"), Some(&at(20)));
        people.leave("ann", at(30));
        assert_eq!(people.status("ann"), Status::Left);
        assert!(people.came("ann"));
    }

    #[test]
    fn a_walk_in_must_be_new_and_a_deputy_stands_in_for_someone_listed() {
        let plan = plan();
        let mut people = PeopleState::default();
        let walk_in = |id: &str, deputy_for: Option<&str>| WalkIn {
            person: Participant {
                id: id.into(),
                name: "Zoë".into(),
                org: "B".into(),
                role: Role::Partner,
                email: None,
            },
            deputy_for: deputy_for.map(str::to_string),
            at: at(5),
        };
        assert!(people.add(&plan, walk_in("ann", None)).is_err());
        assert!(people.add(&plan, walk_in("zoe", Some("nobody"))).is_err());
        people.add(&plan, walk_in("zoe", Some("bob"))).expect("a deputy for bob");
        assert_eq!(people.person(&plan, "zoe").map(|p| p.name.as_str()), Some("Zoë"));
        assert_eq!(people.status("zoe"), Status::Present);
        assert_eq!(people.roster(&plan).count(), 3);
        assert!(people.mark_absent(&plan, "zoe").is_err());
    }
}
