//! `convene export`: the Markdown and HTML write-ups of the example session, the comments as
//! CSV, and the summary across the sessions of a series.
#![allow(clippy::unwrap_used, clippy::panic)] // a test fails by panicking

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use chrono::Duration;
use common::*;
use convene::export::{series_report, session_report, ExportError, Format, SeriesReport};
use convene::model::CommentId;
use convene::model::{Actor, Event, SessionFile, Stamped};
use convene::store::{load_read_only, Loaded, Recovery};

fn example() -> Loaded {
    load_read_only(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/sessions/example.ron")))
        .expect("example loads")
}

fn loaded(file: SessionFile) -> Loaded {
    let state = file.fold().expect("the log folds");
    Loaded { file, state, recovery: Recovery::default() }
}

fn added(id: u32, text: &str, theme: Option<&str>, room: Option<u32>, author: Option<&str>) -> Event {
    Event::CommentAdded {
        id: CommentId(id),
        text: text.into(),
        theme: theme.map(str::to_string),
        room,
        author: author.map(str::to_string),
        pre_session: false,
    }
}

/// Append events to a file's log, numbering them after the last one.
fn append(file: &mut SessionFile, events: Vec<Event>) {
    let last = file.events.last().map_or(0, |e| e.seq);
    let at = file.events.last().map_or(t0(), |e| e.at);
    for (i, event) in events.into_iter().enumerate() {
        let seq = last + 1 + i as u64;
        file.events.push(Stamped {
            seq,
            at: at + Duration::seconds(10 * (i as i64 + 1)),
            by: Actor::Facilitator,
            origin: None,
            event,
        });
    }
}

#[test]
fn markdown_write_up_of_the_example() {
    let md =
        session_report(Path::new("sessions/example.ron"), &example(), Format::Markdown).expect("exports");
    insta::assert_snapshot!("example_markdown", md);
}

#[test]
fn html_write_up_of_the_example() {
    let html = session_report(Path::new("sessions/example.ron"), &example(), Format::Html).expect("exports");
    insta::assert_snapshot!("example_html", html);
}

#[test]
fn the_html_page_is_self_contained() {
    let html = session_report(Path::new("sessions/example.ron"), &example(), Format::Html).expect("exports");
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.trim_end().ends_with("</html>"));
    for external in ["http:", "https:", "<script", "<link", "src=", "@import", "url("] {
        assert!(!html.contains(external), "the page should not contain {external:?}");
    }
}

#[test]
fn markup_in_comments_is_escaped_in_html_and_markdown() {
    let mut file = template_file();
    append(
        &mut file,
        vec![
            added(1, "<script>alert('hi')</script> & \"quotes\"", Some("Threats"), Some(0), Some("partner1")),
            added(2, "# not a heading\n- not a list | not a cell", Some("Threats"), Some(0), None),
        ],
    );
    let session = loaded(file);
    let html = session_report(Path::new("x.ron"), &session, Format::Html).expect("html");
    assert!(html.contains("&lt;script&gt;alert(&#39;hi&#39;)&lt;/script&gt; &amp; &quot;quotes&quot;"));
    assert!(!html.contains("<script"));
    assert!(html.contains("# not a heading<br>- not a list | not a cell"));
    let md = session_report(Path::new("x.ron"), &session, Format::Markdown).expect("md");
    assert!(md.contains("- \\<script>alert('hi')\\</script> & \"quotes\" — *Partner one, 14:00*"), "{md}");
    assert!(md.contains("- \\# not a heading  \n  \\- not a list | not a cell — *14:00*"), "{md}");
}

/// Comments that break naive CSV: separators, quotes, line breaks, emoji, right-to-left text.
const AWKWARD: [&str; 8] = [
    "Plain words",
    "Commas, commas, and more commas",
    "She said \"fund it\", then \"\"twice\"\"",
    "First line\nsecond line\r\nthird line",
    "Emoji 🎉👩🏽‍🤝‍👩🏻 and accents: café, naïve",
    "עברית: שותפות חזקה יותר",
    "العربية: الشراكة أقوى معًا",
    "  leading and trailing spaces, a trailing comma,",
];

#[test]
fn csv_round_trips_awkward_comments() {
    let mut file = template_file();
    let mut events = Vec::new();
    for (i, text) in AWKWARD.iter().enumerate() {
        let room = (i % 4 < 3).then_some((i % 4) as u32);
        let theme = ["Strengths", "Threats", "Legal"].get(i % 4).copied();
        let author = ["partner1", "partner2", "lead1"].get(i % 5).copied();
        events.push(added(i as u32 + 1, text, theme, room, author));
    }
    events.push(Event::CommentAdded {
        id: CommentId(9),
        text: "Sent in by email, with a, comma".into(),
        theme: Some("Opportunities".into()),
        room: None,
        author: Some("partner3".into()),
        pre_session: true,
    });
    events.push(Event::CommentEdited { id: CommentId(1), text: "Plain words, corrected".into() });
    events.push(Event::CommentRetracted { id: CommentId(2) });
    append(&mut file, events);
    let session = loaded(file);

    let csv = session_report(Path::new("x.ron"), &session, Format::Csv).expect("csv");
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header: Vec<String> = reader.headers().expect("header").iter().map(str::to_string).collect();
    assert_eq!(header, ["date", "time", "theme", "room", "author", "pre_session", "text"]);
    let rows: Vec<Vec<String>> =
        reader.records().map(|r| r.expect("a valid record").iter().map(str::to_string).collect()).collect();

    let plan = &session.file.plan;
    let expected: Vec<Vec<String>> = session
        .state
        .live_comments()
        .map(|c| {
            vec![
                c.added_at.format("%Y-%m-%d").to_string(),
                c.added_at.format("%H:%M:%S").to_string(),
                c.theme.clone().unwrap_or_default(),
                plan.room_name(c.room).to_string(),
                c.author
                    .as_deref()
                    .and_then(|a| plan.participant(a))
                    .map(|p| p.name.clone())
                    .unwrap_or_default(),
                if c.pre_session { "yes" } else { "no" }.to_string(),
                c.text.clone(),
            ]
        })
        .collect();
    assert_eq!(rows, expected);
    assert_eq!(rows.len(), AWKWARD.len(), "8 added + 1 pre-session - 1 retracted");
    let texts: Vec<&str> = rows.iter().map(|r| r[6].as_str()).collect();
    assert!(texts.contains(&"Plain words, corrected"), "edits applied");
    assert!(!texts.contains(&AWKWARD[1]), "retracted comments left out");
    for text in &AWKWARD[2..] {
        assert!(texts.contains(text), "{text:?} survives the round trip exactly");
    }
    assert_eq!(
        (rows[0][0].as_str(), rows[0][1].as_str()),
        ("2026-03-14", "14:00:10"),
        "the plan's zone: UTC"
    );
    let emailed = rows.iter().find(|r| r[6].starts_with("Sent in")).expect("pre-session row");
    assert_eq!(
        (emailed[3].as_str(), emailed[4].as_str(), emailed[5].as_str()),
        ("Plenary", "Partner three", "yes")
    );
}

#[test]
fn retracted_comments_are_left_out_and_edits_applied() {
    let session = example();
    // In the example, #10 was edited and #40 retracted.
    let edited = "Bus route cuts will cut off the villages from services (three rooms said this)";
    let retracted = "Short term grants = staff leave just as projects work";
    for format in [Format::Markdown, Format::Html, Format::Csv] {
        let out = session_report(Path::new("example.ron"), &session, format).expect("exports");
        assert!(out.contains(edited), "{format:?} shows the edited text");
        assert!(!out.contains(retracted), "{format:?} leaves the retracted comment out");
    }
    let md = session_report(Path::new("example.ron"), &session, Format::Markdown).expect("md");
    assert!(md.contains("**Comments:** 71 (3 sent in before the session; 1 retracted and left out)"));
    assert_eq!(md.matches(" — *").count(), 71, "one line per live comment");
}

/// Another session of the example's series: a later date, different rooms, fewer comments.
fn later_session() -> Loaded {
    let mut file = example().file;
    file.plan.title = "Northvale Partnership strategy: consultation 3 of 3".into();
    file.plan.date = Some("2026-11-19".into());
    for stamped in &mut file.events {
        if let Event::RoomsAssigned { round, rooms } = &mut stamped.event {
            *rooms = match round {
                0 => vec![
                    ids(&["tom", "raj", "siobhan", "ben", "ellie", "lucy"]),
                    ids(&["aisha", "helen", "dan", "karen", "owen"]),
                    ids(&["gareth", "femi", "mark", "joanna", "nadia", "sam"]),
                ],
                _ => vec![
                    ids(&["tom", "helen", "mark", "nadia", "ellie", "sam"]),
                    ids(&["aisha", "siobhan", "femi", "joanna", "ben", "grace"]),
                    ids(&["gareth", "raj", "dan", "karen", "lucy", "owen"]),
                ],
            };
        }
    }
    // Two comments withdrawn afterwards, so the counts differ from the example's.
    append(
        &mut file,
        vec![Event::CommentRetracted { id: CommentId(1) }, Event::CommentRetracted { id: CommentId(9) }],
    );
    loaded(file)
}

fn ids(names: &[&str]) -> Vec<String> {
    names.iter().map(|n| n.to_string()).collect()
}

/// A first session from the template: its own people and themes, one partner absent.
fn first_session() -> Loaded {
    let mut file = template_file();
    file.plan.date = Some("2026-10-22".into());
    append(
        &mut file,
        vec![
            Event::AgendaItemStarted { item: 0 },
            Event::RoomsAssigned {
                round: 0,
                rooms: vec![ids(&["lead1", "partner1"]), ids(&["lead2", "partner2"]), ids(&["lead3"])],
            },
            added(1, "Strong local networks", Some("Strengths"), Some(0), Some("partner1")),
            added(2, "Funding is short-term", Some("Weaknesses"), Some(1), Some("partner2")),
            added(3, "Untagged aside", None, None, None),
            Event::RoomsAssigned {
                round: 1,
                rooms: vec![ids(&["lead1", "partner2"]), ids(&["lead2", "partner1"]), ids(&["lead3"])],
            },
            Event::AgendaEnded,
        ],
    );
    loaded(file)
}

/// Who met whom, counted straight from the rooms: rounds each pair shared a room.
fn pairs_from_rooms(sessions: &[&Loaded]) -> BTreeMap<(String, String), u32> {
    let mut pairs = BTreeMap::new();
    for session in sessions {
        for round in &session.state.rooms.rounds {
            for room in &round.rooms {
                for a in room {
                    for b in room {
                        if a < b {
                            *pairs.entry((a.clone(), b.clone())).or_insert(0) += 1;
                        }
                    }
                }
            }
        }
    }
    pairs
}

#[test]
fn a_series_summary_counts_comments_attendance_and_meetings() {
    let (first, second, third) = (first_session(), example(), later_session());
    let expected_pairs = pairs_from_rooms(&[&first, &second, &third]);
    let counts = |l: &Loaded, theme: Option<&str>| l.state.theme_count(theme);
    let per_theme: Vec<(String, [u32; 3])> = ["Strengths", "Weaknesses", "Key messages"]
        .iter()
        .map(|t| {
            (t.to_string(), [counts(&first, Some(t)), counts(&second, Some(t)), counts(&third, Some(t))])
        })
        .collect();
    let live = [first.state.live.len(), second.state.live.len(), third.state.live.len()];

    // Given out of order, as a shell glob might: the summary puts them in date order.
    let sessions = vec![
        (PathBuf::from("sessions/consult-3.ron"), third),
        (PathBuf::from("sessions/consult-1.ron"), first),
        (PathBuf::from("sessions/consult-2.ron"), second),
    ];
    let report = SeriesReport::gather(&sessions);
    let files: Vec<&str> = report.sessions.iter().map(|s| s.source.as_str()).collect();
    assert_eq!(files, ["consult-1.ron", "consult-2.ron", "consult-3.ron"]);
    assert_eq!(report.sessions.iter().map(|s| s.comments).collect::<Vec<_>>(), live);
    assert_eq!(live, [3, 71, 69]);

    // Comments per theme per session.
    for (theme, expected) in &per_theme {
        let row = report.themes.iter().find(|t| &t.theme == theme).expect("theme row");
        let expected: Vec<Option<u32>> = if theme == "Key messages" {
            vec![None, Some(expected[1]), Some(expected[2])]
        } else {
            expected.iter().copied().map(Some).collect()
        };
        assert_eq!(row.counts, expected, "{theme}");
    }
    assert_eq!(report.themes.last().map(|t| t.theme.as_str()), Some("No theme"));
    let md = series_report(&sessions, Format::Markdown).expect("md");
    assert!(md.contains("3 sessions; 143 comments in all (3, 71, 69)."), "{md}");
    let strengths = &per_theme[0].1;
    assert!(md.contains(&format!(
        "| Strengths | SWOT | {} | {} | {} | {} |",
        strengths[0],
        strengths[1],
        strengths[2],
        strengths.iter().sum::<u32>()
    )));
    assert!(md.contains("| Key messages | Messages | – | 6 | 6 | 12 |"), "{md}");

    // Attendance: the template session left partner3 out of the rooms.
    let org_c = report.attendance.iter().find(|o| o.org == "Organisation C").expect("org C");
    assert_eq!(org_c.cells, [Some("0 of 1".to_string()), None, None]);
    assert_eq!(report.absences, [(1, vec!["Partner three (Organisation C)".to_string()])]);
    let council = report.attendance.iter().find(|o| o.org == "Northvale County Council").expect("council");
    assert_eq!(council.cells, [None, Some("2 of 2".to_string()), Some("2 of 2".to_string())]);

    // Who met whom, against the rooms themselves.
    assert_eq!(report.pairs_met, expected_pairs.len());
    assert_eq!(report.rounds, 6);
    let mut met: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (a, b) in expected_pairs.keys() {
        met.entry(a).or_default().insert(b);
        met.entry(b).or_default().insert(a);
    }
    for person in &report.people {
        assert_eq!(person.people_met, met.get(person.id.as_str()).map_or(0, |m| m.len()), "{}", person.id);
    }
    let helen = report.people.iter().find(|p| p.id == "helen").expect("helen");
    assert_eq!(helen.rounds, 4);
    let lead3 = report.people.iter().find(|p| p.id == "lead3").expect("lead3");
    assert_eq!((lead3.rounds, lead3.people_met), (2, 0), "a room of one meets nobody");
    let repeats: usize = expected_pairs.values().filter(|&&n| n > 1).count();
    assert_eq!(report.repeat_pairs.len(), repeats);
    let most = expected_pairs.values().max().copied().unwrap_or(0);
    assert_eq!(report.repeat_pairs.first().map(|p| p.times), Some(most), "most often first");
    assert!(report.repeat_pairs.windows(2).all(|w| w[0].times >= w[1].times));
    // Helen and Siobhan shared a room in rounds 1 and 2 of the example and in neither round of
    // the later session.
    let name = |id: &str| sessions[2].1.file.plan.participant(id).map(|p| p.name.clone()).expect("known");
    assert_eq!(expected_pairs.get(&("helen".to_string(), "siobhan".to_string())), Some(&2));
    assert!(report
        .repeat_pairs
        .iter()
        .any(|p| p.times == 2 && p.a == name("helen") && p.b == name("siobhan")));
    assert!(md.contains("| Helen Marsh and Siobhan Kelly | 2 |"), "{md}");

    let html = series_report(&sessions, Format::Html).expect("html");
    assert!(html.contains("<td>Helen Marsh and Siobhan Kelly</td><td class=\"n\">2</td>"));
}

#[test]
fn markdown_series_summary() {
    let sessions = vec![
        (PathBuf::from("sessions/consult-2.ron"), example()),
        (PathBuf::from("sessions/consult-3.ron"), later_session()),
    ];
    insta::assert_snapshot!("series_markdown", series_report(&sessions, Format::Markdown).expect("md"));
}

#[test]
fn a_series_csv_has_a_session_column_first() {
    let sessions = vec![
        (PathBuf::from("sessions/consult-2.ron"), example()),
        (PathBuf::from("sessions/consult-1.ron"), first_session()),
    ];
    let csv = series_report(&sessions, Format::Csv).expect("csv");
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header: Vec<String> = reader.headers().expect("header").iter().map(str::to_string).collect();
    assert_eq!(header, ["session", "date", "time", "theme", "room", "author", "pre_session", "text"]);
    let sessions: Vec<String> =
        reader.records().map(|r| r.expect("record").get(0).unwrap_or_default().to_string()).collect();
    assert_eq!(sessions.len(), 3 + 71);
    assert!(sessions[..3].iter().all(|s| s == "consult-1"), "date order: the template session first");
    assert!(sessions[3..].iter().all(|s| s == "consult-2"));
}

#[test]
fn formats_are_named_as_on_the_command_line() {
    assert_eq!(Format::from_name("md"), Some(Format::Markdown));
    assert_eq!(Format::from_name("Markdown"), Some(Format::Markdown));
    assert_eq!(Format::from_name("csv"), Some(Format::Csv));
    assert_eq!(Format::from_name("HTML"), Some(Format::Html));
    assert_eq!(Format::from_name("pdf"), None);
    assert_eq!("html".parse::<Format>().ok(), Some(Format::Html));
    let error = "docx".parse::<Format>().expect_err("unknown");
    assert_eq!(error.to_string(), "unknown export format \"docx\": use md, html, csv or json");
    assert!(matches!(series_report(&[], Format::Markdown), Err(ExportError::NoSessions)));
}
