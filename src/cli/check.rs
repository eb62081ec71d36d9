//! `convene check`: is each file sound, and what does it hold. The summary is the write-up's
//! own report (`export::check_summary`), so `check` and `export` never disagree about a file.

use std::path::{Path, PathBuf};

use crate::export::json::{self, Checked};
use crate::export::SessionReport;
use crate::store::{load_read_only, Loaded};
use crate::view::sanitise;

/// A plain-text summary of a file that loaded: attendance, agenda planned against actual,
/// rooms, comments per theme, votes and decisions.
pub fn summary(path: &Path, loaded: &Loaded) -> String {
    crate::export::check_summary(path, loaded)
}

/// What `check` prints for `files`, as text or JSON, and how many failed. Failures go to
/// standard error in text (one line each), or into the JSON document.
pub fn check(files: &[PathBuf], as_json: bool) -> anyhow::Result<(String, Vec<String>)> {
    let mut out = String::new();
    let mut errors = Vec::new();
    let mut checked = Vec::new();
    for (i, file) in files.iter().enumerate() {
        match load_read_only(file) {
            Ok(loaded) if as_json => checked.push(Checked {
                file: file.display().to_string(),
                ok: true,
                file_format: Some(loaded.file.format),
                error: None,
                session: Some(SessionReport::gather(file, &loaded)),
            }),
            Ok(loaded) => {
                if i > 0 {
                    out.push('\n');
                }
                out.push_str(&summary(file, &loaded));
            }
            Err(error) => {
                let message = error.to_string();
                if as_json {
                    checked.push(Checked {
                        file: file.display().to_string(),
                        ok: false,
                        file_format: None,
                        error: Some(message.clone()),
                        session: None,
                    });
                }
                errors.push(sanitise::multiline(&message));
            }
        }
    }
    if as_json {
        out = json::check(&checked)?;
    }
    Ok((out, errors))
}
