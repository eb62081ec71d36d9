//! Replay: the session as it was at any moment, rebuilt by folding the log up to that moment.
//! Pure: a position in the log, a replayed clock, playback with idle gaps compressed, and
//! markers for the timeline. The console around it lives in `app::replay`.

use chrono::{DateTime, Duration, Utc};

use crate::model::{Event, FoldError, SessionFile, SessionState, Stamped};

/// Playback speeds offered, in order.
pub const SPEEDS: [u32; 4] = [1, 2, 8, 60];

/// Quiet stretches longer than this (in session time) are cut down to it during playback,
/// like a terminal recorder's idle-time limit.
pub const IDLE_LIMIT: Duration = Duration::seconds(20);

/// What a timeline marker stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkerKind {
    /// An agenda item started.
    Agenda,
    /// Rooms were assigned for a round.
    Rooms,
    /// A vote opened or closed, or a decision was recorded.
    Vote,
}

/// A moment worth jumping to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marker {
    /// Events applied once the marker's event is in (its index + 1).
    pub position: usize,
    /// When it happened.
    pub at: DateTime<Utc>,
    /// What it is.
    pub kind: MarkerKind,
    /// A short label, e.g. "3 Breakout round 1: SWOT".
    pub label: String,
}

/// A session being replayed: the log, how much of it is applied, and the replayed clock.
/// The folded state is kept by the caller (the console's view) and passed in, so seeking
/// never copies it.
#[derive(Debug, Clone)]
pub struct Replay {
    file: SessionFile,
    /// Events applied so far: the caller's state is the fold of `events[..position]`.
    pub position: usize,
    /// The replayed moment (at or after the last applied event, before the next).
    pub now: DateTime<Utc>,
    /// Agenda items, room rounds and votes, in order.
    pub markers: Vec<Marker>,
    /// Session time skipped by the last idle compression, to show on screen.
    pub compressed: Option<Duration>,
}

impl Replay {
    /// Start at the very beginning (before the first event); the state to pair with it is
    /// `SessionState::new(&file.plan)`.
    pub fn new(file: SessionFile) -> Result<Replay, FoldError> {
        // Fold once up front so a broken log is reported before the console opens.
        file.fold()?;
        let markers = markers(&file);
        let now = file.events.first().map_or_else(Utc::now, |e| e.at);
        Ok(Replay { file, position: 0, now, markers, compressed: None })
    }

    /// The log replayed.
    pub fn events(&self) -> &[Stamped] {
        &self.file.events
    }

    /// The session's plan.
    pub fn file(&self) -> &SessionFile {
        &self.file
    }

    /// First and last event times.
    pub fn span(&self) -> (DateTime<Utc>, DateTime<Utc>) {
        let first = self.file.events.first().map_or(self.now, |e| e.at);
        let last = self.file.events.last().map_or(self.now, |e| e.at);
        (first, last)
    }

    /// Whether every event is applied.
    pub fn at_end(&self) -> bool {
        self.position == self.file.events.len()
    }

    /// Move to just after `position` events: forward by applying, backward by refolding.
    pub fn seek(&mut self, state: &mut SessionState, position: usize) {
        let position = position.min(self.file.events.len());
        if position < self.position {
            *state = SessionState::new(&self.file.plan);
            self.position = 0;
        }
        for stamped in &self.file.events[self.position..position] {
            // The whole log folded cleanly in `new`, so every prefix does too.
            let _ = state.apply(&self.file.plan, stamped);
        }
        self.position = position;
        self.now = match position {
            0 => self.span().0,
            p => self.file.events[p - 1].at,
        };
        self.compressed = None;
    }

    /// Move to the moment `at`: every event up to and including it applied.
    pub fn seek_time(&mut self, state: &mut SessionState, at: DateTime<Utc>) {
        let position = self.file.events.partition_point(|e| e.at <= at);
        self.seek(state, position);
        self.now = at.clamp(self.span().0, self.span().1);
    }

    /// One event forward or back.
    pub fn step(&mut self, state: &mut SessionState, forward: bool) {
        let target = if forward { self.position + 1 } else { self.position.saturating_sub(1) };
        self.seek(state, target);
    }

    /// Jump to the next (or previous) marker.
    pub fn jump(&mut self, state: &mut SessionState, forward: bool) -> Option<&Marker> {
        let target = if forward {
            self.markers.iter().find(|m| m.position > self.position)
        } else {
            self.markers.iter().rev().find(|m| m.position < self.position)
        }?
        .position;
        self.seek(state, target);
        self.markers.iter().find(|m| m.position == target)
    }

    /// Advance the replayed clock by `elapsed` session time, applying events as they come
    /// due, and cutting any quiet stretch longer than the idle limit down to it.
    pub fn advance(&mut self, state: &mut SessionState, elapsed: Duration) {
        let mut target = self.now + elapsed;
        if let Some(next) = self.file.events.get(self.position) {
            let last = self.position.checked_sub(1).map_or(self.now, |p| self.file.events[p].at);
            let gap = next.at - last;
            if gap > IDLE_LIMIT && target > last + IDLE_LIMIT && target < next.at {
                self.compressed = Some(gap - IDLE_LIMIT);
                target = next.at;
            }
        }
        let position = self.file.events.partition_point(|e| e.at <= target);
        let compressed = self.compressed;
        self.seek(state, position);
        self.compressed = compressed;
        self.now = target.min(self.span().1);
    }
}

/// Timeline markers: agenda items, room rounds, votes and decisions.
fn markers(file: &SessionFile) -> Vec<Marker> {
    file.events
        .iter()
        .enumerate()
        .filter_map(|(i, e)| {
            let (kind, label) = match &e.event {
                Event::AgendaItemStarted { item } => {
                    let title = file.plan.agenda.get(*item as usize).map_or("", |a| a.title.as_str());
                    (MarkerKind::Agenda, format!("{} {title}", item + 1))
                }
                Event::RoomsAssigned { round, .. } => {
                    (MarkerKind::Rooms, format!("rooms, round {}", round + 1))
                }
                Event::VoteOpened { vote, .. } => (MarkerKind::Vote, format!("vote {vote} opened")),
                Event::VoteClosed { vote } => (MarkerKind::Vote, format!("vote {vote} closed")),
                Event::DecisionRecorded { id } => (MarkerKind::Vote, format!("decision {id} recorded")),
                _ => return None,
            };
            Some(Marker { position: i + 1, at: e.at, kind, label })
        })
        .collect()
}
