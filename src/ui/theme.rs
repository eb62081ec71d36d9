//! The one style sheet. Colour always doubles something written, never carries meaning alone.

use ratatui::style::{Color, Modifier, Style};

/// Colours for theme tags, cycled by the theme's position in the plan.
const THEME_COLOURS: [Color; 8] = [
    Color::LightGreen,
    Color::LightRed,
    Color::LightCyan,
    Color::LightYellow,
    Color::LightMagenta,
    Color::LightBlue,
    Color::Green,
    Color::Yellow,
];

/// The tag colour of the theme at `index` in the plan.
pub fn theme_tag(index: Option<usize>) -> Style {
    match index {
        Some(i) => Style::new().fg(THEME_COLOURS[i % THEME_COLOURS.len()]).add_modifier(Modifier::BOLD),
        None => dim(),
    }
}

/// Titles and the header.
pub fn title() -> Style {
    Style::new().add_modifier(Modifier::BOLD)
}

/// The header bar.
pub fn header() -> Style {
    Style::new().fg(Color::Black).bg(Color::Cyan)
}

/// Secondary text: times, ids, hints.
pub fn dim() -> Style {
    Style::new().fg(Color::DarkGray)
}

/// Keys in the context bar and help.
pub fn key() -> Style {
    Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD)
}

/// Who said it.
pub fn author() -> Style {
    Style::new().fg(Color::White).add_modifier(Modifier::BOLD)
}

/// The selected comment.
pub fn selected() -> Style {
    Style::new().add_modifier(Modifier::REVERSED)
}

/// Everything is durable.
pub fn ok() -> Style {
    Style::new().fg(Color::Green).add_modifier(Modifier::BOLD)
}

/// Something needs attention.
pub fn warning() -> Style {
    Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD)
}

/// Something failed.
pub fn error() -> Style {
    Style::new().fg(Color::White).bg(Color::Red).add_modifier(Modifier::BOLD)
}

/// The frame of the focused pane.
pub fn focused_border() -> Style {
    Style::new().fg(Color::Cyan)
}

/// The frame of other panes.
pub fn border() -> Style {
    Style::new().fg(Color::Gray)
}

/// Notes after a comment: yellow while it is still being saved, dim otherwise.
pub fn warning_soft(unsaved: bool) -> Style {
    if unsaved {
        warning()
    } else {
        dim()
    }
}

/// A timer's style for its phase; the phase's symbol and word are always shown beside it.
pub fn phase(phase: crate::model::Phase) -> Style {
    use crate::model::Phase;
    match phase {
        Phase::Running => Style::new().fg(Color::Green).add_modifier(Modifier::BOLD),
        Phase::Warning => warning(),
        Phase::Overrun => error(),
        Phase::Paused => Style::new().fg(Color::Magenta).add_modifier(Modifier::BOLD),
        Phase::Done | Phase::Skipped | Phase::Pending => dim(),
    }
}

/// A notice every room must see (the breakout's "minutes left" note).
pub fn banner() -> Style {
    Style::new().fg(Color::Black).bg(Color::Yellow).add_modifier(Modifier::BOLD)
}
