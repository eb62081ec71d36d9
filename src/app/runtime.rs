//! The runtime: terminal setup and teardown, the tokio event loop, and the writer thread
//! that makes events durable. `update` decides; this only carries out.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::mpsc as std_mpsc;
use std::time::{Duration, Instant};

use anyhow::Context;
use chrono::{DateTime, Utc};
use tokio::sync::mpsc;

use super::{new_capture, update, Action, AppState, Clock, Effect, Hosting, Seat, Severity, SystemClock};
use crate::console;
use crate::model::Stamped;
use crate::net::{Host, HostConfig, HostNews, Outcome};
use crate::store::{
    earlier_in_series, open_for_writing, rooms_history, Draft, HostLog, SessionLock, SessionWriter,
    StoreError,
};
use crate::ui;

/// Rewrite the whole file after this many journal entries...
const COMPACT_AFTER_EVENTS: usize = 500;
/// ...or this long after the first entry since the last rewrite.
const COMPACT_AFTER: Duration = Duration::from_secs(60);

/// How to let terminals join a live session.
#[derive(Debug, Clone)]
pub struct HostOptions {
    /// Where to listen (loopback unless asked otherwise).
    pub listen: SocketAddr,
    /// The token joiners must present.
    pub token: String,
}

/// Open a session for writing and run the live console on it until the user quits.
pub fn run_console(path: &Path) -> anyhow::Result<()> {
    run_live(path, None)
}

/// Run the live console and let terminals join it over the network.
pub fn run_host(path: &Path, options: HostOptions) -> anyhow::Result<()> {
    run_live(path, Some(options))
}

/// A session opened for writing, before anything runs.
struct Opened {
    state: AppState,
    lock: SessionLock,
    writer: SessionWriter,
    events: Vec<Stamped>,
    draft: Draft,
}

fn open_live(path: &Path, clock: &dyn Clock) -> anyhow::Result<Opened> {
    let (loaded, lock, writer) = open_for_writing(path)?;
    let mut state = AppState::new(path.to_path_buf(), loaded.file.plan.clone(), loaded.state, clock.now());
    state.utc_offset = super::state::screen_offset(&state.plan, clock.now());
    let (earlier, problems) = earlier_in_series(path, &state.plan);
    state.rooms.history = rooms_history(&earlier);
    if let Some(problem) = problems.first() {
        state.message = Some((format!("rooms history incomplete: {problem}"), Severity::Warning));
    }
    let draft = Draft::for_session(path);
    if let Some(text) = draft.restorable(&state.session) {
        state.bar.text = new_capture(&text);
        state.message = Some(("restored the unsent text you were typing".into(), Severity::Warning));
    }
    if let Some(report) = loaded.recovery.message() {
        state.message = Some((report, Severity::Warning));
    }
    Ok(Opened { state, lock, writer, events: loaded.file.events, draft })
}

/// Start serving joiners: the hosting state goes into `state`, the news comes on the channel.
async fn start_host(
    opened: &mut Opened,
    options: &HostOptions,
    to_app: mpsc::UnboundedSender<Action>,
) -> anyhow::Result<Host> {
    let path = &opened.state.path;
    let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let config = HostConfig {
        token: options.token.clone(),
        session: format!("{} ({file_name})", opened.state.plan.title),
        plan: opened.state.plan.clone(),
        keys: crate::store::JoinerKeys::open(path)?,
    };
    let (to_live, mut news) = mpsc::unbounded_channel();
    // The hub speaks of the network only; its news reaches the console as actions.
    tokio::spawn(async move {
        while let Some(news) = news.recv().await {
            if to_app.send(Action::Host(news)).is_err() {
                break;
            }
        }
    });
    let host = Host::start(options.listen, config, &opened.events, to_live)
        .await
        .with_context(|| format!("listening on {} for joiners", options.listen))?;
    let mut seen = std::collections::HashMap::new();
    for origin in opened.events.iter().filter_map(|e| e.origin.as_ref()) {
        let highest: &mut u64 = seen.entry(origin.client.clone()).or_default();
        *highest = (*highest).max(origin.seq);
    }
    let shown = if host.address.ip().is_unspecified() {
        format!("<this machine's address>:{}", host.address.port())
    } else {
        host.address.to_string()
    };
    let join_command = crate::net::join_command(&shown, &options.token);
    opened.state.seat = Seat::Hosting(Hosting { join_command, peers: Vec::new(), seen, token_shown: false });
    Ok(host)
}

fn run_live(path: &Path, options: Option<HostOptions>) -> anyhow::Result<()> {
    // Refused before the session is opened, so a console without a terminal touches nothing.
    console::require_terminal()?;
    let clock = SystemClock;
    let mut opened = open_live(path, &clock)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the event loop")?;
    let (to_app, news) = mpsc::unbounded_channel();
    let host = match &options {
        Some(options) => {
            let host = runtime.block_on(start_host(&mut opened, options, to_app.clone()))?;
            // Said before the screen takes over, and kept under F8.
            let join = opened.state.seat.hosting().map(|h| h.join_command.clone()).unwrap_or_default();
            eprintln!("convene: hosting on {}. Joiners run:\n  {join}", host.address);
            if !host.address.ip().is_loopback() {
                eprintln!(
                    "convene: warning: {} is reachable from the network and the connection is not encrypted; prefer an SSH tunnel (see README)",
                    host.address
                );
            }
            Some(host)
        }
        None => None,
    };
    let Opened { state, lock, writer, draft, .. } = opened;
    let mut live = Live::new(state, writer, draft, host, to_app);
    let ending = {
        let mut guard = console::TerminalGuard::enter()?;
        runtime.block_on(console::run(&mut live, news, console::Screen::Terminal(&mut guard), &clock))
    };
    // Whatever ended the loop, joiners are told the session is over (so they stop
    // reconnecting), and everything recorded is written and the file compacted.
    if let Some(host) = &live.host {
        runtime.block_on(host.close_all(std::time::Duration::from_millis(500)));
    }
    let saved = live.finish();
    drop(lock);
    let ending = ending?;
    saved?;
    if let console::Ending::Signal(name) = ending {
        eprintln!("convene: ended by {name}; everything captured is saved in {}", path.display());
    }
    Ok(())
}

/// Work for the writer thread.
enum Job {
    Append(Stamped),
    Draft(String),
    Shutdown(std_mpsc::Sender<Result<(), StoreError>>),
}

/// What joiners are owed, in log order: events wait until they are on disk, answers until
/// everything recorded before them is.
enum Owed {
    Event(Stamped),
    Answer(String, u64, Outcome),
}

/// The live seat (solo or hosting): state, the writer it persists through, the joiners it
/// serves, and the background jobs it runs.
struct Live {
    state: AppState,
    jobs: std_mpsc::Sender<Job>,
    host: Option<Host>,
    owed: VecDeque<Owed>,
    log: HostLog,
    work: super::jobs::Jobs,
    finished: bool,
    /// The bell and copies, for the shell to write to the terminal.
    output: Vec<console::Output>,
}

impl Live {
    fn new(
        state: AppState,
        writer: SessionWriter,
        draft: Draft,
        host: Option<Host>,
        to_app: mpsc::UnboundedSender<Action>,
    ) -> Live {
        let jobs = spawn_writer(writer, draft, to_app.clone());
        let log = HostLog::for_session(&state.path);
        let work = super::jobs::Jobs::new(to_app);
        Live { state, jobs, host, owed: VecDeque::new(), log, work, finished: false, output: Vec::new() }
    }

    /// Write everything recorded and compact the file; once, whatever ended the loop.
    fn finish(&mut self) -> anyhow::Result<()> {
        if std::mem::replace(&mut self.finished, true) {
            return Ok(());
        }
        self.work.cancel_all();
        shut_down(&self.jobs)
    }

    /// Run one action through `update` and carry out the effects; true once it is time to quit.
    fn step(&mut self, action: Action, now: DateTime<Utc>) -> anyhow::Result<bool> {
        let mut queue = VecDeque::from([action]);
        while let Some(action) = queue.pop_front() {
            if let Action::Host(HostNews::Refused(what)) = &action {
                // Kept beyond the status line, so attempts to get in can be looked at afterwards.
                if let Err(error) = self.log.append(now, what) {
                    queue.push_back(Action::Notice(error.to_string()));
                }
            }
            for effect in update(&mut self.state, action, now) {
                match effect {
                    Effect::Persist(event) => {
                        if self.host.is_some() {
                            self.owed.push_back(Owed::Event(event.clone()));
                        }
                        send(&self.jobs, Job::Append(event))?;
                    }
                    Effect::SaveDraft(text) => send(&self.jobs, Job::Draft(text))?,
                    Effect::Bell => self.output.push(console::Output::Bell),
                    Effect::Quit => return Ok(true),
                    Effect::Answer { client, seq, outcome } => {
                        self.owed.push_back(Owed::Answer(client, seq, outcome))
                    }
                    Effect::Disconnect(connection) => {
                        if let Some(host) = &self.host {
                            host.disconnect(connection, "disconnected by the facilitator");
                        }
                    }
                    Effect::PlanRooms(request) => self.work.plan_rooms(*request),
                    Effect::CancelPlanning => self.work.cancel_all(),
                    Effect::TakeBestPlan => self.work.take_best(),
                    Effect::Copy(text) => self.output.push(console::Output::Copy(text)),
                    Effect::WakeIn(after) => self.work.wake_in(after),
                    // Only a joined console submits; this one records.
                    Effect::Submit(..) => {}
                }
            }
        }
        self.release();
        Ok(false)
    }

    /// Pass joiners what is now durable, in order; nothing reaches them that a crash could undo.
    fn release(&mut self) {
        let Some(host) = &self.host else {
            return;
        };
        let durable = self.state.disk.durable_seq;
        let mut events = Vec::new();
        while let Some(owed) = self.owed.front() {
            match owed {
                Owed::Event(event) if event.seq > durable => break,
                _ => {}
            }
            match self.owed.pop_front() {
                Some(Owed::Event(event)) => events.push(event),
                Some(Owed::Answer(client, seq, outcome)) => {
                    host.publish(&std::mem::take(&mut events));
                    host.answer(&client, seq, outcome);
                }
                None => break,
            }
        }
        host.publish(&events);
    }
}

impl console::Seat for Live {
    type News = Action;

    fn draw(&mut self, frame: &mut ratatui::Frame) {
        // The feed's size is what keys go by, so it is kept from the frame that showed it (as a
        // ratatui stateful widget keeps its offset); nothing else in the state changes here.
        self.state.feed.viewport = ui::render(frame, &self.state).feed;
    }

    fn handle(&mut self, input: console::Input<Action>, now: DateTime<Utc>) -> anyhow::Result<console::Flow> {
        Ok(if self.step(Action::from(input), now)? { console::Flow::Quit } else { console::Flow::Continue })
    }

    fn take_output(&mut self) -> Vec<console::Output> {
        std::mem::take(&mut self.output)
    }
}

/// A host without a screen, for tests and benchmarks of the network path: the same seat, shell,
/// writer and hub as `convene host`, driven only by joiners and the clock.
pub struct HeadlessHost {
    /// Where it listens.
    pub address: SocketAddr,
    /// The token it expects.
    pub token: String,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<anyhow::Result<()>>>,
}

/// Open `path` for writing and serve joiners on `options.listen` from a thread of its own.
pub fn serve_headless(path: &Path, options: HostOptions) -> anyhow::Result<HeadlessHost> {
    let (ready_tx, ready) = std_mpsc::channel();
    let (stop, stopped) = tokio::sync::oneshot::channel();
    let path = path.to_path_buf();
    let token = options.token.clone();
    let thread = std::thread::spawn(move || -> anyhow::Result<()> {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
        runtime.block_on(async move {
            let clock = SystemClock;
            let (to_app, news) = mpsc::unbounded_channel();
            let started = async {
                let mut opened = open_live(&path, &clock)?;
                let host = start_host(&mut opened, &options, to_app.clone()).await?;
                anyhow::Ok((opened, host))
            }
            .await;
            let (opened, host) = match started {
                Ok(started) => started,
                Err(error) => {
                    let message = format!("{error:#}");
                    let _ = ready_tx.send(Err(error));
                    anyhow::bail!(message);
                }
            };
            let _ = ready_tx.send(Ok(host.address));
            let Opened { state, lock, writer, draft, .. } = opened;
            let mut live = Live::new(state, writer, draft, Some(host), to_app);
            let ended = console::run(&mut live, news, console::Screen::Headless(stopped), &clock).await;
            let saved = live.finish();
            drop(lock);
            ended?;
            saved
        })
    });
    let address = ready.recv().context("the host thread stopped before listening")??;
    Ok(HeadlessHost { address, token, stop: Some(stop), thread: Some(thread) })
}

impl HeadlessHost {
    /// Stop serving, write the file, and wait for it.
    pub fn stop(mut self) -> anyhow::Result<()> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        match self.thread.take().map(std::thread::JoinHandle::join) {
            Some(Ok(result)) => result,
            Some(Err(_)) => anyhow::bail!("the host thread panicked"),
            None => Ok(()),
        }
    }
}

fn send(jobs: &std_mpsc::Sender<Job>, job: Job) -> anyhow::Result<()> {
    jobs.send(job).map_err(|_| {
        anyhow::anyhow!("the writer stopped unexpectedly; events since the last 'saved' are in memory only")
    })
}

/// Ask the writer to write everything and rewrite the file, and wait for it.
fn shut_down(jobs: &std_mpsc::Sender<Job>) -> anyhow::Result<()> {
    let (reply, done) = std_mpsc::channel();
    send(jobs, Job::Shutdown(reply))?;
    done.recv()
        .context("the writer stopped before confirming the final save")?
        .context("the final save failed; the journal still holds every saved event")
}

/// The writer thread: batches appends into one fsync (group commit), rewrites the file now and
/// then, keeps the draft, and retries failed writes rather than dropping events.
fn spawn_writer(
    mut writer: SessionWriter,
    draft: Draft,
    to_app: mpsc::UnboundedSender<Action>,
) -> std_mpsc::Sender<Job> {
    let (jobs, queue) = std_mpsc::channel::<Job>();
    std::thread::spawn(move || {
        let mut pending: Vec<Stamped> = Vec::new();
        let mut first_since_compaction: Option<Instant> = None;
        loop {
            let wait = if pending.is_empty() { COMPACT_AFTER } else { Duration::from_secs(1) };
            let mut batch = match queue.recv_timeout(wait) {
                Ok(job) => vec![job],
                Err(std_mpsc::RecvTimeoutError::Timeout) => Vec::new(),
                Err(std_mpsc::RecvTimeoutError::Disconnected) => break,
            };
            batch.extend(queue.try_iter());
            let mut latest_draft = None;
            let mut shutdown = None;
            for job in batch {
                match job {
                    Job::Append(event) => pending.push(event),
                    Job::Draft(text) => latest_draft = Some(text),
                    Job::Shutdown(reply) => shutdown = Some(reply),
                }
            }
            if !pending.is_empty() {
                let up_to = pending.last().map_or(0, |e| e.seq);
                match writer.append(pending.clone()) {
                    Ok(()) => {
                        pending.clear();
                        first_since_compaction.get_or_insert_with(Instant::now);
                        let _ = to_app.send(Action::Persisted(up_to));
                    }
                    Err(error) => {
                        let _ = to_app.send(Action::PersistFailed(error.to_string()));
                    }
                }
            }
            if let Some(text) = latest_draft {
                if let Err(error) = draft.write(&text) {
                    let _ = to_app.send(Action::Notice(format!("could not keep the draft: {error}")));
                }
            }
            if let Some(reply) = shutdown {
                let result = if pending.is_empty() {
                    writer.compact()
                } else {
                    writer.append(std::mem::take(&mut pending)).and_then(|()| writer.compact())
                };
                let _ = reply.send(result);
                return;
            }
            let due = first_since_compaction.is_some_and(|t| t.elapsed() >= COMPACT_AFTER)
                || writer.since_compaction() >= COMPACT_AFTER_EVENTS;
            if due && pending.is_empty() {
                match writer.compact() {
                    Ok(()) => first_since_compaction = None,
                    // The journal still holds everything; say so and try again later.
                    Err(error) => {
                        let _ = to_app.send(Action::Notice(format!(
                            "rewriting the file failed (the journal holds everything): {error}"
                        )));
                    }
                }
            }
        }
    });
    jobs
}
