//! The runtime: terminal setup and teardown, the tokio event loop, and the writer thread
//! that makes events durable. `update` decides; this only carries out.

use std::io::{stdout, Write};
use std::path::Path;
use std::sync::mpsc as std_mpsc;
use std::time::{Duration, Instant};

use anyhow::Context;
use chrono::{Local, Offset};
use crossterm::event::{DisableBracketedPaste, EnableBracketedPaste, Event as TermEvent, EventStream};
use crossterm::execute;
use futures::StreamExt;
use ratatui::DefaultTerminal;
use tokio::sync::mpsc;

use super::{new_capture, update, Action, AppState, Clock, Effect, Severity, SystemClock};
use crate::model::Stamped;
use crate::store::{earlier_in_series, open_for_writing, rooms_history, Draft, SessionWriter, StoreError};
use crate::ui;

/// Rewrite the whole file after this many journal entries...
const COMPACT_AFTER_EVENTS: usize = 500;
/// ...or this long after the first entry since the last rewrite.
const COMPACT_AFTER: Duration = Duration::from_secs(60);
/// How often the screen refreshes without input (the clock and timers).
const TICK: Duration = Duration::from_millis(250);

/// Open a session for writing and run the live console on it until the user quits.
pub fn run_console(path: &Path) -> anyhow::Result<()> {
    let (loaded, lock, writer) = open_for_writing(path)?;
    let clock = SystemClock;
    let mut state = AppState::new(path.to_path_buf(), loaded.file.plan.clone(), loaded.state, clock.now());
    state.utc_offset = Local::now().offset().fix();
    let (earlier, problems) = earlier_in_series(path, &state.plan);
    state.series_history = rooms_history(&earlier);
    if let Some(problem) = problems.first() {
        state.message = Some((format!("rooms history incomplete: {problem}"), Severity::Warning));
    }
    let draft = Draft::for_session(path);
    if let Some(text) = draft.read() {
        state.capture = new_capture(&text);
        state.message = Some(("restored the unsent text you were typing".into(), Severity::Warning));
    }
    if let Some(report) = loaded.recovery.message() {
        state.message = Some((report, Severity::Warning));
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the event loop")?;

    let mut terminal = ratatui::init();
    let ratatui_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = execute!(stdout(), DisableBracketedPaste);
        ratatui_hook(info);
    }));
    let _ = execute!(stdout(), EnableBracketedPaste);
    let result = runtime.block_on(event_loop(&mut terminal, state, writer, draft, &clock));
    let _ = execute!(stdout(), DisableBracketedPaste);
    ratatui::restore();
    drop(lock);
    result
}

/// Work for the writer thread.
enum Job {
    Append(Stamped),
    Draft(String),
    Shutdown(std_mpsc::Sender<Result<(), StoreError>>),
}

async fn event_loop(
    terminal: &mut DefaultTerminal,
    mut state: AppState,
    writer: SessionWriter,
    draft: Draft,
    clock: &dyn Clock,
) -> anyhow::Result<()> {
    let (to_app, mut from_writer) = mpsc::unbounded_channel();
    let jobs = spawn_writer(writer, draft, to_app);
    let mut input = EventStream::new();
    let mut tick = tokio::time::interval(TICK);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let size = terminal.size()?;
    state.size = (size.width, size.height);
    loop {
        terminal.draw(|frame| ui::render(frame, &state))?;
        let action = tokio::select! {
            event = input.next() => match event {
                Some(Ok(TermEvent::Key(key))) => Action::Key(key),
                Some(Ok(TermEvent::Paste(text))) => Action::Paste(text),
                Some(Ok(TermEvent::Resize(columns, rows))) => Action::Resize(columns, rows),
                Some(Ok(_)) => continue,
                Some(Err(error)) => return Err(error).context("reading the terminal"),
                None => break,
            },
            Some(action) = from_writer.recv() => action,
            _ = tick.tick() => Action::Tick,
        };
        for effect in update(&mut state, action, clock.now()) {
            match effect {
                Effect::Persist(event) => send(&jobs, Job::Append(event))?,
                Effect::SaveDraft(text) => send(&jobs, Job::Draft(text))?,
                Effect::Bell => {
                    // BEL is the one control character convene itself sends.
                    let mut out = stdout();
                    let _ = out.write_all(b"\x07").and_then(|()| out.flush());
                }
                Effect::Quit => return shut_down(&jobs),
            }
        }
    }
    shut_down(&jobs)
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
