//! Files and safety: journal recovery, torn writes, corrupt files, locks, never overwriting.
#![allow(clippy::unwrap_used, clippy::panic)] // a test fails by panicking

mod common;

use chrono::Duration;
use common::*;
use convene::model::CommentId;
use convene::model::{Actor, Event, Stamped};
use convene::store::{create_session, journal_path, load_read_only, open_for_writing, Journal, StoreError};

fn comment(seq: u64, text: &str) -> Stamped {
    Stamped {
        seq,
        at: t0() + Duration::seconds(seq as i64),
        by: Actor::Facilitator,
        origin: None,
        event: Event::CommentAdded {
            id: CommentId(seq as u32),
            text: text.into(),
            theme: Some("Opportunities".into()),
            room: Some(0),
            author: None,
            pre_session: false,
        },
    }
}

#[test]
fn a_journal_left_by_a_crash_is_folded_in_and_compacted() {
    let (_dir, path) = temp_session();
    let mut journal = Journal::open(&path).expect("journal");
    journal
        .append(&[comment(1, "saved before the crash"), comment(2, "line\nbreak and \"quotes\"")])
        .expect("append");
    drop(journal);

    let loaded = load_read_only(&path).expect("loads");
    assert_eq!(loaded.recovery.recovered_events, 2);
    assert_eq!(loaded.state.live, vec![CommentId(1), CommentId(2)]);
    assert_eq!(
        loaded.state.comment(CommentId(2)).map(|c| c.text.as_str()),
        Some("line\nbreak and \"quotes\"")
    );

    let (reopened, lock, _writer) = open_for_writing(&path).expect("opens");
    drop(lock);
    assert_eq!(reopened.state.live, vec![CommentId(1), CommentId(2)]);
    assert!(
        !journal_path(&path).exists()
            || std::fs::read_to_string(journal_path(&path)).expect("read").is_empty()
    );
    let again = load_read_only(&path).expect("loads after compaction");
    assert_eq!(again.file.events.len(), 2, "the events are now in the file itself");
    assert!(!again.recovery.needs_compaction());
}

#[test]
fn a_torn_last_journal_line_is_set_aside_and_everything_before_it_kept() {
    let (_dir, path) = temp_session();
    let mut journal = Journal::open(&path).expect("journal");
    journal.append(&[comment(1, "durable")]).expect("append");
    drop(journal);
    // A crash in the middle of the next write: half a line, no newline.
    let mut bytes = std::fs::read(journal_path(&path)).expect("read");
    bytes.extend_from_slice(b"(seq:2,at:\"2026-03-14T14:0");
    std::fs::write(journal_path(&path), bytes).expect("write");

    let loaded = load_read_only(&path).expect("loads");
    assert_eq!(loaded.state.live, vec![CommentId(1)]);
    assert!(loaded.recovery.torn_bytes > 0);
    assert!(loaded.recovery.message().expect("reported").contains("incomplete"));
}

#[test]
fn journal_events_already_in_the_file_are_not_applied_twice() {
    let (_dir, path) = temp_session();
    let mut journal = Journal::open(&path).expect("journal");
    journal.append(&[comment(1, "one")]).expect("append");
    drop(journal);
    let (_, lock, mut writer) = open_for_writing(&path).expect("opens");
    writer.append(vec![comment(2, "two")]).expect("append");
    // Simulate a crash after the rewrite but before the journal was cleared.
    writer.compact().expect("compact");
    std::fs::write(journal_path(&path), format!("{}\n", ron::to_string(&comment(2, "two")).expect("ron")))
        .expect("write");
    drop(lock);
    let loaded = load_read_only(&path).expect("loads");
    assert_eq!(loaded.state.live, vec![CommentId(1), CommentId(2)]);
    assert_eq!(loaded.recovery.already_saved, 1);
}

#[test]
fn a_corrupt_file_is_reported_with_line_and_column_and_never_touched() {
    let (_dir, path) = temp_session();
    let original = std::fs::read_to_string(&path).expect("read");
    let broken = original.replacen("minutes: 15", "minutes: fifteen", 1);
    std::fs::write(&path, &broken).expect("write");
    let line = broken.lines().position(|l| l.contains("fifteen")).expect("the edit is there") + 1;

    let error = open_for_writing(&path).err().expect("refused");
    let message = error.to_string();
    match &error {
        StoreError::Parse { line: l, column, .. } => {
            assert_eq!(*l, line, "{message}");
            assert!(*column > 1, "{message}");
        }
        other => panic!("expected a parse error, got {other}"),
    }
    assert!(message.contains(&path.display().to_string()), "{message}");
    assert!(message.contains("not changed"), "{message}");
    assert_eq!(std::fs::read_to_string(&path).expect("read"), broken, "the file is untouched");
}

#[test]
fn plan_mistakes_are_listed_in_plain_words() {
    let (_dir, path) = temp_session();
    let text = std::fs::read_to_string(&path).expect("read").replace("lead: \"lead3\"", "lead: \"nobody\"");
    std::fs::write(&path, text).expect("write");
    let message = load_read_only(&path).expect_err("refused").to_string();
    assert!(message.contains("\"nobody\", who is not in participants"), "{message}");
}

#[test]
fn a_file_from_a_newer_convene_is_refused_clearly() {
    let (_dir, path) = temp_session();
    let text = std::fs::read_to_string(&path)
        .expect("read")
        .replace("format: 1,", "format: 99,\n    hologram: true,");
    std::fs::write(&path, text).expect("write");
    let message = load_read_only(&path).expect_err("refused").to_string();
    assert!(message.contains("format version 99 is newer"), "{message}");
}

#[test]
fn a_second_writer_is_refused_while_the_first_holds_the_lock() {
    let (_dir, path) = temp_session();
    let (_loaded, lock, _writer) = open_for_writing(&path).expect("first opens");
    let message = open_for_writing(&path).err().expect("second refused").to_string();
    assert!(message.contains("already open in another convene"), "{message}");
    // Reading is still allowed (replay, check).
    load_read_only(&path).expect("read-only works while locked");
    drop(lock);
    open_for_writing(&path).expect("free again once the first closes");
}

#[test]
fn new_sessions_never_overwrite_an_existing_file() {
    let (_dir, path) = temp_session();
    let before = std::fs::read_to_string(&path).expect("read");
    let error = create_session(&path, "something else").expect_err("refused");
    assert!(matches!(error, StoreError::Exists { .. }));
    assert_eq!(std::fs::read_to_string(&path).expect("read"), before);
}

#[test]
fn an_inconsistent_log_names_the_line_of_the_event() {
    let (_dir, path) = temp_session();
    let text = std::fs::read_to_string(&path).expect("read").replace(
        "    events: [],",
        "    events: [\n        (seq: 1, at: \"2026-03-14T14:00:00Z\", by: Facilitator, event: CommentEdited(id: 7, text: \"x\")),\n    ],",
    );
    std::fs::write(&path, &text).expect("write");
    let line = text.lines().position(|l| l.contains("CommentEdited")).expect("there") + 1;
    let message = load_read_only(&path).expect_err("refused").to_string();
    assert!(message.contains(&format!("consult.ron:{line}:9: the event log is inconsistent")), "{message}");
    assert!(message.contains("comment #7"), "{message}");
}

/// `convene check` on a file, as the real binary: (succeeded, standard output, standard error).
fn check(path: &std::path::Path) -> (bool, String, String) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_convene"))
        .args(["check", path.to_str().expect("utf-8 path")])
        .output()
        .expect("convene runs");
    let text = |bytes: Vec<u8>| String::from_utf8(bytes).expect("utf-8 output");
    (output.status.success(), text(output.stdout), text(output.stderr))
}

#[test]
fn an_undo_mark_raises_a_format_2_file_to_format_3_and_nothing_else_changes() {
    let (_dir, path) = temp_session();
    let format_2 = std::fs::read_to_string(&path).expect("read").replace("format: 1,", "format: 2,");
    std::fs::write(&path, &format_2).expect("write");
    let (ok, out, err) = check(&path);
    assert!(ok && out.contains("ok (format 2, 0 events)"), "{out}{err}");

    // A comment alone keeps the file at format 2.
    let (_, lock, mut writer) = open_for_writing(&path).expect("opens");
    writer.append(vec![comment(1, "kept at format 2")]).expect("append");
    writer.close().expect("close");
    drop((writer, lock));
    let with_comment = std::fs::read_to_string(&path).expect("read");
    assert!(with_comment.contains("\n    format: 2,\n"), "{with_comment}");
    let (ok, out, err) = check(&path);
    assert!(ok && out.contains("ok (format 2, 1 event)"), "{out}{err}");

    // Undoing it is an event a format-2 convene cannot read: the file says format 3.
    let (_, lock, mut writer) = open_for_writing(&path).expect("opens");
    let undo = Stamped { seq: 2, event: Event::Undone { seq: 1 }, ..comment(2, "") };
    writer.append(vec![undo]).expect("append");
    writer.close().expect("close");
    drop((writer, lock));
    let with_undo = std::fs::read_to_string(&path).expect("read");
    let (ok, out, err) = check(&path);
    assert!(ok && out.contains("ok (format 3, 2 events)"), "{out}{err}");
    assert!(with_undo.contains("\n    format: 3,\n"), "{with_undo}");
    let events_at = with_comment.rfind("\n    ],").expect("end of the event list");
    assert_eq!(
        with_undo.replacen("format: 3,", "format: 2,", 1)[..events_at],
        with_comment[..events_at],
        "only the number changed before the new event"
    );
    assert!(with_undo[events_at..].contains("event:Undone(seq:1)"), "{with_undo}");

    // A convene that reads up to format 3 refuses a file claiming format 4, leaving it alone.
    let format_4 = with_undo.replacen("format: 3,", "format: 4,", 1);
    std::fs::write(&path, &format_4).expect("write");
    let (ok, _, err) = check(&path);
    assert!(
        !ok && err.contains("format version 4 is newer than this convene understands (up to 3)"),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&path).expect("read"), format_4);
}
