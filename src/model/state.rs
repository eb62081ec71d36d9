//! The fold: plan + events -> the state every view reads.

mod checkpoint;

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Utc};
use thiserror::Error;

use super::agenda::AgendaState;
use super::broadcast::Broadcast;
use super::comment::Comment;
use super::event::{Event, Stamped};
use super::ids::CommentId;
use super::people::WalkIn;
use super::plan::{Participant, Plan};
use super::refusal::{AgendaRefusal, CommentRefusal, LogRefusal, Refusal};
use super::rooms::RoomsState;
use super::vote::VotingState;

/// An event that cannot be applied: the log contradicts itself or the plan.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("event {seq} ({what}): {problem}")]
pub struct FoldError {
    /// Sequence number of the offending event.
    pub seq: u64,
    /// What the event was.
    pub what: String,
    /// What is wrong with it (its message says so in plain words); boxed, so a load error
    /// that carries it stays small.
    pub problem: Box<Refusal>,
}

/// The session as it stands after folding the log.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SessionState {
    /// Every comment ever added, indexed by `id - 1`.
    pub comments: Vec<Comment>,
    /// Ids of comments not retracted, in capture order: what the feed shows.
    pub live: Vec<CommentId>,
    /// The same per room (none: the plenary), so a one-room feed costs no more than the whole.
    pub live_by_room: HashMap<Option<u32>, Vec<CommentId>>,
    /// Sequence number of the last event applied (0 before any).
    pub last_seq: u64,
    /// Time of the last event applied.
    pub last_at: Option<DateTime<Utc>>,
    /// Live comments per theme name ("" for untagged), kept by the fold so screens never count.
    pub theme_counts: HashMap<String, u32>,
    /// Agenda timers.
    pub agenda: AgendaState,
    /// Candidates, votes and decisions.
    pub voting: VotingState,
    /// Breakout rooms by round.
    pub rooms: RoomsState,
    /// Every event applied, undo marks included: undoing one folds them again without it.
    log: Vec<Stamped>,
    /// Sequence numbers of the events undone (and not redone) so far.
    undone: BTreeSet<u64>,
    /// Messages to the rooms, oldest first.
    pub broadcasts: Vec<Broadcast>,
    /// Where an undo can fold again from; not part of what the state is (equality ignores it).
    checkpoints: checkpoint::Checkpoints,
}

impl SessionState {
    /// Fold a whole log, stopping at the first event that breaks an invariant.
    pub fn fold(plan: &Plan, events: &[Stamped]) -> Result<Self, FoldError> {
        // Undo marks are checked first, so one pass can leave out what ends up undone.
        let undone = super::undo::undone_in(events)?;
        Self::fold_leaving_out(plan, events, undone)
    }

    fn fold_leaving_out(plan: &Plan, events: &[Stamped], undone: BTreeSet<u64>) -> Result<Self, FoldError> {
        let mut state = SessionState { undone, ..SessionState::new(plan) };
        for event in events {
            state.apply_in_fold(plan, event)?;
        }
        Ok(state)
    }

    /// Every event applied so far, undo marks included, in order.
    pub fn log(&self) -> &[Stamped] {
        &self.log
    }

    /// The sequence numbers of the events undone (and not redone).
    pub fn undone(&self) -> &BTreeSet<u64> {
        &self.undone
    }

    /// Whether the event with this sequence number is undone (and not redone).
    pub fn is_undone(&self, seq: u64) -> bool {
        self.undone.contains(&seq)
    }

    /// The state before any event.
    pub fn new(plan: &Plan) -> Self {
        SessionState { agenda: AgendaState::new(plan), ..SessionState::default() }
    }

    /// The id the next captured comment gets.
    pub fn next_comment_id(&self) -> CommentId {
        CommentId::at(self.comments.len())
    }

    /// The comment with this id, retracted or not.
    pub fn comment(&self, id: CommentId) -> Option<&Comment> {
        id.index().and_then(|i| self.comments.get(i))
    }

    /// Comments still standing, in capture order.
    pub fn live_comments(&self) -> impl DoubleEndedIterator<Item = &Comment> + ExactSizeIterator {
        // Every live id was numbered by this fold, so its position is in `comments` (an id 0
        // could not be, and would fail as the out-of-range position it maps to).
        self.live.iter().map(|id| &self.comments[id.index().unwrap_or(usize::MAX)])
    }

    /// Apply one event; on error the state is unchanged. Undoing or redoing an event folds the
    /// log again from the latest checkpoint before it, and is refused if a later event would
    /// then not hold.
    pub fn apply(&mut self, plan: &Plan, stamped: &Stamped) -> Result<(), FoldError> {
        match &stamped.event {
            Event::Undone { seq } | Event::Redone { seq } => {
                self.check_order(stamped)?;
                let undo = matches!(stamped.event, Event::Undone { .. });
                let undone = super::undo::toggled(&self.log, &self.undone, *seq, undo)
                    .map_err(|problem| fail_with(stamped, problem))?;
                // Events before the one whose undone-ness changes fold as they did.
                let changed_at = self.log.partition_point(|e| e.seq < *seq);
                let kept = std::mem::replace(&mut self.undone, undone);
                match self.refold_from(plan, changed_at) {
                    Ok(()) => self.apply_in_fold(plan, stamped),
                    Err(broken) => {
                        self.undone = kept;
                        self.refold_unchanged(plan, changed_at);
                        let what = super::undo::find(&self.log, *seq).map(|e| e.event.describe());
                        let broken = Box::new(broken);
                        Err(fail_with(stamped, LogRefusal::WouldBreak { undo, target: what, broken }))
                    }
                }
            }
            _ => self.apply_in_fold(plan, stamped),
        }
    }

    /// Fold the log again, with the current undone set, from the latest checkpoint at or before
    /// event `from` (its position in the log). On error the state is half folded.
    fn refold_from(&mut self, plan: &Plan, from: usize) -> Result<(), FoldError> {
        let start = self.restore_checkpoint(plan, from);
        let log = std::mem::take(&mut self.log);
        let mut folded = Ok(());
        for (at, stamped) in log.iter().enumerate().skip(start) {
            folded = self.fold_one(plan, stamped);
            if folded.is_err() {
                break;
            }
            self.checkpoint_if_due(at + 1);
        }
        self.log = log;
        folded
    }

    /// Fold the log again after a refused undo or redo, with the undone set it had: that fold
    /// held before, so it holds again; should it not, the whole log is folded from the start.
    fn refold_unchanged(&mut self, plan: &Plan, from: usize) {
        if self.refold_from(plan, from).is_ok() {
            return;
        }
        let spacing = self.checkpoints.spacing();
        let log = std::mem::take(&mut self.log);
        let undone = std::mem::take(&mut self.undone);
        let mut fresh = SessionState::new(plan).with_checkpoint_spacing(spacing);
        fresh.undone = undone;
        for stamped in &log {
            // The same log folded with the same undone set before this refusal.
            if fresh.apply_in_fold(plan, stamped).is_err() {
                break;
            }
        }
        *self = fresh;
    }

    /// The same state keeping a checkpoint every `events` events (1,024 by default) from now
    /// on: fewer make an undo fold more events again, more cost memory. For tests and benches.
    pub fn with_checkpoint_spacing(mut self, events: usize) -> Self {
        self.checkpoints = checkpoint::Checkpoints::with_spacing(events);
        self
    }

    /// How many checkpoints the fold keeps (see [`SessionState::with_checkpoint_spacing`]).
    pub fn checkpoint_count(&self) -> usize {
        self.checkpoints.len()
    }

    fn check_order(&self, stamped: &Stamped) -> Result<(), FoldError> {
        if stamped.seq <= self.last_seq {
            return Err(fail_with(
                stamped,
                LogRefusal::OutOfSequence { seq: stamped.seq, last: self.last_seq },
            ));
        }
        Ok(())
    }

    /// Apply one event of a fold whose undone set is already known: an undone event counts for
    /// nothing (what it created keeps its number), an undo mark only joins the log.
    fn apply_in_fold(&mut self, plan: &Plan, stamped: &Stamped) -> Result<(), FoldError> {
        self.fold_one(plan, stamped)?;
        self.log.push(stamped.clone());
        self.checkpoint_if_due(self.log.len());
        Ok(())
    }

    /// What `apply_in_fold` does but keeping the event in the log: for events already there.
    fn fold_one(&mut self, plan: &Plan, stamped: &Stamped) -> Result<(), FoldError> {
        self.check_order(stamped)?;
        if self.undone.contains(&stamped.seq) {
            self.apply_undone(stamped).map_err(|problem| fail_with(stamped, problem))?;
        } else if !stamped.event.is_undo_mark() {
            self.apply_counted(plan, stamped).map_err(|problem| fail_with(stamped, problem))?;
        }
        self.last_seq = stamped.seq;
        self.last_at = Some(stamped.at);
        Ok(())
    }

    /// What an undone event leaves: the number of what it created, and nothing else.
    fn apply_undone(&mut self, stamped: &Stamped) -> Result<(), Refusal> {
        if let Event::CommentAdded { id, text, theme, room, author, pre_session } = &stamped.event {
            if *id != self.next_comment_id() {
                return Err(CommentRefusal::OutOfOrder { expected: self.next_comment_id() }.into());
            }
            let mut comment = captured(stamped, *id, text, theme, *room, author, *pre_session);
            comment.undone = true;
            self.comments.push(comment);
            return Ok(());
        }
        Ok(self.voting.placeholder(&stamped.event)?)
    }

    fn apply_counted(&mut self, plan: &Plan, stamped: &Stamped) -> Result<(), Refusal> {
        match &stamped.event {
            Event::CommentAdded { id, text, theme, room, author, pre_session } => {
                if *id != self.next_comment_id() {
                    return Err(CommentRefusal::OutOfOrder { expected: self.next_comment_id() }.into());
                }
                self.check_tags(plan, theme.as_deref(), *room, author.as_deref())?;
                self.comments.push(captured(stamped, *id, text, theme, *room, author, *pre_session));
                self.live.push(*id);
                self.live_by_room.entry(*room).or_default().push(*id);
                self.count_theme(theme.as_deref(), 1);
            }
            Event::CommentEdited { id, text } => {
                let comment = self.live_comment_mut(*id)?;
                comment.text = text.clone();
                comment.edits += 1;
            }
            Event::CommentRetagged { id, theme, room, author } => {
                self.check_tags(plan, theme.as_deref(), *room, author.as_deref())?;
                let comment = self.live_comment_mut(*id)?;
                let old_theme = std::mem::replace(&mut comment.theme, theme.clone());
                let old_room = std::mem::replace(&mut comment.room, *room);
                comment.author = author.clone();
                if old_room != *room {
                    self.unlist_from_room(old_room, *id);
                    let list = self.live_by_room.entry(*room).or_default();
                    let at = list.partition_point(|other| other < id);
                    list.insert(at, *id);
                }
                self.count_theme(old_theme.as_deref(), -1);
                self.count_theme(theme.as_deref(), 1);
            }
            Event::CommentRetracted { id } => {
                let comment = self.live_comment_mut(*id)?;
                comment.retracted = true;
                let (theme, room) = (comment.theme.clone(), comment.room);
                self.count_theme(theme.as_deref(), -1);
                // Ids in `live` ascend, so the position is found by binary search.
                if let Ok(pos) = self.live.binary_search(id) {
                    self.live.remove(pos);
                }
                self.unlist_from_room(room, *id);
            }
            Event::AgendaItemStarted { item } => self.agenda.start(*item as usize, stamped.at)?,
            Event::TimerPaused => self.agenda.pause(stamped.at)?,
            Event::TimerResumed => self.agenda.resume(stamped.at)?,
            Event::TimerExtended { minutes } => self.agenda.extend(plan, *minutes)?,
            Event::AgendaItemSkipped { item } => self.agenda.skip(*item as usize, stamped.at)?,
            Event::AgendaEnded => self.agenda.end(stamped.at)?,
            Event::CandidateAdded { id, text, source } => {
                if let Some(comment) = source {
                    self.comment(*comment).ok_or(CommentRefusal::NoSuchComment(*comment))?;
                }
                self.voting.add_candidate(*id, text, *source)?
            }
            Event::CandidateEdited { id, text } => self.voting.edit_candidate(*id, text)?,
            Event::CandidatesMerged { into, from } => self.voting.merge(*into, *from)?,
            Event::VoteOpened { vote, rules } => self.voting.open(*vote, rules)?,
            Event::DotPlaced { vote, voter, candidate } => self.voting.place(*vote, voter, *candidate)?,
            Event::DotRemoved { vote, voter, candidate } => self.voting.remove(*vote, voter, *candidate)?,
            Event::VoteClosed { vote } => self.voting.close(*vote)?,
            Event::DecisionOpened { id, question, rule, organisations, base } => {
                self.voting.open_decision_with(*id, question, *rule, *base, organisations)?
            }
            Event::DecisionAnswered { id, organisation, choice } => {
                self.voting.answer(*id, organisation, *choice)?
            }
            Event::DecisionRecorded { id } => self.voting.record(*id)?,
            Event::RoomsAssigned { round, rooms } => self.rooms.assign(plan, *round, rooms, stamped.at)?,
            Event::ParticipantMoved { id, room } => self.rooms.move_to(plan, id, *room)?,
            Event::ParticipantArrived { id, room } => self.rooms.arrive(plan, id, *room, stamped.at)?,
            Event::ParticipantLeft { id } => self.rooms.leave(plan, id, stamped.at)?,
            Event::ParticipantCheckedIn { id } => self.rooms.people.check_in(plan, id, stamped.at)?,
            Event::ParticipantAbsent { id } => self.rooms.mark_absent(plan, id)?,
            Event::ParticipantAdded { id, name, organisation, deputy_for, role, email } => {
                let person = Participant {
                    id: id.clone(),
                    name: name.clone(),
                    org: organisation.clone(),
                    role: *role,
                    email: email.clone(),
                };
                let walk_in = WalkIn { person, deputy_for: deputy_for.clone(), at: stamped.at };
                self.rooms.people.add(plan, walk_in)?
            }
            // Handled by `apply` and `apply_in_fold`.
            Event::Undone { .. } | Event::Redone { .. } => {}
            Event::Broadcast { text, bell, cause } => {
                if let Some(item) = cause.and_then(|c| c.item()) {
                    if item as usize >= plan.agenda.len() {
                        let items = plan.agenda.len();
                        return Err(AgendaRefusal::CauseOutOfRange { item: item as usize, items }.into());
                    }
                }
                self.broadcasts.push(Broadcast {
                    seq: stamped.seq,
                    at: stamped.at,
                    text: text.clone(),
                    bell: *bell,
                    cause: *cause,
                });
            }
            Event::AgendaRebalanced { items } => self.agenda.rebalance(items)?,
        }
        Ok(())
    }

    fn count_theme(&mut self, theme: Option<&str>, delta: i32) {
        let count = self.theme_counts.entry(theme.unwrap_or_default().to_string()).or_default();
        *count = count.saturating_add_signed(delta);
    }

    /// Live comments tagged with this theme (None: untagged).
    pub fn theme_count(&self, theme: Option<&str>) -> u32 {
        self.theme_counts.get(theme.unwrap_or_default()).copied().unwrap_or(0)
    }

    /// Live comment ids of one room (none: the plenary), ascending.
    pub fn live_in_room(&self, room: Option<u32>) -> &[CommentId] {
        self.live_by_room.get(&room).map_or(&[], Vec::as_slice)
    }

    fn unlist_from_room(&mut self, room: Option<u32>, id: CommentId) {
        if let Some(list) = self.live_by_room.get_mut(&room) {
            if let Ok(pos) = list.binary_search(&id) {
                list.remove(pos);
            }
        }
    }

    fn live_comment_mut(&mut self, id: CommentId) -> Result<&mut Comment, CommentRefusal> {
        let (index, comment) = id
            .index()
            .and_then(|i| self.comments.get_mut(i).map(|c| (i, c)))
            .ok_or(CommentRefusal::NoSuchComment(id))?;
        // Whatever happens to it next, the latest checkpoint can put it back.
        self.checkpoints.before_change(index, comment);
        if comment.undone {
            return Err(CommentRefusal::Undone(id));
        }
        if comment.retracted {
            return Err(CommentRefusal::AlreadyRetracted(id));
        }
        Ok(comment)
    }
}

/// A comment as the event that captured it says.
fn captured(
    stamped: &Stamped,
    id: CommentId,
    text: &str,
    theme: &Option<String>,
    room: Option<u32>,
    author: &Option<String>,
    pre_session: bool,
) -> Comment {
    Comment {
        id,
        text: text.to_string(),
        theme: theme.clone(),
        room,
        author: author.clone(),
        pre_session,
        added_at: stamped.at,
        added_seq: stamped.seq,
        captured_by: stamped.by.clone(),
        edits: 0,
        retracted: false,
        undone: false,
    }
}

fn fail_with(stamped: &Stamped, problem: impl Into<Refusal>) -> FoldError {
    FoldError { seq: stamped.seq, what: stamped.event.describe(), problem: Box::new(problem.into()) }
}

impl SessionState {
    /// The latest message to the rooms, if any was sent.
    pub fn latest_broadcast(&self) -> Option<&Broadcast> {
        self.broadcasts.last()
    }

    /// Who is there: the roll call, walk-ins, arrivals and departures.
    pub fn people(&self) -> &super::people::PeopleState {
        &self.rooms.people
    }

    /// The participant with this id: on the plan's list or added at the door.
    pub fn person<'a>(&'a self, plan: &'a Plan, id: &str) -> Option<&'a Participant> {
        self.rooms.people.person(plan, id)
    }

    /// Tags must name things the plan defines (or people added at the door), so reports never
    /// meet a dangling reference.
    fn check_tags(
        &self,
        plan: &Plan,
        theme: Option<&str>,
        room: Option<u32>,
        author: Option<&str>,
    ) -> Result<(), CommentRefusal> {
        if let Some(theme) = theme {
            if plan.theme(theme).is_none() {
                return Err(CommentRefusal::UnknownTheme(theme.to_string()));
            }
        }
        if let Some(room) = room {
            if room as usize >= plan.rooms.len() {
                return Err(CommentRefusal::RoomOutOfRange { room, rooms: plan.rooms.len() });
            }
        }
        if let Some(author) = author {
            if self.person(plan, author).is_none() {
                return Err(CommentRefusal::UnknownAuthor(author.to_string()));
            }
        }
        Ok(())
    }
}
