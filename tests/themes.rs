//! The console on dark and light terminals and without colour (`--theme`, `NO_COLOR`): style
//! snapshots (every cell's colours and weight, not only its text) of the main screen and the
//! agenda, and the promises behind them: no white or light text on a light terminal's own
//! background, no colour at all under NO_COLOR, authors and states still marked.
#![allow(clippy::unwrap_used, clippy::panic)] // a test fails by panicking

mod common;

use chrono::{DateTime, Duration, Utc};
use common::*;
use convene::app::{update, Action, AppState};
use convene::ui::theme::{with_palette, Palette};
use crossterm::event::KeyCode;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier, Style};
use ratatui::Terminal;

const PALETTES: [(&str, Palette); 3] =
    [("dark", Palette::DARK), ("light", Palette::LIGHT), ("plain", Palette::PLAIN)];

/// Colours that do not read as text on a white or light grey background.
const LIGHT_COLOURS: [Color; 10] = {
    let f = convene::ui::theme::FAINT_ON_LIGHT;
    [Color::Cyan, f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8]]
};

fn at(seconds: i64) -> DateTime<Utc> {
    t0() + Duration::seconds(seconds)
}

fn draw(state: &mut AppState, palette: Palette, (columns, rows): (u16, u16)) -> Buffer {
    update(state, Action::Resize(columns, rows), state.now);
    let mut terminal = Terminal::new(TestBackend::new(columns, rows)).unwrap();
    with_palette(palette, || {
        terminal
            .draw(|frame| {
                convene::ui::render(frame, state);
            })
            .unwrap()
    });
    terminal.backend().buffer().clone()
}

/// The screen, then one letter per cell for its style, then what each letter means: a change
/// of colour or weight anywhere shows in the snapshot's diff.
fn styled(buffer: &Buffer) -> String {
    let mut legend: Vec<(Style, char)> = Vec::new();
    let letters: Vec<char> = ('a'..='z').chain('A'..='Z').collect();
    let width = buffer.area.width as usize;
    let mut grid = String::new();
    for row in buffer.content().chunks(width) {
        for cell in row {
            let style = Style::new().fg(cell.fg).bg(cell.bg).add_modifier(cell.modifier);
            let plain = cell.fg == Color::Reset && cell.bg == Color::Reset && cell.modifier.is_empty();
            let letter = if plain {
                '.'
            } else if let Some((_, l)) = legend.iter().find(|(s, _)| *s == style) {
                *l
            } else {
                let l = letters[legend.len() % letters.len()];
                legend.push((style, l));
                l
            };
            grid.push(letter);
        }
        grid.push('\n');
    }
    let legend: Vec<String> = legend
        .iter()
        .map(|(style, l)| {
            format!("{l}: fg {:?}, bg {:?}, {:?}", style.fg.unwrap(), style.bg.unwrap(), style.add_modifier)
        })
        .collect();
    format!("{}\n\n{grid}\n. plain\n{}\n", text(buffer), legend.join("\n"))
}

/// Mid-session: tagged comments by named people, one not yet on disk, text being typed.
fn busy_console() -> AppState {
    let mut state = console();
    update(&mut state, key(KeyCode::F(5)), t0());
    let lines = [
        ('s', '1', Some("partner1"), "Long history of joint working with the voluntary sector"),
        ('w', '1', Some("partner2"), "Data sharing agreements take months"),
        ('o', '2', None, "A shared prevention budget could fund community navigators"),
        ('t', '3', Some("lead1"), "Funding cliff in 2027 when the grant ends"),
        ('p', '0', Some("partner3"), "Devolution changes who holds the commissioning budget"),
    ];
    for (theme, room, author, text) in lines {
        update(&mut state, alt(theme), t0());
        update(&mut state, alt(room), t0());
        state.bar.tags.author = author.map(str::to_string);
        commit(&mut state, text);
    }
    persist_all(&mut state);
    commit(&mut state, "Not yet durable: waiting for the disk");
    type_text(&mut state, "Half-typed thought");
    state
}

/// The agenda screen with the first item two minutes over.
fn overrunning_agenda() -> AppState {
    let mut state = console();
    update(&mut state, key(KeyCode::F(5)), at(0));
    persist_all(&mut state);
    update(&mut state, ctrl('g'), at(12 * 60));
    update(&mut state, Action::Tick, at(12 * 60));
    state
}

#[test]
fn style_snapshots_of_the_main_screen_and_the_agenda_on_both_themes() {
    for (name, palette) in &PALETTES[..2] {
        let mut busy = busy_console();
        insta::assert_snapshot!(
            format!("main_screen_{name}_80x24"),
            styled(&draw(&mut busy, *palette, (80, 24)))
        );
        let mut agenda = overrunning_agenda();
        insta::assert_snapshot!(
            format!("agenda_overrun_{name}_80x24"),
            styled(&draw(&mut agenda, *palette, (80, 24)))
        );
    }
}

/// A way to bring the console to one of its screens.
type Screen = fn() -> AppState;

fn rebalance_proposed() -> AppState {
    let mut state = overrunning_agenda();
    update(&mut state, key(KeyCode::Char('R')), at(12 * 60));
    state
}

fn help_open() -> AppState {
    let mut state = console();
    update(&mut state, key(KeyCode::F(1)), t0());
    state
}

#[test]
fn light_text_never_sits_on_a_light_terminals_own_background_and_no_color_means_none() {
    let screens: [(&str, Screen); 4] = [
        ("main", busy_console),
        ("agenda", overrunning_agenda),
        ("rebalance", rebalance_proposed),
        ("help", help_open),
    ];
    for (what, make) in &screens {
        for size in [(80, 24), (160, 48)] {
            for (name, palette) in PALETTES {
                let mut state = make();
                let buffer = draw(&mut state, palette, size);
                for cell in buffer.content() {
                    if palette == Palette::PLAIN {
                        assert_eq!(
                            (cell.fg, cell.bg),
                            (Color::Reset, Color::Reset),
                            "{what} {size:?}: NO_COLOR"
                        );
                    }
                    if palette == Palette::LIGHT && cell.bg == Color::Reset && cell.symbol().trim() != "" {
                        assert!(
                            !LIGHT_COLOURS.contains(&cell.fg),
                            "{what} {size:?} {name}: {:?} text {:?} on the default background",
                            cell.fg,
                            cell.symbol()
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn authors_and_the_overrun_stay_marked_on_every_palette() {
    for (name, palette) in PALETTES {
        let mut busy = busy_console();
        let buffer = draw(&mut busy, palette, (80, 24));
        let expected_fg = match name {
            "dark" => Color::White,
            "light" => Color::Blue,
            _ => Color::Reset,
        };
        for cell in cells_of(&buffer, "Partner three") {
            assert!(cell.modifier.contains(Modifier::BOLD), "{name}: authors are bold");
            assert_eq!(cell.fg, expected_fg, "{name}");
        }
        let mut agenda = overrunning_agenda();
        let buffer = draw(&mut agenda, palette, (80, 24));
        for cell in cells_of(&buffer, "OVERRUN") {
            assert!(cell.modifier.contains(Modifier::BOLD), "{name}: the overrun is bold");
            match name {
                "plain" => {
                    assert!(cell.modifier.contains(Modifier::REVERSED), "without colour: reverse video")
                }
                _ => assert_eq!((cell.fg, cell.bg), (Color::White, Color::Red), "{name}"),
            }
        }
    }
}

#[test]
fn theme_is_taken_by_every_console_command_and_refuses_other_words() {
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_convene")).args(args).output().unwrap()
    };
    for command in ["run", "host", "join", "replay", "demo", "present"] {
        let help = run(&[command, "--help"]);
        let help = String::from_utf8_lossy(&help.stdout);
        assert!(help.contains("--theme") && help.contains("NO_COLOR"), "{command}: {help}");
    }
    let refused = run(&["replay", "sessions/example.ron", "--theme", "purple"]);
    assert!(!refused.status.success());
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(said.contains("purple") && said.contains("dark") && said.contains("light"), "{said}");
}

/// Environment variables for a run.
type Env<'a> = &'a [(&'a str, &'a str)];

/// The real binary in a pseudo-terminal: `--theme light` and `NO_COLOR` reach the screen.
#[test]
fn the_console_draws_the_chosen_palette_in_a_real_terminal() {
    use common::console::Console;
    let dir = tempfile::tempdir().unwrap();
    let example = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sessions/example.ron");
    std::fs::copy(example, dir.path().join("consult.ron")).unwrap();
    let cases: [(&[&str], Env); 4] = [
        (&["run", "consult.ron", "--theme", "dark"], &[("COLORFGBG", "0;15")]),
        (&["run", "consult.ron", "--theme", "light"], &[("COLORFGBG", "15;0")]),
        (&["run", "consult.ron"], &[("COLORFGBG", "0;15")]),
        (&["run", "consult.ron", "--theme", "light"], &[("NO_COLOR", "1")]),
    ];
    for (args, env) in cases {
        let mut console = Console::start_with(args, env, dir.path(), (30, 100));
        console.wait_for("Northvale");
        console.wait_for("✓ saved");
        let cells: Vec<vt100::Cell> = {
            let parser = console.screen.lock().unwrap();
            let screen = parser.screen();
            (0..30).flat_map(|row| (0..100).filter_map(move |col| screen.cell(row, col).cloned())).collect()
        };
        console.send("\x11");
        assert!(console.wait_exit().success());
        let written: Vec<&vt100::Cell> = cells.iter().filter(|c| !c.contents().trim().is_empty()).collect();
        if env.iter().any(|(k, _)| *k == "NO_COLOR") {
            assert!(
                cells
                    .iter()
                    .all(|c| c.fgcolor() == vt100::Color::Default && c.bgcolor() == vt100::Color::Default),
                "NO_COLOR: no colour anywhere"
            );
            assert!(written.iter().any(|c| c.inverse()), "the header is in reverse video");
            continue;
        }
        if args.contains(&"dark") {
            // Dark, whatever the terminal says: authors in bold white, as before.
            let white = written.iter().any(|c| matches!(c.fgcolor(), vt100::Color::Idx(7 | 15)) && c.bold());
            assert!(white, "dark: bold white authors");
            continue;
        }
        // Light: authors and keys in blue, and nothing white, grey, yellow or bright on the
        // terminal's own background (asked for by the flag, or by COLORFGBG under auto).
        assert!(written.iter().any(|c| c.fgcolor() == vt100::Color::Idx(4) && c.bold()), "{args:?}: blue");
        for cell in written.iter().filter(|c| c.bgcolor() == vt100::Color::Default) {
            if let vt100::Color::Idx(i) = cell.fgcolor() {
                assert!(
                    !(i == 3 || i == 7 || (9..=15).contains(&i)),
                    "{args:?}: colour {i} on the background"
                );
            }
        }
    }
}
