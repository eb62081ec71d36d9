//! Participation, for the facilitator only: comments and dots per person and organisation,
//! and who has not contributed yet (to bring them in, not to show them up on the call).

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;

use super::theme;
use crate::app::AppState;
use crate::people::participation;
use crate::view::text::{truncate, visible};

/// Draw participation in `area` (the check-in screen's second view).
pub fn render_pane(frame: &mut Frame, area: Rect, state: &AppState) {
    let seen = participation(&state.plan, &state.session);
    let title = format!(
        " Participation (facilitator only) · {} of {} present have not contributed yet ",
        seen.silent.len(),
        seen.people.len()
    );
    let block = Block::default()
        .borders(Borders::TOP)
        .border_style(theme::focused_border())
        .title(Span::styled(title, theme::title()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let [top, bottom] = Layout::vertical([Constraint::Min(3), Constraint::Length(4)]).areas(inner);
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(top);
    let mut people = vec![Line::styled("Person · organisation   comments  dots", theme::dim())];
    for row in &seen.people {
        let text = format!("{} · {}", visible(&row.name), visible(&row.org));
        let width = (left.width as usize).saturating_sub(16);
        people.push(Line::raw(format!(
            "{:<width$} {:>6} {:>5}",
            truncate(&text, width),
            row.comments,
            row.dots
        )));
    }
    frame.render_widget(Paragraph::new(people), left);
    let mut orgs = vec![Line::styled("Organisation            comments  dots", theme::dim())];
    for row in &seen.orgs {
        let width = (right.width as usize).saturating_sub(16);
        orgs.push(Line::raw(format!(
            "{:<width$} {:>6} {:>5}",
            truncate(&visible(&row.org), width),
            row.comments,
            row.dots
        )));
    }
    frame.render_widget(Paragraph::new(orgs), right);
    let silent = if seen.silent.is_empty() {
        "Everyone present has contributed.".to_string()
    } else {
        format!(
            "Not heard from yet: {}",
            seen.silent.iter().map(|n| visible(n).into_owned()).collect::<Vec<_>>().join(", ")
        )
    };
    frame.render_widget(
        Paragraph::new(Line::styled(silent, theme::warning())).wrap(Wrap { trim: true }),
        bottom,
    );
}
