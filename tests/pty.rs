//! End to end: the real binary in a real pseudo-terminal, read back through a vt100 parser.
#![allow(clippy::unwrap_used, clippy::panic)] // a test fails by panicking

mod common;

use common::console::Console;

use std::path::Path;
use std::time::Duration;

use convene::model::CommentId;
use convene::store::load_read_only;

#[test]
fn typing_comments_and_quitting_leaves_them_in_the_file() {
    let (dir, path) = common::temp_session();
    let mut console = Console::start(&["run", path.to_str().expect("utf-8 path")], dir.path());
    console.wait_for("CAPTURE");
    // Alt+o (ESC o) tags Opportunities; Alt+2 (ESC 2) picks Room 2.
    console.send("\x1bo");
    console.wait_for("theme [o] Opportunities");
    console.send("\x1b2");
    console.wait_for("Room 2");
    console.send("Shared data platform for all partners\r");
    console.wait_for("Shared data platform for all partners");
    console.send("Emoji 🎉 and عربي survive\r");
    console.wait_saved("Emoji 🎉 and عربي survive");
    console.send("\x11"); // Ctrl+Q
                          // Everything is durable, so quitting does not ask.
    let status = console.wait_exit();
    assert!(status.success(), "exit status {status:?}; screen:\n{}", console.contents());

    let loaded = load_read_only(&path).expect("the file loads");
    let texts: Vec<&str> = loaded.state.live_comments().map(|c| c.text.as_str()).collect();
    assert_eq!(texts, ["Shared data platform for all partners", "Emoji 🎉 and عربي survive"]);
    let first = loaded.state.comment(CommentId(1)).expect("comment 1");
    assert_eq!((first.theme.as_deref(), first.room), (Some("Opportunities"), Some(1)));
    assert!(!loaded.recovery.needs_compaction(), "quitting rewrote the file and cleared the journal");
}

#[test]
fn sigkill_loses_no_comment_the_screen_showed_as_saved() {
    let (dir, path) = common::temp_session();
    let mut console = Console::start(&["run", path.to_str().expect("utf-8 path")], dir.path());
    console.wait_for("CAPTURE");
    let comments: Vec<String> = (1..=12).map(|i| format!("Comment number {i} before the crash")).collect();
    for text in &comments {
        console.send(&format!("{text}\r"));
    }
    console.wait_saved(comments.last().expect("twelve"));
    // The screen now says every comment is saved: kill without any chance to clean up.
    let pid = console.child.process_id().expect("a pid");
    let killed =
        std::process::Command::new("kill").args(["-9", &pid.to_string()]).status().expect("kill runs");
    assert!(killed.success());
    console.wait_exit();

    let loaded = load_read_only(&path).expect("the file loads after a crash");
    let texts: Vec<&str> = loaded.state.live_comments().map(|c| c.text.as_str()).collect();
    assert_eq!(texts, comments.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(loaded.recovery.recovered_events > 0, "they came back from the journal");

    // The lock died with the process: a new console opens it and shows the comments.
    let mut again = Console::start(&["run", path.to_str().expect("utf-8 path")], dir.path());
    again.wait_for("Comment number 12 before the crash");
    again.send("\x11");
    assert!(again.wait_exit().success());
}

#[test]
fn a_second_console_on_the_same_file_is_refused() {
    let (dir, path) = common::temp_session();
    let mut first = Console::start(&["run", path.to_str().expect("utf-8 path")], dir.path());
    first.wait_for("CAPTURE");
    let mut second = Console::start(&["run", path.to_str().expect("utf-8 path")], dir.path());
    second.wait_for("already open in another convene");
    assert!(!second.wait_exit().success());
    first.send("\x11");
    assert!(first.wait_exit().success());
}

#[test]
fn a_console_without_a_terminal_says_so_in_one_line_and_touches_nothing() {
    let (dir, path) = common::temp_session();
    let before = std::fs::read(&path).expect("the session");
    let listing = |dir: &Path| {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .expect("dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into())
            .collect();
        names.sort();
        names
    };
    let files_before = listing(dir.path());
    for command in ["run", "host", "replay"] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_convene"))
            .args([command, path.to_str().expect("utf-8 path")])
            .stdin(std::process::Stdio::null())
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(1), "{command}: {out:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(stderr.lines().count(), 1, "{command}: one line, no backtrace: {stderr}");
        assert!(stderr.contains("needs an interactive terminal"), "{stderr}");
    }
    assert_eq!(std::fs::read(&path).expect("the session"), before, "the file is untouched");
    assert_eq!(listing(dir.path()), files_before, "no journal, lock or token left behind");
}

#[test]
fn sigterm_and_sighup_end_the_console_as_a_clean_quit_does() {
    for signal in ["TERM", "HUP"] {
        let (dir, path) = common::temp_session();
        let mut console = Console::start(&["run", path.to_str().expect("utf-8 path")], dir.path());
        console.wait_for("CAPTURE");
        console.send(&format!("Captured before SIG{signal}\r"));
        console.wait_saved(&format!("Captured before SIG{signal}"));
        console.send("half typed");
        let pid = console.child.process_id().expect("a pid");
        let status =
            std::process::Command::new("kill").args([&format!("-{signal}"), &pid.to_string()]).status();
        assert!(status.expect("kill runs").success());
        let exit = console.wait_exit();
        assert!(exit.success(), "SIG{signal}: a clean exit, not {exit:?}");
        // The terminal is restored: back on the main screen, where convene's last line is.
        console.wait_until("the main screen", |screen| screen.contains(&format!("ended by SIG{signal}")));
        let screen = console.screen.lock().expect("parser");
        assert!(!screen.screen().alternate_screen(), "left the alternate screen");
        drop(screen);
        // Compacted: the comment is in the file itself and the journal holds nothing.
        let text = std::fs::read_to_string(&path).expect("the session");
        assert!(text.contains(&format!("Captured before SIG{signal}")), "compacted into the file");
        let journal =
            dir.path().join(format!("{}.journal", path.file_name().expect("name").to_string_lossy()));
        let journal_len = std::fs::metadata(&journal).map(|m| m.len()).unwrap_or(0);
        assert_eq!(journal_len, 0, "nothing left only in the journal");
    }
}

#[test]
fn check_summarises_a_file_and_fails_clearly_on_a_broken_one() {
    let (dir, path) = common::temp_session();
    let ok = std::process::Command::new(env!("CARGO_BIN_EXE_convene"))
        .args(["check", path.to_str().expect("utf-8 path")])
        .output()
        .expect("runs");
    assert!(ok.status.success());
    let out = String::from_utf8_lossy(&ok.stdout);
    assert!(out.contains("Test session") && out.contains("Agenda: 6 items, 110 min planned"), "{out}");

    let broken = dir.path().join("broken.ron");
    std::fs::write(&broken, "(format: 1, plan: (title: \"x\",").expect("write");
    let bad = std::process::Command::new(env!("CARGO_BIN_EXE_convene"))
        .args(["check", broken.to_str().expect("utf-8 path")])
        .output()
        .expect("runs");
    assert!(!bad.status.success());
    let message = String::from_utf8_lossy(&bad.stderr);
    assert!(message.contains("broken.ron:1:"), "{message}");
}

#[test]
fn rooms_and_export_run_on_the_example_without_a_terminal() {
    let example = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sessions/example.ron");
    let before = std::fs::read(&example).expect("read");
    let rooms = std::process::Command::new(env!("CARGO_BIN_EXE_convene"))
        .args([
            "rooms",
            example.to_str().expect("utf-8"),
            "--rounds",
            "1",
            "--time",
            "300ms",
            "--format",
            "ron",
        ])
        .output()
        .expect("runs");
    assert!(rooms.status.success(), "{}", String::from_utf8_lossy(&rooms.stderr));
    assert!(String::from_utf8_lossy(&rooms.stdout).contains("repeats:"));
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("summary.html");
    let export = std::process::Command::new(env!("CARGO_BIN_EXE_convene"))
        .args([
            "export",
            example.to_str().expect("utf-8"),
            "--format",
            "html",
            "--out",
            out.to_str().expect("utf-8"),
        ])
        .output()
        .expect("runs");
    assert!(export.status.success(), "{}", String::from_utf8_lossy(&export.stderr));
    assert!(std::fs::read_to_string(&out).expect("written").contains("<html"));
    assert_eq!(std::fs::read(&example).expect("read"), before, "reading never changes the session");
}

#[test]
fn a_round_copied_on_the_rooms_screen_reaches_the_terminals_clipboard() {
    use base64::Engine;
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("copy.ron");
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("sessions/example.ron"), &path).expect("copy");
    let mut console = Console::start(&["run", path.to_str().expect("utf-8 path")], dir.path());
    console.wait_for("CAPTURE");
    console.send("\x1b[14~"); // F4: the rooms screen
    console.wait_for("ROOMS");
    console.send("y");
    console.wait_for("copied");
    // The shell writes the copy as OSC 52 (ESC ] 52 ; c ; base64 BEL) on the terminal it owns.
    let text = console.wait_written(|bytes| {
        let start = bytes.windows(7).position(|w| w == b"\x1b]52;c;")? + 7;
        let end = start + bytes[start..].iter().position(|b| *b == 0x07)?;
        base64::engine::general_purpose::STANDARD.decode(&bytes[start..end]).ok()
    });
    let text = String::from_utf8(text).expect("utf-8");
    assert!(text.starts_with("Breakout rooms, round "), "copied: {text}");
    console.send("\x11"); // Ctrl+Q
    assert!(console.wait_exit().success());
}

/// Kill a console's process outright (no chance to clean up).
fn sigkill(console: &mut Console) {
    let pid = console.child.process_id().expect("a pid");
    let killed =
        std::process::Command::new("kill").args(["-9", &pid.to_string()]).status().expect("kill runs");
    assert!(killed.success());
    console.wait_exit();
}

#[test]
fn room_leads_capture_from_their_own_terminals_and_a_killed_host_or_joiner_loses_nothing() {
    let (dir, path) = common::temp_session();
    let file = path.to_str().expect("utf-8 path");
    let (mut host, address, token) = Console::host(file, dir.path());
    let join = |name: &str, room: &str| {
        let outbox = dir.path().join(format!("{room}.outbox"));
        let outbox = outbox.to_str().expect("utf-8").to_string();
        let args = ["join", &address, "--token", &token, "--name", name, "--room", room, "--outbox", &outbox];
        Console::start(&args, dir.path())
    };
    let mut lead1 = join("Room lead 1", "1");
    let mut lead2 = join("Room lead 2", "2");
    lead1.wait_for("online, all sent");
    lead2.wait_for("online, all sent");
    host.wait_for("2 joined");
    lead1.send("Room one says transport first\r");
    host.wait_for("Room one says transport first");
    lead2.send("Room two says housing first\r");
    host.wait_for("Room two says housing first");
    lead1.wait_for("online, all sent");
    lead2.wait_for("online, all sent");

    // Pull the plug on the host: what it acknowledged is on its disk.
    sigkill(&mut host);
    let loaded = load_read_only(&path).expect("the file loads after a crash");
    let texts: Vec<&str> = loaded.state.live_comments().map(|c| c.text.as_str()).collect();
    assert_eq!(texts, ["Room one says transport first", "Room two says housing first"]);
    // Joiners keep capturing while it is down.
    lead1.wait_for("offline");
    lead1.send("Said while the host was down\r");
    lead1.wait_for("offline, 1 unsent");

    // The host comes back with the same token; joiners reconnect and resend by themselves.
    let mut host = Console::start(&["host", file, "--listen", &address], dir.path());
    host.wait_for("Said while the host was down");
    lead1.wait_for("online, all sent");

    // Kill a joiner right after it commits, then start it again: it resends what was unanswered.
    lead2.send("Sent just before the joiner died\r");
    // In its outbox on disk (the feed no longer says "saving"), whether or not it reached the host.
    lead2.wait_until("the comment kept in the outbox", |screen| {
        screen.contains("R2 Sent just before the joiner died") && !screen.contains("(saving…)")
    });
    sigkill(&mut lead2);
    let mut lead2 = join("Room lead 2", "2");
    lead2.wait_for("online, all sent");
    host.wait_for("Sent just before the joiner died");

    // Ctrl+Q: everything is durable, but terminals are joined, so it asks in words first;
    // Enter confirms once the window has stood for the quiet moment.
    host.send("\x11");
    host.wait_for("terminal(s) are joined");
    std::thread::sleep(Duration::from_millis(2 * convene::app::QUIET_MS as u64));
    host.send("\r");
    assert!(host.wait_exit().success(), "the host quits cleanly; screen:\n{}", host.contents());
    assert!(!std::path::Path::new(&format!("{file}.token")).exists(), "a clean quit drops the token");
    let loaded = load_read_only(&path).expect("the file loads");
    let texts: Vec<&str> = loaded.state.live_comments().map(|c| c.text.as_str()).collect();
    assert_eq!(
        texts,
        [
            "Room one says transport first",
            "Room two says housing first",
            "Said while the host was down",
            "Sent just before the joiner died"
        ],
        "every comment exactly once"
    );
    let rooms: Vec<Option<u32>> = loaded.state.live_comments().map(|c| c.room).collect();
    assert_eq!(rooms, [Some(0), Some(1), Some(0), Some(1)], "tagged with each lead's room");
    // Everything they sent is stored: a clean quit leaves no outbox behind.
    lead1.send("\x11");
    assert!(lead1.wait_exit().success());
    lead2.send("\x11");
    assert!(lead2.wait_exit().success());
    for room in ["1", "2"] {
        let outbox = dir.path().join(format!("{room}.outbox"));
        assert!(!outbox.exists(), "{} removed once all was stored", outbox.display());
    }
}

/// Typing a sentence at eight keys a second on the select, agenda, priorities and rooms
/// screens runs no command there: each sentence lands in the capture bar, and the saved file
/// gains nothing but the comments.
#[test]
fn a_sentence_typed_on_any_command_screen_is_only_ever_a_comment() {
    let (dir, path) = common::temp_session();
    let mut console = Console::start(&["run", path.to_str().expect("utf-8 path")], dir.path());
    console.wait_for("CAPTURE");
    console.send("First comment\r");
    console.wait_until("the first comment committed", |screen| {
        screen.contains("First comment") && screen.contains("Type a comment") && !screen.contains("saving")
    });
    // (the key that leaves the capture bar, the screen's label, what a note-taker types there)
    let screens = [
        ("\x1b", "SELECT", "dynamic leadership needed"),
        ("\x1bOQ", "AGENDA", "next steps by Monday, please"),
        ("\x1bOR", "PRIORITIES", "Session 2: one page plan"),
        ("\x1bOS", "ROOMS", "room 3 moves all people"),
    ];
    for (to_screen, label, sentence) in screens {
        console.send(to_screen);
        console.wait_for(label);
        for c in sentence.chars() {
            console.send(&c.to_string());
            std::thread::sleep(Duration::from_millis(125));
        }
        console.wait_for("typed text went to the capture bar");
        console.send("\r");
        // Committed (the bar is empty again) and durable, before the next screen or quitting.
        console.wait_until(&format!("{sentence:?} committed and saved"), |screen| {
            screen.contains(sentence)
                && screen.contains("Type a comment")
                && screen.contains("✓ saved")
                && !screen.contains("saving")
        });
    }
    console.send("\x11"); // Ctrl+Q: everything is durable and nobody is joined.
    let status = console.wait_exit();
    assert!(status.success(), "exit status {status:?}; screen:\n{}", console.contents());

    let loaded = load_read_only(&path).expect("the file loads");
    let kinds: Vec<String> = loaded
        .file
        .events
        .iter()
        .map(|e| format!("{:?}", e.event).split([' ', '{']).next().unwrap_or_default().to_string())
        .collect();
    assert!(kinds.iter().all(|k| k == "CommentAdded"), "only comments were recorded: {kinds:?}");
    let texts: Vec<&str> = loaded.state.live_comments().map(|c| c.text.as_str()).collect();
    assert_eq!(
        texts,
        [
            "First comment",
            "dynamic leadership needed",
            "next steps by Monday, please",
            "Session 2: one page plan",
            "room 3 moves all people"
        ]
    );
}

/// Undo on a live call, with the real binary: the host's Ctrl+Z takes back an agenda step and
/// then a comment (its text back in the bar), the history window lists both; a joiner's Ctrl+Z
/// takes back only its own comment, through the host. The file keeps every act and every undo,
/// and `check` counts what stands.
#[test]
fn ctrl_z_on_the_host_and_on_a_joiner_takes_back_their_own_latest_act() {
    let (dir, path) = common::temp_session();
    let file = path.to_str().expect("utf-8 path");
    let (mut host, address, token) = Console::host(file, dir.path());
    let outbox = dir.path().join("lead.outbox");
    let outbox = outbox.to_str().expect("utf-8").to_string();
    let args = ["join", &address, "--token", &token, "--name", "Room lead 1", "--outbox", &outbox];
    let mut lead = Console::start(&args, dir.path());
    lead.wait_for("online, all sent");

    host.send("Buses stop at six\r");
    host.wait_saved("Buses stop at six");
    lead.send("Libraries close early\r");
    host.wait_for("Libraries close early");
    // F5 starts the agenda from any screen; the joiner's comment came after the host's.
    host.send("\x1b[15~");
    host.wait_for("1/6");
    host.send("\x1a"); // Ctrl+Z
    host.wait_for("undone: start of");
    host.send("\x1a");
    host.wait_for("its text is back in the capture bar");
    host.wait_until("the comment gone from the feed, its text in the bar", |screen| {
        screen.contains("│Buses stop at six") && screen.contains("Libraries close early")
    });
    // The joiner's Ctrl+Z undoes the joiner's comment, never the host's acts.
    lead.send("\x1a");
    lead.wait_for("asked the host to undo comment #2");
    host.wait_until("the joiner's comment gone", |screen| !screen.contains("Libraries close early"));
    // The history (F12) lists who did what, the undone ones marked.
    host.send("\x1b[24~");
    host.wait_for("History: undo or redo any act");
    host.wait_for("undone comment #2 “Libraries close early”");
    host.wait_for("Room lead 1");
    host.send("\x1b");
    host.wait_until("the history closed", |screen| !screen.contains("History: undo"));
    host.send("\x11");
    host.wait_for("terminal(s) are joined");
    std::thread::sleep(Duration::from_millis(2 * convene::app::QUIET_MS as u64));
    host.send("\r");
    assert!(host.wait_exit().success(), "the host quits cleanly; screen:\n{}", host.contents());
    // The joiner hears the session is over, stops reconnecting, and says what it kept.
    lead.wait_for("SESSION CLOSED by the host, 0 unsent  everything you sent is stored");
    // The joiner's bar holds the undone comment's text, so quitting asks first.
    lead.send("\x11");
    lead.wait_for("The capture bar holds text");
    std::thread::sleep(Duration::from_millis(2 * convene::app::QUIET_MS as u64));
    lead.send("\r");
    assert!(lead.wait_exit().success());

    let loaded = load_read_only(&path).expect("the file loads");
    assert!(loaded.state.live.is_empty(), "both comments undone: {:?}", loaded.state.live);
    assert_eq!(loaded.state.agenda.current, None, "the agenda step undone");
    let undos =
        loaded.file.events.iter().filter(|e| matches!(e.event, convene::model::Event::Undone { .. })).count();
    assert_eq!(undos, 3, "the log keeps every act and every undo");
    let check = std::process::Command::new(env!("CARGO_BIN_EXE_convene"))
        .args(["check", file])
        .output()
        .expect("check runs");
    let said = String::from_utf8_lossy(&check.stdout);
    assert!(said.contains("Comments: 0"), "{said}");
}

#[test]
fn page_keys_on_host_and_joiner_go_by_each_ones_own_screen() {
    let dir = tempfile::tempdir().expect("temp dir");
    let example = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sessions/example.ron");
    let path = dir.path().join("example.ron");
    std::fs::copy(&example, &path).expect("copy the example");
    let file = path.to_str().expect("utf-8 path");
    let address = {
        let probe = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
        probe.local_addr().expect("address").to_string()
    };
    let mut host = Console::start_with(&["host", file, "--listen", &address], &[], dir.path(), (45, 160));
    host.wait_for("joined (F8)");
    let token = std::fs::read_to_string(format!("{file}.token")).expect("the host keeps its token");
    let outbox = dir.path().join("lead.outbox");
    let outbox = outbox.to_str().expect("utf-8").to_string();
    let args = ["join", &address, "--token", token.trim(), "--name", "Room lead 1", "--outbox", &outbox];
    let mut lead = Console::start_with(&args, &[], dir.path(), (24, 80));
    lead.wait_for("online, all sent");

    // 80x24 leaves 16 rows for comments: a page is 8. The host's 160x45 feed pages further.
    lead.send("\x1b[5~"); // PgUp
    lead.wait_for("↓ 8 newer below");
    host.send("\x1b[5~");
    host.wait_until("the host's feed paged up by its own half screen", |screen| {
        screen
            .split("↓ ")
            .nth(1)
            .and_then(|rest| rest.split_whitespace().next()?.parse::<usize>().ok())
            .is_some_and(|page| page > 8)
    });
    // Selecting walks up the page and keeps the highlighted comment on screen at both sizes.
    for console in [&mut lead, &mut host] {
        console.send("\x1b[6~"); // PgDn: back to the newest
        console.wait_until("following the newest again", |screen| !screen.contains("newer below"));
        console.send("\x1b"); // Esc: select comments
        console.wait_for("SELECT");
        console.send("\x1b[H"); // Home: the oldest
        console.wait_until("the oldest comment selected and shown", |screen| screen.contains("▶#1 "));
        console.wait_for("newer below");
    }
    lead.stop();
    host.stop();
}
