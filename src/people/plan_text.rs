//! Editing the plan's participants and rooms in the file's own text, so everything else
//! (comments, layout, the log) stays byte for byte. Only whole entries are replaced or added.

use super::error::PeopleError;
use crate::model::{Participant, Role, Room};

/// Index just past a string, char literal or comment starting at `i`, if one starts there.
fn skip_atom(b: &[u8], i: usize) -> Option<usize> {
    match b[i] {
        b'"' => {
            let mut j = i + 1;
            while j < b.len() {
                match b[j] {
                    b'\\' => j += 2,
                    b'"' => return Some(j + 1),
                    _ => j += 1,
                }
            }
            Some(b.len())
        }
        b'r' if b.get(i + 1).is_some_and(|&c| c == b'#' || c == b'"')
            && (i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_')) =>
        {
            let hashes = b[i + 1..].iter().take_while(|&&c| c == b'#').count();
            if b.get(i + 1 + hashes) != Some(&b'"') {
                return None;
            }
            let close: Vec<u8> = std::iter::once(b'"').chain(std::iter::repeat_n(b'#', hashes)).collect();
            let from = i + 2 + hashes;
            Some(
                b[from..]
                    .windows(close.len())
                    .position(|w| w == close)
                    .map_or(b.len(), |p| from + p + close.len()),
            )
        }
        b'\'' => {
            let mut j = i + 1;
            while j < b.len() {
                match b[j] {
                    b'\\' => j += 2,
                    b'\'' => return Some(j + 1),
                    _ => j += 1,
                }
            }
            Some(b.len())
        }
        b'/' if b.get(i + 1) == Some(&b'/') => {
            Some(b[i..].iter().position(|&c| c == b'\n').map_or(b.len(), |p| i + p))
        }
        b'/' if b.get(i + 1) == Some(&b'*') => {
            let (mut depth, mut j) = (1, i + 2);
            while j < b.len() && depth > 0 {
                if b[j..].starts_with(b"/*") {
                    depth += 1;
                    j += 2;
                } else if b[j..].starts_with(b"*/") {
                    depth -= 1;
                    j += 2;
                } else {
                    j += 1;
                }
            }
            Some(j)
        }
        _ => None,
    }
}

/// Something at depth 0 of a bracketed range: a key (identifier then `:`) or a bracket pair.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Item {
    Key { name: String, at: usize },
    Group { open: usize, close: usize },
}

/// Items at depth 0 between `from` and `to` (exclusive).
fn items(b: &[u8], from: usize, to: usize) -> Vec<Item> {
    let mut out = Vec::new();
    let mut i = from;
    while i < to {
        if let Some(next) = skip_atom(b, i) {
            i = next;
            continue;
        }
        match b[i] {
            b'(' | b'[' | b'{' => {
                let close = matching(b, i).unwrap_or(to);
                out.push(Item::Group { open: i, close });
                i = close + 1;
            }
            c if c.is_ascii_alphabetic() || c == b'_' => {
                let start = i;
                while i < to && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                    i += 1;
                }
                let mut j = i;
                while j < to && b[j].is_ascii_whitespace() {
                    j += 1;
                }
                if b.get(j) == Some(&b':') {
                    out.push(Item::Key {
                        name: String::from_utf8_lossy(&b[start..i]).into_owned(),
                        at: start,
                    });
                }
            }
            _ => i += 1,
        }
    }
    out
}

/// The index of the bracket closing the one at `open`.
fn matching(b: &[u8], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = open;
    while i < b.len() {
        if let Some(next) = skip_atom(b, i) {
            i = next;
            continue;
        }
        match b[i] {
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// The bracket pair following `key:` among `items`.
fn value_of(items: &[Item], key: &str) -> Option<(usize, usize)> {
    let at = items.iter().position(|item| matches!(item, Item::Key { name, .. } if name == key))?;
    match items.get(at + 1) {
        Some(Item::Group { open, close }) => Some((*open, *close)),
        _ => None,
    }
}

/// A list in the plan: its brackets and its entries' spans (each `(`..`)` inclusive).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListSpan {
    /// Index of `[`.
    pub open: usize,
    /// Index of `]`.
    pub close: usize,
    /// Each entry's first and last byte.
    pub entries: Vec<(usize, usize)>,
}

/// Find `plan: ( ... key: [ ... ] ... )` in a session file's text.
pub fn plan_list(text: &str, key: &str) -> Option<ListSpan> {
    let b = text.as_bytes();
    let top = items(b, 0, b.len());
    let (open, close) = top.iter().find_map(|item| match item {
        Item::Group { open, close } if b[*open] == b'(' => Some((*open, *close)),
        _ => None,
    })?;
    let (plan_open, plan_close) = value_of(&items(b, open + 1, close), "plan")?;
    let (list_open, list_close) = value_of(&items(b, plan_open + 1, plan_close), key)?;
    if b[list_open] != b'[' {
        return None;
    }
    let entries = items(b, list_open + 1, list_close)
        .into_iter()
        .filter_map(|item| match item {
            Item::Group { open, close } => Some((open, close)),
            Item::Key { .. } => None,
        })
        .collect();
    Some(ListSpan { open: list_open, close: list_close, entries })
}

/// A participant entry as the bundled files write them.
pub fn participant_entry(p: &Participant) -> String {
    let mut entry = format!("(id: {:?}, name: {:?}, org: {:?}", p.id, p.name, p.org);
    if p.role != Role::Partner {
        entry.push_str(&format!(", role: {:?}", p.role));
    }
    if let Some(email) = &p.email {
        entry.push_str(&format!(", email: {email:?}"));
    }
    entry.push(')');
    entry
}

/// A room entry as the bundled files write them.
pub fn room_entry(room: &Room) -> String {
    match &room.lead {
        Some(lead) => format!("(name: {:?}, lead: {lead:?})", room.name),
        None => format!("(name: {:?})", room.name),
    }
}

fn indent_of_line(text: &str, at: usize) -> &str {
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line = &text[start..];
    &line[..line.len() - line.trim_start_matches([' ', '\t']).len()]
}

/// One change to a list: replace entry `index` (by position) or append at the end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Replace the entry at this position of the list with this text.
    Replace(usize, String),
    /// Add this entry after the last one.
    Append(String),
}

/// Apply changes to the list `key` of the plan, leaving every other byte as it was.
pub fn edit_list(text: &str, key: &str, changes: &[Change]) -> Result<String, PeopleError> {
    let list = plan_list(text, key).ok_or_else(|| {
        PeopleError::PlanText(format!(
            "the plan has no `{key}: [ ... ]` list to edit: add `{key}: [],` to the plan and try again"
        ))
    })?;
    let mut out = text.to_string();
    let mut replacements: Vec<(usize, usize, String)> = Vec::new();
    for change in changes {
        if let Change::Replace(index, entry) = change {
            let &(start, end) = list.entries.get(*index).ok_or_else(|| {
                PeopleError::PlanText(format!(
                    "entry {} of `{key}` was not found in the file's text",
                    index + 1
                ))
            })?;
            replacements.push((start, end + 1, entry.clone()));
        }
    }
    let appended: Vec<&String> =
        changes.iter().filter_map(|c| if let Change::Append(e) = c { Some(e) } else { None }).collect();
    if !appended.is_empty() {
        match list.entries.last() {
            Some(&(start, end)) => {
                let indent = indent_of_line(text, start).to_string();
                let after = &text[end + 1..list.close];
                let comma = after.trim_start().starts_with(',');
                let at = if comma { end + 1 + after.find(',').map_or(0, |i| i + 1) } else { end + 1 };
                let mut insert = if comma { String::new() } else { ",".to_string() };
                for entry in &appended {
                    insert.push_str(&format!("\n{indent}{entry},"));
                }
                replacements.push((at, at, insert));
            }
            None => {
                let indent = indent_of_line(text, list.open).to_string();
                let mut insert = "[\n".to_string();
                for entry in &appended {
                    insert.push_str(&format!("{indent}    {entry},\n"));
                }
                insert.push_str(&indent);
                insert.push(']');
                replacements.push((list.open, list.close + 1, insert));
            }
        }
    }
    // From the end backwards, so earlier offsets stay valid.
    replacements.sort_by_key(|r| std::cmp::Reverse(r.0));
    for (start, end, with) in replacements {
        out.replace_range(start..end, &with);
    }
    Ok(out)
}

/// Replace the whole list `key` of the plan with these entries, one per line.
pub fn set_list(text: &str, key: &str, entries: &[String]) -> Result<String, PeopleError> {
    let list = plan_list(text, key)
        .ok_or_else(|| PeopleError::PlanText(format!("the plan has no `{key}: [ ... ]` list to fill")))?;
    let indent = indent_of_line(text, list.open);
    let mut with = "[\n".to_string();
    for entry in entries {
        with.push_str(&format!("{indent}    {entry},\n"));
    }
    with.push_str(indent);
    with.push(']');
    let mut out = text.to_string();
    out.replace_range(list.open..list.close + 1, &with);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = r#"// a comment with ( and [
(
    format: 2,
    plan: (
        title: "T (with) [brackets]",
        participants: [
            // the lead
            (id: "ann", name: "Ann", org: "A"), // trailing
            (id: "bob", name: "Bob", org: "B")
        ],
        rooms: [],
    ),
    events: [],
)
"#;

    #[test]
    fn finds_entries_past_strings_and_comments() {
        let list = plan_list(FILE, "participants").expect("the list");
        assert_eq!(list.entries.len(), 2);
        let (s, e) = list.entries[1];
        assert_eq!(&FILE[s..=e], r#"(id: "bob", name: "Bob", org: "B")"#);
        assert_eq!(plan_list(FILE, "rooms").expect("rooms").entries.len(), 0);
    }

    #[test]
    fn edits_touch_only_the_entries_concerned() {
        let out = edit_list(
            FILE,
            "participants",
            &[
                Change::Replace(0, "(id: \"ann\", name: \"Ann Lee\", org: \"A\")".into()),
                Change::Append("(id: \"cy\", name: \"Cy\", org: \"C\")".into()),
            ],
        )
        .expect("edited");
        assert!(out.contains("(id: \"ann\", name: \"Ann Lee\", org: \"A\"), // trailing"));
        assert!(out.contains("(id: \"bob\", name: \"Bob\", org: \"B\"),\n            (id: \"cy\", name: \"Cy\", org: \"C\"),\n        ],"));
        assert!(out.starts_with("// a comment with ( and [\n"));
        let rooms = edit_list(FILE, "rooms", &[Change::Append("(name: \"Room 1\")".into())]).expect("edited");
        assert!(rooms.contains("rooms: [\n            (name: \"Room 1\"),\n        ],"));
    }
}
