//! Small windows over the main screen: confirmations, the author picker, the theme key prompt.

use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use ratatui::Frame;

use super::theme;
use crate::app::{popup_hints, AppState, Popup};
use crate::model::CommentId;
use crate::view::text::{truncate, visible};
use crate::view::{author_matches, history};

/// A rectangle of the given percentages, centred in `area`.
pub fn centered(area: Rect, percent_x: u16, percent_y: u16) -> Rect {
    let [row] = Layout::vertical([Constraint::Percentage(percent_y)]).flex(Flex::Center).areas(area);
    let [cell] = Layout::horizontal([Constraint::Percentage(percent_x)]).flex(Flex::Center).areas(row);
    cell
}

pub(super) fn fixed(area: Rect, width: u16, height: u16) -> Rect {
    let [row] =
        Layout::vertical([Constraint::Length(height.min(area.height))]).flex(Flex::Center).areas(area);
    let [cell] =
        Layout::horizontal([Constraint::Length(width.min(area.width))]).flex(Flex::Center).areas(row);
    cell
}

pub(super) fn dialog(frame: &mut Frame, title: &str, lines: Vec<Line>, width: u16, height: u16) {
    let area = fixed(frame.area(), width, height);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme::focused_border())
        .title(Span::styled(format!(" {title} "), theme::title()));
    frame.render_widget(Clear, area);
    frame.render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: false }), area);
}

/// A window's hint line, from its layer of the key table, so it can never say other keys than
/// the ones that act.
pub(super) fn hint_line(popup: Popup) -> Line<'static> {
    let mut spans = Vec::new();
    for (key, hint) in popup_hints(popup) {
        if !key.is_empty() {
            spans.push(Span::styled(key, theme::key()));
            spans.push(Span::raw(" "));
        }
        spans.push(Span::raw(format!("{hint}   ")));
    }
    Line::from(spans)
}

/// Quit with something not yet durable?
pub fn confirm_quit(frame: &mut Frame, state: &AppState) {
    let mut lines = Vec::new();
    let unsaved = state.unsaved_events();
    if unsaved > 0 || state.disk.save_error.is_some() {
        lines.push(Line::styled(format!("{unsaved} event(s) are not saved to disk yet."), theme::warning()));
    }
    if let Some(joined) = state.seat.joined().filter(|j| !j.unsent.is_empty()) {
        lines.push(Line::styled(
            format!(
                "{} not yet answered by the host: kept in the outbox, sent next time you join.",
                joined.unsent.len()
            ),
            theme::warning(),
        ));
    }
    if state.bar.editing.is_some() {
        lines.push(Line::raw("An edit is in progress and will be abandoned."));
    } else if !state.capture_text().trim().is_empty() {
        lines.push(Line::raw("The capture bar holds text not yet committed (it is kept as a draft)."));
    }
    if let Some(hosting) = state.seat.hosting().filter(|h| !h.peers.is_empty()) {
        lines.push(Line::styled(
            format!(
                "{} terminal(s) are joined: quitting ends hosting and they can no longer capture.",
                hosting.peers.len()
            ),
            theme::warning(),
        ));
    }
    lines.push(Line::raw(""));
    lines.push(Line::from(vec![
        Span::styled("Enter", theme::key()),
        Span::raw(" quit anyway   "),
        Span::styled("Esc", theme::key()),
        Span::raw(" / any other key stay"),
    ]));
    let height = lines.len() as u16 + 3;
    dialog(frame, "Quit?", lines, 60, height);
}

/// Retract this comment?
pub fn confirm_retract(frame: &mut Frame, state: &AppState, id: CommentId) {
    let text = state.session.comment(id).map(|c| truncate(&visible(&c.text), 100)).unwrap_or_default();
    let lines = vec![
        Line::raw(format!("#{id}: {text}")),
        Line::raw(""),
        Line::styled("It leaves the feed and the reports; the log keeps it.", theme::dim()),
        Line::from(vec![
            Span::styled("Enter", theme::key()),
            Span::raw(" retract   "),
            Span::styled("any other key", theme::key()),
            Span::raw(" keep"),
        ]),
    ];
    dialog(frame, "Retract comment?", lines, 64, 8);
}

/// Plan the current round again?
pub fn confirm_replan(frame: &mut Frame, state: &AppState) {
    let round = state.session.rooms.rounds.len();
    let lines = vec![
        Line::raw(format!("Round {round} gets new rooms in place of the ones people are in now.")),
        Line::raw(""),
        Line::styled("The log keeps the old rooms; Ctrl+Z undoes the new ones.", theme::dim()),
        Line::from(vec![
            Span::styled("Enter", theme::key()),
            Span::raw(" plan it again   "),
            Span::styled("any other key", theme::key()),
            Span::raw(" keep the rooms"),
        ]),
    ];
    dialog(frame, &format!("Plan round {round} again?"), lines, 72, 8);
}

/// Move a lead out of the room they lead?
pub fn confirm_move_lead(frame: &mut Frame, state: &AppState, id: &str, room: u32) {
    let who = visible(crate::view::display_name(&state.plan, id)).into_owned();
    let led = state.plan.rooms.iter().find(|r| r.lead.as_deref() == Some(id)).map(|r| r.name.clone());
    let led = visible(&led.unwrap_or_default()).into_owned();
    let lines = vec![
        Line::raw(format!("{who} leads {led}.")),
        Line::raw(format!(
            "Moved to {}, {led} has nobody to run it.",
            visible(state.plan.room_name(Some(room)))
        )),
        Line::raw(""),
        Line::from(vec![
            Span::styled("Enter", theme::key()),
            Span::raw(" move them anyway   "),
            Span::styled("any other key", theme::key()),
            Span::raw(" keep them"),
        ]),
    ];
    dialog(frame, "Move a room's lead?", lines, 72, 8);
}

/// Waiting for a theme key after Ctrl+T.
pub fn theme_key(frame: &mut Frame, state: &AppState) {
    let mut lines: Vec<Line> = state
        .plan
        .themes
        .iter()
        .enumerate()
        .map(|(i, t)| {
            Line::from(vec![
                Span::styled(format!(" {} ", t.key), theme::key()),
                Span::styled(visible(&t.name).into_owned(), theme::theme_tag(Some(i))),
            ])
        })
        .collect();
    lines.push(Line::from(vec![Span::styled(" - ", theme::key()), Span::raw("no theme")]));
    let height = lines.len() as u16 + 2;
    dialog(frame, "Theme: press its key", lines, 34, height);
}

/// Choose who said it: type to filter, arrows to move, Enter to choose.
pub fn author_picker(frame: &mut Frame, state: &AppState, filter: &str, index: usize) {
    let matches = author_matches(&state.plan, filter);
    let area = fixed(frame.area(), 64, 20);
    let visible_rows = area.height.saturating_sub(4) as usize;
    let mut rows: Vec<(String, bool)> = vec![("— nobody in particular —".into(), index == 0)];
    rows.extend(matches.iter().enumerate().filter_map(|(i, id)| {
        state
            .plan
            .participant(id)
            .map(|p| (format!("{} · {} · {}", p.name, p.org, p.role.label()), index == i + 1))
    }));
    let skip = index.saturating_sub(visible_rows.saturating_sub(1));
    let mut lines = vec![Line::from(vec![
        Span::styled("Filter: ", theme::dim()),
        Span::raw(visible(filter).into_owned()),
        Span::styled("▏", theme::key()),
    ])];
    lines.push(Line::raw(""));
    for (label, chosen) in rows.into_iter().skip(skip).take(visible_rows) {
        let marker = if chosen { "▶ " } else { "  " };
        let style = if chosen { theme::selected() } else { ratatui::style::Style::new() };
        lines.push(Line::styled(format!("{marker}{}", visible(&label)), style));
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme::focused_border())
        .title(Span::styled(" Who said it? Enter chooses, Esc cancels ", theme::title()));
    frame.render_widget(Clear, area);
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

/// The join command with its token masked, so a shared screen does not show it.
fn masked(command: &str) -> String {
    let prefix = format!("{}=", crate::net::TOKEN_VARIABLE);
    let hidden = "•".repeat(8);
    let mut after_flag = false;
    let words: Vec<String> = command
        .split(' ')
        .map(|word| {
            let shown = match word.strip_prefix(&prefix) {
                Some(token) if !token.is_empty() => format!("{prefix}{hidden}"),
                _ if after_flag && !word.is_empty() => hidden.clone(),
                _ => word.to_string(),
            };
            after_flag = word == "--token";
            shown
        })
        .collect();
    words.join(" ")
}

/// Hosting: who is joined, the command to join, and a key to disconnect someone.
pub fn joiners(frame: &mut Frame, state: &AppState, index: usize) {
    let Some(hosting) = state.seat.hosting() else {
        return;
    };
    let mut lines = vec![
        Line::styled("Others join with (paste into the call chat; name yourself):", theme::dim()),
        Line::styled(
            visible(&if hosting.token_shown {
                hosting.join_command.clone()
            } else {
                masked(&hosting.join_command)
            })
            .into_owned(),
            theme::key(),
        ),
        Line::raw(""),
    ];
    if hosting.peers.is_empty() {
        lines.push(Line::styled("Nobody has joined yet.", theme::dim()));
    }
    for (i, peer) in hosting.peers.iter().enumerate() {
        let style = if i == index { theme::selected() } else { ratatui::style::Style::new() };
        let since = state.local(peer.since).format("%H:%M");
        let row = format!(
            "{}{:<24} {:<22} since {since}",
            if i == index { "▶ " } else { "  " },
            truncate(&visible(&peer.name), 24),
            peer.address
        );
        lines.push(Line::styled(row, style));
    }
    lines.push(Line::raw(""));
    lines.push(hint_line(Popup::Joiners));
    lines.push(Line::styled("any other key closes (and masks the token again)", theme::dim()));
    let height = (hosting.peers.len().max(1) as u16).saturating_add(8);
    dialog(frame, &format!("Joined terminals: {}", hosting.peers.len()), lines, 96, height);
}

/// The history of acts, newest first: who did what and when, what is undone; Enter undoes or
/// redoes the highlighted one. Sized to the screen: the list scrolls with the highlight.
pub fn history(frame: &mut Frame, state: &AppState, index: usize) {
    let acts = history::recent_acts(&state.plan, &state.session, crate::app::HISTORY_LENGTH);
    let area = frame.area();
    let width = area.width.saturating_sub(4).min(110);
    let height = area.height.saturating_sub(2).min(acts.len().max(1) as u16 + 5);
    let rows = height.saturating_sub(5) as usize;
    let first = index.saturating_sub(rows.saturating_sub(1));
    let mut lines = Vec::new();
    if acts.is_empty() {
        lines.push(Line::styled("Nothing done yet.", theme::dim()));
    }
    let text_width = width.saturating_sub(2) as usize;
    for (i, act) in acts.iter().enumerate().skip(first).take(rows.max(1)) {
        let chosen = i == index;
        let status = if act.undone { "undone " } else { "" };
        let row = format!(
            "{}{}  {:<14} {status}{}",
            if chosen { "▶ " } else { "  " },
            state.local(act.at).format("%H:%M:%S"),
            truncate(&visible(history::who(&act.by)), 14),
            visible(&act.what),
        );
        let style = match (chosen, act.undone) {
            (true, _) => theme::selected(),
            (false, true) => theme::dim().add_modifier(ratatui::style::Modifier::CROSSED_OUT),
            (false, false) => ratatui::style::Style::new(),
        };
        lines.push(Line::styled(truncate(&row, text_width), style));
    }
    lines.push(Line::raw(""));
    let mut hints = hint_line(Popup::History);
    hints.spans.push(Span::styled("· the log keeps every act", theme::dim()));
    lines.push(hints);
    dialog(frame, "History: undo or redo any act", lines, width, height);
}
