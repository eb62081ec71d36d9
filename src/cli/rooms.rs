//! `convene rooms`: plan breakout rooms for the next rounds of a session, without a terminal.

use std::fmt::Write;
use std::path::Path;
use std::time::Duration;

use anyhow::Context;
use serde::Serialize;

use crate::rotation::session::{IdRound, SessionProblem};
use crate::rotation::{Objective, Schedule};
use crate::store::{earlier_in_series, load_read_only, rooms_history, Loaded};

/// What the solver was asked and what it found, for `--format ron`.
#[derive(Debug, Serialize)]
struct RoomsPlan {
    session: String,
    objective: Objective,
    seed: u64,
    history_rounds: usize,
    rounds: Vec<IdRound>,
    repeats: u64,
    new_pairings: u64,
    max_meetings: u32,
    nobody_new: u64,
    lower_bound: u64,
    max_meetings_bound: u32,
    fair_cap: u32,
    optimal: bool,
    soft_violations: Vec<String>,
}

/// Plan `rounds` rounds after those already held (earlier sessions of the series included).
pub fn plan_rooms(
    path: &Path,
    rounds: usize,
    seed: u64,
    budget: Duration,
    objective: Objective,
    as_ron: bool,
) -> anyhow::Result<String> {
    let loaded = load_read_only(path)?;
    let (earlier, problems) = earlier_in_series(path, &loaded.file.plan);
    let mut out = String::new();
    for problem in &problems {
        // Said, not hidden: a broken sibling file means history is missing from the plan.
        let _ = writeln!(out, "warning: not used as history: {problem}");
    }
    let history = rooms_history(&earlier);
    let session = SessionProblem::new(&loaded.file.plan, &loaded.state.rooms, &history, objective);
    let schedule = session
        .plan_rounds(rounds, seed, budget)
        .with_context(|| format!("{}: the rooms cannot be planned", path.display()))?;
    if as_ron {
        let plan = RoomsPlan {
            session: path.display().to_string(),
            objective,
            seed,
            history_rounds: history.round_count() + session.held.len(),
            rounds: schedule.rounds.iter().map(|r| session.to_ids(r)).collect(),
            repeats: schedule.score.repeats,
            new_pairings: schedule.score.new_pairings,
            max_meetings: schedule.score.max_meetings,
            nobody_new: schedule.score.nobody_new,
            lower_bound: schedule.lower_bound,
            max_meetings_bound: schedule.max_meetings_bound,
            fair_cap: schedule.fair_cap,
            optimal: schedule.optimal,
            soft_violations: schedule.score.soft_violations.iter().map(|v| format!("{v:?}")).collect(),
        };
        let text = crate::store::to_pretty_ron(&plan).context("encoding the plan")?;
        return Ok(out + &text + "\n");
    }
    out.push_str(&table(&loaded, &session, &schedule, earlier.len(), history.round_count()));
    Ok(out)
}

fn table(
    loaded: &Loaded,
    session: &SessionProblem,
    schedule: &Schedule,
    sessions: usize,
    history: usize,
) -> String {
    let plan = &loaded.file.plan;
    let name = |id: &str| plan.participant(id).map_or(id.to_string(), |p| p.name.clone());
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}: {} people in {} rooms; history: {} round(s) from {} earlier session(s), {} held in this one",
        plan.title,
        session.ids.len() - session.base.absent.len(),
        plan.rooms.len(),
        history,
        sessions,
        session.held.len()
    );
    for (r, round) in schedule.rounds.iter().enumerate() {
        let _ = writeln!(out, "\nRound {}", session.held.len() + r + 1);
        for (i, room) in session.to_ids(round).iter().enumerate() {
            let lead = plan.rooms.get(i).and_then(|room| room.lead.as_deref());
            let names: Vec<String> = room
                .iter()
                .map(|id| if Some(id.as_str()) == lead { format!("{} (lead)", name(id)) } else { name(id) })
                .collect();
            let _ = writeln!(out, "  {:<10} {}", plan.room_name(Some(i as u32)), names.join(", "));
        }
    }
    out.push_str(&score_lines(session.base.objective, schedule));
    out
}

/// The trade-off in words: what the plan gives on each measure, beside what is provably the
/// least possible, so a facilitator can see what the objective chose.
fn score_lines(objective: Objective, schedule: &Schedule) -> String {
    let score = &schedule.score;
    let mut out = String::new();
    let verdict = if schedule.optimal { "optimal" } else { "not proved optimal" };
    let name = match objective {
        Objective::EvenSpread => "fair: fewest meetings per pair first, then fewest repeats",
        Objective::MostNewPairings => "most new pairings: fewest repeats, however they fall",
    };
    let _ = writeln!(out, "\nObjective: {name} ({verdict})");
    let _ = writeln!(
        out,
        "  repeated pairings:      {} (no plan has fewer than {}{})",
        score.repeats,
        schedule.lower_bound,
        if objective == Objective::EvenSpread && schedule.fair_repeats_bound > schedule.lower_bound {
            format!(
                ", nor fewer than {} with no pair above {}",
                schedule.fair_repeats_bound, schedule.fair_cap
            )
        } else {
            String::new()
        }
    );
    let _ = writeln!(
        out,
        "  most times a pair met:  {} (every plan has a pair meeting {} time(s){})",
        score.max_meetings,
        schedule.max_meetings_bound,
        if objective == Objective::EvenSpread && schedule.fair_cap > schedule.max_meetings_bound {
            format!(
                "; fair allows {} where holding {} would cost over one new face per person",
                schedule.fair_cap, schedule.max_meetings_bound
            )
        } else {
            String::new()
        }
    );
    let _ = writeln!(out, "  meet nobody new:        {} seat(s) over the rounds planned", score.nobody_new);
    let _ = writeln!(out, "  new pairings:           {}", score.new_pairings);
    for violation in &score.soft_violations {
        let _ = writeln!(out, "  soft rule broken: {violation:?}");
    }
    out
}

/// Rooms for the call: Zoom's pre-assignment CSV or chat text, and who was left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoomsOut {
    /// What goes to the file or standard output.
    pub text: String,
    /// People left out of a Zoom file, each with why (said on stderr).
    pub left_out: Vec<String>,
}

/// Plan `rounds` rounds (present people only) and give them to the call: the first as Zoom's
/// pre-assignment file (Zoom takes one set per meeting), or all as chat text.
pub fn plan_rooms_out(
    path: &Path,
    rounds: usize,
    seed: u64,
    budget: Duration,
    objective: Objective,
    zoom: bool,
) -> anyhow::Result<RoomsOut> {
    if zoom && rounds != 1 {
        anyhow::bail!(
            "Zoom takes one set of pre-assignments per meeting: use --rounds 1 with --format zoom-csv (later rounds: --format text, for the chat)"
        );
    }
    let loaded = load_read_only(path)?;
    let (earlier, _) = earlier_in_series(path, &loaded.file.plan);
    let history = rooms_history(&earlier);
    let session = SessionProblem::new(&loaded.file.plan, &loaded.state.rooms, &history, objective);
    let schedule = session
        .plan_rounds(rounds, seed, budget)
        .with_context(|| format!("{}: the rooms cannot be planned", path.display()))?;
    let plan = &loaded.file.plan;
    let people = loaded.state.people();
    let planned: Vec<IdRound> = schedule.rounds.iter().map(|r| session.to_ids(r)).collect();
    if zoom {
        let first = planned.first().context("the solver returned no round")?;
        let file = crate::export::zoom::zoom_csv(plan, people, first)
            .with_context(|| format!("{}: round {}", path.display(), session.held.len() + 1))?;
        return Ok(RoomsOut { text: file.csv, left_out: file.left_out });
    }
    let text = planned
        .iter()
        .enumerate()
        .map(|(r, rooms)| crate::view::chat_text(plan, people, session.held.len() + r + 1, rooms))
        .collect::<Vec<_>>()
        .join("\n");
    Ok(RoomsOut { text, left_out: Vec::new() })
}

/// A held round (1 for the first) as Zoom's pre-assignment file.
pub fn held_round_for_zoom(path: &Path, round: usize) -> anyhow::Result<RoomsOut> {
    let loaded = load_read_only(path)?;
    let rounds = &loaded.state.rooms.rounds;
    let held = round.checked_sub(1).and_then(|r| rounds.get(r)).with_context(|| {
        format!(
            "{}: there is no round {round}: {} round(s) were held (plan one with `convene rooms {} --format zoom-csv`)",
            path.display(),
            rounds.len(),
            path.display()
        )
    })?;
    let file = crate::export::zoom::zoom_csv(&loaded.file.plan, loaded.state.people(), &held.rooms)
        .with_context(|| format!("{}: round {round}", path.display()))?;
    Ok(RoomsOut { text: file.csv, left_out: file.left_out })
}
