//! Breakout-room rotation: who sits in which room in each round, so that people meet as many
//! different people as possible over a series. Pure and deterministic from a seed; no UI.
//!
//! # Using it
//!
//! - [`solve`]`(&Problem, &SolveOptions) -> Result<Schedule, RotationError>` plans every round
//!   after the frozen ones. Every present person sits in exactly one room per planned round,
//!   room sizes differ by at most one, leads sit in their rooms, locks hold, keep-apart pairs
//!   never share a room. Hard rules that cannot all hold give a [`RotationError`] naming them.
//! - [`score`]`(&Problem, &[Round]) -> Score` recomputes a plan's score (after hand edits).
//! - [`lower_bound`]`(&Problem) -> u64`: no plan has fewer repeated pairings; a schedule that
//!   reaches it is [`Schedule::optimal`] and the search stops there.
//! - [`best_room_for`]`(&Problem, &[Round], round, person) -> usize` seats a late arrival where
//!   they meet the most new people; [`without_person`]`(&[Round], from_round, person)` takes
//!   someone who left out of the remaining rounds; both leave everyone else in place. To even
//!   out later rounds, re-plan with `Problem::frozen` holding the rounds already held and
//!   `Problem::absent` the people not there.
//! - [`new_faces`]`(&Problem, &[Round], round, room) -> Vec<(person, count)>`: how many of their
//!   room-mates each member meets for the first time.
//! - [`parse_instances`] reads the reference instances the `rotation-bench` binary runs.
//!
//! Rounds are `Vec<Vec<usize>>`: rooms, each a list of person indices (`0..Problem::people`).
//!
//! # How it plans
//!
//! 1. The problem is checked in the caller's numbering, then restated over the people present
//!    with frozen rounds folded into history (`presence`), and compiled into tables (`rules`).
//! 2. A start: a known zero-repeat (or bound-meeting) design where one exists for the shape and
//!    fits the leads, locks and keep-apart rules (`designs`, `fit`): Kirkman's 15 schoolgirls,
//!    affine geometries over prime fields (16 in 4×4, 25 in 5×5, 32 in 8×4 for 9 rounds, with a
//!    subspace kept free so that leads never meet), stacked affine planes (3 rooms for any number
//!    of people above 9 over up to 3 rounds, 18 in 3×6, 20 in 4×5), and any of these with up to `rooms - 1` placeholder
//!    people removed afterwards (14 from 15, 31 from 32). Rounds the design does not cover come
//!    from a greedy construction (`greedy`).
//! 3. Tabu search over swaps of two people of one round, at least one of them in conflict, with
//!    incremental pair counts, a short random tenure, aspiration and restarts from the best plan
//!    (Dotú & Van Hentenryck 2005; `tabu`, `plan`). It stops at the lower bound (`bound`), at
//!    `SolveOptions::max_iterations` or when the time budget runs out.
//!
//! Same-organisation pairs are kept apart as a hard rule where leads, locks and room counts
//! allow; otherwise they become soft and every pair seated together is reported in
//! [`Score::soft_violations`], as are keep-together pairs seated apart. The search puts fewer
//! soft violations before fewer repeats (under `EvenSpread`, after the most meetings of a pair).

mod arrival;
mod bound;
mod designs;
mod error;
mod field;
mod fit;
mod greedy;
mod instances;
mod plan;
mod presence;
mod problem;
mod resolvable;
mod rules;
mod score;
pub mod session;
mod solve;
mod tabu;

pub use arrival::{best_room_for, without_person};
pub use bound::{lower_bound, max_meetings_lower_bound};
pub use error::RotationError;
pub use instances::{parse_instances, Instance, InstancesError};
pub use problem::{Lock, Objective, Problem, Round, SolveOptions};
pub use resolvable::zero_repeat_design;
pub use rules::MAX_PEOPLE;
pub use score::{new_faces, score, Score, SoftViolation};
pub use solve::{solve, solve_with, Progress, Schedule};
