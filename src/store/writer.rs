//! The durable copy of a live session: appends go to the journal, compaction rewrites the file.

use std::path::{Path, PathBuf};

use super::session::save_session;
use super::{Journal, StoreError};
use crate::model::{SessionFile, Stamped};

/// Owns the on-disk truth of a session while it is open for writing.
pub struct SessionWriter {
    path: PathBuf,
    file: SessionFile,
    journal: Journal,
    since_compaction: usize,
}

impl SessionWriter {
    /// Start writing a session whose file already holds `file`.
    pub fn open(path: &Path, file: SessionFile) -> Result<SessionWriter, StoreError> {
        Ok(SessionWriter {
            path: path.to_path_buf(),
            journal: Journal::open(path)?,
            file,
            since_compaction: 0,
        })
    }

    /// Make events durable (journal + fsync). On error nothing is counted as saved.
    pub fn append(&mut self, events: Vec<Stamped>) -> Result<(), StoreError> {
        self.journal.append(&events)?;
        self.since_compaction += events.len();
        self.file.events.extend(events);
        Ok(())
    }

    /// Rewrite the whole file atomically, then empty the journal.
    pub fn compact(&mut self) -> Result<(), StoreError> {
        save_session(&self.path, &self.file)?;
        self.journal.clear()?;
        self.since_compaction = 0;
        Ok(())
    }

    /// Events appended since the file was last rewritten.
    pub fn since_compaction(&self) -> usize {
        self.since_compaction
    }

    /// The session as it stands on disk.
    pub fn file(&self) -> &SessionFile {
        &self.file
    }
}
