//! The comment feed: newest at the bottom, and only the comments that fit are ever laid out,
//! so a frame costs the same at 100 comments as at 100,000. The rows come from `view::feed`,
//! which `update` also measures with; this file gives them their styles.

use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

use super::theme;
use crate::app::{AppState, Mode};
use crate::model::{Actor, Comment, CommentId, Request};
use crate::view::feed::{self, Part, Row};
use crate::view::text::visible;

/// Draw the feed into `area`.
pub fn render(frame: &mut Frame, area: Rect, state: &AppState) {
    let live = state.shown();
    let bottom = state.feed.bottom.unwrap_or(live.len().saturating_sub(1));
    let mut title = vec![
        Span::styled(" Comments ", theme::title()),
        Span::styled(format!("{} ", live.len()), theme::dim()),
    ];
    if let Some(room) = state.feed.room {
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
        if state.feed.bottom.is_none() { pending_lines(state, inner.width as usize) } else { Vec::new() };
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
        if state.feed.room.is_some_and(|r| Some(r) != *room) {
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
        let mut comment_rows = comment_lines(state, &comment, columns);
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

/// The screen lines of one comment at a given width, styled.
pub fn comment_lines(state: &AppState, comment: &Comment, columns: usize) -> Vec<Line<'static>> {
    let selected = state.mode == Mode::Browse && state.feed.selected == Some(comment.id);
    let text_style = if selected { theme::selected() } else { Style::new() };
    feed::comment_rows(&state.feed_look(), comment, columns, selected)
        .into_iter()
        .map(|row| styled(row, text_style))
        .collect()
}

fn styled(row: Row, text_style: Style) -> Line<'static> {
    let spans: Vec<Span<'static>> = row
        .into_iter()
        .map(|piece| {
            let style = match piece.part {
                Part::Marker => theme::key(),
                Part::Number | Part::Time | Part::PreSession | Part::NotesRow => theme::dim(),
                Part::Theme(index) => theme::theme_tag(index),
                Part::Room | Part::Indent => Style::new(),
                Part::Author => theme::author(),
                Part::Text => text_style,
                Part::Notes { saving } => theme::warning_soft(saving),
            };
            Span::styled(piece.text, style)
        })
        .collect();
    Line::from(spans)
}
