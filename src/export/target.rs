//! Whether `export --out` may replace a file that is already there. The user's files are
//! theirs: a session, anything kept beside one (journal, lock, token, draft, host log, outbox)
//! and any file convene did not write are replaced only with `--force`. A file an earlier
//! export wrote is recognised by its mark and may be replaced:
//!
//! - Markdown and HTML: the comment [`MARKER`] at the top (after the doctype in HTML);
//! - CSV: a first line (after an optional byte-order mark) that is exactly convene's header;
//! - JSON: `"format"` then `"generator": "convene"` at the top of the object.

use std::path::Path;

use super::csv::HEADERS;

/// The mark convene puts at the top of Markdown and HTML exports (invisible when rendered).
pub const MARKER: &str = "<!-- Written by convene export; a later export may replace this file. -->";

/// How many bytes of an existing file are enough to recognise one convene wrote.
pub const HEAD_BYTES: u64 = 4096;

/// Names of files that hold a session or are kept beside one.
const SESSION_ENDINGS: [&str; 8] =
    [".ron", ".journal", ".lock", ".token", ".draft", ".host.log", ".outbox", ".tmp"];

/// Why an existing file may not be replaced, or `None` when it may. `head` is the start of
/// the file (none when nothing is there).
pub fn refusal(path: &Path, head: Option<&[u8]>) -> Option<String> {
    let head = head?;
    let name = path.file_name().map(|n| n.to_string_lossy().to_lowercase()).unwrap_or_default();
    if let Some(ending) = SESSION_ENDINGS.iter().find(|ending| name.ends_with(*ending)) {
        return Some(format!("it exists and is a session or a file kept beside one (\"{ending}\")"));
    }
    // The mark first: a session cannot start with it (it would not parse), while an export's
    // own text may well mention a "plan:".
    if written_by_convene(head) {
        None
    } else if looks_like_session(head) {
        Some("it exists and holds a convene session".to_string())
    } else {
        Some("it exists and was not written by convene export".to_string())
    }
}

/// A session file, whatever it is called: RON with a format and a plan.
fn looks_like_session(head: &[u8]) -> bool {
    let text = String::from_utf8_lossy(head);
    text.contains("format:") && text.contains("plan:")
}

/// Whether the start of a file carries the mark of one of convene's exports.
pub fn written_by_convene(head: &[u8]) -> bool {
    let text = String::from_utf8_lossy(head);
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let first_line = text.split(['\r', '\n']).next().unwrap_or_default();
    let markdown = first_line == MARKER;
    let html = text.starts_with("<!DOCTYPE html>") && text.lines().nth(1) == Some(MARKER);
    let csv = HEADERS.iter().any(|header| first_line == header.join(","))
        || first_line == crate::export::zoom::HEADER.join(",");
    let json = text.starts_with("{\n  \"format\": ") && text.contains("\n  \"generator\": \"convene\",\n");
    markdown || html || csv || json
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_files_convene_wrote_may_be_replaced() {
        let md = format!("{MARKER}\n\n# Title\n");
        assert_eq!(refusal(Path::new("out.md"), None), None, "nothing there");
        assert_eq!(refusal(Path::new("out.md"), Some(md.as_bytes())), None);
        let html = format!("<!DOCTYPE html>\n{MARKER}\n<html>");
        assert_eq!(refusal(Path::new("out.html"), Some(html.as_bytes())), None);
        assert_eq!(
            refusal(
                Path::new("c.csv"),
                Some(b"\xef\xbb\xbfdate,time,theme,room,author,pre_session,text\r\n")
            ),
            None
        );
        let json = "{\n  \"format\": 1,\n  \"generator\": \"convene\",\n  \"kind\": \"session\"";
        assert_eq!(refusal(Path::new("s.json"), Some(json.as_bytes())), None);
        assert!(refusal(Path::new("notes.md"), Some(b"# My own notes\n")).is_some());
        assert!(refusal(Path::new("s.ron"), Some(md.as_bytes())).is_some(), "a .ron is never ours");
        assert!(refusal(Path::new("s.ron.journal"), Some(b"")).is_some());
        assert!(refusal(Path::new("other"), Some(b"(format: 2, plan: (title: \"x\"))")).is_some());
    }
}
