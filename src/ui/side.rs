//! The side panel on wide screens: comments per theme, and the rooms with their leads.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

use super::theme;
use crate::app::{AppState, Mode};
use crate::view::text::{truncate, visible};

/// Draw theme counts (with a bar, so the number is readable without colour) and rooms.
pub fn render(frame: &mut Frame, area: Rect, state: &AppState) {
    // The agenda on top (unless it already fills the main pane), themes and rooms below.
    let area = if state.mode == Mode::Agenda || state.plan.agenda.is_empty() {
        area
    } else {
        let wanted = state.plan.agenda.len() as u16 + 15;
        let [agenda, rest] =
            Layout::vertical([Constraint::Length(wanted.min(area.height * 3 / 5)), Constraint::Min(0)])
                .areas(area);
        super::agenda::render_pane(frame, agenda, state, false);
        rest
    };
    let block = Block::default()
        .borders(Borders::TOP | Borders::LEFT)
        .border_style(theme::border())
        .title(Span::styled(" Themes ", theme::title()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = inner.width as usize;
    let most =
        state.plan.themes.iter().map(|t| state.session.theme_count(Some(&t.name))).max().unwrap_or(0).max(1);
    let mut lines = Vec::new();
    let mut group: Option<&str> = None;
    for (i, t) in state.plan.themes.iter().enumerate() {
        if t.group.as_deref() != group {
            group = t.group.as_deref();
            if let Some(g) = group {
                lines.push(Line::styled(visible(g).into_owned(), theme::dim()));
            }
        }
        let count = state.session.theme_count(Some(&t.name));
        let label = truncate(&visible(&t.name), 15);
        let bar_room = width.saturating_sub(24);
        let bar = "█".repeat((count as usize * bar_room).div_ceil(most as usize));
        lines.push(Line::from(vec![
            Span::styled(format!(" {} ", t.key), theme::key()),
            Span::styled(format!("{label:<15}"), theme::theme_tag(Some(i))),
            Span::raw(format!("{count:>4} ")),
            Span::styled(bar, theme::theme_tag(Some(i))),
        ]));
    }
    let untagged = state.session.theme_count(None);
    if untagged > 0 {
        lines.push(Line::from(vec![
            Span::raw("   "),
            Span::styled(format!("{:<15}", "no theme"), theme::dim()),
            Span::raw(format!("{untagged:>4}")),
        ]));
    }
    if !state.plan.rooms.is_empty() {
        lines.push(Line::raw(""));
        let current = state.session.rooms.current();
        let heading = match state.session.rooms.rounds.len() {
            0 => "Rooms".to_string(),
            n => format!("Rooms, round {n} (F4)"),
        };
        lines.push(Line::styled(heading, theme::title()));
        for (i, room) in state.plan.rooms.iter().enumerate() {
            let lead = room
                .lead
                .as_deref()
                .and_then(|id| state.plan.participant(id))
                .map_or_else(|| "no lead".to_string(), |p| format!("led by {}", p.name));
            // Once rooms are assigned, how many are in each: the lead plus the rest.
            let people = current
                .and_then(|r| r.rooms.get(i))
                .map_or(String::new(), |m| format!(" · {} people", m.len()));
            lines.push(Line::from(vec![
                Span::styled(format!(" Alt+{} ", i + 1), theme::key()),
                Span::raw(truncate(
                    &visible(&format!("{} · {lead}{people}", room.name)),
                    width.saturating_sub(8),
                )),
            ]));
        }
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
