//! One writer per session: an OS lock (flock) on the session file itself, the real file a
//! link or any other name leads to, released even by `kill -9`. No lock file is left beside
//! the session, and deleting files beside it cannot let a second writer in. Each rewrite
//! locks the new file before it takes the session's name, so the lock moves with the file.

use std::fs::{File, TryLockError};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use super::beside::{no_follow, FileId};
use super::StoreError;

/// The locked session file, shared by the lock handle and the writer that replaces it.
pub(crate) type Held = Arc<Mutex<Option<File>>>;

/// Held while a session is open for writing; dropping it releases the lock.
#[derive(Debug)]
pub struct SessionLock {
    path: PathBuf,
    held: Held,
}

impl SessionLock {
    /// Take the lock on the file `session` names, or report that another process holds it.
    pub fn acquire(session: &Path) -> Result<SessionLock, StoreError> {
        // A rewrite by the holder may rename a new file over the one just opened: then lock
        // again. A lock released a moment ago may still be held for a few milliseconds by a
        // child process between its fork and exec, so a refusal is only final after a short while.
        let mut busy = 0;
        for _ in 0..32 {
            let path = session.canonicalize().map_err(StoreError::io(session, "opening"))?;
            let file = no_follow().read(true).open(&path).map_err(StoreError::io(&path, "opening"))?;
            match file.try_lock() {
                Ok(()) => {}
                Err(TryLockError::WouldBlock) if busy < 10 => {
                    busy += 1;
                    std::thread::sleep(std::time::Duration::from_millis(25));
                    continue;
                }
                Err(TryLockError::WouldBlock) => {
                    return Err(StoreError::Locked { path: session.to_path_buf(), holder: String::new() })
                }
                Err(TryLockError::Error(e)) => return Err(StoreError::io(&path, "locking")(e)),
            }
            let locked = FileId::of(&file).map_err(StoreError::io(&path, "locking"))?;
            if FileId::at(&path).ok().flatten() == Some(locked) {
                return Ok(SessionLock { path, held: Arc::new(Mutex::new(Some(file))) });
            }
        }
        Err(StoreError::io(session, "locking")(std::io::Error::other(
            "the file keeps being replaced by another program; try again",
        )))
    }

    /// The real file locked (links resolved).
    pub fn path(&self) -> &Path {
        &self.path
    }

    pub(crate) fn held(&self) -> Held {
        Arc::clone(&self.held)
    }
}

impl Drop for SessionLock {
    fn drop(&mut self) {
        // Closing the file releases the lock, whoever else holds the shared slot.
        if let Ok(mut held) = self.held.lock() {
            held.take();
        }
    }
}
