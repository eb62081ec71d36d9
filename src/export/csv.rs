//! The comments as CSV for spreadsheets: one row per live comment, edits applied, quoted by
//! the `csv` crate so commas, quotes and line breaks inside comments survive.
//!
//! Safe to open: the date (`YYYY-MM-DD`) and time (`HH:MM:SS`, the session's local time) are
//! separate columns a spreadsheet reads as a date and a time; text is passed through
//! `view::sanitise` (controls shown, bidirectional overrides removed, line breaks kept); and
//! a cell that a spreadsheet would run as a formula (starting `=`, `+`, `-`, `@`, a tab or a
//! carriage return, after any leading spaces) gets a leading apostrophe, which spreadsheets
//! read as "this is text" and do not show. [`for_excel`] adds the byte-order mark Excel needs
//! to read UTF-8.

use std::path::PathBuf;

use ::csv::{Writer, WriterBuilder};

use super::text::Day;
use super::ExportError;
use crate::store::Loaded;
use crate::view::names::display_name;
use crate::view::sanitise;
use crate::view::zone;

/// The header rows convene writes: one session, and a series (a `session` column first).
pub const HEADERS: [&[&str]; 2] = [
    &["date", "time", "theme", "room", "author", "pre_session", "text"],
    &["session", "date", "time", "theme", "room", "author", "pre_session", "text"],
];

/// The UTF-8 byte-order mark: Excel on Windows reads a CSV without it in the machine's
/// legacy code page, turning "café" into "cafÃ©".
pub const BOM: char = '\u{feff}';

/// A CSV export with the byte-order mark Excel needs (`export --excel`).
pub fn for_excel(csv: &str) -> String {
    format!("{BOM}{csv}")
}

/// The live comments of one session.
pub(crate) fn session_comments(loaded: &Loaded) -> Result<String, ExportError> {
    let mut writer = writer();
    writer.write_record(HEADERS[0])?;
    write_rows(&mut writer, None, loaded)?;
    finish(writer)
}

/// The live comments of several sessions, each row starting with its session's file stem.
pub(crate) fn series_comments(sessions: &[&(PathBuf, Loaded)]) -> Result<String, ExportError> {
    let mut writer = writer();
    writer.write_record(HEADERS[1])?;
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
    let day = Day { date: None, zone: zone::zone(plan) };
    for comment in loaded.state.live_comments() {
        let local = comment.added_at.with_timezone(&day.zone);
        let row = [
            local.format("%Y-%m-%d").to_string(),
            local.format("%H:%M:%S").to_string(),
            cell(comment.theme.as_deref().unwrap_or_default()),
            cell(plan.room_name(comment.room)),
            cell(comment.author.as_deref().map(|id| display_name(plan, id)).unwrap_or_default()),
            if comment.pre_session { "yes" } else { "no" }.to_string(),
            cell(&comment.text),
        ];
        match session {
            Some(session) => writer.write_record([cell(session)].iter().chain(&row))?,
            None => writer.write_record(&row)?,
        }
    }
    Ok(())
}

/// Session text as a cell: made safe to show, and never read as a formula.
pub(crate) fn cell(text: &str) -> String {
    let shown = sanitise::keeping_breaks(text);
    let starts_formula = |s: &str| s.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if starts_formula(&shown) || starts_formula(shown.trim_start()) {
        format!("'{shown}")
    } else {
        shown
    }
}

fn finish(writer: Writer<Vec<u8>>) -> Result<String, ExportError> {
    let bytes = writer.into_inner().map_err(|e| ExportError::Csv(e.into_error().into()))?;
    Ok(String::from_utf8(bytes)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_and_text_kept() {
        assert_eq!(cell("=HYPERLINK(\"http://x\",\"y\")"), "'=HYPERLINK(\"http://x\",\"y\")");
        assert_eq!(cell("+44 20"), "'+44 20");
        assert_eq!(cell("-1"), "'-1");
        assert_eq!(cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell("  =1+1"), "'  =1+1");
        assert_eq!(cell("\t=1+1"), "' =1+1", "a tab is shown as a space, still not a formula");
        assert_eq!(cell("café = £5"), "café = £5");
        assert_eq!(cell("line one\r\nline two"), "line one\r\nline two");
        assert_eq!(cell("x\u{202e}y\u{1b}"), "xy\u{241b}");
    }
}
