//! Session benchmarks: load and save of a 10,000-comment session, one frame at 100 and
//! 100,000 comments, the time for one comment to become durable in the journal, what opening
//! beside a big sibling and quitting with nothing new cost, and what an undo costs.
#![allow(clippy::unwrap_used, clippy::panic)] // a test fails by panicking

use std::hint::black_box;
use std::path::Path;

use chrono::{Duration, TimeZone, Utc};
use convene::app::{update, Action, AppState, Mode};
use convene::cli::session_template;
use convene::model::CommentId;
use convene::model::{Actor, Event, Participant, Role, Room, SessionFile, Stamped};
use convene::rotation::Objective;
use convene::store::{
    earlier_in_series, load_read_only, open_for_writing, parse_session, save_session, Journal,
};
use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use ratatui::backend::TestBackend;
use ratatui::Terminal;

/// A session whose log holds `count` comments spread over themes, rooms and authors.
fn session_with(count: u32) -> SessionFile {
    let mut file = parse_session(Path::new("bench.ron"), &session_template("Benchmark", "2026-03-14"))
        .expect("template");
    let start = Utc.with_ymd_and_hms(2026, 3, 14, 14, 0, 0).single().expect("time");
    let themes: Vec<String> = file.plan.themes.iter().map(|t| t.name.clone()).collect();
    let people: Vec<String> = file.plan.participants.iter().map(|p| p.id.clone()).collect();
    file.events = (1..=count)
        .map(|id| Stamped {
            seq: id as u64,
            at: start + Duration::seconds(id as i64 * 3),
            by: Actor::NoteTaker("Priya Shah".into()),
            origin: None,
            event: Event::CommentAdded {
                id: CommentId(id),
                text: format!(
                    "Comment {id}: partners want shared data and a single front door, \"quoted\", émigré ✓"
                ),
                theme: Some(themes[id as usize % themes.len()].clone()),
                room: Some(id % 3),
                author: Some(people[id as usize % people.len()].clone()),
                pre_session: false,
            },
        })
        .collect();
    file
}

fn load_and_save(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("big.ron");
    let file = session_with(10_000);
    save_session(&path, &file).expect("save");
    c.bench_function("load 10k comments", |b| b.iter(|| black_box(load_read_only(&path).expect("load"))));
    c.bench_function("save 10k comments (atomic, fsync)", |b| {
        b.iter(|| save_session(&path, black_box(&file)).expect("save"))
    });
}

fn render(c: &mut Criterion) {
    for count in [100, 100_000] {
        let file = session_with(count);
        let session = file.fold().expect("fold");
        let now = Utc.with_ymd_and_hms(2026, 3, 14, 18, 0, 0).single().expect("time");
        let mut state = AppState::new("bench.ron".into(), file.plan.clone(), session, now);
        update(&mut state, Action::Resize(160, 48), now);
        let mut terminal = Terminal::new(TestBackend::new(160, 48)).expect("terminal");
        bench_frame(c, &format!("frame 160x48, {count} comments"), &mut terminal, &state);
        // A room lead's feed (Ctrl+F, or `join --room`): one room's comments out of all.
        state.feed.room = Some(1);
        bench_frame(c, &format!("frame 160x48, {count} comments, one room's feed"), &mut terminal, &state);
    }
}

fn bench_frame(c: &mut Criterion, name: &str, terminal: &mut Terminal<TestBackend>, state: &AppState) {
    c.bench_function(name, |b| {
        b.iter(|| {
            terminal
                .draw(|frame| {
                    convene::ui::render(frame, state);
                })
                .map(|_| ())
                .expect("draw")
        })
    });
}

/// The example session, or one of `people` partners in rooms of ten, with one round of rooms
/// added (the example already holds two) and a few people moved since.
fn rooms_session(people: Option<usize>) -> SessionFile {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("sessions/example.ron");
    let mut file = load_read_only(&example).expect("example").file;
    if let Some(people) = people {
        file.events.clear(); // the example's log names its own people
        let template = file.plan.participants[0].clone();
        file.plan.participants = (0..people)
            .map(|i| Participant {
                id: format!("p{i}"),
                name: format!("Person {i}"),
                org: format!("Organisation {}", i % 37),
                role: Role::Partner,
                ..template.clone()
            })
            .collect();
        file.plan.rooms =
            (0..people.div_ceil(10)).map(|r| Room { name: format!("Room {}", r + 1), lead: None }).collect();
    }
    let mut state = file.fold().expect("fold");
    let problem =
        convene::view::session_problem(&file.plan, &state, &Default::default(), Objective::default());
    let schedule = problem.plan_rounds(1, 1, std::time::Duration::from_millis(200)).expect("plan");
    // The schedule holds the rounds already held first; the new one is last.
    let rooms: Vec<Vec<String>> = problem.to_ids(schedule.rounds.last().expect("a round planned"));
    let start = Utc.with_ymd_and_hms(2026, 3, 14, 14, 0, 0).single().expect("time");
    let round = state.rooms.rounds.len() as u32;
    let mut events = vec![Event::RoomsAssigned { round, rooms: rooms.clone() }];
    for (i, room) in rooms.iter().enumerate().take(3) {
        let id = room.last().expect("someone in the room").clone();
        events.push(Event::ParticipantMoved { id, room: ((i + 1) % rooms.len()) as u32 });
    }
    for event in events {
        let stamped =
            Stamped { seq: state.last_seq + 1, at: start, by: Actor::Facilitator, origin: None, event };
        state.apply(&file.plan, &stamped).expect("apply");
        file.events.push(stamped);
    }
    file
}

/// One frame of the rooms screen, for the example and for 400 people in 40 rooms.
fn rooms_screen(c: &mut Criterion) {
    for (label, people) in [("example", None), ("400 people", Some(400))] {
        let file = rooms_session(people);
        let session = file.fold().expect("fold");
        let now = Utc.with_ymd_and_hms(2026, 3, 14, 18, 0, 0).single().expect("time");
        let mut state = AppState::new("bench.ron".into(), file.plan.clone(), session, now);
        update(&mut state, Action::Resize(160, 48), now);
        state.mode = Mode::Rooms;
        let mut terminal = Terminal::new(TestBackend::new(160, 48)).expect("terminal");
        c.bench_function(&format!("rooms screen frame 160x48, {label}"), |b| {
            b.iter(|| {
                terminal
                    .draw(|frame| {
                        convene::ui::render(frame, &state);
                    })
                    .map(|_| ())
                    .expect("draw")
            })
        });
    }
}

fn durable(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("journal.ron");
    let mut journal = Journal::open(&path).expect("journal");
    let event = session_with(1).events.remove(0);
    c.bench_function("one comment to durable (journal append + fsync)", |b| {
        b.iter_batched(
            || vec![event.clone()],
            |events| journal.append(&events).expect("append"),
            BatchSize::SmallInput,
        )
    });
}

/// Opening a session beside a finished 100,000-comment session of the same series (whose rooms
/// are history), and quitting a 100,000-comment session with nothing new. Each has its "old way"
/// beside it: what the code did before, a full load and fold of the sibling, and a full
/// pretty rewrite of the file on quit.
fn cost_follows_change(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut big = session_with(100_000);
    big.plan.series = Some("Bench series".into());
    big.plan.date = Some("2026-03-01".into());
    let sibling = dir.path().join("a-earlier.ron");
    save_session(&sibling, &big).expect("save");
    let mut small = session_with(10);
    small.plan.series = Some("Bench series".into());
    small.plan.date = Some("2026-03-08".into());
    let session = dir.path().join("b-now.ron");
    save_session(&session, &small).expect("save");
    c.bench_function("open beside a 100k-comment sibling (lock, load, series history)", |b| {
        b.iter(|| {
            let (loaded, lock, writer) = open_for_writing(&session).expect("open");
            let (earlier, problems) = earlier_in_series(&session, &loaded.file.plan);
            assert!(problems.is_empty() && earlier.len() == 1);
            drop((writer, lock));
        })
    });
    c.bench_function("old way: series history by a full load of the 100k sibling", |b| {
        b.iter(|| black_box(load_read_only(&sibling).expect("load")))
    });
    // What quitting does with the file: compact whatever is new (here nothing).
    let (_, lock, mut writer) = open_for_writing(&sibling).expect("open");
    c.bench_function("quit with nothing changed at 100k comments", |b| {
        b.iter(|| writer.compact().expect("compact"))
    });
    writer.close().expect("close");
    drop((writer, lock));
    c.bench_function("old way: quit rewrote the whole 100k file (pretty, atomic, fsync)", |b| {
        b.iter(|| save_session(&sibling, black_box(&big)).expect("save"))
    });
}

fn replay_seek(c: &mut Criterion) {
    let file = session_with(100_000);
    let replay = convene::replay::Replay::new(file.clone()).expect("replay");
    c.bench_function("replay: seek start to end of 100k events", |b| {
        b.iter_batched(
            || (replay.clone(), convene::model::SessionState::new(&file.plan)),
            |(mut replay, mut state)| {
                replay.seek(&mut state, usize::MAX);
                state
            },
            BatchSize::LargeInput,
        )
    });
}

/// Undo folds the log again without the undone act, from the latest checkpoint before it: what
/// that costs on the UI loop at 100 and at 100,000 comments for the latest comment, and at
/// 100,000 for the first (the worst case: everything after it is folded again). The state is
/// cloned outside the timing.
fn undo(c: &mut Criterion) {
    for (count, target, label) in
        [(100, 100, "the latest"), (100_000, 100_000, "the latest"), (100_000, 1, "the first")]
    {
        let file = session_with(count);
        let state = file.fold().expect("folds");
        let mark = Stamped {
            seq: count as u64 + 1,
            at: file.events.last().expect("events").at,
            by: Actor::NoteTaker("Priya Shah".into()),
            origin: None,
            event: Event::Undone { seq: target },
        };
        c.bench_function(&format!("undo {label} comment at {count} comments (refold)"), |b| {
            b.iter_batched(
                || state.clone(),
                |mut state| {
                    state.apply(&file.plan, &mark).expect("undoes");
                    state
                },
                BatchSize::LargeInput,
            )
        });
    }
    // As the console does it: on the one state it keeps, Ctrl+Z then Ctrl+Y, over and over. The
    // clone above holds a log with no room to spare, so its mark also pays for moving the log.
    let file = session_with(100_000);
    let mut state = file.fold().expect("folds");
    let at = file.events.last().expect("events").at;
    let mut undo = true;
    c.bench_function("undo or redo the latest comment in place at 100000 comments", |b| {
        b.iter(|| {
            let event = if undo { Event::Undone { seq: 100_000 } } else { Event::Redone { seq: 100_000 } };
            undo = !undo;
            let seq = state.last_seq + 1;
            let mark = Stamped { seq, at, by: Actor::NoteTaker("Priya Shah".into()), origin: None, event };
            state.apply(&file.plan, &mark).expect("undoes or redoes");
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30).measurement_time(std::time::Duration::from_secs(4));
    targets = load_and_save, render, rooms_screen, durable, replay_seek, cost_follows_change, undo
}
criterion_main!(benches);
