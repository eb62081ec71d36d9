//! Runs the rotation planner on reference instances and prints how close it gets.
//!
//! Usage: `rotation-bench [INSTANCES_FILE] [--seed N] [--budget-ms N] [--iterations N]
//! [--objective fair|most-new]`
//!
//! One line per instance,
//! `<name> repeats=<n> max_pair=<m> bound=<b> reference=<r> ms=<t> max_pair_bound=<mb>
//! reference_max_pair=<rm> fair_cap=<c> fair_bound=<fb> nobody_new=<k> optimal=<bool>`, then a
//! summary. `bound` and
//! `max_pair_bound` are the planner's own lower bounds (`convene::rotation::lower_bound`,
//! `max_meetings_lower_bound`); `reference` and `reference_max_pair` are Good-Enough Golfers'
//! figures from the instances file. The seed is fixed, but without `--iterations` each run
//! stops at the bound or the time budget, so on a slower machine an instance that needs the
//! whole budget may end with a different result; with `--iterations` the plans are exactly
//! reproducible.

use convene::rotation::{parse_instances, solve, Objective, SolveOptions};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// Reference instances shipped with the crate.
const DEFAULT_INSTANCES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/benches/rotation/instances.ron");

/// Fixed so runs can be compared.
const DEFAULT_SEED: u64 = 1;

/// Long enough for the hard instances to settle, short enough to keep the run under a minute.
const DEFAULT_BUDGET_MS: u64 = 4000;

struct Args {
    file: PathBuf,
    seed: u64,
    budget: Duration,
    iterations: Option<u64>,
    objective: Objective,
}

const USAGE: &str = "usage: rotation-bench [INSTANCES_FILE] [--seed N] [--budget-ms N] [--iterations N] \
                     [--objective fair|most-new]";

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        file: PathBuf::from(DEFAULT_INSTANCES),
        seed: DEFAULT_SEED,
        budget: Duration::from_millis(DEFAULT_BUDGET_MS),
        iterations: None,
        objective: Objective::default(),
    };
    let mut file_given = false;
    let mut rest = std::env::args().skip(1);
    while let Some(arg) = rest.next() {
        let mut number = |flag: &str| -> Result<u64, String> {
            let value = rest.next().ok_or(format!("{flag} needs a number"))?;
            value.parse().map_err(|_| format!("{flag} needs a number, not {value:?}"))
        };
        match arg.as_str() {
            "--seed" => args.seed = number("--seed")?,
            "--budget-ms" => args.budget = Duration::from_millis(number("--budget-ms")?),
            "--iterations" => args.iterations = Some(number("--iterations")?),
            "--objective" => {
                let name = rest.next().ok_or("--objective needs fair or most-new")?;
                args.objective = Objective::from_name(&name)
                    .ok_or(format!("unknown objective {name:?}: use fair or most-new"))?;
            }
            "-h" | "--help" => return Err(USAGE.into()),
            _ if !file_given && !arg.starts_with("--") => {
                args.file = PathBuf::from(arg);
                file_given = true;
            }
            _ => return Err(format!("unexpected argument {arg:?}")),
        }
    }
    Ok(args)
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let path = args.file.display();
    let text = match std::fs::read_to_string(&args.file) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("{path}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let instances = match parse_instances(&text) {
        Ok(instances) => instances,
        Err(e) => {
            eprintln!("{path}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let options = SolveOptions { seed: args.seed, time_budget: args.budget, max_iterations: args.iterations };
    let mut met_reference = 0;
    let mut with_reference = 0;
    let mut beat_reference = 0;
    let mut at_bound = 0;
    let mut failed = 0;
    let mut total_ms = 0;
    for instance in &instances {
        let problem = convene::rotation::Problem { objective: args.objective, ..instance.problem() };
        let started = Instant::now();
        let result = solve(&problem, &options);
        let ms = started.elapsed().as_millis();
        total_ms += ms;
        match result {
            Ok(schedule) => {
                let score = &schedule.score;
                let (repeats, max_pair) = (score.repeats, score.max_meetings);
                let reference = instance.reference.unwrap_or(u64::MAX);
                let reference_max = instance.reference_max_pair.unwrap_or(u32::MAX);
                println!(
                    "{} repeats={} max_pair={} bound={} reference={} ms={} max_pair_bound={} reference_max_pair={} \
                     fair_cap={} fair_bound={} nobody_new={} optimal={}",
                    instance.name,
                    repeats,
                    max_pair,
                    schedule.lower_bound,
                    instance.reference.map_or("-".to_string(), |r| r.to_string()),
                    ms,
                    schedule.max_meetings_bound,
                    instance.reference_max_pair.map_or("-".to_string(), |m| m.to_string()),
                    schedule.fair_cap,
                    schedule.fair_repeats_bound,
                    score.nobody_new,
                    schedule.optimal
                );
                // Meeting the reference means no worse on both measures; beating it, better on one.
                let measured = instance.reference.is_some() || instance.reference_max_pair.is_some();
                let met = measured && repeats <= reference && max_pair <= reference_max;
                met_reference += usize::from(met);
                beat_reference += usize::from(met && (repeats < reference || max_pair < reference_max));
                with_reference += usize::from(measured);
                at_bound +=
                    usize::from(repeats <= schedule.lower_bound && max_pair <= schedule.max_meetings_bound);
                if schedule.lower_bound > instance.optimum.unwrap_or(u64::MAX) {
                    eprintln!(
                        "{}: bound {} exceeds the optimum {} given in {path}",
                        instance.name,
                        schedule.lower_bound,
                        instance.optimum.unwrap_or_default()
                    );
                }
            }
            Err(e) => {
                failed += 1;
                println!("{} error={} ms={}", instance.name, e, ms);
            }
        }
    }
    let count = instances.len();
    println!(
        "summary: objective={} instances={count} met_reference={met_reference}/{with_reference} \
         beat_reference={beat_reference}/{with_reference} at_both_bounds={at_bound}/{count} errors={failed} \
         total_ms={total_ms}",
        args.objective.name()
    );
    if failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
