//! The console stays live while rooms are planned: the real binary in a pseudo-terminal on a
//! copy of the bundled example, planning three more rounds (`g` on the rooms screen, then back
//! to the capture bar) while a key is typed every 25 ms. Reports the longest gap between two
//! frames the console wrote while keys came in and the time from each key to its character on screen (median, p99,
//! worst). `CONVENE_BIN` measures another build of the binary (e.g. an older one) the same way;
//! `CONVENE_SESSION` plans on another session file.
#![allow(clippy::unwrap_used, clippy::panic)] // a benchmark fails by panicking

use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{native_pty_system, CommandBuilder, PtySize};

struct Screen {
    parser: vt100::Parser,
    writes: Vec<Instant>,
}

fn main() {
    let binary = std::env::var("CONVENE_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_convene").to_string());
    let dir = tempfile::tempdir().unwrap();
    let session = dir.path().join("planning.ron");
    // `CONVENE_SESSION` plans on another file (e.g. one an older build can read).
    let source = std::env::var("CONVENE_SESSION")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| Path::new(env!("CARGO_MANIFEST_DIR")).join("sessions/example.ron"));
    std::fs::copy(source, &session).unwrap();
    let (rows, cols) = (45, 160);
    let pair = native_pty_system().openpty(PtySize { rows, cols, pixel_width: 0, pixel_height: 0 }).unwrap();
    let mut command = CommandBuilder::new(&binary);
    command.args(["run", session.to_str().unwrap()]);
    command.cwd(dir.path());
    command.env("TERM", "xterm-256color");
    let mut child = pair.slave.spawn_command(command).unwrap();
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().unwrap();
    let mut writer = pair.master.take_writer().unwrap();
    let screen =
        Arc::new(Mutex::new(Screen { parser: vt100::Parser::new(rows, cols, 0), writes: Vec::new() }));
    let shared = Arc::clone(&screen);
    std::thread::spawn(move || {
        let mut buffer = [0u8; 65536];
        while let Ok(n) = reader.read(&mut buffer) {
            if n == 0 {
                break;
            }
            let mut screen = shared.lock().unwrap();
            screen.parser.process(&buffer[..n]);
            screen.writes.push(Instant::now());
        }
    });
    let contents = |screen: &Arc<Mutex<Screen>>| screen.lock().unwrap().parser.screen().contents();
    let wait_for = |what: &str| {
        let deadline = Instant::now() + Duration::from_secs(30);
        while !contents(&screen).contains(what) {
            assert!(Instant::now() < deadline, "never saw {what:?}:\n{}", contents(&screen));
            std::thread::sleep(Duration::from_millis(2));
        }
    };
    let mut send = |bytes: &str| {
        writer.write_all(bytes.as_bytes()).unwrap();
        writer.flush().unwrap();
    };
    wait_for("CAPTURE");
    let mut latencies = Vec::new();
    let mut longest_gap = Duration::ZERO;
    let held = |screen: &Arc<Mutex<Screen>>| contents(screen).matches("planned:").count();
    for round in 0..3 {
        let before = held(&screen);
        send("\x1b[14~"); // F4: the rooms screen
        wait_for("ROOMS");
        // A letter on a command screen acts once it has stood alone for the quiet window (two
        // letters closer together are typing), so each waits it out.
        let quiet = Duration::from_millis(convene::app::QUIET_MS as u64 + 50);
        send("g");
        std::thread::sleep(quiet);
        send("i"); // back to the capture bar while the round is planned
        wait_for(" CAPTURE  Enter commit"); // the hint line, once `i` has acted
        let start = Instant::now();
        let word = format!("round{round}typing");
        let mut typed = String::new();
        for c in word.chars() {
            typed.push(c);
            let sent = Instant::now();
            send(&c.to_string());
            let deadline = sent + Duration::from_secs(10);
            while !contents(&screen).contains(&typed) {
                assert!(Instant::now() < deadline, "the key never showed:\n{}", contents(&screen));
                std::thread::sleep(Duration::from_micros(200));
            }
            latencies.push(sent.elapsed());
            std::thread::sleep(Duration::from_millis(25).saturating_sub(sent.elapsed()));
        }
        let typing_ended = Instant::now();
        let deadline = Instant::now() + Duration::from_secs(30);
        while held(&screen) == before && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(5));
        }
        // Frames written while keys were coming in (each key draws one), planning running.
        let writes: Vec<Instant> = screen
            .lock()
            .unwrap()
            .writes
            .iter()
            .copied()
            .filter(|t| *t >= start && *t <= typing_ended)
            .collect();
        for pair in writes.windows(2) {
            longest_gap = longest_gap.max(pair[1] - pair[0]);
        }
        send("\x15"); // Ctrl+U: clear the bar for the next round
        for _ in 0..word.len() {
            send("\x7f");
        }
    }
    send("\x11");
    let _ = child.wait();
    latencies.sort();
    let pick = |q: f64| latencies[((latencies.len() - 1) as f64 * q).round() as usize];
    println!(
        "planning 3 rounds of the example while typing every 25 ms: key to screen median {:.1} ms, p99 {:.1} ms, worst {:.1} ms over {} keys; longest gap between frames {:.1} ms",
        pick(0.5).as_secs_f64() * 1e3,
        pick(0.99).as_secs_f64() * 1e3,
        latencies.last().unwrap().as_secs_f64() * 1e3,
        latencies.len(),
        longest_gap.as_secs_f64() * 1e3
    );
}
