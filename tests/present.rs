//! The presenter: the screen shared on the call. TestBackend screens of every panel at three
//! sizes on every palette (styles included where they carry meaning), the panel it follows,
//! secrets it never shows, the command line, and a live console and a presenter side by side
//! in two pseudo-terminals on one file.
#![allow(clippy::unwrap_used, clippy::panic)] // a test fails by panicking

mod common;

use common::console::Console;
use common::{cells_of, text};

use std::path::Path;
use std::time::Duration;

use chrono::{DateTime, Utc};
use convene::app::{Panel, PanelChoice, PresentOptions, Presenter};
use convene::model::{ItemKind, Plan, SessionState};
use convene::store::load_read_only;
use convene::ui::theme::Palette;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};
use ratatui::Terminal;

const SIZES: [(u16, u16); 4] = [(80, 24), (120, 36), (200, 60), (250, 70)];
const PALETTES: [Palette; 3] = [Palette::DARK, Palette::LIGHT, Palette::PLAIN];

/// The example session at the first moment `wanted` holds (the time of its last event).
fn example_when(wanted: impl Fn(&Plan, &SessionState) -> bool) -> (Plan, SessionState, DateTime<Utc>) {
    let loaded = load_read_only(Path::new("sessions/example.ron")).expect("the example loads");
    let plan = loaded.file.plan;
    let mut state = SessionState::new(&plan);
    for event in &loaded.file.events {
        state.apply(&plan, event).expect("the example folds");
        if wanted(&plan, &state) {
            return (plan, state, event.at);
        }
    }
    panic!("the example never reaches that moment");
}

fn breakout_running(plan: &Plan, state: &SessionState) -> bool {
    let kind = state.agenda.current.map(|i| plan.agenda[i].kind);
    kind == Some(ItemKind::Breakout) && state.rooms.current().is_some() && state.live.len() > 3
}

fn vote_open_with_dots(_: &Plan, state: &SessionState) -> bool {
    state.voting.open_vote().is_some_and(|v| v.placed > 3)
}

fn the_end(_: &Plan, state: &SessionState) -> bool {
    state.agenda.ended_at.is_some()
}

fn presenter(
    moment: &(Plan, SessionState, DateTime<Utc>),
    panel: PanelChoice,
    palette: Palette,
) -> Presenter {
    let (plan, state, at) = moment.clone();
    let options = PresentOptions { panel, authors: true, palette };
    Presenter::showing(plan, state, options, at + chrono::Duration::seconds(30))
}

fn draw(presenter: &Presenter, (columns, rows): (u16, u16)) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(columns, rows)).unwrap();
    terminal.draw(|frame| convene::ui::present::render(frame, presenter)).unwrap();
    terminal.backend().buffer().clone()
}

/// The screen's words with every run of blanks, line ends and frame lines as one space, so
/// wrapped text reads as one sentence.
fn flowing(buffer: &Buffer) -> String {
    text(buffer).replace(['│', '┌', '┐', '└', '┘', '─'], " ").split_whitespace().collect::<Vec<_>>().join(" ")
}

fn assert_nothing_private(screen: &str, what: &str) {
    for private in ["F1", "help", "token", "TOKEN", ".ron", "sessions/", "saved", "Ctrl"] {
        assert!(!screen.contains(private), "{what}: the shared screen shows {private:?}:\n{screen}");
    }
}

#[test]
fn it_follows_the_session_rooms_then_the_vote_then_the_agenda() {
    let breakout = example_when(breakout_running);
    assert_eq!(presenter(&breakout, PanelChoice::Auto, Palette::DARK).panel(), Panel::Rooms);
    let voting = example_when(vote_open_with_dots);
    assert_eq!(presenter(&voting, PanelChoice::Auto, Palette::DARK).panel(), Panel::Vote);
    let start = example_when(|_, state| state.agenda.started_at.is_some());
    assert_eq!(presenter(&start, PanelChoice::Auto, Palette::DARK).panel(), Panel::AgendaAndComments);
    // Pinned, it stays.
    assert_eq!(presenter(&voting, PanelChoice::Comments, Palette::DARK).panel(), Panel::Comments);
}

#[test]
fn a_vote_that_closes_while_watched_stays_up_until_the_agenda_moves() {
    let open = example_when(vote_open_with_dots);
    let mut watching = presenter(&open, PanelChoice::Auto, Palette::DARK);
    let (plan, mut closed, _) = open.clone();
    let id = closed.voting.open_vote().unwrap().id;
    closed.voting.close(id).unwrap();
    watching.take(convene::app::Reading::Session(Box::new((plan.clone(), closed.clone()))));
    assert_eq!(watching.panel(), Panel::Vote);
    let screen = flowing(&draw(&watching, (80, 24)));
    assert!(screen.contains("closed: the result"), "{screen}");
    let mut moved = closed;
    let next = moved.agenda.next_item().unwrap();
    moved.agenda.start(next, open.2 + chrono::Duration::minutes(1)).unwrap();
    watching.take(convene::app::Reading::Session(Box::new((plan, moved))));
    assert_ne!(watching.panel(), Panel::Vote);
}

#[test]
fn every_panel_at_every_size_on_every_palette_shows_what_the_room_needs_and_nothing_private() {
    let moments = [
        (PanelChoice::Auto, example_when(breakout_running)),
        (PanelChoice::Agenda, example_when(breakout_running)),
        (PanelChoice::Comments, example_when(the_end)),
        (PanelChoice::Rooms, example_when(breakout_running)),
        (PanelChoice::Vote, example_when(the_end)),
    ];
    for (panel, moment) in &moments {
        for size in SIZES {
            for palette in PALETTES {
                let shown = presenter(moment, *panel, palette);
                let buffer = draw(&shown, size);
                let screen = text(&buffer);
                let what = format!("{panel:?} at {size:?} on {palette:?}");
                assert_nothing_private(&screen, &what);
                assert!(screen.contains("Northvale Partnership"), "{what}: no title:\n{screen}");
                let words = flowing(&buffer);
                let (plan, state, _) = moment;
                match shown.panel() {
                    Panel::Rooms => {
                        // Every member of every room is on screen, at 80x24 too.
                        for room in &state.rooms.current().unwrap().rooms {
                            for id in room {
                                let name = convene::view::display_name(plan, id);
                                assert!(words.contains(name), "{what}: {name} is missing:\n{screen}");
                            }
                        }
                    }
                    Panel::Vote => {
                        // Every candidate's whole wording, never cut.
                        let vote = state.voting.latest_vote().unwrap();
                        for id in &vote.rules.candidates {
                            let wording = &state.voting.candidate(*id).unwrap().text;
                            assert!(
                                words.contains(wording.as_str()),
                                "{what}: {wording:?} is cut:\n{screen}"
                            );
                        }
                        let decision = state.voting.decisions.last().unwrap();
                        assert!(words.contains(&decision.question), "{what}: no decision:\n{screen}");
                        assert!(words.contains("PASSED"), "{what}: no result:\n{screen}");
                    }
                    Panel::Comments => {
                        let newest = state.live_comments().last().unwrap();
                        assert!(words.contains(newest.text.as_str()), "{what}: newest missing:\n{screen}");
                    }
                    Panel::Agenda | Panel::AgendaAndComments => {
                        for item in &plan.agenda {
                            let start: String = item.title.chars().take(12).collect();
                            assert!(screen.contains(&start), "{what}: {start:?} missing:\n{screen}");
                        }
                        assert!(screen.contains("planned → actual"), "{what}:\n{screen}");
                    }
                }
            }
        }
    }
}

#[test]
fn a_hidden_tally_shows_every_candidate_and_no_dots_until_the_close() {
    let (plan, mut state, at) = example_when(vote_open_with_dots);
    let id = state.voting.open_vote().unwrap().id;
    state.voting.votes.iter_mut().find(|v| v.id == id).unwrap().rules.hidden = true;
    let moment = (plan.clone(), state.clone(), at);
    for size in SIZES {
        let buffer = draw(&presenter(&moment, PanelChoice::Auto, Palette::DARK), size);
        let words = flowing(&buffer);
        assert!(words.contains("the tally is hidden until the vote closes"), "{words}");
        for candidate in &state.voting.open_vote().unwrap().rules.candidates {
            let wording = &state.voting.candidate(*candidate).unwrap().text;
            assert!(words.contains(wording.as_str()), "{wording:?} missing:\n{}", text(&buffer));
            // No bar and no count beside any candidate (the countdown's big digits are drawn
            // with the same block character, so look at the candidates' own lines).
            let start: String = wording.chars().take(16).collect();
            let screen = text(&buffer);
            let line = screen.lines().find(|l| l.contains(&start)).unwrap();
            assert!(!line.contains('█'), "a hidden tally shows a bar: {line}");
        }
    }
    state.voting.close(id).unwrap();
    let closed = (plan, state, at);
    let buffer = draw(&presenter(&closed, PanelChoice::Vote, Palette::DARK), (80, 24));
    let words = flowing(&buffer);
    assert!(!words.contains("hidden"), "the closed vote's tally is not hidden: {words}");
    let leader = closed.1.voting.latest_vote().unwrap().ranking()[0].candidate;
    let start: String = closed.1.voting.candidate(leader).unwrap().text.chars().take(16).collect();
    let screen = text(&buffer);
    let line = screen.lines().find(|l| l.contains(&start)).unwrap();
    assert!(
        line.contains('█') && line.trim_start().starts_with("1"),
        "the closed vote ranks with bars: {line}"
    );
}

#[test]
fn comments_show_authors_unless_asked_not_to() {
    let moment = example_when(the_end);
    let (plan, state, _) = &moment;
    let newest = state.live_comments().last().unwrap();
    let author = convene::view::display_name(plan, newest.author.as_deref().unwrap()).to_string();
    let mut shown = presenter(&moment, PanelChoice::Comments, Palette::DARK);
    assert!(flowing(&draw(&shown, (80, 24))).contains(&author));
    shown.options.authors = false;
    let screen = flowing(&draw(&shown, (80, 24)));
    assert!(!screen.contains(&author), "{author} shown with --no-authors: {screen}");
    assert!(screen.contains(newest.text.as_str()));
}

#[test]
fn styles_carry_the_state_on_both_themes_and_the_light_one_has_no_light_text_on_its_background() {
    let moment = example_when(breakout_running);
    let (plan, state, _) = &moment;
    let shown = presenter(&moment, PanelChoice::Agenda, Palette::DARK);
    let item = state.agenda.current.unwrap();
    let phase = state.agenda.phase(plan, item, shown.now);
    let word = match phase {
        convene::model::Phase::Running => "NOW",
        convene::model::Phase::Warning => "NEARLY OUT OF TIME",
        convene::model::Phase::Overrun => "OVER TIME",
        other => panic!("unexpected phase {other:?}"),
    };
    let light_colours = convene::ui::theme::FAINT_ON_LIGHT;
    for palette in PALETTES {
        for size in SIZES {
            for panel in [PanelChoice::Agenda, PanelChoice::Comments, PanelChoice::Rooms] {
                let mut shown = presenter(&moment, panel, palette);
                shown.options.palette = palette;
                let buffer = draw(&shown, size);
                let expected = palette.phase(phase);
                for cell in cells_of(&buffer, word) {
                    assert_eq!(cell.fg, expected.fg.unwrap_or(Color::Reset), "{palette:?} {size:?}");
                    assert_eq!(cell.bg, expected.bg.unwrap_or(Color::Reset), "{palette:?} {size:?}");
                    assert!(cell.modifier.contains(Modifier::BOLD), "{palette:?}: the state is bold");
                }
                for cell in buffer.content() {
                    if palette == Palette::PLAIN {
                        assert_eq!((cell.fg, cell.bg), (Color::Reset, Color::Reset), "NO_COLOR has colour");
                    }
                    if palette == Palette::LIGHT && cell.bg == Color::Reset && cell.symbol() != " " {
                        assert!(
                            !light_colours.contains(&cell.fg),
                            "light theme: {:?} text {:?} on the default background",
                            cell.fg,
                            cell.symbol()
                        );
                    }
                }
                // Authors are coloured (and bold) on a colour palette, bold without colour.
                if panel == PanelChoice::Comments {
                    let newest = state.live_comments().last().unwrap();
                    if let Some(author) = newest.author.as_deref() {
                        let name = convene::view::display_name(plan, author);
                        for cell in cells_of(&buffer, name) {
                            assert!(cell.modifier.contains(Modifier::BOLD));
                            assert_eq!(cell.fg, palette.author().fg.unwrap_or(Color::Reset));
                        }
                    }
                }
            }
        }
    }
}

#[test]
fn present_names_a_missing_or_broken_file_before_needing_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nowhere.ron");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_convene"))
        .args(["present", missing.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("nowhere.ron"), "{stderr}");
    let broken = dir.path().join("broken.ron");
    std::fs::write(&broken, "(format: 1, plan: (title: \"x\",\n  nonsense").unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_convene"))
        .args(["present", broken.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("broken.ron:"), "{stderr}");
}

#[test]
fn a_presenter_beside_the_live_console_follows_comments_the_agenda_and_a_vote() {
    let (dir, path) = common::temp_session();
    let file = path.to_str().expect("utf-8 path");
    let mut live = Console::start(&["run", file], dir.path());
    live.wait_for("CAPTURE");
    let mut shown = Console::start(&["present", file], dir.path());
    shown.wait_for("Test session");
    let private = |screen: &str| {
        assert!(!screen.contains(file) && !screen.contains("consult.ron"), "path shown:\n{screen}");
        assert!(!screen.contains("F1 help") && !screen.to_lowercase().contains("token"), "{screen}");
    };
    private(&shown.contents());

    live.send("The presenter shows this comment\r");
    shown.wait_for("The presenter shows this comment");
    private(&shown.contents());

    live.send("\x1b[15~"); // F5 starts the session
    shown.wait_for("NOW");
    private(&shown.contents());

    // A single command key acts after a quiet moment (typing never fires a command), and a
    // confirmation takes Enter after its own quiet moment: the facilitator's pace, not a typist's.
    let settle = || std::thread::sleep(Duration::from_millis(2 * convene::app::QUIET_MS as u64 + 300));
    live.send("\x1bOR"); // F3: priorities
    settle();
    live.send("a");
    settle();
    live.send("Cycle lanes on every main road\r");
    live.send("Night buses to the villages\r");
    live.send("\x1b");
    live.wait_for("Night buses to the villages");
    settle();
    live.send("o");
    settle();
    live.send("\r"); // open with the default rules
    shown.wait_for("open");
    settle();
    live.send("!");
    settle();
    live.send("\r");
    shown.wait_for("closed: the result");
    let screen = shown.contents();
    private(&screen);
    assert!(screen.contains("Cycle lanes on every main road") && screen.contains("Night buses"), "{screen}");

    shown.send("q");
    assert!(shown.wait_exit().success());
    live.send("\x11");
    live.wait_exit();
}

fn console_screen(state: &convene::app::AppState) -> String {
    let mut terminal = Terminal::new(TestBackend::new(100, 30)).unwrap();
    terminal
        .draw(|frame| {
            convene::ui::render(frame, state);
        })
        .unwrap();
    text(terminal.backend().buffer())
}

#[test]
fn the_join_token_is_masked_on_the_console_until_revealed_and_masked_again_on_closing() {
    use common::{console, key, t0};
    use convene::app::{update, Hosting, Seat};
    use crossterm::event::KeyCode;
    let token = "3f9c0123abcd4567";
    let mut state = console();
    state.size = (100, 30);
    state.seat = Seat::Hosting(Hosting {
        join_command: convene::net::join_command("127.0.0.1:7447", token),
        ..Default::default()
    });
    update(&mut state, key(KeyCode::F(8)), t0());
    let screen = console_screen(&state);
    assert!(screen.contains("convene join 127.0.0.1:7447"), "{screen}");
    assert!(!screen.contains(token) && screen.contains("CONVENE_TOKEN=••••••••"), "{screen}");
    // `c` copies the whole join command to the clipboard, token included, without showing it.
    let effects = update(&mut state, key(KeyCode::Char('c')), t0());
    assert!(
        matches!(effects.as_slice(), [convene::app::Effect::Copy(text)] if text.contains(token)),
        "{effects:?}"
    );
    assert!(!console_screen(&state).contains(token), "copying reveals nothing");
    update(&mut state, key(KeyCode::Char('r')), t0());
    assert!(console_screen(&state).contains(token), "r reveals the token");
    update(&mut state, key(KeyCode::Esc), t0());
    update(&mut state, key(KeyCode::F(8)), t0());
    assert!(!console_screen(&state).contains(token), "reopened, the token is masked again");
}
