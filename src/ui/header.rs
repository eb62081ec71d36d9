//! The header: session title, wall clock, and where the agenda stands.

use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::theme;
use crate::app::AppState;
use crate::view::text::{truncate, visible};

/// Draw the two header lines.
pub fn render(frame: &mut Frame, area: Rect, state: &AppState) {
    let clock = state.local(state.now).format("%H:%M:%S").to_string();
    let top = Rect { height: 1, ..area };
    frame.render_widget(Paragraph::new("").style(theme::header()), top);
    let title_room = (area.width as usize).saturating_sub(clock.len() + 14);
    let title = Line::from(vec![
        Span::styled(" convene ", theme::header().add_modifier(ratatui::style::Modifier::BOLD)),
        Span::styled("│ ", theme::header()),
        Span::styled(truncate(&visible(&state.plan.title), title_room), theme::header()),
    ]);
    frame.render_widget(Paragraph::new(title), top);
    frame.render_widget(
        Paragraph::new(format!("{clock} ")).style(theme::header()).alignment(Alignment::Right),
        top,
    );
    if area.height > 1 {
        let second = Rect { y: area.y + 1, height: 1, ..area };
        frame.render_widget(Paragraph::new(super::agenda::timer_line(state)), second);
    }
}
