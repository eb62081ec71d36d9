//! The terminal: checked before anything is opened, set up once, and restored by one guard on
//! a normal return, an error, a panic or a signal alike.

use std::io::{stdout, IsTerminal};
use std::sync::Once;

use anyhow::Context;
use crossterm::event::{DisableBracketedPaste, EnableBracketedPaste};
use crossterm::execute;
use ratatui::DefaultTerminal;

/// Refuse, in one line, to start a console without a terminal on both ends. Called before a
/// session is opened, so a refusal touches no file.
pub fn require_terminal() -> anyhow::Result<()> {
    if std::io::stdin().is_terminal() && stdout().is_terminal() {
        Ok(())
    } else {
        anyhow::bail!(
            "the console needs an interactive terminal (standard input and output are not one); \
             nothing was opened — for a summary without a terminal use `convene check FILE`"
        )
    }
}

/// The terminal in raw mode on the alternate screen with bracketed paste; dropping it restores
/// the terminal as it was.
pub struct TerminalGuard {
    /// The ratatui terminal to draw on.
    pub terminal: DefaultTerminal,
}

static PANIC_HOOK: Once = Once::new();

impl TerminalGuard {
    /// Take over the terminal.
    pub fn enter() -> anyhow::Result<TerminalGuard> {
        require_terminal()?;
        PANIC_HOOK.call_once(|| {
            let previous = std::panic::take_hook();
            std::panic::set_hook(Box::new(move |info| {
                // Restore first, so the report is readable and the shell usable.
                restore();
                previous(info);
            }));
        });
        let terminal = ratatui::try_init().context("setting up the terminal")?;
        let guard = TerminalGuard { terminal };
        execute!(stdout(), EnableBracketedPaste).context("setting up the terminal")?;
        Ok(guard)
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore();
    }
}

/// Leave raw mode and the alternate screen; harmless when already restored.
fn restore() {
    let _ = execute!(stdout(), DisableBracketedPaste);
    ratatui::restore();
}

/// Put `text` on the clipboard of the terminal the user sits at, with OSC 52: it travels
/// through SSH and tmux (with `set-clipboard on`), where no local clipboard tool would.
pub fn copy_to_clipboard(text: &str) {
    use base64::Engine;
    use std::io::Write;
    let encoded = base64::engine::general_purpose::STANDARD.encode(text);
    let mut out = stdout();
    let _ = write!(out, "\x1b]52;c;{encoded}\x07").and_then(|()| out.flush());
}
