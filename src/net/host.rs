//! The host side: accept joined terminals, check their token, stream them the log, and pass
//! their submissions to the console, which alone stamps and stores events.
//!
//! The log is shared, encoded once per event; each connection keeps only a cursor into it, so
//! a slow joiner costs a number, not a queue: when it falls behind it simply reads on from
//! the log. Answers go through a small bounded queue per connection; a joiner that lets it
//! fill is cut off, and on reconnecting it is resynchronised from the log.
//!
//! Before any of that a connection passes the gate (per-address limits, see `gate.rs`), says
//! hello within `HELLO_LIMIT` with the token and its terminal's secret, and only then takes a
//! joined terminal's place. Refusals reach the console (and its log) summarised, at most one
//! line per address and kind every `SUMMARY_EVERY`, whatever the flood.

use std::collections::{BTreeMap, HashMap};
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use bytes::Bytes;
use chrono::{DateTime, Utc};
use futures::StreamExt;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, oneshot, watch};
use tokio::time::{interval, sleep, sleep_until, timeout, Instant, MissedTickBehavior};
use tokio_util::codec::{FramedRead, FramedWrite, LengthDelimitedCodec};

use super::gate::Gate;
use super::protocol::{
    codec, decode, encode, sanitize, token_matches, valid_client_id, write_within, Outcome, ToHost, ToJoiner,
    HELLO_LIMIT, MAX_AHEAD, MAX_HOST_FRAME, MAX_JOINER_FRAME, MAX_NAME_CHARS, MAX_TEXT_CHARS,
    PROTOCOL_VERSION, SESSION_CLOSED, SILENCE_LIMIT,
};
use crate::model::{Plan, Request, Stamped};
use crate::store::{JoinerKeys, KeyCheck};

/// Answers waiting for one joiner before it counts as too far behind.
const ANSWER_QUEUE: usize = 4096;
/// Refusals of one kind from one address reach the console at most this often.
pub const SUMMARY_EVERY: Duration = Duration::from_secs(10);
/// Wait before telling a wrong token so, to slow guessing.
const REFUSAL_DELAY: Duration = Duration::from_secs(1);
/// A joiner that takes longer than this to take a write is gone.
const WRITE_LIMIT: Duration = Duration::from_secs(10);
/// Events copied out of the shared log per lock.
const LOG_CHUNK: usize = 256;

/// What the host needs to let terminals join.
#[derive(Debug)]
pub struct HostConfig {
    /// The secret every joiner must present.
    pub token: String,
    /// Names the session (so a joiner's outbox is never replayed into another).
    pub session: String,
    /// The plan joiners are sent.
    pub plan: Plan,
    /// Each joined terminal's secret, kept beside the session.
    pub keys: JoinerKeys,
}

/// A joined terminal as the host's screen lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Peer {
    /// The connection's number, for disconnecting it.
    pub connection: u64,
    /// Who is capturing there.
    pub name: String,
    /// Where from.
    pub address: SocketAddr,
    /// Connected since.
    pub since: DateTime<Utc>,
}

/// An operation a joined terminal asks to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Submission {
    /// The terminal's id.
    pub client: String,
    /// Who is capturing there.
    pub name: String,
    /// The terminal's number for it.
    pub seq: u64,
    /// What to record (text already sanitised).
    pub request: Request,
}

/// What the network tells the console.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostNews {
    /// A joiner submitted something.
    Submitted(Submission),
    /// Who is connected changed.
    Peers(Vec<Peer>),
    /// A connection was refused or dropped for breaking the rules (for the host's screen).
    Refused(String),
}

/// A running host: the console calls it with durable events and answers.
#[derive(Clone)]
pub struct Host {
    shared: Arc<Shared>,
    /// The address it listens on.
    pub address: SocketAddr,
}

struct Shared {
    token: String,
    session: String,
    plan: Plan,
    keys: Mutex<JoinerKeys>,
    gate: Mutex<Gate<oneshot::Sender<()>>>,
    refusals: Mutex<Refusals>,
    hub: Mutex<Hub>,
    log_len: watch::Sender<usize>,
    news: mpsc::UnboundedSender<HostNews>,
}

#[derive(Default)]
struct Hub {
    /// Every durable event, encoded once as a frame body.
    log: Vec<Bytes>,
    /// Per joiner id: every submission up to this number is answered.
    applied: HashMap<String, u64>,
    connections: BTreeMap<u64, Connection>,
    next_connection: u64,
}

struct Connection {
    peer: Peer,
    client: String,
    answers: mpsc::Sender<Bytes>,
    close: watch::Sender<Option<String>>,
}

impl Host {
    /// Listen on `address` and serve joiners from the durable log `events`. Must be called
    /// inside a tokio runtime; the serving tasks live on it.
    pub async fn start(
        address: SocketAddr,
        config: HostConfig,
        events: &[Stamped],
        news: mpsc::UnboundedSender<HostNews>,
    ) -> std::io::Result<Host> {
        let listener = TcpListener::bind(address).await?;
        let address = listener.local_addr()?;
        let (log_len, _) = watch::channel(0);
        let HostConfig { token, session, plan, keys } = config;
        let shared = Arc::new(Shared {
            token,
            session,
            plan,
            keys: Mutex::new(keys),
            gate: Mutex::new(Gate::default()),
            refusals: Mutex::new(Refusals::default()),
            hub: Mutex::new(Hub::default()),
            log_len,
            news,
        });
        let host = Host { shared, address };
        host.publish(events);
        tokio::spawn(accept(listener, host.shared.clone()));
        Ok(host)
    }

    /// Events now durable, in log order: stream them to every joiner.
    pub fn publish(&self, events: &[Stamped]) {
        if events.is_empty() {
            return;
        }
        let mut hub = self.shared.lock();
        for event in events {
            hub.log.push(encode(&ToJoiner::Event(Box::new(event.clone()))));
            if let Some(origin) = &event.origin {
                let applied = hub.applied.entry(origin.client.clone()).or_default();
                *applied = (*applied).max(origin.seq);
            }
        }
        let len = hub.log.len();
        drop(hub);
        self.shared.log_len.send_replace(len);
    }

    /// Tell a joiner what became of a submission (only once everything before it is durable).
    pub fn answer(&self, client: &str, seq: u64, outcome: Outcome) {
        let mut hub = self.shared.lock();
        let applied = hub.applied.entry(client.to_string()).or_default();
        *applied = (*applied).max(seq);
        let frame = encode(&ToJoiner::Answer { seq, outcome });
        for connection in hub.connections.values().filter(|c| c.client == client) {
            if connection.answers.try_send(frame.clone()).is_err() {
                // It stopped reading: cut it off; when it reconnects, `Welcome` says what was done.
                connection.close.send_replace(Some(String::new()));
            }
        }
    }

    /// Disconnect a joiner, telling it why; it does not reconnect by itself.
    pub fn disconnect(&self, connection: u64, reason: &str) {
        let hub = self.shared.lock();
        if let Some(c) = hub.connections.get(&connection) {
            c.close.send_replace(Some(reason.to_string()));
        }
    }

    /// The session is over: tell every joiner so (their consoles stop reconnecting), and wait
    /// up to `limit` for the connections to close.
    pub async fn close_all(&self, limit: Duration) {
        for connection in self.shared.lock().connections.values() {
            connection.close.send_replace(Some(SESSION_CLOSED.to_string()));
        }
        let deadline = tokio::time::Instant::now() + limit;
        while !self.peers().is_empty() && tokio::time::Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    /// Who is connected now.
    pub fn peers(&self) -> Vec<Peer> {
        self.shared.lock().peers()
    }
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Hub> {
        // A panic while holding the lock leaves plain data behind; carry on with it.
        self.hub.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn tell(&self, news: HostNews) {
        let _ = self.news.send(news);
    }

    fn gate(&self) -> MutexGuard<'_, Gate<oneshot::Sender<()>>> {
        self.gate.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// A refusal for the console, unless one like it from the same address was told lately.
    fn refused(&self, ip: IpAddr, kind: &'static str, line: String) {
        let told =
            self.refusals.lock().unwrap_or_else(|p| p.into_inner()).note(ip, kind, line, Instant::now());
        if let Some(line) = told {
            self.tell(HostNews::Refused(line));
        }
    }
}

/// Refusals already told, per address and kind, and how many like them were not.
#[derive(Default)]
struct Refusals {
    recent: HashMap<(IpAddr, &'static str), Told>,
}

struct Told {
    at: Instant,
    more: u64,
}

/// Addresses and kinds remembered before old ones are forgotten.
const REFUSALS_KEPT: usize = 4096;

impl Refusals {
    /// The line to tell now, if any.
    fn note(&mut self, ip: IpAddr, kind: &'static str, line: String, now: Instant) -> Option<String> {
        if self.recent.len() >= REFUSALS_KEPT {
            // Too many addresses at once: forget the quiet ones (only a summary count is lost).
            self.recent.retain(|_, told| now.duration_since(told.at) < SUMMARY_EVERY);
        }
        match self.recent.get_mut(&(ip, kind)) {
            Some(told) if now.duration_since(told.at) < SUMMARY_EVERY => {
                told.more += 1;
                None
            }
            Some(told) => {
                let more = std::mem::take(&mut told.more);
                told.at = now;
                Some(if more > 0 { format!("{line} (and {more} more like it before)") } else { line })
            }
            None => {
                self.recent.insert((ip, kind), Told { at: now, more: 0 });
                Some(line)
            }
        }
    }

    /// Summaries of what was held back and is now due.
    fn flush(&mut self, now: Instant) -> Vec<String> {
        let mut lines = Vec::new();
        for ((ip, kind), told) in &mut self.recent {
            if told.more > 0 && now.duration_since(told.at) >= SUMMARY_EVERY {
                lines.push(format!("{} more from {ip}: {kind}", told.more));
                told.more = 0;
                told.at = now;
            }
        }
        self.recent.retain(|_, told| told.more > 0 || now.duration_since(told.at) < SUMMARY_EVERY * 6);
        lines
    }
}

impl Hub {
    fn peers(&self) -> Vec<Peer> {
        self.connections.values().map(|c| c.peer.clone()).collect()
    }
}

async fn accept(listener: TcpListener, shared: Arc<Shared>) {
    let mut summaries = interval(SUMMARY_EVERY);
    summaries.set_missed_tick_behavior(MissedTickBehavior::Delay);
    loop {
        let (stream, address) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(_) => {
                    // Out of descriptors or a reset mid-handshake: wait a moment and go on.
                    sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            _ = summaries.tick() => {
                let due = shared.refusals.lock().unwrap_or_else(|p| p.into_inner()).flush(Instant::now());
                for line in due {
                    shared.tell(HostNews::Refused(line));
                }
                continue;
            }
        };
        let (close, pushed_out) = oneshot::channel();
        let admitted = shared.gate().arrive(address.ip(), std::time::Instant::now(), close);
        match admitted {
            Ok((waiting, older)) => {
                // Dropping an older connection's handle closes it: it never said hello.
                drop(older);
                tokio::spawn(serve(stream, address, shared.clone(), waiting, pushed_out));
            }
            Err(deny) => {
                // Closed at once, unread: a flood costs an accept and a close.
                drop(stream);
                shared.refused(address.ip(), deny.reason(), format!("refused {address}: {}", deny.reason()));
            }
        }
    }
}

type Reader = FramedRead<tokio::net::tcp::OwnedReadHalf, LengthDelimitedCodec>;
type Writer = FramedWrite<tokio::net::tcp::OwnedWriteHalf, LengthDelimitedCodec>;

/// Why a connection ended.
enum End {
    /// Tell the joiner this, then close.
    Refuse(String),
    /// Close without a word (the joiner reconnects).
    Drop,
}

/// Who a connection says it is, once its hello checks out.
struct Hello {
    name: String,
    client: String,
    /// A presenter: it reads the log and may never write.
    read_only: bool,
}

/// How the host's screen names a read-only presenter's connection.
pub const PRESENTER_NAME: &str = "presenter (read-only)";

async fn serve(
    stream: TcpStream,
    address: SocketAddr,
    shared: Arc<Shared>,
    waiting: u64,
    pushed_out: oneshot::Receiver<()>,
) {
    let _ = stream.set_nodelay(true);
    let (read, write) = stream.into_split();
    let mut frames = FramedRead::new(read, codec(MAX_JOINER_FRAME));
    let mut out = FramedWrite::new(write, codec(MAX_HOST_FRAME));
    let ip = address.ip();
    let first = tokio::select! {
        first = timeout(HELLO_LIMIT, frames.next()) => Some(first),
        _ = pushed_out => None,
    };
    shared.gate().done_waiting(ip, waiting);
    let hello = match first {
        None => {
            let kind = "no hello before newer connections from the same address";
            shared.refused(ip, kind, format!("dropped {address}: {kind}"));
            return;
        }
        Some(Ok(Some(Ok(body)))) => decode::<ToHost>(&body).map_err(|e| e.to_string()),
        Some(Ok(Some(Err(error)))) => {
            shared.refused(ip, "unreadable frame", format!("dropped {address}: {error}"));
            return;
        }
        Some(Ok(None)) => return,
        Some(Err(_)) => {
            let kind = "no hello in time";
            shared.refused(ip, kind, format!("dropped {address}: {kind}"));
            return;
        }
    };
    let hello = match hello {
        Ok(ToHost::Hello { protocol, token, name, client, secret }) => {
            match check_hello(&mut out, &shared, address, protocol, &token, name, client, secret).await {
                Some(hello) => hello,
                None => return,
            }
        }
        Ok(ToHost::Watch { protocol, token }) => {
            if !check_token_and_protocol(&mut out, &shared, address, protocol, &token).await {
                return;
            }
            // Its own id each time, so presenters never replace one another or a joiner.
            let client = format!("watch-{}", super::protocol::new_client_id());
            Hello { name: PRESENTER_NAME.to_string(), client, read_only: true }
        }
        Ok(_) => {
            shared.refused(
                ip,
                "spoke before saying hello",
                format!("dropped {address}: spoke before saying hello"),
            );
            return;
        }
        Err(error) => {
            shared.refused(ip, "unreadable hello", format!("dropped {address}: {error}"));
            return;
        }
    };
    let admitted = shared.gate().join(ip);
    if let Err(deny) = admitted {
        shared.refused(ip, deny.reason(), format!("refused {} ({address}): {}", hello.name, deny.reason()));
        // Said as a lost connection (empty reason), so the joiner tries again later by itself.
        let _ = say(&mut out, &ToJoiner::Refused { reason: String::new() }).await;
        return;
    }
    joined(frames, out, address, &shared, hello).await;
    shared.gate().leave(ip);
}

/// The token, the protocol, the name and the terminal's secret; `None` once refused.
#[allow(clippy::too_many_arguments)]
async fn check_hello(
    out: &mut Writer,
    shared: &Arc<Shared>,
    address: SocketAddr,
    protocol: u32,
    token: &str,
    name: String,
    client: String,
    secret: String,
) -> Option<Hello> {
    let ip = address.ip();
    if !check_token_and_protocol(out, shared, address, protocol, token).await {
        return None;
    }
    let name = sanitize(&name, MAX_NAME_CHARS, false).trim().to_string();
    if name.is_empty() || !valid_client_id(&client) || !valid_client_id(&secret) {
        let reason = "a name, a valid terminal id and its secret are needed".to_string();
        let _ = say(out, &ToJoiner::Refused { reason }).await;
        return None;
    }
    // Registering a new terminal writes its secret to disk: off the console's thread.
    let keys = shared.clone();
    let (id, key) = (client.clone(), secret.clone());
    let checked = tokio::task::spawn_blocking(move || {
        keys.keys.lock().unwrap_or_else(|p| p.into_inner()).check(&id, &key)
    })
    .await;
    match checked {
        Ok(Ok(KeyCheck::Known | KeyCheck::Registered)) => Some(Hello { name, client, read_only: false }),
        Ok(Ok(KeyCheck::Wrong)) => {
            let kind = "another terminal's id without its secret";
            shared.refused(ip, kind, format!("refused {name} ({address}): {kind} ({client})"));
            let reason =
                "this terminal id belongs to another terminal: join with your own outbox".to_string();
            let _ = say(out, &ToJoiner::Refused { reason }).await;
            None
        }
        Ok(Ok(KeyCheck::Full)) => {
            let kind = "no room for another terminal";
            shared.refused(ip, kind, format!("refused {name} ({address}): {kind}"));
            let reason = "this session has registered as many terminals as it keeps".to_string();
            let _ = say(out, &ToJoiner::Refused { reason }).await;
            None
        }
        Ok(Err(error)) => {
            // Not refused for good: the joiner retries, and the facilitator sees why.
            shared.tell(HostNews::Refused(format!("could not keep {name}'s terminal key: {error}")));
            None
        }
        Err(_) => None,
    }
}

/// The token (a wrong one refused after a delay) and the protocol version; false once refused.
async fn check_token_and_protocol(
    out: &mut Writer,
    shared: &Arc<Shared>,
    address: SocketAddr,
    protocol: u32,
    token: &str,
) -> bool {
    let ip = address.ip();
    if !token_matches(token, &shared.token) {
        if !shared.gate().start_refusal(ip) {
            // Enough refusals from there are already being held back: just close.
            shared.refused(ip, "wrong token", format!("refused {address}: wrong token"));
            return false;
        }
        shared.refused(ip, "wrong token", format!("refused {address}: wrong token"));
        sleep(REFUSAL_DELAY).await;
        let _ = say(out, &ToJoiner::Refused { reason: "wrong token".into() }).await;
        shared.gate().end_refusal(ip);
        return false;
    }
    if protocol != PROTOCOL_VERSION {
        let reason = format!(
            "this host speaks protocol {PROTOCOL_VERSION} and the joiner {protocol}: use the same convene version"
        );
        let _ = say(out, &ToJoiner::Refused { reason }).await;
        return false;
    }
    true
}

/// A welcomed terminal, from its registration to its leaving.
async fn joined(mut frames: Reader, mut out: Writer, address: SocketAddr, shared: &Shared, hello: Hello) {
    let Hello { name, client, read_only } = hello;
    let (connection, mut answers, mut close, applied) = register(shared, address, &name, &client);
    let end = match welcome(&mut out, shared, &name, applied, read_only).await {
        Ok(()) => {
            let who = Who { name: &name, client: &client, read_only };
            converse(&mut frames, &mut out, shared, &mut answers, &mut close, who, applied).await
        }
        Err(_) => End::Drop,
    };
    match end {
        End::Refuse(reason) => {
            if !reason.is_empty() {
                shared.tell(HostNews::Refused(format!("dropped {name} ({address}): {reason}")));
                let _ = say(&mut out, &ToJoiner::Refused { reason }).await;
            }
        }
        End::Drop => {}
    }
    let mut hub = shared.lock();
    hub.connections.remove(&connection);
    let peers = hub.peers();
    drop(hub);
    shared.tell(HostNews::Peers(peers));
}

/// Add a connection; a newer connection from the same terminal replaces the old one.
fn register(
    shared: &Shared,
    address: SocketAddr,
    name: &str,
    client: &str,
) -> (u64, mpsc::Receiver<Bytes>, watch::Receiver<Option<String>>, u64) {
    let (answers, answers_in) = mpsc::channel(ANSWER_QUEUE);
    let (close, close_in) = watch::channel(None);
    let mut hub = shared.lock();
    for old in hub.connections.values().filter(|c| c.client == client) {
        old.close.send_replace(Some(String::new()));
    }
    hub.next_connection += 1;
    let connection = hub.next_connection;
    let peer = Peer { connection, name: name.to_string(), address, since: Utc::now() };
    hub.connections.insert(connection, Connection { peer, client: client.to_string(), answers, close });
    let applied = hub.applied.get(client).copied().unwrap_or(0);
    let peers = hub.peers();
    drop(hub);
    shared.tell(HostNews::Peers(peers));
    (connection, answers_in, close_in, applied)
}

async fn welcome(
    out: &mut Writer,
    shared: &Shared,
    name: &str,
    applied: u64,
    read_only: bool,
) -> std::io::Result<()> {
    let plan = &shared.plan;
    // A presenter is nobody: it never votes.
    let you = if read_only { None } else { plan.participant_named(name).map(|p| p.id.clone()) };
    let hello = ToJoiner::Welcome {
        protocol: PROTOCOL_VERSION,
        session: shared.session.clone(),
        plan: Box::new(plan.clone()),
        applied,
        you,
    };
    write_within(out, [encode(&hello), encode(&ToJoiner::Reset)], WRITE_LIMIT).await
}

/// The life of a welcomed connection: stream the log, pass answers, take submissions.
#[allow(clippy::too_many_arguments)]
async fn converse(
    frames: &mut Reader,
    out: &mut Writer,
    shared: &Shared,
    answers: &mut mpsc::Receiver<Bytes>,
    close: &mut watch::Receiver<Option<String>>,
    who: Who<'_>,
    applied: u64,
) -> End {
    let Who { name, client, read_only } = who;
    let mut log_len = shared.log_len.subscribe();
    let mut cursor = 0;
    // Submissions must continue where the last answered one left off, one at a time.
    let mut expect: Option<u64> = None;
    let mut heard = Instant::now();
    if send_log(out, shared, &mut cursor).await.is_err() {
        return End::Drop;
    }
    loop {
        tokio::select! {
            _ = close.changed() => {
                return End::Refuse(close.borrow().clone().unwrap_or_default());
            }
            frame = frames.next() => {
                heard = Instant::now();
                let body = match frame {
                    Some(Ok(body)) => body,
                    Some(Err(error)) => return End::Refuse(format!("bad frame: {error}")),
                    None => return End::Drop,
                };
                match decode::<ToHost>(&body) {
                    Ok(ToHost::Submit { .. }) if read_only => {
                        // Decided here, whatever the other end claims to be: a presenter's
                        // connection never writes, and one that tries is cut off.
                        return End::Refuse(
                            "a presenter's connection is read-only: nothing it sends is recorded".into(),
                        );
                    }
                    Ok(ToHost::Submit { seq, op }) => {
                        if expect.is_none() && seq <= applied {
                            // Answered before (the joiner missed the answer): say so again.
                            let answer = ToJoiner::Answer { seq, outcome: Outcome::Duplicate };
                            if say(out, &answer).await.is_err() {
                                return End::Drop;
                            }
                            continue;
                        }
                        let in_order = match expect {
                            Some(next) => seq == next,
                            None => seq - applied <= MAX_AHEAD,
                        };
                        if !in_order {
                            // This connection only: the terminal's numbering stays as it was.
                            let wanted = expect.unwrap_or(applied + 1);
                            return End::Refuse(format!("submission {seq} out of order (expected {wanted})"));
                        }
                        expect = Some(seq + 1);
                        let submission = Submission {
                            client: client.to_string(),
                            name: name.to_string(),
                            seq,
                            request: clean(op),
                        };
                        shared.tell(HostNews::Submitted(submission));
                    }
                    Ok(ToHost::Ping) => {
                        let pong = ToJoiner::Pong { now: Utc::now() };
                        if say(out, &pong).await.is_err() {
                            return End::Drop;
                        }
                    }
                    Ok(ToHost::Hello { .. } | ToHost::Watch { .. }) => {
                        return End::Refuse("said hello twice".into())
                    }
                    Err(error) => return End::Refuse(error.to_string()),
                }
            }
            answer = answers.recv() => {
                let Some(answer) = answer else { return End::Drop };
                // Events first, so the joiner sees its comment before the answer about it.
                if send_log(out, shared, &mut cursor).await.is_err() {
                    return End::Drop;
                }
                if write_within(out, [answer], WRITE_LIMIT).await.is_err() {
                    return End::Drop;
                }
            }
            changed = log_len.changed() => {
                if changed.is_err() || send_log(out, shared, &mut cursor).await.is_err() {
                    return End::Drop;
                }
            }
            _ = sleep_until(heard + SILENCE_LIMIT) => return End::Drop,
        }
    }
}

/// Who is on a welcomed connection.
#[derive(Clone, Copy)]
struct Who<'a> {
    name: &'a str,
    client: &'a str,
    read_only: bool,
}

/// Write the log from `cursor` to its current end.
async fn send_log(out: &mut Writer, shared: &Shared, cursor: &mut usize) -> std::io::Result<()> {
    loop {
        let chunk: Vec<Bytes> = {
            let hub = shared.lock();
            hub.log.get(*cursor..).unwrap_or_default().iter().take(LOG_CHUNK).cloned().collect()
        };
        if chunk.is_empty() {
            return Ok(());
        }
        let count = chunk.len();
        write_within(out, chunk, WRITE_LIMIT).await?;
        *cursor += count;
    }
}

async fn say(out: &mut Writer, message: &ToJoiner) -> std::io::Result<()> {
    write_within(out, [encode(message)], WRITE_LIMIT).await
}

/// Text and names from the network, made safe before they reach the log or any screen.
fn clean(op: Request) -> Request {
    let text = |t: String| sanitize(&t, MAX_TEXT_CHARS, true);
    let name = |n: Option<String>| n.map(|n| sanitize(&n, MAX_NAME_CHARS, false));
    match op {
        Request::AddComment { text: t, theme, room, author, pre_session } => {
            Request::AddComment { text: text(t), theme: name(theme), room, author: name(author), pre_session }
        }
        Request::EditComment { id, text: t } => Request::EditComment { id, text: text(t) },
        Request::RetagComment { id, theme, room, author } => {
            Request::RetagComment { id, theme: name(theme), room, author: name(author) }
        }
        other => other,
    }
}
