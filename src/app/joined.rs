//! The joined console's runtime: the same screens and `update`, fed by the host's log instead
//! of a file; what it records goes into the outbox (fsync'd) and then to the host.

use std::io::stdout;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context;
use chrono::{Local, Offset};
use crossterm::event::{DisableBracketedPaste, EnableBracketedPaste, EventStream};
use crossterm::execute;
use futures::StreamExt;
use tokio::sync::mpsc;

use super::runtime::terminal_input;
use super::{new_capture, update, Action, AppState, Clock, Effect, Joined, Severity, SystemClock};
use crate::model::{Actor, Plan, Request, SessionState};
use crate::net::{new_client_id, JoinConfig, Link, LinkNews};
use crate::store::{Draft, Outbox};
use crate::ui;

/// How often the screen refreshes without input (the countdown).
const TICK: Duration = Duration::from_millis(250);

/// Where and as whom to join.
#[derive(Debug, Clone)]
pub struct JoinOptions {
    /// HOST:PORT.
    pub address: String,
    /// The token the host printed.
    pub token: String,
    /// Who is capturing here (as the participant list spells it, to vote).
    pub name: String,
    /// The room this terminal captures for (1-based, as the screen numbers rooms).
    pub room: Option<u32>,
    /// The outbox file.
    pub outbox: PathBuf,
}

/// A joined terminal without its screen: the outbox and the link, kept in step. The console
/// wraps one; tests and the load benchmark drive one directly.
pub struct Joiner {
    outbox: Outbox,
    link: Link,
    news: mpsc::UnboundedReceiver<LinkNews>,
    /// Trouble keeping the outbox, for the screen.
    pub problem: Option<String>,
}

impl Joiner {
    /// Open the outbox and start connecting (inside a tokio runtime); unanswered requests
    /// from an earlier run are resent first.
    pub fn start(address: &str, token: &str, name: &str, outbox: &Path) -> anyhow::Result<Joiner> {
        let outbox = Outbox::open(outbox, new_client_id)?;
        let (to_app, news) = mpsc::unbounded_channel();
        let config = JoinConfig {
            address: address.to_string(),
            token: token.to_string(),
            name: name.to_string(),
            client: outbox.client().to_string(),
            secret: outbox.secret().to_string(),
            session: outbox.session().map(str::to_string),
        };
        let link = Link::start(config, outbox.unanswered().to_vec(), to_app);
        Ok(Joiner { outbox, link, news, problem: None })
    }

    /// Keep a request in the outbox under the next number and send it; its number.
    pub fn submit(&mut self, request: Request) -> anyhow::Result<u64> {
        let seq = self.outbox.next_seq();
        self.send(seq, request)?;
        Ok(seq)
    }

    /// Keep a request in the outbox under `seq` (fsync), then send it.
    pub fn send(&mut self, seq: u64, request: Request) -> anyhow::Result<()> {
        let kept = self.outbox.push(seq, request.clone());
        // Sent even if the disk failed: the host still gets it while this process lives.
        self.link.submit(seq, request);
        Ok(kept?)
    }

    /// The next news from the host, once the outbox has taken note of it.
    pub async fn next(&mut self) -> Option<LinkNews> {
        let news = self.news.recv().await?;
        self.note(&news);
        Some(news)
    }

    /// News already waiting, if any.
    pub fn try_next(&mut self) -> Option<LinkNews> {
        let news = self.news.try_recv().ok()?;
        self.note(&news);
        Some(news)
    }

    /// The outbox: this terminal's id, and what is still unanswered.
    pub fn outbox(&self) -> &Outbox {
        &self.outbox
    }

    fn note(&mut self, news: &LinkNews) {
        let result = match news {
            LinkNews::Welcome { session, applied, .. } => {
                self.outbox.set_session(session).and_then(|()| self.outbox.done_through(*applied))
            }
            LinkNews::Answer { seq, .. } => self.outbox.done(*seq),
            _ => Ok(()),
        };
        // Worst case a request is resent and the host answers "duplicate": nothing is lost.
        self.problem = result.err().map(|error| format!("outbox: {error}"));
    }
}

/// Join a hosted session and run the capture console until the user quits.
pub fn run_joined(options: JoinOptions) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the event loop")?;
    runtime.block_on(async {
        let mut joiner = Joiner::start(&options.address, &options.token, &options.name, &options.outbox)?;
        if joiner.outbox().torn {
            eprintln!(
                "convene: the outbox's last line was cut off by a crash; it was never sent and is dropped"
            );
        }
        eprintln!("convene: joining {} as {} ...", options.address, options.name);
        // The console needs the plan, which comes with the host's welcome.
        let (plan, welcome) = loop {
            match joiner.next().await {
                Some(LinkNews::Welcome { session, plan, applied, you }) => {
                    break ((*plan).clone(), LinkNews::Welcome { session, plan, applied, you })
                }
                Some(LinkNews::Offline(reason)) => {
                    eprintln!("convene: {reason}; trying again (Ctrl+C gives up)")
                }
                Some(LinkNews::Refused(reason)) => {
                    anyhow::bail!("the host refused to let this terminal join: {reason}")
                }
                Some(_) => {}
                None => anyhow::bail!("the connection task stopped"),
            }
        };
        let clock = SystemClock;
        let mut state = joined_state(&options, joiner.outbox(), plan, &clock);
        update(&mut state, Action::Link(welcome), clock.now());
        let draft = Draft::for_session(&options.outbox);
        if let Some(text) = draft.read() {
            state.capture = new_capture(&text);
            state.message = Some(("restored the unsent text you were typing".into(), Severity::Warning));
        }
        let mut terminal = ratatui::init();
        let _ = execute!(stdout(), EnableBracketedPaste);
        let result = console(&mut terminal, state, &mut joiner, &draft, &clock).await;
        let _ = execute!(stdout(), DisableBracketedPaste);
        ratatui::restore();
        result
    })
}

fn joined_state(options: &JoinOptions, outbox: &Outbox, plan: Plan, clock: &dyn Clock) -> AppState {
    let session = SessionState::new(&plan);
    let mut state = AppState::new(outbox.path().to_path_buf(), plan, session, clock.now());
    state.utc_offset = Local::now().offset().fix();
    state.actor = Actor::NoteTaker(options.name.clone());
    state.joined = Some(Joined {
        name: options.name.clone(),
        host: options.address.clone(),
        client: outbox.client().to_string(),
        unsent: outbox.unanswered().to_vec(),
        next_seq: outbox.next_seq(),
        ..Joined::default()
    });
    if let Some(room) = options.room {
        if room >= 1 && (room as usize) <= state.plan.rooms.len() {
            // A room lead captures for their room and reads their room's feed (Ctrl+F: all).
            state.tags.room = Some(room - 1);
            state.feed_room = Some(room - 1);
        } else {
            state.message =
                Some((format!("there is no room {room}; comments go to the plenary"), Severity::Warning));
        }
    }
    state
}

async fn console(
    terminal: &mut ratatui::DefaultTerminal,
    mut state: AppState,
    joiner: &mut Joiner,
    draft: &Draft,
    clock: &dyn Clock,
) -> anyhow::Result<()> {
    let mut input = EventStream::new();
    let mut tick = tokio::time::interval(TICK);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let size = terminal.size()?;
    state.size = (size.width, size.height);
    // The host's clock, so everyone's countdown shows the same time.
    let mut skew = chrono::Duration::zero();
    loop {
        terminal.draw(|frame| ui::render(frame, &state))?;
        let mut actions = vec![tokio::select! {
            event = input.next() => match terminal_input(event)? {
                Some(Some(action)) => action,
                Some(None) => continue,
                None => return Ok(()),
            },
            Some(news) = joiner.next() => Action::Link(news),
            _ = tick.tick() => Action::Tick,
        }];
        // A burst of the host's log draws once.
        while actions.len() < 512 {
            match joiner.try_next() {
                Some(more) => actions.push(Action::Link(more)),
                None => break,
            }
        }
        if let Some(problem) = joiner.problem.take() {
            state.message = Some((problem, Severity::Warning));
        }
        for action in actions {
            if let Action::Link(LinkNews::HostTime(host_now)) = &action {
                skew = *host_now - clock.now();
            }
            for effect in update(&mut state, action, clock.now() + skew) {
                match effect {
                    Effect::Submit(seq, request) => {
                        // On disk first: from here a crash or a lost connection loses nothing.
                        if let Err(error) = joiner.send(seq, request) {
                            state.message = Some((format!("{error:#}"), Severity::Error));
                        }
                    }
                    Effect::SaveDraft(text) => {
                        if let Err(error) = draft.write(&text) {
                            state.message =
                                Some((format!("could not keep the draft: {error}"), Severity::Warning));
                        }
                    }
                    Effect::Bell => {}
                    Effect::Quit => return Ok(()),
                    // The host persists, answers and disconnects; a joined console only asks.
                    Effect::Persist(_) | Effect::Answer { .. } | Effect::Disconnect(_) => {}
                }
            }
        }
    }
}
