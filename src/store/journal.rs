//! The journal: events appended one per line and fsync'd before they count as saved.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use super::format::{parse_error, reader, to_line};
use super::StoreError;
use crate::model::Stamped;

/// `<session>.ron.journal`, beside the session file.
pub fn journal_path(session: &Path) -> PathBuf {
    super::beside(session, ".journal")
}

/// An open journal, appended to as events happen.
pub struct Journal {
    path: PathBuf,
    file: File,
    /// Length up to which every byte is a complete, synced entry.
    good_len: u64,
}

impl Journal {
    /// Open (creating if needed) the journal for appending.
    pub fn open(session: &Path) -> Result<Journal, StoreError> {
        let path = journal_path(session);
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .map_err(StoreError::io(&path, "opening the journal"))?;
        let good_len = file.metadata().map_err(StoreError::io(&path, "reading the journal's size"))?.len();
        Ok(Journal { path, file, good_len })
    }

    /// Append events and fsync; when this returns Ok they survive a crash.
    pub fn append(&mut self, events: &[Stamped]) -> Result<(), StoreError> {
        let mut buffer = String::new();
        for event in events {
            let line = to_line(event).map_err(|e| StoreError::Io {
                path: self.path.clone(),
                action: "encoding an event",
                source: std::io::Error::other(e),
            })?;
            buffer.push_str(&line);
            buffer.push('\n');
        }
        // One write per batch, so a crash leaves at most one incomplete last line.
        let written = self
            .file
            .write_all(buffer.as_bytes())
            .map_err(StoreError::io(&self.path, "appending to the journal"))
            .and_then(|()| self.file.sync_data().map_err(StoreError::io(&self.path, "syncing the journal")));
        match written {
            Ok(()) => {
                self.good_len += buffer.len() as u64;
                Ok(())
            }
            Err(error) => {
                // Cut off whatever part of the batch landed, so a retry appends whole lines.
                let _ = self.file.set_len(self.good_len);
                Err(error)
            }
        }
    }

    /// Empty the journal once everything in it is in the session file.
    pub fn clear(&mut self) -> Result<(), StoreError> {
        self.file.set_len(0).map_err(StoreError::io(&self.path, "emptying the journal"))?;
        self.good_len = 0;
        self.file.sync_all().map_err(StoreError::io(&self.path, "syncing the journal"))
    }
}

/// What a journal held: complete entries, and whether an incomplete last line was found.
pub struct JournalContents {
    /// Every complete entry, in order.
    pub events: Vec<Stamped>,
    /// Bytes of an incomplete last line (a write cut off by a crash before its fsync).
    pub torn_bytes: usize,
}

/// Read a journal if there is one. A complete line that fails to parse is an error naming
/// the line; only an unterminated last line, which was never acknowledged, is set aside.
pub fn read_journal(session: &Path) -> Result<Option<JournalContents>, StoreError> {
    let path = journal_path(session);
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(StoreError::io(&path, "reading the journal")(e)),
    };
    let complete_len = bytes.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
    let text = std::str::from_utf8(&bytes[..complete_len]).map_err(|e| StoreError::Parse {
        path: path.clone(),
        line: bytes[..e.valid_up_to()].iter().filter(|b| **b == b'\n').count() + 1,
        column: 1,
        message: "the journal is not valid UTF-8".into(),
    })?;
    let mut events = Vec::new();
    for (index, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let event = reader().from_str::<Stamped>(line).map_err(|e| parse_error(&path, e, index))?;
        events.push(event);
    }
    Ok(Some(JournalContents { events, torn_bytes: bytes.len() - complete_len }))
}
