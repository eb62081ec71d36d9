//! Atomic replacement of a file: temp file, fsync, rename, fsync the directory — keeping the
//! file's identity: its mode and owner stay, a symbolic link stays a link and its target is
//! what gets replaced, and the temporary file cannot be redirected by a link planted in advance.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use super::beside::{no_follow, random_hex, resolve};
use super::StoreError;

/// Replace `path` with `contents` so that a crash leaves either the old or the new file, whole.
pub fn write_atomically(path: &Path, contents: &[u8]) -> Result<(), StoreError> {
    replace(path, Mode::KeepOr(0o666), |out| out.write_all(contents)).map(|_| ())
}

/// As `write_atomically`, readable by the owner only from the first byte (the file holds a secret).
pub(crate) fn write_privately(path: &Path, contents: &[u8]) -> Result<(), StoreError> {
    replace(path, Mode::Private, |out| out.write_all(contents)).map(|_| ())
}

/// The permissions a replaced file gets.
#[derive(Debug, Clone, Copy)]
pub enum Mode {
    /// The existing file's mode, or this (less the umask) for a new file.
    KeepOr(u32),
    /// Owner read and write only, whatever was there (comment text).
    Private,
}

/// `<name>.<16 random hex>.tmp` in the directory of `target`.
pub fn temporary_beside(target: &Path) -> PathBuf {
    let dir = directory_of(target);
    let mut name = target.file_name().unwrap_or_default().to_owned();
    name.push(format!(".{}.tmp", random_hex(8)));
    dir.join(name)
}

fn directory_of(path: &Path) -> &Path {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    }
}

/// Replace the file `path` names (through any symbolic link) with what `fill` writes, and
/// hand back the new file, still open and locked by this process, so a session's writer
/// keeps holding the lock on the file that is now the session.
pub fn replace(
    path: &Path,
    mode: Mode,
    fill: impl FnOnce(&mut BufWriter<&File>) -> std::io::Result<()>,
) -> Result<File, StoreError> {
    // A session is written through its link; a private file beside it (a draft, a journal) is
    // replaced where it stands, so a link planted at its name is replaced, never followed.
    let (target, existing) = match mode {
        Mode::KeepOr(_) => {
            let target = resolve(path);
            let existing = std::fs::metadata(&target).ok();
            (target, existing)
        }
        Mode::Private => (path.to_path_buf(), None),
    };
    let temp = temporary_beside(&target);
    let mut options = no_follow();
    options.read(true).write(true).create_new(true);
    #[cfg(unix)]
    let wanted_mode = {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        let wanted: Option<u32> = match (mode, &existing) {
            (Mode::Private, _) => Some(0o600),
            (Mode::KeepOr(_), Some(metadata)) => Some(metadata.permissions().mode() & 0o7777),
            (Mode::KeepOr(_), None) => None,
        };
        // Created with the final mode (less the umask, set exactly below), never wider.
        options.mode(wanted.unwrap_or(match mode {
            Mode::KeepOr(new) => new,
            Mode::Private => 0o600,
        }));
        wanted
    };
    let file = options.open(&temp).map_err(StoreError::io(&temp, "creating a temporary file"))?;
    let result = (|| {
        #[cfg(unix)]
        {
            use std::os::unix::fs::{MetadataExt, PermissionsExt};
            if let Some(existing) = &existing {
                // Keep the owner where the system lets us (it does for root, or the same owner).
                let _ = std::os::unix::fs::fchown(&file, Some(existing.uid()), Some(existing.gid()));
            }
            if let Some(wanted) = wanted_mode {
                file.set_permissions(std::fs::Permissions::from_mode(wanted))
                    .map_err(StoreError::io(&temp, "setting the file's mode"))?;
            }
        }
        // Lock before the file takes the session's name, so no second writer slips in between.
        let _ = file.try_lock();
        let mut out = BufWriter::new(&file);
        fill(&mut out).and_then(|()| out.flush()).map_err(StoreError::io(&temp, "writing"))?;
        drop(out);
        file.sync_all().map_err(StoreError::io(&temp, "syncing"))?;
        std::fs::rename(&temp, &target).map_err(StoreError::io(&target, "replacing"))?;
        let dir = directory_of(&target);
        // The rename itself is only durable once the directory entry is.
        File::open(dir).and_then(|d| d.sync_all()).map_err(StoreError::io(dir, "syncing the directory"))
    })();
    match result {
        Ok(()) => Ok(file),
        Err(error) => {
            let _ = std::fs::remove_file(&temp);
            Err(error)
        }
    }
}
