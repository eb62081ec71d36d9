//! The journal: events appended one per line and fsync'd before they count as saved.
//! Its first line names the session it belongs to (and carries the plan, so a session whose
//! file vanished can be rebuilt from it); it is owner-only and never opened through a link.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::beside::{no_follow, private, read_no_follow, refusing_links, resolve, FileId};
use super::format::{parse_error, reader, to_line};
use super::StoreError;
use crate::model::Stamped;

/// `<session>.ron.journal`, beside the session file (the file a link points to, for a link).
pub fn journal_path(session: &Path) -> PathBuf {
    super::beside(&resolve(session), ".journal")
}

/// The first line of a journal: whose it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JournalHeader {
    /// Version of this header.
    pub journal: u32,
    /// The session's identity: its id, or for a file without one a digest of its plan.
    pub session: String,
    /// The plan's text as the file holds it, to rebuild a session whose file vanished.
    #[serde(default)]
    pub plan: String,
    /// The session file's format version.
    #[serde(default)]
    pub format: u32,
}

/// An open journal, appended to as events happen.
pub struct Journal {
    path: PathBuf,
    file: File,
    id: FileId,
    /// Length up to which every byte is a complete, synced entry.
    good_len: u64,
    /// Length of the header line (0 for a journal without one).
    header_len: u64,
}

impl Journal {
    /// Open (creating if needed) the journal of a session for appending; a new journal names
    /// the session when its file can be read.
    pub fn open(session: &Path) -> Result<Journal, StoreError> {
        let header = super::session::header_for(session).ok();
        Journal::open_with(&journal_path(session), header.as_ref(), false)
    }

    /// Open the journal at `path`; `fresh` refuses one that already holds anything.
    pub(crate) fn open_with(
        path: &Path,
        header: Option<&JournalHeader>,
        fresh: bool,
    ) -> Result<Journal, StoreError> {
        let mut options = no_follow();
        options.read(true).append(true).create(true);
        let mut file = private(&mut options)
            .open(path)
            .map_err(|e| StoreError::io(path, "opening the journal")(refusing_links(path, e)))?;
        let len = file.metadata().map_err(StoreError::io(path, "reading the journal's size"))?.len();
        if fresh && len > 0 {
            return Err(StoreError::io(path, "starting the journal")(std::io::Error::other(
                "a journal appeared beside the session while it was open; it was left as it is",
            )));
        }
        let mut header_len = 0;
        if len == 0 {
            if let Some(header) = header {
                let line = format!("{}\n", to_line(header).map_err(encoding(path))?);
                file.write_all(line.as_bytes())
                    .and_then(|()| file.sync_all())
                    .map_err(StoreError::io(path, "starting the journal"))?;
                header_len = line.len() as u64;
            }
        }
        let id = FileId::of(&file).map_err(StoreError::io(path, "reading the journal"))?;
        let good_len = len.max(header_len);
        Ok(Journal { path: path.to_path_buf(), file, id, good_len, header_len })
    }

    /// Append events and fsync; when this returns Ok they survive a crash.
    pub fn append(&mut self, events: &[Stamped]) -> Result<(), StoreError> {
        let mut buffer = String::new();
        for event in events {
            buffer.push_str(&to_line(event).map_err(encoding(&self.path))?);
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

    /// Whether the journal's name still leads to this open file (not deleted or replaced).
    pub(crate) fn is_current(&self) -> bool {
        FileId::at(&self.path).ok().flatten() == Some(self.id)
    }

    /// Whether any event was appended since the journal was started or emptied.
    pub(crate) fn has_events(&self) -> bool {
        self.good_len > self.header_len
    }

    /// Empty the journal once everything in it is in the session file (its header stays).
    pub fn clear(&mut self) -> Result<(), StoreError> {
        self.file.set_len(self.header_len).map_err(StoreError::io(&self.path, "emptying the journal"))?;
        self.good_len = self.header_len;
        self.file.sync_all().map_err(StoreError::io(&self.path, "syncing the journal"))
    }

    /// Remove the journal from the directory, if it is still this one.
    pub(crate) fn remove(&self) {
        if self.is_current() {
            let _ = std::fs::remove_file(&self.path);
        }
    }

    /// Where it is.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

fn encoding(path: &Path) -> impl FnOnce(ron::Error) -> StoreError {
    let path = path.to_path_buf();
    move |e| StoreError::Io { path, action: "encoding an event", source: std::io::Error::other(e) }
}

/// What a journal held: whose it is, complete entries, and an incomplete last line if any.
pub struct JournalContents {
    /// Whose journal it is (none in journals written before journals named their session).
    pub header: Option<JournalHeader>,
    /// Every complete entry, in order.
    pub events: Vec<Stamped>,
    /// Bytes of an incomplete last line (a write cut off by a crash before its fsync).
    pub torn_bytes: usize,
}

/// Read a session's journal if there is one. A complete line that fails to parse is an error
/// naming the line; only an unterminated last line, which was never acknowledged, is set aside.
pub fn read_journal(session: &Path) -> Result<Option<JournalContents>, StoreError> {
    read_journal_at(&journal_path(session))
}

/// Read the journal at `path` itself.
pub(crate) fn read_journal_at(path: &Path) -> Result<Option<JournalContents>, StoreError> {
    let Some(bytes) = read_no_follow(path).map_err(StoreError::io(path, "reading the journal"))? else {
        return Ok(None);
    };
    let complete_len = bytes.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
    let text = std::str::from_utf8(&bytes[..complete_len]).map_err(|e| {
        let (line, column) = super::format::position_of(&bytes, e.valid_up_to());
        StoreError::Parse {
            path: path.to_path_buf(),
            line,
            column,
            message: "the journal is not valid UTF-8 here".into(),
        }
    })?;
    let mut header = None;
    let mut events = Vec::new();
    for (index, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        if index == 0 && line.starts_with("(journal:") {
            header = Some(reader().from_str::<JournalHeader>(line).map_err(|e| parse_error(path, e, index))?);
            continue;
        }
        let event = reader().from_str::<Stamped>(line).map_err(|e| parse_error(path, e, index))?;
        events.push(event);
    }
    Ok(Some(JournalContents { header, events, torn_bytes: bytes.len() - complete_len }))
}
