//! The document as plain text for a terminal (`convene check`): headings, indented facts,
//! lists and aligned tables. Every span is made safe here (`view::sanitise`), so a title's
//! escape sequence is shown as `␛[…`, never obeyed by the terminal.

use std::fmt::Write;

use unicode_width::UnicodeWidthStr;

use super::doc::{Block, Document, Span, Table};
use crate::view::sanitise;

/// The document as text; lines end in `\n`.
pub(crate) fn write(doc: &Document) -> String {
    let mut out = String::new();
    for block in &doc.blocks {
        match block {
            Block::Heading(1, line) => {
                let _ = writeln!(out, "{}", spans(line));
            }
            Block::Heading(level, line) => {
                let indent = "  ".repeat(usize::from(level.saturating_sub(2)));
                let _ = writeln!(out, "\n{indent}{}", spans(line));
            }
            Block::Paragraph(line) | Block::Note(line) => {
                let _ = writeln!(out, "  {}", spans(line));
            }
            Block::Facts(facts) => {
                for (label, value) in facts {
                    let _ = writeln!(out, "  {}: {}", sanitise::line(label), spans(value));
                }
            }
            Block::List(items) => {
                for item in items {
                    let _ = writeln!(out, "  - {}", spans(item).replace('\n', "\n    "));
                }
            }
            Block::Table(table) => write_table(&mut out, table),
        }
    }
    out
}

fn write_table(out: &mut String, table: &Table) {
    let one_line = |cell: &[Span]| spans(cell).replace('\n', " / ");
    let mut rows: Vec<Vec<String>> = vec![table.columns.iter().map(|c| sanitise::line(&c.title)).collect()];
    rows.extend(table.rows.iter().map(|row| row.iter().map(|c| one_line(c)).collect()));
    rows.extend(table.total.iter().map(|row| row.iter().map(|c| one_line(c)).collect()));
    let widths: Vec<usize> = (0..table.columns.len())
        .map(|i| rows.iter().map(|row| row.get(i).map_or(0, |c| c.width())).max().unwrap_or(0))
        .collect();
    for row in &rows {
        // Two spaces between columns, so a cell's own spaces never look like a boundary.
        let mut line = String::new();
        for ((cell, width), column) in row.iter().zip(&widths).zip(&table.columns) {
            let pad = " ".repeat(width.saturating_sub(cell.width()));
            if column.numeric {
                let _ = write!(line, "  {pad}{cell}");
            } else {
                let _ = write!(line, "  {cell}{pad}");
            }
        }
        let _ = writeln!(out, "{}", line.trim_end());
    }
}

/// Spans as text: styles have no look on a plain terminal; words people said keep their lines.
fn spans(line: &[Span]) -> String {
    line.iter()
        .map(|span| match span.style {
            super::doc::Style::Said => sanitise::multiline(&span.text),
            _ => sanitise::line(&span.text),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::doc::{words, Column};

    #[test]
    fn tables_align_and_escapes_are_shown() {
        let doc = Document {
            title: "t".into(),
            blocks: vec![
                Block::Heading(1, words("T\u{1b}[2Jitle")),
                Block::Table(Table {
                    columns: vec![Column::text("Item"), Column::number("Min")],
                    rows: vec![vec![words("Welcome"), words("5")], vec![words("Breakout"), words("40")]],
                    total: Some(vec![words("Total"), words("45")]),
                }),
            ],
        };
        assert_eq!(
            write(&doc),
            "T\u{241b}[2Jitle\n  Item      Min\n  Welcome     5\n  Breakout   40\n  Total      45\n"
        );
    }
}
