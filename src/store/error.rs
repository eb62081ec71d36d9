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
    #[error("{path}:{line}:{column}: the plan has problems:\n{}\n  Fix them in an editor; the file was not changed.", problems.iter().map(|p| format!("  - {p}")).collect::<Vec<_>>().join("\n"))]
    Plan {
        /// The file concerned.
        path: PathBuf,
        /// 1-based line of the first problem (or of the plan).
        line: usize,
        /// 1-based column of the first problem.
        column: usize,
        /// Each problem in plain words, with its line and column.
        problems: Vec<String>,
    },
    /// The event log contradicts itself.
    #[error("{path}{where_}: the event log is inconsistent at {source}\n  The file was not changed. The log is written by convene: restore the file from a backup, or remove the events from this one on.")]
    Log {
        /// The file concerned.
        path: PathBuf,
        /// ":line:column" of the event in the file, or " (journal)" when it came from the journal.
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
    /// A journal beside the session belongs to another session (a crashed one of the same name).
    #[error("{journal} belongs to {journal_session}, not to {path} ({session}).\n  Neither file was changed. Move the journal aside (or back beside its own session) and open again; `convene recover` rebuilds a session from its journal.")]
    ForeignJournal {
        /// The journal.
        journal: PathBuf,
        /// Whose journal it says it is.
        journal_session: String,
        /// The session file being opened.
        path: PathBuf,
        /// Who that session is.
        session: String,
    },
    /// The journal was deleted or replaced while the session was open.
    #[error("{journal} was deleted or replaced while the session was open: recreated it with every event since the last rewrite; the latest entries are written again on the next try")]
    JournalLost {
        /// The journal.
        journal: PathBuf,
    },
    /// The session file was changed on disk by someone else while open.
    #[error("{path} was changed by another program while convene had it open, so convene did not overwrite it.\n  Every event since the last rewrite is kept in {journal}: close convene and open the file again to add them to the changed file.")]
    Changed {
        /// The session file.
        path: PathBuf,
        /// The journal that keeps the events.
        journal: PathBuf,
    },
    /// The session file was removed while open.
    #[error("{path} was removed while convene had it open. Every event, with the plan, is kept in {journal}: run `convene recover {path}` to write the session again.")]
    Vanished {
        /// The session file.
        path: PathBuf,
        /// The journal that keeps the events.
        journal: PathBuf,
    },
    /// `convene recover` has nothing to recover from.
    #[error("{path}: {reason}")]
    Recover {
        /// The session file asked for.
        path: PathBuf,
        /// Why nothing was written.
        reason: String,
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
