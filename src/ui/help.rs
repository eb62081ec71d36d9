//! The help overlay, generated from the key table and the plan's theme keys.

use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use ratatui::Frame;

use super::popup::centered;
use super::theme;
use crate::app::{joiner_may, keys_label, AppState, Binding, Chord, Command, Mode, BINDINGS, POPUP_BINDINGS};
use crate::view::text::visible;

/// Draw every key, grouped by mode, then the themes and rooms.
pub fn render(frame: &mut Frame, state: &AppState, scroll: u16) {
    // Small screens get the whole width: help that is cut off is no help.
    let percent = if frame.area().width < 110 { 100 } else { 80 };
    let area = centered(frame.area(), percent, 94);
    let mut lines: Vec<Line> = Vec::new();
    // Said first: why a single key on a command screen waits a moment before it acts.
    lines.push(Line::styled(
        format!(
            "On the command screens (select, agenda, priorities, decision, rooms, check-in) a letter or \
             digit acts once it stands alone for {} ms; faster typing goes to the capture bar. \
             Confirmations take Enter.",
            crate::app::QUIET_MS
        ),
        theme::dim(),
    ));
    lines.push(Line::raw(""));
    let sections = [
        (Some(Mode::Capture), "Capturing (typing goes into the capture bar)"),
        (Some(Mode::Edit), "Editing a comment"),
        (Some(Mode::Browse), "Selecting comments (Esc from the capture bar)"),
        (Some(Mode::Agenda), "Agenda and timer (Ctrl+G or F2)"),
        (Some(Mode::Vote), "Priorities list (F3, or v from the feed or agenda)"),
        (Some(Mode::Casting), "While a vote is open"),
        (Some(Mode::Deciding), "While a decision is open"),
        (Some(Mode::Entry), "Typing a candidate or a question"),
        (Some(Mode::Rooms), "Breakout rooms (F4, or r from the feed or agenda)"),
        (Some(Mode::CheckIn), "Check-in and participation (F9, or c from the rooms)"),
        (None, "Anywhere"),
    ];
    for (mode, heading) in sections {
        lines.push(Line::styled(heading, theme::title()));
        let in_section = |b: &&Binding| {
            let here = match mode {
                Some(mode) => b.modes.contains(&mode) && !b.everywhere(),
                None => b.everywhere(),
            };
            // Help lists what this console can do: joined, only a joiner's keys; hosting only
            // when hosting.
            let allowed = match (state.seat.joined(), b.command) {
                (Some(_), command) => joiner_may(command),
                (None, Command::Joiners) => state.seat.is_hosting(),
                (None, _) => true,
            };
            here && allowed
        };
        for binding in BINDINGS.iter().filter(in_section) {
            lines.push(Line::from(vec![
                Span::styled(format!("  {:<18}", keys_label(binding)), theme::key()),
                Span::raw(binding.help),
            ]));
        }
        lines.push(Line::raw(""));
    }
    lines.push(Line::styled("In windows (questions, lists, vote set-up, pickers)", theme::title()));
    let mut listed: Vec<&str> = Vec::new();
    for binding in POPUP_BINDINGS {
        if listed.contains(&binding.help) {
            continue;
        }
        listed.push(binding.help);
        let keys = binding.keys.iter().map(Chord::label).collect::<Vec<_>>().join(" / ");
        lines.push(Line::from(vec![
            Span::styled(format!("  {keys:<18}"), theme::key()),
            Span::raw(binding.help),
        ]));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled("Themes: Alt+key, or Ctrl+T then the key", theme::title()));
    for (i, t) in state.plan.themes.iter().enumerate() {
        let group = t.group.as_deref().map(|g| format!("  ({})", visible(g))).unwrap_or_default();
        lines.push(Line::from(vec![
            Span::styled(format!("  {:<18}", format!("Alt+{}", t.key)), theme::key()),
            Span::styled(visible(&t.name).into_owned(), theme::theme_tag(Some(i))),
            Span::styled(group, theme::dim()),
        ]));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled("Rooms: Alt+digit, or Ctrl+R to cycle", theme::title()));
    lines.push(Line::from(vec![
        Span::styled(format!("  {:<18}", "Alt+0"), theme::key()),
        Span::raw("Plenary"),
    ]));
    for (i, room) in state.plan.rooms.iter().enumerate() {
        lines.push(Line::from(vec![
            Span::styled(format!("  {:<18}", format!("Alt+{}", i + 1)), theme::key()),
            Span::raw(visible(&room.name).into_owned()),
        ]));
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme::focused_border())
        .title(Span::styled(" Help — ↑/↓ scroll, any other key closes ", theme::title()));
    frame.render_widget(Clear, area);
    frame.render_widget(
        Paragraph::new(lines).block(block).wrap(Wrap { trim: false }).scroll((scroll, 0)),
        area,
    );
}
