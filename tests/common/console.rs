//! A running convene in a pseudo-terminal, read back through a vt100 parser: what the
//! end-to-end tests drive.
#![allow(clippy::panic)] // a test fails by panicking

use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{native_pty_system, Child, CommandBuilder, MasterPty, PtySize};

/// A running convene in a pseudo-terminal and the screen it has drawn so far.
pub struct Console {
    pub child: Box<dyn Child + Send + Sync>,
    pub writer: Box<dyn Write + Send>,
    pub screen: Arc<Mutex<vt100::Parser>>,
    /// Every byte the program wrote to the terminal, for what the screen does not show
    /// (clipboard copies).
    pub written: Arc<Mutex<Vec<u8>>>,
    _master: Box<dyn MasterPty + Send>,
}

impl Console {
    /// `convene host FILE` on a free loopback port, once it serves: the console, the address
    /// joiners dial and the token the host keeps beside the file.
    pub fn host(file: &str, dir: &Path) -> (Console, String, String) {
        let address = {
            let probe = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
            probe.local_addr().expect("address").to_string()
        };
        let host = Console::start(&["host", file, "--listen", &address], dir);
        host.wait_for("joined (F8)");
        let token = std::fs::read_to_string(format!("{file}.token")).expect("the host keeps its token");
        (host, address, token.trim().to_string())
    }

    pub fn start(args: &[&str], dir: &Path) -> Console {
        Console::start_with(args, &[], dir, (30, 100))
    }

    /// `start` with extra environment variables and a terminal size (rows, columns). A token in
    /// the caller's own environment never leaks in.
    pub fn start_with(args: &[&str], env: &[(&str, &str)], dir: &Path, (rows, cols): (u16, u16)) -> Console {
        let pair = native_pty_system()
            .openpty(PtySize { rows, cols, pixel_width: 0, pixel_height: 0 })
            .expect("a pseudo-terminal");
        let mut command = CommandBuilder::new(env!("CARGO_BIN_EXE_convene"));
        command.args(args);
        command.cwd(dir);
        command.env("TERM", "xterm-256color");
        command.env_remove("CONVENE_TOKEN");
        for (key, value) in env {
            command.env(key, value);
        }
        let child = pair.slave.spawn_command(command).expect("convene starts");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("reader");
        let writer = pair.master.take_writer().expect("writer");
        let screen = Arc::new(Mutex::new(vt100::Parser::new(rows, cols, 0)));
        let parser = Arc::clone(&screen);
        let written = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&written);
        std::thread::spawn(move || {
            let mut buffer = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buffer) {
                if n == 0 {
                    break;
                }
                parser.lock().expect("parser").process(&buffer[..n]);
                log.lock().expect("log").extend_from_slice(&buffer[..n]);
            }
        });
        Console { child, writer, screen, written, _master: pair.master }
    }

    pub fn contents(&self) -> String {
        self.screen.lock().expect("parser").screen().contents()
    }

    /// Wait until the screen shows `text`; fail with the screen if it never does.
    pub fn wait_for(&self, text: &str) {
        self.wait_until(&format!("{text:?}"), |screen| screen.contains(text));
    }

    /// Wait until `text` is on screen outside the capture bar (so it was committed, not just
    /// typed: under load the bar can show it before Enter is read) and the status line says
    /// everything is on disk.
    pub fn wait_saved(&self, text: &str) {
        self.wait_until(&format!("{text:?} saved"), |screen| {
            let committed = screen.lines().any(|line| line.contains(text) && !line.starts_with('│'));
            committed && screen.contains("✓ saved") && !screen.contains("saving")
        });
    }

    pub fn wait_until(&self, what: &str, done: impl Fn(&str) -> bool) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if done(&self.contents()) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("the screen never showed {what}; it shows:\n{}", self.contents());
    }

    /// Wait until what the program wrote yields `found`; fail if it never does.
    #[allow(dead_code)] // not every test file that shares this module looks at raw output
    pub fn wait_written<T>(&self, found: impl Fn(&[u8]) -> Option<T>) -> T {
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if let Some(value) = found(&self.written.lock().expect("log")) {
                return value;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("the program never wrote what was awaited; the screen shows:\n{}", self.contents());
    }

    pub fn send(&mut self, bytes: &str) {
        self.writer.write_all(bytes.as_bytes()).expect("write to the terminal");
        self.writer.flush().expect("flush");
    }

    pub fn wait_exit(&mut self) -> portable_pty::ExitStatus {
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("convene did not exit; the screen shows:\n{}", self.contents());
    }

    /// End it at once (kill), for tests done with it.
    pub fn stop(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
