//! The capture bar: a tui-textarea framed by the tags the next comment will carry.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders};
use ratatui::Frame;
use ratatui_textarea::{CursorMove, TextArea};

use super::theme;
use crate::app::{AppState, Entry, Mode};
use crate::view::author_label;
use crate::view::text::visible;

/// Draw the capture bar with its tags in the frame title.
pub fn render(frame: &mut Frame, area: Rect, state: &AppState) {
    let tags = &state.bar.tags;
    let focused = state.mode.is_typing() && state.overlay.is_none();
    if let Some((entry, _)) = state.priorities.entry {
        let what = match entry {
            Entry::NewCandidate => " NEW CANDIDATE — Enter adds it, Esc stops ".to_string(),
            Entry::EditCandidate(id) => format!(" CANDIDATE {id} — new wording, Enter saves "),
            Entry::DecisionQuestion => " DECISION — the question to put to each organisation ".to_string(),
        };
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme::focused_border())
            .title(Span::styled(what, theme::key()));
        let mut view = displayable(&state.bar.text);
        view.set_block(block);
        view.set_cursor_line_style(ratatui::style::Style::new());
        frame.render_widget(&view, area);
        return;
    }
    let mut title = vec![Span::styled(
        match state.bar.editing {
            Some(id) => format!(" EDIT #{id} "),
            None => " CAPTURE ".to_string(),
        },
        if focused { theme::key() } else { theme::dim() },
    )];
    let theme_label = match state.theme_name(tags) {
        Some(name) => {
            let key = tags.theme.and_then(|i| state.plan.themes.get(i)).map_or(' ', |t| t.key);
            format!("[{key}] {}", visible(name))
        }
        None => "no theme".into(),
    };
    title.push(Span::styled(" theme ", theme::dim()));
    title.push(Span::styled(theme_label, theme::theme_tag(tags.theme)));
    title.push(Span::styled(" · ", theme::dim()));
    title.push(Span::raw(state.plan.room_name(tags.room).to_string()));
    title.push(Span::styled(" · by ", theme::dim()));
    title.push(Span::styled(
        visible(&author_label(&state.plan, tags.author.as_deref())).into_owned(),
        theme::author(),
    ));
    if tags.pre_session {
        title.push(Span::styled(" · ✉ pre-session", theme::warning()));
    }
    title.push(Span::raw(" "));
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(if focused { theme::focused_border() } else { theme::border() })
        .title(Line::from(title));
    let mut view = displayable(&state.bar.text);
    view.set_block(block);
    view.set_cursor_line_style(ratatui::style::Style::new());
    if !focused {
        view.set_cursor_style(ratatui::style::Style::new());
    }
    if state.capture_text().is_empty() && state.mode == Mode::Capture {
        view.set_placeholder_text("Type a comment, Enter to commit · ? for help");
        view.set_placeholder_style(theme::dim());
    }
    frame.render_widget(&view, area);
}

/// A copy of the capture bar safe to draw: control characters shown as stand-ins, cursor kept.
fn displayable(capture: &TextArea<'static>) -> TextArea<'static> {
    let hazardous = capture.lines().iter().any(|l| l.chars().any(char::is_control));
    if !hazardous {
        return capture.clone();
    }
    let ratatui_textarea::DataCursor(row, col) = capture.cursor();
    let mut view = TextArea::new(capture.lines().iter().map(|l| visible(l).into_owned()).collect());
    view.set_wrap_mode(capture.wrap_mode());
    view.move_cursor(CursorMove::Jump(row as u16, col as u16));
    view
}
