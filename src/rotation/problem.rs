//! What the caller asks the planner for: people, rooms, rounds and the rules between them.

use serde::{Deserialize, Serialize};
use std::time::Duration;

/// One round: rooms, each a list of person indices.
pub type Round = Vec<Vec<usize>>;

/// What "a good rotation" means when repeats cannot all be avoided.
///
/// Two measures pull apart: repeated pairings (how much meeting is spent on people already
/// met) and the most times any one pair meets (whether anyone is stuck with the same person).
/// Fewest repeats alone piles them onto a few pairs (the same two people in every round);
/// `Fair`, the default, first keeps every pair to as few meetings as the shape allows and only
/// then minimises repeats, so nobody can point at a pair that met more than they had to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Objective {
    /// Minimise repeated pairings (sum over pairs of meetings beyond the first), however
    /// unevenly they fall: the most new pairings. Named `most-new`.
    MostNewPairings,
    /// Fair (the default; named `fair`, also `even`): first minimise the most times any pair
    /// meets, then repeated pairings.
    #[default]
    EvenSpread,
}

impl Objective {
    /// The fair objective under its own name; the variant keeps its older name `EvenSpread`
    /// so that code matching on it still compiles.
    pub const FAIR: Objective = Objective::EvenSpread;

    /// The objective a command-line name stands for: `fair` (or its older name `even`) and
    /// `most-new`.
    pub fn from_name(name: &str) -> Option<Objective> {
        match name {
            "fair" | "even" => Some(Objective::FAIR),
            "most-new" => Some(Objective::MostNewPairings),
            _ => None,
        }
    }

    /// The command-line name: `fair` or `most-new`.
    pub fn name(self) -> &'static str {
        match self {
            Objective::EvenSpread => "fair",
            Objective::MostNewPairings => "most-new",
        }
    }
}

/// A person fixed to a room in one planned round.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lock {
    /// Person index (`< Problem::people`).
    pub person: usize,
    /// Round of the plan (`< Problem::rounds`, frozen rounds included, history not).
    pub round: usize,
    /// Room index (`< Problem::rooms`).
    pub room: usize,
}

/// A rotation to plan: who is present, how many rooms and rounds, and the rules.
///
/// Person indices are the caller's (`0..people`) throughout, in every field and in the result;
/// people listed in `absent` are simply not seated in the rounds still to plan.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Problem {
    /// Everyone in the series, numbered `0..people` (absent people included).
    pub people: usize,
    /// Rooms per round; room sizes within a round differ by at most one.
    pub rooms: usize,
    /// Rounds in this plan, after those in `history`; the first `frozen.len()` are already held.
    pub rounds: usize,
    /// Lead of each room, index = room (shorter than `rooms` means the rest have none). A lead
    /// sits in their room every planned round; an absent lead leaves the room without one.
    pub room_leads: Vec<Option<usize>>,
    /// Organisation of each person; empty means all different. Same-org people are kept
    /// apart: a hard rule when it can hold, otherwise soft and reported in the score.
    pub orgs: Vec<u32>,
    /// Pairs that never share a room (hard).
    pub keep_apart: Vec<(usize, usize)>,
    /// Pairs that should share a room every round (soft, violations reported).
    pub keep_together: Vec<(usize, usize)>,
    /// People fixed to a room in a planned round (hard). Locks on frozen rounds are ignored:
    /// what was held stands.
    pub locks: Vec<Lock>,
    /// People not seated in the rounds still to plan (left early, not arrived, sent apologies).
    pub absent: Vec<usize>,
    /// Rounds held before this plan (earlier sessions); their pairs count as met. Indices
    /// `>= people` are ignored, so a history may mention people who have since left.
    pub history: Vec<Round>,
    /// The first rounds of this plan, already held: kept exactly as given and counted in the
    /// score. Used to re-plan the rest after absences or late arrivals.
    pub frozen: Vec<Round>,
    /// What to optimise.
    pub objective: Objective,
}

/// How long and how reproducibly to search.
///
/// The search is deterministic for a given `seed` when `max_iterations` ends it (or the lower
/// bound is reached) before `time_budget` runs out; the time budget is a wall-clock cap, so a
/// run it cuts short depends on machine speed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SolveOptions {
    /// Seed of the search's random choices.
    pub seed: u64,
    /// Wall-clock cap on the search.
    pub time_budget: Duration,
    /// Cap on search moves; with it the result depends only on the seed.
    pub max_iterations: Option<u64>,
}

impl Default for SolveOptions {
    fn default() -> Self {
        SolveOptions { seed: 0, time_budget: Duration::from_secs(2), max_iterations: None }
    }
}
