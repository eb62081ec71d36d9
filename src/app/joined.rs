//! The joined console's runtime: the same screens and `update`, fed by the host's log instead
//! of a file; what it records goes into the outbox (fsync'd) and then to the host.

use std::path::{Path, PathBuf};

use anyhow::Context;
use chrono::{DateTime, Utc};
use tokio::sync::mpsc;

use super::{new_capture, update, Action, AppState, Clock, Effect, Joined, Seat, Severity, SystemClock};
use crate::console;
use crate::model::{Actor, Plan, Request, SessionState};
use crate::net::{new_client_id, JoinConfig, Link, LinkNews};
use crate::store::{Draft, Outbox};
use crate::ui;

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
            read_only: false,
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

    /// Stop joining; the outbox, to keep or remove.
    pub fn into_outbox(self) -> Outbox {
        self.outbox
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
    console::require_terminal()?;
    // Two workers: the link and the outbox keeper run beside the screen, never on it.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
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
            state.bar.text = new_capture(&text);
            state.message = Some(("restored the unsent text you were typing".into(), Severity::Warning));
        }
        let (to_app, news) = mpsc::unbounded_channel();
        let (jobs, queue) = mpsc::unbounded_channel();
        let wake = super::jobs::Jobs::new(to_app.clone());
        let keeper = tokio::spawn(keep_and_send(joiner, draft, queue, to_app));
        let mut seat = JoinedSeat { state, jobs, wake, skew: chrono::Duration::zero(), clock: &clock, output: Vec::new() };
        let ending = {
            let mut guard = console::TerminalGuard::enter()?;
            console::run(&mut seat, news, console::Screen::Terminal(&mut guard), &clock).await
        };
        // Everything asked for is in the outbox before the keeper stops.
        drop(seat);
        let joiner = keeper.await.context("the outbox keeper stopped unexpectedly")?;
        if let console::Ending::Signal(name) = ending? {
            eprintln!("convene: ended by {name}");
        }
        let unsent = joiner.outbox().unanswered().len();
        if unsent == 0 {
            // Everything it sent is stored by the host: nothing left worth keeping.
            joiner.into_outbox().remove()?;
        } else {
            eprintln!(
                "convene: {unsent} request(s) not yet stored by the host are kept in {}; `convene join` again sends them",
                options.outbox.display()
            );
        }
        Ok(())
    })
}

/// Work for the outbox keeper.
enum Keep {
    /// Keep this request in the outbox (fsync), then send it.
    Submit(u64, Request),
    /// Keep the capture bar's text.
    Draft(String),
}

/// The outbox keeper: writes (fsync'd) and sends requests in order, keeps the draft, and passes
/// the host's news on once the outbox has taken note of it — all off the screen's loop.
async fn keep_and_send(
    mut joiner: Joiner,
    draft: Draft,
    mut queue: mpsc::UnboundedReceiver<Keep>,
    to_app: mpsc::UnboundedSender<Action>,
) -> Joiner {
    loop {
        tokio::select! {
            job = queue.recv() => match job {
                Some(Keep::Submit(seq, request)) => {
                    // On disk first: from here a crash or a lost connection loses nothing.
                    match tokio::task::block_in_place(|| joiner.send(seq, request)) {
                        Ok(()) => {
                            let _ = to_app.send(Action::Kept(seq));
                        }
                        Err(error) => {
                            let _ = to_app.send(Action::Notice(format!("{error:#}")));
                        }
                    }
                }
                Some(Keep::Draft(text)) => {
                    if let Err(error) = tokio::task::block_in_place(|| draft.write(&text)) {
                        let _ = to_app.send(Action::Notice(format!("could not keep the draft: {error}")));
                    }
                }
                None => return joiner,
            },
            news = joiner.next() => match news {
                Some(news) => {
                    if let Some(problem) = joiner.problem.take() {
                        let _ = to_app.send(Action::Notice(problem));
                    }
                    if to_app.send(Action::Link(news)).is_err() {
                        return joiner;
                    }
                }
                None => return joiner,
            },
        }
    }
}

/// The joined seat: the usual state and `update`, on the host's clock; what it records goes to
/// the outbox keeper.
struct JoinedSeat<'c> {
    state: AppState,
    jobs: mpsc::UnboundedSender<Keep>,
    /// Timers for held command keys.
    wake: super::jobs::Jobs,
    /// The host's clock minus ours, so everyone's countdown shows the same time.
    skew: chrono::Duration,
    clock: &'c dyn Clock,
    /// The bell and copies, for the shell to write to the terminal.
    output: Vec<console::Output>,
}

impl console::Seat for JoinedSeat<'_> {
    type News = Action;

    fn draw(&mut self, frame: &mut ratatui::Frame) {
        // The feed's size is what keys go by, so it is kept from the frame that showed it (as a
        // ratatui stateful widget keeps its offset); nothing else in the state changes here.
        self.state.feed.viewport = ui::render(frame, &self.state).feed;
    }

    fn handle(&mut self, input: console::Input<Action>, now: DateTime<Utc>) -> anyhow::Result<console::Flow> {
        let action = Action::from(input);
        if let Action::Link(LinkNews::HostTime(host_now)) = &action {
            self.skew = *host_now - self.clock.now();
        }
        for effect in update(&mut self.state, action, now + self.skew) {
            match effect {
                Effect::Submit(seq, request) => {
                    let _ = self.jobs.send(Keep::Submit(seq, request));
                }
                Effect::SaveDraft(text) => {
                    let _ = self.jobs.send(Keep::Draft(text));
                }
                Effect::Quit => return Ok(console::Flow::Quit),
                Effect::Copy(text) => self.output.push(console::Output::Copy(text)),
                Effect::WakeIn(after) => self.wake.wake_in(after),
                // The facilitator's message asked for the bell.
                Effect::Bell => self.output.push(console::Output::Bell),
                // The host persists, answers, plans and disconnects; a joined console only asks.
                Effect::Persist(_)
                | Effect::Answer { .. }
                | Effect::Disconnect(_)
                | Effect::PlanRooms(_)
                | Effect::CancelPlanning
                | Effect::TakeBestPlan => {}
            }
        }
        Ok(console::Flow::Continue)
    }

    fn take_output(&mut self) -> Vec<console::Output> {
        std::mem::take(&mut self.output)
    }
}

fn joined_state(options: &JoinOptions, outbox: &Outbox, plan: Plan, clock: &dyn Clock) -> AppState {
    let session = SessionState::new(&plan);
    let mut state = AppState::new(outbox.path().to_path_buf(), plan, session, clock.now());
    state.utc_offset = super::state::screen_offset(&state.plan, clock.now());
    state.actor = Actor::NoteTaker(options.name.clone());
    state.seat = Seat::Joined(Joined {
        name: options.name.clone(),
        host: options.address.clone(),
        client: outbox.client().to_string(),
        unsent: outbox.unanswered().to_vec(),
        next_seq: outbox.next_seq(),
        kept_through: outbox.next_seq().saturating_sub(1),
        ..Joined::default()
    });
    if let Some(room) = options.room {
        if room >= 1 && (room as usize) <= state.plan.rooms.len() {
            // A room lead captures for their room and reads their room's feed (Ctrl+F: all).
            state.bar.tags.room = Some(room - 1);
            state.feed.room = Some(room - 1);
        } else {
            state.message =
                Some((format!("there is no room {room}; comments go to the plenary"), Severity::Warning));
        }
    }
    state
}
