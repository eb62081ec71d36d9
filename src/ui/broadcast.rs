//! Messages to the rooms on the console: the facilitator's prompt, on a joined console the
//! latest message as a banner until dismissed, and in the replay as the presenter showed it.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::popup::dialog;
use super::theme;
use crate::app::{broadcast_banner, AppState, Command, BINDINGS};
use crate::model::MAX_BROADCAST_CHARS;
use crate::view::text::{visible, wrap};

/// Most rows the banner takes, however long the message.
const MOST_ROWS: usize = 3;

/// The first key the table gives a command, as the screen writes it.
fn key_for(command: Command) -> String {
    BINDINGS.iter().find(|b| b.command == command).map(|b| b.keys[0].label()).unwrap_or_default()
}

/// The banner's lines at this width, if a message shows.
fn lines(state: &AppState, columns: u16) -> Option<Vec<String>> {
    let message = broadcast_banner(state)?;
    let at = state.local(message.at).format("%H:%M");
    let hides = match state.seat.joined() {
        Some(_) => format!(" · {} hides", key_for(Command::DismissBanner)),
        None => String::new(),
    };
    let text = format!("✉ {at} from the facilitator: {}{hides}", visible(&message.text));
    let mut lines: Vec<String> = wrap(&text, columns as usize, 1, 3)
        .into_iter()
        .enumerate()
        .map(|(i, line)| format!("{}{line}", if i == 0 { " " } else { "   " }))
        .collect();
    if lines.len() > MOST_ROWS {
        lines.truncate(MOST_ROWS);
        if let Some(last) = lines.last_mut() {
            last.push('…');
        }
    }
    Some(lines)
}

/// Rows the banner needs at this width (0: no message shows).
pub fn banner_rows(state: &AppState, columns: u16) -> u16 {
    lines(state, columns).map_or(0, |l| l.len() as u16)
}

/// Draw the banner; false if no message shows (the room note may use the row instead).
pub fn render_banner(frame: &mut Frame, area: Rect, state: &AppState) -> bool {
    let Some(lines) = lines(state, area.width) else {
        return false;
    };
    let lines: Vec<Line> = lines.into_iter().map(Line::raw).collect();
    frame.render_widget(Paragraph::new(lines).style(theme::banner()), area);
    true
}

/// The facilitator's prompt for a message to every room.
pub fn prompt(frame: &mut Frame, state: &AppState, text: &str, bell: bool) {
    let to = if state.seat.is_hosting() {
        "Every joined console shows it as a banner; the shared screen for 2 minutes."
    } else {
        "The shared screen (convene present) shows it for 2 minutes."
    };
    let typed = format!("{}▏", visible(text));
    let mut lines = vec![Line::styled(to, theme::dim()), Line::raw("")];
    lines.extend(wrap(&typed, 60, 1, 1).into_iter().map(Line::raw));
    lines.push(Line::raw(""));
    lines.push(Line::from(vec![
        Span::styled("Enter", theme::key()),
        Span::raw(" send   "),
        Span::styled("Tab", theme::key()),
        Span::raw(if bell { " bell: ON (joined consoles ring)   " } else { " bell: off   " }),
        Span::styled("Esc", theme::key()),
        Span::raw(" cancel"),
    ]));
    lines.push(Line::styled(
        format!("{} of {MAX_BROADCAST_CHARS} characters", text.chars().count()),
        theme::dim(),
    ));
    let height = lines.len() as u16 + 2;
    dialog(frame, "Message to the rooms", lines, 66, height);
}
