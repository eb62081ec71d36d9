//! The write-up as a small document: headings, paragraphs, facts, lists and tables of styled
//! spans. Layout decides what a report says once (`layout.rs`); each writer (Markdown, HTML,
//! plain text) only decides how it looks, and escapes every span itself, so no session text
//! reaches any output without passing through the writer's escaping.

/// A document: a title (for the page) and its blocks in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// What the page is called (the first heading says it too).
    pub title: String,
    /// Everything shown, in order.
    pub blocks: Vec<Block>,
}

/// One block of a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// A heading, level 1 (the title) to 4.
    Heading(u8, Line),
    /// A paragraph.
    Paragraph(Line),
    /// A remark about the document rather than the session (what columns mean, time zone).
    Note(Line),
    /// Labelled facts, one a line: "Series: …".
    Facts(Vec<(String, Line)>),
    /// A bulleted list.
    List(Vec<Line>),
    /// A table.
    Table(Table),
}

/// Spans shown one after another.
pub type Line = Vec<Span>;

/// A piece of text with its style.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    /// How it is shown.
    pub style: Style,
    /// The text, exactly as stored (writers make it safe).
    pub text: String,
}

/// How a span is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Ordinary text on one line.
    Plain,
    /// Stands out: labels, totals, results.
    Strong,
    /// Set back: who said it and when.
    Byline,
    /// Quieter: remarks such as "(lead)".
    Muted,
    /// A small label such as "pre-session".
    Tag,
    /// Words people said (comments, candidates): any script, and their line breaks kept.
    Said,
    /// A decision's result, coloured by outcome where colour exists.
    Verdict(Verdict),
}

/// A decision's outcome, for colouring.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Passed.
    Passed,
    /// Not passed.
    Failed,
    /// Still open.
    Open,
}

/// A table: columns, rows of cells, and an optional total row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// Column headings and alignment.
    pub columns: Vec<Column>,
    /// Each row's cells, one per column.
    pub rows: Vec<Vec<Line>>,
    /// A last row set apart as the total.
    pub total: Option<Vec<Line>>,
}

/// A table column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// Heading.
    pub title: String,
    /// Numbers, aligned right.
    pub numeric: bool,
}

impl Column {
    /// A text column.
    pub fn text(title: &str) -> Column {
        Column { title: title.to_string(), numeric: false }
    }

    /// A numeric column, aligned right.
    pub fn number(title: &str) -> Column {
        Column { title: title.to_string(), numeric: true }
    }
}

/// A plain span.
pub fn plain(text: impl Into<String>) -> Span {
    Span { style: Style::Plain, text: text.into() }
}

/// A span in `style`.
pub fn styled(style: Style, text: impl Into<String>) -> Span {
    Span { style, text: text.into() }
}

/// A line of one plain span.
pub fn words(text: impl Into<String>) -> Line {
    vec![plain(text)]
}

/// The plain text of a line, styles dropped (for tests and plain comparisons).
pub fn flat(line: &[Span]) -> String {
    line.iter().map(|s| s.text.as_str()).collect()
}
