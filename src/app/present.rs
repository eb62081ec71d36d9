//! The presenter seat: a read-only view of a session made for the shared screen of the call.
//! It takes no lock and writes nothing: a reader thread polls the session file and its journal
//! (reading them again only when their size or time changed) and sends each new fold as news, so
//! the UI loop never touches the disk. It shows what the room needs: no key hints, no file
//! paths, no tokens, no status messages, and never anyone's individual dots.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context;
use chrono::{DateTime, Utc};
use crossterm::event::{KeyCode, KeyEventKind, KeyModifiers};
use tokio::sync::mpsc;

use super::SystemClock;
use crate::console;
use crate::model::{ItemKind, Plan, SessionState, Stamped};
use crate::net::{LinkNews, Watch};
use crate::store::{load_read_only, session_stamp, SessionStamp};
use crate::ui::theme::{Palette, ThemeChoice};

/// How often the reader looks at the file and its journal.
pub const POLL: Duration = Duration::from_millis(300);

/// Which panel the presenter shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PanelChoice {
    /// Follow the session: an open vote or decision, the rooms of a running breakout, else the
    /// agenda with the latest comments.
    #[default]
    Auto,
    /// The agenda with planned and projected times.
    Agenda,
    /// This round's breakout rooms.
    Rooms,
    /// The vote (full wording, tally unless hidden) and the decision.
    Vote,
    /// The latest comments.
    Comments,
}

/// The panel actually drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Panel {
    /// Agenda beside (or above) the latest comments.
    AgendaAndComments,
    /// The agenda alone.
    Agenda,
    /// Breakout rooms.
    Rooms,
    /// Vote and decision.
    Vote,
    /// Comments alone.
    Comments,
}

/// How the presenter was asked to look.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PresentOptions {
    /// Which panel, or follow the session.
    pub panel: PanelChoice,
    /// Show comments' authors.
    pub authors: bool,
    /// Colours.
    pub palette: Palette,
}

impl Default for PresentOptions {
    fn default() -> Self {
        PresentOptions { panel: PanelChoice::Auto, authors: true, palette: Palette::DARK }
    }
}

/// What the reader thread (a file) or the link (a host) sends.
#[derive(Debug)]
pub enum Reading {
    /// The session as the file and journal now hold it.
    Session(Box<(Plan, SessionState)>),
    /// The file could not be read or folded this time (kept private: the screen is shared).
    Unreadable,
    /// The host's plan, on (re)connecting: the log follows from its first event.
    Welcome(Box<Plan>),
    /// The next event of the host's log.
    Event(Box<Stamped>),
    /// The host's clock, so the countdown agrees with the facilitator's.
    HostTime(DateTime<Utc>),
    /// The connection to the host is lost for now (it is tried again by itself).
    Offline,
    /// The host will not have this presenter (wrong token, disconnected by the facilitator).
    Refused(String),
}

impl Reading {
    /// What a presenter makes of the host's news.
    pub fn of_link(news: LinkNews) -> Option<Reading> {
        match news {
            LinkNews::Welcome { plan, .. } => Some(Reading::Welcome(plan)),
            // The welcome already started the log afresh.
            LinkNews::Reset | LinkNews::Answer { .. } => None,
            LinkNews::Event(event) => Some(Reading::Event(event)),
            LinkNews::HostTime(at) => Some(Reading::HostTime(at)),
            LinkNews::Offline(_) => Some(Reading::Offline),
            LinkNews::Refused(reason) => Some(Reading::Refused(reason)),
            LinkNews::Closed => Some(Reading::Refused(crate::net::SESSION_CLOSED.to_string())),
        }
    }
}

/// Everything the presenter knows.
#[derive(Debug)]
pub struct Presenter {
    /// The plan, once the file has been read.
    pub plan: Option<Plan>,
    /// The fold of the log.
    pub session: SessionState,
    /// The clock's latest reading.
    pub now: DateTime<Utc>,
    /// How to look.
    pub options: PresentOptions,
    /// The last reading failed (an edit in progress, a save under way); the last good one stays.
    pub stale: bool,
    /// A vote or decision closed while watched: its result stays up until the agenda moves on
    /// (the agenda position at the close).
    result_until: Option<(Option<usize>, Option<DateTime<Utc>>)>,
    quitting: bool,
    /// The host's clock minus ours (watching a host), so countdowns agree.
    skew: chrono::Duration,
    /// Why the host ended this presenter, to say once the screen is given back.
    pub refused: Option<String>,
}

impl Presenter {
    /// A presenter with nothing read yet.
    pub fn new(options: PresentOptions, now: DateTime<Utc>) -> Presenter {
        Presenter {
            plan: None,
            session: SessionState::default(),
            now,
            options,
            stale: false,
            result_until: None,
            quitting: false,
            skew: chrono::Duration::zero(),
            refused: None,
        }
    }

    /// A presenter showing `session` (tests and snapshots).
    pub fn showing(
        plan: Plan,
        session: SessionState,
        options: PresentOptions,
        now: DateTime<Utc>,
    ) -> Presenter {
        let mut presenter = Presenter::new(options, now);
        presenter.take(Reading::Session(Box::new((plan, session))));
        presenter
    }

    /// Take a reading.
    pub fn take(&mut self, reading: Reading) {
        let was_open = voting_open(&self.session);
        match reading {
            Reading::Session(read) => {
                let (plan, session) = *read;
                self.plan = Some(plan);
                self.session = session;
                self.stale = false;
            }
            Reading::Unreadable | Reading::Offline => self.stale = true,
            Reading::Welcome(plan) => {
                // The whole log follows: a vote seen closing in it is the log's history.
                self.session = SessionState::new(&plan);
                self.plan = Some(*plan);
                self.stale = false;
                return;
            }
            Reading::Event(event) => {
                let Some(plan) = &self.plan else {
                    return;
                };
                // A log the fold refuses is the host's to mend; the last good state stays up.
                if self.session.apply(plan, &event).is_err() {
                    self.stale = true;
                }
            }
            Reading::HostTime(_) => return,
            Reading::Refused(reason) => {
                self.refused = Some(reason);
                self.quitting = true;
                return;
            }
        }
        if was_open && !voting_open(&self.session) {
            self.result_until = Some(agenda_position(&self.session));
        }
    }

    /// The panel to draw now.
    pub fn panel(&self) -> Panel {
        match self.options.panel {
            PanelChoice::Agenda => Panel::Agenda,
            PanelChoice::Rooms => Panel::Rooms,
            PanelChoice::Vote => Panel::Vote,
            PanelChoice::Comments => Panel::Comments,
            PanelChoice::Auto => self.following(),
        }
    }

    /// What is happening: a vote or decision open (or just closed during a voting item), a
    /// breakout running with a round of rooms, or else the agenda and comments.
    fn following(&self) -> Panel {
        let voting = &self.session.voting;
        if voting.open_vote().is_some() || voting.open_decision().is_some() {
            return Panel::Vote;
        }
        let current_kind = self
            .session
            .agenda
            .current
            .and_then(|i| self.plan.as_ref().and_then(|p| p.agenda.get(i)))
            .map(|item| item.kind);
        if self.result_until.is_some_and(|at| at == agenda_position(&self.session)) {
            return Panel::Vote;
        }
        match current_kind {
            Some(ItemKind::Breakout) if self.session.rooms.current().is_some() => Panel::Rooms,
            Some(ItemKind::Voting)
                if voting.latest_vote().is_some() || voting.counted_decisions().next().is_some() =>
            {
                Panel::Vote
            }
            _ => Panel::AgendaAndComments,
        }
    }

    /// Handle one input: only quitting is a key here.
    pub fn on(&mut self, input: console::Input<Reading>, now: DateTime<Utc>) -> console::Flow {
        if let console::Input::News(Reading::HostTime(host_now)) = &input {
            self.skew = *host_now - now;
        }
        self.now = now + self.skew;
        match input {
            console::Input::Key(key) if key.kind != KeyEventKind::Release => {
                let ctrl_q = key.modifiers.contains(KeyModifiers::CONTROL)
                    && matches!(key.code, KeyCode::Char('q') | KeyCode::Char('Q'));
                if ctrl_q || key.code == KeyCode::Char('q') {
                    self.quitting = true;
                }
            }
            console::Input::News(reading) => self.take(reading),
            _ => {}
        }
        if self.quitting {
            console::Flow::Quit
        } else {
            console::Flow::Continue
        }
    }
}

fn voting_open(session: &SessionState) -> bool {
    session.voting.open_vote().is_some() || session.voting.open_decision().is_some()
}

/// Where the agenda stands, to tell when it moves on.
fn agenda_position(session: &SessionState) -> (Option<usize>, Option<DateTime<Utc>>) {
    let current = session.agenda.current;
    (current, current.and_then(|i| session.agenda.items.get(i)).and_then(|t| t.started_at))
}

impl console::Seat for Presenter {
    type News = Reading;

    fn draw(&mut self, frame: &mut ratatui::Frame) {
        crate::ui::present::render(frame, self);
    }

    fn handle(
        &mut self,
        input: console::Input<Reading>,
        now: DateTime<Utc>,
    ) -> anyhow::Result<console::Flow> {
        Ok(self.on(input, now))
    }
}

/// Read the session whenever the file or its journal changed, until the presenter is gone.
fn read_while_wanted(path: PathBuf, news: mpsc::UnboundedSender<Reading>) {
    let mut seen: Option<SessionStamp> = None;
    loop {
        let stamp = session_stamp(&path);
        if seen.as_ref() != Some(&stamp) {
            let reading = match load_read_only(&path) {
                Ok(loaded) => Reading::Session(Box::new((loaded.file.plan, loaded.state))),
                Err(_) => Reading::Unreadable,
            };
            // A failed read is tried again next time even if nothing changed.
            seen = matches!(reading, Reading::Session(_)).then_some(stamp);
            if news.send(reading).is_err() {
                return;
            }
        }
        std::thread::sleep(POLL);
    }
}

/// Choose the palette from the choice and the environment (`COLORFGBG`, `NO_COLOR`).
pub fn palette_from_environment(choice: ThemeChoice) -> Palette {
    let colorfgbg = std::env::var("COLORFGBG").ok();
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    Palette::choose(choice, colorfgbg.as_deref(), no_color)
}

/// Run the presenter on `path` until the user quits.
pub fn run_present(path: &Path, options: PresentOptions) -> anyhow::Result<()> {
    // Read once first, so a missing or broken file is reported (with file, line and column)
    // before anything else and before the screen is taken over.
    let first = load_read_only(path)?;
    console::require_terminal()?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the event loop")?;
    let (sender, news) = mpsc::unbounded_channel();
    let reader_path = path.to_path_buf();
    std::thread::Builder::new()
        .name("present-reader".into())
        .spawn(move || read_while_wanted(reader_path, sender))
        .context("starting the session reader")?;
    let mut presenter = Presenter::showing(first.file.plan, first.state, options, chrono::Utc::now());
    let mut guard = console::TerminalGuard::enter()?;
    runtime.block_on(console::run(
        &mut presenter,
        news,
        console::Screen::Terminal(&mut guard),
        &SystemClock,
    ))?;
    Ok(())
}

/// Watch a hosted session as a read-only presenter until the user quits: the host sends the
/// plan and the log as it does to a joined terminal, records nothing from this connection, and
/// this end has no outbox and writes nothing.
pub fn run_present_remote(address: &str, token: &str, options: PresentOptions) -> anyhow::Result<()> {
    console::require_terminal()?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the event loop")?;
    runtime.block_on(async {
        let (to_presenter, mut link) = mpsc::unbounded_channel();
        let watch = Watch::start(address, token, to_presenter);
        eprintln!("convene: connecting to {address} as a read-only presenter ...");
        // The plan comes with the welcome; a refusal is said plainly before the screen is taken.
        let plan = loop {
            match link.recv().await {
                Some(LinkNews::Welcome { plan, .. }) => break plan,
                Some(LinkNews::Offline(reason)) => {
                    eprintln!("convene: {reason}; trying again (Ctrl+C gives up)")
                }
                Some(LinkNews::Refused(reason)) => {
                    anyhow::bail!("the host refused this presenter: {reason}")
                }
                Some(_) => {}
                None => anyhow::bail!("the connection task stopped"),
            }
        };
        let (to_seat, news) = mpsc::unbounded_channel();
        tokio::spawn(async move {
            while let Some(news) = link.recv().await {
                if let Some(reading) = Reading::of_link(news) {
                    if to_seat.send(reading).is_err() {
                        return;
                    }
                }
            }
        });
        let mut presenter = Presenter::new(options, chrono::Utc::now());
        presenter.take(Reading::Welcome(plan));
        let ended = {
            let mut guard = console::TerminalGuard::enter()?;
            console::run(&mut presenter, news, console::Screen::Terminal(&mut guard), &SystemClock).await
        };
        drop(watch);
        ended?;
        if let Some(reason) = presenter.refused {
            anyhow::bail!("the host ended this presenter: {reason}");
        }
        Ok(())
    })
}
