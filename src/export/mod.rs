//! Written summaries of finished sessions: Markdown and a self-contained HTML page for the
//! write-up a lead sends to partners, CSV of the comments for spreadsheets, JSON for
//! machines, the summary `convene check` prints, and a summary across the sessions of a
//! series. Pure functions over loaded sessions: the caller reads the files (through `store`)
//! and writes the output.
//!
//! One report, several writers: `report` (and `series`) gather the facts once; `layout` says
//! them as a `doc::Document`; `markdown`, `html` and `plain` only decide the look, escaping
//! every span themselves; `json` serialises the facts as they are.

pub mod attendance;
mod csv;
pub mod doc;
mod html;
pub mod json;
pub mod layout;
mod markdown;
mod plain;
pub mod report;
pub mod series;
pub mod target;
mod text;
pub mod zoom;

use std::path::{Path, PathBuf};
use std::str::FromStr;

use thiserror::Error;

use crate::store::Loaded;

pub use csv::{for_excel, HEADERS as CSV_HEADERS};
pub use layout::Detail;
pub use report::SessionReport;
pub use series::SeriesReport;

/// The output formats of `convene export`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A Markdown write-up.
    Markdown,
    /// The comments as CSV, one row per live comment.
    Csv,
    /// A self-contained HTML page (inline styles, no external assets).
    Html,
    /// The report's facts as JSON, in a versioned object (`{"format": 1, ...}`).
    Json,
}

impl Format {
    /// The format named on the command line: "md" or "markdown", "csv", "html", "json" (any case).
    pub fn from_name(name: &str) -> Option<Format> {
        match name.trim().to_ascii_lowercase().as_str() {
            "md" | "markdown" => Some(Format::Markdown),
            "csv" => Some(Format::Csv),
            "html" | "htm" => Some(Format::Html),
            "json" => Some(Format::Json),
            _ => None,
        }
    }

    /// The usual file extension, for naming output files.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Markdown => "md",
            Format::Csv => "csv",
            Format::Html => "html",
            Format::Json => "json",
        }
    }
}

impl FromStr for Format {
    type Err = ExportError;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Format::from_name(name).ok_or_else(|| ExportError::UnknownFormat(name.to_string()))
    }
}

/// What can go wrong producing an export.
#[derive(Debug, Error)]
pub enum ExportError {
    /// The format name is not one we write.
    #[error("unknown export format \"{0}\": use md, html, csv or json")]
    UnknownFormat(String),
    /// A series summary needs at least one session.
    #[error("no sessions to export")]
    NoSessions,
    /// The CSV writer failed.
    #[error("writing the comments as CSV failed: {0}")]
    Csv(#[from] ::csv::Error),
    /// The CSV writer produced bytes that are not UTF-8 (it only ever gets UTF-8, so this
    /// would be a bug in the writer).
    #[error("the CSV output is not valid UTF-8: {0}")]
    Encoding(#[from] std::string::FromUtf8Error),
    /// The JSON writer failed.
    #[error("writing the report as JSON failed: {0}")]
    Json(#[from] serde_json::Error),
}

/// The write-up of one session in `format`; `path` names the source file in the report.
pub fn session_report(path: &Path, loaded: &Loaded, format: Format) -> Result<String, ExportError> {
    let report = || SessionReport::gather(path, loaded);
    match format {
        Format::Markdown => Ok(markdown::write(&layout::session(&report(), Detail::Full))),
        Format::Html => Ok(html::write(&layout::session(&report(), Detail::Full))),
        Format::Json => json::session(&report()),
        Format::Csv => csv::session_comments(loaded),
    }
}

/// What `convene check` prints for a file that loaded: a line saying it is sound, then the
/// same report as the write-up without the comments' text, as plain text safe for a terminal.
pub fn check_summary(path: &Path, loaded: &Loaded) -> String {
    let report = SessionReport::gather(path, loaded);
    let ok = format!(
        "{}: ok (format {}, {})\n",
        crate::view::sanitise::line(&path.display().to_string()),
        loaded.file.format,
        text::count(loaded.file.events.len(), "event", "events")
    );
    ok + &plain::write(&layout::session(&report, Detail::Summary))
}

/// A summary across several sessions of a series (CSV: every live comment of every session,
/// with a `session` column first). Sessions are taken in date order whatever the order given.
pub fn series_report(sessions: &[(PathBuf, Loaded)], format: Format) -> Result<String, ExportError> {
    if sessions.is_empty() {
        return Err(ExportError::NoSessions);
    }
    let report = || SeriesReport::gather(sessions);
    match format {
        Format::Markdown => Ok(markdown::write(&layout::series(&report()))),
        Format::Html => Ok(html::write(&layout::series(&report()))),
        Format::Json => json::series(&report()),
        Format::Csv => csv::series_comments(&series::in_date_order(sessions)),
    }
}
