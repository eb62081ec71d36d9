//! The document as one self-contained HTML page: inline styles, no scripts, no external
//! assets, so it can be emailed or archived as a single file. Every span is escaped here (by
//! construction: no text reaches the page any other way), with control characters and
//! bidirectional overrides neutralised (`view::sanitise`); words people said are marked
//! `dir="auto"` so right-to-left scripts read the right way round.

use std::fmt::Write;

use super::doc::{Block, Document, Span, Style, Table, Verdict};
use super::target::MARKER;
use crate::view::sanitise;

const STYLE: &str = "\
body{font-family:system-ui,-apple-system,\"Segoe UI\",Roboto,\"Helvetica Neue\",Arial,sans-serif;\
line-height:1.5;color:#1f2328;background:#fff;max-width:62rem;margin:2rem auto;padding:0 1.25rem}
h1{font-size:1.8rem;margin:0 0 .5rem}
h2{font-size:1.35rem;margin-top:2.5rem;padding-bottom:.25rem;border-bottom:2px solid #d0d7de}
h3{font-size:1.1rem;margin-top:1.75rem}
h4{font-size:1rem;margin:1.25rem 0 .25rem;color:#444}
.facts{margin:0 0 1rem;padding:0;list-style:none}
.facts li{margin:.1rem 0}
.muted,.by{color:#57606a}
.by{font-size:.9em}
table{border-collapse:collapse;margin:.75rem 0 1rem}
th,td{border:1px solid #d0d7de;padding:.3rem .6rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
tr.total td{font-weight:600;background:#f6f8fa}
li{margin:.3rem 0}
.tag{font-size:.8em;border:1px solid #8c959f;border-radius:.3rem;padding:0 .3rem;margin-left:.25rem}
.passed{color:#1a7f37;font-weight:600}
.failed{color:#cf222e;font-weight:600}
.open{color:#9a6700;font-weight:600}
@media print{body{max-width:none;margin:0}h2,h3,h4{break-after:avoid}tr,li{break-inside:avoid}}
";

/// The document as a page, with convene's marker after the doctype so a later export may
/// replace the file.
pub(crate) fn write(doc: &Document) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<!DOCTYPE html>\n{MARKER}\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>",
        escape(&sanitise::line(&doc.title))
    );
    for block in &doc.blocks {
        match block {
            Block::Heading(level, line) => {
                let _ = writeln!(out, "<h{level}>{}</h{level}>", spans(line));
            }
            Block::Paragraph(line) => {
                let _ = writeln!(out, "<p>{}</p>", spans(line));
            }
            Block::Note(line) => {
                let _ = writeln!(out, "<p class=\"muted\">{}</p>", spans(line));
            }
            Block::Facts(facts) => {
                let _ = writeln!(out, "<ul class=\"facts\">");
                for (label, value) in facts {
                    let _ = writeln!(
                        out,
                        "<li><strong>{}:</strong> {}</li>",
                        escape(&sanitise::line(label)),
                        spans(value)
                    );
                }
                let _ = writeln!(out, "</ul>");
            }
            Block::List(items) => {
                let _ = writeln!(out, "<ul>");
                for item in items {
                    let _ = writeln!(out, "<li>{}</li>", spans(item));
                }
                let _ = writeln!(out, "</ul>");
            }
            Block::Table(table) => write_table(&mut out, table),
        }
    }
    let _ = writeln!(out, "</body>\n</html>");
    out
}

fn write_table(out: &mut String, table: &Table) {
    let class = |numeric: bool| if numeric { " class=\"n\"" } else { "" };
    let head: String = table
        .columns
        .iter()
        .map(|c| format!("<th{}>{}</th>", class(c.numeric), escape(&sanitise::line(&c.title))))
        .collect();
    let _ = writeln!(out, "<table>\n<thead><tr>{head}</tr></thead>\n<tbody>");
    let row = |cells: &[Vec<Span>]| -> String {
        cells
            .iter()
            .zip(&table.columns)
            .map(|(cell, column)| format!("<td{}>{}</td>", class(column.numeric), spans(cell)))
            .collect()
    };
    for cells in &table.rows {
        let _ = writeln!(out, "<tr>{}</tr>", row(cells));
    }
    if let Some(total) = &table.total {
        let _ = writeln!(out, "<tr class=\"total\">{}</tr>", row(total));
    }
    let _ = writeln!(out, "</tbody>\n</table>");
}

fn spans(line: &[Span]) -> String {
    line.iter()
        .map(|span| {
            let one_line = || escape(&sanitise::line(&span.text));
            match span.style {
                Style::Plain => one_line(),
                Style::Strong => format!("<strong>{}</strong>", one_line()),
                Style::Byline => format!("<span class=\"by\">{}</span>", one_line()),
                Style::Muted => format!("<span class=\"muted\">{}</span>", one_line()),
                Style::Tag => format!("<span class=\"tag\">{}</span>", one_line()),
                Style::Verdict(verdict) => {
                    let class = match verdict {
                        Verdict::Passed => "passed",
                        Verdict::Failed => "failed",
                        Verdict::Open => "open",
                    };
                    format!("<span class=\"{class}\">{}</span>", one_line())
                }
                Style::Said => {
                    let lines: Vec<String> = sanitise::lines(&span.text).iter().map(|l| escape(l)).collect();
                    format!("<span dir=\"auto\">{}</span>", lines.join("<br>"))
                }
            }
        })
        .collect()
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::doc::{plain, styled};

    #[test]
    fn text_is_escaped_and_line_breaks_kept() {
        assert_eq!(
            spans(&[plain("<script>alert('x') & \"y\"</script>")]),
            "&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;"
        );
        assert_eq!(spans(&[styled(Style::Said, "a\nb<")]), "<span dir=\"auto\">a<br>b&lt;</span>");
        assert_eq!(spans(&[plain("bell\u{7}\u{202e}")]), "bell\u{2407}");
    }
}
