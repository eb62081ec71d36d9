//! The one policy for session text leaving convene, whether for a terminal or an export.
//!
//! Text is stored exactly as typed; it is made safe only where it is shown:
//!
//! - **Control characters** (C0, DEL and C1) are shown as visible stand-ins, never sent raw:
//!   the control pictures `␀`..`␟` for C0 (so a pasted escape sequence reads `␛[31m`), `␡` for
//!   DEL and `�` for C1. A tab becomes a space. Where line breaks are allowed, `\n` and `\r\n`
//!   stay line breaks; elsewhere they join lines with a space.
//! - **Bidirectional overrides and isolates** (U+202A–U+202E, U+2066–U+2069) are removed: they
//!   can make text read differently from what it is (a comment that seems to say one thing and
//!   sorts or searches as another). Right-to-left scripts still read the right way round: they
//!   need no override, and the HTML page marks comments `dir="auto"`. The marks U+200E, U+200F
//!   and U+061C only nudge neutral characters and are kept.
//! - **Line and paragraph separators** (U+2028, U+2029) count as line breaks.
//!
//! Every writer (Markdown, HTML, plain text, CSV) passes session text through here; JSON keeps
//! the exact text and writes these characters as `\u` escapes instead.

/// Whether `c` is a bidirectional embedding, override or isolate (U+202A–E, U+2066–9).
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Whether `c` must never reach a terminal or an export raw: a C0 or C1 control, DEL, or a
/// bidirectional override or isolate.
pub fn is_unsafe(c: char) -> bool {
    c.is_control() || is_bidi_control(c)
}

/// The text as lines, each safe to show: split at line breaks (`\r\n` counts as one).
pub fn lines(text: &str) -> Vec<String> {
    text.split(['\n', '\u{2028}', '\u{2029}'])
        .map(|line| {
            let line = line.strip_suffix('\r').unwrap_or(line);
            let mut out = String::with_capacity(line.len());
            for c in line.chars() {
                push_visible(&mut out, c);
            }
            out
        })
        .collect()
}

/// The text on one line, safe to show: line breaks become spaces.
pub fn line(text: &str) -> String {
    lines(text).join(" ")
}

/// The text safe to show, keeping its line breaks as `\n`.
pub fn multiline(text: &str) -> String {
    lines(text).join("\n")
}

/// A whole output about to be printed on a terminal (a summary, a CSV on standard output):
/// `\n` and `\r\n` line endings are kept, everything else unsafe is made visible or removed.
pub fn for_terminal(output: &str) -> String {
    keeping_breaks(output)
}

/// Text safe to show with its line breaks exactly as typed (`\n` or `\r\n`): a CSV cell.
pub fn keeping_breaks(output: &str) -> String {
    let mut out = String::with_capacity(output.len());
    let mut chars = output.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' => out.push('\n'),
            '\r' if chars.peek() == Some(&'\n') => out.push('\r'),
            _ => push_visible(&mut out, c),
        }
    }
    out
}

fn push_visible(out: &mut String, c: char) {
    out.extend(visible_char(c));
}

/// What one character becomes under this policy, line breaks aside: itself, a visible
/// stand-in, or nothing (a bidirectional control). For displays that map text character by
/// character, such as the console's feed.
pub fn visible_char(c: char) -> Option<char> {
    match c as u32 {
        _ if is_bidi_control(c) => None,
        0x09 => Some(' '),
        code @ 0x00..=0x1f => Some(char::from_u32(0x2400 + code).unwrap_or('\u{fffd}')),
        0x7f => Some('\u{2421}'),
        _ if c.is_control() => Some('\u{fffd}'),
        _ => Some(c),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn controls_become_visible_and_overrides_go() {
        assert_eq!(lines("a\u{1b}[31mb\r\nc\td"), vec!["a\u{241b}[31mb", "c d"]);
        assert_eq!(line("x\u{202e}gnp.exe\u{2066}y\u{85}"), "xgnp.exey\u{fffd}");
        assert_eq!(multiline("one\u{2028}two\u{7f}"), "one\ntwo\u{2421}");
        assert_eq!(for_terminal("a,b\r\nc\u{7}\rd\n"), "a,b\r\nc\u{2407}\u{240d}d\n");
        // Right-to-left text and its marks are not overrides.
        assert_eq!(line("שלום \u{200f}עולם"), "שלום \u{200f}עולם");
    }

    /// Any character, with controls, overrides and line breaks far more often than by chance.
    fn awkward_char() -> impl Strategy<Value = char> {
        prop_oneof![
            any::<char>(),
            (0u32..0x20).prop_map(|c| char::from_u32(c).unwrap_or('?')),
            (0x7fu32..0xa0).prop_map(|c| char::from_u32(c).unwrap_or('?')),
            prop::sample::select(vec![
                '\u{202a}', '\u{202b}', '\u{202c}', '\u{202d}', '\u{202e}', '\u{2066}', '\u{2067}',
                '\u{2068}', '\u{2069}', '\u{2028}', '\u{2029}', '\r', '\n', '\u{1b}',
            ]),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        #[test]
        fn nothing_unsafe_survives(chars in proptest::collection::vec(awkward_char(), 0..64)) {
            let text: String = chars.into_iter().collect();
            prop_assert!(!line(&text).chars().any(is_unsafe));
            prop_assert!(!multiline(&text).chars().any(|c| c != '\n' && is_unsafe(c)));
            let shown = for_terminal(&text);
            prop_assert!(!shown.replace("\r\n", "\n").chars().any(|c| c != '\n' && is_unsafe(c)));
        }
    }
}
