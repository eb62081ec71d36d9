//! The document as Markdown: headings, tables and lists a lead can paste into a document or
//! send as it is. Every span is escaped here, so a comment's `*` or `#` is shown, not obeyed,
//! and its control characters and bidirectional overrides are neutralised (`view::sanitise`).

use std::fmt::Write;

use super::doc::{Block, Document, Span, Style, Table};
use super::target::MARKER;
use crate::view::sanitise;

/// The document as Markdown, starting with convene's marker (an HTML comment, invisible when
/// rendered) so a later export may replace the file.
pub(crate) fn write(doc: &Document) -> String {
    let mut out = format!("{MARKER}\n\n");
    for block in &doc.blocks {
        match block {
            Block::Heading(level, line) => {
                let _ = writeln!(out, "{} {}\n", "#".repeat(usize::from(*level)), spans(line, Where::Line));
            }
            Block::Paragraph(line) | Block::Note(line) => {
                let _ = writeln!(out, "{}\n", spans(line, Where::Line));
            }
            Block::Facts(facts) => {
                let lines: Vec<String> = facts
                    .iter()
                    .map(|(label, value)| format!("**{}:** {}", escape(label), spans(value, Where::Line)))
                    .collect();
                // Two trailing spaces: a line break that keeps the facts in one compact block.
                let _ = writeln!(out, "{}\n", lines.join("  \n"));
            }
            Block::List(items) => {
                for item in items {
                    let _ = writeln!(out, "- {}", spans(item, Where::Item));
                }
                out.push('\n');
            }
            Block::Table(table) => write_table(&mut out, table),
        }
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

fn write_table(out: &mut String, table: &Table) {
    let titles: Vec<String> = table.columns.iter().map(|c| escape(&c.title)).collect();
    let aligns: Vec<&str> = table.columns.iter().map(|c| if c.numeric { "--:" } else { "---" }).collect();
    let _ = writeln!(out, "{}\n|{}|", row_of(&titles), aligns.join("|"));
    for row in &table.rows {
        let cells: Vec<String> = row.iter().map(|cell| spans(cell, Where::Cell)).collect();
        let _ = writeln!(out, "{}", row_of(&cells));
    }
    if let Some(total) = &table.total {
        let cells: Vec<String> = total
            .iter()
            .map(|cell| match spans(cell, Where::Cell) {
                text if text.is_empty() => text,
                text => format!("**{text}**"),
            })
            .collect();
        let _ = writeln!(out, "{}", row_of(&cells));
    }
    out.push('\n');
}

/// `| a | b |`, an empty cell as `| |`.
fn row_of(cells: &[String]) -> String {
    let mut row: String =
        cells.iter().map(|c| if c.is_empty() { "| ".to_string() } else { format!("| {c} ") }).collect();
    row.push('|');
    row
}

/// Where spans go, which decides what a line break inside them becomes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Where {
    /// A heading or paragraph: one line.
    Line,
    /// A list item: later lines indented, with a hard break.
    Item,
    /// A table cell: `|` escaped, breaks as `<br>`.
    Cell,
}

fn spans(line: &[Span], at: Where) -> String {
    line.iter()
        .enumerate()
        .map(|(i, span)| {
            // Block markup (`#`, `-`, `1.`) only counts at the start of a line, never in a cell.
            let starts_line = i == 0 && at != Where::Cell;
            let text = match (span.style, at) {
                (Style::Said, Where::Item) => item(&span.text),
                (Style::Said, Where::Cell) => cell(&span.text),
                (_, Where::Cell) => inline(&sanitise::line(&span.text)).replace('|', "\\|"),
                _ if starts_line => escape(&sanitise::line(&span.text)),
                _ => inline(&sanitise::line(&span.text)),
            };
            match span.style {
                _ if text.trim().is_empty() => text,
                Style::Strong | Style::Verdict(_) => format!("**{text}**"),
                Style::Byline => format!("*{text}*"),
                Style::Plain | Style::Muted | Style::Tag | Style::Said => text,
            }
        })
        .collect()
}

/// Session text in a table cell: `|` would end the cell, a line break the row.
fn cell(text: &str) -> String {
    sanitise::lines(text).iter().map(|l| inline(l).replace('|', "\\|")).collect::<Vec<_>>().join("<br>")
}

/// Session text as a list item: later lines indented so they stay in the item, with a hard
/// break (two trailing spaces) so the comment's own line breaks show.
fn item(text: &str) -> String {
    sanitise::lines(text).iter().map(|l| escape(l.trim_start())).collect::<Vec<_>>().join("  \n  ")
}

/// Backslash-escape what Markdown would read as inline markup, for text inside a line.
fn inline(text: &str) -> String {
    escape_from(text, false)
}

/// Backslash-escape what Markdown would read as markup: inline markers anywhere, and block
/// markers (heading, quote, list, rule) at the start of a line.
fn escape(text: &str) -> String {
    escape_from(text, true)
}

fn escape_from(text: &str, line_start: bool) -> String {
    let mut out = String::with_capacity(text.len());
    let starts_block = line_start
        && match text.chars().next() {
            Some('#' | '>' | '-' | '+' | '=' | '*' | '_') => true,
            Some(c) if c.is_ascii_digit() => {
                let after = text.trim_start_matches(|c: char| c.is_ascii_digit());
                after.starts_with('.') || after.starts_with(')')
            }
            _ => false,
        };
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '~' => out.push('\\'),
            // An ampersand only matters where it starts an entity such as `&amp;`.
            '&' if looks_like_entity(&chars[i + 1..]) => out.push('\\'),
            '.' | ')' if starts_block && chars[..i].iter().all(|c| c.is_ascii_digit()) => out.push('\\'),
            _ if i == 0 && starts_block && !c.is_ascii_digit() => out.push('\\'),
            _ => {}
        }
        out.push(c);
    }
    out
}

fn looks_like_entity(rest: &[char]) -> bool {
    let name: Vec<&char> = rest.iter().take_while(|c| c.is_ascii_alphanumeric() || **c == '#').collect();
    !name.is_empty() && rest.get(name.len()) == Some(&';')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_session_text_is_shown_not_obeyed() {
        assert_eq!(escape("# not a heading"), "\\# not a heading");
        assert_eq!(escape("- not a list"), "\\- not a list");
        assert_eq!(escape("2027. A year"), "2027\\. A year");
        assert_eq!(escape("2027 funding cliff. Now"), "2027 funding cliff. Now");
        assert_eq!(escape("*bold* and <b>tag</b> [link](x)"), "\\*bold\\* and \\<b>tag\\</b> \\[link\\](x)");
        assert_eq!(escape("R&D &amp; more"), "R&D \\&amp; more");
        assert_eq!(escape("1,200 volunteers"), "1,200 volunteers");
        assert_eq!(cell("a | b\nc"), "a \\| b<br>c");
        assert_eq!(item("first\n  - second"), "first  \n  \\- second");
        assert_eq!(item("evil\u{202e}txt\u{1b}[2J"), "eviltxt\u{241b}\\[2J");
    }
}
