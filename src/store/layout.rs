//! Where things are in a session file's text: the `format` number, the plan, the event list.
//! The plan is the user's text (comments, layout, extensions), so convene writes it back
//! byte for byte and only ever touches the event list and the format number. This is a
//! small RON tokenizer that knows comments, strings, raw strings and characters well enough
//! to find those spans in text the parser has already accepted.

use std::ops::Range;

/// A byte range of the text.
pub type Span = Range<usize>;

/// One `key: value` (struct field) or bare `value` (list element) inside brackets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// The field name, for a struct field.
    pub key: Option<Span>,
    /// The value, from its first to its last token.
    pub value: Span,
}

/// The items of one bracketed group and where it ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// Index of the opening bracket.
    pub open: usize,
    /// Index of the closing bracket.
    pub close: usize,
    /// Every item, in order.
    pub items: Vec<Item>,
    /// Whether a comma follows the last item.
    pub trailing_comma: bool,
}

/// The spans convene needs in a session file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    /// The top-level struct `( format: .., plan: .., events: [..] )`.
    pub top: Group,
    /// The `format` number.
    pub format: Option<Span>,
    /// The plan's value, `( ... )`.
    pub plan: Option<Span>,
    /// The `events` key and its list.
    pub events: Option<(Span, Group)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Open,
    Close,
    Colon,
    Comma,
    /// A word, number, string, character or any other single symbol.
    Atom,
}

#[derive(Debug, Clone, Copy)]
struct Token {
    kind: Kind,
    start: usize,
    end: usize,
}

/// Tokens of RON text, comments and whitespace skipped.
struct Tokens<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Tokens<'a> {
    fn new(text: &'a str, at: usize) -> Self {
        Tokens { bytes: text.as_bytes(), at }
    }

    fn peek_byte(&self, offset: usize) -> Option<u8> {
        self.bytes.get(self.at + offset).copied()
    }

    fn skip_trivia(&mut self) {
        loop {
            match (self.peek_byte(0), self.peek_byte(1)) {
                (Some(b), _) if b.is_ascii_whitespace() => {
                    // Indentation comes in runs: skip a run at once.
                    self.at += self.bytes[self.at..].iter().take_while(|b| b.is_ascii_whitespace()).count();
                }
                (Some(b'/'), Some(b'/')) => {
                    while self.peek_byte(0).is_some_and(|b| b != b'\n') {
                        self.at += 1;
                    }
                }
                (Some(b'/'), Some(b'*')) => {
                    // Block comments nest in RON.
                    let mut depth = 0usize;
                    while self.at < self.bytes.len() {
                        match (self.peek_byte(0), self.peek_byte(1)) {
                            (Some(b'/'), Some(b'*')) => {
                                depth += 1;
                                self.at += 2;
                            }
                            (Some(b'*'), Some(b'/')) => {
                                depth -= 1;
                                self.at += 2;
                                if depth == 0 {
                                    break;
                                }
                            }
                            _ => self.at += 1,
                        }
                    }
                }
                _ => return,
            }
        }
    }

    /// Past a quoted string whose opening quote is at `self.at`.
    fn skip_string(&mut self) {
        self.at += 1;
        // Jump from one quote or backslash to the next: most of a log is comment text.
        while let Some(offset) =
            self.bytes[self.at.min(self.bytes.len())..].iter().position(|b| matches!(b, b'"' | b'\\'))
        {
            self.at += offset + 1;
            if self.bytes[self.at - 1] == b'"' {
                return;
            }
            self.at += 1;
        }
        self.at = self.bytes.len();
    }

    /// Past a raw string `r#"..."#` whose `r` is at `self.at`, if it is one.
    fn skip_raw_string(&mut self) -> bool {
        let mut hashes = 0;
        while self.peek_byte(1 + hashes) == Some(b'#') {
            hashes += 1;
        }
        if self.peek_byte(1 + hashes) != Some(b'"') {
            return false;
        }
        self.at += 2 + hashes;
        while self.at < self.bytes.len() {
            if self.bytes[self.at] == b'"'
                && (0..hashes).all(|i| self.bytes.get(self.at + 1 + i) == Some(&b'#'))
            {
                self.at += 1 + hashes;
                return true;
            }
            self.at += 1;
        }
        true
    }

    /// Past a character literal `'x'`, `'\n'`, `'\u{..}'` whose quote is at `self.at`.
    fn skip_char(&mut self) {
        self.at += 1;
        if self.peek_byte(0) == Some(b'\\') {
            self.at += 2;
        } else {
            self.at += 1;
        }
        while let Some(b) = self.peek_byte(0) {
            self.at += 1;
            if b == b'\'' {
                return;
            }
        }
    }
}

impl Iterator for Tokens<'_> {
    type Item = Token;

    fn next(&mut self) -> Option<Token> {
        self.skip_trivia();
        let start = self.at;
        let b = self.peek_byte(0)?;
        let kind = match b {
            b'(' | b'[' | b'{' => Kind::Open,
            b')' | b']' | b'}' => Kind::Close,
            b':' => Kind::Colon,
            b',' => Kind::Comma,
            _ => Kind::Atom,
        };
        match b {
            b'"' => self.skip_string(),
            b'\'' => self.skip_char(),
            b'r' if self.skip_raw_string() => {}
            b'b' if self.peek_byte(1) == Some(b'"') => {
                self.at += 1;
                self.skip_string();
            }
            b if is_word(b) => {
                while self.peek_byte(0).is_some_and(is_word) {
                    self.at += 1;
                }
            }
            _ => {
                // One symbol, a whole UTF-8 character.
                self.at += 1;
                while self.peek_byte(0).is_some_and(|b| b & 0xC0 == 0x80) {
                    self.at += 1;
                }
            }
        }
        Some(Token { kind, start, end: self.at })
    }
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'+' | b'-')
}

/// The items of the bracketed group opening at `open`; `None` if the text ends first.
pub fn group(text: &str, open: usize) -> Option<Group> {
    let mut tokens = Tokens::new(text, open);
    let first = tokens.next()?;
    if first.kind != Kind::Open {
        return None;
    }
    let mut depth = 0usize;
    let mut items = Vec::new();
    let mut key: Option<Span> = None;
    let mut current: Option<Span> = None;
    // Whether `current` is one word so far: a colon after it makes it a field name.
    let mut single_atom = false;
    let mut trailing_comma = false;
    for token in tokens {
        if depth == 0 {
            match token.kind {
                Kind::Close => {
                    if let Some(value) = current.take() {
                        items.push(Item { key: key.take(), value });
                        trailing_comma = false;
                    }
                    return Some(Group { open, close: token.start, items, trailing_comma });
                }
                Kind::Comma => {
                    if let Some(value) = current.take() {
                        items.push(Item { key: key.take(), value });
                    }
                    key = None;
                    trailing_comma = true;
                    continue;
                }
                Kind::Colon if single_atom && key.is_none() => {
                    key = current.take();
                    single_atom = false;
                    continue;
                }
                _ => {}
            }
        }
        trailing_comma = false;
        single_atom = current.is_none() && depth == 0 && token.kind == Kind::Atom;
        current = Some(current.map_or(token.start, |c| c.start)..token.end);
        match token.kind {
            Kind::Open => depth += 1,
            Kind::Close => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// Find the format number, the plan and the event list of a session file's text.
pub fn layout(text: &str) -> Option<Layout> {
    // Skip `#![enable(..)]` attributes and an optional struct name before the top-level `(`.
    let mut tokens = Tokens::new(text, 0);
    let mut depth = 0usize;
    let open = loop {
        let token = tokens.next()?;
        match token.kind {
            Kind::Open if depth == 0 && text.as_bytes()[token.start] == b'(' => break token.start,
            Kind::Open => depth += 1,
            Kind::Close => depth = depth.saturating_sub(1),
            _ => {}
        }
    };
    let top = group(text, open)?;
    let mut layout = Layout { top: top.clone(), format: None, plan: None, events: None };
    for item in &top.items {
        let Some(key) = &item.key else { continue };
        match &text[key.clone()] {
            "format" => layout.format = Some(item.value.clone()),
            "plan" => layout.plan = Some(item.value.clone()),
            "events" => {
                let list_open = item.value.start
                    + text[item.value.clone()]
                        .find('[')
                        .filter(|_| text[item.value.clone()].ends_with(']'))?;
                layout.events = Some((key.clone(), group(text, list_open)?));
            }
            _ => {}
        }
    }
    Some(layout)
}

/// The fields of the struct whose value spans `value` (`( .. )` or `Name( .. )`).
pub fn fields(text: &str, value: &Span) -> Option<Group> {
    let open = value.start + text[value.clone()].find('(')?;
    group(text, open)
}

/// The whitespace that starts the line holding byte `at`.
pub fn indent_of(text: &str, at: usize) -> &str {
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line = &text[line_start..];
    &line[..line.len() - line.trim_start_matches([' ', '\t']).len()]
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic)]

    use super::*;

    #[test]
    fn finds_plan_and_events_past_comments_strings_and_chars() {
        let text = r##"#![enable(implicit_some)]
// a comment with ( and [ and "quotes"
(
    format: 1,
    /* nested /* block */ comment ) */
    plan: (title: "a ) tricky ] title", themes: [(key: ')', name: r#"raw ]"#)]),
    events: [
        (seq: 1, text: "x"), // trailing note ]
        (seq: 2, text: "y")
    ],
)
"##;
        let layout = layout(text).unwrap();
        assert_eq!(&text[layout.format.clone().unwrap()], "1");
        assert!(text[layout.plan.clone().unwrap()].starts_with("(title"));
        assert!(text[layout.plan.clone().unwrap()].ends_with("\"#)])"));
        let (key, events) = layout.events.unwrap();
        assert_eq!(&text[key], "events");
        assert_eq!(events.items.len(), 2);
        assert_eq!(&text[events.items[1].value.clone()], "(seq: 2, text: \"y\")");
        assert!(!events.trailing_comma);
        assert!(layout.top.trailing_comma);
    }

    #[test]
    fn struct_fields_name_their_values() {
        let text = "(title: \"T\", series: Some(\"S\"), date: \"2026-01-01\",)";
        let fields = fields(text, &(0..text.len())).unwrap();
        let names: Vec<&str> = fields.items.iter().map(|i| &text[i.key.clone().unwrap()]).collect();
        assert_eq!(names, ["title", "series", "date"]);
        assert_eq!(&text[fields.items[1].value.clone()], "Some(\"S\")");
        assert!(fields.trailing_comma);
    }

    #[test]
    fn an_empty_list_has_no_items() {
        let text = "(format: 2, plan: (title: \"x\"), events: [ /* none */ ])";
        let (_, events) = layout(text).unwrap().events.unwrap();
        assert!(events.items.is_empty());
        assert_eq!(&text[events.open..=events.close], "[ /* none */ ]");
    }
}
