//! Typed ids and voters keep the file format: every event of `sessions/example.ron` serialises
//! to the very text the file holds for it (spaces of its layout aside), a format-1 file with
//! votes still loads and writes its events back as they were, and the ids reach the network as
//! bare numbers.

use std::path::Path;

use convene::model::{
    CandidateId, CommentId, DecisionId, Event, Request, SessionFile, VoteId, Voter, VoterKey,
};
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
fn the_example_s_voters_are_people_in_one_vote_and_organisations_in_the_other() {
    let loaded = load_read_only(Path::new(EXAMPLE)).expect("the example loads");
    let votes = &loaded.state.voting.votes;
    let kinds: Vec<Vec<Voter>> =
        votes.iter().map(|v| v.dots.keys().map(|key| v.rules.voter(key)).collect()).collect();
    assert!(kinds[0].contains(&Voter::Person("tom")), "{:?}", kinds[0]);
    assert!(kinds[1].contains(&Voter::Organisation("Youth Futures (charity)")), "{:?}", kinds[1]);
    assert!(kinds[1].iter().all(|k| matches!(k, Voter::Organisation(_))), "a vote by organisation");
}

/// A session as written before joined terminals existed (format 1), with a vote per person
/// and one per organisation.
const FORMAT_ONE: &str = r#"(
    format: 1,
    plan: (
        title: "Format one votes",
        participants: [(id: "ana", name: "Ana Lima", org: "Org A"), (id: "ben", name: "Ben Ode", org: "Org B")],
    ),
    events: [
        (seq: 1, at: "2026-03-14T10:00:00Z", by: Facilitator, event: CandidateAdded(id: 1, text: "Housing")),
        (seq: 2, at: "2026-03-14T10:00:01Z", by: Facilitator, event: CandidateAdded(id: 2, text: "Jobs")),
        (seq: 3, at: "2026-03-14T10:01:00Z", by: Facilitator, event: VoteOpened(vote: 1, rules: (title: "Round 1", candidates: [1, 2], dots: 2, cap: 1, voters: ["ana", "ben"]))),
        (seq: 4, at: "2026-03-14T10:01:05Z", by: Facilitator, event: DotPlaced(vote: 1, voter: "ana", candidate: 2)),
        (seq: 5, at: "2026-03-14T10:01:09Z", by: Facilitator, event: DotPlaced(vote: 1, voter: "ben", candidate: 1)),
        (seq: 6, at: "2026-03-14T10:01:12Z", by: Facilitator, event: DotRemoved(vote: 1, voter: "ben", candidate: 1)),
        (seq: 7, at: "2026-03-14T10:02:00Z", by: Facilitator, event: VoteClosed(vote: 1)),
        (seq: 8, at: "2026-03-14T10:03:00Z", by: Facilitator, event: VoteOpened(vote: 2, rules: (title: "Round 2", candidates: [1, 2], dots: 1, cap: 1, voters: ["Org A", "Org B"], by_org: true, hidden: true))),
        (seq: 9, at: "2026-03-14T10:03:30Z", by: Facilitator, event: DotPlaced(vote: 2, voter: "Org B", candidate: 2)),
    ],
)
"#;

#[test]
fn a_format_one_file_with_votes_loads_and_writes_its_events_back_unchanged() {
    let dir = tempfile::tempdir().expect("a directory");
    let path = dir.path().join("format1.ron");
    std::fs::write(&path, FORMAT_ONE).expect("written");
    let loaded = load_read_only(&path).expect("a format-1 file loads");
    let texts = event_texts(FORMAT_ONE);
    assert_eq!(texts.len(), 9);
    for (stamped, text) in loaded.file.events.iter().zip(texts) {
        assert_eq!(line_of(&stamped.event), without_layout(text), "event {}", stamped.seq);
    }
    let votes = &loaded.state.voting.votes;
    assert_eq!(votes[0].used_by(&VoterKey::from("ana")), 1);
    assert_eq!(votes[0].used_by(&VoterKey::from("ben")), 0, "the dot taken back");
    assert_eq!(votes[0].rules.voter(&votes[0].rules.voters[0]), Voter::Person("ana"));
    assert_eq!(votes[1].rules.voter(&votes[1].rules.voters[1]), Voter::Organisation("Org B"));
    assert_eq!(votes[1].on(&"Org B".into(), CandidateId(2)), 1);
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
