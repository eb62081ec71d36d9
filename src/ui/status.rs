//! The two bottom lines: keys for the current mode, then save state and messages.

use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::theme;
use crate::app::{hints, AppState, Binding, Command, Joined, Severity};
use crate::view::text::visible;

/// The context bar: the current mode's keys, straight from the key table.
pub fn render_hints(frame: &mut Frame, area: Rect, state: &AppState) {
    let mut spans = vec![Span::styled(format!(" {} ", state.mode.label()), theme::header())];
    let all: Vec<&Binding> = hints(state.mode, state.seat.is_joined()).collect();
    // Whole hints only, and the help hint always, so a narrow screen still says where help is.
    let help = all.iter().copied().find(|b| b.command == Command::Help);
    let width = |b: &Binding| b.keys[0].label().chars().count() + b.hint.chars().count() + 2;
    let mut room = (area.width as usize)
        .saturating_sub(state.mode.label().chars().count() + 2)
        .saturating_sub(help.map_or(0, width));
    let shown = all.iter().copied().filter(|b| b.command != Command::Help).filter(|b| {
        let fits = width(b) <= room;
        if fits {
            room -= width(b);
        }
        fits
    });
    for binding in shown.chain(help) {
        spans.push(Span::styled(format!(" {}", binding.keys[0].label()), theme::key()));
        spans.push(Span::styled(format!(" {}", binding.hint), theme::dim()));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The status line: whether everything shown is on disk, said in words as well as colour.
pub fn render_status(frame: &mut Frame, area: Rect, state: &AppState) {
    let unsaved = state.unsaved_events();
    let save = if let Some(joined) = state.seat.joined() {
        link_status(joined)
    } else if let Some(error) = &state.disk.save_error {
        Span::styled(format!(" ✗ NOT SAVED: {} ", visible(error)), theme::error())
    } else if unsaved > 0 {
        Span::styled(format!(" … saving {unsaved} "), theme::warning())
    } else {
        let at =
            state.disk.saved_at.map(|t| state.local(t).format(" %H:%M:%S").to_string()).unwrap_or_default();
        Span::styled(format!(" ✓ saved{at} "), theme::ok())
    };
    let mut spans = vec![save];
    if let Some(hosting) = state.seat.hosting() {
        spans.push(Span::styled(format!(" ⇄ {} joined (F8) ", hosting.peers.len()), theme::dim()));
    }
    if let Some(planning) = &state.rooms.planning {
        // Shown on every screen: the console stays live while a round is planned.
        let seconds = (state.now - planning.started).num_milliseconds().max(0) as f64 / 1000.0;
        let spinner = ['◐', '◓', '◑', '◒'][(seconds * 4.0) as usize % 4];
        let what = if planning.replan { "re-planning" } else { "planning" };
        spans.push(Span::styled(
            format!(
                " {spinner} {what} round {} … {seconds:.1} s (Esc on rooms cancels) ",
                planning.round + 1
            ),
            theme::warning(),
        ));
    }
    if let Some((message, severity)) = &state.message {
        let style = match severity {
            Severity::Info => ratatui::style::Style::new(),
            Severity::Warning => theme::warning(),
            Severity::Error => theme::error(),
        };
        spans.push(Span::styled(format!(" {}", visible(message)), style));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
    let file = match state.seat.joined() {
        Some(joined) => format!("{} @ {}", joined.name, joined.host),
        None => state.path.display().to_string(),
    };
    let right = Paragraph::new(Span::styled(format!("{} ", visible(&file)), theme::dim()))
        .alignment(Alignment::Right);
    // The file name only when there is room beside the message.
    let used: usize = 40 + state.message.as_ref().map_or(0, |(m, _)| m.len());
    if (area.width as usize) > used + file.len() {
        frame.render_widget(right, area);
    }
}

/// A joined console's link, said in words: online or not, and how much is still unanswered.
fn link_status(joined: &Joined) -> Span<'static> {
    let unsent = joined.unsent.len();
    if joined.refused && joined.problem.as_deref() == Some(crate::net::SESSION_CLOSED) {
        // Not a refusal: the session is over, and this console says so plainly.
        Span::styled(format!(" ■ SESSION CLOSED by the host, {unsent} unsent "), theme::warning())
    } else if joined.refused {
        let why = joined.problem.as_deref().unwrap_or("refused");
        Span::styled(format!(" ✗ REFUSED: {}, {unsent} unsent ", visible(why)), theme::error())
    } else if !joined.online {
        Span::styled(format!(" ○ offline, {unsent} unsent: reconnecting "), theme::error())
    } else if unsent > 0 {
        Span::styled(format!(" … sending {unsent} "), theme::warning())
    } else {
        Span::styled(" ● online, all sent ".to_string(), theme::ok())
    }
}
