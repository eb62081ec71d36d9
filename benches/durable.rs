//! Commit-to-durable latency: one comment appended to the journal and fsync'd, timed one by
//! one so the median and the tail (p99) can be reported, which a mean would hide.
#![allow(clippy::unwrap_used, clippy::panic)] // a test fails by panicking

use std::time::Instant;

use chrono::{TimeZone, Utc};
use convene::model::CommentId;
use convene::model::{Actor, Event, Stamped};
use convene::store::Journal;

fn main() {
    let samples: usize = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(2_000);
    let dir = tempfile::tempdir().expect("temp dir");
    let mut journal = Journal::open(&dir.path().join("latency.ron")).expect("journal");
    let at = Utc.with_ymd_and_hms(2026, 3, 14, 14, 0, 0).single().expect("time");
    let mut times = Vec::with_capacity(samples);
    for i in 0..samples {
        let event = Stamped {
            seq: i as u64 + 1,
            at,
            by: Actor::NoteTaker("Priya Shah".into()),
            origin: None,
            event: Event::CommentAdded {
                id: CommentId(i as u32 + 1),
                text: "Partners want one front door for residents, and shared data behind it".into(),
                theme: Some("Opportunities".into()),
                room: Some(1),
                author: Some("helen".into()),
                pre_session: false,
            },
        };
        let started = Instant::now();
        journal.append(&[event]).expect("append");
        times.push(started.elapsed());
    }
    times.sort();
    let pick = |q: f64| times[((times.len() as f64 * q) as usize).min(times.len() - 1)];
    println!(
        "commit to durable, {samples} comments: median {:?}, p90 {:?}, p99 {:?}, max {:?}",
        pick(0.5),
        pick(0.9),
        pick(0.99),
        times[times.len() - 1]
    );
}
