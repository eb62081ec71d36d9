//! Type-ahead without bracketed paste: a burst of 4 KiB arriving at once (a terminal that does
//! not bracket pastes, or keys typed while the console was busy) reaches the capture bar whole,
//! without waiting for a further key. crossterm's default (mio, edge-triggered) event source
//! leaves what it did not read in its 1,024-byte chunks unread until the next input (crossterm
//! issue #813; 0.29.0 still does: this test stopped at about 2 KiB with it); the `use-dev-tty`
//! source polls level-triggered and reads it all.
#![allow(clippy::unwrap_used, clippy::panic)] // a test fails by panicking

mod common;

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use convene::store::Draft;
use portable_pty::{native_pty_system, CommandBuilder, PtySize};

#[test]
fn a_four_kib_unbracketed_burst_reaches_the_capture_bar_whole_without_another_key() {
    let (dir, path) = common::temp_session();
    let (rows, cols) = (30, 100);
    let pair = native_pty_system()
        .openpty(PtySize { rows, cols, pixel_width: 0, pixel_height: 0 })
        .expect("a pseudo-terminal");
    let mut command = CommandBuilder::new(env!("CARGO_BIN_EXE_convene"));
    command.args(["run", path.to_str().expect("utf-8 path")]);
    command.cwd(dir.path());
    command.env("TERM", "xterm-256color");
    let mut child = pair.slave.spawn_command(command).expect("convene starts");
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().expect("reader");
    let mut writer = pair.master.take_writer().expect("writer");
    let screen = Arc::new(Mutex::new(vt100::Parser::new(rows, cols, 0)));
    let parser = Arc::clone(&screen);
    std::thread::spawn(move || {
        let mut buffer = [0u8; 8192];
        while let Ok(n) = reader.read(&mut buffer) {
            if n == 0 {
                break;
            }
            parser.lock().expect("parser").process(&buffer[..n]);
        }
    });
    let contents = || screen.lock().expect("parser").screen().contents();
    let wait_until = |what: &str, done: &dyn Fn() -> bool| {
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if done() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("never saw {what}; the screen shows:\n{}", contents());
    };
    wait_until("the capture bar", &|| contents().contains("CAPTURE"));

    // 4,096 printable bytes, no line break, no escape: plain keys as far as the terminal knows.
    let mut burst = String::new();
    let mut n = 0;
    while burst.len() < 4096 - "END-OF-BURST".len() {
        burst.push_str(&format!("w{n} "));
        n += 1;
    }
    burst.truncate(4096 - "END-OF-BURST".len());
    burst.push_str("END-OF-BURST");
    assert_eq!(burst.len(), 4096);
    writer.write_all(burst.as_bytes()).expect("typed");
    writer.flush().expect("flushed");

    // No further key: the whole burst must arrive on its own.
    let draft = Draft::for_session(&path);
    wait_until("the whole burst in the draft", &|| {
        draft.read().is_some_and(|text| text.len() == burst.len())
    });
    assert_eq!(draft.read().as_deref(), Some(burst.as_str()), "every byte, in order");
    wait_until("the end of the burst on screen", &|| contents().contains("END-OF-BURST"));

    child.kill().expect("stopped");
    let _ = child.wait();
}
