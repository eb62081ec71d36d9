//! Checkpoints of the fold, so that undoing or redoing an act folds the log again only from
//! shortly before that act instead of from the start: on a long log a full refold froze the
//! console (168 ms at 100,000 comments).
//!
//! Events before the first one whose undone-ness changes fold exactly as they did, so the state
//! after them can be put back instead of recomputed. A checkpoint keeps that state every
//! [`DEFAULT_SPACING`] events, except the comments: they are most of a session, and once
//! captured they rarely change, so copying them at every checkpoint would multiply the memory.
//! Instead a checkpoint keeps how many comments there were, and the latest checkpoint a diary of
//! the comments changed since (each as it was at the checkpoint, written before its first change);
//! going back restores them from the diaries and drops the comments captured since, and the
//! feed's lists (`live`, `live_by_room`) are mended for just those comments.

use std::collections::HashMap;
use std::fmt;

use chrono::{DateTime, Utc};

use super::SessionState;
use crate::model::agenda::AgendaState;
use crate::model::broadcast::Broadcast;
use crate::model::comment::Comment;
use crate::model::ids::CommentId;
use crate::model::plan::Plan;
use crate::model::rooms::RoomsState;
use crate::model::vote::VotingState;

/// Events between two checkpoints unless a state asks otherwise. Undoing the latest act folds
/// at most this many events and those after the act; each checkpoint holds no comment, so at
/// 100,000 comments the ~100 of them cost little beside the comments themselves.
pub const DEFAULT_SPACING: usize = 1024;

/// The fold's checkpoints, oldest first. Bookkeeping only: two states that fold the same log
/// are equal whatever checkpoints each keeps.
#[derive(Clone)]
pub(super) struct Checkpoints {
    /// Events between two checkpoints.
    spacing: usize,
    list: Vec<Checkpoint>,
}

impl Default for Checkpoints {
    fn default() -> Self {
        Checkpoints { spacing: DEFAULT_SPACING, list: Vec::new() }
    }
}

impl PartialEq for Checkpoints {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl fmt::Debug for Checkpoints {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} checkpoints every {} events", self.list.len(), self.spacing)
    }
}

/// The fold after its first `at` events, comments aside.
#[derive(Clone)]
struct Checkpoint {
    /// Events folded.
    at: usize,
    /// Comments there were (numbered placeholders of undone ones included).
    comments: usize,
    /// The rooms `live_by_room` had a list for, empty ones included, as the fold left them.
    rooms_listed: Vec<Option<u32>>,
    last_seq: u64,
    last_at: Option<DateTime<Utc>>,
    theme_counts: HashMap<String, u32>,
    agenda: AgendaState,
    voting: VotingState,
    rooms: RoomsState,
    broadcasts: Vec<Broadcast>,
    /// Comments changed since (by position), as they were here; kept by the latest only.
    diary: HashMap<usize, Comment>,
}

impl Checkpoints {
    pub(super) fn with_spacing(spacing: usize) -> Self {
        Checkpoints { spacing: spacing.max(1), list: Vec::new() }
    }

    pub(super) fn spacing(&self) -> usize {
        self.spacing
    }

    /// How many are kept.
    pub(super) fn len(&self) -> usize {
        self.list.len()
    }

    /// Note comment `index` as it is, before it changes, if the latest checkpoint needs it.
    pub(super) fn before_change(&mut self, index: usize, comment: &Comment) {
        if let Some(latest) = self.list.last_mut() {
            if index < latest.comments {
                latest.diary.entry(index).or_insert_with(|| comment.clone());
            }
        }
    }
}

impl SessionState {
    /// Keep a checkpoint if `folded` events (all of the log so far) fall on the spacing.
    pub(super) fn checkpoint_if_due(&mut self, folded: usize) {
        let due = folded.is_multiple_of(self.checkpoints.spacing)
            && self.checkpoints.list.last().is_none_or(|latest| latest.at < folded);
        if due {
            let checkpoint = self.checkpoint(folded);
            self.checkpoints.list.push(checkpoint);
        }
    }

    fn checkpoint(&self, at: usize) -> Checkpoint {
        // Every field named: one added to the state must be decided on here.
        let SessionState {
            comments,
            live: _,
            live_by_room,
            last_seq,
            last_at,
            theme_counts,
            agenda,
            voting,
            rooms,
            log: _,
            undone: _,
            broadcasts,
            checkpoints: _,
        } = self;
        Checkpoint {
            at,
            comments: comments.len(),
            rooms_listed: live_by_room.keys().copied().collect(),
            last_seq: *last_seq,
            last_at: *last_at,
            theme_counts: theme_counts.clone(),
            agenda: agenda.clone(),
            voting: voting.clone(),
            rooms: rooms.clone(),
            broadcasts: broadcasts.clone(),
            diary: HashMap::new(),
        }
    }

    /// Put the state back to the latest checkpoint taken after at most `before` events (the
    /// start if none), dropping later checkpoints; returns how many events it holds. The log and
    /// the undone set are left as they are. Costs what changed since that checkpoint, not the
    /// length of the session.
    pub(super) fn restore_checkpoint(&mut self, plan: &Plan, before: usize) -> usize {
        let mut list = std::mem::take(&mut self.checkpoints.list);
        let keep = list.partition_point(|checkpoint| checkpoint.at <= before);
        let comments_then = list.get(keep.wrapping_sub(1)).map_or(0, |c| c.comments);
        // Each comment changed since, as it was then: latest diary first, so the earliest
        // record of a comment is the one left standing.
        let mut then: HashMap<usize, Comment> = HashMap::new();
        for checkpoint in list[keep.saturating_sub(1)..].iter_mut().rev() {
            then.extend(checkpoint.diary.drain().filter(|(index, _)| *index < comments_then));
        }
        list.truncate(keep);
        let at = list.last().map_or(0, |c| c.at);
        let SessionState {
            comments,
            live,
            live_by_room,
            last_seq,
            last_at,
            theme_counts,
            agenda,
            voting,
            rooms,
            log: _,
            undone: _,
            broadcasts,
            checkpoints,
        } = self;
        // The feed's lists: comments captured since go, changed ones go back to where they were.
        let first_new = CommentId::at(comments_then);
        comments.truncate(comments_then);
        live.truncate(live.partition_point(|id| *id < first_new));
        for list in live_by_room.values_mut() {
            list.truncate(list.partition_point(|id| *id < first_new));
        }
        for (index, old) in then {
            let Some(slot) = comments.get_mut(index) else { continue };
            if standing(slot) {
                unlist(live, slot.id);
                if let Some(list) = live_by_room.get_mut(&slot.room) {
                    unlist(list, slot.id);
                }
            }
            if standing(&old) {
                list_in_order(live, old.id);
                list_in_order(live_by_room.entry(old.room).or_default(), old.id);
            }
            *slot = old;
        }
        match list.last() {
            Some(checkpoint) => {
                *last_seq = checkpoint.last_seq;
                *last_at = checkpoint.last_at;
                theme_counts.clone_from(&checkpoint.theme_counts);
                agenda.clone_from(&checkpoint.agenda);
                voting.clone_from(&checkpoint.voting);
                rooms.clone_from(&checkpoint.rooms);
                broadcasts.clone_from(&checkpoint.broadcasts);
                // Rooms listed since (empty now) go; the fold never drops a room's list.
                live_by_room.retain(|room, _| checkpoint.rooms_listed.contains(room));
                for room in &checkpoint.rooms_listed {
                    live_by_room.entry(*room).or_default();
                }
            }
            None => {
                let start = SessionState::new(plan);
                *last_seq = start.last_seq;
                *last_at = start.last_at;
                *theme_counts = start.theme_counts;
                *agenda = start.agenda;
                *voting = start.voting;
                *rooms = start.rooms;
                *broadcasts = start.broadcasts;
                live_by_room.clear();
            }
        }
        checkpoints.list = list;
        at
    }
}

/// Whether the feed lists this comment.
fn standing(comment: &Comment) -> bool {
    !comment.retracted && !comment.undone
}

fn unlist(list: &mut Vec<CommentId>, id: CommentId) {
    if let Ok(at) = list.binary_search(&id) {
        list.remove(at);
    }
}

fn list_in_order(list: &mut Vec<CommentId>, id: CommentId) {
    if let Err(at) = list.binary_search(&id) {
        list.insert(at, id);
    }
}
