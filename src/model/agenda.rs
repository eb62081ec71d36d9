//! The agenda timer as a fold of events. Every time shown is computed from event stamps and
//! the clock reading passed in, never by counting ticks, so the display cannot drift and a
//! session reopened after a crash shows the right remaining time.

use chrono::{DateTime, Duration, Utc};

use super::event::ItemMinutes;
use super::plan::Plan;
use super::refusal::AgendaRefusal;

/// Default minutes before the end at which an item warns.
pub const DEFAULT_WARN_MINUTES: u32 = 2;

/// Where one agenda item stands.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ItemStatus {
    /// Not reached yet.
    #[default]
    Pending,
    /// The current item, timer running.
    Running,
    /// The current item, timer paused.
    Paused,
    /// Finished (it may be reopened by going back).
    Done,
    /// Passed over.
    Skipped,
}

/// A span during which an item's timer ran; `to` is open while it runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Run {
    /// When the timer started or resumed.
    pub from: DateTime<Utc>,
    /// When it stopped, paused or the item ended.
    pub to: Option<DateTime<Utc>>,
}

/// The timing facts of one agenda item.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ItemTimer {
    /// Where it stands.
    pub status: ItemStatus,
    /// Every span its timer ran.
    pub runs: Vec<Run>,
    /// Minutes added (or taken back, negative) to the plan's minutes.
    pub extension_minutes: i32,
    /// When it first started.
    pub started_at: Option<DateTime<Utc>>,
    /// When it last ended (done or skipped).
    pub ended_at: Option<DateTime<Utc>>,
    /// Minutes a rebalance gave it in place of the plan's, if one did.
    pub rebalanced: Option<u32>,
}

/// How an item looks on screen at a given moment: said in words and symbols, not only colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Not reached yet.
    Pending,
    /// Running with time to spare.
    Running,
    /// Running with little time left.
    Warning,
    /// Running past its allotted time.
    Overrun,
    /// Timer paused.
    Paused,
    /// Finished.
    Done,
    /// Passed over.
    Skipped,
}

impl Phase {
    /// A symbol that carries the state without colour.
    pub fn symbol(self) -> &'static str {
        match self {
            Phase::Pending => "·",
            Phase::Running => "▶",
            Phase::Warning => "⚠",
            Phase::Overrun => "‼",
            Phase::Paused => "⏸",
            Phase::Done => "✓",
            Phase::Skipped => "✗",
        }
    }

    /// A word for the state.
    pub fn label(self) -> &'static str {
        match self {
            Phase::Pending => "to come",
            Phase::Running => "running",
            Phase::Warning => "nearly out",
            Phase::Overrun => "OVERRUN",
            Phase::Paused => "PAUSED",
            Phase::Done => "done",
            Phase::Skipped => "skipped",
        }
    }
}

/// The session's schedule at a glance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Projection {
    /// When the session started.
    pub started_at: DateTime<Utc>,
    /// Start plus the plan's total minutes.
    pub planned_end: DateTime<Utc>,
    /// When it will end at this rate (or did end), counting pauses and extensions.
    pub projected_end: DateTime<Utc>,
    /// Whether the agenda has ended.
    pub ended: bool,
}

impl Projection {
    /// Projected minus planned end: positive when running over.
    pub fn drift(&self) -> Duration {
        self.projected_end - self.planned_end
    }
}

/// The agenda's timing, folded from the log.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AgendaState {
    /// One timer per plan item, in plan order.
    pub items: Vec<ItemTimer>,
    /// The item now running or paused.
    pub current: Option<usize>,
    /// When the first item started: the session's start.
    pub started_at: Option<DateTime<Utc>>,
    /// When the agenda was ended.
    pub ended_at: Option<DateTime<Utc>>,
    /// The item most recently current, so "next" knows where it is between items.
    pub last: Option<usize>,
}

impl AgendaState {
    /// Timers for a plan, nothing started.
    pub fn new(plan: &Plan) -> Self {
        AgendaState { items: vec![ItemTimer::default(); plan.agenda.len()], ..AgendaState::default() }
    }

    fn timer(&self, item: usize) -> Result<&ItemTimer, AgendaRefusal> {
        self.items.get(item).ok_or(AgendaRefusal::NoSuchItem { item, items: self.items.len() })
    }

    fn current_timer(&mut self) -> Result<(usize, &mut ItemTimer), AgendaRefusal> {
        let index = self.current.ok_or(AgendaRefusal::NoCurrentItem)?;
        Ok((index, &mut self.items[index]))
    }

    /// Stop the current item's clock at `at` and mark it `status`.
    fn end_current(&mut self, at: DateTime<Utc>, status: ItemStatus) {
        if let Some(index) = self.current.take() {
            let timer = &mut self.items[index];
            close_run(timer, at);
            timer.status = status;
            timer.ended_at = Some(at);
        }
    }

    /// An item starts: the current one (if any) is done. Starting the current item again
    /// changes nothing; starting a finished item reopens it and its time keeps adding up.
    pub fn start(&mut self, item: usize, at: DateTime<Utc>) -> Result<(), AgendaRefusal> {
        self.timer(item)?;
        if self.current == Some(item) {
            return Ok(());
        }
        self.end_current(at, ItemStatus::Done);
        let timer = &mut self.items[item];
        timer.status = ItemStatus::Running;
        timer.runs.push(Run { from: at, to: None });
        timer.started_at.get_or_insert(at);
        timer.ended_at = None;
        self.current = Some(item);
        self.last = Some(item);
        self.started_at.get_or_insert(at);
        self.ended_at = None;
        Ok(())
    }

    /// Pause the current item's timer.
    pub fn pause(&mut self, at: DateTime<Utc>) -> Result<(), AgendaRefusal> {
        let (_, timer) = self.current_timer()?;
        if timer.status != ItemStatus::Running {
            return Err(AgendaRefusal::AlreadyPaused);
        }
        close_run(timer, at);
        timer.status = ItemStatus::Paused;
        Ok(())
    }

    /// Resume the current item's timer.
    pub fn resume(&mut self, at: DateTime<Utc>) -> Result<(), AgendaRefusal> {
        let (_, timer) = self.current_timer()?;
        if timer.status != ItemStatus::Paused {
            return Err(AgendaRefusal::NotPaused);
        }
        timer.runs.push(Run { from: at, to: None });
        timer.status = ItemStatus::Running;
        Ok(())
    }

    /// Add minutes to the current item (negative takes them back; at least one minute stays).
    pub fn extend(&mut self, plan: &Plan, minutes: i32) -> Result<(), AgendaRefusal> {
        let (index, timer) = self.current_timer()?;
        let planned = timer.rebalanced.or(plan.agenda.get(index).map(|i| i.minutes)).unwrap_or(0) as i64;
        let allotted = planned + timer.extension_minutes as i64 + minutes as i64;
        if allotted < 1 {
            return Err(AgendaRefusal::TooShort { allotted });
        }
        timer.extension_minutes += minutes;
        Ok(())
    }

    /// Pass over an item: the current one (its clock stops) or one still to come.
    pub fn skip(&mut self, item: usize, at: DateTime<Utc>) -> Result<(), AgendaRefusal> {
        let status = self.timer(item)?.status;
        if self.current == Some(item) {
            self.end_current(at, ItemStatus::Skipped);
            return Ok(());
        }
        match status {
            ItemStatus::Pending => {
                self.items[item].status = ItemStatus::Skipped;
                Ok(())
            }
            ItemStatus::Skipped => Err(AgendaRefusal::AlreadySkipped(item)),
            _ => Err(AgendaRefusal::AlreadyRan(item)),
        }
    }

    /// The session's agenda is over: the current item is done.
    pub fn end(&mut self, at: DateTime<Utc>) -> Result<(), AgendaRefusal> {
        if self.started_at.is_none() {
            return Err(AgendaRefusal::NeverStarted);
        }
        self.end_current(at, ItemStatus::Done);
        self.ended_at = Some(at);
        Ok(())
    }

    /// Time the item's timer has run, up to `now` if it is running.
    pub fn elapsed(&self, item: usize, now: DateTime<Utc>) -> Duration {
        self.items.get(item).map_or(Duration::zero(), |timer| {
            timer.runs.iter().map(|run| (run.to.unwrap_or(now) - run.from).max(Duration::zero())).sum()
        })
    }

    /// The minutes the item is planned to take now: the plan's, or a rebalance's.
    pub fn planned_minutes(&self, plan: &Plan, item: usize) -> u32 {
        self.items
            .get(item)
            .and_then(|t| t.rebalanced)
            .or(plan.agenda.get(item).map(|i| i.minutes))
            .unwrap_or(0)
    }

    /// Planned minutes (as rebalanced) plus extensions.
    pub fn allotted(&self, plan: &Plan, item: usize) -> Duration {
        let planned = self.planned_minutes(plan, item) as i64;
        let extension = self.items.get(item).map_or(0, |t| t.extension_minutes as i64);
        Duration::minutes(planned + extension)
    }

    /// Items still to come get new lengths, all or none: each must exist, not have started or
    /// been skipped, keep at least a minute, and be named once.
    pub fn rebalance(&mut self, lengths: &[ItemMinutes]) -> Result<(), AgendaRefusal> {
        if lengths.is_empty() {
            return Err(AgendaRefusal::EmptyRebalance);
        }
        for (i, length) in lengths.iter().enumerate() {
            let item = length.item as usize;
            let timer = self.timer(item)?;
            if timer.status != ItemStatus::Pending {
                return Err(AgendaRefusal::NotToCome(item));
            }
            if length.minutes == 0 {
                return Err(AgendaRefusal::NoMinutes(item));
            }
            if lengths[..i].iter().any(|other| other.item == length.item) {
                return Err(AgendaRefusal::NamedTwice(item));
            }
        }
        for length in lengths {
            self.items[length.item as usize].rebalanced = Some(length.minutes);
        }
        Ok(())
    }

    /// Allotted minus elapsed: negative once the item overruns.
    pub fn remaining(&self, plan: &Plan, item: usize, now: DateTime<Utc>) -> Duration {
        self.allotted(plan, item) - self.elapsed(item, now)
    }

    /// How the item should look at `now`.
    pub fn phase(&self, plan: &Plan, item: usize, now: DateTime<Utc>) -> Phase {
        let Some(timer) = self.items.get(item) else {
            return Phase::Pending;
        };
        match timer.status {
            ItemStatus::Pending => Phase::Pending,
            ItemStatus::Done => Phase::Done,
            ItemStatus::Skipped => Phase::Skipped,
            ItemStatus::Paused => Phase::Paused,
            ItemStatus::Running => {
                let remaining = self.remaining(plan, item, now);
                let warn = plan.agenda.get(item).and_then(|i| i.warn_minutes).unwrap_or(DEFAULT_WARN_MINUTES);
                if remaining <= Duration::zero() {
                    Phase::Overrun
                } else if remaining <= Duration::minutes(warn as i64) {
                    Phase::Warning
                } else {
                    Phase::Running
                }
            }
        }
    }

    /// The item "next" moves to: the first after the current (or the last one run) that is
    /// not skipped, reopening it if it already ran; none once the agenda has ended.
    pub fn next_item(&self) -> Option<usize> {
        if self.ended_at.is_some() {
            return None;
        }
        let from = self.current.or(self.last).map_or(0, |c| c + 1);
        (from..self.items.len()).find(|&i| self.items[i].status != ItemStatus::Skipped)
    }

    /// Planned against projected end, once the session has started.
    pub fn projection(&self, plan: &Plan, now: DateTime<Utc>) -> Option<Projection> {
        let started_at = self.started_at?;
        let planned_end = started_at + Duration::minutes(plan.planned_minutes() as i64);
        if let Some(ended) = self.ended_at {
            return Some(Projection { started_at, planned_end, projected_end: ended, ended: true });
        }
        // What is left of the current item (nothing once it overruns), then every item to come.
        let current_left =
            self.current.map_or(Duration::zero(), |c| self.remaining(plan, c, now).max(Duration::zero()));
        let to_come: Duration = (0..self.items.len())
            .filter(|&i| self.items[i].status == ItemStatus::Pending)
            .map(|i| self.allotted(plan, i))
            .sum();
        Some(Projection {
            started_at,
            planned_end,
            projected_end: now + current_left + to_come,
            ended: false,
        })
    }
}

fn close_run(timer: &mut ItemTimer, at: DateTime<Utc>) {
    if let Some(run) = timer.runs.last_mut().filter(|r| r.to.is_none()) {
        run.to = Some(at);
    }
}

/// `mm:ss` of a positive duration, rounding up so a countdown shows 00:01 until it is out.
pub fn countdown(duration: Duration) -> String {
    let seconds = (duration.num_milliseconds().max(0) + 999) / 1000;
    format!("{:02}:{:02}", seconds / 60, seconds % 60)
}

/// `mm:ss` of an overrun (rounded down, so it reads +00:00 at the moment it begins).
pub fn overrun(duration: Duration) -> String {
    let seconds = duration.num_seconds().max(0);
    format!("+{:02}:{:02}", seconds / 60, seconds % 60)
}

/// Whole minutes, rounded to nearest, for "planned vs actual".
pub fn minutes(duration: Duration) -> i64 {
    (duration.num_seconds() + 30).div_euclid(60)
}
