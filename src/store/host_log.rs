//! `<session>.ron.host.log`: refused and dropped connections, one line each with the time, so
//! the facilitator can see afterwards who tried to get in.

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use super::StoreError;

/// The host's log of refusals.
pub struct HostLog {
    path: PathBuf,
}

impl HostLog {
    /// The log beside a session file.
    pub fn for_session(session: &Path) -> HostLog {
        HostLog { path: super::beside(session, ".host.log") }
    }

    /// Add a line.
    pub fn append(&self, at: DateTime<Utc>, line: &str) -> Result<(), StoreError> {
        let text = format!("{} {}\n", at.format("%Y-%m-%dT%H:%M:%SZ"), line.replace('\n', " "));
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)
            .and_then(|mut file| file.write_all(text.as_bytes()))
            .map_err(StoreError::io(&self.path, "writing the host log"))
    }

    /// Where it is.
    pub fn path(&self) -> &Path {
        &self.path
    }
}
