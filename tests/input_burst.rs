//! Type-ahead without bracketed paste: a burst of 4 KiB arriving at once (a terminal that does
//! not bracket pastes, or keys typed while the console was busy) reaches the capture bar whole,
//! without waiting for a further key. crossterm's default (mio, edge-triggered) event source
//! leaves what it did not read in its 1,024-byte chunks unread until the next input (crossterm
//! issue #813; 0.29.0 still does: this test stopped at about 2 KiB with it); the `use-dev-tty`
//! source polls level-triggered and reads it all.
#![allow(clippy::unwrap_used, clippy::panic)] // a test fails by panicking

mod common;

use std::time::{Duration, Instant};

use common::console::Console;
use convene::store::Draft;

#[test]
fn a_four_kib_unbracketed_burst_reaches_the_capture_bar_whole_without_another_key() {
    let (dir, path) = common::temp_session();
    let mut console = Console::start(&["run", path.to_str().expect("utf-8 path")], dir.path());
    console.wait_for("CAPTURE");

    // 4,096 printable bytes, no line break, no escape: plain keys as far as the terminal knows.
    let mut burst = String::new();
    let mut n = 0;
    while burst.len() < 4096 - "END-OF-BURST".len() {
        burst.push_str(&format!("w{n} "));
        n += 1;
    }
    burst.truncate(4096 - "END-OF-BURST".len());
    burst.push_str("END-OF-BURST");
    assert_eq!(burst.len(), 4096);
    console.send(&burst);

    // No further key: the whole burst must arrive on its own.
    let draft = Draft::for_session(&path);
    let deadline = Instant::now() + Duration::from_secs(20);
    while draft.read().is_none_or(|text| text.len() != burst.len()) {
        assert!(Instant::now() < deadline, "never saw the whole burst in the draft:\n{}", console.contents());
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(draft.read().as_deref(), Some(burst.as_str()), "every byte, in order");
    console.wait_for("END-OF-BURST");
    console.stop();
}
