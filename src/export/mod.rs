//! Written summaries of finished sessions: Markdown and a self-contained HTML page for the
//! write-up a lead sends to partners, CSV of the comments for spreadsheets, and a summary
//! across the sessions of a series. Pure functions over loaded sessions: the caller reads the
//! files (through `store`) and writes the output.

pub mod attendance;
mod csv;
mod html;
mod markdown;
pub mod report;
pub mod series;
mod text;
pub mod zoom;

use std::path::{Path, PathBuf};
use std::str::FromStr;

use thiserror::Error;

use crate::store::Loaded;

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
}

impl Format {
    /// The format named on the command line: "md" or "markdown", "csv", "html" (any case).
    pub fn from_name(name: &str) -> Option<Format> {
        match name.trim().to_ascii_lowercase().as_str() {
            "md" | "markdown" => Some(Format::Markdown),
            "csv" => Some(Format::Csv),
            "html" | "htm" => Some(Format::Html),
            _ => None,
        }
    }

    /// The usual file extension, for naming output files.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Markdown => "md",
            Format::Csv => "csv",
            Format::Html => "html",
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
    #[error("unknown export format \"{0}\": use md, csv or html")]
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
}

/// The write-up of one session in `format`; `path` names the source file in the report.
pub fn session_report(path: &Path, loaded: &Loaded, format: Format) -> Result<String, ExportError> {
    match format {
        Format::Markdown => Ok(markdown::session(&SessionReport::gather(path, loaded))),
        Format::Html => Ok(html::session(&SessionReport::gather(path, loaded))),
        Format::Csv => csv::session_comments(loaded),
    }
}

/// A summary across several sessions of a series (CSV: every live comment of every session,
/// with a `session` column first). Sessions are taken in date order whatever the order given.
pub fn series_report(sessions: &[(PathBuf, Loaded)], format: Format) -> Result<String, ExportError> {
    if sessions.is_empty() {
        return Err(ExportError::NoSessions);
    }
    match format {
        Format::Markdown => Ok(markdown::series(&SeriesReport::gather(sessions))),
        Format::Html => Ok(html::series(&SeriesReport::gather(sessions))),
        Format::Csv => csv::series_comments(&series::in_date_order(sessions)),
    }
}
