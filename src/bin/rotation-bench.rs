//! Runs the rotation planner on reference instances and prints how close it gets.
//!
//! Usage: `rotation-bench [INSTANCES_FILE] [--seed N] [--budget-ms N]`
//!
//! One line per instance, `<name> repeats=<n> bound=<b> reference=<r> ms=<t>`, then a summary.
//! `bound` is the planner's own lower bound (`convene::rotation::lower_bound`). The seed is
//! fixed, but each run stops at the bound or the time budget, so on a slower machine an
//! instance that needs the whole budget may end with a different result.

use convene::rotation::{parse_instances, solve, SolveOptions};
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
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        file: PathBuf::from(DEFAULT_INSTANCES),
        seed: DEFAULT_SEED,
        budget: Duration::from_millis(DEFAULT_BUDGET_MS),
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
            "-h" | "--help" => {
                return Err("usage: rotation-bench [INSTANCES_FILE] [--seed N] [--budget-ms N]".into())
            }
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
    let options = SolveOptions { seed: args.seed, time_budget: args.budget, max_iterations: None };
    let mut met_reference = 0;
    let mut at_bound = 0;
    let mut failed = 0;
    let mut total_ms = 0;
    for instance in &instances {
        let started = Instant::now();
        let result = solve(&instance.problem(), &options);
        let ms = started.elapsed().as_millis();
        total_ms += ms;
        match result {
            Ok(schedule) => {
                let repeats = schedule.score.repeats;
                println!(
                    "{} repeats={} bound={} reference={} ms={}",
                    instance.name, repeats, schedule.lower_bound, instance.reference, ms
                );
                met_reference += usize::from(repeats <= instance.reference);
                at_bound += usize::from(repeats <= schedule.lower_bound);
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
        "summary: instances={count} met_reference={met_reference}/{count} \
         at_bound={at_bound}/{count} errors={failed} total_ms={total_ms}"
    );
    if failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
