//! What convene reads of files it does not own: the machine's time-zone link, and the start
//! of a file an export is about to replace (to tell one convene wrote from anyone else's).

use std::io::Read;
use std::path::{Path, PathBuf};

use super::StoreError;

/// Where `/etc/localtime` points (e.g. `/usr/share/zoneinfo/Europe/London`), if it is a link.
pub fn localtime_link() -> Option<PathBuf> {
    std::fs::read_link("/etc/localtime").ok()
}

/// The first `limit` bytes of `path`, or none when nothing is there to overwrite.
pub fn file_head(path: &Path, limit: u64) -> Result<Option<Vec<u8>>, StoreError> {
    let file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            // A dangling symbolic link is still something there: let the caller refuse it.
            return Ok(std::fs::symlink_metadata(path).is_ok().then(Vec::new));
        }
        Err(error) => return Err(StoreError::io(path, "reading")(error)),
    };
    let mut head = Vec::new();
    file.take(limit).read_to_end(&mut head).map_err(StoreError::io(path, "reading"))?;
    Ok(Some(head))
}

/// What a reader needs to know whether a session changed: the size and modification time of
/// the file and of its journal (none where absent). Cheap: two `stat` calls, no reading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionStamp {
    file: Option<(u64, Option<std::time::SystemTime>)>,
    journal: Option<(u64, Option<std::time::SystemTime>)>,
}

/// The stamp of the session at `path` and its journal now.
pub fn session_stamp(path: &Path) -> SessionStamp {
    let stat = |p: &Path| std::fs::metadata(p).ok().map(|m| (m.len(), m.modified().ok()));
    let resolved = super::beside::resolve(path);
    SessionStamp { file: stat(path), journal: stat(&super::journal_path(&resolved)) }
}
