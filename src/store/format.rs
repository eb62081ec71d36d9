//! RON encoding of session files: pretty for the file, one line per event for the journal.

use std::path::Path;

use ron::extensions::Extensions;
use ron::ser::PrettyConfig;
use serde::{Deserialize, Serialize};

use super::StoreError;
use crate::model::{SessionFile, FORMAT_VERSION};

/// Pretty RON with `implicit_some`, so hand edits can write `lead: "amara"` instead of `Some("amara")`.
pub fn to_pretty_ron<T: Serialize>(value: &T) -> Result<String, ron::Error> {
    let config = PrettyConfig::new()
        .indentor("    ".to_string())
        .struct_names(false)
        .extensions(Extensions::IMPLICIT_SOME);
    ron::ser::to_string_pretty(value, config)
}

/// One-line RON for a journal entry; newlines inside strings are escaped by the serializer.
pub fn to_line<T: Serialize>(value: &T) -> Result<String, ron::Error> {
    ron::Options::default().with_default_extension(Extensions::IMPLICIT_SOME).to_string(value)
}

/// RON options used for every read, matching what we write.
pub fn reader() -> ron::Options {
    ron::Options::default().with_default_extension(Extensions::IMPLICIT_SOME)
}

/// Convert a RON error into one naming the file, line and column.
pub fn parse_error(path: &Path, error: ron::error::SpannedError, line_offset: usize) -> StoreError {
    StoreError::Parse {
        path: path.to_path_buf(),
        line: error.position.line + line_offset,
        column: error.position.col,
        message: explain(&error.code),
    }
}

/// Parser messages, rephrased where the raw one would puzzle someone editing by hand.
fn explain(code: &ron::Error) -> String {
    match code {
        ron::Error::Eof => "the file ends too early: a bracket or quote is probably not closed".into(),
        ron::Error::NoSuchStructField { expected, found, .. } => {
            format!("unknown field `{found}`; expected one of: {}", expected.join(", "))
        }
        ron::Error::MissingStructField { field, outer } => match outer {
            Some(outer) => format!("`{outer}` is missing the field `{field}`"),
            None => format!("missing the field `{field}`"),
        },
        other => other.to_string(),
    }
}

/// 1-based line and column (in characters) of byte `offset` of `bytes`.
pub fn position_of(bytes: &[u8], offset: usize) -> (usize, usize) {
    let before = &bytes[..offset.min(bytes.len())];
    let line_start = before.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
    let line = before.iter().filter(|b| **b == b'\n').count() + 1;
    let column = String::from_utf8_lossy(&before[line_start..]).chars().count() + 1;
    (line, column)
}

/// A session file's bytes as text, or an error naming the line and column of the first byte
/// that is not UTF-8, with a hint for a byte-order mark.
pub fn session_text_of(path: &Path, bytes: Vec<u8>) -> Result<String, StoreError> {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return Err(StoreError::Parse {
            path: path.to_path_buf(),
            line: 1,
            column: 1,
            message: "the file starts with a byte-order mark (BOM), which RON does not allow: \
                      save it as UTF-8 without BOM (most editors offer this under the encoding)"
                .into(),
        });
    }
    String::from_utf8(bytes).map_err(|e| {
        let (line, column) = position_of(e.as_bytes(), e.utf8_error().valid_up_to());
        StoreError::Parse {
            path: path.to_path_buf(),
            line,
            column,
            message: "this byte is not UTF-8 text: save the file as UTF-8 in your editor (it may have been saved as Latin-1 or Windows-1252)".into(),
        }
    })
}

/// Just the version field, read first so a newer file is refused with the right message.
#[derive(Deserialize)]
struct VersionProbe {
    format: u32,
}

/// Parse a session file's text, naming `path` in any error.
pub fn parse_session(path: &Path, text: &str) -> Result<SessionFile, StoreError> {
    match reader().from_str::<SessionFile>(text) {
        Ok(file) if file.format > FORMAT_VERSION => Err(StoreError::TooNew {
            path: path.to_path_buf(),
            found: file.format,
            supported: FORMAT_VERSION,
        }),
        Ok(file) => Ok(migrate(file)),
        Err(error) => {
            // A newer format may fail to parse for reasons of its own: say so rather than
            // pointing at a field this build has never heard of.
            if let Ok(probe) = reader().from_str::<VersionProbe>(text) {
                if probe.format > FORMAT_VERSION {
                    return Err(StoreError::TooNew {
                        path: path.to_path_buf(),
                        found: probe.format,
                        supported: FORMAT_VERSION,
                    });
                }
            }
            Err(parse_error(path, error, 0))
        }
    }
}

/// Bring an older file up to the current format. Version 1 is the first, so this only stamps it.
fn migrate(mut file: SessionFile) -> SessionFile {
    file.format = FORMAT_VERSION;
    file
}
