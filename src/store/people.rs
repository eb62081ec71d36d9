//! Bringing people from a registration spreadsheet into a session file on disk: read the
//! sheet, merge, rewrite only the participants' and rooms' entries, check the result reads
//! back as intended, and write it atomically while holding the session's lock.

use std::path::Path;

use thiserror::Error;

use super::format::parse_session;
use super::{load_read_only, write_atomically, SessionLock, StoreError};
use crate::people::{merge_people, read_registrations, rewrite_plan_text, Merge, PeopleError, Registrant};

/// Why an import did not happen; in every case nothing was written.
#[derive(Debug, Error)]
pub enum ImportError {
    /// Reading, locking or writing failed, or the session file is bad.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The spreadsheet has bad rows, or the plan's text could not be edited.
    #[error(transparent)]
    People(#[from] PeopleError),
    /// The edited file would not read back as intended (a bug, never written).
    #[error("{path}: importing would change more than the participants ({problem}); nothing was written")]
    Verify {
        /// The session file.
        path: std::path::PathBuf,
        /// What differed.
        problem: String,
    },
}

/// Read a registration spreadsheet's text (UTF-8, as "CSV UTF-8" saves it).
pub fn read_registration_file(path: &Path) -> Result<String, StoreError> {
    let bytes = std::fs::read(path).map_err(StoreError::io(path, "reading"))?;
    String::from_utf8(bytes).map_err(|e| {
        let upto = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = upto.iter().filter(|&&b| b == b'\n').count() + 1;
        let column = upto.iter().rev().take_while(|&&b| b != b'\n').count() + 1;
        StoreError::Parse {
            path: path.to_path_buf(),
            line,
            column,
            message: "the file is not UTF-8 text: save it from the spreadsheet as \"CSV UTF-8\"".into(),
        }
    })
}

/// Read the people of a registration spreadsheet.
pub fn read_registrants(path: &Path) -> Result<Vec<Registrant>, ImportError> {
    let text = read_registration_file(path)?;
    Ok(read_registrations(&path.display().to_string(), &text)?)
}

/// Add and update the participants of `session` from the spreadsheet at `csv`. Refused while
/// the session is open live; nothing is written unless the whole sheet is good.
pub fn import_people(session: &Path, csv: &Path) -> Result<Merge, ImportError> {
    let people = read_registrants(csv)?;
    let _lock = SessionLock::acquire(session)?;
    let text = std::fs::read_to_string(session).map_err(StoreError::io(session, "reading"))?;
    let loaded = load_read_only(session)?;
    let before = parse_session(session, &text)?.plan;
    let mut after = before.clone();
    let merge = merge_people(&mut after, &people, &csv.display().to_string())?;
    if merge.added.is_empty() && merge.updated.is_empty() && merge.rooms.is_empty() {
        return Ok(merge);
    }
    let edited = rewrite_plan_text(&text, &before, &after)?;
    let verify = |problem: String| ImportError::Verify { path: session.to_path_buf(), problem };
    let reread = parse_session(session, &edited)?;
    if reread.plan != after {
        return Err(verify("the plan read back differs from the one merged".into()));
    }
    let problems = after.problems();
    if !problems.is_empty() {
        return Err(super::session::plan_error(session, &edited, None, problems).into());
    }
    // The log (journal included) must still fold over the new list, e.g. no walk-in's id taken.
    crate::model::SessionState::fold(&after, &loaded.file.events)
        .map_err(|e| verify(format!("the log no longer folds: {e}")))?;
    write_atomically(session, edited.as_bytes())?;
    Ok(merge)
}
