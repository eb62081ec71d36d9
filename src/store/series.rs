//! The rest of a series: earlier sessions of the same series found beside a session file,
//! read without locking, so breakout rooms can avoid pairs that already met.

use std::path::{Path, PathBuf};

use super::session::load_read_only;
use super::StoreError;
use crate::model::{Plan, RoomRound};

/// An earlier session's rooms.
#[derive(Debug, Clone)]
pub struct EarlierSession {
    /// Its file.
    pub path: PathBuf,
    /// Its date, if the plan gives one.
    pub date: Option<String>,
    /// Its rounds of rooms.
    pub rounds: Vec<RoomRound>,
}

/// Earlier sessions of `plan`'s series in the directory of `path`: same series name and an
/// earlier date (or, without dates, an earlier file name). Files that fail to load are
/// returned as errors beside the rest, never silently dropped.
pub fn earlier_in_series(path: &Path, plan: &Plan) -> (Vec<EarlierSession>, Vec<StoreError>) {
    let mut found = Vec::new();
    let mut problems = Vec::new();
    let Some(series) = plan.series.as_deref() else {
        return (found, problems);
    };
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(source) => {
            problems.push(StoreError::Io { path: dir.to_path_buf(), action: "listing the series", source });
            return (found, problems);
        }
    };
    let mut candidates: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "ron") && !same_file(p, path))
        .collect();
    candidates.sort();
    for candidate in candidates {
        // Cheap filter first: a file that does not mention the series name cannot be in it.
        let Ok(text) = std::fs::read_to_string(&candidate) else { continue };
        if !text.contains(series) {
            continue;
        }
        match load_read_only(&candidate) {
            Ok(loaded) if loaded.file.plan.series.as_deref() == Some(series) => {
                let other = &loaded.file.plan;
                let earlier = match (&other.date, &plan.date) {
                    (Some(theirs), Some(ours)) => theirs < ours,
                    _ => candidate.file_name() < path.file_name(),
                };
                if earlier {
                    found.push(EarlierSession {
                        path: candidate,
                        date: other.date.clone(),
                        rounds: loaded.state.rooms.rounds,
                    });
                }
            }
            Ok(_) => {}
            Err(error) => problems.push(error),
        }
    }
    (found, problems)
}

/// Whether two paths name the same file (after resolving links and `..`).
pub fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

/// Every round of rooms (participant ids) of the earlier sessions, in order: the pairing history.
pub fn rooms_history(sessions: &[EarlierSession]) -> Vec<Vec<Vec<String>>> {
    sessions.iter().flat_map(|s| s.rounds.iter().map(|r| r.rooms.clone())).collect()
}
