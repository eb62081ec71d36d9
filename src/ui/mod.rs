//! Rendering: pure functions from `&AppState` to widgets, one file per screen or pane.

pub mod feed;
pub mod layout;
pub mod theme;

mod agenda;
mod broadcast;
mod capture;
mod checkin;
mod header;
mod help;
mod participation;
mod popup;
pub mod present;
mod rooms;
mod side;
mod status;
pub mod timeline;
mod vote;

use ratatui::Frame;

use crate::app::{AppState, Mode, Overlay};
use crate::view::feed::Viewport;

/// What a frame drew that the keys go by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Drawn {
    /// The feed's size: rows for comments (inside its border) and columns.
    pub feed: Viewport,
}

/// Draw the whole console, saying how big the feed came out.
pub fn render(frame: &mut Frame, state: &AppState) -> Drawn {
    let areas = layout::areas(frame.area(), state);
    header::render(frame, areas.header, state);
    if state.mode == Mode::Agenda {
        agenda::render_pane(frame, areas.feed, state, true);
    } else if state.mode == Mode::Rooms {
        rooms::render_pane(frame, areas.feed, state);
    } else if state.mode == Mode::CheckIn {
        checkin::render_pane(frame, areas.feed, state);
    } else if matches!(state.mode, Mode::Vote | Mode::Casting | Mode::Deciding)
        || (state.mode == Mode::Entry
            && state.priorities.entry.is_some_and(|(_, back)| back != Mode::Capture))
    {
        vote::render_pane(frame, areas.feed, state);
    } else {
        feed::render(frame, areas.feed, state);
    }
    if let Some(side) = areas.side {
        side::render(frame, side, state);
    }
    if let Some(banner) = areas.banner {
        // The facilitator's message comes first; the room note has the row otherwise.
        if !broadcast::render_banner(frame, banner, state) {
            agenda::render_banner(frame, banner, state);
        }
    }
    capture::render(frame, areas.capture, state);
    status::render_hints(frame, areas.hints, state);
    status::render_status(frame, areas.status, state);
    match &state.overlay {
        Some(Overlay::Help { scroll }) => help::render(frame, state, *scroll),
        Some(Overlay::AuthorPicker { filter, index }) => popup::author_picker(frame, state, filter, *index),
        Some(Overlay::ConfirmQuit) => popup::confirm_quit(frame, state),
        Some(Overlay::ConfirmRetract(id)) => popup::confirm_retract(frame, state, *id),
        Some(Overlay::ThemeKey) => popup::theme_key(frame, state),
        Some(Overlay::VoteSetup { dots, cap, by_org, hidden, top, joiners }) => {
            vote::setup(frame, state, (*dots, *cap), (*by_org, *hidden, *joiners), *top)
        }
        Some(Overlay::ConfirmCloseVote) => vote::confirm_close(frame, state),
        Some(Overlay::VoterSearch { filter }) => vote::voter_search(frame, state, filter),
        Some(Overlay::Joiners { index }) => popup::joiners(frame, state, *index),
        Some(Overlay::History { index }) => popup::history(frame, state, *index),
        Some(Overlay::ConfirmReplan) => popup::confirm_replan(frame, state),
        Some(Overlay::ConfirmMoveLead { id, room }) => popup::confirm_move_lead(frame, state, id, *room),
        Some(Overlay::Broadcast { text, bell }) => broadcast::prompt(frame, state, text, *bell),
        Some(Overlay::Rebalance(proposal)) => agenda::rebalance_popup(frame, state, proposal),
        None => {}
    }
    Drawn { feed: Viewport { columns: areas.feed.width, rows: areas.feed.height.saturating_sub(1) } }
}
