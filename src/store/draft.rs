//! The capture bar's unsent text, kept beside the session so a crash loses no keystroke.
//! Owner-only (it is comment text) and never read or written through a link.

use std::path::{Path, PathBuf};

use super::atomic::{replace, Mode};
use super::beside::{resolve, FileId};
use super::StoreError;
use crate::model::SessionState;

/// `<session>.ron.draft`: what was typed but not yet committed.
pub struct Draft {
    path: PathBuf,
}

impl Draft {
    /// The draft file for a session (beside the file a link points to).
    pub fn for_session(session: &Path) -> Draft {
        Draft { path: super::beside(&resolve(session), ".draft") }
    }

    /// Text left by an earlier run, if any.
    pub fn read(&self) -> Option<String> {
        let bytes = super::session::read_beside(&self.path)?;
        String::from_utf8(bytes).ok().filter(|text| !text.is_empty())
    }

    /// Text left by an earlier run that is worth restoring: not when the log already holds it
    /// as a comment (the run ended between committing it and clearing the draft).
    pub fn restorable(&self, session: &SessionState) -> Option<String> {
        let text = self.read()?;
        let committed = session.comments.iter().rev().take(50).any(|c| c.text.trim() == text.trim());
        if committed {
            let _ = self.write("");
            return None;
        }
        Some(text)
    }

    /// Keep the current draft; an empty draft removes the file.
    pub fn write(&self, text: &str) -> Result<(), StoreError> {
        if text.is_empty() {
            // Only a regular file of ours goes; unlinking never follows a link anyway.
            match FileId::at(&self.path) {
                Ok(None) => Ok(()),
                _ => match std::fs::remove_file(&self.path) {
                    Ok(()) => Ok(()),
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
                    Err(e) => Err(StoreError::io(&self.path, "removing the draft")(e)),
                },
            }
        } else {
            // Replacing renames over whatever is at the name, a planted link included.
            replace(&self.path, Mode::Private, |out| {
                use std::io::Write;
                out.write_all(text.as_bytes())
            })
            .map(|_| ())
        }
    }
}
