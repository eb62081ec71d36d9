//! Planning every round together: a known design or a greedy start, improved by tabu search
//! until the lower bound is reached or the budget runs out.

use crate::rotation::bound::{fair_cap, repeats_bound, repeats_bound_capped, same_org_bound, Bounds};
use crate::rotation::designs::known_designs;
use crate::rotation::error::RotationError;
use crate::rotation::fit::fit;
use crate::rotation::greedy::construct;
use crate::rotation::plan::Plan;
use crate::rotation::presence::restate;
use crate::rotation::problem::{Objective, Problem, Round, SolveOptions};
use crate::rotation::rules::Rules;
use crate::rotation::score::{score, Score};
use crate::rotation::tabu::{improve, Limits, Stop};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

/// Every round of a plan, with its score.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schedule {
    /// All rounds of the plan: the frozen ones first, exactly as given, then the planned ones,
    /// each room's people (the caller's indices) in ascending order. Absentees are not seated
    /// in the planned rounds.
    pub rounds: Vec<Round>,
    /// Score of `rounds`, history included; equal to `score(problem, &rounds)`.
    pub score: Score,
    /// `lower_bound(problem)`: no plan has fewer repeated pairings.
    pub lower_bound: u64,
    /// `max_meetings_lower_bound(problem)`: in every plan some pair meets at least this often.
    pub max_meetings_bound: u32,
    /// The most meetings per pair the fair objective allows: `max_meetings_bound`, raised
    /// only where holding it would provably cost more than one extra repeat per person.
    pub fair_cap: u32,
    /// No plan in which no pair meets more than `fair_cap` times has fewer repeats.
    pub fair_repeats_bound: u64,
    /// Whether no plan can do better: repeats at the lower bound, soft violations at their
    /// unavoidable minimum and, for the fair objective, the most meetings of a pair at its
    /// bound. Only claimed when proved by the bounds.
    pub optimal: bool,
    /// Search moves made; 0 when the starting plan was already optimal.
    pub iterations: u64,
    /// Whether the search was cancelled: the plan is the best found until then.
    pub cancelled: bool,
}

/// How far a plan being made has got, for a progress display.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Progress {
    /// Repeated pairings of the best plan so far, among the people being seated (history
    /// included).
    pub repeats: u64,
    /// The most times one pair meets in the best plan so far.
    pub max_meetings: u32,
    /// Share of the budget used, `0.0..=1.0`: time or iterations, whichever is further.
    pub fraction: f64,
    /// Search moves made.
    pub iterations: u64,
}

/// Plans the rounds of `problem` after the frozen ones.
///
/// The result is a function of `problem` and `options.seed` alone whenever the search ends by
/// reaching the lower bound or `options.max_iterations`; when `options.time_budget` ends it,
/// how far it got depends on the machine's speed.
pub fn solve(problem: &Problem, options: &SolveOptions) -> Result<Schedule, RotationError> {
    solve_with(problem, options, &AtomicBool::new(false), &mut |_| {})
}

/// Plans like [`solve`], for a worker thread: stops soon after `cancel` is set (checked
/// before every search move, so within milliseconds) and returns the best plan found so far
/// with [`Schedule::cancelled`] set; calls `progress` at most every 50 ms, and once at the end,
/// with the best plan's figures and the share of the budget used.
///
/// ```no_run
/// use std::sync::atomic::{AtomicBool, Ordering};
/// use std::sync::Arc;
/// use convene::rotation::{solve_with, Problem, SolveOptions};
///
/// let cancel = Arc::new(AtomicBool::new(false));
/// let flag = Arc::clone(&cancel);
/// let worker = std::thread::spawn(move || {
///     let problem = Problem { people: 24, rooms: 4, rounds: 6, ..Problem::default() };
///     solve_with(&problem, &SolveOptions::default(), &flag, &mut |p| {
///         eprintln!("{:.0}%: {} repeats, max {}", p.fraction * 100.0, p.repeats, p.max_meetings)
///     })
/// });
/// cancel.store(true, Ordering::Relaxed); // the user pressed Esc: take the best so far
/// let schedule = worker.join().expect("planner thread");
/// ```
pub fn solve_with(
    problem: &Problem,
    options: &SolveOptions,
    cancel: &AtomicBool,
    progress: &mut dyn FnMut(Progress),
) -> Result<Schedule, RotationError> {
    let started = Instant::now();
    let deadline = started.checked_add(options.time_budget);
    let presence = restate(problem)?;
    let dense = &presence.dense;
    let relabel = |e: RotationError| e.relabel(&presence.people, presence.first_round);
    let mut rng = ChaCha8Rng::seed_from_u64(options.seed);
    // Same-organisation people are kept apart as a hard rule when the seating allows it; when
    // it leaves someone without a seat, the rule turns soft rather than failing.
    let (rules, start, orgs_hard) = match begin(dense, true, &mut rng) {
        Err(RotationError::NoSeat { .. }) if !dense.orgs.is_empty() => begin(dense, false, &mut rng),
        other => other,
    }
    .map_err(relabel)?;
    let mut last_report: Option<Instant> = None;
    let mut watch = |best: &Plan, iterations: u64| {
        let now = Instant::now();
        if last_report.is_some_and(|at| now.duration_since(at) < PROGRESS_EVERY) {
            return;
        }
        last_report = Some(now);
        progress(progress_of(&rules, best, iterations, started, options));
    };
    let mut plan = Plan::from_rounds(&rules, &start);
    let mut spent = 0u64;
    let mut stop = None;
    // Where the fair cap is 1, fair and most-new aim at the same plan (nobody meets twice), and
    // the search gets there more often while a third meeting is merely costly rather than
    // ruinous: scout for fewest repeats with half the budget, then settle the spread.
    if dense.objective == Objective::FAIR && fair_cap(dense) == 1 && dense.rounds > 1 {
        let fewest = Problem { objective: Objective::MostNewPairings, ..dense.clone() };
        let scout_rules = Rules::compile(&fewest, orgs_hard).map_err(relabel)?;
        let scout_goal = Goal::of(&scout_rules, &fewest);
        let half = Limits {
            deadline: started.checked_add(options.time_budget / 2),
            max_iterations: options.max_iterations.map(|cap| cap / 2),
            cancel: Some(cancel),
        };
        let scouted = improve(
            &scout_rules,
            Plan::from_rounds(&scout_rules, &start),
            &half,
            &mut rng,
            &|plan| scout_goal.reached(&scout_rules, plan),
            &mut watch,
        );
        spent = scouted.iterations;
        plan = Plan::from_rounds(&rules, &scouted.best.to_rounds());
        stop = (scouted.stop == Stop::Cancelled).then_some(Stop::Cancelled);
    }
    let goal = Goal::of(&rules, dense);
    let limits = Limits {
        deadline,
        max_iterations: options.max_iterations.map(|cap| cap.saturating_sub(spent)),
        cancel: Some(cancel),
    };
    let mut outcome = improve(
        &rules,
        plan,
        &limits,
        &mut rng,
        &|plan| goal.reached(&rules, plan),
        &mut |best, iterations| watch(best, spent + iterations),
    );
    outcome.iterations += spent;
    outcome.stop = stop.unwrap_or(outcome.stop);
    progress(Progress {
        fraction: 1.0,
        ..progress_of(&rules, &outcome.best, outcome.iterations, started, options)
    });
    let mut rounds = problem.frozen.clone();
    rounds.extend(outcome.best.to_rounds().into_iter().map(|round| {
        round
            .into_iter()
            .map(|room| {
                let mut room: Vec<usize> = room.into_iter().map(|p| presence.people[p]).collect();
                room.sort_unstable();
                room
            })
            .collect::<Round>()
    }));
    let score = score(problem, &rounds);
    let bounds = Bounds::of(problem, &presence);
    let soft_least = score.soft_violations.len() as u64 <= bounds.soft;
    // Fair is judged against what it aims for: the fair cap, and the fewest repeats under it.
    let optimal = soft_least
        && match problem.objective {
            Objective::MostNewPairings => score.repeats <= bounds.repeats,
            Objective::EvenSpread => {
                score.max_meetings <= bounds.fair_cap && score.repeats <= bounds.fair_repeats
            }
        };
    Ok(Schedule {
        rounds,
        score,
        lower_bound: bounds.repeats,
        max_meetings_bound: bounds.max_meetings,
        fair_cap: bounds.fair_cap,
        fair_repeats_bound: bounds.fair_repeats,
        optimal,
        iterations: outcome.iterations,
        cancelled: outcome.stop == Stop::Cancelled,
    })
}

/// How often a planner reports progress: often enough for a smooth bar, rarely enough that
/// scoring the best plan (`O(n²)`) costs nothing noticeable.
const PROGRESS_EVERY: Duration = Duration::from_millis(50);

/// The best plan's figures and the share of the budget used.
fn progress_of(
    rules: &Rules,
    best: &Plan,
    iterations: u64,
    started: Instant,
    options: &SolveOptions,
) -> Progress {
    let n = rules.n;
    let mut repeats = 0u64;
    let mut most = 0u32;
    for a in 0..n {
        for &m in &best.meets[a * n + a + 1..(a + 1) * n] {
            repeats += u64::from(m.saturating_sub(1));
            most = most.max(m);
        }
    }
    let budget = options.time_budget.as_secs_f64();
    let by_time = if budget > 0.0 { started.elapsed().as_secs_f64() / budget } else { 1.0 };
    let by_moves = options.max_iterations.map_or(0.0, |cap| iterations as f64 / cap.max(1) as f64);
    Progress { repeats, max_meetings: most, fraction: by_time.max(by_moves).clamp(0.0, 1.0), iterations }
}

/// Compiles the rules and builds a complete starting plan: a known design where one fits the
/// people and rules, completed round by round with the greedy construction.
fn begin(
    dense: &Problem,
    orgs_hard: bool,
    rng: &mut ChaCha8Rng,
) -> Result<(Rules, Vec<Round>, bool), RotationError> {
    let rules = Rules::compile(dense, orgs_hard)?;
    // Designs know nothing of who met before, so they only help a fresh start.
    let fresh = rules.history.iter().all(|&m| m == 0);
    let designed = if fresh && rules.rounds > 0 { designed_start(dense, &rules, orgs_hard) } else { None };
    let rounds = construct(&rules, &designed.unwrap_or_default(), rng)?;
    Ok((rules, rounds, orgs_hard))
}

/// Leading rounds from a known design fitted to the people and rules, if one fits.
///
/// When no design seats exactly the people present, one for up to `rooms - 1` more is tried
/// with placeholders for the missing, kept in different rooms so that taking them out leaves
/// the rooms balanced (14 people in 5 rooms from Kirkman's 15, 31 in 8 rooms from 32).
fn designed_start(dense: &Problem, rules: &Rules, orgs_hard: bool) -> Option<Vec<Round>> {
    let n = dense.people;
    let leads = dense.room_leads.iter().flatten().count();
    let stacks = dense.objective == Objective::MostNewPairings;
    for extra in 0..dense.rooms {
        let designs = known_designs(n + extra, dense.rooms, dense.rounds, stacks, leads.max(extra));
        if designs.is_empty() {
            continue;
        }
        if extra == 0 {
            return designs.iter().find_map(|design| fit(rules, design));
        }
        let padded = Rules::compile(&with_placeholders(dense, extra), orgs_hard).ok()?;
        let fitted = designs.iter().find_map(|design| fit(&padded, design))?;
        return Some(
            fitted
                .into_iter()
                .map(|round| {
                    round.into_iter().map(|room| room.into_iter().filter(|&p| p < n).collect()).collect()
                })
                .collect(),
        );
    }
    None
}

/// `dense` with `extra` placeholder people `n..n + extra` who must sit in different rooms and
/// belong to no organisation of anyone else.
fn with_placeholders(dense: &Problem, extra: usize) -> Problem {
    let n = dense.people;
    let mut padded = dense.clone();
    padded.people = n + extra;
    for a in n..n + extra {
        for b in a + 1..n + extra {
            padded.keep_apart.push((a, b));
        }
    }
    if !padded.orgs.is_empty() {
        let unused = (0..=u32::MAX).filter(|org| !dense.orgs.contains(org));
        padded.orgs.extend(unused.take(extra));
    }
    padded
}

/// When the search may stop: every part of the cost at its lower bound.
struct Goal {
    repeats: u64,
    soft_cost: i64,
    max_meetings: Option<u32>,
}

impl Goal {
    fn of(rules: &Rules, dense: &Problem) -> Goal {
        let soft = dense.rounds as u64 * same_org_bound(dense);
        let soft_cost = rules.soft_weight.saturating_mul(i64::try_from(soft).unwrap_or(i64::MAX));
        match dense.objective {
            Objective::MostNewPairings => {
                Goal { repeats: repeats_bound(dense), soft_cost, max_meetings: None }
            }
            Objective::EvenSpread => {
                let cap = fair_cap(dense);
                Goal { repeats: repeats_bound_capped(dense, cap), soft_cost, max_meetings: Some(cap) }
            }
        }
    }

    /// Whether `plan` provably cannot be improved.
    fn reached(&self, rules: &Rules, plan: &Plan) -> bool {
        let n = rules.n;
        let mut pair_cost = 0i64;
        let mut repeats = 0u64;
        let mut most = 0u32;
        for a in 0..n {
            for &m in &plan.meets[a * n + a + 1..(a + 1) * n] {
                pair_cost += rules.cost_of(m);
                repeats += u64::from(m.saturating_sub(1));
                most = most.max(m);
            }
        }
        // The rest of the cost is soft-rule weight.
        repeats <= self.repeats
            && plan.cost - pair_cost <= self.soft_cost
            && self.max_meetings.is_none_or(|bound| most <= bound)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Tabu search alone, from the greedy start, with no design to lean on, for fewest repeats.
    fn searched(people: usize, rooms: usize, rounds: usize, seed: u64) -> u64 {
        let problem =
            Problem { people, rooms, rounds, objective: Objective::MostNewPairings, ..Problem::default() };
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let rules = Rules::compile(&problem, true).unwrap();
        let start = construct(&rules, &[], &mut rng).unwrap();
        let goal = Goal::of(&rules, &problem);
        let limits = Limits { deadline: None, max_iterations: Some(200_000), cancel: None };
        let outcome = improve(
            &rules,
            Plan::from_rounds(&rules, &start),
            &limits,
            &mut rng,
            &|plan| goal.reached(&rules, plan),
            &mut |_, _| {},
        );
        score(&problem, &outcome.best.to_rounds()).repeats
    }

    #[test]
    fn search_alone_finds_zero_repeat_designs() {
        assert_eq!(searched(15, 5, 7, 1), 0, "Kirkman's schoolgirls");
        assert_eq!(searched(16, 4, 5, 1), 0, "affine plane of order 4");
        assert_eq!(searched(25, 5, 6, 1), 0, "affine plane of order 5");
        assert_eq!(searched(32, 8, 7, 1), 0, "32 golfers, 7 weeks");
        assert_eq!(searched(30, 6, 5, 1), 0, "30 in 6 rooms of 5, 5 rounds");
    }
}
