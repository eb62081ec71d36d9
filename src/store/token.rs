//! The secrets of a hosted session, beside it and readable by its owner only.
//!
//! `<session>.token` holds the session token while hosting, so a host restarted after a crash
//! takes the same token and joiners reconnect by themselves; a clean quit removes it. The hosting
//! process holds an OS lock on it, so a second host on the same session is refused without
//! touching it, and a file convene did not create (another owner, readable by others, a link) is
//! never taken as a token.
//!
//! `<session>.joiners` remembers each joined terminal's secret, so no other token holder can
//! join under a terminal's id and speak for it.

use std::collections::BTreeMap;
use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use super::atomic::write_privately;
use super::StoreError;

/// The token file of a session being hosted by this process.
#[derive(Debug)]
pub struct HostToken {
    path: PathBuf,
    token: String,
    /// Open and locked while hosting: the lock says "a live host owns this token".
    _file: File,
}

/// Why a token file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    /// Another live host holds it.
    #[error("{path} is held by another convene hosting this session; quit that one first (its token was left alone)")]
    InUse {
        /// The token file.
        path: PathBuf,
    },
    /// The file is not one convene would have written.
    #[error("{path}: {why}, so it is not used as a token. If no convene is hosting this session, remove the file and host again.")]
    Unsafe {
        /// The token file.
        path: PathBuf,
        /// What is wrong with it.
        why: String,
    },
    /// Reading or writing it failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl HostToken {
    /// The token file for a session.
    pub fn path_for(session: &Path) -> PathBuf {
        super::beside(session, ".token")
    }

    /// Take the token for hosting `session`: the one left by a host that died, if it is safe,
    /// or else `fresh()` in a file created new, owner-only. True in the second place when the
    /// token was left over.
    pub fn claim(session: &Path, fresh: impl FnOnce() -> String) -> Result<(HostToken, bool), TokenError> {
        let path = Self::path_for(session);
        let mut options = OpenOptions::new();
        options.read(true).write(true).create_new(true);
        private_no_follow(&mut options);
        match options.open(&path) {
            Ok(file) => {
                lock(&path, &file)?;
                let token = fresh();
                let mut writing = &file;
                writing
                    .write_all(token.as_bytes())
                    .and_then(|()| file.sync_all())
                    .map_err(StoreError::io(&path, "keeping the host token"))?;
                Ok((HostToken { path, token, _file: file }, false))
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                Self::left_over(path).map(|t| (t, true))
            }
            Err(e) => Err(StoreError::io(&path, "creating the host token")(e).into()),
        }
    }

    fn left_over(path: PathBuf) -> Result<HostToken, TokenError> {
        let unsafe_because = |why: String| TokenError::Unsafe { path: path.clone(), why };
        let mut options = OpenOptions::new();
        options.read(true);
        private_no_follow(&mut options);
        let mut file = options.open(&path).map_err(|e| {
            if is_link(&path) {
                unsafe_because("it is a symbolic link".into())
            } else {
                StoreError::io(&path, "opening the host token")(e).into()
            }
        })?;
        lock(&path, &file)?;
        check_owner_only(&file).map_err(unsafe_because)?;
        let mut text = String::new();
        file.read_to_string(&mut text).map_err(StoreError::io(&path, "reading the host token"))?;
        let token = text.trim().to_string();
        if token.len() < 32 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(unsafe_because("it does not hold a token convene made".into()));
        }
        Ok(HostToken { path, token, _file: file })
    }

    /// The token joiners must present.
    pub fn token(&self) -> &str {
        &self.token
    }

    /// Where it is kept.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The hosting ended cleanly: the next one gets a fresh token. Only the process holding
    /// the token (and its lock) can get here, so no one removes a token that is not theirs.
    pub fn remove(self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

fn lock(path: &Path, file: &File) -> Result<(), TokenError> {
    match file.try_lock() {
        Ok(()) => Ok(()),
        Err(TryLockError::WouldBlock) => Err(TokenError::InUse { path: path.to_path_buf() }),
        Err(TryLockError::Error(e)) => Err(StoreError::io(path, "locking the host token")(e).into()),
    }
}

/// Owner-only, and never through a symbolic link someone else planted.
fn private_no_follow(options: &mut OpenOptions) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600).custom_flags(rustix::fs::OFlags::NOFOLLOW.bits() as i32);
    }
    #[cfg(not(unix))]
    let _ = options;
}

fn is_link(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
}

/// A secret's file must be a plain file of this user that nobody else may read or write.
fn check_owner_only(file: &File) -> Result<(), String> {
    let meta = file.metadata().map_err(|e| format!("cannot be examined ({e})"))?;
    if !meta.is_file() {
        return Err("it is not a plain file".into());
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let mode = meta.mode() & 0o777;
        if mode & 0o077 != 0 {
            return Err(format!(
                "its mode is {mode:03o} (others may read or change it; convene makes it 600)"
            ));
        }
        let me = rustix::process::getuid().as_raw();
        if meta.uid() != me {
            return Err(format!("it belongs to user {} and not to you (user {me})", meta.uid()));
        }
    }
    Ok(())
}

/// Read a token from a file the user names (`convene join --token-file F`).
pub fn read_token_file(path: &Path) -> Result<String, StoreError> {
    let text = std::fs::read_to_string(path).map_err(StoreError::io(path, "reading the token"))?;
    let token = text.trim();
    if token.is_empty() || token.contains(char::is_whitespace) {
        return Err(StoreError::Parse {
            path: path.to_path_buf(),
            line: 1,
            column: 1,
            message: "expected the token the host printed, alone on one line".into(),
        });
    }
    Ok(token.to_string())
}

/// Each joined terminal's secret, by terminal id: the first hello of a terminal registers it,
/// and every later hello under that id must present it.
#[derive(Debug)]
pub struct JoinerKeys {
    path: PathBuf,
    keys: BTreeMap<String, String>,
}

/// What a hello's secret is to the keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyCheck {
    /// The terminal is known and proved it.
    Known,
    /// The terminal is new: the secret is now its own (and on disk).
    Registered,
    /// Someone else's terminal id.
    Wrong,
    /// The session has as many terminals as it keeps; no new one is registered.
    Full,
}

/// Terminals registered per session at most: far more than any session has, few enough that a
/// token holder inventing ids cannot grow the file without bound.
pub const MAX_TERMINALS: usize = 10_000;

impl JoinerKeys {
    /// The keys kept beside `session` (none yet if there is no file).
    pub fn open(session: &Path) -> Result<JoinerKeys, StoreError> {
        let path = super::beside(session, ".joiners");
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(e) => return Err(StoreError::io(&path, "reading the joined terminals' keys")(e)),
        };
        let mut keys = BTreeMap::new();
        for (index, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            match line.split_once(' ') {
                Some((client, secret)) if !client.is_empty() && !secret.is_empty() => {
                    keys.insert(client.to_string(), secret.to_string());
                }
                _ => {
                    return Err(StoreError::Parse {
                        path: path.clone(),
                        line: index + 1,
                        column: 1,
                        message: "expected `<terminal id> <secret>` (convene writes this file; remove the line, and that terminal registers again at its next join)".into(),
                    })
                }
            }
        }
        Ok(JoinerKeys { path, keys })
    }

    /// Keys held in memory only (tests and benchmarks).
    pub fn in_memory() -> JoinerKeys {
        JoinerKeys { path: PathBuf::new(), keys: BTreeMap::new() }
    }

    /// Check a terminal's secret, registering it (durably) if the terminal is new.
    pub fn check(&mut self, client: &str, secret: &str) -> Result<KeyCheck, StoreError> {
        use subtle::ConstantTimeEq;
        if let Some(known) = self.keys.get(client) {
            let same = known.len() == secret.len() && bool::from(known.as_bytes().ct_eq(secret.as_bytes()));
            return Ok(if same { KeyCheck::Known } else { KeyCheck::Wrong });
        }
        if self.keys.len() >= MAX_TERMINALS {
            return Ok(KeyCheck::Full);
        }
        self.keys.insert(client.to_string(), secret.to_string());
        if !self.path.as_os_str().is_empty() {
            let text: String = self.keys.iter().map(|(c, s)| format!("{c} {s}\n")).collect();
            if let Err(error) = write_privately(&self.path, text.as_bytes()) {
                self.keys.remove(client);
                return Err(error);
            }
        }
        Ok(KeyCheck::Registered)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("s.ron");
        (dir, path)
    }

    #[test]
    fn a_fresh_token_is_owner_only_and_a_second_host_leaves_it_alone() {
        let (_dir, session) = session();
        let (first, left_over) = HostToken::claim(&session, || "ab".repeat(20)).expect("claimed");
        assert!(!left_over);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(first.path()).expect("exists").permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
        let second = HostToken::claim(&session, || unreachable!("the live host's token is not replaced"));
        assert!(matches!(second, Err(TokenError::InUse { .. })), "{second:?}");
        assert_eq!(std::fs::read_to_string(first.path()).expect("still there"), "ab".repeat(20));
        let path = first.path().to_path_buf();
        first.remove();
        assert!(!path.exists());
    }

    #[test]
    fn a_token_left_by_a_crash_is_taken_again() {
        let (_dir, session) = session();
        let (first, _) = HostToken::claim(&session, || "cd".repeat(20)).expect("claimed");
        // A crash: the lock goes with the process, the file stays.
        drop(first);
        let (again, left_over) = HostToken::claim(&session, || unreachable!()).expect("taken again");
        assert!(left_over);
        assert_eq!(again.token(), "cd".repeat(20));
    }

    #[cfg(unix)]
    #[test]
    fn a_token_file_others_can_read_is_refused_and_kept() {
        use std::os::unix::fs::PermissionsExt;
        let (_dir, session) = session();
        let path = HostToken::path_for(&session);
        std::fs::write(&path, "ef".repeat(20)).expect("planted");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        let error = HostToken::claim(&session, || unreachable!()).expect_err("refused");
        assert!(error.to_string().contains("mode is 644"), "{error}");
        assert_eq!(std::fs::read_to_string(&path).expect("kept"), "ef".repeat(20));
        std::os::unix::fs::symlink(&path, HostToken::path_for(&session.with_extension("other")))
            .expect("link");
        let error =
            HostToken::claim(&session.with_extension("other"), || unreachable!()).expect_err("refused");
        assert!(error.to_string().contains("symbolic link"), "{error}");
    }

    #[test]
    fn a_terminal_registers_its_secret_once_and_others_cannot_use_its_id() {
        let (_dir, session) = session();
        let mut keys = JoinerKeys::open(&session).expect("no file yet");
        assert_eq!(keys.check("c0ffee00", "s1").expect("kept"), KeyCheck::Registered);
        assert_eq!(keys.check("c0ffee00", "s1").expect("checked"), KeyCheck::Known);
        assert_eq!(keys.check("c0ffee00", "s2").expect("checked"), KeyCheck::Wrong);
        let mut again = JoinerKeys::open(&session).expect("reads");
        assert_eq!(again.check("c0ffee00", "s2").expect("checked"), KeyCheck::Wrong, "remembered on disk");
        let mut many = JoinerKeys::in_memory();
        for n in 0..MAX_TERMINALS {
            assert_eq!(many.check(&format!("{n:016x}"), "s").expect("kept"), KeyCheck::Registered);
        }
        assert_eq!(many.check("ffffffffffffffff", "s").expect("checked"), KeyCheck::Full);
        assert_eq!(many.check("0000000000000001", "s").expect("checked"), KeyCheck::Known);
        std::fs::write(super::super::beside(&session, ".joiners"), "a b\nnonsense\n").expect("writes");
        let error = JoinerKeys::open(&session).expect_err("refused");
        assert!(error.to_string().contains("s.ron.joiners:2:1"), "{error}");
    }
}
