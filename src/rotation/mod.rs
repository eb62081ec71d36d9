//! Breakout-room rotation: who sits in which room in each round, so that people meet as many
//! different people as possible over a series. Pure and deterministic from a seed; no UI.
//!
//! # Using it
//!
//! - [`solve`]`(&Problem, &SolveOptions) -> Result<Schedule, RotationError>` plans every round
//!   after the frozen ones. Every present person sits in exactly one room per planned round,
//!   room sizes differ by at most one, leads sit in their rooms, locks hold, keep-apart pairs
//!   never share a room. Hard rules that cannot all hold give a [`RotationError`] naming them.
//! - [`solve_with`]`(&Problem, &SolveOptions, &AtomicBool, &mut dyn FnMut(Progress))` is the
//!   same for a worker thread: cancellable at any moment (the best plan so far comes back,
//!   marked [`Schedule::cancelled`]), with [`Progress`] reports at most every 50 ms.
//! - [`score`]`(&Problem, &[Round]) -> Score` recomputes a plan's score (after hand edits):
//!   repeats, the most times one pair meets, new pairings, seats meeting nobody new.
//! - [`lower_bound`]`(&Problem) -> u64`: no plan has fewer repeated pairings;
//!   [`max_meetings_lower_bound`]`(&Problem) -> u32`: every plan has a pair meeting this often.
//!   A schedule that provably cannot be bettered under its objective is
//!   [`Schedule::optimal`] and the search stops there.
//! - [`zero_repeat_design`]`(people, rooms)`: a plan in which nobody meets anyone twice, where a
//!   finite-field construction, or one doubled (`doubled`), reaches the shape.
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
//!    fits the leads, locks and keep-apart rules (`fit` relabels people and rooms): resolvable
//!    designs over finite fields GF(p^k) (`field`, `resolvable`: affine geometries, Kirkman
//!    triple systems, rooms of four), vector-space designs with a subspace kept free so that
//!    leads never meet (32 in 8×4 for 9 rounds), stacked affine planes (3 rooms for any number
//!    of people above 9 over up to 3 rounds, 18 in 3×6, 20 in 4×5; `designs`), and any of these
//!    with up to `rooms - 1` placeholder people removed afterwards (14 from 15, 20 from 21).
//!    Where these fall short of the rounds asked, a field design on half the people with each
//!    point doubled into twins, the twins' seats chosen by solving linear equations over GF(2)
//!    (`doubled`: 32 in 8×4 for 10 rounds, 18 in 6×3 for 8).
//!    Rounds the design does not cover come from a greedy construction (`greedy`).
//! 3. Tabu search over swaps of two people of one round, at least one of them in conflict, with
//!    incremental pair counts, a short random tenure, aspiration and restarts from the best plan
//!    (Dotú & Van Hentenryck 2005; `tabu`, `plan`). It stops at the lower bound (`bound`), at
//!    `SolveOptions::max_iterations` or when the time budget runs out.
//!
//! Same-organisation pairs are kept apart as a hard rule where leads, locks and room counts
//! allow; otherwise they become soft and every pair seated together is reported in
//! [`Score::soft_violations`], as are keep-together pairs seated apart. The search puts fewer
//! soft violations before everything else. The default objective, fair (`Objective::FAIR`),
//! then puts every pair within its cap (`bound::fair_cap`: the least most-meetings any plan
//! needs, raised only where holding it provably costs more than one repeat per person) before
//! fewer repeats; `MostNewPairings` minimises repeats alone.

mod arrival;
mod bound;
mod designs;
mod doubled;
mod error;
mod field;
mod fit;
mod greedy;
mod history;
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
pub use history::PairingHistory;
pub use instances::{parse_instances, Instance, InstancesError};
pub use problem::{Lock, Objective, Problem, Round, SolveOptions};
pub use resolvable::zero_repeat_design;
pub use rules::MAX_PEOPLE;
pub use score::{new_faces, score, Score, SoftViolation};
pub use solve::{solve, solve_with, Progress, Schedule};
