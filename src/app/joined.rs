//! The joined console's runtime: the same screens and `update`, fed by the host's log instead
//! of a file; what it records goes into the outbox (fsync'd) and then to the host.

use std::io::stdout;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;
use chrono::{Local, Offset};
use crossterm::event::{DisableBracketedPaste, EnableBracketedPaste, Event as TermEvent, EventStream};
use crossterm::execute;
use futures::StreamExt;
use tokio::sync::mpsc;

use super::{new_capture, update, Action, AppState, Clock, Effect, Joined, Severity, SystemClock};
use crate::model::{Actor, SessionState};
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

/// Join a hosted session and run the capture console until the user quits.
pub fn run_joined(options: JoinOptions) -> anyhow::Result<()> {
    let mut outbox = Outbox::open(&options.outbox, new_client_id)?;
    if outbox.torn {
        eprintln!("convene: the outbox's last line was cut off by a crash; it was never sent and is dropped");
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the event loop")?;
    runtime.block_on(async {
        let (to_app, mut news) = mpsc::unbounded_channel();
        let config = JoinConfig {
            address: options.address.clone(),
            token: options.token.clone(),
            name: options.name.clone(),
            client: outbox.client().to_string(),
            session: outbox.session().map(str::to_string),
        };
        let link = Link::start(config, outbox.unanswered().to_vec(), to_app);
        eprintln!("convene: joining {} as {} ...", options.address, options.name);
        // The console needs the plan, which comes with the host's welcome.
        let welcome = loop {
            match news.recv().await {
                Some(welcome @ LinkNews::Welcome { .. }) => break welcome,
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
        let mut state = joined_state(&options, &outbox, &welcome, &clock);
        note_in_outbox(&mut outbox, &welcome, &mut state);
        update(&mut state, Action::Link(welcome), clock.now());
        let draft = Draft::for_session(&options.outbox);
        if let Some(text) = draft.read() {
            state.capture = new_capture(&text);
            state.message = Some(("restored the unsent text you were typing".into(), Severity::Warning));
        }
        let mut terminal = ratatui::init();
        let _ = execute!(stdout(), EnableBracketedPaste);
        let result = console(&mut terminal, state, &mut outbox, &link, &mut news, &draft, &clock).await;
        let _ = execute!(stdout(), DisableBracketedPaste);
        ratatui::restore();
        result
    })
}

fn joined_state(options: &JoinOptions, outbox: &Outbox, welcome: &LinkNews, clock: &dyn Clock) -> AppState {
    let plan = match welcome {
        LinkNews::Welcome { plan, .. } => (**plan).clone(),
        _ => unreachable!("called with the welcome"),
    };
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

/// Keep the outbox in step with what the host says is answered.
fn note_in_outbox(outbox: &mut Outbox, news: &LinkNews, state: &mut AppState) {
    let result = match news {
        LinkNews::Welcome { session, applied, .. } => {
            outbox.set_session(session).and_then(|()| outbox.done_through(*applied))
        }
        LinkNews::Answer { seq, .. } => outbox.done(*seq),
        _ => Ok(()),
    };
    if let Err(error) = result {
        // Worst case a request is resent and the host answers "duplicate": nothing is lost.
        state.message = Some((format!("outbox: {error}"), Severity::Warning));
    }
}

async fn console(
    terminal: &mut ratatui::DefaultTerminal,
    mut state: AppState,
    outbox: &mut Outbox,
    link: &Link,
    news: &mut mpsc::UnboundedReceiver<LinkNews>,
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
            event = input.next() => match event {
                Some(Ok(TermEvent::Key(key))) => Action::Key(key),
                Some(Ok(TermEvent::Paste(text))) => Action::Paste(text),
                Some(Ok(TermEvent::Resize(columns, rows))) => Action::Resize(columns, rows),
                Some(Ok(_)) => continue,
                Some(Err(error)) => return Err(error).context("reading the terminal"),
                None => return Ok(()),
            },
            Some(news) = news.recv() => Action::Link(news),
            _ = tick.tick() => Action::Tick,
        }];
        // A burst of the host's log draws once.
        while let (true, Ok(more)) = (actions.len() < 512, news.try_recv()) {
            actions.push(Action::Link(more));
        }
        for action in actions {
            if let Action::Link(news) = &action {
                note_in_outbox(outbox, news, &mut state);
                if let LinkNews::HostTime(host_now) = news {
                    skew = *host_now - clock.now();
                }
            }
            for effect in update(&mut state, action, clock.now() + skew) {
                match effect {
                    Effect::Submit(seq, request) => {
                        // On disk first: from here a crash or a lost connection loses nothing.
                        if let Err(error) = outbox.push(seq, request.clone()) {
                            state.message = Some((format!("outbox: {error}"), Severity::Error));
                        }
                        link.submit(seq, request);
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
