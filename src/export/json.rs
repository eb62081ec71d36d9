//! The report as JSON for machines: the same `SessionReport` (or `SeriesReport`) every other
//! writer shows, inside a versioned object:
//!
//! `{"format": 1, "generator": "convene", "kind": "session" | "series" | "check", ...}`.
//!
//! Text is exactly as stored. serde_json escapes C0 controls; DEL, C1 controls and
//! bidirectional overrides (valid in JSON strings, but able to bend a terminal or a viewer)
//! are written as `\u` escapes too, so the output carries none of them raw and still parses
//! back to the exact text.

use serde::ser::{SerializeSeq, Serializer};
use serde::Serialize;

use super::attendance::{OrgAttendance, Presence};
use super::report::SessionReport;
use super::series::SeriesReport;
use super::ExportError;
use crate::view::sanitise::is_unsafe;

/// The version of the JSON shape; bumped only when a field changes meaning or goes away.
pub const JSON_FORMAT: u32 = 1;

/// What every JSON document of convene says first.
#[derive(Serialize)]
struct Envelope<'a, T: Serialize> {
    format: u32,
    generator: &'static str,
    kind: &'static str,
    #[serde(flatten)]
    body: &'a T,
}

#[derive(Serialize)]
struct SessionBody<'a> {
    session: &'a SessionReport,
}

#[derive(Serialize)]
struct SeriesBody<'a> {
    series: &'a SeriesReport,
}

/// One file as `convene check --format json` reports it.
#[derive(Debug, Serialize)]
pub struct Checked {
    /// The file as given on the command line.
    pub file: String,
    /// Whether it loaded and its plan is sound.
    pub ok: bool,
    /// Session format version, when it loaded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file_format: Option<u32>,
    /// Why it failed, with the line and column.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The report, when it loaded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session: Option<SessionReport>,
}

#[derive(Serialize)]
struct CheckBody<'a> {
    files: &'a [Checked],
}

/// One session's report.
pub(crate) fn session(report: &SessionReport) -> Result<String, ExportError> {
    write("session", &SessionBody { session: report })
}

/// A series report.
pub(crate) fn series(report: &SeriesReport) -> Result<String, ExportError> {
    write("series", &SeriesBody { series: report })
}

/// What `convene check --format json` prints.
pub fn check(files: &[Checked]) -> Result<String, ExportError> {
    write("check", &CheckBody { files })
}

fn write<T: Serialize>(kind: &'static str, body: &T) -> Result<String, ExportError> {
    let envelope = Envelope { format: JSON_FORMAT, generator: "convene", kind, body };
    let text = serde_json::to_string_pretty(&envelope)?;
    Ok(escape_unsafe(&text) + "\n")
}

/// Unsafe characters can only be inside JSON strings (the structure is ASCII), where a `\u`
/// escape means the same character.
fn escape_unsafe(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        // A raw line break can only be the pretty-printer's own layout.
        if is_unsafe(c) && c != '\n' {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Attendance as JSON: organisations, each with its people and whether they were there.
pub(crate) fn attendance<S: Serializer>(orgs: &[OrgAttendance], serializer: S) -> Result<S::Ok, S::Error> {
    #[derive(Serialize)]
    struct Org<'a> {
        organisation: &'a str,
        attended: usize,
        expected: usize,
        people: Vec<Person<'a>>,
    }
    #[derive(Serialize)]
    struct Person<'a> {
        id: &'a str,
        name: &'a str,
        role: &'static str,
        presence: &'static str,
        notes: &'a [String],
    }
    let mut seq = serializer.serialize_seq(Some(orgs.len()))?;
    for org in orgs {
        seq.serialize_element(&Org {
            organisation: &org.org,
            attended: org.attended(),
            expected: org.expected(),
            people: org
                .people
                .iter()
                .map(|p| Person {
                    id: &p.id,
                    name: &p.name,
                    role: p.role.label(),
                    presence: match p.presence {
                        Presence::Attended => "attended",
                        Presence::Absent => "absent",
                        Presence::NotRecorded => "not recorded",
                    },
                    notes: &p.notes,
                })
                .collect(),
        })?;
    }
    seq.end()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overrides_and_c1_controls_are_escaped_and_read_back_exactly() {
        let text = "a\u{202e}b\u{85}c\u{7f}\u{1b}";
        let json = escape_unsafe(&serde_json::to_string(text).expect("encodes"));
        assert_eq!(json, "\"a\\u202eb\\u0085c\\u007f\\u001b\"");
        assert_eq!(serde_json::from_str::<String>(&json).expect("parses"), text);
    }
}
