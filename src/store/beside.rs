//! Opening files beside a session safely: never through a symbolic link someone planted,
//! owner-only when they hold comment text, and with names nobody can guess in advance.

use std::fs::{File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};

/// A file kept beside a session: `<session><suffix>`, e.g. `consult.ron.journal`.
pub fn beside(session: &Path, suffix: &str) -> PathBuf {
    let mut name = session.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// The file a session path stands for: symbolic links followed, so every way of naming a
/// session (a link, `..`) reaches the same journal and the same lock. A path that does not
/// exist yet is returned as given.
pub fn resolve(path: &Path) -> PathBuf {
    path.canonicalize().unwrap_or_else(|_| path.to_path_buf())
}

/// Options that refuse to follow a symbolic link at the last component of the path.
pub fn no_follow() -> OpenOptions {
    let mut options = OpenOptions::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW);
    }
    options
}

/// Owner-only permissions for a file about to be created (comment text, tokens).
pub fn private(options: &mut OpenOptions) -> &mut OpenOptions {
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options
}

/// Read a file beside a session without following a link; `None` when there is none.
pub fn read_no_follow(path: &Path) -> io::Result<Option<Vec<u8>>> {
    use std::io::Read;
    match no_follow().read(true).open(path) {
        Ok(mut file) => {
            let mut bytes = Vec::new();
            file.read_to_end(&mut bytes)?;
            Ok(Some(bytes))
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(refusing_links(path, e)),
    }
}

/// A clearer error than "too many levels of symbolic links" when a link sits where a file
/// beside a session should be.
pub fn refusing_links(path: &Path, error: io::Error) -> io::Error {
    let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    if is_link {
        io::Error::other(format!(
            "it is a symbolic link, which convene does not follow beside a session (remove {} if you did not put it there)",
            path.display()
        ))
    } else {
        error
    }
}

/// Which file (device and inode) an open handle or a path is, to notice replacement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileId {
    device: u64,
    inode: u64,
}

impl FileId {
    /// The file behind an open handle.
    pub fn of(file: &File) -> io::Result<FileId> {
        Ok(FileId::from_metadata(&file.metadata()?))
    }

    /// The file a path names now (a link itself, not followed); `None` if there is none.
    pub fn at(path: &Path) -> io::Result<Option<FileId>> {
        match std::fs::symlink_metadata(path) {
            Ok(metadata) => Ok(Some(FileId::from_metadata(&metadata))),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    #[cfg(unix)]
    fn from_metadata(metadata: &std::fs::Metadata) -> FileId {
        use std::os::unix::fs::MetadataExt;
        FileId { device: metadata.dev(), inode: metadata.ino() }
    }

    #[cfg(not(unix))]
    fn from_metadata(metadata: &std::fs::Metadata) -> FileId {
        FileId { device: 0, inode: metadata.len() }
    }
}

/// `bytes` random bytes from the operating system, as hex.
pub fn random_hex(bytes: usize) -> String {
    use rand::TryRngCore;
    let mut buffer = vec![0u8; bytes];
    if rand::rngs::OsRng.try_fill_bytes(&mut buffer).is_err() {
        // Without the system's generator, a generator seeded from it in another way.
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha20Rng::from_os_rng();
        rng.fill(&mut buffer[..]);
    }
    buffer.iter().map(|b| format!("{b:02x}")).collect()
}

/// A stable 64-bit FNV-1a hash: the same bytes give the same number in every build, so it
/// can be written to disk (a journal's session identity) and compared later.
pub fn stable_hash(bytes: &[u8]) -> u64 {
    bytes
        .iter()
        .fold(0xcbf2_9ce4_8422_2325u64, |hash, b| (hash ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3))
}

/// Whether `name` is one of convene's temporary names for `base` (`<base>.<16 hex>.tmp`).
pub fn is_temporary_of(name: &str, base: &str) -> bool {
    name.strip_prefix(base)
        .and_then(|rest| rest.strip_prefix('.'))
        .and_then(|rest| rest.strip_suffix(".tmp"))
        .is_some_and(|hex| hex.len() == 16 && hex.bytes().all(|b| b.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic)]

    use super::*;

    #[test]
    fn temporary_names_are_recognised_exactly() {
        assert!(is_temporary_of("a.ron.0123456789abcdef.tmp", "a.ron"));
        assert!(is_temporary_of("a.ron.draft.0123456789abcdef.tmp", "a.ron.draft"));
        assert!(!is_temporary_of("a.ron.1234.tmp", "a.ron"));
        assert!(!is_temporary_of("b.ron.0123456789abcdef.tmp", "a.ron"));
        assert!(!is_temporary_of("a.ron.0123456789abcdeg.tmp", "a.ron"));
    }

    #[test]
    fn random_names_differ_and_hashes_are_stable() {
        assert_ne!(random_hex(8), random_hex(8));
        assert_eq!(random_hex(16).len(), 32);
        assert_eq!(stable_hash(b"plan"), stable_hash(b"plan"));
        assert_eq!(stable_hash(b""), 0xcbf2_9ce4_8422_2325);
    }
}
