//! One writer per session: an OS lock on `<session>.ron.lock`, released even by `kill -9`.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::Path;

use super::StoreError;

/// Held while a session is open for writing; dropping it releases the lock.
#[derive(Debug)]
pub struct SessionLock {
    _file: File,
}

impl SessionLock {
    /// Take the lock or report who holds it.
    pub fn acquire(session: &Path) -> Result<SessionLock, StoreError> {
        let path = super::beside(session, ".lock");
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(StoreError::io(&path, "opening the lock file"))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                let mut holder = String::new();
                let _ = file.read_to_string(&mut holder);
                let holder = holder.trim();
                return Err(StoreError::Locked {
                    path: session.to_path_buf(),
                    holder: if holder.is_empty() { String::new() } else { format!(" ({holder})") },
                });
            }
            Err(TryLockError::Error(e)) => {
                return Err(StoreError::io(&path, "locking")(e));
            }
        }
        // Who holds it, for the message another process shows; the OS lock is what counts.
        let _ = file.set_len(0);
        let _ = file.rewind();
        let _ = write!(file, "pid {}", std::process::id());
        let _ = file.flush();
        // The file stays behind on purpose: deleting it would let two processes lock different inodes.
        Ok(SessionLock { _file: file })
    }
}
