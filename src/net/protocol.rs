//! The wire protocol between a host and its joined terminals: versioned messages, each one
//! RON text in a length-prefixed frame with a maximum size.
//!
//! A joiner says `Hello` with the token, then `Submit`s numbered operations; the host answers
//! each once it is durable, and streams the event log (the whole of it after `Welcome`, then
//! every new event) in log order.

use std::time::Duration;

use bytes::Bytes;
use chrono::{DateTime, Utc};
use futures::SinkExt;
use serde::{Deserialize, Serialize};
use tokio::io::AsyncWrite;
use tokio::time::timeout;
use tokio_util::codec::{FramedWrite, LengthDelimitedCodec};

use crate::model::{Plan, Request, Stamped};

/// Bumped on any change a peer of another version would misread. 3: messages to the rooms in
/// the log (`Event::Broadcast`) and read-only presenters (`Watch`).
pub const PROTOCOL_VERSION: u32 = 3;
/// Largest frame a joiner may send: a long comment fits many times over; more is an attack.
pub const MAX_JOINER_FRAME: usize = 64 * 1024;
/// Largest frame a host may send (the plan in `Welcome` is the biggest).
pub const MAX_HOST_FRAME: usize = 8 * 1024 * 1024;
/// Joiners ping this often; the host answers with its clock.
pub const PING_EVERY: Duration = Duration::from_secs(2);
/// A peer silent this long is gone (a pulled cable shows up as silence, not as an error).
pub const SILENCE_LIMIT: Duration = Duration::from_secs(8);
/// A new connection must say hello within this (a joiner says it at once), so idle
/// connections cannot hold the host's places.
pub const HELLO_LIMIT: Duration = Duration::from_secs(2);
/// How far a connection's first submission may run ahead of the last one answered (requests
/// refused before a host restart leave gaps); beyond it the connection is refused and the
/// terminal's numbering is left as it was.
pub const MAX_AHEAD: u64 = 10_000;
/// Longest comment text accepted from the network, in characters.
pub const MAX_TEXT_CHARS: usize = 8_000;
/// Longest name or id accepted from the network, in characters.
pub const MAX_NAME_CHARS: usize = 80;

/// What a joined terminal sends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ToHost {
    /// The first frame of every connection.
    Hello {
        /// The sender's `PROTOCOL_VERSION`.
        protocol: u32,
        /// The session token the host printed.
        token: String,
        /// Who is capturing, as events will record them.
        name: String,
        /// The terminal's random id, kept across restarts in its outbox.
        client: String,
        /// The terminal's own secret, kept in its outbox: the first hello under an id registers
        /// it, and every later one must present it, so no one else can speak for the terminal.
        secret: String,
    },
    /// An operation for the log, numbered by the joiner: one more than the last it sent.
    Submit {
        /// The joiner's number for it.
        seq: u64,
        /// What to record.
        op: Request,
    },
    /// Still here (sent every `PING_EVERY`).
    Ping,
    /// The first frame of a read-only presenter's connection, instead of `Hello`: it is sent
    /// the session like a joined terminal but the host records nothing it sends.
    Watch {
        /// The sender's `PROTOCOL_VERSION`.
        protocol: u32,
        /// The session token the host printed.
        token: String,
    },
}

/// What became of a submission.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Outcome {
    /// Recorded as this event, which is on the host's disk.
    Stored(u64),
    /// Already recorded earlier (a resend after a lost connection).
    Duplicate,
    /// Refused, with the reason to show.
    Rejected(String),
}

/// Why a joiner's connection ended when the host quit: the joined console stops reconnecting.
pub const SESSION_CLOSED: &str = "the session was closed by the host";

/// What the host sends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ToJoiner {
    /// The token was right: here is the session. The whole log follows.
    Welcome {
        /// The host's `PROTOCOL_VERSION`.
        protocol: u32,
        /// Names the session, so an outbox is never replayed into another one.
        session: String,
        /// The session's plan.
        plan: Box<Plan>,
        /// Every submission of this joiner up to this number has been answered.
        applied: u64,
        /// The participant id the joiner's name matched, if any (they vote as this person).
        you: Option<String>,
    },
    /// The connection is refused or ended, and why.
    Refused {
        /// For the joiner's screen.
        reason: String,
    },
    /// Forget the log you have: the whole log follows from event 1.
    Reset,
    /// The next event of the log.
    Event(Box<Stamped>),
    /// A submission was answered.
    Answer {
        /// The joiner's number for it.
        seq: u64,
        /// What became of it.
        outcome: Outcome,
    },
    /// Reply to `Ping`, with the host's clock so countdowns agree.
    Pong {
        /// The host's time.
        now: DateTime<Utc>,
    },
}

/// Write frames and flush within `limit`: a peer that takes no writes that long is gone, and
/// neither side may wait on it forever.
pub async fn write_within<W: AsyncWrite + Unpin>(
    out: &mut FramedWrite<W, LengthDelimitedCodec>,
    frames: impl IntoIterator<Item = Bytes>,
    limit: Duration,
) -> std::io::Result<()> {
    let write = async {
        for frame in frames {
            out.feed(frame).await?;
        }
        SinkExt::<Bytes>::flush(out).await
    };
    timeout(limit, write).await.unwrap_or_else(|_| Err(std::io::ErrorKind::TimedOut.into()))
}

/// A frame that could not be understood.
#[derive(Debug, thiserror::Error)]
#[error("unreadable frame: {0}")]
pub struct BadFrame(String);

/// The codec for one direction: 4-byte big-endian length, then the body, at most `max` bytes.
pub fn codec(max: usize) -> LengthDelimitedCodec {
    LengthDelimitedCodec::builder().max_frame_length(max).length_field_length(4).new_codec()
}

/// Encode a message as a frame body.
pub fn encode<T: Serialize>(message: &T) -> Bytes {
    // Serializing our own plain data cannot fail; an empty body would be refused by the peer.
    Bytes::from(ron::to_string(message).unwrap_or_default())
}

/// Decode a frame body.
pub fn decode<T: for<'de> Deserialize<'de>>(body: &[u8]) -> Result<T, BadFrame> {
    let text = std::str::from_utf8(body).map_err(|_| BadFrame("not UTF-8".into()))?;
    ron::from_str(text).map_err(|e| BadFrame(e.to_string()))
}

/// Text from the network made safe for any terminal: control characters (escape sequences
/// start with one) are dropped, except line breaks; tabs become spaces; length is capped.
pub fn sanitize(text: &str, max_chars: usize, keep_newlines: bool) -> String {
    text.chars()
        .filter_map(|c| match c {
            '\n' if keep_newlines => Some('\n'),
            '\t' => Some(' '),
            c if c.is_control() => None,
            // Bidirectional overrides can make text read differently from what is stored.
            '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => None,
            c => Some(c),
        })
        .take(max_chars)
        .collect()
}

/// Whether a joiner id looks like one we hand out (hex), so ids cannot smuggle anything.
pub fn valid_client_id(id: &str) -> bool {
    (8..=64).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// A fresh random token of 160 bits, as hex.
pub fn new_token() -> String {
    random_hex(20)
}

/// A fresh random joiner id of 64 bits, as hex.
pub fn new_client_id() -> String {
    random_hex(8)
}

fn random_hex(bytes: usize) -> String {
    use rand::TryRngCore;
    let mut buffer = vec![0u8; bytes];
    // The operating system's generator; without it there is no safe token, so fall back to
    // a seeded generator only to never panic, which the length check in tests would catch.
    if rand::rngs::OsRng.try_fill_bytes(&mut buffer).is_err() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha20Rng::from_os_rng();
        rng.fill(&mut buffer[..]);
    }
    buffer.iter().map(|b| format!("{b:02x}")).collect()
}

/// Compare a presented token with the real one in time independent of where they differ.
pub fn token_matches(presented: &str, expected: &str) -> bool {
    use subtle::ConstantTimeEq;
    // Lengths are public (the token format is); contents are compared in constant time.
    presented.len() == expected.len() && bool::from(presented.as_bytes().ct_eq(expected.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitize_drops_escape_sequences_and_keeps_words() {
        let hostile = "ok\u{1b}[2J\u{1b}]0;pwned\u{7}\tthen\r\nmore\u{202e}txt";
        assert_eq!(sanitize(hostile, 100, true), "ok[2J]0;pwned then\nmoretxt");
        assert_eq!(sanitize("a\nb", 100, false), "ab");
        assert_eq!(sanitize("abcdef", 3, true), "abc");
    }

    #[test]
    fn tokens_are_long_random_and_compared_exactly() {
        let (a, b) = (new_token(), new_token());
        assert_eq!(a.len(), 40, "160 bits as hex");
        assert_ne!(a, b);
        assert!(token_matches(&a, &a.clone()));
        assert!(!token_matches(&a, &b));
        assert!(!token_matches(&a[..39], &a));
    }

    #[test]
    fn messages_round_trip_through_frames() {
        let message = ToHost::Submit {
            seq: 7,
            op: Request::AddComment {
                text: "Transport \"links\"\nsecond line".into(),
                theme: Some("Weaknesses".into()),
                room: Some(1),
                author: None,
                pre_session: false,
            },
        };
        let body = encode(&message);
        assert_eq!(decode::<ToHost>(&body).expect("decodes"), message);
        assert!(decode::<ToHost>(b"\xff\xfe").is_err());
        assert!(decode::<ToHost>(b"Submit(seq: \"x\")").is_err());
    }

    #[test]
    fn client_ids_are_plain() {
        assert!(valid_client_id(&new_client_id()));
        assert!(!valid_client_id("short"));
        assert!(!valid_client_id("abcdefgh\u{1b}[0m"));
    }
}
