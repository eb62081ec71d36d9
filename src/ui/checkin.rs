//! The check-in screen: everyone expected with present / absent / not checked / left, the
//! time they came or went, walk-ins and deputies, and the line saying who rooms will seat.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

use super::theme;
use crate::app::checkin::{planning_note, roster, Typing, View};
use crate::app::AppState;
use crate::model::Status;
use crate::view::text::{truncate, visible};

/// Draw the check-in screen in `area` (it takes the feed's place).
pub fn render_pane(frame: &mut Frame, area: Rect, state: &AppState) {
    if state.checkin.view == View::Participation {
        return super::participation::render_pane(frame, area, state);
    }
    let people = state.session.people();
    let rows = roster(state);
    let count = |s: Status| rows.iter().filter(|p| people.status(&p.id) == s).count();
    let title = format!(
        " Check-in · {} present · {} absent · {} not checked · {} left ",
        count(Status::Present),
        count(Status::Absent),
        count(Status::NotChecked),
        count(Status::Left)
    );
    let block = Block::default()
        .borders(Borders::TOP)
        .border_style(theme::focused_border())
        .title(Span::styled(title, theme::title()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let mut lines = vec![Line::styled(planning_note(state), theme::dim())];
    match &state.checkin.typing {
        Some(Typing::Find(text)) => lines
            .push(Line::styled(format!("Find: {}▏ (Enter stays, Esc cancels)", visible(text)), theme::key())),
        Some(Typing::WalkIn { text, deputy_for }) => {
            let what = match deputy_for {
                Some(id) => format!(
                    "Deputy for {}",
                    state.session.person(&state.plan, id).map_or(id.as_str(), |p| p.name.as_str())
                ),
                None => "Walk-in".to_string(),
            };
            lines.push(Line::styled(
                format!("{what} (Name, Organisation): {}▏ Enter adds, Esc cancels", visible(text)),
                theme::key(),
            ));
        }
        None => {}
    }
    let at = |t: &chrono::DateTime<chrono::Utc>| state.local(*t).format("%H:%M").to_string();
    let header_lines = lines.len();
    for (row, person) in rows.iter().enumerate() {
        let status = people.status(&person.id);
        let (mark, style) = match status {
            Status::Present => ("✓ present", theme::ok()),
            Status::Absent => ("✗ absent ", theme::warning()),
            Status::NotChecked => ("· not yet", theme::dim()),
            Status::Left => ("← left   ", theme::dim()),
        };
        let mut notes = Vec::new();
        if let Some(walk_in) = people.walk_in(&person.id) {
            notes.push(match &walk_in.deputy_for {
                Some(id) => format!(
                    "deputy for {}",
                    state.plan.participant(id).map_or(id.as_str(), |p| p.name.as_str())
                ),
                None => "walk-in".to_string(),
            });
        }
        if let Some(t) = people.checked_in.get(&person.id).or(people.arrived.get(&person.id)) {
            notes.push(format!("came {}", at(t)));
        }
        if let Some(t) = people.left.get(&person.id) {
            notes.push(format!("left {}", at(t)));
        }
        let selected = row == state.checkin.index;
        let text = format!(
            "{}{mark}  {} · {}{}{}",
            if selected { "▶ " } else { "  " },
            visible(&person.name),
            visible(&person.org),
            if person.role == crate::model::Role::Partner {
                String::new()
            } else {
                format!(" ({})", person.role.label())
            },
            if notes.is_empty() { String::new() } else { format!("  [{}]", notes.join("; ")) }
        );
        let style = if selected { theme::selected() } else { style };
        lines.push(Line::styled(truncate(&text, inner.width as usize), style));
    }
    // Keep the selection on screen; the note and the typing line stay on top.
    let height = (inner.height as usize).saturating_sub(header_lines);
    let skip = (state.checkin.index + 2).saturating_sub(height);
    let body: Vec<Line> = lines
        .iter()
        .take(header_lines)
        .cloned()
        .chain(lines.iter().skip(header_lines + skip).cloned())
        .collect();
    frame.render_widget(Paragraph::new(body), inner);
}
