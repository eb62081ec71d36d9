//! RON encoding of session files: pretty for the file, one line per event for the journal.

use std::path::Path;

use ron::extensions::Extensions;
use ron::ser::PrettyConfig;
use serde::{Deserialize, Serialize};

use super::StoreError;
use crate::model::{Event, SessionFile, Stamped, FORMAT_VERSION};

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

/// Bring an older file up to the current format. Formats 2 and 3 only added what older files
/// lack (`origin`, and events), so nothing is converted; the number stays what the file says,
/// so `check` reports it and a save raises it only when an event needs it.
fn migrate(file: SessionFile) -> SessionFile {
    file
}

/// The oldest format that can hold this event: what a file holding it must say, so that an older
/// convene refuses it as "from a newer convene" instead of stopping at an event it cannot parse.
pub fn format_needed(stamped: &Stamped) -> u32 {
    // Every event is named, so a new one must say which format first holds it.
    let event = match &stamped.event {
        // Added after format 2 (roll call and walk-ins, undo, messages, rebalances): a format-2
        // convene stops at them. A decision's `base` it would not stop at but ignore, counting
        // the majority against the wrong organisations.
        Event::Undone { .. }
        | Event::Redone { .. }
        | Event::Broadcast { .. }
        | Event::AgendaRebalanced { .. }
        | Event::ParticipantCheckedIn { .. }
        | Event::ParticipantAbsent { .. }
        | Event::ParticipantAdded { .. }
        | Event::DecisionOpened { base: Some(_), .. } => 3,
        Event::DecisionOpened { base: None, .. } => 1,
        Event::CommentAdded { .. }
        | Event::CommentEdited { .. }
        | Event::CommentRetagged { .. }
        | Event::CommentRetracted { .. }
        | Event::AgendaItemStarted { .. }
        | Event::TimerPaused
        | Event::TimerResumed
        | Event::TimerExtended { .. }
        | Event::AgendaItemSkipped { .. }
        | Event::AgendaEnded
        | Event::CandidateAdded { .. }
        | Event::CandidateEdited { .. }
        | Event::CandidatesMerged { .. }
        | Event::VoteOpened { .. }
        | Event::DotPlaced { .. }
        | Event::DotRemoved { .. }
        | Event::VoteClosed { .. }
        | Event::DecisionAnswered { .. }
        | Event::DecisionRecorded { .. }
        | Event::RoomsAssigned { .. }
        | Event::ParticipantMoved { .. }
        | Event::ParticipantArrived { .. }
        | Event::ParticipantLeft { .. } => 1,
    };
    // Format 2 added `origin`, which events from joined terminals carry.
    let origin = if stamped.origin.is_some() { 2 } else { 1 };
    event.max(origin)
}

/// The oldest format that can hold all of `events` (1 for none).
pub fn format_for<'a>(events: impl IntoIterator<Item = &'a Stamped>) -> u32 {
    events.into_iter().map(format_needed).max().unwrap_or(1)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic)]

    use super::*;
    use crate::model::{Actor, Origin};

    fn stamped(event: Event, origin: Option<Origin>) -> Stamped {
        let at = chrono::DateTime::from_timestamp(1_773_496_800, 0).unwrap();
        Stamped { seq: 1, at, by: Actor::Facilitator, origin, event }
    }

    #[test]
    fn each_event_needs_the_format_that_first_held_it() {
        let origin = Some(Origin { client: "c".into(), seq: 1 });
        assert_eq!(format_needed(&stamped(Event::TimerPaused, None)), 1);
        assert_eq!(format_needed(&stamped(Event::TimerPaused, origin.clone())), 2);
        assert_eq!(format_needed(&stamped(Event::Undone { seq: 1 }, origin)), 3);
        assert_eq!(format_needed(&stamped(Event::AgendaRebalanced { items: Vec::new() }, None)), 3);
        assert_eq!(format_for(&[]), 1);
        assert_eq!(FORMAT_VERSION, 3, "the newest format is the most any event needs");
    }

    #[test]
    fn a_file_from_a_newer_convene_is_refused_and_the_current_one_read_as_it_says() {
        let path = Path::new("s.ron");
        let text = |format: u32| format!("(format: {format}, plan: (title: \"x\"), events: [])");
        let error = parse_session(path, &text(4)).unwrap_err();
        assert!(matches!(error, StoreError::TooNew { found: 4, supported: 3, .. }), "{error:?}");
        assert!(error.to_string().contains("newer"), "{error}");
        assert_eq!(parse_session(path, &text(3)).unwrap().format, 3);
        assert_eq!(parse_session(path, &text(2)).unwrap().format, 2, "read as the file says");
    }
}
