//! The one loop: inputs in, the seat handles them, the screen is drawn.

use std::time::Duration;

use anyhow::Context;
use chrono::{DateTime, Utc};
use crossterm::event::{Event as TermEvent, EventStream, KeyEvent};
use futures::StreamExt;
use ratatui::Frame;
use tokio::sync::{mpsc, oneshot};

use super::Clock;
use super::TerminalGuard;

/// How often the screen refreshes without input (the clock and timers).
pub const TICK: Duration = Duration::from_millis(250);
/// Most queued news handled between two frames, so a burst from joiners draws once.
pub const BATCH: usize = 256;

/// One thing for a seat to handle.
#[derive(Debug)]
pub enum Input<N> {
    /// A key was pressed.
    Key(KeyEvent),
    /// Text was pasted (bracketed paste).
    Paste(String),
    /// The terminal was resized (columns, rows).
    Resize(u16, u16),
    /// Time passed.
    Tick,
    /// The seat's own news: writes done, background work finished, the network.
    News(N),
}

/// Whether the loop goes on after an input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    /// Keep going.
    Continue,
    /// The seat is done (the user quit).
    Quit,
}

/// What a seat asks the terminal for besides the screen. The shell writes it to the terminal it
/// owns; a headless screen drops it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Output {
    /// Ring the bell.
    Bell,
    /// Put this text on the user's clipboard.
    Copy(String),
}

/// How the loop ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// The seat said so (the user quit).
    Quit,
    /// A signal asked the program to end (its name).
    Signal(&'static str),
    /// The terminal's input ended, or a headless seat was told to stop.
    Closed,
}

/// A console seat: what to draw, and what an input does.
pub trait Seat {
    /// What the seat's background work and network send back.
    type News: Send + 'static;
    /// Draw the screen.
    fn draw(&mut self, frame: &mut Frame);
    /// Handle one input at `now`.
    fn handle(&mut self, input: Input<Self::News>, now: DateTime<Utc>) -> anyhow::Result<Flow>;
    /// What the inputs handled so far asked of the terminal (the bell, copies), oldest first.
    fn take_output(&mut self) -> Vec<Output> {
        Vec::new()
    }
}

/// Where the loop's input comes from and its frames go.
pub enum Screen<'t> {
    /// A real terminal.
    Terminal(&'t mut TerminalGuard),
    /// No screen (tests, benchmarks): news and ticks only, until told to stop.
    Headless(oneshot::Receiver<()>),
}

/// Run `seat` until it quits, a signal arrives or the input ends. The clock is injected.
pub async fn run<S: Seat>(
    seat: &mut S,
    mut news: mpsc::UnboundedReceiver<S::News>,
    mut screen: Screen<'_>,
    clock: &dyn Clock,
) -> anyhow::Result<Ending> {
    let mut tick = tokio::time::interval(TICK);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let mut signals = Signals::new(matches!(screen, Screen::Terminal(_)))?;
    let mut terminal_input = match &screen {
        Screen::Terminal(_) => Some(EventStream::new()),
        Screen::Headless(_) => None,
    };
    if let Screen::Terminal(guard) = &mut screen {
        let size = guard.terminal.size()?;
        seat.handle(Input::Resize(size.width, size.height), clock.now())?;
    }
    loop {
        let output = seat.take_output();
        if let Screen::Terminal(guard) = &mut screen {
            super::terminal::write_output(guard, &output).context("writing to the terminal")?;
            guard.terminal.draw(|frame| seat.draw(frame))?;
        }
        let input = tokio::select! {
            event = next_terminal_event(&mut terminal_input) => match event {
                Some(Ok(event)) => match from_terminal(event) {
                    Some(input) => input,
                    None => continue,
                },
                Some(Err(error)) => return Err(error).context("reading the terminal"),
                None => return Ok(Ending::Closed),
            },
            _ = stopped(&mut screen) => return Ok(Ending::Closed),
            name = signals.next() => return Ok(Ending::Signal(name)),
            Some(news) = news.recv() => Input::News(news),
            _ = tick.tick() => Input::Tick,
        };
        if seat.handle(input, clock.now())? == Flow::Quit {
            return Ok(Ending::Quit);
        }
        // What else is already waiting is handled before the next frame.
        for _ in 0..BATCH {
            let Ok(more) = news.try_recv() else { break };
            if seat.handle(Input::News(more), clock.now())? == Flow::Quit {
                return Ok(Ending::Quit);
            }
        }
    }
}

async fn next_terminal_event(input: &mut Option<EventStream>) -> Option<std::io::Result<TermEvent>> {
    match input {
        Some(stream) => stream.next().await,
        None => std::future::pending().await,
    }
}

async fn stopped(screen: &mut Screen<'_>) {
    match screen {
        Screen::Headless(stop) => {
            let _ = stop.await;
        }
        Screen::Terminal(_) => std::future::pending().await,
    }
}

fn from_terminal<N>(event: TermEvent) -> Option<Input<N>> {
    match event {
        TermEvent::Key(key) => Some(Input::Key(key)),
        TermEvent::Paste(text) => Some(Input::Paste(text)),
        TermEvent::Resize(columns, rows) => Some(Input::Resize(columns, rows)),
        _ => None,
    }
}

/// The signals that end a console as a clean quit does: a closing laptop lid under a session
/// manager (TERM), a closed terminal or dropped SSH link (HUP), an interrupt from outside (INT;
/// in raw mode Ctrl+C is a key).
struct Signals {
    listening: Option<[(tokio::signal::unix::Signal, &'static str); 3]>,
}

impl Signals {
    fn new(listen: bool) -> anyhow::Result<Signals> {
        use tokio::signal::unix::{signal, SignalKind};
        if !listen {
            return Ok(Signals { listening: None });
        }
        let listening = [
            (signal(SignalKind::terminate()).context("listening for SIGTERM")?, "SIGTERM"),
            (signal(SignalKind::hangup()).context("listening for SIGHUP")?, "SIGHUP"),
            (signal(SignalKind::interrupt()).context("listening for SIGINT")?, "SIGINT"),
        ];
        Ok(Signals { listening: Some(listening) })
    }

    async fn next(&mut self) -> &'static str {
        let Some([(term, a), (hup, b), (int, c)]) = &mut self.listening else {
            return std::future::pending().await;
        };
        tokio::select! {
            _ = term.recv() => a,
            _ = hup.recv() => b,
            _ = int.recv() => c,
        }
    }
}
