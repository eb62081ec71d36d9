//! The replay console: the live screens over a session rebuilt at any moment, with playback,
//! stepping, jumps between agenda items and votes, and seeking to a time. Read-only: no lock,
//! no writes, so it works while the session is open live elsewhere.

use std::path::{Path, PathBuf};

use anyhow::Context;
use chrono::{DateTime, Duration, NaiveTime, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind};

use super::keymap::{command_for, Command};
use super::state::{AppState, Mode, Overlay, Severity};
use super::SystemClock;
use crate::console;
use crate::model::SessionState;
use crate::replay::{Replay, SPEEDS};
use crate::store::load_read_only;
use crate::ui;

/// Which live screen the replay shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplayView {
    /// The comment feed.
    Feed,
    /// The agenda and its timer.
    Agenda,
    /// Priorities and votes.
    Votes,
    /// Breakout rooms.
    Rooms,
}

/// Everything the replay console knows.
pub struct ReplayApp {
    /// The log and the replayed moment.
    pub replay: Replay,
    /// The screen state the live console would have had; `view.session` is the fold.
    pub view: AppState,
    /// Which screen is shown.
    pub screen: ReplayView,
    /// Playing rather than paused.
    pub playing: bool,
    /// Index into `SPEEDS`.
    pub speed: usize,
    /// Real time of the last tick while playing.
    pub last_tick: Option<DateTime<Utc>>,
    /// A time being typed after `t`.
    pub prompt: Option<String>,
    /// Set once the user leaves.
    pub quitting: bool,
}

impl ReplayApp {
    /// A replay of `file` at its start.
    pub fn new(path: PathBuf, file: crate::model::SessionFile) -> anyhow::Result<ReplayApp> {
        let plan = file.plan.clone();
        let replay = Replay::new(file)
            .with_context(|| format!("{}: the event log is inconsistent", path.display()))?;
        let mut view = AppState::new(path, plan.clone(), SessionState::new(&plan), replay.now);
        view.mode = Mode::Replay;
        Ok(ReplayApp {
            replay,
            view,
            screen: ReplayView::Feed,
            playing: false,
            speed: 0,
            last_tick: None,
            prompt: None,
            quitting: false,
        })
    }

    /// Playback speed as a multiplier.
    pub fn speed(&self) -> u32 {
        SPEEDS[self.speed]
    }

    fn sync(&mut self) {
        self.view.now = self.replay.now;
        self.view.disk.durable_seq = self.view.session.last_seq;
        self.view.feed.bottom = None;
    }

    fn say(&mut self, text: impl Into<String>) {
        self.view.message = Some((text.into(), Severity::Info));
    }
}

/// What the replay console is told.
#[derive(Debug, Clone, PartialEq)]
pub enum ReplayAction {
    /// A key.
    Key(KeyEvent),
    /// The real clock moved (`now` is real time).
    Tick,
    /// The terminal was resized.
    Resize(u16, u16),
}

/// The replay console's pure transition; `now` is the real clock.
pub fn update_replay(app: &mut ReplayApp, action: ReplayAction, now: DateTime<Utc>) {
    match action {
        ReplayAction::Resize(columns, rows) => app.view.size = (columns, rows),
        ReplayAction::Tick => {
            if app.playing {
                let elapsed =
                    app.last_tick.map_or(Duration::zero(), |last| (now - last).max(Duration::zero()));
                let speed = app.speed() as i32;
                app.replay.advance(&mut app.view.session, elapsed * speed);
                if app.replay.at_end() {
                    app.playing = false;
                    app.say("the end of the session");
                }
            }
            app.last_tick = Some(now);
        }
        ReplayAction::Key(key) if key.kind != KeyEventKind::Release => on_key(app, key, now),
        ReplayAction::Key(_) => {}
    }
    app.sync();
}

fn on_key(app: &mut ReplayApp, key: KeyEvent, now: DateTime<Utc>) {
    if app.view.overlay.is_some() {
        app.view.overlay = None;
        return;
    }
    if let Some(typed) = app.prompt.as_mut() {
        match key.code {
            KeyCode::Char(c) if c.is_ascii_digit() || c == ':' => typed.push(c),
            KeyCode::Backspace => {
                typed.pop();
            }
            KeyCode::Enter => {
                let typed = app.prompt.take().unwrap_or_default();
                seek_to_clock(app, &typed);
            }
            _ => app.prompt = None,
        }
        return;
    }
    let Some(command) = command_for(Mode::Replay, &key) else { return };
    let state = &mut app.view.session;
    match command {
        Command::PlayPause => {
            if app.replay.at_end() {
                app.replay.seek(state, 0);
            }
            app.playing = !app.playing;
            app.last_tick = Some(now);
        }
        Command::Faster => app.speed = (app.speed + 1).min(SPEEDS.len() - 1),
        Command::Slower => app.speed = app.speed.saturating_sub(1),
        Command::StepForward | Command::StepBack => {
            app.playing = false;
            app.replay.step(state, command == Command::StepForward);
            let described =
                app.replay.position.checked_sub(1).map(|i| app.replay.events()[i].event.describe());
            app.say(described.unwrap_or_else(|| "the start".into()));
        }
        Command::NextMarker | Command::PrevMarker => {
            let label = app.replay.jump(state, command == Command::NextMarker).map(|m| m.label.clone());
            app.say(label.unwrap_or_else(|| "no more markers that way".into()));
        }
        Command::Top => app.replay.seek(state, 0),
        Command::Bottom => app.replay.seek(state, usize::MAX),
        Command::SeekTime => app.prompt = Some(String::new()),
        Command::NextView => {
            app.screen = match app.screen {
                ReplayView::Feed => ReplayView::Agenda,
                ReplayView::Agenda => ReplayView::Votes,
                ReplayView::Votes => ReplayView::Rooms,
                ReplayView::Rooms => ReplayView::Feed,
            }
        }
        Command::Help => app.view.overlay = Some(Overlay::Help { scroll: 0 }),
        Command::Quit => app.quitting = true,
        _ => {}
    }
}

/// Go to a wall-clock time typed as HH:MM on the session's day.
fn seek_to_clock(app: &mut ReplayApp, typed: &str) {
    let Ok(time) = NaiveTime::parse_from_str(typed, "%H:%M") else {
        return app.say(format!("\"{typed}\" is not a time: type HH:MM, e.g. 14:35"));
    };
    let (first, _) = app.replay.span();
    let day = app.view.local(first).date_naive();
    let target = day.and_time(time).and_local_timezone(app.view.utc_offset).single();
    match target {
        Some(at) => {
            app.replay.seek_time(&mut app.view.session, at.with_timezone(&Utc));
            app.say(format!("at {typed}"));
        }
        None => app.say("that time does not exist on the session's day"),
    }
}

/// Open a session read-only and run the replay console until the user leaves.
pub fn run_replay(path: &Path) -> anyhow::Result<()> {
    console::require_terminal()?;
    let loaded = load_read_only(path)?;
    let mut app = ReplayApp::new(path.to_path_buf(), loaded.file)?;
    app.view.utc_offset = super::state::screen_offset(&app.view.plan, chrono::Utc::now());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the event loop")?;
    let mut guard = console::TerminalGuard::enter()?;
    // Replay has no news of its own: the channel's sender is dropped at once.
    let (_, news) = tokio::sync::mpsc::unbounded_channel();
    runtime.block_on(console::run(&mut app, news, console::Screen::Terminal(&mut guard), &SystemClock))?;
    Ok(())
}

impl console::Seat for ReplayApp {
    type News = ();

    fn draw(&mut self, frame: &mut ratatui::Frame) {
        ui::timeline::render_replay(frame, self);
    }

    fn handle(&mut self, input: console::Input<()>, now: DateTime<Utc>) -> anyhow::Result<console::Flow> {
        let action = match input {
            console::Input::Key(key) => ReplayAction::Key(key),
            console::Input::Resize(columns, rows) => ReplayAction::Resize(columns, rows),
            console::Input::Tick => ReplayAction::Tick,
            console::Input::Paste(_) | console::Input::News(()) => return Ok(console::Flow::Continue),
        };
        update_replay(self, action, now);
        Ok(if self.quitting { console::Flow::Quit } else { console::Flow::Continue })
    }
}
