//! The read-only presenter seat over real loopback sockets, and messages to the rooms reaching
//! joined terminals and presenters through the host's log. Every wait is bounded.
#![allow(clippy::unwrap_used, clippy::panic)] // a test fails by panicking

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::time::Duration;

use chrono::Utc;
use common::*;
use convene::app::{
    broadcast_banner, serve_headless, update, Action, AppState, HeadlessHost, HostOptions, Joined, Joiner,
    PresentOptions, Presenter, Reading, Seat,
};
use convene::model::CommentId;
use convene::model::{Actor, BroadcastCause, Event, Request, SessionState, Stamped};
use convene::net::protocol::{decode, encode, ToHost, ToJoiner, PROTOCOL_VERSION};
use convene::net::{new_token, LinkNews, Watch};
use convene::store::{load_read_only, save_session};
use convene::ui::theme::Palette;
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use tokio::sync::mpsc;
use tokio::time::{timeout_at, Instant};

/// How long anything over loopback may take before the test fails.
const LIMIT: Duration = Duration::from_secs(20);

fn host(path: &Path) -> HeadlessHost {
    let options = HostOptions { listen: "127.0.0.1:0".parse().expect("address"), token: new_token() };
    serve_headless(path, options).expect("the host starts")
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime")
}

fn comment(text: &str) -> Request {
    Request::AddComment { text: text.into(), theme: None, room: Some(0), author: None, pre_session: false }
}

fn screen(presenter: &Presenter) -> String {
    let mut terminal = Terminal::new(TestBackend::new(100, 30)).expect("terminal");
    terminal.draw(|frame| convene::ui::present::render(frame, presenter)).expect("draw");
    terminal.backend().to_string()
}

/// Feed the presenter the link's news until `done` holds; fails after `LIMIT`.
async fn watch_until(
    presenter: &mut Presenter,
    news: &mut mpsc::UnboundedReceiver<LinkNews>,
    done: impl Fn(&Presenter) -> bool,
) {
    let deadline = Instant::now() + LIMIT;
    while !done(presenter) {
        let next = timeout_at(deadline, news.recv()).await.expect("the presenter hears in time");
        let reading = Reading::of_link(next.expect("the link runs"));
        if let Some(reading) = reading {
            presenter.on(convene::console::Input::News(reading), Utc::now());
        }
    }
}

#[test]
fn a_network_presenter_shows_what_the_host_records() {
    let (_dir, path) = temp_session();
    let host = host(&path);
    let address = host.address.to_string();
    let outbox = _dir.path().join("lead.outbox");
    runtime().block_on(async {
        let (to_presenter, mut news) = mpsc::unbounded_channel();
        let _watch = Watch::start(&address, &host.token, to_presenter);
        let options = PresentOptions { palette: Palette::PLAIN, ..Default::default() };
        let mut presenter = Presenter::new(options, Utc::now());
        watch_until(&mut presenter, &mut news, |p| p.plan.is_some()).await;
        let mut joiner = Joiner::start(&address, &host.token, "Room lead 1", &outbox).expect("joins");
        joiner.submit(comment("Bus routes cut the villages off")).expect("kept");
        watch_until(&mut presenter, &mut news, |p| p.session.live.len() == 1).await;
        assert_eq!(presenter.session.comment(CommentId(1)).unwrap().text, "Bus routes cut the villages off");
        let shown = screen(&presenter);
        assert!(shown.contains("Bus routes cut the villages off"), "{shown}");
        assert!(!shown.contains(&host.token), "no token on the shared screen");
    });
    host.stop().expect("stops");
}

fn frame(body: &[u8]) -> Vec<u8> {
    let mut bytes = (body.len() as u32).to_be_bytes().to_vec();
    bytes.extend_from_slice(body);
    bytes
}

fn frames(mut bytes: &[u8]) -> Vec<ToJoiner> {
    let mut out = Vec::new();
    while bytes.len() >= 4 {
        let len = u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]) as usize;
        if bytes.len() < 4 + len {
            break;
        }
        out.push(decode::<ToJoiner>(&bytes[4..4 + len]).expect("the host speaks the protocol"));
        bytes = &bytes[4 + len..];
    }
    out
}

#[test]
fn the_host_refuses_a_submission_on_a_presenters_connection_and_records_nothing() {
    let (_dir, path) = temp_session();
    let host = host(&path);
    let mut bytes = frame(&encode(&ToHost::Watch { protocol: PROTOCOL_VERSION, token: host.token.clone() }));
    // Whatever the other end claims, this connection said Watch: the host decides.
    bytes.extend(frame(&encode(&ToHost::Submit { seq: 1, op: comment("written by a presenter") })));
    let mut stream = TcpStream::connect(host.address).expect("connects");
    stream.set_read_timeout(Some(LIMIT)).expect("timeout");
    stream.write_all(&bytes).expect("sends");
    let mut back = Vec::new();
    let _ = stream.read_to_end(&mut back);
    let said = frames(&back);
    assert!(
        matches!(&said[0], ToJoiner::Welcome { you: None, .. }),
        "a presenter is welcomed as nobody: {said:?}"
    );
    let refusal = said.iter().find_map(|f| match f {
        ToJoiner::Refused { reason } => Some(reason.clone()),
        _ => None,
    });
    assert!(refusal.as_deref().is_some_and(|r| r.contains("read-only")), "{said:?}");
    assert!(!said.iter().any(|f| matches!(f, ToJoiner::Answer { .. })), "nothing was answered: {said:?}");
    host.stop().expect("stops");
    let stored = load_read_only(&path).expect("loads");
    assert!(stored.file.events.is_empty(), "nothing recorded: {:?}", stored.file.events);
}

#[test]
fn a_presenter_with_the_wrong_token_is_refused() {
    let (_dir, path) = temp_session();
    let host = host(&path);
    runtime().block_on(async {
        let (to_presenter, mut news) = mpsc::unbounded_channel();
        let _watch = Watch::start(&host.address.to_string(), "not-the-token", to_presenter);
        let deadline = Instant::now() + LIMIT;
        loop {
            match timeout_at(deadline, news.recv()).await.expect("an answer in time") {
                Some(LinkNews::Refused(reason)) => break assert!(reason.contains("wrong token"), "{reason}"),
                Some(LinkNews::Welcome { .. }) => panic!("welcomed with a wrong token"),
                Some(_) => {}
                None => panic!("the link stopped"),
            }
        }
    });
    host.stop().expect("stops");
}

/// The template's breakout item (35 minutes, warning at 5, with a room note), started 31
/// minutes ago: the host's first tick sends the warning to the rooms by itself.
fn session_in_breakout_warning(path: &Path) {
    let mut file = template_file();
    file.events.push(Stamped {
        seq: 1,
        at: Utc::now() - chrono::Duration::minutes(31),
        by: Actor::Facilitator,
        origin: None,
        event: Event::AgendaItemStarted { item: 2 },
    });
    save_session(path, &file).expect("written");
}

fn joined_console(plan: convene::model::Plan) -> AppState {
    let mut state = AppState::new("lead.outbox".into(), plan.clone(), SessionState::new(&plan), Utc::now());
    state.actor = Actor::NoteTaker("Room lead 2".into());
    state.seat = Seat::Joined(Joined { name: "Room lead 2".into(), online: true, ..Joined::default() });
    state
}

#[test]
fn the_hosts_warning_reaches_a_joined_console_as_a_banner_with_the_bell_and_a_presenter() {
    let (dir, path) = temp_session();
    session_in_breakout_warning(&path);
    let host = host(&path);
    let address = host.address.to_string();
    let outbox = dir.path().join("lead.outbox");
    let note = "5 minutes left: agree the three points you will report back";
    runtime().block_on(async {
        let mut joiner = Joiner::start(&address, &host.token, "Room lead 2", &outbox).expect("joins");
        let mut state: Option<AppState> = None;
        let mut rang = false;
        let deadline = Instant::now() + LIMIT;
        while state.as_ref().and_then(broadcast_banner).is_none() {
            let news = timeout_at(deadline, joiner.next()).await.expect("the message arrives in time");
            let news = news.expect("the link runs");
            if let LinkNews::Welcome { plan, .. } = &news {
                state = Some(joined_console((**plan).clone()));
            }
            if let Some(state) = state.as_mut() {
                rang |= update(state, Action::Link(news), Utc::now()).contains(&convene::app::Effect::Bell);
            }
        }
        let state = state.unwrap();
        let banner = broadcast_banner(&state).unwrap();
        assert_eq!(banner.text, note);
        assert_eq!(banner.cause, Some(BroadcastCause::Warning { item: 2 }));
        assert!(rang, "the warning rings the joined console's bell");

        let (to_presenter, mut news) = mpsc::unbounded_channel();
        let _watch = Watch::start(&address, &host.token, to_presenter);
        let options = PresentOptions { palette: Palette::PLAIN, ..Default::default() };
        let mut presenter = Presenter::new(options, Utc::now());
        watch_until(&mut presenter, &mut news, |p| p.session.latest_broadcast().is_some()).await;
        let shown = screen(&presenter);
        assert!(shown.contains("MESSAGE TO THE ROOMS"), "{shown}");
        assert!(shown.contains("agree the three points"), "{shown}");
    });
    host.stop().expect("stops");
    let stored = load_read_only(&path).expect("loads");
    let warnings = stored
        .file
        .events
        .iter()
        .filter(|e| matches!(e.event, Event::Broadcast { cause: Some(BroadcastCause::Warning { .. }), .. }))
        .count();
    assert_eq!(warnings, 1, "said once, however many ticks");
}

#[test]
fn a_network_presenter_in_a_terminal_follows_the_host_and_shows_its_message_without_secrets() {
    use common::console::Console;
    let (dir, path) = temp_session();
    let file = path.to_str().expect("utf-8 path");
    let (mut host, address, token) = Console::host(file, dir.path());
    let token = token.as_str();
    let mut shown =
        Console::start_with(&["present", &address], &[("CONVENE_TOKEN", token)], dir.path(), (30, 100));
    shown.wait_for("Test session");
    host.wait_for("1 joined");
    let private = |screen: &str| {
        assert!(!screen.contains(token) && !screen.contains("consult.ron"), "secret shown:\n{screen}");
        assert!(!screen.contains("F1 help") && !screen.contains(&address), "{screen}");
    };
    host.send("Presenters over the network see this\r");
    shown.wait_for("Presenters over the network see this");
    private(&shown.contents());
    host.send("\x1b[21~"); // F10: a message to the rooms
    host.wait_for("Message to the rooms");
    host.send("Back in the main room at 14:30\r");
    shown.wait_for("MESSAGE TO THE ROOMS");
    shown.wait_for("Back in the main room at 14:30");
    private(&shown.contents());

    shown.send("q");
    assert!(shown.wait_exit().success(), "the presenter quits cleanly:\n{}", shown.contents());
    host.wait_for("0 joined");
    host.send("\x11");
    assert!(host.wait_exit().success(), "the host quits cleanly:\n{}", host.contents());
    let loaded = load_read_only(&path).expect("the file loads");
    let texts: Vec<&str> = loaded.state.live_comments().map(|c| c.text.as_str()).collect();
    assert_eq!(texts, ["Presenters over the network see this"], "the presenter wrote nothing");
    assert_eq!(
        loaded.state.latest_broadcast().map(|b| b.text.as_str()),
        Some("Back in the main room at 14:30")
    );
}

#[test]
fn present_says_what_it_expected_when_the_argument_is_neither_a_file_nor_an_address() {
    let dir = tempfile::tempdir().expect("temp dir");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_convene"))
        .args(["present", "consult"])
        .current_dir(dir.path())
        .env_remove("CONVENE_TOKEN")
        .output()
        .expect("runs");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("consult: no such session file, and not HOST:PORT"), "{stderr}");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_convene"))
        .args(["present", "127.0.0.1:9"])
        .current_dir(dir.path())
        .env_remove("CONVENE_TOKEN")
        .output()
        .expect("runs");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("no token") && stderr.contains("convene present"), "{stderr}");
}
