//! Typed ids keep the file format: every event of `sessions/example.ron` serialises to the
//! very text the file holds for it (spaces of its layout aside), and the ids reach the network as bare numbers.

use std::path::Path;

use convene::model::{CandidateId, CommentId, DecisionId, Event, Request, SessionFile, VoteId};
use convene::store::load_read_only;
use ron::extensions::Extensions;

const EXAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/sessions/example.ron");

/// One event as the session writer puts it on its line.
fn line_of(event: &Event) -> String {
    ron::Options::default()
        .with_default_extension(Extensions::IMPLICIT_SOME)
        .to_string(event)
        .expect("an event serialises")
}

/// `text` without the spaces outside string literals: the example is laid out for reading
/// (`id: 1, text: ...`), the writer puts no spaces (`id:1,text:...`).
fn without_layout(text: &str) -> String {
    let (mut out, mut in_string, mut escaped) = (String::new(), false, false);
    for c in text.chars() {
        if in_string {
            in_string = escaped || c != '"';
            escaped = !escaped && c == '\\';
        } else if c == '"' {
            in_string = true;
        } else if c == ' ' {
            continue;
        }
        out.push(c);
    }
    out
}

/// The text after `event: ` on each line of the file's event list, without the closing `),`.
fn event_texts(text: &str) -> Vec<&str> {
    let list = &text[text.rfind("events: [").expect("an event list")..];
    list.lines()
        .skip(1)
        .take_while(|line| line.trim() != "],")
        .map(|line| {
            let start = line.find("event: ").expect("each line holds one event") + "event: ".len();
            line[start..].trim_end().strip_suffix("),").expect("each line ends the stamped event")
        })
        .collect()
}

#[test]
fn every_event_of_the_example_serialises_to_its_text_in_the_file() {
    let text = std::fs::read_to_string(EXAMPLE).expect("the example is readable");
    let loaded = load_read_only(Path::new(EXAMPLE)).expect("the example loads");
    let texts = event_texts(&text);
    assert_eq!(texts.len(), loaded.file.events.len(), "one line per event");
    assert!(texts.iter().any(|t| t.starts_with("DotPlaced(")), "the example casts dots");
    assert!(texts.iter().any(|t| t.starts_with("DecisionOpened(")), "the example decides");
    for (stamped, text) in loaded.file.events.iter().zip(texts) {
        // ron escapes an apostrophe in a string, which the example (laid out by hand) does not.
        let written = line_of(&stamped.event).replace("\\'", "'");
        assert_eq!(written, without_layout(text), "event {}", stamped.seq);
    }
}

#[test]
fn the_example_survives_serialise_and_load_unchanged() {
    let loaded = load_read_only(Path::new(EXAMPLE)).expect("the example loads");
    let text = convene::store::to_pretty_ron(&loaded.file).expect("serialises");
    let again: SessionFile = ron::Options::default()
        .with_default_extension(Extensions::IMPLICIT_SOME)
        .from_str(&text)
        .expect("reloads");
    assert_eq!(again, loaded.file);
    assert_eq!(again.fold().expect("folds"), loaded.file.fold().expect("folds"));
}

#[test]
fn ids_are_bare_numbers_in_the_file_and_on_the_wire() {
    let event = Event::DotPlaced { vote: VoteId(2), voter: "ana".into(), candidate: CandidateId(7) };
    assert_eq!(line_of(&event), r#"DotPlaced(vote:2,voter:"ana",candidate:7)"#);
    let merged = Event::CandidatesMerged { into: CandidateId(3), from: CandidateId(4) };
    assert_eq!(line_of(&merged), "CandidatesMerged(into:3,from:4)");
    assert_eq!(line_of(&Event::DecisionRecorded { id: DecisionId(1) }), "DecisionRecorded(id:1)");
    let request = Request::EditComment { id: CommentId(12), text: "x".into() };
    assert_eq!(ron::to_string(&request).expect("serialises"), r#"EditComment(id:12,text:"x")"#);
    let parsed: Request = ron::from_str("RemoveDot(vote:1,candidate:5)").expect("parses");
    assert_eq!(parsed, Request::RemoveDot { vote: VoteId(1), candidate: CandidateId(5) });
}
