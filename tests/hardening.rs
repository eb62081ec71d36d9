//! Joining under abuse, over real loopback sockets: joiners that quit, crash and come back,
//! another token holder speaking for someone else's terminal, a connection flood, idle
//! connections, and the host's secrets on disk. Every wait is bounded.
#![allow(clippy::unwrap_used, clippy::panic)] // a test fails by panicking

mod common;

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use convene::app::{serve_headless, HeadlessHost, HostOptions, Joiner};
use convene::model::{Event, Request};
use convene::net::protocol::{decode, encode, ToHost, ToJoiner, PROTOCOL_VERSION, SILENCE_LIMIT};
use convene::net::{new_token, LinkNews, Outcome};
use convene::store::{load_read_only, HostLog};

fn host(path: &Path) -> HeadlessHost {
    let options = HostOptions { listen: "127.0.0.1:0".parse().expect("address"), token: new_token() };
    serve_headless(path, options).expect("the host starts")
}

fn comment(text: String) -> Request {
    Request::AddComment { text, theme: None, room: None, author: None, pre_session: false }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime")
}

/// How often each comment text was stored.
fn stored_counts(path: &Path) -> HashMap<String, usize> {
    let loaded = load_read_only(path).expect("the session loads");
    let mut counts = HashMap::new();
    for event in &loaded.file.events {
        if let Event::CommentAdded { text, .. } = &event.event {
            *counts.entry(text.clone()).or_default() += 1;
        }
    }
    counts
}

/// Read news until every request is answered; fails on a refusal or after `limit`.
async fn settle(joiner: &mut Joiner, limit: Duration) -> Vec<(u64, Outcome)> {
    let mut answers = Vec::new();
    let deadline = tokio::time::Instant::now() + limit;
    while !joiner.outbox().unanswered().is_empty() {
        let news = tokio::time::timeout_at(deadline, joiner.next()).await;
        match news.expect("answers arrive in time").expect("the link runs") {
            LinkNews::Answer { seq, outcome } => answers.push((seq, outcome)),
            LinkNews::Refused(reason) => panic!("refused: {reason}"),
            _ => {}
        }
    }
    answers
}

/// Wait for the host's welcome; fails on a refusal or after `limit`.
async fn welcomed(joiner: &mut Joiner, limit: Duration) {
    let deadline = tokio::time::Instant::now() + limit;
    loop {
        let news = tokio::time::timeout_at(deadline, joiner.next()).await;
        match news.expect("welcomed in time").expect("the link runs") {
            LinkNews::Welcome { .. } => return,
            LinkNews::Refused(reason) => panic!("refused: {reason}"),
            _ => {}
        }
    }
}

fn assert_each_once(counts: &HashMap<String, usize>, texts: impl IntoIterator<Item = String>) {
    for text in texts {
        assert_eq!(counts.get(&text), Some(&1), "{text:?} stored exactly once");
    }
}

#[test]
fn a_joiner_that_quits_and_joins_again_keeps_every_comment_stored_once() {
    let (dir, path) = common::temp_session();
    let host = host(&path);
    let (address, token) = (host.address.to_string(), host.token.clone());
    let outbox = dir.path().join("amara.outbox");
    let mut expected = Vec::new();
    for run in 0..4 {
        let runtime = runtime();
        runtime.block_on(async {
            let mut joiner = Joiner::start(&address, &token, "Amara", &outbox).expect("joins");
            for i in 0..3 {
                let text = format!("amara run {run} comment {i}");
                joiner.submit(comment(text.clone())).expect("kept");
                expected.push(text);
            }
            let answers = settle(&mut joiner, Duration::from_secs(60)).await;
            assert!(answers.iter().all(|(_, o)| matches!(o, Outcome::Stored(_))), "run {run}: {answers:?}");
        });
        // Ctrl+Q: the console and its link go away with nothing owed.
    }
    host.stop().expect("the host saves");
    let counts = stored_counts(&path);
    assert_eq!(counts.len(), 12);
    assert_each_once(&counts, expected);
}

#[test]
fn a_joiner_killed_with_requests_in_flight_resumes_its_numbering_and_loses_nothing() {
    let (dir, path) = common::temp_session();
    let host = host(&path);
    let (address, token) = (host.address.to_string(), host.token.clone());
    let outbox = dir.path().join("ben.outbox");
    let texts = |from: usize, to: usize| (from..to).map(|i| format!("ben {i}")).collect::<Vec<_>>();
    // First run: 30 answered, then 25 more kept and sent, and the process dies before any answer.
    runtime().block_on(async {
        let mut joiner = Joiner::start(&address, &token, "Ben", &outbox).expect("joins");
        for text in texts(0, 30) {
            joiner.submit(comment(text)).expect("kept");
        }
        settle(&mut joiner, Duration::from_secs(60)).await;
        for text in texts(30, 55) {
            joiner.submit(comment(text)).expect("kept");
        }
        // Dropping the runtime mid-flight: no answer is read, nothing is cleaned up.
    });
    // Second run: everything owed is resent; new comments follow; all answered; killed again.
    runtime().block_on(async {
        let mut joiner = Joiner::start(&address, &token, "Ben", &outbox).expect("rejoins");
        assert!(joiner.outbox().next_seq() >= 56, "numbering goes on: {}", joiner.outbox().next_seq());
        for text in texts(55, 80) {
            joiner.submit(comment(text)).expect("kept");
        }
        settle(&mut joiner, Duration::from_secs(60)).await;
    });
    // Third run, on an outbox with nothing owed: still numbered after everything before.
    runtime().block_on(async {
        let mut joiner = Joiner::start(&address, &token, "Ben", &outbox).expect("rejoins");
        for text in texts(80, 85) {
            joiner.submit(comment(text)).expect("kept");
        }
        settle(&mut joiner, Duration::from_secs(60)).await;
    });
    host.stop().expect("the host saves");
    let counts = stored_counts(&path);
    assert_eq!(counts.len(), 85, "every comment shown as sent is stored");
    assert_each_once(&counts, texts(0, 85));
}

/// Connect a raw socket, send `bytes`, and read what comes back until the host closes.
fn raw_exchange(address: &str, bytes: &[u8]) -> Vec<ToJoiner> {
    let mut stream = TcpStream::connect(address).expect("connects");
    stream.set_read_timeout(Some(Duration::from_secs(15))).expect("timeout");
    let _ = stream.write_all(bytes);
    let mut back = Vec::new();
    let _ = stream.read_to_end(&mut back);
    let mut frames = Vec::new();
    let mut rest = back.as_slice();
    while rest.len() >= 4 {
        let len = u32::from_be_bytes([rest[0], rest[1], rest[2], rest[3]]) as usize;
        if rest.len() < 4 + len {
            break;
        }
        frames.push(decode::<ToJoiner>(&rest[4..4 + len]).expect("the host speaks the protocol"));
        rest = &rest[4 + len..];
    }
    frames
}

fn frame(message: &ToHost) -> Vec<u8> {
    let body = encode(message);
    let mut bytes = (body.len() as u32).to_be_bytes().to_vec();
    bytes.extend_from_slice(&body);
    bytes
}

fn hello(token: &str, client: &str, secret: &str) -> Vec<u8> {
    frame(&ToHost::Hello {
        protocol: PROTOCOL_VERSION,
        token: token.into(),
        name: "Mallory".into(),
        client: client.into(),
        secret: secret.into(),
    })
}

#[test]
fn another_token_holder_cannot_speak_for_a_joiners_terminal_nor_poison_its_numbering() {
    let (dir, path) = common::temp_session();
    let host = host(&path);
    let (address, token) = (host.address.to_string(), host.token.clone());
    let outbox = dir.path().join("victim.outbox");
    let runtime = runtime();
    let mut joiner = runtime.block_on(async {
        let mut joiner = Joiner::start(&address, &token, "Victor", &outbox).expect("joins");
        for i in 0..5 {
            joiner.submit(comment(format!("victor {i}"))).expect("kept");
        }
        settle(&mut joiner, Duration::from_secs(60)).await;
        joiner
    });
    // The victim's id is in the streamed log for anyone with the token to see.
    let victim = joiner.outbox().client().to_string();
    let mut attack = hello(&token, &victim, "0000000000000000deadbeef");
    attack.extend(frame(&ToHost::Submit {
        seq: 1_000_000_000_000_000,
        op: comment("mallory as victor".into()),
    }));
    let back = raw_exchange(&address, &attack);
    let refused = back
        .iter()
        .any(|m| matches!(m, ToJoiner::Refused { reason } if reason.contains("belongs to another terminal")));
    assert!(refused, "{back:?}");
    assert!(!back.iter().any(|m| matches!(m, ToJoiner::Welcome { .. })), "{back:?}");
    // Under an id of its own, a number far ahead is refused for that connection only.
    let mut own = hello(&token, "fedcba9876543210", "mallorys-own-secret-1");
    own.extend(frame(&ToHost::Submit {
        seq: 1_000_000_000_000_000,
        op: comment("mallory far ahead".into()),
    }));
    let back = raw_exchange(&address, &own);
    let refused =
        back.iter().any(|m| matches!(m, ToJoiner::Refused { reason } if reason.contains("out of order")));
    assert!(refused, "{back:?}");
    // ...and the same terminal, numbering from where it really is, is heard.
    let mut again = hello(&token, "fedcba9876543210", "mallorys-own-secret-1");
    again.extend(frame(&ToHost::Submit { seq: 1, op: comment("mallory in order".into()) }));
    let back = raw_exchange_until_answer(&address, &again);
    assert!(
        back.iter().any(|m| matches!(m, ToJoiner::Answer { seq: 1, outcome: Outcome::Stored(_) })),
        "{back:?}"
    );
    // The victim carries on as if nothing happened: 20 more, every one stored.
    runtime.block_on(async {
        for i in 5..25 {
            joiner.submit(comment(format!("victor {i}"))).expect("kept");
        }
        let answers = settle(&mut joiner, Duration::from_secs(60)).await;
        assert!(answers.iter().all(|(_, o)| matches!(o, Outcome::Stored(_))), "{answers:?}");
    });
    drop(joiner);
    host.stop().expect("the host saves");
    let counts = stored_counts(&path);
    assert_each_once(&counts, (0..25).map(|i| format!("victor {i}")));
    assert!(!counts.contains_key("mallory as victor"));
    assert!(!counts.contains_key("mallory far ahead"));
    assert_eq!(counts.get("mallory in order"), Some(&1));
    let log = std::fs::read_to_string(HostLog::for_session(&path).path()).expect("a host log");
    assert!(log.contains("another terminal's id"), "{log}");
    let keys = std::fs::read_to_string(format!("{}.joiners", path.display())).expect("keys kept");
    assert!(keys.contains(&victim), "{keys}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(format!("{}.joiners", path.display())).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}

/// Like `raw_exchange`, but hangs up once an answer came (the host keeps a good joiner open).
fn raw_exchange_until_answer(address: &str, bytes: &[u8]) -> Vec<ToJoiner> {
    let mut stream = TcpStream::connect(address).expect("connects");
    stream.set_read_timeout(Some(Duration::from_secs(15))).expect("timeout");
    stream.write_all(bytes).expect("sent");
    let mut frames = Vec::new();
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 65536];
    while !frames.iter().any(|m| matches!(m, ToJoiner::Answer { .. } | ToJoiner::Refused { .. })) {
        let n = stream.read(&mut chunk).expect("the host answers in time");
        if n == 0 {
            break;
        }
        buffer.extend_from_slice(&chunk[..n]);
        while buffer.len() >= 4 {
            let len = u32::from_be_bytes([buffer[0], buffer[1], buffer[2], buffer[3]]) as usize;
            if buffer.len() < 4 + len {
                break;
            }
            frames.push(decode::<ToJoiner>(&buffer[4..4 + len]).expect("the host speaks the protocol"));
            buffer.drain(..4 + len);
        }
    }
    frames
}

/// Connections from `from` to `to` in a loop until `stop`: some close at once, some send a wrong
/// token, some stay open saying nothing. The number of connections made.
fn flood(
    from: &str,
    to: SocketAddr,
    stop: Arc<AtomicBool>,
    made: Arc<AtomicU64>,
) -> std::thread::JoinHandle<()> {
    let from: SocketAddr = format!("{from}:0").parse().expect("address");
    std::thread::spawn(move || {
        runtime().block_on(async move {
            let mut idle = Vec::new();
            let wrong = hello(&"0".repeat(40), "0123456789abcdef", "flood-secret-0000");
            let mut n: u64 = 0;
            while !stop.load(Ordering::Relaxed) {
                let socket = tokio::net::TcpSocket::new_v4().expect("socket");
                if socket.bind(from).is_err() {
                    continue;
                }
                let Ok(Ok(mut stream)) =
                    tokio::time::timeout(Duration::from_secs(1), socket.connect(to)).await
                else {
                    continue;
                };
                n += 1;
                made.fetch_add(1, Ordering::Relaxed);
                match n % 4 {
                    0 => {
                        use tokio::io::AsyncWriteExt;
                        let _ = stream.write_all(&wrong).await;
                    }
                    1 => {
                        idle.push(stream);
                        if idle.len() > 300 {
                            idle.remove(0);
                        }
                    }
                    _ => drop(stream),
                }
            }
        })
    })
}

#[test]
fn a_joiner_gets_in_and_stores_everything_while_another_address_floods_the_host() {
    let (dir, path) = common::temp_session();
    let host = host(&path);
    let (address, token) = (host.address.to_string(), host.token.clone());
    let stop = Arc::new(AtomicBool::new(false));
    let made = Arc::new(AtomicU64::new(0));
    let flooder = flood("127.0.0.2", host.address, stop.clone(), made.clone());
    let flood_started = Instant::now();
    // Let the flood fill whatever it can first.
    std::thread::sleep(Duration::from_millis(1500));
    let outbox = dir.path().join("chloe.outbox");
    let (admitted_after, settled_after) = runtime().block_on(async {
        let started = Instant::now();
        let mut joiner = Joiner::start(&address, &token, "Chloe", &outbox).expect("joins");
        welcomed(&mut joiner, Duration::from_secs(60)).await;
        let admitted = started.elapsed();
        for i in 0..20 {
            joiner.submit(comment(format!("chloe {i}"))).expect("kept");
        }
        settle(&mut joiner, Duration::from_secs(60)).await;
        (admitted, started.elapsed())
    });
    // Keep the flood going a little past the joiner, then stop it.
    std::thread::sleep(Duration::from_millis(1000));
    stop.store(true, Ordering::Relaxed);
    let flood_time = flood_started.elapsed();
    flooder.join().expect("the flooder");
    let connections = made.load(Ordering::Relaxed);
    eprintln!(
        "flood: {connections} connections in {:.1} s ({:.0}/s); joiner welcomed after {:.2} s, 20 comments stored after {:.2} s",
        flood_time.as_secs_f64(),
        connections as f64 / flood_time.as_secs_f64(),
        admitted_after.as_secs_f64(),
        settled_after.as_secs_f64()
    );
    host.stop().expect("the host saves");
    let counts = stored_counts(&path);
    assert_each_once(&counts, (0..20).map(|i| format!("chloe {i}")));
    let log = HostLog::for_session(&path);
    let size = |p: &Path| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
    let logged = std::fs::read_to_string(log.path()).expect("a host log");
    eprintln!("host log: {} bytes, {} lines", logged.len(), logged.lines().count());
    assert!(size(log.path()) <= convene::store::HOST_LOG_CAP + 512, "the host log is bounded");
    assert!(size(&log.rotated_path()) <= convene::store::HOST_LOG_CAP + 512);
    assert!(logged.contains("127.0.0.2"), "the flood is on record:\n{logged}");
    assert!(
        (logged.lines().count() as u64) < connections,
        "refusals are summarised, not one line per connection"
    );
}

#[test]
fn idle_connections_are_dropped_by_the_hello_deadline_and_do_not_keep_a_joiner_out() {
    let (dir, path) = common::temp_session();
    let host = host(&path);
    let (address, token) = (host.address.to_string(), host.token.clone());
    // 300 connections that never say anything, from the joiner's own address.
    let idle: Vec<TcpStream> = (0..300).filter_map(|_| TcpStream::connect(&address).ok()).collect();
    let outbox = dir.path().join("dev.outbox");
    runtime().block_on(async {
        let mut joiner = Joiner::start(&address, &token, "Dev", &outbox).expect("joins");
        welcomed(&mut joiner, Duration::from_secs(60)).await;
        joiner.submit(comment("dev 0".into())).expect("kept");
        settle(&mut joiner, Duration::from_secs(60)).await;
    });
    // Every idle connection is closed by the host: those pushed out by newer ones at once, the
    // rest at the hello deadline, well before a joined peer's silence limit.
    let started = Instant::now();
    for mut stream in idle {
        stream.set_read_timeout(Some(Duration::from_secs(30))).expect("timeout");
        let mut byte = [0u8; 1];
        let closed = match stream.read(&mut byte) {
            Ok(n) => n == 0,
            // A reset is a close; a timeout is not.
            Err(e) => !matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut),
        };
        assert!(closed, "the host closed an idle connection");
    }
    let waited = started.elapsed();
    eprintln!(
        "the last idle connection was closed {:.2} s after the joiner's comment was stored",
        waited.as_secs_f64()
    );
    assert!(waited < SILENCE_LIMIT, "idle connections go at the hello deadline, not the silence limit");
    host.stop().expect("the host saves");
    assert_eq!(stored_counts(&path).get("dev 0"), Some(&1));
}

#[test]
fn a_joiner_gets_in_while_a_process_on_its_own_address_floods_the_host() {
    // Every joiner through an SSH tunnel arrives from 127.0.0.1, like a local flooder.
    let (dir, path) = common::temp_session();
    let host = host(&path);
    let (address, token) = (host.address.to_string(), host.token.clone());
    let stop = Arc::new(AtomicBool::new(false));
    let made = Arc::new(AtomicU64::new(0));
    let flooder = flood("127.0.0.1", host.address, stop.clone(), made.clone());
    let flood_started = Instant::now();
    std::thread::sleep(Duration::from_millis(1500));
    let outbox = dir.path().join("eve.outbox");
    let (admitted_after, settled_after) = runtime().block_on(async {
        let started = Instant::now();
        let mut joiner = Joiner::start(&address, &token, "Eve", &outbox).expect("joins");
        welcomed(&mut joiner, Duration::from_secs(60)).await;
        let admitted = started.elapsed();
        for i in 0..20 {
            joiner.submit(comment(format!("eve {i}"))).expect("kept");
        }
        settle(&mut joiner, Duration::from_secs(60)).await;
        (admitted, started.elapsed())
    });
    stop.store(true, Ordering::Relaxed);
    let flood_time = flood_started.elapsed();
    flooder.join().expect("the flooder");
    let connections = made.load(Ordering::Relaxed);
    eprintln!(
        "same-address flood: {connections} connections in {:.1} s ({:.0}/s); joiner welcomed after {:.2} s, 20 comments stored after {:.2} s",
        flood_time.as_secs_f64(),
        connections as f64 / flood_time.as_secs_f64(),
        admitted_after.as_secs_f64(),
        settled_after.as_secs_f64()
    );
    host.stop().expect("the host saves");
    assert_each_once(&stored_counts(&path), (0..20).map(|i| format!("eve {i}")));
}
