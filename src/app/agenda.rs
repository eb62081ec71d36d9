//! Steering the agenda: timer commands become events; a rebalance after an overrun is proposed
//! and, once accepted, recorded; the tick rings the bell on time-out.

use chrono::Duration;

use super::action::Effect;
use super::keymap::Command;
use super::state::{AppState, Overlay, Severity};
use super::update::record;
use crate::model::rebalance::{self, Proposal};
use crate::model::{Event, ItemStatus};

/// Carry out a timer command, saying what happened (or why nothing did) on the status line.
pub(super) fn steer(state: &mut AppState, command: Command, effects: &mut Vec<Effect>) {
    let agenda = &state.session.agenda;
    let current = agenda.current;
    let title = |state: &AppState, item: usize| {
        state.plan.agenda.get(item).map_or(String::new(), |i| i.title.clone())
    };
    let said = match command {
        Command::NextItem => match (agenda.next_item(), current) {
            (Some(next), _) => {
                started(state, next, effects).then(|| format!("▶ now: {}", title(state, next)))
            }
            (None, Some(_)) => record(state, Event::AgendaEnded, effects)
                .then(|| "■ agenda ended: b reopens the last item".to_string()),
            (None, None) if state.plan.agenda.is_empty() => Some("the plan has no agenda items".into()),
            (None, None) if agenda.ended_at.is_some() => {
                Some("the agenda has ended: b reopens the last item".into())
            }
            (None, None) => record(state, Event::AgendaEnded, effects)
                .then(|| "■ agenda ended: b reopens the last item".to_string()),
        },
        Command::PrevItem if agenda.started_at.is_none() => {
            Some("the session has not started: n starts it".into())
        }
        Command::PrevItem => {
            let before = current.unwrap_or(agenda.items.len());
            // Back over skipped items to the last one that actually ran (or any, if none ran).
            let previous = (0..before)
                .rev()
                .find(|&i| agenda.items[i].status == ItemStatus::Done)
                .or_else(|| before.checked_sub(1));
            match previous {
                Some(item) => {
                    started(state, item, effects).then(|| format!("◀ back to: {}", title(state, item)))
                }
                None => Some("this is the first item".into()),
            }
        }
        Command::PauseResume => match current.map(|c| agenda.items[c].status) {
            Some(ItemStatus::Running) => {
                record(state, Event::TimerPaused, effects).then(|| "⏸ timer paused".into())
            }
            Some(_) => record(state, Event::TimerResumed, effects).then(|| "▶ timer running again".into()),
            None => Some("no item is running: n starts the next one".into()),
        },
        Command::ExtendOne | Command::ExtendFive | Command::TakeBackOne => {
            let minutes = match command {
                Command::ExtendFive => 5,
                Command::TakeBackOne => -1,
                _ => 1,
            };
            match current {
                None => Some("no item is running to extend".into()),
                Some(c)
                    if agenda.allotted(&state.plan, c) + Duration::minutes(minutes as i64)
                        < Duration::minutes(1) =>
                {
                    Some("an item keeps at least one minute".into())
                }
                Some(_) => record(state, Event::TimerExtended { minutes }, effects)
                    .then(|| format!("{minutes:+} min for this item")),
            }
        }
        Command::SkipItem => {
            let next = agenda.next_item();
            match current.or(next) {
                Some(item) => {
                    let skipped = record(state, Event::AgendaItemSkipped { item: item as u32 }, effects);
                    // Skipping the running item moves straight on, as a facilitator would.
                    if skipped && current.is_some() {
                        if let Some(next) = next {
                            started(state, next, effects);
                        }
                    }
                    skipped.then(|| format!("✗ skipped: {}", title(state, item)))
                }
                None => Some("nothing left to skip".into()),
            }
        }
        Command::Rebalance => match rebalance::propose(&state.plan, agenda, state.now) {
            Ok(proposal) => {
                state.overlay = Some(Overlay::Rebalance(proposal));
                None
            }
            Err(why) => Some(why.to_string()),
        },
        _ => None,
    };
    if let Some(text) = said {
        state.message = Some((text, Severity::Info));
    }
}

/// The facilitator's answer to a proposed rebalance: Enter records it as one event.
pub(super) fn rebalance_answered(
    state: &mut AppState,
    proposal: Proposal,
    accepted: bool,
    effects: &mut Vec<Effect>,
) {
    if !accepted {
        state.message = Some(("agenda left as it was".into(), Severity::Info));
        return;
    }
    let event = Event::AgendaRebalanced { items: proposal.changes() };
    if record(state, event, effects) {
        let end = state.local(proposal.proposed_end).format("%H:%M");
        state.message = Some((
            format!("✓ agenda rebalanced: {} min back, projected end {end}", proposal.recovered()),
            Severity::Info,
        ));
    }
}

fn started(state: &mut AppState, item: usize, effects: &mut Vec<Effect>) -> bool {
    record(state, Event::AgendaItemStarted { item: item as u32 }, effects)
}

/// On each tick, ring the bell once when the current item's time crosses zero, if the plan asks.
pub(super) fn tick(state: &mut AppState, effects: &mut Vec<Effect>) {
    let agenda = &state.session.agenda;
    let now_remaining = agenda
        .current
        .filter(|&c| agenda.items[c].status == ItemStatus::Running)
        .map(|c| (c, agenda.remaining(&state.plan, c, state.now)));
    if let (Some((was_item, was)), Some((item, remaining))) = (state.last_remaining, now_remaining) {
        if state.plan.timer_bell
            && was_item == item
            && was > Duration::zero()
            && remaining <= Duration::zero()
        {
            effects.push(Effect::Bell);
        }
    }
    state.last_remaining = now_remaining;
}
