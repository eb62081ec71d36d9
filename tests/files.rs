//! The session file is the user's: the plan keeps its text through every save, saves keep the
//! file's identity, one writer whatever happens to names and links, files beside a session are
//! never followed through links, journals know their session, and a vanished file is recovered.
#![allow(clippy::unwrap_used, clippy::panic)] // a test fails by panicking

mod common;

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::Duration;
use common::*;
use convene::cli::session_template;
use convene::model::CommentId;
use convene::model::{Actor, Event, Stamped};
use convene::store::{
    earlier_in_series, journal_path, load_read_only, open_for_writing, recover_session, Draft, StoreError,
};

fn comment(seq: u64, text: &str) -> Stamped {
    Stamped {
        seq,
        at: t0() + Duration::seconds(seq as i64),
        by: Actor::Facilitator,
        origin: None,
        event: Event::CommentAdded {
            id: CommentId(seq as u32),
            text: text.into(),
            theme: Some("Strengths".into()),
            room: None,
            author: None,
            pre_session: false,
        },
    }
}

fn rooms(seq: u64, round: u32, rooms: &[&[&str]]) -> Stamped {
    Stamped {
        seq,
        at: t0() + Duration::seconds(seq as i64),
        by: Actor::Facilitator,
        origin: None,
        event: Event::RoomsAssigned {
            round,
            rooms: rooms.iter().map(|r| r.iter().map(|s| s.to_string()).collect()).collect(),
        },
    }
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap()
}

/// Everything before the event list's `[`: format, plan, comments, layout.
fn before_events(text: &str) -> &str {
    let key = text.rfind("events:").expect("an event list");
    &text[..key]
}

/// A hand-written plan: block and line comments, odd layout, a named struct, raw strings.
const HAND_WRITTEN: &str = r##"#![enable(implicit_some)]
/* Hand-written for the March session. /* Nested comment. */
   Keep this header. */
SessionFile(
    format: 1, // still format 1
    plan: Plan(
        title: r#"Partners' "spring" session"#,   // a raw string
        series: "Hand series",
        themes: [ (key: 's', name: "Strengths"), (key: 'w', name: "Weaknesses") ],
        participants: [
            (id: "ana", name: "Ana Lima", org: "Org A"),   // first
            (id: "ben", name: "Ben Ode", org: "Org B", role: RoomLead),
            // (id: "cut", name: "Removed", org: "Org C"),
        ],
        rooms: [(name: "Room ]1[", lead: "ben")],
        agenda: [(title: "Talk", minutes: 30)],
    ),
    events: [], // convene writes here
)
"##;

fn sessions() -> Vec<(&'static str, String)> {
    let example = read(Path::new("sessions/example.ron"));
    vec![
        ("template.ron", convene::cli::session_template_with_id("Template", "2026-03-14", "0123abcd")),
        ("hand.ron", HAND_WRITTEN.to_string()),
        // Format 1, no id: as files written before ids existed.
        ("format1.ron", session_template("Format one", "2026-03-14")),
        ("example.ron", example),
    ]
}

#[test]
fn the_plan_keeps_its_text_through_appends_crashes_and_closes() {
    for (name, original) in sessions() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        std::fs::write(&path, &original).unwrap();
        let plan_part = before_events(&original).to_string();
        let next = load_read_only(&path).unwrap().file.events.last().map_or(0, |e| e.seq) + 1;
        let comments = load_read_only(&path).unwrap().state.comments.len() as u64;
        let event = |k: u64| Stamped {
            event: match comment(next + k, &format!("comment {k} of {name}")).event {
                Event::CommentAdded { text, theme, room, author, pre_session, .. } => Event::CommentAdded {
                    id: CommentId((comments + k + 1) as u32),
                    text,
                    theme,
                    room,
                    author,
                    pre_session,
                },
                other => other,
            },
            ..comment(next + k, "")
        };

        // Open, append, and die without closing (the journal holds the event).
        let (_, lock, mut writer) = open_for_writing(&path).unwrap();
        writer.append(vec![event(0)]).unwrap();
        drop(writer);
        drop(lock);
        assert_eq!(read(&path), original, "{name}: nothing rewritten before a compaction");
        // Reopen: the journal is folded in; the plan's text is untouched.
        let (loaded, lock, mut writer) = open_for_writing(&path).unwrap();
        assert_eq!(loaded.recovery.recovered_events, 1, "{name}");
        let after_recovery = read(&path);
        assert!(after_recovery.starts_with(&plan_part), "{name}: plan text kept:\n{after_recovery}");
        writer.append(vec![event(1), event(2)]).unwrap();
        writer.close().unwrap();
        writer.close().unwrap(); // closing twice is harmless
        drop(writer);
        drop(lock);
        let closed = read(&path);
        assert!(closed.starts_with(&plan_part), "{name}: plan text kept after close:\n{closed}");
        assert!(
            closed.ends_with(&original[original.rfind(']').unwrap()..]),
            "{name}: what follows the log kept"
        );
        let reloaded = load_read_only(&path).unwrap();
        assert_eq!(reloaded.file.events.len() as u64, next + 2, "{name}: every event in the file");
        assert!(!journal_path(&path).exists(), "{name}: a clean close leaves no journal");
        assert!(!PathBuf::from(format!("{}.lock", path.display())).exists(), "{name}: and no lock file");
    }
}

#[test]
fn quitting_with_nothing_new_does_not_touch_the_file() {
    let (dir, path) = temp_session();
    let before = std::fs::metadata(&path).unwrap();
    let (_, lock, mut writer) = open_for_writing(&path).unwrap();
    writer.compact().unwrap();
    writer.close().unwrap();
    drop(writer);
    drop(lock);
    let after = std::fs::metadata(&path).unwrap();
    assert_eq!(before.ino(), after.ino(), "not replaced");
    assert_eq!(before.mtime_nsec(), after.mtime_nsec(), "not written");
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(left, vec![std::ffi::OsString::from("consult.ron")], "nothing left beside it");
}

#[test]
fn saves_keep_the_mode_and_write_through_a_symbolic_link() {
    let (dir, path) = temp_session();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    let link = dir.path().join("link.ron");
    std::os::unix::fs::symlink(&path, &link).unwrap();
    let (_, lock, mut writer) = open_for_writing(&link).unwrap();
    writer.append(vec![comment(1, "through the link")]).unwrap();
    writer.close().unwrap();
    drop((writer, lock));
    assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink(), "still a link");
    assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600, "mode kept");
    assert!(read(&path).contains("through the link"), "the target got the event");
    assert!(!journal_path(&link).exists());
}

#[test]
fn a_second_writer_is_refused_through_a_deleted_lock_a_link_or_a_hard_link() {
    let (dir, path) = temp_session();
    let (_, lock, mut writer) = open_for_writing(&path).unwrap();
    // Whatever a user deletes beside the session, the lock is on the file itself.
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let entry = entry.unwrap().path();
        if entry != path {
            std::fs::remove_file(entry).unwrap();
        }
    }
    let symlink = dir.path().join("symlink.ron");
    std::os::unix::fs::symlink(&path, &symlink).unwrap();
    let hard = dir.path().join("hard.ron");
    std::fs::hard_link(&path, &hard).unwrap();
    for other in [&path, &symlink, &hard] {
        let error = open_for_writing(other).err().expect("refused");
        assert!(matches!(error, StoreError::Locked { .. }), "{}: {error}", other.display());
    }
    // Still refused after a rewrite replaced the file under the same name.
    writer.append(vec![comment(1, "one")]).unwrap();
    writer.compact().unwrap();
    assert!(matches!(open_for_writing(&path).err(), Some(StoreError::Locked { .. })));
    drop((writer, lock));
    open_for_writing(&path).expect("free once the first closes");
}

#[test]
fn a_journal_deleted_while_open_is_noticed_and_recreated() {
    let (_dir, path) = temp_session();
    let (_, lock, mut writer) = open_for_writing(&path).unwrap();
    writer.append(vec![comment(1, "before")]).unwrap();
    std::fs::remove_file(journal_path(&path)).unwrap();
    let error = writer.append(vec![comment(2, "after")]).expect_err("not saved");
    assert!(matches!(error, StoreError::JournalLost { .. }), "{error}");
    writer.append(vec![comment(2, "after")]).expect("the retry is saved");
    drop((writer, lock)); // as kill -9 would
    let loaded = load_read_only(&path).unwrap();
    assert_eq!(loaded.state.live, vec![CommentId(1), CommentId(2)], "nothing lost, nothing twice");
    assert_eq!(std::fs::metadata(journal_path(&path)).unwrap().permissions().mode() & 0o777, 0o600);
}

#[test]
fn planted_links_beside_a_session_are_not_followed() {
    let (dir, path) = temp_session();
    let victim = dir.path().join("victim.txt");
    std::fs::write(&victim, "precious").unwrap();
    let plant = |suffix: &str| {
        let at = PathBuf::from(format!("{}{suffix}", path.display()));
        std::os::unix::fs::symlink(&victim, &at).unwrap();
        at
    };
    // A link where the lock file used to be, and at the old predictable temporary name.
    plant(".lock");
    plant(&format!(".{}.tmp", std::process::id()));
    let (_, lock, mut writer) = open_for_writing(&path).unwrap();
    writer.append(vec![comment(1, "one")]).unwrap();
    writer.close().unwrap();
    drop((writer, lock));
    assert_eq!(read(&victim), "precious");
    // A link where the journal goes: refused with a message, the victim untouched.
    let journal = plant(".journal");
    let error = open_for_writing(&path).err().expect("refused");
    assert!(error.to_string().contains("symbolic link"), "{error}");
    std::fs::remove_file(journal).unwrap();
    let (_, lock, mut writer) = open_for_writing(&path).unwrap();
    plant(".journal");
    let error = writer.append(vec![comment(2, "two")]).expect_err("refused");
    assert!(error.to_string().contains("symbolic link"), "{error}");
    drop((writer, lock));
    // A link where the draft goes is replaced, not written through.
    let draft = plant(".draft");
    Draft::for_session(&path).write("typing").unwrap();
    assert_eq!(read(&victim), "precious");
    assert_eq!(std::fs::metadata(&draft).unwrap().permissions().mode() & 0o777, 0o600);
}

#[test]
fn a_journal_of_another_session_is_refused_naming_both() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("consult.ron");
    let binary = env!("CARGO_BIN_EXE_convene");
    let new = |title: &str| {
        Command::new(binary)
            .args(["new", path.to_str().unwrap(), "--title", title, "--date", "2026-03-14"])
            .output()
            .unwrap()
    };
    assert!(new("First").status.success());
    let (_, lock, mut writer) = open_for_writing(&path).unwrap();
    writer.append(vec![comment(1, "belongs to the first session")]).unwrap();
    drop((writer, lock)); // crashed
    let journal_before = read(&journal_path(&path));
    std::fs::remove_file(&path).unwrap();
    // `convene new` will not start a session beside another one's journal...
    let refused = new("Second, same name");
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("consult.ron.journal"));
    assert!(!path.exists(), "nothing written");
    // ...and a session file put there by other means does not adopt it.
    std::fs::write(
        &path,
        session_template("Second", "2026-03-14").replacen("title:", "id: \"other\",\n        title:", 1),
    )
    .unwrap();
    let error = open_for_writing(&path).err().expect("refused");
    let message = error.to_string();
    assert!(matches!(error, StoreError::ForeignJournal { .. }), "{message}");
    assert!(message.contains("consult.ron.journal") && message.contains("session other"), "{message}");
    assert_eq!(read(&journal_path(&path)), journal_before, "the journal was left alone");
}

#[test]
fn a_copy_of_a_session_counts_once_in_the_series_history() {
    let dir = tempfile::tempdir().unwrap();
    let template = |title: &str, date: &str, id: &str| {
        convene::cli::session_template(title, date).replacen(
            "title:",
            &format!("id: \"{id}\",\n        title:"),
            1,
        )
    };
    let first = dir.path().join("consult-1.ron");
    std::fs::write(&first, template("One", "2026-03-01", "aaaa")).unwrap();
    let (_, lock, mut writer) = open_for_writing(&first).unwrap();
    writer
        .append(vec![rooms(
            1,
            0,
            &[&["lead1", "partner1"], &["lead2", "partner2"], &["lead3", "partner3", "facilitator"]],
        )])
        .unwrap();
    writer.close().unwrap();
    drop((writer, lock));
    std::fs::copy(&first, dir.path().join("consult-1-backup.ron")).unwrap();
    let second = dir.path().join("consult-2.ron");
    std::fs::write(&second, template("Two", "2026-03-08", "bbbb")).unwrap();
    let plan = load_read_only(&second).unwrap().file.plan;
    let (earlier, problems) = earlier_in_series(&second, &plan);
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(earlier.len(), 1, "the backup is the same session: {earlier:?}");
    assert_eq!(earlier[0].rounds.len(), 1);
}

#[test]
fn new_from_a_previous_session_keeps_its_text_with_a_new_id_title_and_date() {
    let dir = tempfile::tempdir().unwrap();
    let previous = dir.path().join("consult-1.ron");
    let next = dir.path().join("consult-2.ron");
    let binary = env!("CARGO_BIN_EXE_convene");
    let run = |args: &[&str]| Command::new(binary).args(args).output().unwrap();
    let made = run(&["new", previous.to_str().unwrap(), "--title", "One", "--date", "2026-03-01"]);
    assert!(made.status.success());
    let out = run(&[
        "new",
        next.to_str().unwrap(),
        "--from",
        previous.to_str().unwrap(),
        "--title",
        "Two",
        "--date",
        "2026-03-08",
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let (a, b) = (load_read_only(&previous).unwrap().file.plan, load_read_only(&next).unwrap().file.plan);
    assert_ne!(a.id, b.id);
    assert_eq!(b.title, "Two");
    assert_eq!(b.date.as_deref(), Some("2026-03-08"));
    assert_eq!(
        (&a.series, &a.themes, &a.participants, &a.rooms, &a.agenda),
        (&b.series, &b.themes, &b.participants, &b.rooms, &b.agenda)
    );
    // Every comment line of the previous plan is there, in order.
    let comments = |text: &str| {
        text.lines().filter(|l| l.trim_start().starts_with("//")).map(str::to_string).collect::<Vec<_>>()
    };
    assert_eq!(comments(&read(&previous)), comments(&read(&next)));
    // From the bundled example (with a long log): the log is empty, the people are the same.
    let from_example = dir.path().join("example-next.ron");
    let out =
        run(&["new", from_example.to_str().unwrap(), "--from", "sessions/example.ron", "--title", "Three"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let loaded = load_read_only(&from_example).unwrap();
    assert!(loaded.file.events.is_empty());
    assert!(loaded.file.plan.id.is_some());
    assert_eq!(
        loaded.file.plan.series,
        load_read_only(Path::new("sessions/example.ron")).unwrap().file.plan.series
    );
}

#[test]
fn a_session_changed_on_disk_while_open_is_not_reverted() {
    let (_dir, path) = temp_session();
    let (_, lock, mut writer) = open_for_writing(&path).unwrap();
    writer.append(vec![comment(1, "kept in the journal")]).unwrap();
    let edited = read(&path).replace("Room 3", "Room three");
    std::fs::write(&path, &edited).unwrap();
    let error = writer.close().expect_err("refused");
    assert!(matches!(error, StoreError::Changed { .. }), "{error}");
    assert!(error.to_string().contains("did not overwrite"), "{error}");
    drop((writer, lock));
    assert_eq!(read(&path), edited, "the edit stands");
    // Opening again adds the journal to the edited file.
    let (loaded, lock, mut writer) = open_for_writing(&path).unwrap();
    assert_eq!(loaded.state.live, vec![CommentId(1)]);
    writer.close().unwrap();
    drop((writer, lock));
    assert!(read(&path).contains("Room three") && read(&path).contains("kept in the journal"));
}

#[test]
fn a_session_removed_while_open_is_recovered_from_its_journal() {
    let (_dir, path) = temp_session();
    let original = read(&path);
    let (_, lock, mut writer) = open_for_writing(&path).unwrap();
    writer.append(vec![comment(1, "compacted before the removal")]).unwrap();
    writer.compact().unwrap();
    writer.append(vec![comment(2, "only in the journal")]).unwrap();
    std::fs::remove_file(&path).unwrap();
    let error = writer.close().expect_err("refused");
    assert!(error.to_string().contains("convene recover"), "{error}");
    writer.append(vec![comment(3, "after the removal")]).unwrap();
    drop((writer, lock));
    assert!(!path.exists(), "convene did not write the file again by itself");

    let out = Command::new(env!("CARGO_BIN_EXE_convene"))
        .args(["recover", path.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let loaded = load_read_only(&path).unwrap();
    assert_eq!(loaded.state.live, vec![CommentId(1), CommentId(2), CommentId(3)], "every event back");
    assert!(read(&path)
        .contains(&original[original.find("plan:").unwrap()..original.find("events:").unwrap() - 6]));
    let again = recover_session(&path).expect_err("nothing to recover now");
    assert!(again.to_string().contains("exists"), "{again}");
}

#[test]
fn a_draft_already_committed_is_not_restored_and_drafts_are_private() {
    let (_dir, path) = temp_session();
    let draft = Draft::for_session(&path);
    draft.write("Shared data matters").unwrap();
    let mode = std::fs::metadata(format!("{}.draft", path.display())).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    let (_, lock, mut writer) = open_for_writing(&path).unwrap();
    writer.append(vec![comment(1, "Shared data matters")]).unwrap();
    writer.close().unwrap();
    drop((writer, lock));
    let state = load_read_only(&path).unwrap().state;
    assert_eq!(draft.restorable(&state), None, "already a comment");
    draft.write("Still typing").unwrap();
    assert_eq!(draft.restorable(&state).as_deref(), Some("Still typing"));
}

#[test]
fn temporaries_left_by_a_kill_are_cleaned_on_the_next_open() {
    let (dir, path) = temp_session();
    let stray = dir.path().join("consult.ron.0123456789abcdef.tmp");
    let stray_draft = dir.path().join("consult.ron.draft.fedcba9876543210.tmp");
    let someone_elses = dir.path().join("other.ron.0123456789abcdef.tmp");
    for file in [&stray, &stray_draft, &someone_elses] {
        std::fs::write(file, "half").unwrap();
    }
    let (_, lock, _writer) = open_for_writing(&path).unwrap();
    drop(lock);
    assert!(!stray.exists() && !stray_draft.exists());
    assert!(someone_elses.exists(), "another session's files are its own business");
}

#[test]
fn damaged_files_name_file_line_and_column_and_say_not_changed() {
    let cases: &[(&str, &str)] = &[
        ("bom.ron", "1:1"),
        ("latin1.ron", "6:20"),
        ("unclosed.ron", "10:27"),
        ("unknown_field.ron", "7:"),
        ("plan_problem.ron", "9:"),
        ("bad_event.ron", "13:9"),
    ];
    for (name, position) in cases {
        let path = Path::new("tests/corrupt").join(name);
        let before = std::fs::read(&path).unwrap();
        let message = load_read_only(&path).expect_err(name).to_string();
        assert!(message.contains(&format!("{}:{position}", path.display())), "{name}: {message}");
        assert!(message.contains("not changed"), "{name}: {message}");
        assert_eq!(std::fs::read(&path).unwrap(), before);
    }
    let bom = load_read_only(Path::new("tests/corrupt/bom.ron")).unwrap_err().to_string();
    assert!(bom.contains("byte-order mark"), "{bom}");
    let latin1 = load_read_only(Path::new("tests/corrupt/latin1.ron")).unwrap_err().to_string();
    assert!(latin1.contains("UTF-8"), "{latin1}");
}

#[test]
fn a_closed_pipe_ends_check_quietly() {
    // Far more output than a pipe buffers, so convene is still writing when `head` leaves.
    let files = vec!["sessions/example.ron"; 300].join(" ");
    let script = format!(
        "{{ '{}' check {files}; echo \"convene exited $?\" >&2; }} | head -1",
        env!("CARGO_BIN_EXE_convene")
    );
    let out = Command::new("sh").arg("-c").arg(script).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("convene exited 0"), "{stderr}");
    assert!(!stderr.contains("panicked") && !stderr.contains("Broken pipe"), "{stderr}");
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 1);
}

#[test]
fn reading_or_opening_creates_nothing_beside_the_session() {
    let (dir, path) = temp_session();
    let listing = || {
        let mut names: Vec<_> =
            std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        names.sort();
        names
    };
    let before = listing();
    load_read_only(&path).unwrap();
    assert_eq!(listing(), before, "reading touches nothing");
    // Opening for writing takes the lock on the file itself; the journal waits for an event.
    let (_, lock, writer) = open_for_writing(&path).unwrap();
    assert_eq!(listing(), before, "nothing created before the first event");
    drop((writer, lock));
    assert_eq!(listing(), before);
}

mod appended_text {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

        /// Whatever the comments say (brackets, quotes, comment markers, any Unicode), adding
        /// them to a hand-written file keeps its plan text and reads back exactly.
        #[test]
        fn any_comments_read_back_and_leave_the_plan_alone(
            texts in proptest::collection::vec("[\\[\\](){}\"'/*,:#rb \\\\\\n\\PC]{0,40}", 1..6),
        ) {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("hand.ron");
            std::fs::write(&path, HAND_WRITTEN).unwrap();
            let events: Vec<Stamped> =
                texts.iter().enumerate().map(|(i, text)| comment(i as u64 + 1, text)).collect();
            let (_, lock, mut writer) = open_for_writing(&path).unwrap();
            writer.append(events[..1].to_vec()).unwrap();
            writer.compact().unwrap();
            writer.append(events[1..].to_vec()).unwrap();
            writer.close().unwrap();
            drop((writer, lock));
            let text = read(&path);
            prop_assert!(text.starts_with(before_events(HAND_WRITTEN)));
            let loaded = load_read_only(&path).unwrap();
            prop_assert_eq!(loaded.file.events, events);
        }
    }
}
