//! Store errors: each names the file and, for bad content, the line, column and what to do.

use std::path::PathBuf;

use thiserror::Error;

use crate::model::FoldError;

/// Everything that can go wrong reading or writing a session.
#[derive(Debug, Error)]
pub enum StoreError {
    /// The file system refused.
    #[error("{path}: {action} failed: {source}")]
    Io {
        /// The file concerned.
        path: PathBuf,
        /// What we were doing.
        action: &'static str,
        /// The system's reason.
        source: std::io::Error,
    },
    /// The file is not valid session RON.
    #[error("{path}:{line}:{column}: {message}\n  The file was not changed. Fix it in an editor (or restore it from a backup) and try again.")]
    Parse {
        /// The file concerned.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What the parser expected.
        message: String,
    },
    /// Written by a newer convene.
    #[error("{path}: format version {found} is newer than this convene understands (up to {supported}). Upgrade convene to open it; the file was not changed.")]
    TooNew {
        /// The file concerned.
        path: PathBuf,
        /// Version in the file.
        found: u32,
        /// Newest version this build reads.
        supported: u32,
    },
    /// The plan has problems a hand edit introduced.
    #[error("{path}: the plan has problems:\n{}\n  Fix them in an editor; the file was not changed.", problems.iter().map(|p| format!("  - {p}")).collect::<Vec<_>>().join("\n"))]
    Plan {
        /// The file concerned.
        path: PathBuf,
        /// Each problem in plain words.
        problems: Vec<String>,
    },
    /// The event log contradicts itself.
    #[error("{path}{where_}: the event log is inconsistent at {source}\n  The file was not changed. The log is written by convene: restore the file from a backup, or remove the events from this one on.")]
    Log {
        /// The file concerned.
        path: PathBuf,
        /// ":line" of the event in the file, or " (journal)" when it came from the journal.
        where_: String,
        /// The first inconsistent event.
        source: FoldError,
    },
    /// Another convene has the session open for writing.
    #[error("{path} is already open in another convene process{holder}.\n  Close it there first, or use `convene replay` / `convene check` to read it without writing.")]
    Locked {
        /// The session file.
        path: PathBuf,
        /// Who holds it, if known (e.g. " (pid 4242)").
        holder: String,
    },
    /// Refusing to overwrite an existing file.
    #[error("{path} already exists; choose another name or remove it first (nothing was written)")]
    Exists {
        /// The file concerned.
        path: PathBuf,
    },
}

impl StoreError {
    /// Wrap an io::Error with the file and the action that failed.
    pub(crate) fn io(
        path: &std::path::Path,
        action: &'static str,
    ) -> impl FnOnce(std::io::Error) -> StoreError {
        let path = path.to_path_buf();
        move |source| StoreError::Io { path, action, source }
    }
}
