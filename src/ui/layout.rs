//! Where each pane goes, as a pure function of the terminal size and state. The feed's size
//! reaches `update` through the frame that drew it (`ui::Drawn`), never by asking this file.

use ratatui::layout::{Constraint, Layout, Rect};

use crate::app::AppState;

/// Wide terminals get a side panel of theme counts and rooms.
const SIDE_PANEL_FROM: u16 = 120;
/// The side panel takes this share of the width, within bounds.
const SIDE_PANEL_SHARE: (u16, u16, u16) = (30, 36, 64);

/// The panes of the main screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    /// Title, clock, current item.
    pub header: Rect,
    /// Comments.
    pub feed: Rect,
    /// Theme counts and rooms, on wide terminals.
    pub side: Option<Rect>,
    /// The breakout rooms' note, while it shows.
    pub banner: Option<Rect>,
    /// The capture bar.
    pub capture: Rect,
    /// Keys for the current mode.
    pub hints: Rect,
    /// Save state and messages.
    pub status: Rect,
}

/// Lay out the main screen.
pub fn areas(area: Rect, state: &AppState) -> Areas {
    // Rows the wrapped text takes (a word carried to the next row may need one more: the bar
    // then scrolls, keeping the cursor in view).
    let inner = usize::from(area.width.saturating_sub(2)).max(1);
    let rows: usize =
        state.bar.text.lines().iter().map(|l| crate::view::text::width(l).div_ceil(inner).max(1)).sum();
    let text_lines = rows.clamp(1, 5) as u16;
    let banner_rows = match super::broadcast::banner_rows(state, area.width) {
        0 => u16::from(super::agenda::room_note(state).is_some()),
        rows => rows,
    };
    let [header, body, banner, capture, hints, status] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Min(3),
        Constraint::Length(banner_rows),
        Constraint::Length(text_lines + 2),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    let (feed, side) = with_side_panel(body);
    Areas { header, feed, side, banner: (banner_rows > 0).then_some(banner), capture, hints, status }
}

/// Split a screen's body into the main pane and, on wide terminals, the side panel: the live
/// console and the replay share one rule, so a replay looks like the session did.
pub fn with_side_panel(body: Rect) -> (Rect, Option<Rect>) {
    if body.width < SIDE_PANEL_FROM {
        return (body, None);
    }
    let [main, side] =
        Layout::horizontal([Constraint::Min(40), Constraint::Length(side_width(body.width))]).areas(body);
    (main, Some(side))
}

fn side_width(columns: u16) -> u16 {
    let (percent, least, most) = SIDE_PANEL_SHARE;
    (columns * percent / 100).clamp(least, most)
}
