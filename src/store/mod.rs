//! The only module that touches the file system: the RON session file, its journal,
//! atomic saves, crash recovery, the lock that keeps one writer per session, and drafts.

mod atomic;
mod beside;
mod draft;
mod error;
mod format;
mod host_log;
mod journal;
mod layout;
mod lock;
mod outbox;
mod people;
mod series;
mod session;
mod system;
mod token;
mod writer;

pub use atomic::write_atomically;
pub use beside::random_hex;
pub use draft::Draft;
pub use error::StoreError;
pub use format::{format_for, format_needed, parse_session, to_pretty_ron};
pub use host_log::{HostLog, HOST_LOG_CAP};
pub use journal::{journal_path, Journal};
pub use lock::SessionLock;
pub use outbox::Outbox;
pub use people::{import_people, read_registrants, read_registration_file, ImportError};
pub use series::{earlier_in_series, rooms_history, same_file, EarlierSession};
pub use session::{
    copy_session, copy_session_or, create_session, load_read_only, next_session_text, open_for_writing,
    recover_session, save_session, session_text, Loaded, Recovery,
};
pub use system::{file_head, localtime_link, session_stamp, SessionStamp};
pub use token::{read_token_file, HostToken, JoinerKeys, KeyCheck, TokenError};
pub use writer::SessionWriter;

use beside::beside;
