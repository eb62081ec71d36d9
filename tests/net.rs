//! Joining over real loopback sockets: the headless host runs the same loop, writer and hub as
//! `convene host`; joiners are the same outbox and link as `convene join`.
#![allow(clippy::unwrap_used, clippy::panic)] // a test fails by panicking

mod common;

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::time::Duration;

use convene::app::{serve_headless, HeadlessHost, HostOptions, Joiner};
use convene::model::{Event, Request, Stamped};
use convene::net::protocol::{decode, encode, ToHost, ToJoiner, PROTOCOL_VERSION};
use convene::net::{new_token, LinkNews, Outcome};
use convene::store::load_read_only;

fn host(path: &Path) -> HeadlessHost {
    let options = HostOptions { listen: "127.0.0.1:0".parse().expect("address"), token: new_token() };
    serve_headless(path, options).expect("the host starts")
}

fn comment(text: String) -> Request {
    Request::AddComment {
        text,
        theme: Some("Strengths".into()),
        room: Some(0),
        author: None,
        pre_session: false,
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime")
}

/// Every stored comment text, in log order.
fn stored_texts(path: &Path) -> Vec<String> {
    let loaded = load_read_only(path).expect("the session loads");
    loaded
        .file
        .events
        .iter()
        .filter_map(|e| match &e.event {
            Event::CommentAdded { text, .. } => Some(text.clone()),
            _ => None,
        })
        .collect()
}

/// Read news until every request this joiner made is answered, collecting the outcomes and
/// the events it was sent. Fails after `limit`.
async fn settle(joiner: &mut Joiner, limit: Duration) -> (Vec<(u64, Outcome)>, Vec<Stamped>) {
    let mut answers = Vec::new();
    let mut events = Vec::new();
    let deadline = tokio::time::Instant::now() + limit;
    while !joiner.outbox().unanswered().is_empty() {
        let news = tokio::time::timeout_at(deadline, joiner.next()).await;
        match news.expect("answers arrive in time").expect("the link runs") {
            LinkNews::Answer { seq, outcome } => answers.push((seq, outcome)),
            LinkNews::Event(event) => events.push(*event),
            LinkNews::Reset => events.clear(),
            LinkNews::Refused(reason) => panic!("refused: {reason}"),
            _ => {}
        }
    }
    (answers, events)
}

#[test]
fn three_joiners_post_a_thousand_comments_each_concurrently_and_each_is_stored_once() {
    let (dir, path) = common::temp_session();
    let host = host(&path);
    let address = host.address.to_string();
    let runtime = runtime();
    runtime.block_on(async {
        let post = |name: &'static str| {
            let outbox = dir.path().join(format!("{name}.outbox"));
            let (address, token) = (address.clone(), host.token.clone());
            async move {
                let mut joiner = Joiner::start(&address, &token, name, &outbox).expect("joins");
                for i in 0..1000 {
                    joiner.submit(comment(format!("{name} {i}"))).expect("kept in the outbox");
                }
                settle(&mut joiner, Duration::from_secs(120)).await
            }
        };
        let (a, b, c) = tokio::join!(post("amara"), post("ben"), post("chloe"));
        for (answers, _) in [&a, &b, &c] {
            assert_eq!(answers.len(), 1000);
            assert!(answers.iter().all(|(_, o)| matches!(o, Outcome::Stored(_))), "all stored first time");
        }
    });
    host.stop().expect("the host saves");
    let texts = stored_texts(&path);
    assert_eq!(texts.len(), 3000);
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for text in &texts {
        *counts.entry(text).or_default() += 1;
    }
    assert!(counts.values().all(|n| *n == 1), "no comment stored twice");
    for name in ["amara", "ben", "chloe"] {
        let theirs: Vec<usize> = texts
            .iter()
            .filter_map(|t| t.strip_prefix(&format!("{name} ")))
            .map(|n| n.parse().expect("number"))
            .collect();
        assert_eq!(theirs, (0..1000).collect::<Vec<_>>(), "{name}'s comments are all there, in their order");
    }
}

#[test]
fn a_joiner_killed_mid_send_resends_on_restart_and_nothing_is_stored_twice() {
    let (dir, path) = common::temp_session();
    let host = host(&path);
    let address = host.address.to_string();
    let outbox = dir.path().join("priya.outbox");
    let runtime = runtime();
    let first_answers = runtime.block_on(async {
        let mut joiner = Joiner::start(&address, &host.token, "Priya", &outbox).expect("joins");
        for i in 0..400 {
            joiner.submit(comment(format!("priya {i}"))).expect("kept");
        }
        // Take some answers, then die with the rest in flight: the host has stored some that
        // were never answered, and some never arrived.
        let mut answered = 0;
        while answered < 50 {
            if let Some(LinkNews::Answer { .. }) = joiner.next().await {
                answered += 1;
            }
        }
        // These reach the outbox but never the wire: the process dies first.
        for i in 400..500 {
            joiner.submit(comment(format!("priya {i}"))).expect("kept");
        }
        drop(joiner);
        answered
    });
    drop(runtime);
    // A crash while writing the next request leaves half a line behind.
    let mut file = std::fs::OpenOptions::new().append(true).open(&outbox).expect("outbox");
    file.write_all(b"Request(501, AddComment(text: \"half writ").expect("append");
    drop(file);
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    let (answers, _) = runtime.block_on(async {
        let mut joiner = Joiner::start(&address, &host.token, "Priya", &outbox).expect("rejoins");
        assert!(joiner.outbox().torn, "the torn line is noticed");
        assert!(
            joiner.outbox().unanswered().len() >= 500 - first_answers,
            "the unanswered wait in the outbox"
        );
        settle(&mut joiner, Duration::from_secs(60)).await
    });
    assert!(
        answers.iter().filter(|(_, o)| matches!(o, Outcome::Stored(_))).count() >= 100,
        "the unsent were sent"
    );
    host.stop().expect("the host saves");
    let texts = stored_texts(&path);
    let expected: Vec<String> = (0..500).map(|i| format!("priya {i}")).collect();
    assert_eq!(texts, expected, "every comment exactly once, in the joiner's order");
}

/// Connect a raw socket, send `bytes`, and read what comes back until the host closes.
fn raw_exchange(address: &str, bytes: &[u8]) -> Vec<u8> {
    let mut stream = TcpStream::connect(address).expect("connects");
    stream.set_read_timeout(Some(Duration::from_secs(15))).expect("timeout");
    // The host may close before reading everything (an oversized frame): that is fine.
    let _ = stream.write_all(bytes);
    let mut back = Vec::new();
    let _ = stream.read_to_end(&mut back);
    back
}

fn frame(body: &[u8]) -> Vec<u8> {
    let mut bytes = (body.len() as u32).to_be_bytes().to_vec();
    bytes.extend_from_slice(body);
    bytes
}

/// The bodies of the frames in `bytes`.
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

fn hello(token: &str) -> Vec<u8> {
    frame(&encode(&ToHost::Hello {
        protocol: PROTOCOL_VERSION,
        token: token.into(),
        name: "Mallory".into(),
        client: "0123456789abcdef".into(),
        secret: "mallorys-own-secret".into(),
    }))
}

#[test]
fn wrong_tokens_garbage_and_oversized_frames_are_refused_while_a_joiner_carries_on() {
    let (dir, path) = common::temp_session();
    let host = host(&path);
    let address = host.address.to_string();
    let token = host.token.clone();
    let outbox = dir.path().join("sam.outbox");
    // A real joiner posts throughout.
    let worker = {
        let (address, token) = (address.clone(), token.clone());
        std::thread::spawn(move || {
            runtime().block_on(async {
                let mut joiner = Joiner::start(&address, &token, "Sam", &outbox).expect("joins");
                for i in 0..300 {
                    joiner.submit(comment(format!("sam {i}"))).expect("kept");
                    tokio::time::sleep(Duration::from_millis(5)).await;
                }
                settle(&mut joiner, Duration::from_secs(60)).await
            })
        })
    };
    // Wrong token: refused, said so, after a delay.
    let started = std::time::Instant::now();
    let back = frames(&raw_exchange(&address, &hello("not-the-token")));
    assert!(matches!(back.as_slice(), [ToJoiner::Refused { reason }] if reason == "wrong token"), "{back:?}");
    assert!(started.elapsed() >= Duration::from_millis(900), "refusals are slowed down");
    // Garbage where the hello should be: dropped without a word.
    assert!(raw_exchange(&address, &frame(b"\x00\x01garbage{{{")).is_empty());
    // A frame claiming 10 MB: dropped before it is read.
    let mut oversized = (10_000_000u32).to_be_bytes().to_vec();
    oversized.extend_from_slice(&[b'x'; 4096]);
    assert!(raw_exchange(&address, &oversized).is_empty());
    // Right token, then garbage: welcomed, then dropped with the reason.
    let mut bytes = hello(&token);
    bytes.extend(frame(b"Submit(seq: \"one\")"));
    let back = frames(&raw_exchange(&address, &bytes));
    assert!(matches!(back.first(), Some(ToJoiner::Welcome { .. })), "{back:?}");
    assert!(matches!(back.last(), Some(ToJoiner::Refused { .. })), "{back:?}");
    // Right token, then submissions out of order: dropped.
    let mut bytes = hello(&token);
    let submit = |seq| frame(&encode(&ToHost::Submit { seq, op: comment(format!("mallory {seq}")) }));
    bytes.extend(submit(1));
    bytes.extend(submit(3));
    let back = frames(&raw_exchange(&address, &bytes));
    let refused =
        back.iter().any(|m| matches!(m, ToJoiner::Refused { reason } if reason.contains("out of order")));
    assert!(refused, "{back:?}");
    let (answers, _) = worker.join().expect("the joiner thread");
    assert_eq!(answers.len(), 300);
    host.stop().expect("the host saves");
    let texts = stored_texts(&path);
    assert_eq!(texts.iter().filter(|t| t.starts_with("sam ")).count(), 300, "the real joiner lost nothing");
    assert_eq!(texts.iter().filter(|t| t.starts_with("mallory ")).count(), 1, "only the in-order submission");
    let log =
        std::fs::read_to_string(convene::store::HostLog::for_session(&path).path()).expect("a host log");
    assert!(log.contains("wrong token"), "{log}");
    assert!(log.contains("out of order"), "{log}");
    assert!(log.lines().count() >= 5, "each kind of refusal is logged:\n{log}");
}

#[test]
fn text_from_the_network_is_stored_without_escape_sequences() {
    let (dir, path) = common::temp_session();
    let host = host(&path);
    let address = host.address.to_string();
    let outbox = dir.path().join("eve.outbox");
    runtime().block_on(async {
        let mut joiner = Joiner::start(&address, &host.token, "Eve\u{1b}[31m", &outbox).expect("joins");
        joiner.submit(comment("clear\u{1b}[2J screen\u{7}\nsecond line".into())).expect("kept");
        settle(&mut joiner, Duration::from_secs(20)).await
    });
    host.stop().expect("the host saves");
    let loaded = load_read_only(&path).expect("loads");
    let stamped = loaded.file.events.last().expect("one event");
    match &stamped.event {
        Event::CommentAdded { text, .. } => assert_eq!(text, "clear[2J screen\nsecond line"),
        other => panic!("expected a comment, got {other:?}"),
    }
    assert_eq!(stamped.by, convene::model::Actor::NoteTaker("Eve[31m".into()));
}

#[test]
fn a_host_that_goes_away_and_comes_back_keeps_what_it_answered_and_the_joiner_resends_the_rest() {
    let (dir, path) = common::temp_session();
    let listen: std::net::SocketAddr = {
        // A fixed free port, so the joiner finds the restarted host where it was.
        let probe = std::net::TcpListener::bind("127.0.0.1:0").expect("probe");
        probe.local_addr().expect("address")
    };
    let token = new_token();
    let first = serve_headless(&path, HostOptions { listen, token: token.clone() }).expect("starts");
    let outbox = dir.path().join("lee.outbox");
    let runtime = runtime();
    let stored_before = runtime.block_on(async {
        let mut joiner = Joiner::start(&listen.to_string(), &token, "Lee", &outbox).expect("joins");
        for i in 0..200 {
            joiner.submit(comment(format!("lee {i}"))).expect("kept");
        }
        let mut stored = Vec::new();
        while stored.len() < 100 {
            if let Some(LinkNews::Answer { seq, outcome: Outcome::Stored(_) }) = joiner.next().await {
                stored.push(seq);
            }
        }
        // The host goes away mid-stream (SIGKILL of the real binary is in tests/pty.rs).
        first.stop().expect("stops");
        // Keep capturing while the host is down.
        for i in 200..250 {
            joiner.submit(comment(format!("lee {i}"))).expect("kept while offline");
        }
        let restarted =
            serve_headless(&path, HostOptions { listen, token: token.clone() }).expect("restarts");
        let (answers, _) = settle(&mut joiner, Duration::from_secs(60)).await;
        restarted.stop().expect("stops");
        (stored, answers)
    });
    let (stored, answers) = stored_before;
    assert!(stored.len() >= 100);
    assert!(!answers.is_empty());
    let texts = stored_texts(&path);
    let expected: Vec<String> = (0..250).map(|i| format!("lee {i}")).collect();
    assert_eq!(texts, expected, "acknowledged ones kept, the rest resent, none twice");
}
