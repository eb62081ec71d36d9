//! The capture bar's unsent text, kept beside the session so a crash loses no keystroke.

use std::path::{Path, PathBuf};

use super::{write_atomically, StoreError};

/// `<session>.ron.draft`: what was typed but not yet committed.
pub struct Draft {
    path: PathBuf,
}

impl Draft {
    /// The draft file for a session.
    pub fn for_session(session: &Path) -> Draft {
        Draft { path: super::beside(session, ".draft") }
    }

    /// Text left by an earlier run, if any.
    pub fn read(&self) -> Option<String> {
        std::fs::read_to_string(&self.path).ok().filter(|text| !text.is_empty())
    }

    /// Keep the current draft; an empty draft removes the file.
    pub fn write(&self, text: &str) -> Result<(), StoreError> {
        if text.is_empty() {
            match std::fs::remove_file(&self.path) {
                Ok(()) => Ok(()),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
                Err(e) => Err(StoreError::io(&self.path, "removing the draft")(e)),
            }
        } else {
            write_atomically(&self.path, text.as_bytes())
        }
    }
}
