//! The comment feed: newest at the bottom, and only the comments that fit are ever laid out,
//! so a frame costs the same at 100 comments as at 100,000.

use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

use super::text::{truncate, visible, width, wrap};
use super::{layout, theme};
use crate::app::{AppState, Mode};
use crate::model::{Actor, Comment, CommentId, Request};

/// Columns before the text of continuation lines.
const REST_INDENT: usize = 6;

/// Draw the feed into `area`.
pub fn render(frame: &mut Frame, area: Rect, state: &AppState) {
    let live = shown(state);
    let bottom = state.feed_bottom.unwrap_or(live.len().saturating_sub(1));
    let mut title = vec![
        Span::styled(" Comments ", theme::title()),
        Span::styled(format!("{} ", live.len()), theme::dim()),
    ];
    if let Some(room) = state.feed_room {
        let name = visible(state.plan.room_name(Some(room))).into_owned();
        title.push(Span::styled(format!(" {name} only — Ctrl+F for the next "), theme::warning()));
    }
    let newer = live.len().saturating_sub(bottom + 1);
    if newer > 0 {
        title.push(Span::styled(format!(" ↓ {newer} newer below — End/PgDn "), theme::warning()));
    }
    let block = Block::default().borders(Borders::TOP).border_style(theme::border()).title(Line::from(title));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let pending =
        if state.feed_bottom.is_none() { pending_lines(state, inner.width as usize) } else { Vec::new() };
    if live.is_empty() && pending.is_empty() {
        let hint = Paragraph::new(Line::styled(
            "No comments yet. Type in the capture bar below and press Enter.",
            theme::dim(),
        ));
        frame.render_widget(hint, inner);
        return;
    }
    let height = inner.height as usize;
    let mut rows: Vec<Line> = pending;
    // Walk up from the bottom comment, laying out only what can still be seen.
    for position in (0..=bottom.min(live.len().saturating_sub(1))).rev().take(live.len()) {
        if rows.len() >= height {
            break;
        }
        let Some(comment) = state.session.comment(live[position]) else {
            continue;
        };
        let mut lines = comment_lines(state, comment, inner.width as usize);
        lines.append(&mut rows);
        rows = lines;
    }
    let excess = rows.len().saturating_sub(height);
    rows.drain(..excess);
    frame.render_widget(Paragraph::new(rows), inner);
}

/// Ids of the comments the feed lists, oldest first: every live one, or one room's.
pub fn shown(state: &AppState) -> &[CommentId] {
    match state.feed_room {
        None => &state.session.live,
        Some(room) => state.session.live_in_room(Some(room)),
    }
}

/// A joined console's comments the host has not answered yet, shown below the feed.
fn pending_lines(state: &AppState, columns: usize) -> Vec<Line<'static>> {
    let Some(joined) = state.seat.joined() else {
        return Vec::new();
    };
    let mut lines = Vec::new();
    for (seq, request) in &joined.unsent {
        // Not on disk yet: a crash now would lose it, so the screen does not call it sent.
        let note = if *seq > joined.kept_through {
            " (saving…)"
        } else if joined.online {
            " (sending…)"
        } else {
            " (unsent: offline)"
        };
        let Request::AddComment { text, theme, room, author, pre_session } = request else {
            continue;
        };
        if state.feed_room.is_some_and(|r| Some(r) != *room) {
            continue;
        }
        let comment = Comment {
            // Not numbered until the host records it.
            id: CommentId(0),
            text: text.clone(),
            theme: theme.clone(),
            room: *room,
            author: author.clone(),
            pre_session: *pre_session,
            added_at: state.now,
            added_seq: 0,
            captured_by: Actor::NoteTaker(joined.name.clone()),
            edits: 0,
            retracted: false,
            undone: false,
        };
        let mut comment_rows: Vec<Line<'static>> = comment_lines(state, &comment, columns)
            .into_iter()
            .map(|line| {
                Line::from(
                    line.spans
                        .into_iter()
                        .map(|s| Span::styled(s.content.into_owned(), s.style))
                        .collect::<Vec<_>>(),
                )
            })
            .collect();
        if let Some(first) = comment_rows.first_mut() {
            if let Some(number) = first.spans.get_mut(1) {
                *number = Span::styled("⋯    ", theme::warning());
            }
        }
        if let Some(last) = comment_rows.last_mut() {
            last.spans.push(Span::styled(note, theme::warning()));
        }
        lines.extend(comment_rows);
    }
    lines
}

/// How many comments a page key moves.
pub fn page_size(state: &AppState) -> usize {
    let rows = layout::feed_rows(state) as usize;
    (rows / 2).max(1)
}

/// The bottom position that shows `target` while moving the view as little as possible.
pub fn bottom_showing(state: &AppState, target: usize) -> usize {
    let live = shown(state);
    let bottom = state.feed_bottom.unwrap_or(live.len().saturating_sub(1)).min(live.len().saturating_sub(1));
    if target >= bottom {
        return target;
    }
    let (columns, rows) = (layout::feed_columns(state) as usize, layout::feed_rows(state) as usize);
    // Is target within the window that ends at `bottom`?
    let mut used = 0;
    for position in (0..=bottom).rev() {
        used += comment_height(state, live[position], columns);
        if used > rows {
            break;
        }
        if position == target {
            return bottom;
        }
    }
    // Otherwise put target at the top: walk down until the page is full.
    let mut used = 0;
    let mut last = target;
    for (position, id) in live.iter().enumerate().skip(target) {
        used += comment_height(state, *id, columns);
        if used > rows {
            break;
        }
        last = position;
    }
    last
}

fn comment_height(state: &AppState, id: CommentId, columns: usize) -> usize {
    state.session.comment(id).map_or(1, |c| comment_lines(state, c, columns).len())
}

/// The screen lines of one comment at a given width: tags first, then the wrapped text.
pub fn comment_lines<'a>(state: &'a AppState, comment: &'a Comment, columns: usize) -> Vec<Line<'a>> {
    let selected = state.mode == Mode::Browse && state.selected == Some(comment.id);
    let wide = columns >= 110;
    let theme_index =
        comment.theme.as_deref().and_then(|name| state.plan.themes.iter().position(|t| t.name == name));
    let mut meta: Vec<Span> = Vec::new();
    meta.push(Span::styled(if selected { "▶" } else { " " }, theme::key()));
    meta.push(Span::styled(format!("#{:<3} ", comment.id), theme::dim()));
    meta.push(Span::styled(format!("{} ", state.local(comment.added_at).format("%H:%M")), theme::dim()));
    let theme_label = match &comment.theme {
        Some(name) if wide => format!("[{name}] "),
        Some(name) => format!("[{}] ", truncate(&visible(name), 14)),
        None => "[—] ".to_string(),
    };
    meta.push(Span::styled(theme_label, theme::theme_tag(theme_index)));
    let room = match comment.room {
        Some(r) if wide => format!("{} · ", state.plan.room_name(Some(r))),
        Some(r) => format!("R{} ", r + 1),
        None if wide => "Plenary · ".into(),
        None => "All ".into(),
    };
    meta.push(Span::styled(room, Style::new()));
    if let Some(author) = comment.author.as_deref().and_then(|id| state.plan.participant(id)) {
        let who = if wide {
            format!("{} ({}): ", author.name, author.org)
        } else {
            format!("{}: ", short_name(&author.name))
        };
        meta.push(Span::styled(visible(&who).into_owned(), theme::author()));
    }
    if comment.pre_session {
        meta.push(Span::styled("✉ pre-session ", theme::dim()));
    }
    let meta_width: usize = meta.iter().map(|s| width(&s.content)).sum();
    // On a very narrow feed the tags would leave no room for words: keep just id and theme.
    if meta_width + 12 > columns {
        meta.truncate(4);
    }
    let meta_width: usize = meta.iter().map(|s| width(&s.content)).sum();
    // Line breaks stay line breaks; only other control characters get stand-ins.
    let text = comment.text.split('\n').map(visible).collect::<Vec<_>>().join("\n");
    let mut wrapped = wrap(&text, columns, meta_width, REST_INDENT).into_iter();
    let text_style = if selected { theme::selected() } else { Style::new() };
    let mut first = meta;
    first.push(Span::styled(wrapped.next().unwrap_or_default(), text_style));
    let mut lines = vec![Line::from(first)];
    lines.extend(
        wrapped.map(|l| Line::from(vec![Span::raw(" ".repeat(REST_INDENT)), Span::styled(l, text_style)])),
    );
    let mut notes = Vec::new();
    if comment.edits > 0 {
        notes.push("(edited)");
    }
    if comment.added_seq > state.durable_seq {
        notes.push("(saving…)");
    }
    if !notes.is_empty() {
        if let Some(last) = lines.last_mut() {
            let note = format!(" {}", notes.join(" "));
            if last.width() + width(&note) <= columns {
                last.spans
                    .push(Span::styled(note, theme::warning_soft(comment.added_seq > state.durable_seq)));
            } else {
                lines.push(Line::from(vec![
                    Span::raw(" ".repeat(REST_INDENT)),
                    Span::styled(note, theme::dim()),
                ]));
            }
        }
    }
    lines
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
