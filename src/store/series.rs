//! The rest of a series: earlier sessions of the same series found beside a session file,
//! read without locking, so breakout rooms can avoid pairs that already met. Only the plan and
//! the room events of each sibling are parsed, and a copy of a session (same id) counts once.

use std::path::{Path, PathBuf};

use super::format::{parse_error, reader, session_text_of};
use super::journal::read_journal;
use super::layout::layout;
use super::StoreError;
use crate::model::{Event, Plan, RoomRound, SessionState, Stamped};
use crate::rotation::PairingHistory;

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
/// earlier date (or, without dates, an earlier file name). Copies of this session and second
/// copies of another (same session id) are left out. Files that fail to load are returned as
/// errors beside the rest, never silently dropped.
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
    let mut seen_ids: Vec<String> = plan.id.iter().cloned().collect();
    for candidate in candidates {
        match sibling(&candidate, series) {
            Ok(Some((other, rounds))) => {
                if let Some(id) = &other.id {
                    if seen_ids.contains(id) {
                        continue;
                    }
                }
                let earlier = match (&other.date, &plan.date) {
                    (Some(theirs), Some(ours)) => theirs < ours,
                    _ => candidate.file_name() < path.file_name(),
                };
                if earlier {
                    seen_ids.extend(other.id.clone());
                    found.push(EarlierSession { path: candidate, date: other.date, rounds });
                }
            }
            Ok(None) => {}
            Err(error) => problems.push(error),
        }
    }
    (found, problems)
}

/// A sibling's plan and rounds of rooms when it belongs to `series`.
fn sibling(path: &Path, series: &str) -> Result<Option<(Plan, Vec<RoomRound>)>, StoreError> {
    let Ok(bytes) = std::fs::read(path) else { return Ok(None) };
    let text = session_text_of(path, bytes)?;
    // Cheap filter first: a file that does not mention the series name cannot be in it.
    if !text.contains(series) {
        return Ok(None);
    }
    let unreadable = |what: &str| StoreError::Parse {
        path: path.to_path_buf(),
        line: 1,
        column: 1,
        message: format!("{what}; `convene check {}` says more", path.display()),
    };
    let layout = layout(&text).ok_or_else(|| unreadable("not a session file"))?;
    let plan_span = layout.plan.clone().ok_or_else(|| unreadable("no plan"))?;
    let (line_offset, _) = super::format::position_of(text.as_bytes(), plan_span.start);
    let plan: Plan =
        reader().from_str(&text[plan_span]).map_err(|e| parse_error(path, e, line_offset - 1))?;
    if plan.series.as_deref() != Some(series) {
        return Ok(None);
    }
    let mut rooms_events: Vec<Stamped> = Vec::new();
    if let Some((_, list)) = &layout.events {
        for item in &list.items {
            let event_text = &text[item.value.clone()];
            if is_rooms_event(event_text) {
                let (line, _) = super::format::position_of(text.as_bytes(), item.value.start);
                let event: Stamped =
                    reader().from_str(event_text).map_err(|e| parse_error(path, e, line - 1))?;
                // The name may only have been in a comment's text.
                if is_rooms(&event.event) {
                    rooms_events.push(event);
                }
            }
        }
    }
    if let Some(journal) = read_journal(path)? {
        let last = rooms_events.last().map_or(0, |e| e.seq);
        rooms_events.extend(journal.events.into_iter().filter(|e| e.seq > last && is_rooms(&e.event)));
    }
    let rooms_events = counted_rooms_events(rooms_events);
    let state = SessionState::fold(&plan, &rooms_events).map_err(|source| StoreError::Log {
        path: path.to_path_buf(),
        where_: String::new(),
        source,
    })?;
    Ok(Some((plan, state.rooms.rounds)))
}

/// Whether an event's text is one of the events that seat people in rooms.
fn is_rooms_event(text: &str) -> bool {
    ["RoomsAssigned", "ParticipantMoved", "ParticipantArrived", "ParticipantLeft", "Undone", "Redone"]
        .iter()
        .any(|name| text.contains(name))
}

fn is_rooms(event: &Event) -> bool {
    matches!(
        event,
        Event::RoomsAssigned { .. }
            | Event::ParticipantMoved { .. }
            | Event::ParticipantArrived { .. }
            | Event::ParticipantLeft { .. }
            | Event::Undone { .. }
            | Event::Redone { .. }
    )
}

/// The rooms events that count: an undone round (or move) is no pairing history. Undo marks of
/// other events name events not read here, so the set is kept by hand rather than folded.
fn counted_rooms_events(events: Vec<Stamped>) -> Vec<Stamped> {
    let mut undone = std::collections::BTreeSet::new();
    for stamped in &events {
        match stamped.event {
            Event::Undone { seq } => undone.insert(seq),
            Event::Redone { seq } => undone.remove(&seq),
            _ => false,
        };
    }
    events.into_iter().filter(|e| !e.event.is_undo_mark() && !undone.contains(&e.seq)).collect()
}

/// Whether two paths name the same file (after resolving links and `..`).
pub fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

/// Every round of rooms (participant ids) of the earlier sessions, in order: the pairing history.
pub fn rooms_history(sessions: &[EarlierSession]) -> PairingHistory {
    sessions.iter().map(|s| s.rounds.iter().map(|r| r.rooms.clone()).collect()).collect()
}
