//! A joined terminal's outbox: every request is on disk before it is sent, and stays until the
//! host answers it, so a crash, a restart or a pulled cable loses nothing and resends count once.
//!
//! One RON entry per line: a header (the terminal's id, its secret and the next number), then
//! requests and the numbers answered. Lines are appended and fsync'd; the file is rewritten, owner
//! only, when it grows. A number is never used twice: the next one is above every number the file
//! has ever held, answered or not, and a request is on disk before it is sent.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::atomic::write_privately;
use super::format::{reader, to_line};
use super::StoreError;
use crate::model::Request;

/// Rewrite the file once it holds this many lines.
const COMPACT_AFTER_LINES: usize = 2_000;

#[derive(Debug, Serialize, Deserialize)]
enum Line {
    /// Always first: who this terminal is to the host, and where its numbering stands.
    Header {
        client: String,
        next: u64,
        #[serde(default)]
        session: Option<String>,
        /// Proves to the host that this terminal is the one that first joined under `client`.
        #[serde(default)]
        secret: Option<String>,
    },
    /// A request, numbered.
    Request(u64, Request),
    /// The host answered this number (stored, duplicate or refused): it is done.
    Done(u64),
    /// The session the unanswered requests belong to.
    Session(String),
}

/// The outbox file and what is still unanswered in it.
pub struct Outbox {
    path: PathBuf,
    file: File,
    client: String,
    secret: String,
    next: u64,
    session: Option<String>,
    unanswered: Vec<(u64, Request)>,
    lines: usize,
    /// A torn last line found on opening (a crash while writing it).
    pub torn: bool,
}

impl Outbox {
    /// Open the outbox at `path`, creating it with `new_client()` as the terminal's id.
    pub fn open(path: &Path, new_client: impl FnOnce() -> String) -> Result<Outbox, StoreError> {
        let Parsed { client, secret, next, session, unanswered, torn } = match std::fs::read_to_string(path) {
            Ok(text) => parse(path, &text)?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                    std::fs::create_dir_all(dir)
                        .map_err(StoreError::io(dir, "creating the outbox folder"))?;
                }
                Parsed::new(new_client())
            }
            Err(e) => return Err(StoreError::io(path, "reading the outbox")(e)),
        };
        // An outbox from before secrets gets one now; the host learns it at the next hello.
        let secret = secret.unwrap_or_else(new_secret);
        // Start from a clean file holding just what is still owed and where numbering stands.
        let file = write_clean(path, &client, &secret, next, session.as_deref(), &unanswered)?;
        let lines = unanswered.len() + 1;
        Ok(Outbox { path: path.to_path_buf(), file, client, secret, next, session, unanswered, lines, torn })
    }

    /// The secret this terminal proves itself with to the host (never shown).
    pub fn secret(&self) -> &str {
        &self.secret
    }

    /// This terminal's id.
    pub fn client(&self) -> &str {
        &self.client
    }

    /// The session the unanswered requests belong to, once known.
    pub fn session(&self) -> Option<&str> {
        self.session.as_deref()
    }

    /// Requests not yet answered, in order.
    pub fn unanswered(&self) -> &[(u64, Request)] {
        &self.unanswered
    }

    /// The number the next request will get.
    pub fn next_seq(&self) -> u64 {
        self.next
    }

    /// Keep a request on disk (fsync'd) under its number, which must be `next_seq()` or later
    /// (numbers never go back: the host counts on them).
    pub fn push(&mut self, seq: u64, request: Request) -> Result<(), StoreError> {
        if seq < self.next {
            return Err(StoreError::io(&self.path, "numbering the outbox")(std::io::Error::other(format!(
                "request {seq} comes after {}: numbers must rise",
                self.next - 1
            ))));
        }
        self.append(&[Line::Request(seq, request.clone())], true)?;
        self.next = seq + 1;
        self.unanswered.push((seq, request));
        Ok(())
    }

    /// The host answered `seq`.
    pub fn done(&mut self, seq: u64) -> Result<(), StoreError> {
        self.forget(|s| s == seq)
    }

    /// The host says everything up to `seq` is answered: numbering goes on above it too (an
    /// outbox restored from a backup must not reuse numbers the host has already seen).
    pub fn done_through(&mut self, seq: u64) -> Result<(), StoreError> {
        self.next = self.next.max(seq.saturating_add(1));
        self.forget(|s| s <= seq)
    }

    /// Mark answered requests done. Not fsync'd: a lost "done" only means a resend, which the
    /// host answers as a duplicate, so the disk flush is spent on requests alone.
    fn forget(&mut self, answered: impl Fn(u64) -> bool) -> Result<(), StoreError> {
        let lines: Vec<Line> =
            self.unanswered.iter().filter(|(s, _)| answered(*s)).map(|(s, _)| Line::Done(*s)).collect();
        if lines.is_empty() {
            return Ok(());
        }
        self.append(&lines, false)?;
        self.unanswered.retain(|(s, _)| !answered(*s));
        self.compact_if_due()
    }

    /// Record which session the requests are for.
    pub fn set_session(&mut self, session: &str) -> Result<(), StoreError> {
        if self.session.as_deref() != Some(session) {
            self.append(&[Line::Session(session.to_string())], true)?;
            self.session = Some(session.to_string());
        }
        Ok(())
    }

    /// The file, for messages.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Delete the outbox once the host has stored everything in it (a clean quit).
    pub fn remove(self) -> Result<(), StoreError> {
        if !self.unanswered().is_empty() {
            return Ok(()); // never drop what the host has not stored
        }
        match std::fs::remove_file(&self.path) {
            Err(error) if error.kind() != std::io::ErrorKind::NotFound => {
                Err(StoreError::io(&self.path, "removing the outbox")(error))
            }
            _ => Ok(()),
        }
    }

    fn append(&mut self, lines: &[Line], durable: bool) -> Result<(), StoreError> {
        let mut text = String::new();
        for line in lines {
            text.push_str(&encode(&self.path, line)?);
        }
        self.file
            .write_all(text.as_bytes())
            .and_then(|()| if durable { self.file.sync_data() } else { Ok(()) })
            .map_err(StoreError::io(&self.path, "writing the outbox"))?;
        self.lines += lines.len();
        Ok(())
    }

    fn compact_if_due(&mut self) -> Result<(), StoreError> {
        if self.lines < COMPACT_AFTER_LINES {
            return Ok(());
        }
        self.rewrite()
    }

    fn rewrite(&mut self) -> Result<(), StoreError> {
        self.file = write_clean(
            &self.path,
            &self.client,
            &self.secret,
            self.next,
            self.session.as_deref(),
            &self.unanswered,
        )?;
        self.lines = self.unanswered.len() + 1;
        Ok(())
    }
}

/// Replace the file with the header and what is still owed, owner-only; the file to append to.
fn write_clean(
    path: &Path,
    client: &str,
    secret: &str,
    next: u64,
    session: Option<&str>,
    unanswered: &[(u64, Request)],
) -> Result<File, StoreError> {
    let header = Line::Header {
        client: client.to_string(),
        next,
        session: session.map(str::to_string),
        secret: Some(secret.to_string()),
    };
    let mut text = encode(path, &header)?;
    for (seq, request) in unanswered {
        text.push_str(&encode(path, &Line::Request(*seq, request.clone()))?);
    }
    write_privately(path, text.as_bytes())?;
    OpenOptions::new().append(true).open(path).map_err(StoreError::io(path, "opening the outbox"))
}

/// What an outbox file holds.
struct Parsed {
    client: String,
    secret: Option<String>,
    next: u64,
    session: Option<String>,
    unanswered: Vec<(u64, Request)>,
    torn: bool,
}

impl Parsed {
    fn new(client: String) -> Parsed {
        Parsed { client, secret: None, next: 1, session: None, unanswered: Vec::new(), torn: false }
    }
}

/// A fresh secret of 128 bits, as hex, from the operating system's generator.
fn new_secret() -> String {
    use rand::TryRngCore;
    let mut bytes = [0u8; 16];
    if rand::rngs::OsRng.try_fill_bytes(&mut bytes).is_err() {
        // No system generator: a seeded one rather than no secret at all.
        use rand::{Rng, SeedableRng};
        rand_chacha::ChaCha20Rng::from_os_rng().fill(&mut bytes);
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn parse(path: &Path, text: &str) -> Result<Parsed, StoreError> {
    let mut header = None;
    let mut session = None;
    let mut unanswered: Vec<(u64, Request)> = Vec::new();
    let mut torn = false;
    // Every number the file mentions was used once: numbering goes on above the highest.
    let mut highest = 0;
    let lines: Vec<&str> = text.split('\n').collect();
    for (index, line) in lines.iter().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let entry = match reader().from_str::<Line>(line) {
            Ok(entry) => entry,
            // Only the last line can be half-written by a crash; it was never sent, so its
            // text is in the draft at worst, never acknowledged.
            Err(_) if index + 1 == lines.len() => {
                torn = true;
                continue;
            }
            Err(error) => return Err(super::format::parse_error(path, error, index)),
        };
        match entry {
            Line::Header { client, next, session: s, secret } => {
                header = Some((client, next, secret));
                session = s;
            }
            Line::Request(seq, request) => {
                highest = highest.max(seq);
                unanswered.push((seq, request));
            }
            Line::Done(seq) => {
                highest = highest.max(seq);
                unanswered.retain(|(s, _)| *s != seq);
            }
            Line::Session(s) => session = Some(s),
        }
    }
    let Some((client, next, secret)) = header else {
        return Err(StoreError::Parse {
            path: path.to_path_buf(),
            line: 1,
            column: 1,
            message: "an outbox starts with its Header line".into(),
        });
    };
    let next = next.max(highest.saturating_add(1));
    Ok(Parsed { client, secret, next, session, unanswered, torn })
}

/// One entry as a line, newline included.
fn encode(path: &Path, line: &Line) -> Result<String, StoreError> {
    let mut text =
        to_line(line).map_err(|e| StoreError::io(path, "encoding the outbox")(std::io::Error::other(e)))?;
    text.push('\n');
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn comment(text: &str) -> Request {
        Request::AddComment {
            text: text.into(),
            theme: None,
            room: Some(1),
            author: None,
            pre_session: false,
        }
    }

    #[test]
    fn unanswered_requests_survive_reopening_and_numbers_keep_rising() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("priya.outbox");
        let mut outbox = Outbox::open(&path, || "c0ffee00c0ffee00".into()).expect("opens");
        assert_eq!(outbox.next_seq(), 1);
        outbox.push(1, comment("one")).expect("kept");
        outbox.push(2, comment("two\nlines")).expect("kept");
        outbox.push(3, comment("three")).expect("kept");
        assert!(outbox.push(3, comment("again")).is_err(), "a number is used once");
        outbox.done(1).expect("answered");
        outbox.set_session("Spring session").expect("kept");
        drop(outbox);
        let mut again = Outbox::open(&path, || unreachable!("the id is kept")).expect("reopens");
        assert_eq!(again.client(), "c0ffee00c0ffee00");
        assert_eq!(again.session(), Some("Spring session"));
        assert_eq!(again.unanswered().iter().map(|(s, _)| *s).collect::<Vec<_>>(), vec![2, 3]);
        assert_eq!(again.unanswered()[0].1, comment("two\nlines"));
        again.done_through(3).expect("answered");
        drop(again);
        let last = Outbox::open(&path, || unreachable!()).expect("reopens");
        assert!(last.unanswered().is_empty());
        assert_eq!(last.next_seq(), 4, "numbers never restart: the host remembers them");
    }

    #[test]
    fn a_torn_last_line_is_dropped_but_a_bad_middle_line_is_an_error() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("x.outbox");
        let mut outbox = Outbox::open(&path, || "c0ffee00c0ffee00".into()).expect("opens");
        outbox.push(1, comment("kept")).expect("kept");
        drop(outbox);
        let mut text = std::fs::read_to_string(&path).expect("reads");
        text.push_str("Request(2, AddComment(text: \"half");
        std::fs::write(&path, &text).expect("writes");
        let reopened =
            Outbox::open(&path, || unreachable!()).expect("a torn tail is a crash, not corruption");
        assert!(reopened.torn);
        assert_eq!(reopened.unanswered().len(), 1);
        drop(reopened);
        let text = std::fs::read_to_string(&path).expect("reads");
        std::fs::write(&path, format!("{text}garbage here\nDone(1)\n")).expect("writes");
        let error = Outbox::open(&path, || unreachable!()).err().expect("refused");
        assert!(error.to_string().contains("x.outbox:3"), "{error}");
        assert!(std::fs::read_to_string(&path).expect("reads").contains("garbage here"), "not overwritten");
    }

    #[test]
    fn numbers_are_never_reused_even_when_everything_was_answered_before_a_restart() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("quit.outbox");
        let mut outbox = Outbox::open(&path, || "c0ffee00c0ffee00".into()).expect("opens");
        for seq in 1..=3 {
            outbox.push(seq, comment("sent")).expect("kept");
        }
        outbox.done_through(3).expect("answered");
        drop(outbox);
        let mut again = Outbox::open(&path, || unreachable!()).expect("reopens");
        assert_eq!(again.next_seq(), 4, "a clean quit with nothing owed keeps the numbering");
        // Killed after writing requests 4 and 5 and their answers, before any rewrite.
        again.push(4, comment("four")).expect("kept");
        again.push(5, comment("five")).expect("kept");
        again.done(4).expect("answered");
        again.done(5).expect("answered");
        drop(again);
        let third = Outbox::open(&path, || unreachable!()).expect("reopens");
        assert_eq!(third.next_seq(), 6);
    }

    #[test]
    fn the_secret_is_kept_owner_only_and_given_to_an_outbox_from_before_secrets() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("old.outbox");
        std::fs::write(&path, "Header(client: \"c0ffee00c0ffee00\", next: 8)\nDone(9)\n").expect("writes");
        let outbox = Outbox::open(&path, || unreachable!()).expect("an old outbox opens");
        let secret = outbox.secret().to_string();
        assert_eq!(secret.len(), 32, "128 bits as hex");
        assert_eq!(outbox.next_seq(), 10);
        drop(outbox);
        let again = Outbox::open(&path, || unreachable!()).expect("reopens");
        assert_eq!(again.secret(), secret, "the secret is kept");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).expect("metadata").permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "the outbox holds a secret");
        }
        let other =
            Outbox::open(&dir.path().join("new.outbox"), || "0123456789abcdef".into()).expect("opens");
        assert_ne!(other.secret(), secret);
    }

    #[test]
    fn an_answer_beyond_the_numbering_moves_it_on() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("restored.outbox");
        let mut outbox = Outbox::open(&path, || "c0ffee00c0ffee00".into()).expect("opens");
        outbox.done_through(30).expect("the host had seen up to 30");
        assert_eq!(outbox.next_seq(), 31);
    }
}
