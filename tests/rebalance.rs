//! Rebalancing the agenda after an overrun: the fold of `AgendaRebalanced`, what a proposal
//! promises (property test), the key → popup → Enter path through `update`, the popup on
//! screen, and `convene check` and the exports showing the new minutes.
#![allow(clippy::unwrap_used, clippy::panic)] // a test fails by panicking

mod common;

use std::path::Path;
use std::process::Command;

use chrono::{DateTime, Duration, Utc};
use common::*;
use convene::app::{update, Action, AppState, Joined, Mode, Overlay, Seat};
use convene::model::agenda::minutes;
use convene::model::rebalance::{propose, shorten, NoRebalance};
use convene::model::{
    decide, Actor, AgendaItem, Event, Intent, ItemMinutes, ItemStatus, Plan, Rejection, SessionFile,
    SessionState, Stamped,
};
use convene::store::{load_read_only, session_text};
use crossterm::event::KeyCode;
use proptest::prelude::*;
use ratatui::style::Modifier;

fn at(seconds: i64) -> DateTime<Utc> {
    t0() + Duration::seconds(seconds)
}

fn stamped(log: &[(i64, Event)]) -> Vec<Stamped> {
    log.iter()
        .enumerate()
        .map(|(i, (s, event))| Stamped {
            seq: i as u64 + 1,
            at: at(*s),
            by: Actor::Facilitator,
            origin: None,
            event: event.clone(),
        })
        .collect()
}

fn start(item: u32) -> Event {
    Event::AgendaItemStarted { item }
}

fn rebalanced(items: &[(u32, u32)]) -> Event {
    Event::AgendaRebalanced {
        items: items.iter().map(|&(item, minutes)| ItemMinutes { item, minutes }).collect(),
    }
}

// ---------------------------------------------------------------------------------------------
// The fold

#[test]
fn a_rebalance_sets_the_minutes_of_items_to_come_and_the_projection_follows() {
    // Template: 10, 15, 35, 20, 20, 10 minutes (110 planned).
    let plan = template_plan();
    let state = SessionState::fold(&plan, &stamped(&[(0, start(0)), (60, rebalanced(&[(3, 15), (4, 16)]))]))
        .expect("folds");
    let agenda = &state.agenda;
    assert_eq!(agenda.allotted(&plan, 3), Duration::minutes(15));
    assert_eq!(agenda.allotted(&plan, 4), Duration::minutes(16));
    assert_eq!(agenda.allotted(&plan, 5), Duration::minutes(10), "items not named keep their minutes");
    assert_eq!(agenda.items[3].rebalanced, Some(15));
    let projection = agenda.projection(&plan, at(60)).expect("started");
    assert_eq!(projection.planned_end, at(110 * 60), "the planned end stays the plan's");
    assert_eq!(projection.projected_end, at(60 + 9 * 60 + (15 + 35 + 15 + 16 + 10) * 60));
}

#[test]
fn a_rebalanced_item_is_extended_from_its_new_length() {
    let plan = template_plan();
    let log = [
        (0, start(0)),
        (60, rebalanced(&[(1, 12)])),
        (600, start(1)),
        (700, Event::TimerExtended { minutes: 2 }),
    ];
    let state = SessionState::fold(&plan, &stamped(&log)).expect("folds");
    assert_eq!(state.agenda.allotted(&plan, 1), Duration::minutes(14));
    assert_eq!(state.agenda.remaining(&plan, 1, at(700)), Duration::seconds(14 * 60 - 100));
    // Taking back more than the new length leaves is refused, as for any item.
    let log = [
        (0, start(0)),
        (60, rebalanced(&[(1, 3)])),
        (600, start(1)),
        (601, Event::TimerExtended { minutes: -3 }),
    ];
    let error = SessionState::fold(&plan, &stamped(&log)).expect_err("refused");
    assert!(error.to_string().contains("at least 1"), "{error}");
}

#[test]
fn the_fold_refuses_a_rebalance_of_an_item_that_ran_or_does_not_exist_and_changes_nothing() {
    let plan = template_plan();
    let cases: [(Event, &str); 5] = [
        (rebalanced(&[(0, 5)]), "only items to come"),
        (rebalanced(&[(9, 5)]), "has no item 10"),
        (rebalanced(&[(3, 0)]), "at least 1"),
        (rebalanced(&[(3, 10), (3, 12)]), "named twice"),
        (rebalanced(&[]), "at least one item"),
    ];
    for (event, words) in cases {
        let error =
            SessionState::fold(&plan, &stamped(&[(0, start(0)), (60, event.clone())])).expect_err("refused");
        assert!(error.to_string().contains(words), "{event:?}: {error}");
    }
    // All or none: a good item before a bad one is not changed either.
    let mut state = SessionState::fold(&plan, &stamped(&[(0, start(0))])).unwrap();
    let before = state.clone();
    let bad = Stamped {
        seq: 2,
        at: at(60),
        by: Actor::Facilitator,
        origin: None,
        event: rebalanced(&[(3, 12), (0, 5)]),
    };
    assert!(state.apply(&plan, &bad).is_err());
    assert_eq!(state, before);
    // A skipped item is not to come either.
    let log = [(0, start(0)), (10, Event::AgendaItemSkipped { item: 4 }), (20, rebalanced(&[(4, 10)]))];
    assert!(SessionState::fold(&plan, &stamped(&log)).is_err());
}

#[test]
fn only_the_facilitator_rebalances() {
    let plan = template_plan();
    let state = SessionState::fold(&plan, &stamped(&[(0, start(0))])).unwrap();
    let items = vec![ItemMinutes { item: 3, minutes: 15 }];
    assert_eq!(
        decide(
            &plan,
            &state,
            &Actor::Facilitator,
            Intent::Steer(Event::AgendaRebalanced { items: items.clone() })
        ),
        Ok(vec![Event::AgendaRebalanced { items: items.clone() }])
    );
    assert_eq!(
        decide(
            &plan,
            &state,
            &Actor::NoteTaker("Priya Shah".into()),
            Intent::Steer(Event::AgendaRebalanced { items })
        ),
        Err(Rejection::FacilitatorOnly)
    );
    assert!(decide(
        &plan,
        &state,
        &Actor::Facilitator,
        Intent::Steer(Event::AgendaRebalanced { items: vec![] })
    )
    .is_err());
}

#[test]
fn min_minutes_and_fixed_are_optional_and_round_trip() {
    let with: AgendaItem = ron::from_str(
        r#"#![enable(implicit_some)] (title: "Vote", minutes: 20, min_minutes: 15, fixed: true)"#,
    )
    .unwrap();
    assert_eq!((with.min_minutes, with.fixed, with.floor_minutes()), (Some(15), true, 15));
    let without: AgendaItem = ron::from_str(r#"(title: "Report back", minutes: 25)"#).unwrap();
    assert_eq!((without.min_minutes, without.fixed), (None, false));
    assert_eq!(without.floor_minutes(), 13, "half the planned minutes, rounded up");
    let written = ron::to_string(&without).unwrap();
    assert!(!written.contains("min_minutes") && !written.contains("fixed"), "{written}");
    let again: AgendaItem = ron::from_str(&ron::to_string(&with).unwrap()).unwrap();
    assert_eq!(again, with);
    // The event as a file line, and back.
    let event = rebalanced(&[(4, 15), (5, 15)]);
    let line = ron::to_string(&event).unwrap();
    assert_eq!(ron::from_str::<Event>(&line).unwrap(), event);
    // A minimum above the item's own minutes is named as a problem of the plan.
    let mut plan = template_plan();
    plan.agenda[4].min_minutes = Some(30);
    assert!(plan.problems().iter().any(|p| p.contains("min_minutes 30")), "{:?}", plan.problems());
}

#[test]
fn the_examples_recorded_rebalance_is_what_the_console_proposes_at_that_moment() {
    let loaded =
        load_read_only(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/sessions/example.ron"))).unwrap();
    let events = &loaded.file.events;
    let index =
        events.iter().position(|e| matches!(e.event, Event::AgendaRebalanced { .. })).expect("recorded");
    let before = SessionState::fold(&loaded.file.plan, &events[..index]).unwrap();
    let proposal = propose(&loaded.file.plan, &before.agenda, events[index].at).expect("running over");
    assert_eq!(Event::AgendaRebalanced { items: proposal.changes() }, events[index].event);
    assert!(proposal.on_time());
    // The fixed close keeps its ten minutes, the vote stops at its min_minutes.
    let close = proposal.items.iter().find(|p| p.item == 6).unwrap();
    assert!(close.fixed && close.proposed == 10);
    assert_eq!(proposal.items.iter().find(|p| p.item == 5).unwrap().proposed, 15);
}

// ---------------------------------------------------------------------------------------------
// What a proposal promises

/// One plan item: (minutes, min_minutes, fixed).
fn items() -> impl Strategy<Value = Vec<(u32, Option<u32>, bool)>> {
    prop::collection::vec((1u32..60, prop::option::of(1u32..60), any::<bool>()), 2..9)
}

fn plan_of(items: &[(u32, Option<u32>, bool)]) -> Plan {
    let mut plan = template_plan();
    plan.agenda = items
        .iter()
        .enumerate()
        .map(|(i, &(minutes, min_minutes, fixed))| {
            let mut item: AgendaItem =
                ron::from_str(&format!("(title: \"Item {}\", minutes: {minutes})", i + 1)).unwrap();
            item.min_minutes = min_minutes;
            item.fixed = fixed;
            item
        })
        .collect();
    plan
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Whatever the plan and however far the session is behind: no item goes below its floor,
    /// fixed, finished, skipped and running items keep their minutes, nothing gets longer, the
    /// session ends no later than before, and exactly at the planned end (to the minute, never
    /// after it) whenever the floors leave enough to take.
    #[test]
    fn a_rebalance_keeps_floors_and_fixed_items_and_ends_on_time_when_it_can(
        items in items(),
        current_pick in 0usize..8,
        late in prop::collection::vec(0i64..1_200, 8),
        skips in prop::collection::vec(any::<bool>(), 8),
        into in 0i64..7_200,
    ) {
        let plan = plan_of(&items);
        let current = current_pick % (items.len() - 1);
        // Items before the current one ran their minutes plus a random overrun each.
        let mut log = Vec::new();
        let mut clock = 0i64;
        for i in 0..=current {
            log.push((clock, start(i as u32)));
            clock += items[i].0 as i64 * 60 + late[i];
        }
        let started_current = log.last().unwrap().0;
        // Some items to come are skipped (never the last, so something is always left).
        for (i, _) in skips.iter().enumerate().take(items.len() - 1).skip(current + 1).filter(|(_, s)| **s) {
            log.push((started_current, Event::AgendaItemSkipped { item: i as u32 }));
        }
        let now = at(started_current + into);
        let state = SessionState::fold(&plan, &stamped(&log)).unwrap();
        let before = state.agenda.projection(&plan, now).unwrap();
        let adjustable: Vec<usize> = (0..items.len())
            .filter(|&i| state.agenda.items[i].status == ItemStatus::Pending && !items[i].2)
            .collect();
        let capacity: i64 = adjustable
            .iter()
            .map(|&i| (items[i].0 - plan.agenda[i].floor_minutes()) as i64)
            .sum();
        match propose(&plan, &state.agenda, now) {
            Err(NoRebalance::OnTime) => prop_assert!(minutes(before.drift()) <= 0),
            Err(NoRebalance::NothingToShorten) => prop_assert_eq!(capacity, 0),
            Err(other) => prop_assert!(false, "unexpected {other:?}"),
            Ok(proposal) => {
                prop_assert!(minutes(before.drift()) > 0);
                let mut after = state.clone();
                let event = Stamped {
                    seq: state.last_seq + 1,
                    at: now,
                    by: Actor::Facilitator,
                    origin: None,
                    event: Event::AgendaRebalanced { items: proposal.changes() },
                };
                after.apply(&plan, &event).unwrap();
                let projected = after.agenda.projection(&plan, now).unwrap();
                prop_assert_eq!(projected.projected_end, proposal.proposed_end);
                prop_assert!(projected.projected_end <= before.projected_end);
                for (i, item) in plan.agenda.iter().enumerate() {
                    let was = state.agenda.allotted(&plan, i);
                    let is = after.agenda.allotted(&plan, i);
                    if adjustable.contains(&i) {
                        prop_assert!(is <= was, "item {} got longer", i + 1);
                        prop_assert!(is >= Duration::minutes(item.floor_minutes() as i64), "item {} below its floor", i + 1);
                        if let Some(min) = item.min_minutes.filter(|&m| m <= item.minutes) {
                            prop_assert!(is >= Duration::minutes(min as i64));
                        }
                    } else {
                        prop_assert_eq!(is, was, "item {} is fixed, finished, running or skipped", i + 1);
                    }
                }
                let needed = (before.drift().num_seconds() + 59) / 60;
                if capacity >= needed {
                    prop_assert!(proposal.on_time());
                    prop_assert!(projected.projected_end <= before.planned_end);
                    prop_assert!(before.planned_end - projected.projected_end < Duration::minutes(1));
                } else {
                    // Everything adjustable is at its floor, and that is as close as it gets.
                    prop_assert_eq!(before.projected_end - projected.projected_end, Duration::minutes(capacity));
                }
            }
        }
    }

    /// The arithmetic alone: the cut is taken exactly (or every item is at its floor), and no
    /// item goes below its floor or above its length.
    #[test]
    fn shortening_takes_exactly_the_cut_or_all_the_slack(
        pairs in prop::collection::vec((1u32..90, 1u32..90), 1..12),
        cut in 0u32..400,
    ) {
        let pairs: Vec<(u32, u32)> = pairs.into_iter().map(|(length, floor)| (length, floor.min(length))).collect();
        let lengths = shorten(&pairs, cut);
        let slack: u32 = pairs.iter().map(|(l, f)| l - f).sum();
        let taken: u32 = pairs.iter().zip(&lengths).map(|((l, _), n)| l - n).sum();
        prop_assert_eq!(taken, cut.min(slack));
        for ((length, floor), new) in pairs.iter().zip(&lengths) {
            prop_assert!(new >= floor && new <= length);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The console

/// The template session, its first item started at t0 and now 15 minutes over.
fn fifteen_minutes_over() -> AppState {
    let mut state = console();
    update(&mut state, key(KeyCode::F(5)), at(0));
    persist_all(&mut state);
    update(&mut state, ctrl('g'), at(25 * 60));
    state
}

#[test]
fn r_on_the_agenda_shows_the_proposal_and_enter_records_it() {
    let mut state = fifteen_minutes_over();
    assert_eq!(state.mode, Mode::Agenda);
    assert!(persisted(&update(&mut state, key(KeyCode::Char('R')), at(25 * 60))).is_empty());
    let Some(Overlay::Rebalance(proposal)) = state.overlay.clone() else {
        panic!("no proposal: {:?} {:?}", state.overlay, state.message);
    };
    // 15 min over; 100 minutes to come, floors at half: cut in proportion, 15 in all.
    let shown: Vec<(usize, u32, u32)> =
        proposal.items.iter().map(|p| (p.item, p.planned, p.proposed)).collect();
    assert_eq!(shown, vec![(1, 15, 13), (2, 35, 30), (3, 20, 17), (4, 20, 17), (5, 10, 8)]);
    let events = persisted(&update(&mut state, key(KeyCode::Enter), at(25 * 60 + 5)));
    assert_eq!(events, vec![rebalanced(&[(1, 13), (2, 30), (3, 17), (4, 17), (5, 8)])]);
    assert_eq!(state.overlay, None);
    let projection = state.session.agenda.projection(&state.plan, at(25 * 60 + 5)).unwrap();
    assert!(minutes(projection.drift()) <= 0, "back on time: {:?}", projection.drift());
    let (message, _) = state.message.clone().unwrap();
    assert!(message.contains("rebalanced") && message.contains("15 min back"), "{message}");
}

#[test]
fn esc_leaves_the_agenda_as_it_was() {
    let mut state = fifteen_minutes_over();
    update(&mut state, key(KeyCode::Char('R')), at(25 * 60));
    assert!(matches!(state.overlay, Some(Overlay::Rebalance(_))));
    assert!(persisted(&update(&mut state, key(KeyCode::Esc), at(25 * 60 + 1))).is_empty());
    assert_eq!(state.overlay, None);
    assert_eq!(state.mode, Mode::Agenda, "Esc closes the proposal only");
    assert!(state.session.agenda.items.iter().all(|t| t.rebalanced.is_none()));
    assert_eq!(state.message.clone().unwrap().0, "agenda left as it was");
}

#[test]
fn nothing_is_proposed_on_time_or_before_the_start_and_a_joined_console_cannot_ask() {
    let mut state = console();
    update(&mut state, ctrl('g'), at(0));
    update(&mut state, key(KeyCode::Char('R')), at(0));
    assert_eq!(state.overlay, None);
    assert!(state.message.clone().unwrap().0.contains("not started"));
    update(&mut state, key(KeyCode::F(5)), at(0));
    update(&mut state, key(KeyCode::Char('R')), at(60));
    assert_eq!(state.overlay, None);
    assert!(state.message.clone().unwrap().0.contains("not running over"));

    let mut joined = fifteen_minutes_over();
    joined.seat = Seat::Joined(Joined { name: "Priya Shah".into(), ..Joined::default() });
    update(&mut joined, key(KeyCode::Char('R')), at(25 * 60));
    assert_eq!(joined.overlay, None);
    assert!(joined.message.clone().unwrap().0.contains("facilitator"));
}

#[test]
fn the_key_waits_its_quiet_moment_and_an_early_enter_does_not_accept() {
    let mut state = fifteen_minutes_over();
    state.keys.quiet = Duration::milliseconds(convene::app::QUIET_MS);
    let t = at(25 * 60);
    update(&mut state, key(KeyCode::Char('R')), t);
    assert_eq!(state.overlay, None, "a single letter is held first");
    update(&mut state, Action::Tick, t + Duration::milliseconds(300));
    assert!(matches!(state.overlay, Some(Overlay::Rebalance(_))));
    // An Enter typed on from before the window opened neither accepts nor closes it.
    assert!(persisted(&update(&mut state, key(KeyCode::Enter), t + Duration::milliseconds(350))).is_empty());
    assert!(matches!(state.overlay, Some(Overlay::Rebalance(_))));
    let events = persisted(&update(&mut state, key(KeyCode::Enter), t + Duration::milliseconds(700)));
    assert!(matches!(events[..], [Event::AgendaRebalanced { .. }]));
}

#[test]
fn the_proposal_popup_at_80x24() {
    use convene::ui::theme;
    let mut state = fifteen_minutes_over();
    update(&mut state, key(KeyCode::Char('R')), at(25 * 60));
    let buffer = draw_buffer(&mut state, 80, 24);
    insta::assert_snapshot!("rebalance_popup_80x24", text(&buffer));
    // The overrun is said in words and on the alarm's colours; the end back on time in the
    // good colour; shortened minutes too; keys as keys.
    let alarm = theme::phase(convene::model::Phase::Overrun);
    for cell in cells_of(&buffer, "‼ running 15 min over") {
        assert_eq!((Some(cell.fg), Some(cell.bg)), (alarm.fg, alarm.bg));
    }
    for cell in cells_of(&buffer, "✓ by the planned 15:50") {
        assert_eq!(Some(cell.fg), theme::ok().fg);
        assert!(cell.modifier.contains(Modifier::BOLD));
    }
    for cell in cells_of(&buffer, " 30'") {
        if cell.symbol() != " " {
            assert_eq!(Some(cell.fg), theme::ok().fg);
        }
    }
    assert_eq!(Some(cells_of(&buffer, "Enter")[0].fg), theme::key().fg);
    // Once accepted, the agenda pane shows planned → rebalanced minutes.
    update(&mut state, key(KeyCode::Enter), at(25 * 60 + 5));
    let screen = text(&draw_buffer(&mut state, 80, 24));
    assert!(screen.contains("35'→30'"), "{screen}");
}

#[test]
fn the_popup_fits_any_terminal_size() {
    for size in [(20, 5), (40, 12), (60, 20), (250, 70)] {
        let mut state = fifteen_minutes_over();
        update(&mut state, key(KeyCode::Char('R')), at(25 * 60));
        let screen = text(&draw_buffer(&mut state, size.0, size.1));
        assert!(screen.contains("Rebalance") || size.0 < 30, "{size:?}:\n{screen}");
    }
}

#[test]
fn with_the_minimums_too_high_the_popup_says_how_far_over_it_stays() {
    let mut state = console();
    for item in &mut state.plan.agenda {
        item.min_minutes = Some(item.minutes);
    }
    state.plan.agenda[2].min_minutes = Some(30);
    update(&mut state, key(KeyCode::F(5)), at(0));
    update(&mut state, ctrl('g'), at(25 * 60));
    update(&mut state, key(KeyCode::Char('R')), at(25 * 60));
    let screen = text(&draw_buffer(&mut state, 80, 24));
    assert!(screen.contains("still 10 min over"), "{screen}");
    assert!(screen.contains("at minimum"), "{screen}");
}

// ---------------------------------------------------------------------------------------------
// check and the exports

#[test]
fn check_and_the_exports_show_the_rebalanced_minutes() {
    let mut file: SessionFile = template_file();
    file.events = stamped(&[(0, start(0)), (25 * 60, rebalanced(&[(1, 13), (2, 30)])), (26 * 60, start(1))]);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("consult.ron");
    std::fs::write(&path, session_text(&file).unwrap()).unwrap();
    let run = |args: &[&str]| {
        let output = Command::new(env!("CARGO_BIN_EXE_convene")).args(args).output().unwrap();
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8(output.stdout).unwrap()
    };
    let path = path.to_str().unwrap();
    let check = run(&["check", path]);
    let row = check.lines().find(|l| l.contains("Breakout: SWOT and PESTLE")).unwrap();
    assert!(row.contains("35 min") && row.contains("rebalanced to 30 min"), "{row}");
    let markdown = run(&["export", path, "--format", "md"]);
    assert!(markdown.contains("rebalanced to 13 min"), "{markdown}");
    let json: serde_json::Value = serde_json::from_str(&run(&["check", path, "--format", "json"])).unwrap();
    let agenda = &json["files"][0]["session"]["agenda"];
    assert_eq!(agenda[2]["planned"], 35);
    assert_eq!(agenda[2]["rebalanced"], 30);
    assert_eq!(agenda[3]["rebalanced"], serde_json::Value::Null);
    // The schedule's drift counts the new minutes: 26 min in, then 13 + 30 + 50 to come, so
    // 119 against 110 planned (without the rebalance it would be 126).
    assert_eq!(json["files"][0]["session"]["schedule"]["drift"], 9);
}
