//! The comments as CSV for spreadsheets: one row per live comment, edits applied, quoted by
//! the `csv` crate so commas, quotes and line breaks inside comments survive.

use std::path::PathBuf;

use ::csv::{Writer, WriterBuilder};

use super::text::stamp;
use super::ExportError;
use crate::store::Loaded;

/// Column names after the optional `session` column.
const HEADER: [&str; 6] = ["time", "theme", "room", "author", "pre_session", "text"];

/// The live comments of one session.
pub(crate) fn session_comments(loaded: &Loaded) -> Result<String, ExportError> {
    let mut writer = writer();
    writer.write_record(HEADER)?;
    write_rows(&mut writer, None, loaded)?;
    finish(writer)
}

/// The live comments of several sessions, each row starting with its session's file stem.
pub(crate) fn series_comments(sessions: &[&(PathBuf, Loaded)]) -> Result<String, ExportError> {
    let mut writer = writer();
    writer.write_record(["session"].into_iter().chain(HEADER))?;
    for (path, loaded) in sessions {
        let name =
            path.file_stem().map_or_else(|| path.display().to_string(), |s| s.to_string_lossy().into());
        write_rows(&mut writer, Some(&name), loaded)?;
    }
    finish(writer)
}

fn writer() -> Writer<Vec<u8>> {
    // RFC 4180 line endings, which every spreadsheet reads (the crate's default is a bare \n).
    WriterBuilder::new().terminator(::csv::Terminator::CRLF).from_writer(Vec::new())
}

fn write_rows(
    writer: &mut Writer<Vec<u8>>,
    session: Option<&str>,
    loaded: &Loaded,
) -> Result<(), ExportError> {
    let plan = &loaded.file.plan;
    for comment in loaded.state.live_comments() {
        let author = comment
            .author
            .as_deref()
            .map(|id| plan.participant(id).map_or(id, |p| p.name.as_str()))
            .unwrap_or_default();
        let time = stamp(comment.added_at);
        let row = [
            time.as_str(),
            comment.theme.as_deref().unwrap_or_default(),
            plan.room_name(comment.room),
            author,
            if comment.pre_session { "yes" } else { "no" },
            comment.text.as_str(),
        ];
        match session {
            Some(session) => writer.write_record([session].into_iter().chain(row))?,
            None => writer.write_record(row)?,
        }
    }
    Ok(())
}

fn finish(writer: Writer<Vec<u8>>) -> Result<String, ExportError> {
    let bytes = writer.into_inner().map_err(|e| ExportError::Csv(e.into_error().into()))?;
    Ok(String::from_utf8(bytes)?)
}
