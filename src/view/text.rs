//! Text as it may reach a screen: control characters made visible, widths in terminal columns,
//! lines wrapped by width. Below `app` and `ui`, so what fits can be measured without drawing.

use std::borrow::Cow;

use unicode_width::UnicodeWidthStr;

/// Replace control characters with visible stand-ins, so typed or pasted escape sequences are
/// shown, never obeyed. The stored text is untouched; this is for display only.
pub fn visible(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_hazard) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(text.chars().map(stand_in).collect())
}

fn is_hazard(c: char) -> bool {
    c.is_control() || crate::view::sanitise::is_bidi_control(c)
}

/// One visible character for each control character (so cursor columns still line up).
fn stand_in(c: char) -> char {
    match c as u32 {
        // Control pictures: ␀ .. ␟ for C0, ␡ for DEL.
        code @ 0x00..=0x1f => char::from_u32(0x2400 + code).unwrap_or('\u{fffd}'),
        0x7f => '\u{2421}',
        _ if c.is_control() => '\u{fffd}',
        // A direction override or isolate would reorder what follows on screen: shown, not obeyed.
        _ if crate::view::sanitise::is_bidi_control(c) => '\u{fffd}',
        _ => c,
    }
}

/// Display width in terminal columns.
pub fn width(text: &str) -> usize {
    text.width()
}

/// Shorten to at most `max` columns, marking the cut with an ellipsis.
pub fn truncate(text: &str, max: usize) -> String {
    if width(text) <= max {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w + 1 > max {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    out
}

/// Wrap `text` (already made visible) into lines of at most `width` columns; the first line
/// starts after `first_indent` columns, the rest after `rest_indent`. Line breaks are kept.
pub fn wrap(text: &str, width: usize, first_indent: usize, rest_indent: usize) -> Vec<String> {
    let width = width.max(first_indent.max(rest_indent) + 1);
    let first = " ".repeat(first_indent);
    let rest = " ".repeat(rest_indent);
    let mut lines = Vec::new();
    for (i, paragraph) in text.split('\n').enumerate() {
        let indent = if i == 0 { first.as_str() } else { rest.as_str() };
        let options =
            textwrap::Options::new(width).initial_indent(indent).subsequent_indent(&rest).break_words(true);
        let wrapped = textwrap::wrap(paragraph, options);
        if wrapped.is_empty() {
            lines.push(indent.to_string());
        }
        lines.extend(wrapped.into_iter().map(|l| l.into_owned()));
    }
    // Hand back the text only: callers put their own prefix into the indent.
    lines
        .into_iter()
        .enumerate()
        .map(|(i, line)| {
            let skip = if i == 0 { first_indent } else { rest_indent };
            line.chars().skip(skip).collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_are_shown_not_obeyed() {
        let shown = visible("red \u{1b}[31mtext\u{7}\u{9b}");
        assert!(!shown.chars().any(char::is_control));
        assert_eq!(shown, "red \u{241b}[31mtext\u{2407}\u{fffd}");
    }

    #[test]
    fn ordinary_text_is_borrowed_unchanged() {
        let text = "مرحبا — café 🎉";
        assert!(matches!(visible(text), Cow::Borrowed(t) if t == text));
    }

    #[test]
    fn wrap_respects_indents_and_breaks() {
        let lines = wrap("one two three four\nfive", 10, 4, 2);
        assert_eq!(lines, vec!["one", "two", "three", "four", "five"]);
        let lines = wrap("alpha beta", 20, 5, 2);
        assert_eq!(lines, vec!["alpha beta"]);
    }

    #[test]
    fn truncate_counts_columns() {
        assert_eq!(truncate("abcdef", 4), "abc…");
        assert_eq!(truncate("ab", 4), "ab");
    }
}

#[cfg(test)]
mod hazard_tests {
    use super::*;

    #[test]
    fn escapes_and_direction_overrides_are_shown_not_obeyed_one_column_each() {
        let typed = "pay \u{202e}321\u{202c} now\x1b[2J";
        let shown = visible(typed);
        assert!(!shown.chars().any(|c| c.is_control() || crate::view::sanitise::is_bidi_control(c)));
        assert_eq!(shown.chars().count(), typed.chars().count(), "cursor columns still line up");
        assert!(shown.contains("321") && shown.contains('\u{241b}'), "{shown}");
    }
}
