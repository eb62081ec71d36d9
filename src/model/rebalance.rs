//! Rebalancing the agenda after an overrun: the items still to come are shortened in proportion
//! to their length, none below its floor (`min_minutes`), fixed items left alone, so that the
//! projected end comes back to the planned end, or as close as the floors allow. Pure: the
//! proposal is computed from the plan, the folded timers and a clock reading; accepting it is
//! an `AgendaRebalanced` event.

use chrono::{DateTime, Duration, Utc};
use thiserror::Error;

use super::agenda::{minutes, AgendaState, ItemStatus};
use super::event::ItemMinutes;
use super::plan::Plan;

/// One item still to come, as the proposal would leave it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProposedItem {
    /// Index into the plan's agenda, from 0.
    pub item: usize,
    /// Its minutes now (the plan's, or an earlier rebalance's).
    pub planned: u32,
    /// Its minutes under the proposal.
    pub proposed: u32,
    /// The fewest minutes it may have.
    pub floor: u32,
    /// The plan marks it fixed: it keeps its length.
    pub fixed: bool,
}

/// New lengths for the items still to come, and what they do to the end of the session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proposal {
    /// Every item still to come, in agenda order (changed or not).
    pub items: Vec<ProposedItem>,
    /// Start plus the plan's minutes.
    pub planned_end: DateTime<Utc>,
    /// Where the session would end as things stand.
    pub projected_end: DateTime<Utc>,
    /// Where it would end with the proposal taken.
    pub proposed_end: DateTime<Utc>,
}

impl Proposal {
    /// The lengths that change, as the event records them.
    pub fn changes(&self) -> Vec<ItemMinutes> {
        self.items
            .iter()
            .filter(|p| p.proposed != p.planned)
            .map(|p| ItemMinutes { item: p.item as u32, minutes: p.proposed })
            .collect()
    }

    /// Minutes the proposal takes off the items to come.
    pub fn recovered(&self) -> u32 {
        self.items.iter().map(|p| p.planned - p.proposed).sum()
    }

    /// Whether the session would end by the planned end.
    pub fn on_time(&self) -> bool {
        self.proposed_end <= self.planned_end
    }
}

/// Why there is nothing to propose.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum NoRebalance {
    /// Before the first item there is no schedule to rebalance.
    #[error("the session has not started: nothing to rebalance yet")]
    NotStarted,
    /// After the end there is nothing left to shorten.
    #[error("the agenda has ended: nothing left to rebalance")]
    Ended,
    /// The session is not running over.
    #[error("the session is not running over: nothing to rebalance")]
    OnTime,
    /// Every item to come is fixed or at its floor (or none is left).
    #[error("no item still to come can be shortened: each is fixed or at its minimum (min_minutes)")]
    NothingToShorten,
}

/// The rebalance for the session as it stands at `now`: enough whole minutes taken from the
/// items still to come (not started, not skipped, not fixed) to end by the planned end, or as
/// many as their floors allow.
pub fn propose(plan: &Plan, agenda: &AgendaState, now: DateTime<Utc>) -> Result<Proposal, NoRebalance> {
    let projection = agenda.projection(plan, now).ok_or(NoRebalance::NotStarted)?;
    if projection.ended {
        return Err(NoRebalance::Ended);
    }
    // "Over" as the header says it (whole minutes, rounded); then enough whole minutes to be
    // back by the planned end, never a second after it.
    if minutes(projection.drift()) <= 0 {
        return Err(NoRebalance::OnTime);
    }
    let over = projection.drift().num_seconds();
    let needed = u32::try_from((over + 59) / 60).unwrap_or(u32::MAX);
    let to_come: Vec<usize> =
        (0..agenda.items.len()).filter(|&i| agenda.items[i].status == ItemStatus::Pending).collect();
    let slots: Vec<(u32, u32, bool)> = to_come
        .iter()
        .map(|&i| {
            let planned = agenda.planned_minutes(plan, i);
            let item = plan.agenda.get(i);
            let fixed = item.is_some_and(|item| item.fixed);
            let floor = item.map_or(1, |item| item.floor_minutes()).min(planned).max(1);
            (planned, floor, fixed)
        })
        .collect();
    let adjustable: Vec<(u32, u32)> = slots
        .iter()
        .map(
            |&(planned, floor, fixed)| if fixed { (planned, planned) } else { (planned, floor.min(planned)) },
        )
        .collect();
    let lengths = shorten(&adjustable, needed);
    let recovered: u32 = adjustable.iter().zip(&lengths).map(|((planned, _), new)| planned - new).sum();
    if recovered == 0 {
        return Err(NoRebalance::NothingToShorten);
    }
    let items = to_come
        .iter()
        .zip(&slots)
        .zip(&lengths)
        .map(|((&item, &(planned, floor, fixed)), &proposed)| ProposedItem {
            item,
            planned,
            proposed,
            floor,
            fixed,
        })
        .collect();
    Ok(Proposal {
        items,
        planned_end: projection.planned_end,
        projected_end: projection.projected_end,
        proposed_end: projection.projected_end - Duration::minutes(recovered as i64),
    })
}

/// New lengths for `(length, floor)` pairs with `cut` minutes taken off in all (or as many as
/// the floors allow): each loses in proportion to its length, one that would go below its floor
/// stops there and the rest share what it could not give; whole minutes by largest remainder.
pub fn shorten(items: &[(u32, u32)], cut: u32) -> Vec<u32> {
    let slack: Vec<u64> =
        items.iter().map(|&(length, floor)| u64::from(length.saturating_sub(floor))).collect();
    let mut left = u64::from(cut).min(slack.iter().sum());
    let mut cuts = vec![0u64; items.len()];
    let mut open: Vec<usize> = (0..items.len()).filter(|&i| slack[i] > 0).collect();
    // Items whose proportional share reaches their slack give all of it and drop out; repeat
    // until every open item's share fits.
    loop {
        let total: u64 = open.iter().map(|&i| u64::from(items[i].0)).sum();
        let (full, rest): (Vec<usize>, Vec<usize>) =
            open.iter().partition(|&&i| left * u64::from(items[i].0) >= slack[i] * total);
        if full.is_empty() || total == 0 {
            break;
        }
        for i in full {
            cuts[i] = slack[i];
            left -= slack[i];
        }
        open = rest;
    }
    let total: u64 = open.iter().map(|&i| u64::from(items[i].0)).sum();
    let mut remainders = Vec::with_capacity(open.len());
    for &i in &open {
        let share = left * u64::from(items[i].0);
        if let (Some(whole), Some(rest)) = (share.checked_div(total), share.checked_rem(total)) {
            cuts[i] = whole;
            remainders.push((rest, i));
        }
    }
    let given: u64 = open.iter().map(|&i| cuts[i]).sum();
    // The largest remainders get the minutes the whole shares left over; a share with a
    // remainder is below its slack, so each such item can give one more.
    remainders.sort_by(|a, b| b.0.cmp(&a.0).then(items[b.1].0.cmp(&items[a.1].0)).then(a.1.cmp(&b.1)));
    for &(_, i) in remainders.iter().take(left.saturating_sub(given) as usize) {
        cuts[i] += 1;
    }
    items.iter().zip(cuts).map(|(&(length, _), cut)| length - cut as u32).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortening_is_proportional_to_length() {
        assert_eq!(shorten(&[(20, 1), (10, 1)], 6), vec![16, 8]);
        assert_eq!(shorten(&[(30, 1), (10, 1), (20, 1)], 0), vec![30, 10, 20]);
    }

    #[test]
    fn an_item_at_its_floor_stops_and_the_others_give_the_rest() {
        // The 20-minute item's share of 8 would be 5, but it can give only 2.
        assert_eq!(shorten(&[(20, 18), (10, 1)], 8), vec![18, 4]);
    }

    #[test]
    fn no_more_than_the_floors_allow() {
        assert_eq!(shorten(&[(10, 8), (6, 6), (5, 1)], 100), vec![8, 6, 1]);
    }

    #[test]
    fn whole_minutes_add_up_to_the_cut() {
        let lengths = shorten(&[(7, 1), (7, 1), (7, 1)], 5);
        assert_eq!(lengths.iter().sum::<u32>(), 21 - 5);
        assert!(lengths.iter().all(|&l| (5..=6).contains(&l)), "{lengths:?}");
    }
}
