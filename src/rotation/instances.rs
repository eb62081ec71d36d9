//! Reference instances for measuring the planner, in the RON format documented at the top of
//! `benches/rotation/instances.ron`.

use crate::rotation::problem::{Problem, Round};
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// One reference instance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Instance {
    /// Unique name.
    pub name: String,
    /// People, numbered `0..people`.
    pub people: usize,
    /// Rooms per round.
    pub rooms: usize,
    /// Rounds to plan.
    pub rounds: usize,
    /// The first `leads` people lead rooms: person `i` always sits in room `i`.
    #[serde(default)]
    pub leads: usize,
    /// Organisation of each person; empty means all different.
    #[serde(default)]
    pub orgs: Vec<u32>,
    /// Rounds held before, whose pairs count as met.
    #[serde(default)]
    pub history: Vec<Round>,
    /// A proven lower bound on repeated pairings (0 when none is claimed).
    #[serde(default)]
    pub lower_bound: u64,
    /// The best possible repeats, where known.
    #[serde(default)]
    pub optimum: Option<u64>,
    /// Repeats reached by the best-known public tool, to meet or beat; absent where it was
    /// not measured (the tool does not finish the largest instances).
    #[serde(default, deserialize_with = "some_number")]
    pub reference: Option<u64>,
    /// The most times one pair met in that tool's plan, where measured.
    /// Written as a plain number (`reference_max_pair: 2`), not `Some(2)`.
    #[serde(default, deserialize_with = "some_number")]
    pub reference_max_pair: Option<u32>,
}

impl Instance {
    /// The instance as a problem with the default objective (`Objective::FAIR`).
    pub fn problem(&self) -> Problem {
        Problem {
            people: self.people,
            rooms: self.rooms,
            rounds: self.rounds,
            room_leads: (0..self.leads).map(Some).collect(),
            orgs: self.orgs.clone(),
            history: self.history.clone(),
            ..Problem::default()
        }
    }
}

/// Reads a plain number into `Some`, so instance files need no `Some(..)` around it.
fn some_number<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    T::deserialize(deserializer).map(Some)
}

/// Why an instances file could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum InstancesError {
    /// The text is not a list of instances.
    #[error("line {line}, column {column}: {message}")]
    Syntax {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What the parser expected.
        message: String,
    },
    /// Two instances share a name, so results could not be told apart.
    #[error("instance name {name:?} is used twice")]
    DuplicateName {
        /// The name.
        name: String,
    },
}

/// Parses a list of instances.
pub fn parse_instances(text: &str) -> Result<Vec<Instance>, InstancesError> {
    let instances: Vec<Instance> = ron::from_str(text).map_err(|e| InstancesError::Syntax {
        line: e.position.line,
        column: e.position.col,
        message: e.code.to_string(),
    })?;
    let mut names: Vec<&str> = instances.iter().map(|i| i.name.as_str()).collect();
    names.sort_unstable();
    if let Some(pair) = names.windows(2).find(|pair| pair[0] == pair[1]) {
        return Err(InstancesError::DuplicateName { name: pair[0].to_string() });
    }
    Ok(instances)
}
