//! The comment feed as rows of text: which comments it lists, how one comment lays out at a
//! width, and where the feed stands after a key moves it. Measured here rather than in `ui`, so
//! `update` scrolls by what the screen shows without drawing; `ui::feed` only styles these rows.

use chrono::FixedOffset;

use super::text::{truncate, visible, width, wrap};
use crate::model::{Comment, CommentId, Plan, SessionState};

/// Columns before the text of continuation rows.
pub const REST_INDENT: usize = 6;

/// Feeds narrower than this show short tags (R1, "Amara O.") instead of full ones.
const WIDE_FROM: usize = 110;

/// What a piece of a row is, so the screen can give it its style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// "▶" on the selected comment, a space otherwise.
    Marker,
    /// "#12 ".
    Number,
    /// "14:05 ", on the session's clock.
    Time,
    /// "[Threats] ": the theme's index in the plan, if the plan has it.
    Theme(Option<usize>),
    /// "Room 2 · " or "R2 ".
    Room,
    /// "Amara Okafor (Council): ".
    Author,
    /// "✉ pre-session ".
    PreSession,
    /// Spaces before a continuation row.
    Indent,
    /// The comment's words.
    Text,
    /// "(edited) (saving…)" after the text; `saving` while it is not on disk yet.
    Notes {
        /// Not yet durable.
        saving: bool,
    },
    /// The same notes on a row of their own, when they do not fit after the text.
    NotesRow,
}

/// One piece of a row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    /// What it is.
    pub part: Part,
    /// Its text, made visible.
    pub text: String,
}

/// One screen row of the feed.
pub type Row = Vec<Piece>;

/// What a comment's rows depend on besides the comment and the width.
#[derive(Debug, Clone, Copy)]
pub struct Look<'a> {
    /// Themes, rooms and participants, to name tags.
    pub plan: &'a Plan,
    /// The session's clock offset, for the time a comment was added.
    pub offset: FixedOffset,
    /// Comments added after this are marked as not yet saved.
    pub durable_seq: u64,
}

/// The feed's size on screen as last drawn: comment rows (inside its border) and columns.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Viewport {
    /// Columns of the feed.
    pub columns: u16,
    /// Rows for comments.
    pub rows: u16,
}

/// Ids of the comments the feed lists, oldest first: every live one, or one room's.
pub fn shown(session: &SessionState, room: Option<u32>) -> &[CommentId] {
    match room {
        None => &session.live,
        Some(room) => session.live_in_room(Some(room)),
    }
}

/// The rows of one comment at a width: tags first, then the wrapped text, then its notes.
pub fn comment_rows(look: &Look, comment: &Comment, columns: usize, selected: bool) -> Vec<Row> {
    let piece = |part, text: String| Piece { part, text };
    let plan = look.plan;
    let wide = columns >= WIDE_FROM;
    let theme_index =
        comment.theme.as_deref().and_then(|name| plan.themes.iter().position(|t| t.name == name));
    let added = comment.added_at.with_timezone(&look.offset);
    let mut meta: Row = vec![
        piece(Part::Marker, if selected { "▶" } else { " " }.into()),
        piece(Part::Number, format!("#{:<3} ", comment.id)),
        piece(Part::Time, format!("{} ", added.format("%H:%M"))),
    ];
    let theme_label = match &comment.theme {
        Some(name) if wide => format!("[{}] ", visible(name)),
        Some(name) => format!("[{}] ", truncate(&visible(name), 14)),
        None => "[—] ".to_string(),
    };
    meta.push(piece(Part::Theme(theme_index), theme_label));
    let room = match comment.room {
        Some(r) if wide => format!("{} · ", visible(plan.room_name(Some(r)))),
        Some(r) => format!("R{} ", r + 1),
        None if wide => "Plenary · ".into(),
        None => "All ".into(),
    };
    meta.push(piece(Part::Room, room));
    if let Some(author) = comment.author.as_deref().and_then(|id| plan.participant(id)) {
        let who = if wide {
            format!("{} ({}): ", author.name, author.org)
        } else {
            format!("{}: ", short_name(&author.name))
        };
        meta.push(piece(Part::Author, visible(&who).into_owned()));
    }
    if comment.pre_session {
        meta.push(piece(Part::PreSession, "✉ pre-session ".into()));
    }
    // On a very narrow feed the tags would leave no room for words: keep just id and theme.
    if row_width(&meta) + 12 > columns {
        meta.truncate(4);
    }
    let meta_width = row_width(&meta);
    // Line breaks stay line breaks; only other control characters get stand-ins.
    let text = comment.text.split('\n').map(visible).collect::<Vec<_>>().join("\n");
    let mut wrapped = wrap(&text, columns, meta_width, REST_INDENT).into_iter();
    let mut first = meta;
    first.push(piece(Part::Text, wrapped.next().unwrap_or_default()));
    let mut rows = vec![first];
    rows.extend(wrapped.map(|l| vec![piece(Part::Indent, " ".repeat(REST_INDENT)), piece(Part::Text, l)]));
    let saving = comment.added_seq > look.durable_seq;
    let notes: Vec<&str> = [(comment.edits > 0, "(edited)"), (saving, "(saving…)")]
        .iter()
        .filter(|n| n.0)
        .map(|n| n.1)
        .collect();
    if !notes.is_empty() {
        let note = format!(" {}", notes.join(" "));
        match rows.last_mut() {
            Some(last) if row_width(last) + width(&note) <= columns => {
                last.push(piece(Part::Notes { saving }, note));
            }
            _ => rows.push(vec![piece(Part::Indent, " ".repeat(REST_INDENT)), piece(Part::NotesRow, note)]),
        }
    }
    rows
}

/// Rows one comment takes at a width.
pub fn height(look: &Look, comment: &Comment, columns: usize) -> usize {
    comment_rows(look, comment, columns, false).len()
}

fn row_width(row: &Row) -> usize {
    row.iter().map(|p| width(&p.text)).sum()
}

/// How many comments a page key moves: half a screen of rows, at least one.
pub fn page_size(viewport: Viewport) -> usize {
    (usize::from(viewport.rows) / 2).max(1)
}

/// The position to show at the bottom of the feed so that `target` is in view, moving the view
/// as little as possible: the view stays put while `target` shows in it, and otherwise `target`
/// goes to the top (moving up) or the bottom (moving down). Positions index `shown`.
pub fn bottom_showing(
    look: &Look,
    session: &SessionState,
    shown: &[CommentId],
    bottom: usize,
    target: usize,
    viewport: Viewport,
) -> usize {
    let Some(last) = shown.len().checked_sub(1) else {
        return 0;
    };
    let (bottom, target) = (bottom.min(last), target.min(last));
    if target >= bottom {
        return target;
    }
    let (columns, rows) = (usize::from(viewport.columns), usize::from(viewport.rows));
    let rows_of = |id: CommentId| session.comment(id).map_or(1, |c| height(look, c, columns));
    // Is target within the window that ends at `bottom`?
    let mut used = 0;
    for position in (target..=bottom).rev() {
        used += rows_of(shown[position]);
        if used > rows {
            break;
        }
        if position == target {
            return bottom;
        }
    }
    // Otherwise put target at the top: walk down until the page is full.
    let mut used = 0;
    let mut last_shown = target;
    for (position, id) in shown.iter().enumerate().skip(target) {
        used += rows_of(*id);
        if used > rows {
            break;
        }
        last_shown = position;
    }
    last_shown
}

/// "Amara Okafor" -> "Amara O.": enough to tell people apart on a narrow screen.
fn short_name(name: &str) -> String {
    let mut parts = name.split_whitespace();
    match (parts.next(), parts.last()) {
        (Some(first), Some(last)) => {
            format!("{first} {}.", last.chars().next().unwrap_or(' '))
        }
        (Some(first), None) => first.to_string(),
        _ => name.to_string(),
    }
}
