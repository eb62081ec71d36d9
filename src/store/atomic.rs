//! Atomic replacement of a file: temp file, fsync, rename, fsync the directory.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::Path;

use super::StoreError;

/// Replace `path` with `contents` so that a crash leaves either the old or the new file, whole.
pub fn write_atomically(path: &Path, contents: &[u8]) -> Result<(), StoreError> {
    replace(path, contents, false)
}

/// As `write_atomically`, readable by the owner only from the first byte (the file holds a secret).
pub(crate) fn write_privately(path: &Path, contents: &[u8]) -> Result<(), StoreError> {
    replace(path, contents, true)
}

fn replace(path: &Path, contents: &[u8], private: bool) -> Result<(), StoreError> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut temp_name = path.file_name().unwrap_or_default().to_owned();
    temp_name.push(format!(".{}.tmp", std::process::id()));
    let temp = dir.join(temp_name);
    let result = (|| {
        let mut options = OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        if private {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
            // A temp file left by a crash keeps its mode when reopened: start afresh.
            let _ = std::fs::remove_file(&temp);
        }
        #[cfg(not(unix))]
        let _ = private;
        let mut file = options.open(&temp).map_err(StoreError::io(&temp, "creating a temporary file"))?;
        file.write_all(contents).map_err(StoreError::io(&temp, "writing"))?;
        file.sync_all().map_err(StoreError::io(&temp, "syncing"))?;
        std::fs::rename(&temp, path).map_err(StoreError::io(path, "replacing"))?;
        // The rename itself is only durable once the directory entry is.
        File::open(dir).and_then(|d| d.sync_all()).map_err(StoreError::io(dir, "syncing the directory"))
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}
