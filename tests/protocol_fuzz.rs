//! The wire protocol's decoders against hostile input: random bytes and mutated valid frames
//! never panic, whatever decodes re-encodes to itself, frames are cut at their limit, and text
//! from the network comes out without control characters. Bounded case counts, runs in seconds.
#![allow(clippy::unwrap_used, clippy::panic)] // a test fails by panicking

use bytes::BytesMut;
use convene::model::Request;
use convene::model::{CandidateId, CommentId, VoteId};
use convene::net::protocol::{
    codec, decode, encode, sanitize, ToHost, ToJoiner, MAX_JOINER_FRAME, MAX_NAME_CHARS, PROTOCOL_VERSION,
};
use proptest::prelude::*;
use tokio_util::codec::Decoder;

fn request() -> impl Strategy<Value = Request> {
    prop_oneof![
        (".{0,40}", proptest::option::of("[A-Za-z]{1,12}"), proptest::option::of(0u32..9), any::<bool>())
            .prop_map(|(text, theme, room, pre_session)| Request::AddComment {
                text,
                theme,
                room,
                author: None,
                pre_session
            }),
        (any::<u32>(), ".{0,20}").prop_map(|(id, text)| Request::EditComment { id: CommentId(id), text }),
        any::<u32>().prop_map(|id| Request::RetractComment { id: CommentId(id) }),
        (any::<u32>(), any::<u32>()).prop_map(|(vote, candidate)| Request::PlaceDot {
            vote: VoteId(vote),
            candidate: CandidateId(candidate)
        }),
    ]
}

fn to_host() -> impl Strategy<Value = ToHost> {
    prop_oneof![
        ("[ -~]{0,40}", ".{0,20}", "[0-9a-f]{8,20}", "[0-9a-f]{8,40}").prop_map(
            |(token, name, client, secret)| {
                ToHost::Hello { protocol: PROTOCOL_VERSION, token, name, client, secret }
            }
        ),
        (any::<u64>(), request()).prop_map(|(seq, op)| ToHost::Submit { seq, op }),
        Just(ToHost::Ping),
    ]
}

/// A mutation of a byte string: flip, insert, delete or truncate at a position.
#[derive(Debug, Clone)]
enum Mutation {
    Flip(usize, u8),
    Insert(usize, u8),
    Delete(usize),
    Truncate(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Mutation::Flip(i, b)),
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Mutation::Insert(i, b)),
        any::<usize>().prop_map(Mutation::Delete),
        any::<usize>().prop_map(Mutation::Truncate),
    ]
}

fn mutate(bytes: &mut Vec<u8>, mutations: &[Mutation]) {
    for m in mutations {
        let len = bytes.len().max(1);
        match *m {
            Mutation::Flip(i, b) if !bytes.is_empty() => bytes[i % len] ^= b | 1,
            Mutation::Insert(i, b) => bytes.insert(i % (bytes.len() + 1), b),
            Mutation::Delete(i) if !bytes.is_empty() => {
                bytes.remove(i % len);
            }
            Mutation::Truncate(i) => bytes.truncate(i % (bytes.len() + 1)),
            _ => {}
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn random_bytes_never_panic_either_decoder(body in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = decode::<ToHost>(&body);
        let _ = decode::<ToJoiner>(&body);
    }

    #[test]
    fn mutated_valid_frames_never_panic_and_what_decodes_round_trips(
        message in to_host(),
        mutations in proptest::collection::vec(mutation(), 1..6),
    ) {
        let mut body = encode(&message).to_vec();
        prop_assert_eq!(decode::<ToHost>(&body).expect("a valid frame decodes"), message);
        mutate(&mut body, &mutations);
        if let Ok(decoded) = decode::<ToHost>(&body) {
            let again = decode::<ToHost>(&encode(&decoded)).expect("what we encode decodes");
            prop_assert_eq!(again, decoded);
        }
    }

    #[test]
    fn the_frame_codec_never_yields_more_than_its_limit(
        bodies in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..300), 0..8),
        messages in proptest::collection::vec(to_host(), 0..4),
        mutations in proptest::collection::vec(mutation(), 0..4),
        split in any::<usize>(),
    ) {
        // Well-formed frames of random and of valid bodies, then damaged here and there.
        let mut stream = Vec::new();
        let valid = messages.iter().map(|m| encode(m).to_vec());
        for body in bodies.into_iter().chain(valid) {
            stream.extend_from_slice(&(body.len() as u32).to_be_bytes());
            stream.extend_from_slice(&body);
        }
        mutate(&mut stream, &mutations);
        // Fed in two pieces, as a socket may deliver them.
        let mut codec = codec(MAX_JOINER_FRAME);
        let cut = split % (stream.len() + 1);
        let mut buffer = BytesMut::from(&stream[..cut]);
        let mut frames = Vec::new();
        for piece in [&stream[cut..], &[][..]] {
            loop {
                match codec.decode(&mut buffer) {
                    Ok(Some(frame)) => frames.push(frame),
                    Ok(None) => break,
                    Err(_) => return Ok(()), // an oversized frame: the connection is dropped
                }
            }
            buffer.extend_from_slice(piece);
        }
        for frame in frames {
            prop_assert!(frame.len() <= MAX_JOINER_FRAME);
            let _ = decode::<ToHost>(&frame);
        }
    }

    #[test]
    fn sanitised_names_carry_no_control_characters(text in any::<String>()) {
        let clean = sanitize(&text, MAX_NAME_CHARS, false);
        prop_assert!(clean.chars().count() <= MAX_NAME_CHARS);
        let overrides = '\u{202a}'..='\u{202e}';
        let bad = clean.chars().any(|c| c.is_control() || overrides.contains(&c));
        prop_assert!(!bad, "control characters left in {:?}", clean);
    }
}
