//! The joiner side: keep a connection to the host alive, resend whatever is unanswered after
//! every reconnect, and pass the host's log and answers to the console in order.

use std::collections::VecDeque;
use std::time::Duration;

use bytes::Bytes;
use chrono::{DateTime, Utc};
use futures::StreamExt;
use tokio::net::tcp::OwnedWriteHalf;
use tokio::net::TcpStream;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio::time::{interval, sleep_until, timeout, Instant, MissedTickBehavior};
use tokio_util::codec::{FramedRead, FramedWrite, LengthDelimitedCodec};

use super::protocol::{
    codec, decode, encode, write_within, Outcome, ToHost, ToJoiner, MAX_HOST_FRAME, MAX_JOINER_FRAME,
    PING_EVERY, PROTOCOL_VERSION, SESSION_CLOSED, SILENCE_LIMIT,
};
use crate::model::{Plan, Request, Stamped};

/// First wait before reconnecting; it doubles up to `RETRY_MOST`.
const RETRY_FIRST: Duration = Duration::from_millis(250);
/// Longest wait between reconnection attempts.
const RETRY_MOST: Duration = Duration::from_secs(4);
/// Give up on one connection attempt after this long.
const CONNECT_LIMIT: Duration = Duration::from_secs(5);

/// Where and as whom to join.
#[derive(Debug, Clone)]
pub struct JoinConfig {
    /// HOST:PORT.
    pub address: String,
    /// The token the host printed.
    pub token: String,
    /// Who is capturing here.
    pub name: String,
    /// This terminal's id (kept in the outbox, so it survives restarts).
    pub client: String,
    /// This terminal's secret (kept in the outbox): proves the id is ours.
    pub secret: String,
    /// The session the outbox's unsent operations belong to, if it knows.
    pub session: Option<String>,
    /// A presenter: say `Watch` rather than `Hello` (no name, id or secret) and never submit.
    pub read_only: bool,
}

/// What the link tells the console.
#[derive(Debug, Clone, PartialEq)]
pub enum LinkNews {
    /// Connected: the session's plan, and which of our submissions are already answered.
    Welcome {
        /// The session's name.
        session: String,
        /// Its plan.
        plan: Box<Plan>,
        /// Every submission up to this number is answered.
        applied: u64,
        /// The participant our name matched.
        you: Option<String>,
    },
    /// The whole log follows: forget the one you have.
    Reset,
    /// The next event of the log (always the one after the last passed on).
    Event(Box<Stamped>),
    /// A submission was answered.
    Answer {
        /// Our number for it.
        seq: u64,
        /// What became of it.
        outcome: Outcome,
    },
    /// The host's clock.
    HostTime(DateTime<Utc>),
    /// Lost the connection (or could not make it); retrying.
    Offline(String),
    /// The host refused us for good (wrong token, disconnected by the facilitator).
    Refused(String),
    /// The host quit: the session is over and nothing more is sent.
    Closed,
}

/// A running link; dropping it stops the connection.
pub struct Link {
    submit: mpsc::UnboundedSender<(u64, Request)>,
    task: JoinHandle<()>,
}

impl Link {
    /// Connect (and keep reconnecting) in the background; `unsent` are resent first.
    pub fn start(
        config: JoinConfig,
        unsent: Vec<(u64, Request)>,
        news: mpsc::UnboundedSender<LinkNews>,
    ) -> Link {
        let (submit, submissions) = mpsc::unbounded_channel();
        let task = tokio::spawn(run(config, unsent.into(), submissions, news));
        Link { submit, task }
    }

    /// Send an operation (already kept in the outbox) as soon as the host can take it.
    pub fn submit(&self, seq: u64, op: Request) {
        let _ = self.submit.send((seq, op));
    }
}

impl Drop for Link {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// A read-only link for a presenter: the host's plan, log and clock, and no way to submit
/// anything (the host refuses it anyway). Dropping it stops the connection.
pub struct Watch {
    // The link's submission channel stays open (unused), so the link never takes its closing
    // for the end of the console.
    _link: Link,
}

impl Watch {
    /// Connect (and keep reconnecting) in the background, inside a tokio runtime.
    pub fn start(address: &str, token: &str, news: mpsc::UnboundedSender<LinkNews>) -> Watch {
        let config = JoinConfig {
            address: address.to_string(),
            token: token.to_string(),
            name: String::new(),
            client: String::new(),
            secret: String::new(),
            session: None,
            read_only: true,
        };
        Watch { _link: Link::start(config, Vec::new(), news) }
    }
}

/// How a connection ended.
enum Ended {
    Lost(String),
    Refused(String),
    /// The host quit: the session is over, nothing more will be answered.
    Closed,
}

async fn run(
    mut config: JoinConfig,
    mut pending: VecDeque<(u64, Request)>,
    mut submissions: mpsc::UnboundedReceiver<(u64, Request)>,
    news: mpsc::UnboundedSender<LinkNews>,
) {
    let mut wait = RETRY_FIRST;
    loop {
        let started = Instant::now();
        match connection(&mut config, &mut pending, &mut submissions, &news).await {
            Ended::Refused(reason) => {
                let _ = news.send(LinkNews::Refused(reason));
                return;
            }
            Ended::Closed => {
                let _ = news.send(LinkNews::Closed);
                return;
            }
            Ended::Lost(reason) => {
                let _ = news.send(LinkNews::Offline(reason));
            }
        }
        // A connection that lived a while starts the backoff afresh.
        if started.elapsed() > SILENCE_LIMIT {
            wait = RETRY_FIRST;
        }
        let retry_at = Instant::now() + wait;
        wait = (wait * 2).min(RETRY_MOST);
        // Keep taking submissions while offline: they wait in order.
        loop {
            tokio::select! {
                _ = sleep_until(retry_at) => break,
                submitted = submissions.recv() => match submitted {
                    Some(item) => pending.push_back(item),
                    None => return,
                },
            }
        }
    }
}

async fn connection(
    config: &mut JoinConfig,
    pending: &mut VecDeque<(u64, Request)>,
    submissions: &mut mpsc::UnboundedReceiver<(u64, Request)>,
    news: &mpsc::UnboundedSender<LinkNews>,
) -> Ended {
    let stream = match timeout(CONNECT_LIMIT, TcpStream::connect(&config.address)).await {
        Ok(Ok(stream)) => stream,
        Ok(Err(error)) => return Ended::Lost(format!("cannot reach {}: {error}", config.address)),
        Err(_) => return Ended::Lost(format!("no answer from {}", config.address)),
    };
    let _ = stream.set_nodelay(true);
    let (read, write) = stream.into_split();
    let mut frames = FramedRead::new(read, codec(MAX_HOST_FRAME));
    let mut out = FramedWrite::new(write, codec(MAX_JOINER_FRAME));
    let hello = if config.read_only {
        ToHost::Watch { protocol: PROTOCOL_VERSION, token: config.token.clone() }
    } else {
        ToHost::Hello {
            protocol: PROTOCOL_VERSION,
            token: config.token.clone(),
            name: config.name.clone(),
            client: config.client.clone(),
            secret: config.secret.clone(),
        }
    };
    if let Err(error) = write_within(&mut out, [encode(&hello)], SILENCE_LIMIT).await {
        return Ended::Lost(format!("connection dropped: {error}"));
    }
    // The host delays a refusal by a second; allow for it.
    let first = match timeout(SILENCE_LIMIT + Duration::from_secs(2), frames.next()).await {
        Ok(Some(Ok(body))) => decode::<ToJoiner>(&body),
        Ok(Some(Err(error))) => return Ended::Lost(format!("connection dropped: {error}")),
        Ok(None) => return Ended::Lost("the host closed the connection".into()),
        Err(_) => return Ended::Lost("the host did not answer".into()),
    };
    let applied = match first {
        Ok(ToJoiner::Welcome { protocol, session, plan, applied, you }) => {
            if protocol != PROTOCOL_VERSION {
                return Ended::Refused(format!(
                    "the host speaks protocol {protocol} and this joiner {PROTOCOL_VERSION}: use the same convene version"
                ));
            }
            if let Some(expected) = &config.session {
                if *expected != session && !pending.is_empty() {
                    return Ended::Refused(format!(
                        "{} unsent operations in the outbox were captured for session \"{expected}\", but this host runs \"{session}\"; nothing was sent (use another --outbox)",
                        pending.len()
                    ));
                }
            }
            config.session = Some(session.clone());
            let _ = news.send(LinkNews::Welcome { session, plan, applied, you });
            applied
        }
        Ok(ToJoiner::Refused { reason }) if reason == SESSION_CLOSED => return Ended::Closed,
        Ok(ToJoiner::Refused { reason }) => return Ended::Refused(reason),
        Ok(_) => return Ended::Lost("the host spoke out of turn".into()),
        Err(error) => return Ended::Lost(error.to_string()),
    };
    pending.retain(|(seq, _)| *seq > applied);
    let resend: Vec<Bytes> =
        pending.iter().map(|(seq, op)| encode(&ToHost::Submit { seq: *seq, op: op.clone() })).collect();
    if write_within(&mut out, resend, SILENCE_LIMIT).await.is_err() {
        return Ended::Lost("connection dropped while resending".into());
    }
    let mut last_seq = None::<u64>;
    let mut ping = interval(PING_EVERY);
    ping.set_missed_tick_behavior(MissedTickBehavior::Delay);
    let mut heard = Instant::now();
    loop {
        tokio::select! {
            frame = frames.next() => {
                heard = Instant::now();
                let body = match frame {
                    Some(Ok(body)) => body,
                    Some(Err(error)) => return Ended::Lost(format!("connection dropped: {error}")),
                    None => return Ended::Lost("the host closed the connection".into()),
                };
                match decode::<ToJoiner>(&body) {
                    Ok(ToJoiner::Reset) => {
                        last_seq = Some(0);
                        let _ = news.send(LinkNews::Reset);
                    }
                    Ok(ToJoiner::Event(event)) => {
                        let Some(last) = last_seq else {
                            return Ended::Lost("the host sent events before the log".into());
                        };
                        if event.seq <= last {
                            continue;
                        }
                        if event.seq != last + 1 {
                            // A gap: reconnect, and the host sends the whole log again.
                            return Ended::Lost(format!("missed events {}..{}", last + 1, event.seq));
                        }
                        last_seq = Some(event.seq);
                        let _ = news.send(LinkNews::Event(event));
                    }
                    Ok(ToJoiner::Answer { seq, outcome }) => {
                        pending.retain(|(s, _)| *s != seq);
                        let _ = news.send(LinkNews::Answer { seq, outcome });
                    }
                    Ok(ToJoiner::Pong { now }) => {
                        let _ = news.send(LinkNews::HostTime(now));
                    }
                    Ok(ToJoiner::Refused { reason }) if reason.is_empty() => {
                        return Ended::Lost("the host closed the connection".into())
                    }
                    Ok(ToJoiner::Refused { reason }) if reason == SESSION_CLOSED => return Ended::Closed,
                    Ok(ToJoiner::Refused { reason }) => return Ended::Refused(reason),
                    Ok(ToJoiner::Welcome { .. }) => return Ended::Lost("the host said welcome twice".into()),
                    Err(error) => return Ended::Lost(error.to_string()),
                }
            }
            submitted = submissions.recv() => {
                let Some((seq, op)) = submitted else {
                    return Ended::Lost("closing".into());
                };
                let frame = encode(&ToHost::Submit { seq, op: op.clone() });
                pending.push_back((seq, op));
                if !sent_in_time(&mut out, frame).await {
                    return Ended::Lost("connection dropped while sending".into());
                }
            }
            _ = ping.tick() => {
                if !sent_in_time(&mut out, encode(&ToHost::Ping)).await {
                    return Ended::Lost("connection dropped".into());
                }
            }
            _ = sleep_until(heard + SILENCE_LIMIT) => {
                return Ended::Lost(format!("no word from the host for {} s", SILENCE_LIMIT.as_secs()));
            }
        }
    }
}

/// Send a frame, giving up if the host stops taking writes (a stalled host is a lost one).
async fn sent_in_time(out: &mut FramedWrite<OwnedWriteHalf, LengthDelimitedCodec>, frame: Bytes) -> bool {
    write_within(out, [frame], SILENCE_LIMIT).await.is_ok()
}
