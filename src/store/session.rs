//! Opening and creating session files: parse, check, recover the journal, compact.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::Path;

use super::format::{parse_session, to_pretty_ron};
use super::journal::read_journal;
use super::{write_atomically, SessionLock, SessionWriter, StoreError};
use crate::model::{SessionFile, SessionState};

/// A session read from disk, with the journal folded in.
#[derive(Debug)]
pub struct Loaded {
    /// Plan and full log, journal included.
    pub file: SessionFile,
    /// The fold of the log.
    pub state: SessionState,
    /// What recovery found.
    pub recovery: Recovery,
}

/// What opening found in a leftover journal.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Recovery {
    /// Events found only in the journal, now folded in.
    pub recovered_events: usize,
    /// Journal events already in the file (a crash between save and journal clear).
    pub already_saved: usize,
    /// Bytes of an unterminated last journal line, never acknowledged as saved.
    pub torn_bytes: usize,
}

impl Recovery {
    /// Whether the file on disk differs from what was loaded, so it should be rewritten.
    pub fn needs_compaction(&self) -> bool {
        self.recovered_events > 0 || self.already_saved > 0 || self.torn_bytes > 0
    }

    /// A one-line report for the status bar, if there is anything to say.
    pub fn message(&self) -> Option<String> {
        if !self.needs_compaction() {
            return None;
        }
        let mut message = format!("recovered {} event(s) from the journal", self.recovered_events);
        if self.torn_bytes > 0 {
            message.push_str(&format!(
                "; set aside an incomplete last entry ({} bytes, never shown as saved)",
                self.torn_bytes
            ));
        }
        Some(message)
    }
}

/// Read a session and its journal without writing anything or taking the lock.
pub fn load_read_only(path: &Path) -> Result<Loaded, StoreError> {
    let text = std::fs::read_to_string(path).map_err(StoreError::io(path, "reading"))?;
    let mut file = parse_session(path, &text)?;
    let problems = file.plan.problems();
    if !problems.is_empty() {
        return Err(StoreError::Plan { path: path.to_path_buf(), problems });
    }
    let mut recovery = Recovery::default();
    if let Some(journal) = read_journal(path)? {
        let mut last_saved = file.events.last().map_or(0, |e| e.seq);
        for event in journal.events {
            // Already in the file (a crash between save and journal clear): skip, don't repeat.
            if event.seq <= last_saved {
                recovery.already_saved += 1;
            } else {
                recovery.recovered_events += 1;
                last_saved = event.seq;
                file.events.push(event);
            }
        }
        recovery.torn_bytes = journal.torn_bytes;
    }
    let state = file.fold().map_err(|source| StoreError::Log {
        path: path.to_path_buf(),
        where_: event_line(&text, source.seq)
            .map_or_else(|| " (journal)".to_string(), |line| format!(":{line}")),
        source,
    })?;
    Ok(Loaded { file, state, recovery })
}

/// Open a session for a live console: lock it, recover and compact the journal, and hand
/// back a writer that owns the durable copy.
pub fn open_for_writing(path: &Path) -> Result<(Loaded, SessionLock, SessionWriter), StoreError> {
    let lock = SessionLock::acquire(path)?;
    let loaded = load_read_only(path)?;
    let mut writer = SessionWriter::open(path, loaded.file.clone())?;
    if loaded.recovery.needs_compaction() {
        writer.compact()?;
    }
    Ok((loaded, lock, writer))
}

/// Write a brand-new session file, refusing to overwrite anything.
pub fn create_session(path: &Path, contents: &str) -> Result<(), StoreError> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(StoreError::io(dir, "creating the directory"))?;
    }
    let mut file =
        OpenOptions::new().write(true).create_new(true).open(path).map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => StoreError::Exists { path: path.to_path_buf() },
            _ => StoreError::io(path, "creating")(e),
        })?;
    file.write_all(contents.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(StoreError::io(path, "writing"))
}

/// Serialise a whole session as the pretty RON the file holds.
pub fn session_text(file: &SessionFile) -> Result<String, StoreError> {
    to_pretty_ron(file).map_err(|e| StoreError::Io {
        path: Path::new("(session)").to_path_buf(),
        action: "encoding the session",
        source: std::io::Error::other(e),
    })
}

/// Copy a session to a new file (e.g. the demo's working copy), refusing to overwrite.
pub fn copy_session(from: &Path, to: &Path) -> Result<Loaded, StoreError> {
    let loaded = load_read_only(from)?;
    create_session(to, &session_text(&loaded.file)?)?;
    Ok(loaded)
}

/// Copy `original` to a new file, or write `fallback` there when `original` is missing (the
/// demo works from any directory with the example built in).
pub fn copy_session_or(original: &Path, fallback: &str, to: &Path) -> Result<(), StoreError> {
    if original.exists() {
        copy_session(original, to).map(|_| ())
    } else {
        create_session(to, fallback)
    }
}

/// Write a whole session atomically.
pub fn save_session(path: &Path, file: &SessionFile) -> Result<(), StoreError> {
    write_atomically(path, session_text(file)?.as_bytes())
}

/// The line of the file where the event with this sequence number starts, to point an editor at.
fn event_line(text: &str, seq: u64) -> Option<usize> {
    let needle = format!("seq: {seq},");
    // Events start "(seq: N," on one line or "seq: N," on a line of their own.
    text.lines()
        .position(|line| line.trim_start().trim_start_matches('(').starts_with(&needle))
        .map(|i| i + 1)
}
