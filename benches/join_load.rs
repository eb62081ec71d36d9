//! Joining under load: many joined terminals post comments at a steady rate to one headless
//! host on loopback. Reports what was sent, what the host's saved file holds (nothing may be
//! lost or stored twice), and how long each comment took from the joiner's submit (outbox
//! fsync included, as a person pressing commit waits for it) to the host's broadcast of it
//! coming back to that joiner.
//!
//! `cargo bench --bench join_load` runs 50 joiners at 10 comments a second for 30 seconds;
//! `JOIN_LOAD_JOINERS`, `JOIN_LOAD_RATE` (per joiner, per second) and `JOIN_LOAD_SECONDS`
//! change that, and `JOIN_LOAD_THREADS` how many threads the joiners share (see `THREADS`).
//! `JOIN_LOAD_FLOOD_FROM=127.0.0.2` (or `127.0.0.1`, the joiners' own address) floods the host
//! from that address throughout, as fast as one thread can: connections that close at once, send
//! a wrong token, or stay open saying nothing; it reports the flood's rate, how long the joiners
//! took to be welcomed under it, and the host log's size.
#![allow(clippy::unwrap_used, clippy::panic)] // a test fails by panicking

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc as std_mpsc;
use std::sync::Arc;
use std::time::{Duration, Instant};

use convene::app::{serve_headless, HostOptions, Joiner};
use convene::model::{Event, Request};
use convene::net::{new_token, LinkNews, Outcome};
use convene::store::load_read_only;
use tokio::sync::watch;

/// After its last comment, how long a joiner waits for the rest of its broadcasts and answers.
const GRACE: Duration = Duration::from_secs(30);
/// How long every joiner has to be welcomed before the run is called off.
const WELCOME_LIMIT: Duration = Duration::from_secs(60);
/// Each joiner is its own machine in real life: blocking on its outbox fsync must not hold up
/// the others, so they are spread over a few single-threaded runtimes.
const THREADS: usize = 10;

#[derive(Clone, Copy)]
struct Settings {
    joiners: usize,
    rate: u64,
    seconds: u64,
}

/// What one joiner saw.
#[derive(Default)]
struct Report {
    joiner: usize,
    sent: u64,
    /// Submit to the broadcast of the same event arriving back.
    latencies: Vec<Duration>,
    /// The submit call alone: the outbox append and fsync.
    submits: Vec<Duration>,
    /// Own events never broadcast back within the grace period.
    unreceived: u64,
    /// Own events broadcast again after one was already seen (a resend of the log).
    echoed: u64,
    /// Own events that match nothing sent.
    stray: u64,
    stored: u64,
    duplicate: u64,
    rejected: Vec<String>,
    unanswered: u64,
    welcomes: u64,
    offline: Vec<String>,
    refused: Vec<String>,
}

fn setting(name: &str, default: u64) -> u64 {
    match std::env::var(name) {
        Ok(value) => value.trim().parse().unwrap_or_else(|_| panic!("{name} must be a whole number")),
        Err(_) => default,
    }
}

fn main() {
    let settings = Settings {
        joiners: setting("JOIN_LOAD_JOINERS", 50) as usize,
        rate: setting("JOIN_LOAD_RATE", 10),
        seconds: setting("JOIN_LOAD_SECONDS", 30),
    };
    assert!(settings.joiners > 0 && settings.rate > 0, "at least one joiner, sending at least once a second");
    let threads = (setting("JOIN_LOAD_THREADS", THREADS as u64) as usize).clamp(1, settings.joiners);

    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("load.ron");
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("sessions/example.ron");
    std::fs::copy(&example, &path).expect("copying the example session");
    let options = HostOptions { listen: "127.0.0.1:0".parse().expect("address"), token: new_token() };
    let host = serve_headless(&path, options).expect("the host starts");
    let address = host.address.to_string();
    let flood_from = std::env::var("JOIN_LOAD_FLOOD_FROM").ok().filter(|a| !a.trim().is_empty());
    let (flood_stop, flood_made) = (Arc::new(AtomicBool::new(false)), Arc::new(AtomicU64::new(0)));
    let flood_started = Instant::now();
    let flooder = flood_from.as_ref().map(|from| {
        let flooder = flood(from, host.address, flood_stop.clone(), flood_made.clone());
        // Let it take whatever it can before the joiners come.
        std::thread::sleep(Duration::from_secs(2));
        flooder
    });
    let joining = Instant::now();

    // Everyone connects first, then all start together, each offset within the first period
    // so the comments arrive spread out rather than in lockstep.
    let (welcomed, welcomes) = std_mpsc::channel::<()>();
    let (begin, begin_rx) = watch::channel(None::<Instant>);
    let workers: Vec<_> = (0..threads)
        .map(|thread| {
            let mine: Vec<usize> = (thread..settings.joiners).step_by(threads).collect();
            let (address, token, outboxes) = (address.clone(), host.token.clone(), dir.path().to_path_buf());
            let (welcomed, begin_rx) = (welcomed.clone(), begin_rx.clone());
            std::thread::spawn(move || {
                let runtime =
                    tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
                runtime.block_on(futures::future::join_all(mine.into_iter().map(|j| {
                    let outbox = outboxes.join(format!("j{j}.outbox"));
                    run_joiner(j, settings, &address, &token, outbox, welcomed.clone(), begin_rx.clone())
                })))
            })
        })
        .collect();
    drop(welcomed);
    for _ in 0..settings.joiners {
        welcomes.recv_timeout(WELCOME_LIMIT).expect("every joiner is welcomed in time");
    }
    let all_welcomed = joining.elapsed();
    let started = Instant::now() + Duration::from_millis(200);
    begin.send_replace(Some(started));
    let reports: Vec<Report> =
        workers.into_iter().flat_map(|w| w.join().expect("a joiner thread panicked")).collect();
    let finished = started.elapsed();
    flood_stop.store(true, Ordering::Relaxed);
    let flood_time = flood_started.elapsed();
    if let Some(flooder) = flooder {
        flooder.join().expect("the flooder");
    }
    let stopping = Instant::now();
    host.stop().expect("the host saves");
    let stop_time = stopping.elapsed();

    // The file is the truth: every text sent must be there exactly once.
    let loaded = load_read_only(&path).expect("the saved session loads");
    let mut counts: HashMap<String, u64> = HashMap::new();
    for event in &loaded.file.events {
        if let Event::CommentAdded { text, .. } = &event.event {
            if text.starts_with("load ") {
                *counts.entry(text.clone()).or_default() += 1;
            }
        }
    }
    let stored: u64 = counts.values().sum();
    let mut lost = 0;
    let mut sent_texts = HashSet::new();
    for report in &reports {
        for i in 0..report.sent {
            let text = text(report.joiner, i);
            if !counts.contains_key(&text) {
                lost += 1;
            }
            sent_texts.insert(text);
        }
    }
    let duplicates: u64 = counts.values().map(|n| n.saturating_sub(1)).sum();
    let unexpected = counts.keys().filter(|t| !sent_texts.contains(*t)).count();

    let sum = |f: fn(&Report) -> u64| reports.iter().map(f).sum::<u64>();
    let sent = sum(|r| r.sent);
    let mut latencies: Vec<Duration> = reports.iter().flat_map(|r| r.latencies.iter().copied()).collect();
    let mut submits: Vec<Duration> = reports.iter().flat_map(|r| r.submits.iter().copied()).collect();
    let mut troubles: BTreeMap<&str, usize> = BTreeMap::new();
    for reason in reports.iter().flat_map(|r| r.offline.iter().chain(&r.refused).chain(&r.rejected)) {
        *troubles.entry(reason).or_default() += 1;
    }

    println!("joiners={} rate={}/s duration={}s", settings.joiners, settings.rate, settings.seconds);
    println!("sent={sent} stored={stored} lost={lost} duplicates={duplicates}");
    println!("send->broadcast {}", spread(&mut latencies));
    println!("  of which submit (outbox fsync) {}", spread(&mut submits));
    println!(
        "answers stored={} duplicate={} rejected={} unanswered={}",
        sum(|r| r.stored),
        sum(|r| r.duplicate),
        sum(|r| r.rejected.len() as u64),
        sum(|r| r.unanswered)
    );
    println!(
        "broadcasts unreceived={} echoed={} stray={} unexpected_in_file={unexpected}",
        sum(|r| r.unreceived),
        sum(|r| r.echoed),
        sum(|r| r.stray)
    );
    println!(
        "connections welcomes={} offline={} refused={} threads={threads}",
        sum(|r| r.welcomes),
        sum(|r| r.offline.len() as u64),
        sum(|r| r.refused.len() as u64)
    );
    for (reason, times) in &troubles {
        println!("  {times}x {reason}");
    }
    if let Some(from) = &flood_from {
        let made = flood_made.load(Ordering::Relaxed);
        let log = convene::store::HostLog::for_session(&path);
        let size = |p: &Path| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
        println!(
            "flood from {from}: {made} connections in {:.1}s ({:.0}/s); all {} joiners welcomed {:.2}s after they started; host log {} bytes (+{} rotated)",
            flood_time.as_secs_f64(),
            made as f64 / flood_time.as_secs_f64(),
            settings.joiners,
            all_welcomed.as_secs_f64(),
            size(log.path()),
            size(&log.rotated_path())
        );
    } else {
        println!(
            "all {} joiners welcomed {:.2}s after they started",
            settings.joiners,
            all_welcomed.as_secs_f64()
        );
    }
    println!(
        "run {:.1}s (sending and settling), host stop and final save {:.0}ms",
        finished.as_secs_f64(),
        stop_time.as_secs_f64() * 1000.0
    );
    assert!(
        lost == 0 && duplicates == 0,
        "lost={lost} duplicates={duplicates}: the host must keep each once"
    );
}

/// Connections from `from` to `to` as fast as one thread makes them, until `stop`: a quarter
/// send a wrong token, a quarter stay open (the latest 300) saying nothing, the rest close at once.
fn flood(
    from: &str,
    to: std::net::SocketAddr,
    stop: Arc<AtomicBool>,
    made: Arc<AtomicU64>,
) -> std::thread::JoinHandle<()> {
    let from: std::net::SocketAddr =
        format!("{from}:0").parse().expect("JOIN_LOAD_FLOOD_FROM is an IPv4 address");
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
        runtime.block_on(async move {
            use tokio::io::AsyncWriteExt;
            let hello = convene::net::protocol::ToHost::Hello {
                protocol: convene::net::protocol::PROTOCOL_VERSION,
                token: "0".repeat(40),
                name: "Flood".into(),
                client: "0123456789abcdef".into(),
                secret: "flood-secret-0000".into(),
            };
            let body = convene::net::protocol::encode(&hello);
            let mut wrong = (body.len() as u32).to_be_bytes().to_vec();
            wrong.extend_from_slice(&body);
            let mut idle = std::collections::VecDeque::new();
            let mut n: u64 = 0;
            while !stop.load(Ordering::Relaxed) {
                let Ok(socket) = tokio::net::TcpSocket::new_v4() else { continue };
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
                        let _ = stream.write_all(&wrong).await;
                    }
                    1 => {
                        idle.push_back(stream);
                        if idle.len() > 300 {
                            idle.pop_front();
                        }
                    }
                    _ => drop(stream),
                }
            }
        })
    })
}

fn text(joiner: usize, n: u64) -> String {
    format!("load j{joiner} n{n}")
}

/// p50, p90, p99 and max, in milliseconds.
fn spread(times: &mut [Duration]) -> String {
    if times.is_empty() {
        return "no samples".into();
    }
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let pick = |q: f64| ms(times[((times.len() as f64 * q) as usize).min(times.len() - 1)]);
    format!(
        "p50={:.1}ms p90={:.1}ms p99={:.1}ms max={:.1}ms",
        pick(0.5),
        pick(0.9),
        pick(0.99),
        ms(times[times.len() - 1])
    )
}

/// One joined terminal: join, wait for the start, post at the rate, then wait for the rest.
async fn run_joiner(
    j: usize,
    settings: Settings,
    address: &str,
    token: &str,
    outbox: PathBuf,
    welcomed: std_mpsc::Sender<()>,
    mut begin: watch::Receiver<Option<Instant>>,
) -> Report {
    let mut joiner = Joiner::start(address, token, &format!("Load {j}"), &outbox).expect("the joiner starts");
    let mut tally = Tally { client: joiner.outbox().client().to_string(), ..Tally::default() };
    tally.report.joiner = j;
    loop {
        let news = joiner.next().await.expect("the link runs until welcomed");
        if let LinkNews::Refused(reason) = &news {
            panic!("joiner {j} was refused: {reason}");
        }
        let welcome = matches!(news, LinkNews::Welcome { .. });
        tally.note(news);
        if welcome {
            break;
        }
    }
    let _ = welcomed.send(());
    let begin = begin.wait_for(Option::is_some).await.map(|b| *b).ok().flatten().expect("the start signal");

    let period = Duration::from_secs_f64(1.0 / settings.rate as f64);
    let total = settings.rate * settings.seconds;
    let first = begin + period.mul_f64(j as f64 / settings.joiners as f64);
    let mut ticks = tokio::time::interval_at(first.into(), period);
    let grace = tokio::time::sleep(Duration::from_secs(365 * 24 * 3600));
    tokio::pin!(grace);
    loop {
        if tally.report.sent == total && tally.sent_at.is_empty() && joiner.outbox().unanswered().is_empty() {
            break;
        }
        tokio::select! {
            _ = ticks.tick(), if tally.report.sent < total => {
                let before = Instant::now();
                let seq = joiner.submit(comment(text(j, tally.report.sent))).expect("kept in the outbox");
                tally.report.submits.push(before.elapsed());
                tally.sent_at.insert(seq, before);
                tally.report.sent += 1;
                if tally.report.sent == total {
                    grace.as_mut().reset(tokio::time::Instant::now() + GRACE);
                }
            }
            news = joiner.next() => {
                let Some(news) = news else { break };
                tally.note(news);
                // Take a burst in one go rather than one select per event.
                while let Some(more) = joiner.try_next() {
                    tally.note(more);
                }
            }
            _ = &mut grace, if tally.report.sent == total => break,
        }
    }
    tally.report.unreceived = tally.sent_at.len() as u64;
    tally.report.unanswered = joiner.outbox().unanswered().len() as u64;
    tally.report
}

fn comment(text: String) -> Request {
    Request::AddComment {
        text,
        theme: Some("Strengths".into()),
        room: None,
        author: None,
        pre_session: false,
    }
}

/// A joiner's bookkeeping: what it is waiting to see, and what it has seen.
#[derive(Default)]
struct Tally {
    client: String,
    sent_at: HashMap<u64, Instant>,
    received: HashSet<u64>,
    report: Report,
}

impl Tally {
    fn note(&mut self, news: LinkNews) {
        let report = &mut self.report;
        match news {
            LinkNews::Event(event) => {
                let Some(origin) = event.origin.as_ref().filter(|o| o.client == self.client) else {
                    return;
                };
                if let Some(at) = self.sent_at.remove(&origin.seq) {
                    report.latencies.push(at.elapsed());
                    self.received.insert(origin.seq);
                } else if self.received.contains(&origin.seq) {
                    report.echoed += 1;
                } else {
                    report.stray += 1;
                }
            }
            LinkNews::Answer { outcome, .. } => match outcome {
                Outcome::Stored(_) => report.stored += 1,
                Outcome::Duplicate => report.duplicate += 1,
                Outcome::Rejected(reason) => report.rejected.push(format!("rejected: {reason}")),
            },
            LinkNews::Welcome { .. } => report.welcomes += 1,
            LinkNews::Offline(reason) => report.offline.push(format!("offline: {reason}")),
            LinkNews::Refused(reason) => report.refused.push(format!("refused: {reason}")),
            LinkNews::Closed => report.refused.push("the session was closed".into()),
            LinkNews::Reset | LinkNews::HostTime(_) => {}
        }
    }
}
