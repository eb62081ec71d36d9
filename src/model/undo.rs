//! Undo and redo as events. `Undone { seq }` and `Redone { seq }` join the log like any other
//! event; nothing is ever deleted. The fold leaves out what is undone (see
//! `SessionState::apply`), replay shows both, and reports read the log through [`counted`].
//!
//! An *act* is what one key did: usually one event, sometimes two recorded together (see
//! `Event::same_act_as`). Undo and redo take acts whole.

use std::collections::BTreeSet;

use super::event::{Actor, Event, Stamped};
use super::refusal::LogRefusal;
use super::state::FoldError;

/// The events undone at the end of `events`, after checking that every undo mark names an
/// earlier act that was counting (or, for a redo, undone) at that point.
pub fn undone_in(events: &[Stamped]) -> Result<BTreeSet<u64>, FoldError> {
    let mut undone = BTreeSet::new();
    for (at, stamped) in events.iter().enumerate() {
        let (seq, undo) = match stamped.event {
            Event::Undone { seq } => (seq, true),
            Event::Redone { seq } => (seq, false),
            _ => continue,
        };
        undone = toggled(&events[..at], &undone, seq, undo).map_err(|problem| FoldError {
            seq: stamped.seq,
            what: stamped.event.describe(),
            problem: Box::new(problem.into()),
        })?;
    }
    Ok(undone)
}

/// The undone set after undoing (or redoing) event `seq` of `log`, or why that cannot be.
pub fn toggled(
    log: &[Stamped],
    undone: &BTreeSet<u64>,
    seq: u64,
    undo: bool,
) -> Result<BTreeSet<u64>, LogRefusal> {
    let target = find(log, seq).ok_or(LogRefusal::NoEarlierEvent(seq))?;
    if target.event.is_undo_mark() {
        return Err(LogRefusal::UndoOfMark(seq));
    }
    let mut next = undone.clone();
    match (undo, next.contains(&seq)) {
        (true, false) => next.insert(seq),
        (false, true) => next.remove(&seq),
        (true, true) => return Err(LogRefusal::AlreadyUndone { seq, what: target.event.describe() }),
        (false, false) => return Err(LogRefusal::NotUndone { seq, what: target.event.describe() }),
    };
    Ok(next)
}

/// The event with this sequence number (the log is in sequence order).
pub fn find(log: &[Stamped], seq: u64) -> Option<&Stamped> {
    log.binary_search_by_key(&seq, |e| e.seq).ok().map(|at| &log[at])
}

/// The events that count at the end of `events`: neither undone nor an undo mark. Reports that
/// read the log itself (attendance, series history, timelines) read it through this.
pub fn counted(events: &[Stamped]) -> Vec<&Stamped> {
    // A log that fails its own checks is reported by the fold; here it simply counts whole.
    let undone = undone_in(events).unwrap_or_default();
    events.iter().filter(|e| !e.event.is_undo_mark() && !undone.contains(&e.seq)).collect()
}

/// The sequence numbers of `by`'s latest act that still counts, latest event first (the order
/// to undo them in), if there is one.
pub fn last_act(log: &[Stamped], undone: &BTreeSet<u64>, by: &Actor) -> Option<Vec<u64>> {
    let mut mine = log.iter().rev().filter(|e| {
        e.by == *by && !e.event.is_undo_mark() && !e.event.is_automatic() && !undone.contains(&e.seq)
    });
    let last = mine.next()?;
    Some(act_ending_at(log, last))
}

/// The events undone by `by`'s latest undo that still stands, earliest first (the order to redo
/// them in), as long as `by` has done nothing else since: a new act ends what can be redone.
pub fn last_undo(log: &[Stamped], undone: &BTreeSet<u64>, by: &Actor) -> Option<Vec<u64>> {
    let mut targets = Vec::new();
    let mut mark_at = None;
    for stamped in log.iter().rev().filter(|e| e.by == *by) {
        match &stamped.event {
            Event::Undone { seq } if undone.contains(seq) => {
                // One undo of a two-event act writes two marks at the same moment.
                match mark_at {
                    None => mark_at = Some(stamped.at),
                    Some(at) if at == stamped.at => {}
                    Some(_) => break,
                }
                targets.push(*seq);
            }
            Event::Undone { .. } | Event::Redone { .. } if targets.is_empty() => {}
            Event::Undone { .. } | Event::Redone { .. } => break,
            event if event.is_automatic() => {}
            _ if targets.is_empty() => return None,
            _ => break,
        }
    }
    targets.sort_unstable();
    (!targets.is_empty()).then_some(targets)
}

/// The act `last` ends: it and the events just before it that belong to the same act.
fn act_ending_at(log: &[Stamped], last: &Stamped) -> Vec<u64> {
    let mut act = vec![last.seq];
    let mut later = last;
    let at = log.partition_point(|e| e.seq < last.seq);
    for earlier in log[..at].iter().rev() {
        if earlier.by == last.by && earlier.at == later.at && earlier.event.same_act_as(&later.event) {
            act.push(earlier.seq);
            later = earlier;
        } else {
            break;
        }
    }
    act
}

/// The act event `seq` belongs to, latest event first: for undoing a chosen line of the history.
pub fn act_of(log: &[Stamped], seq: u64) -> Vec<u64> {
    let Some(at) = log.iter().position(|e| e.seq == seq) else { return vec![seq] };
    // Walk forward to the act's last event, then collect it backwards.
    let mut last = at;
    while let Some(next) = log.get(last + 1) {
        let this = &log[last];
        if next.by == this.by && next.at == this.at && this.event.same_act_as(&next.event) {
            last += 1;
        } else {
            break;
        }
    }
    act_ending_at(log, &log[last])
}
