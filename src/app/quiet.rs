//! Telling a command from typing. On the command screens (select, agenda, priorities, voting,
//! decision, rooms, check-in) a single printable key is held until a quiet moment passes with
//! no other printable key; a burst of printable keys is text, and goes to the capture bar. So a
//! note-taker who starts typing a comment on the wrong screen records a comment, never a
//! retraction, a dot or a move.

use chrono::{DateTime, Duration, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui_textarea::Input;

use super::state::{AppState, Mode, Severity};

/// How long a single key must stand alone before it acts: longer than the gap between two
/// keys of someone typing at five keys a second, short enough to feel prompt.
pub const QUIET_MS: i64 = 300;

/// The default quiet window.
pub fn quiet() -> Duration {
    Duration::milliseconds(QUIET_MS)
}

/// A printable key held until it proves to stand alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pending {
    /// The key.
    pub key: KeyEvent,
    /// When it arrived.
    pub at: DateTime<Utc>,
    /// The screen it was pressed on; it acts only there.
    pub mode: Mode,
}

/// Whether a key is ordinary text: a character with no modifier but Shift.
pub fn is_printable(key: &KeyEvent) -> bool {
    matches!(key.code, KeyCode::Char(_)) && key.modifiers.difference(KeyModifiers::SHIFT).is_empty()
}

/// Whether printable keys wait for a quiet moment here: a command screen, no window open, not
/// typing a name on the check-in screen, and the guard not switched off.
pub fn guards(state: &AppState) -> bool {
    state.keys.quiet > Duration::zero()
        && state.overlay.is_none()
        && state.checkin.typing.is_none()
        && matches!(
            state.mode,
            Mode::Browse
                | Mode::Agenda
                | Mode::Vote
                | Mode::Casting
                | Mode::Deciding
                | Mode::Rooms
                | Mode::CheckIn
        )
}

/// Whether the held key has stood alone long enough at `now`.
pub fn settled(pending: &Pending, now: DateTime<Utc>, quiet: Duration) -> bool {
    now - pending.at >= quiet
}

/// Typed keys (or pasted text) on a command screen become text in the capture bar.
pub fn to_capture(state: &mut AppState, keys: &[KeyEvent], pasted: Option<&str>) {
    state.mode = Mode::Capture;
    state.feed.selected = None;
    state.feed.bottom = None;
    state.priorities.remove_armed = false;
    for key in keys {
        state.bar.text.input(Input::from(*key));
    }
    if let Some(text) = pasted {
        state.bar.text.insert_str(text);
    }
    state.bar.draft_dirty = true;
    state.message = Some((
        "typed text went to the capture bar (a single key acts after a short pause)".into(),
        Severity::Info,
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn characters_with_shift_are_text_and_chords_are_not() {
        assert!(is_printable(&KeyEvent::new(KeyCode::Char('d'), KeyModifiers::NONE)));
        assert!(is_printable(&KeyEvent::new(KeyCode::Char('D'), KeyModifiers::SHIFT)));
        assert!(!is_printable(&KeyEvent::new(KeyCode::Char('q'), KeyModifiers::CONTROL)));
        assert!(!is_printable(&KeyEvent::new(KeyCode::Char('k'), KeyModifiers::ALT)));
        assert!(!is_printable(&KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)));
    }
}
