//! Why a rotation cannot be planned, in words a facilitator can act on.

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// A problem whose hard rules cannot all hold, or that is malformed.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
pub enum RotationError {
    /// No rooms to seat anyone in.
    #[error("room count 0: at least one room is needed")]
    NoRooms,
    /// More people than the planner's pair table is sized for.
    #[error("{people} people is more than the planner handles ({max})")]
    TooManyPeople {
        /// People asked for.
        people: usize,
        /// Largest supported count.
        max: usize,
    },
    /// Leads were given for rooms that do not exist.
    #[error("more leads than rooms: {leads} leads for {rooms} rooms")]
    MoreLeadsThanRooms {
        /// Leads given.
        leads: usize,
        /// Rooms per round.
        rooms: usize,
    },
    /// A lead index is not a person of the problem.
    #[error("lead {lead} of room {room} is not among the {people} people")]
    LeadNotPresent {
        /// The lead's person index.
        lead: usize,
        /// The room they lead.
        room: usize,
        /// People present.
        people: usize,
    },
    /// One person leads two rooms.
    #[error("lead {lead} is fixed to two rooms ({first} and {second})")]
    LeadInTwoRooms {
        /// The lead's person index.
        lead: usize,
        /// First room they lead.
        first: usize,
        /// Second room they lead.
        second: usize,
    },
    /// `orgs` is neither empty nor one entry per person.
    #[error("organisations are given for {given} people but there are {people}")]
    OrgsLength {
        /// Entries in `orgs`.
        given: usize,
        /// People present.
        people: usize,
    },
    /// A lock names a person, round or room outside the plan.
    #[error(
        "lock of person {person} to room {room} in round {round} is outside the plan \
         ({people} people, {rooms} rooms, {rounds} rounds)"
    )]
    LockOutOfRange {
        /// Locked person.
        person: usize,
        /// Planned round.
        round: usize,
        /// Room.
        room: usize,
        /// People present.
        people: usize,
        /// Rooms per round.
        rooms: usize,
        /// Planned rounds.
        rounds: usize,
    },
    /// One person locked to two rooms in the same round.
    #[error("person {person} is locked to rooms {first} and {second} in round {round}")]
    LockedToTwoRooms {
        /// Locked person.
        person: usize,
        /// Planned round.
        round: usize,
        /// First room.
        first: usize,
        /// Second room.
        second: usize,
    },
    /// A lead locked away from the room they lead.
    #[error("lead {lead} leads room {leads_room} but is locked to room {locked_room} in round {round}")]
    LeadLockedElsewhere {
        /// The lead's person index.
        lead: usize,
        /// Room they lead.
        leads_room: usize,
        /// Room of the lock.
        locked_room: usize,
        /// Planned round.
        round: usize,
    },
    /// A pair rule names a person outside the problem.
    #[error("{rule} {a}–{b} names someone not among the {people} people")]
    PairOutOfRange {
        /// "keep-apart" or "keep-together".
        rule: String,
        /// First person.
        a: usize,
        /// Second person.
        b: usize,
        /// People present.
        people: usize,
    },
    /// A pair rule names one person twice.
    #[error("keep-apart {person}–{person} names one person twice")]
    KeepApartSelf {
        /// The person.
        person: usize,
    },
    /// A pair is both to be kept together and kept apart (explicitly or as one organisation).
    #[error("keep-together {a}–{b} contradicts {reason}")]
    TogetherAndApart {
        /// First person.
        a: usize,
        /// Second person.
        b: usize,
        /// What it contradicts: "keep-apart a–b" or "both being of organisation n".
        reason: String,
    },
    /// Fewer people to seat than rooms, so some room would stay empty.
    #[error("{rooms} rooms but only {people} people to seat: use at most {people} rooms")]
    MoreRoomsThanPeople {
        /// Rooms per round.
        rooms: usize,
        /// People present for the rounds to plan.
        people: usize,
    },
    /// An absentee index is not a person of the problem.
    #[error("absent person {person} is not among the {people} people")]
    AbsentOutOfRange {
        /// The index given.
        person: usize,
        /// People in the problem.
        people: usize,
    },
    /// A person is both absent and locked into a room of a round still to plan.
    #[error("person {person} is absent but locked to room {room} in round {round}")]
    LockedButAbsent {
        /// The person.
        person: usize,
        /// Planned round of the lock.
        round: usize,
        /// Room of the lock.
        room: usize,
    },
    /// More rounds frozen than the plan has.
    #[error("{frozen} rounds are frozen but the plan has only {rounds}")]
    TooManyFrozen {
        /// Frozen rounds given.
        frozen: usize,
        /// Rounds in the plan.
        rounds: usize,
    },
    /// A frozen round seats someone outside the problem.
    #[error("frozen round {round} seats person {person}, not among the {people} people")]
    FrozenPersonOutOfRange {
        /// Frozen round.
        round: usize,
        /// The index given.
        person: usize,
        /// People in the problem.
        people: usize,
    },
    /// A frozen round seats someone twice.
    #[error("frozen round {round} seats person {person} twice")]
    FrozenPersonTwice {
        /// Frozen round.
        round: usize,
        /// The person.
        person: usize,
    },
    /// Leads or locks put a keep-apart pair in one room.
    #[error(
        "keep-apart {a}–{b} and the lead or lock putting both in room {room} in round {round} \
         cannot both hold"
    )]
    KeepApartForcedTogether {
        /// First person.
        a: usize,
        /// Second person.
        b: usize,
        /// Room both are fixed to.
        room: usize,
        /// Planned round.
        round: usize,
    },
    /// Leads and locks put more people in a room than balanced sizes allow.
    #[error(
        "room {room} in round {round} has {fixed} people fixed to it by leads and locks, \
         but balanced rooms hold at most {capacity}"
    )]
    RoomOverfull {
        /// Room.
        room: usize,
        /// Planned round.
        round: usize,
        /// People fixed to it.
        fixed: usize,
        /// Most people a balanced room holds.
        capacity: usize,
    },
    /// Leads and locks fill more rooms to the larger size than balanced sizes allow.
    #[error(
        "round {round}: leads and locks fill {filled} rooms to {size} people, \
         but balanced rooms allow only {allowed} of that size"
    )]
    TooManyFullRooms {
        /// Planned round.
        round: usize,
        /// Rooms at the larger size.
        filled: usize,
        /// The larger size.
        size: usize,
        /// How many rooms may have it.
        allowed: usize,
    },
    /// The keep-apart rules leave a person nowhere to sit.
    #[error(
        "person {person} cannot be seated in round {round}: the keep-apart rules, leads and \
         locks leave no room with space"
    )]
    NoSeat {
        /// Person who could not be seated.
        person: usize,
        /// Planned round.
        round: usize,
    },
}

impl RotationError {
    /// The same error with people and rounds of the internal numbering (present people only,
    /// rounds after the frozen ones) translated back to the caller's.
    pub(crate) fn relabel(self, people: &[usize], first_round: usize) -> RotationError {
        let person = |p: usize| people.get(p).copied().unwrap_or(p);
        let round = |r: usize| r + first_round;
        match self {
            RotationError::LockedToTwoRooms { person: p, round: r, first, second } => {
                RotationError::LockedToTwoRooms { person: person(p), round: round(r), first, second }
            }
            RotationError::LeadLockedElsewhere { lead, leads_room, locked_room, round: r } => {
                RotationError::LeadLockedElsewhere {
                    lead: person(lead),
                    leads_room,
                    locked_room,
                    round: round(r),
                }
            }
            RotationError::KeepApartForcedTogether { a, b, room, round: r } => {
                RotationError::KeepApartForcedTogether { a: person(a), b: person(b), room, round: round(r) }
            }
            RotationError::RoomOverfull { room, round: r, fixed, capacity } => {
                RotationError::RoomOverfull { room, round: round(r), fixed, capacity }
            }
            RotationError::TooManyFullRooms { round: r, filled, size, allowed } => {
                RotationError::TooManyFullRooms { round: round(r), filled, size, allowed }
            }
            RotationError::NoSeat { person: p, round: r } => {
                RotationError::NoSeat { person: person(p), round: round(r) }
            }
            other => other,
        }
    }
}
