//! The terminal: checked before anything is opened, set up once, and restored by one guard on
//! a normal return, an error, a panic or a signal alike.

use std::io::{stdout, IsTerminal, Write};
use std::sync::Once;

use anyhow::Context;
use crossterm::event::{DisableBracketedPaste, EnableBracketedPaste};
use crossterm::execute;
use ratatui::DefaultTerminal;

use super::Output;

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

/// Write what the seat asked for to the terminal: BEL, the one control character convene itself
/// sends, and copies put on the clipboard of the terminal the user sits at with OSC 52, which
/// travels through SSH and tmux (with `set-clipboard on`), where no local clipboard tool would.
pub(super) fn write_output(guard: &mut TerminalGuard, output: &[Output]) -> std::io::Result<()> {
    if output.is_empty() {
        return Ok(());
    }
    let out = guard.terminal.backend_mut();
    for each in output {
        out.write_all(&encode(each))?;
    }
    out.flush()
}

/// The bytes that carry one output to the terminal.
fn encode(output: &Output) -> Vec<u8> {
    use base64::Engine;
    match output {
        Output::Bell => b"\x07".to_vec(),
        Output::Copy(text) => {
            let encoded = base64::engine::general_purpose::STANDARD.encode(text);
            format!("\x1b]52;c;{encoded}\x07").into_bytes()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_copy_goes_out_as_osc_52_and_the_bell_as_bel() {
        assert_eq!(encode(&Output::Bell), b"\x07");
        assert_eq!(encode(&Output::Copy("Room 1: Ann".into())), b"\x1b]52;c;Um9vbSAxOiBBbm4=\x07");
    }
}
