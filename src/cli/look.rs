//! `--theme` for every screen: the same dark and light palettes the presenter uses, chosen
//! from the flag, the terminal's `COLORFGBG` and `NO_COLOR`.

use crate::app::palette_from_environment;
use crate::ui::theme::{use_palette, Palette, ThemeChoice};

/// How a console looks.
#[derive(Debug, Clone, clap::Args)]
pub(super) struct Look {
    /// Colours for a dark or light terminal background; auto reads COLORFGBG and is dark when
    /// the terminal does not say. NO_COLOR (set and not empty) turns colour off.
    #[arg(long, default_value = "auto", value_parser = ["auto", "dark", "light"])]
    theme: String,
}

impl Look {
    /// The palette the flag and the environment choose.
    pub(super) fn palette(&self) -> Palette {
        palette_from_environment(theme_choice(&self.theme))
    }

    /// Make it the palette of every console screen of this process.
    pub(super) fn apply(&self) {
        use_palette(self.palette());
    }
}

/// `--theme`'s word as a choice (clap has already refused anything else).
pub(super) fn theme_choice(word: &str) -> ThemeChoice {
    match word {
        "dark" => ThemeChoice::Dark,
        "light" => ThemeChoice::Light,
        _ => ThemeChoice::Auto,
    }
}
