//! The rooms screen: the current round's rooms with their leads and members, each member
//! marked with how many of their room-mates they meet for the first time, and the score.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

use super::theme;
use crate::app::AppState;
use crate::view::objective_label;
use crate::view::text::{truncate, visible};

/// Draw the rooms screen in `area` (it takes the feed's place).
pub fn render_pane(frame: &mut Frame, area: Rect, state: &AppState) {
    let rooms = &state.session.rooms;
    let view = state.rooms_view();
    let round = rooms.rounds.len();
    let title = match round {
        0 => " Rooms · no round planned yet: g plans the first ".to_string(),
        n => {
            let score = &view.score;
            let stale = match score.nobody_new {
                0 => String::new(),
                k => format!(", {k} meeting nobody new"),
            };
            format!(
                " Rooms · round {n} · so far {} new pairings, {} repeated, no pair more than {}×{stale} ",
                score.new_pairings, score.repeats, score.max_meetings
            )
        }
    };
    let block = Block::default()
        .borders(Borders::TOP)
        .border_style(theme::focused_border())
        .title(Span::styled(title, theme::title()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let faces = &view.faces;
    let name = |id: &str| crate::view::names::display_name(&state.plan, id).to_string();
    let mut lines = vec![Line::styled(
        format!("Next rounds: {} · o switches", objective_label(state.rooms.objective)),
        theme::dim(),
    )];
    let mut current_room = None;
    for (row, (id, room)) in view.rows.iter().enumerate() {
        if *room != current_room || (row == 0 && room.is_none()) {
            current_room = *room;
            let heading = match room {
                Some(i) => {
                    let count = rooms.current().map_or(0, |r| r.rooms[*i].len());
                    format!(
                        "{} — {count} people (press {} to move someone here)",
                        state.plan.room_name(Some(*i as u32)),
                        i + 1
                    )
                }
                None => "Not in a room (late or not yet placed): a seats the selected one".to_string(),
            };
            lines.push(Line::styled(heading, theme::title()));
        }
        let lead =
            room.and_then(|i| state.plan.rooms.get(i)).and_then(|r| r.lead.as_deref()) == Some(id.as_str());
        let fresh = room
            .and_then(|i| faces.get(i))
            .and_then(|members| members.iter().find(|(m, _)| m == id))
            .map_or(String::new(), |(_, n)| format!("  +{n} new"));
        let org = state.plan.participant(id).map_or(String::new(), |p| format!(" · {}", p.org));
        let selected = row == state.rooms.person;
        let text = format!(
            "{}{}{}{org}",
            if selected { "▶ " } else { "  " },
            visible(&name(id)),
            if lead { " (lead)" } else { "" }
        );
        let style = if selected { theme::selected() } else { ratatui::style::Style::new() };
        lines.push(Line::from(vec![
            Span::styled(truncate(&text, inner.width.saturating_sub(12) as usize), style),
            Span::styled(fresh, theme::ok()),
        ]));
    }
    if !rooms.left.is_empty() {
        let names: Vec<String> = rooms.left.iter().map(|id| name(id)).collect();
        lines.push(Line::styled(format!("Left: {}", names.join(", ")), theme::dim()));
    }
    // Keep the selection on screen.
    let height = inner.height as usize;
    let selected_line =
        lines.iter().position(|l| l.spans.first().is_some_and(|s| s.content.starts_with('▶')));
    let skip = selected_line.map_or(0, |s| (s + 2).saturating_sub(height));
    frame.render_widget(Paragraph::new(lines.into_iter().skip(skip).collect::<Vec<_>>()), inner);
}
