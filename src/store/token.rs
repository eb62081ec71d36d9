//! The token of a hosted session, kept beside it while hosting, so a host restarted after a
//! crash takes the same token and joiners reconnect by themselves. A clean quit removes it.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::StoreError;

/// `<session>.ron.token`, readable by its owner only.
pub struct HostToken {
    path: PathBuf,
}

impl HostToken {
    /// The token file for a session.
    pub fn for_session(session: &Path) -> HostToken {
        HostToken { path: super::beside(session, ".token") }
    }

    /// The token left by a run that did not end cleanly, if any.
    pub fn left_over(&self) -> Option<String> {
        let text = std::fs::read_to_string(&self.path).ok()?;
        let token = text.trim();
        (!token.is_empty()).then(|| token.to_string())
    }

    /// Keep the token until `remove`.
    pub fn keep(&self, token: &str) -> Result<(), StoreError> {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        options
            .open(&self.path)
            .and_then(|mut file| file.write_all(token.as_bytes()).and_then(|()| file.sync_all()))
            .map_err(StoreError::io(&self.path, "keeping the host token"))
    }

    /// The hosting ended cleanly: the next one gets a fresh token.
    pub fn remove(&self) {
        let _ = std::fs::remove_file(&self.path);
    }
}
