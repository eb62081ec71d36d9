//! Breakout room membership as a fold of events: who sat in which room in each round, who
//! arrived late or left, and so who has met whom.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};

use super::people::PeopleState;
use super::plan::Plan;

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

    fn check_person(&self, plan: &Plan, id: &str) -> Result<(), String> {
        self.people
            .person(plan, id)
            .map(|_| ())
            .ok_or_else(|| format!("\"{id}\" is not in the plan's participants"))
    }

    fn check_room(plan: &Plan, room: u32) -> Result<(), String> {
        if (room as usize) < plan.rooms.len() {
            Ok(())
        } else {
            Err(format!("there is no room {} (the plan has {})", room + 1, plan.rooms.len()))
        }
    }

    /// Rooms assigned for a round: the next one, or the current one again (regenerated).
    pub fn assign(
        &mut self,
        plan: &Plan,
        round: u32,
        rooms: &[Vec<String>],
        at: DateTime<Utc>,
    ) -> Result<(), String> {
        let round = round as usize;
        if round > self.rounds.len() || round + 1 < self.rounds.len() {
            return Err(format!(
                "round {} cannot be assigned after {} round(s)",
                round + 1,
                self.rounds.len()
            ));
        }
        if rooms.len() != plan.rooms.len() {
            return Err(format!("{} rooms given but the plan has {}", rooms.len(), plan.rooms.len()));
        }
        let mut seen = BTreeSet::new();
        for id in rooms.iter().flatten() {
            self.check_person(plan, id)?;
            if !seen.insert(id) {
                return Err(format!("\"{id}\" is in two rooms"));
            }
        }
        let assigned = RoomRound { rooms: rooms.to_vec(), at };
        if round == self.rounds.len() {
            self.rounds.push(assigned);
        } else {
            self.rounds[round] = assigned;
        }
        Ok(())
    }

    fn current_mut(&mut self) -> Result<&mut RoomRound, String> {
        self.rounds.last_mut().ok_or_else(|| "no rooms have been assigned yet".to_string())
    }

    /// Someone moves to another room in the current round.
    pub fn move_to(&mut self, plan: &Plan, id: &str, room: u32) -> Result<(), String> {
        Self::check_room(plan, room)?;
        let current = self.current_mut()?;
        let from = current.room_of(id).ok_or_else(|| format!("\"{id}\" is in no room this round"))?;
        current.rooms[from].retain(|p| p != id);
        current.rooms[room as usize].push(id.to_string());
        Ok(())
    }

    /// A late arrival joins a room in the current round.
    pub fn arrive(&mut self, plan: &Plan, id: &str, room: u32, at: DateTime<Utc>) -> Result<(), String> {
        self.check_person(plan, id)?;
        Self::check_room(plan, room)?;
        let current = self.current_mut()?;
        if current.room_of(id).is_some() {
            return Err(format!("\"{id}\" is already in a room"));
        }
        current.rooms[room as usize].push(id.to_string());
        self.left.remove(id);
        self.people.arrive(id, at);
        Ok(())
    }

    /// Someone leaves: out of their room, everyone else stays put.
    pub fn leave(&mut self, plan: &Plan, id: &str, at: DateTime<Utc>) -> Result<(), String> {
        self.check_person(plan, id)?;
        if self.left.contains(id) {
            return Err(format!("\"{id}\" has already left"));
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
    pub fn mark_absent(&mut self, plan: &Plan, id: &str) -> Result<(), String> {
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
