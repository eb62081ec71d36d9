//! The only module that touches the file system: the RON session file, its journal,
//! atomic saves, crash recovery, the lock that keeps one writer per session, and drafts.

mod atomic;
mod draft;
mod error;
mod format;
mod host_log;
mod journal;
mod lock;
mod outbox;
mod series;
mod session;
mod token;
mod writer;

pub use atomic::write_atomically;
pub use draft::Draft;
pub use error::StoreError;
pub use format::{parse_session, to_pretty_ron};
pub use host_log::{HostLog, HOST_LOG_CAP};
pub use journal::{journal_path, Journal};
pub use lock::SessionLock;
pub use outbox::Outbox;
pub use series::{earlier_in_series, rooms_history, same_file, EarlierSession};
pub use session::{
    copy_session, copy_session_or, create_session, load_read_only, open_for_writing, save_session,
    session_text, Loaded, Recovery,
};
pub use token::{read_token_file, HostToken, JoinerKeys, KeyCheck, TokenError};
pub use writer::SessionWriter;

use std::path::{Path, PathBuf};

/// A file kept beside a session: `<session><suffix>`, e.g. `consult.ron.journal`.
fn beside(session: &Path, suffix: &str) -> PathBuf {
    let mut name = session.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}
