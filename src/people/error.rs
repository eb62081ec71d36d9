//! Problems with a registration file: every bad row, each with its line and column.

use thiserror::Error;

/// One bad row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowProblem {
    /// 1-based line of the file.
    pub line: usize,
    /// 1-based character column of the offending cell.
    pub column: usize,
    /// What is wrong and what to do.
    pub message: String,
}

/// Why people could not be read or merged into a plan.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PeopleError {
    /// Rows of the file are bad; nothing was written.
    #[error("{}\n  Nothing was written. Fix the rows above in the spreadsheet and import again.", problems.iter().map(|p| format!("{file}:{}:{}: {}", p.line, p.column, p.message)).collect::<Vec<_>>().join("\n"))]
    Rows {
        /// The file, as given.
        file: String,
        /// Each bad row.
        problems: Vec<RowProblem>,
    },
    /// The plan's text could not be edited in place.
    #[error("{0}")]
    PlanText(String),
}

impl PeopleError {
    /// Problems found in `file`.
    pub fn rows(file: &str, problems: Vec<RowProblem>) -> PeopleError {
        PeopleError::Rows { file: file.to_string(), problems }
    }
}
