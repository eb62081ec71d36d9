//! Breakout room membership as a fold of events: who sat in which room in each round, who
//! arrived late or left, and so who has met whom.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};

use super::people::PeopleState;
use super::plan::Plan;
use super::refusal::{PeopleRefusal, RoomsRefusal};

/// One round of breakout rooms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoomRound {
    /// Members of each room (participant ids), indexed like the plan's rooms.
    pub rooms: Vec<Vec<String>>,
    /// When the rooms were assigned.
    pub at: DateTime<Utc>,
}

impl RoomRound {
    /// The room a participant is in this round.
    pub fn room_of(&self, id: &str) -> Option<usize> {
        self.rooms.iter().position(|room| room.iter().any(|p| p == id))
    }
}

/// Rounds of rooms so far, and who has left.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RoomsState {
    /// Every round, in order; the last is the current one.
    pub rounds: Vec<RoomRound>,
    /// Participants who left the session.
    pub left: BTreeSet<String>,
    /// Who is there: roll call, walk-ins, arrivals and departures (rooms seat only them).
    pub people: PeopleState,
}

impl RoomsState {
    /// The current round, if rooms have been assigned.
    pub fn current(&self) -> Option<&RoomRound> {
        self.rounds.last()
    }

    fn check_person(&self, plan: &Plan, id: &str) -> Result<(), RoomsRefusal> {
        match self.people.person(plan, id) {
            Some(_) => Ok(()),
            None => Err(PeopleRefusal::NotListed(id.to_string()).into()),
        }
    }

    fn check_room(plan: &Plan, room: u32) -> Result<(), RoomsRefusal> {
        if (room as usize) < plan.rooms.len() {
            Ok(())
        } else {
            Err(RoomsRefusal::NoSuchRoom { room, rooms: plan.rooms.len() })
        }
    }

    /// Rooms assigned for a round: the next one, or the current one again (regenerated).
    pub fn assign(
        &mut self,
        plan: &Plan,
        round: u32,
        rooms: &[Vec<String>],
        at: DateTime<Utc>,
    ) -> Result<(), RoomsRefusal> {
        let held = self.rounds.len();
        let index = round as usize;
        if index > held || index + 1 < held {
            return Err(RoomsRefusal::RoundOutOfOrder { round, held });
        }
        if rooms.len() != plan.rooms.len() {
            return Err(RoomsRefusal::WrongRoomCount { given: rooms.len(), planned: plan.rooms.len() });
        }
        let mut seen = BTreeSet::new();
        for id in rooms.iter().flatten() {
            self.check_person(plan, id)?;
            if !seen.insert(id) {
                return Err(RoomsRefusal::InTwoRooms(id.clone()));
            }
        }
        let assigned = RoomRound { rooms: rooms.to_vec(), at };
        if index == held {
            self.rounds.push(assigned);
        } else {
            self.rounds[index] = assigned;
        }
        Ok(())
    }

    fn current_mut(&mut self) -> Result<&mut RoomRound, RoomsRefusal> {
        self.rounds.last_mut().ok_or(RoomsRefusal::NoRounds)
    }

    /// Someone moves to another room in the current round.
    pub fn move_to(&mut self, plan: &Plan, id: &str, room: u32) -> Result<(), RoomsRefusal> {
        Self::check_room(plan, room)?;
        let current = self.current_mut()?;
        let from = current.room_of(id).ok_or_else(|| RoomsRefusal::Unseated(id.to_string()))?;
        current.rooms[from].retain(|p| p != id);
        current.rooms[room as usize].push(id.to_string());
        Ok(())
    }

    /// A late arrival joins a room in the current round.
    pub fn arrive(
        &mut self,
        plan: &Plan,
        id: &str,
        room: u32,
        at: DateTime<Utc>,
    ) -> Result<(), RoomsRefusal> {
        self.check_person(plan, id)?;
        Self::check_room(plan, room)?;
        let current = self.current_mut()?;
        if current.room_of(id).is_some() {
            return Err(RoomsRefusal::AlreadySeated(id.to_string()));
        }
        current.rooms[room as usize].push(id.to_string());
        self.left.remove(id);
        self.people.arrive(id, at);
        Ok(())
    }

    /// Someone leaves: out of their room, everyone else stays put.
    pub fn leave(&mut self, plan: &Plan, id: &str, at: DateTime<Utc>) -> Result<(), RoomsRefusal> {
        self.check_person(plan, id)?;
        if self.left.contains(id) {
            return Err(RoomsRefusal::AlreadyLeft(id.to_string()));
        }
        if let Some(current) = self.rounds.last_mut() {
            for room in &mut current.rooms {
                room.retain(|p| p != id);
            }
        }
        self.left.insert(id.to_string());
        self.people.leave(id, at);
        Ok(())
    }

    /// Someone marked absent at the roll call is in no room of the current round.
    pub fn mark_absent(&mut self, plan: &Plan, id: &str) -> Result<(), RoomsRefusal> {
        self.people.mark_absent(plan, id)?;
        if let Some(current) = self.rounds.last_mut() {
            for room in &mut current.rooms {
                room.retain(|p| p != id);
            }
        }
        Ok(())
    }

    /// How many rounds each pair has shared a room: "who met whom".
    pub fn meetings(&self) -> BTreeMap<(String, String), u32> {
        let mut met = BTreeMap::new();
        for round in &self.rounds {
            for room in &round.rooms {
                for (i, a) in room.iter().enumerate() {
                    for b in &room[i + 1..] {
                        let pair = if a < b { (a.clone(), b.clone()) } else { (b.clone(), a.clone()) };
                        *met.entry(pair).or_insert(0) += 1;
                    }
                }
            }
        }
        met
    }
}
