//! The file loader under damaged input: random bytes and mutations of the bundled example
//! (flipped, cut, inserted and deleted bytes) are refused with a position or loaded, never a
//! panic, and a refused file is never changed. Bounded case counts, so CI runs it in seconds.
#![allow(clippy::unwrap_used, clippy::panic)] // a test fails by panicking

use std::path::Path;

use convene::store::{load_read_only, parse_session, StoreError};
use proptest::prelude::*;

fn example() -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("sessions/example.ron")).unwrap()
}

/// A refusal names where: every parse error carries a line and column of the file.
fn has_position(error: &StoreError) -> bool {
    let text = error.to_string();
    text.split(':').any(|part| part.trim().parse::<usize>().is_ok())
}

#[derive(Debug, Clone)]
enum Damage {
    Flip(usize, u8),
    Cut(usize),
    Insert(usize, Vec<u8>),
    Delete(usize, usize),
}

fn damage() -> impl Strategy<Value = Damage> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(at, b)| Damage::Flip(at, b)),
        any::<usize>().prop_map(Damage::Cut),
        (any::<usize>(), proptest::collection::vec(any::<u8>(), 1..16))
            .prop_map(|(at, b)| Damage::Insert(at, b)),
        (any::<usize>(), 1usize..64).prop_map(|(at, n)| Damage::Delete(at, n)),
    ]
}

fn apply(mut bytes: Vec<u8>, damages: &[Damage]) -> Vec<u8> {
    for d in damages {
        let len = bytes.len().max(1);
        match d {
            Damage::Flip(at, b) => {
                let at = at % len;
                if let Some(byte) = bytes.get_mut(at) {
                    *byte ^= b | 1;
                }
            }
            Damage::Cut(at) => bytes.truncate(at % len),
            Damage::Insert(at, more) => {
                let at = at % len;
                bytes.splice(at..at, more.iter().copied());
            }
            Damage::Delete(at, n) => {
                let at = at % len;
                let end = (at + n).min(bytes.len());
                bytes.drain(at..end);
            }
        }
    }
    bytes
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic_the_parser(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let text = String::from_utf8_lossy(&bytes);
        if let Err(error) = parse_session(Path::new("random.ron"), &text) {
            prop_assert!(!error.to_string().is_empty());
        }
    }

    #[test]
    fn a_damaged_example_is_refused_with_a_position_or_loaded_and_never_changed(
        damages in proptest::collection::vec(damage(), 1..4)
    ) {
        let bytes = apply(example(), &damages);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("damaged.ron");
        std::fs::write(&path, &bytes).unwrap();
        match load_read_only(&path) {
            Ok(loaded) => prop_assert!(loaded.state.last_seq <= 10_000),
            Err(error) => prop_assert!(has_position(&error), "no position: {error}"),
        }
        prop_assert_eq!(std::fs::read(&path).unwrap(), bytes, "a read never writes");
    }
}
