//! The one style sheet. Colour always doubles something written, never carries meaning alone.
//! Two palettes, for dark and light backgrounds, and none at all under `NO_COLOR`: the console's
//! screens read the process's choice (`use_palette`, from `--theme`), the presenter passes its
//! own `Palette`.

use ratatui::style::{Color, Modifier, Style};

use std::cell::Cell;
use std::sync::atomic::{AtomicU8, Ordering};

/// Colours for theme tags on a dark background, cycled by the theme's position in the plan.
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

/// The same on a light background: deep colours only (light ones, yellow and cyan fade into
/// white; blue is for authors there).
const LIGHT_THEME_COLOURS: [Color; 8] = [
    Color::Indexed(28),  // green
    Color::Indexed(124), // red
    Color::Indexed(130), // orange
    Color::Indexed(90),  // magenta
    Color::Indexed(24),  // teal
    Color::Indexed(94),  // brown
    Color::Indexed(22),  // dark green
    Color::Indexed(54),  // purple
];

/// The console's palette for this process, chosen once from `--theme`, `COLORFGBG` and
/// `NO_COLOR` before the screen is drawn (dark until then).
static CONSOLE_PALETTE: AtomicU8 = AtomicU8::new(Palette::DARK.code());

thread_local! {
    /// A palette this thread draws with instead, while `with_palette` runs.
    static DRAWING_WITH: Cell<Option<Palette>> = const { Cell::new(None) };
}

/// Set the palette every console screen of this process draws with.
pub fn use_palette(palette: Palette) {
    CONSOLE_PALETTE.store(palette.code(), Ordering::Relaxed);
}

/// The palette console screens draw with now.
pub fn current() -> Palette {
    DRAWING_WITH
        .with(Cell::get)
        .unwrap_or_else(|| Palette::from_code(CONSOLE_PALETTE.load(Ordering::Relaxed)))
}

/// Draw with `palette` on this thread while `draw` runs (both themes side by side in tests).
pub fn with_palette<T>(palette: Palette, draw: impl FnOnce() -> T) -> T {
    struct Restore(Option<Palette>);
    impl Drop for Restore {
        fn drop(&mut self) {
            DRAWING_WITH.with(|cell| cell.set(self.0));
        }
    }
    let _restore = Restore(DRAWING_WITH.with(|cell| cell.replace(Some(palette))));
    draw()
}

/// `dark` on a dark background, `light` on a light one, and only `style`'s modifiers
/// without colour.
fn painted(style: Style, dark: Color, light: Color) -> Style {
    current().paint(style, dark, light)
}

/// The tag colour of the theme at `index` in the plan.
pub fn theme_tag(index: Option<usize>) -> Style {
    let palette = current();
    match index {
        Some(_) if !palette.colour => Style::new().add_modifier(Modifier::BOLD),
        Some(i) => {
            let colours = if palette.light { &LIGHT_THEME_COLOURS } else { &THEME_COLOURS };
            Style::new().fg(colours[i % colours.len()]).add_modifier(Modifier::BOLD)
        }
        None => dim(),
    }
}

/// Titles and the header.
pub fn title() -> Style {
    Style::new().add_modifier(Modifier::BOLD)
}

/// The header bar: dark text on its own background, reverse video without colour.
pub fn header() -> Style {
    if current().colour {
        Style::new().fg(Color::Black).bg(Color::Cyan)
    } else {
        Style::new().add_modifier(Modifier::REVERSED)
    }
}

/// Secondary text: times, ids, hints.
pub fn dim() -> Style {
    current().dim()
}

/// Keys in the context bar and help.
pub fn key() -> Style {
    painted(Style::new().add_modifier(Modifier::BOLD), Color::Cyan, Color::Blue)
}

/// Who said it (bold white vanishes on a light background: blue there).
pub fn author() -> Style {
    painted(Style::new().add_modifier(Modifier::BOLD), Color::White, Color::Blue)
}

/// The selected comment.
pub fn selected() -> Style {
    Style::new().add_modifier(Modifier::REVERSED)
}

/// Everything is durable.
pub fn ok() -> Style {
    painted(Style::new().add_modifier(Modifier::BOLD), Color::Green, Color::Green)
}

/// Something needs attention (yellow text does not read on white: black on yellow there).
pub fn warning() -> Style {
    current().warning()
}

/// Something failed.
pub fn error() -> Style {
    current().alarm()
}

/// The frame of the focused pane.
pub fn focused_border() -> Style {
    painted(Style::new(), Color::Cyan, Color::Blue)
}

/// The frame of other panes.
pub fn border() -> Style {
    current().border()
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
    let bold = Style::new().add_modifier(Modifier::BOLD);
    match phase {
        Phase::Running => painted(bold, Color::Green, Color::Green),
        Phase::Warning => warning(),
        Phase::Overrun => error(),
        Phase::Paused => painted(bold, Color::Magenta, Color::Magenta),
        Phase::Done | Phase::Skipped | Phase::Pending => dim(),
    }
}

/// A notice every room must see (the breakout's "minutes left" note).
pub fn banner() -> Style {
    current().banner()
}

/// Which palette a screen asks for on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ThemeChoice {
    /// Light text on a dark background.
    Dark,
    /// Dark text on a light background: no bold white, no light colours on the default background.
    Light,
    /// Dark or light from the terminal's `COLORFGBG`, dark when it does not say.
    #[default]
    Auto,
}

/// A palette for screens other people read at a distance (the presenter). Without colour
/// (`NO_COLOR`) every style keeps only its modifiers: meaning is carried by symbols and words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Palette {
    /// The background is light.
    pub light: bool,
    /// Colours may be used.
    pub colour: bool,
}

impl Palette {
    /// Light text on a dark background.
    pub const DARK: Palette = Palette { light: false, colour: true };
    /// Dark text on a light background.
    pub const LIGHT: Palette = Palette { light: true, colour: true };
    /// No colour at all.
    pub const PLAIN: Palette = Palette { light: false, colour: false };

    /// Two bits, so the process-wide choice fits an atomic.
    const fn code(self) -> u8 {
        (self.light as u8) | ((self.colour as u8) << 1)
    }

    const fn from_code(code: u8) -> Palette {
        Palette { light: code & 1 != 0, colour: code & 2 != 0 }
    }

    /// The palette for a choice, the terminal's `COLORFGBG` and whether `NO_COLOR` is set
    /// (read by the caller, so this stays a pure function).
    pub fn choose(choice: ThemeChoice, colorfgbg: Option<&str>, no_color: bool) -> Palette {
        if no_color {
            return Palette::PLAIN;
        }
        let light = match choice {
            ThemeChoice::Dark => false,
            ThemeChoice::Light => true,
            ThemeChoice::Auto => colorfgbg.is_some_and(background_is_light),
        };
        Palette { light, colour: true }
    }

    fn paint(self, style: Style, dark: Color, light: Color) -> Style {
        match (self.colour, self.light) {
            (false, _) => style,
            (true, false) => style.fg(dark),
            (true, true) => style.fg(light),
        }
    }

    /// Titles: bold in the terminal's own foreground, readable on any background.
    pub fn title(self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    /// Secondary text: times, counts, notes.
    pub fn dim(self) -> Style {
        if self.colour {
            Style::new().fg(Color::DarkGray)
        } else {
            Style::new().add_modifier(Modifier::DIM)
        }
    }

    /// Who said it.
    pub fn author(self) -> Style {
        self.paint(Style::new().add_modifier(Modifier::BOLD), Color::LightCyan, Color::Blue)
    }

    /// A theme tag.
    pub fn tag(self) -> Style {
        self.paint(Style::new(), Color::LightGreen, Color::Magenta)
    }

    /// Frames of panels and cards.
    pub fn border(self) -> Style {
        self.paint(Style::new(), Color::Gray, Color::DarkGray)
    }

    /// Something good: a passed decision, the leading candidate.
    pub fn ok(self) -> Style {
        self.paint(Style::new().add_modifier(Modifier::BOLD), Color::LightGreen, Color::Green)
    }

    /// Something needing attention, readable on both backgrounds (yellow text is not, on white).
    pub fn warning(self) -> Style {
        match (self.colour, self.light) {
            (false, _) => Style::new().add_modifier(Modifier::BOLD | Modifier::REVERSED),
            (true, false) => Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
            (true, true) => Style::new().fg(Color::Black).bg(Color::Yellow).add_modifier(Modifier::BOLD),
        }
    }

    /// Time is out, or something failed: on its own background on both palettes.
    pub fn alarm(self) -> Style {
        if self.colour {
            Style::new().fg(Color::White).bg(Color::Red).add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::BOLD | Modifier::REVERSED)
        }
    }

    /// A notice every room must see.
    pub fn banner(self) -> Style {
        if self.colour {
            Style::new().fg(Color::Black).bg(Color::Yellow).add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::BOLD | Modifier::REVERSED)
        }
    }

    /// A timer's style for its phase; the phase's symbol and word are always shown beside it.
    pub fn phase(self, phase: crate::model::Phase) -> Style {
        use crate::model::Phase;
        match phase {
            Phase::Running => self.ok(),
            Phase::Warning => self.warning(),
            Phase::Overrun => self.alarm(),
            Phase::Paused => {
                self.paint(Style::new().add_modifier(Modifier::BOLD), Color::LightMagenta, Color::Magenta)
            }
            Phase::Done | Phase::Skipped | Phase::Pending => self.dim(),
        }
    }
}

/// Whether `COLORFGBG` ("15;0", "0;15", "default;default;0") names a light background: its
/// last field is the background's colour number; 7 (light grey) and 9-15 (bright) are light.
pub fn background_is_light(colorfgbg: &str) -> bool {
    colorfgbg
        .rsplit(';')
        .next()
        .and_then(|bg| bg.trim().parse::<u8>().ok())
        .is_some_and(|bg| bg == 7 || (9..=15).contains(&bg))
}

/// Colours that do not read as text on a white or light grey background: the light palette
/// never writes text in them (checked by its tests and the screens' style tests).
pub const FAINT_ON_LIGHT: [Color; 9] = [
    Color::White,
    Color::Gray,
    Color::LightCyan,
    Color::LightGreen,
    Color::LightYellow,
    Color::Yellow,
    Color::LightMagenta,
    Color::LightBlue,
    Color::LightRed,
];

#[cfg(test)]
mod palette_tests {
    use super::*;

    #[test]
    fn colorfgbg_names_the_background() {
        assert!(!background_is_light("15;0"));
        assert!(background_is_light("0;15"));
        assert!(background_is_light("default;default;7"));
        assert!(!background_is_light("default;default;8"));
        assert!(!background_is_light("nonsense"));
    }

    #[test]
    fn no_color_wins_and_auto_reads_the_terminal() {
        assert_eq!(Palette::choose(ThemeChoice::Light, Some("0;15"), true), Palette::PLAIN);
        assert_eq!(Palette::choose(ThemeChoice::Auto, Some("0;15"), false), Palette::LIGHT);
        assert_eq!(Palette::choose(ThemeChoice::Auto, None, false), Palette::DARK);
        assert_eq!(Palette::choose(ThemeChoice::Dark, Some("0;15"), false), Palette::DARK);
    }

    #[test]
    fn the_light_palette_has_no_white_or_light_text_on_the_default_background() {
        use crate::model::Phase;
        let p = Palette::LIGHT;
        let light = FAINT_ON_LIGHT;
        let phases = [Phase::Running, Phase::Warning, Phase::Overrun, Phase::Paused, Phase::Done];
        let mut styles = vec![
            p.title(),
            p.dim(),
            p.author(),
            p.tag(),
            p.border(),
            p.ok(),
            p.warning(),
            p.alarm(),
            p.banner(),
        ];
        styles.extend(phases.iter().map(|&ph| p.phase(ph)));
        for style in styles {
            if style.bg.is_none() {
                assert!(
                    !style.fg.is_some_and(|fg| light.contains(&fg)),
                    "{style:?} is light text on a light background"
                );
            }
        }
    }
}
