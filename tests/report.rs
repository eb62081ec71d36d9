//! One report, several writers: Markdown, HTML, the `check` text and JSON carry the same
//! facts; `check` and the summary agree on planned against actual; `export --out` refuses to
//! replace what convene did not write; CSV is safe to open; times are the session's local
//! time; nothing unsafe reaches a terminal or an export.
#![allow(clippy::unwrap_used, clippy::panic)] // a test fails by panicking

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use chrono::{Duration, TimeZone, Utc};
use common::*;
use convene::export::{session_report, Format};
use convene::model::CommentId;
use convene::model::{Actor, Event, SessionFile, Stamped};
use convene::store::{load_read_only, parse_session, session_text, Loaded, Recovery};
use convene::view::sanitise::is_unsafe;
use proptest::prelude::*;
use serde_json::Value;

fn example_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sessions/example.ron")
}

fn convene(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_convene")).args(args).output().expect("convene runs")
}

fn stdout(output: &Output) -> String {
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout.clone()).expect("utf-8")
}

fn path_str(path: &Path) -> &str {
    path.to_str().expect("utf-8 path")
}

fn loaded(file: SessionFile) -> Loaded {
    let state = file.fold().expect("the log folds");
    Loaded { file, state, recovery: Recovery::default() }
}

/// The template session with `events` logged from `start`, ten seconds apart.
fn session_with(start: chrono::DateTime<Utc>, events: Vec<Event>) -> SessionFile {
    let mut file = template_file();
    for (i, event) in events.into_iter().enumerate() {
        file.events.push(Stamped {
            seq: i as u64 + 1,
            at: start + Duration::seconds(10 * (i as i64 + 1)),
            by: Actor::Facilitator,
            origin: None,
            event,
        });
    }
    file
}

fn comment(id: u32, text: &str) -> Event {
    Event::CommentAdded {
        id: CommentId(id),
        text: text.into(),
        theme: Some("Strengths".into()),
        room: Some(0),
        author: Some("partner1".into()),
        pre_session: false,
    }
}

/// Write a session file into a fresh directory.
fn on_disk(file: &SessionFile) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("consult.ron");
    std::fs::write(&path, session_text(file).expect("encodes")).expect("write");
    (dir, path)
}

/// Agenda rows of a Markdown write-up: (item, planned, actual, difference) as written.
fn markdown_agenda(md: &str) -> Vec<(String, String, String, String)> {
    let section = md.split("## Agenda").nth(1).expect("an agenda section");
    let section = section.split("\n## ").next().expect("up to the next section");
    section
        .lines()
        .filter(|l| {
            l.starts_with("| ") && l.split('|').nth(1).is_some_and(|n| n.trim().parse::<u32>().is_ok())
        })
        .map(|l| {
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            (cells[2].to_string(), cells[3].to_string(), cells[4].to_string(), cells[5].to_string())
        })
        .collect()
}

/// The same rows from the `check` text: "  1  Welcome  5 min  6 min  +1 ...", split on runs
/// of two or more spaces.
fn check_agenda(text: &str, titles: &[String]) -> Vec<(String, String, String, String)> {
    let section = text.split("\nAgenda").nth(1).expect("an agenda section");
    let section = section.split("\n\n").next().expect("up to the next section");
    titles
        .iter()
        .map(|title| {
            let line = section.lines().find(|l| l.contains(title.as_str())).expect("a row per item");
            let cells: Vec<String> =
                line.split("  ").map(str::trim).filter(|c| !c.is_empty()).map(str::to_string).collect();
            (cells[1].clone(), cells[2].clone(), cells[3].clone(), cells[4].clone())
        })
        .collect()
}

#[test]
fn check_and_the_summary_agree_on_planned_and_actual() {
    let example = example_path();
    let md = stdout(&convene(&["export", path_str(&example), "--format", "md"]));
    let text = stdout(&convene(&["check", path_str(&example)]));
    let from_md = markdown_agenda(&md);
    assert_eq!(from_md.len(), 7, "the example's agenda has 7 items:\n{md}");
    let titles: Vec<String> = from_md.iter().map(|row| row.0.clone()).collect();
    assert_eq!(check_agenda(&text, &titles), from_md, "check:\n{text}");

    // And the machine forms of both say the same, field by field.
    let check_json: Value =
        serde_json::from_str(&stdout(&convene(&["check", path_str(&example), "--format", "json"])))
            .expect("check JSON parses");
    let export_json: Value =
        serde_json::from_str(&stdout(&convene(&["export", path_str(&example), "--format", "json"])))
            .expect("export JSON parses");
    let checked = &check_json["files"][0]["session"];
    assert_eq!(checked["agenda"], export_json["session"]["agenda"]);
    assert_eq!(checked["actual_minutes"], export_json["session"]["actual_minutes"]);
    let actual: Vec<String> = export_json["session"]["agenda"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|row| row["actual"].as_i64().map_or("–".to_string(), |a| format!("{a} min")))
        .collect();
    assert_eq!(actual, from_md.iter().map(|row| row.2.clone()).collect::<Vec<_>>());
}

#[test]
fn every_writer_carries_the_same_facts() {
    let example = load_read_only(&example_path()).expect("example loads");
    let path = Path::new("sessions/example.ron");
    let md = session_report(path, &example, Format::Markdown).expect("md");
    let html = session_report(path, &example, Format::Html).expect("html");
    let json: Value =
        serde_json::from_str(&session_report(path, &example, Format::Json).expect("json")).expect("parses");
    let text = convene::cli::summary(path, &example);

    assert_eq!((json["format"].as_u64(), json["generator"].as_str()), (Some(1), Some("convene")));
    assert_eq!(json["kind"], "session");
    let session = &json["session"];
    let live = session["live"].as_u64().expect("live count");
    assert_eq!(live, 71);
    let summary = session["comments"].as_array().expect("themes");
    let listed: u64 = summary.iter().map(|t| t["count"].as_u64().expect("count")).sum();
    assert_eq!(listed, live, "JSON lists every live comment");
    assert!(md.contains(&format!("**Comments:** {live} (")), "{md}");
    assert!(html.contains(&format!("<strong>Comments:</strong> {live} (")), "{html}");
    assert!(text.contains(&format!("Comments: {live} (")), "{text}");

    for theme in session["theme_counts"].as_array().expect("counts") {
        let (name, count) = (theme["theme"].as_str().expect("name"), theme["count"].as_u64().expect("n"));
        assert!(md.contains(&format!("| {name} |")) && md.contains(&format!(" | {count} |")), "{name}");
        assert!(html.contains(&format!("<td>{name}</td>")), "{name}");
        let row = text.lines().find(|l| l.trim_start().starts_with(name)).expect("a text row");
        assert!(row.trim_end().ends_with(&format!(" {count}")), "{row}");
    }
    let ran = format!(
        "{}–{}",
        session["schedule"]["started"].as_str().expect("started"),
        session["schedule"]["end"].as_str().expect("end")
    );
    for (name, out) in [("md", &md), ("html", &html), ("text", &text)] {
        assert!(out.contains(&ran), "{name} says when it ran ({ran})");
        assert!(out.contains("All times are Europe/London time (UTC+00:00)."), "{name} names the zone");
    }
    for vote in session["votes"].as_array().expect("votes") {
        let heading = format!("Vote {}: ", vote["id"]);
        let md_vote = md.split(&heading).nth(1).expect("the vote in Markdown");
        let text_vote = text.split(&heading).nth(1).expect("the vote in check");
        for row in vote["rows"].as_array().expect("rows") {
            let candidate = row["candidate"].as_str().expect("candidate");
            let dots = row["dots"].as_u64().expect("dots");
            assert!(md_vote.contains(&format!("| {candidate} | {dots} |")), "{candidate}");
            let line = text_vote.lines().find(|l| l.contains(candidate)).expect("in check");
            assert!(line.split_whitespace().any(|w| w == dots.to_string()), "{line}");
        }
    }
}

#[test]
fn out_never_replaces_a_session_a_journal_or_a_foreign_file_without_force() {
    let (dir, path) = temp_session();
    let other = dir.path().join("other.ron");
    std::fs::copy(&path, &other).expect("copy");
    let journal = dir.path().join("other.ron.journal");
    std::fs::write(&journal, "(seq: 1, unsaved comment)\n").expect("journal");
    let notes = dir.path().join("notes.md");
    std::fs::write(&notes, "# My own notes\n").expect("notes");
    let disguised = dir.path().join("copy.csv");
    std::fs::copy(&path, &disguised).expect("copy");

    for (target, format) in [(&other, "csv"), (&journal, "md"), (&notes, "md"), (&disguised, "csv")] {
        let before = std::fs::read(target).expect("read");
        let refused = convene(&["export", path_str(&path), "--format", format, "--out", path_str(target)]);
        assert!(!refused.status.success(), "{} must be refused", target.display());
        let message = String::from_utf8_lossy(&refused.stderr);
        assert!(message.contains(path_str(target)) && message.contains("--force"), "{message}");
        assert_eq!(std::fs::read(target).expect("read"), before, "{} unchanged", target.display());
    }

    // A file convene wrote may be replaced; a foreign one with --force.
    let summary = dir.path().join("summary.md");
    stdout(&convene(&["export", path_str(&path), "--out", path_str(&summary)]));
    stdout(&convene(&["export", path_str(&path), "--out", path_str(&summary)]));
    let csv = dir.path().join("comments.csv");
    stdout(&convene(&["export", path_str(&path), "--format", "csv", "--excel", "--out", path_str(&csv)]));
    stdout(&convene(&["export", path_str(&path), "--format", "csv", "--out", path_str(&csv)]));
    let json = dir.path().join("s.json");
    stdout(&convene(&["export", path_str(&path), "--format", "json", "--out", path_str(&json)]));
    stdout(&convene(&["export", path_str(&path), "--format", "json", "--out", path_str(&json)]));
    stdout(&convene(&["export", path_str(&path), "--out", path_str(&notes), "--force"]));
    let replaced = std::fs::read_to_string(&notes).expect("read");
    assert!(replaced.contains("# Test session") && !replaced.contains("My own notes"), "{replaced}");
    // The session being exported is never the output, even with --force.
    assert!(!convene(&["export", path_str(&path), "--out", path_str(&path), "--force"]).status.success());
    assert!(load_read_only(&path).is_ok(), "the session still loads");
}

#[test]
fn csv_cells_never_run_as_formulas_and_excel_gets_a_byte_order_mark() {
    let texts = [
        "=HYPERLINK(\"http://evil.example\",\"click\")",
        "+44 1234",
        "-2 volunteers",
        "@SUM(A1:A9)",
        "\tindented",
        "café costs £5",
    ];
    let events = texts.iter().enumerate().map(|(i, t)| comment(i as u32 + 1, t)).collect();
    let (dir, path) = on_disk(&session_with(t0(), events));
    let out = dir.path().join("comments.csv");
    stdout(&convene(&["export", path_str(&path), "--format", "csv", "--excel", "--out", path_str(&out)]));
    let bytes = std::fs::read(&out).expect("read");
    assert_eq!(&bytes[..3], b"\xef\xbb\xbf", "UTF-8 byte-order mark first");
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let header: Vec<String> = reader.headers().expect("header").iter().map(str::to_string).collect();
    assert_eq!(header, ["date", "time", "theme", "room", "author", "pre_session", "text"]);
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    let cells: Vec<&str> = rows.iter().map(|r| &r[6]).collect();
    assert_eq!(
        cells,
        [
            "'=HYPERLINK(\"http://evil.example\",\"click\")",
            "'+44 1234",
            "'-2 volunteers",
            "'@SUM(A1:A9)",
            " indented",
            "café costs £5"
        ]
    );
    assert_eq!(
        (&rows[0][0], &rows[0][1]),
        ("2026-03-14", "14:00:10"),
        "a date and a time a spreadsheet reads"
    );

    // Without --excel there is no mark; --excel with another format is refused.
    let plain = stdout(&convene(&["export", path_str(&path), "--format", "csv"]));
    assert!(plain.starts_with("date,time,"));
    assert!(!convene(&["export", path_str(&path), "--format", "md", "--excel"]).status.success());
}

#[test]
fn a_summer_session_in_london_shows_british_summer_time() {
    let start = Utc.with_ymd_and_hms(2026, 6, 11, 13, 0, 0).single().expect("valid");
    let mut file = session_with(
        start,
        vec![Event::AgendaItemStarted { item: 0 }, comment(1, "Good turnout"), comment(2, "More, please")],
    );
    file.plan.time_zone = Some("Europe/London".into());
    file.plan.date = Some("2026-06-11".into());
    let (_dir, path) = on_disk(&file);

    let md = stdout(&convene(&["export", path_str(&path)]));
    assert!(md.contains("All times are Europe/London time (UTC+01:00)."), "{md}");
    assert_eq!(md.matches("Europe/London").count(), 1, "the zone is named once");
    assert!(md.contains("— *Partner one, 14:00*"), "13:00 UTC is 14:00 BST:\n{md}");
    assert!(md.contains("**Ran:** 14:00–14:00"), "{md}");
    let text = stdout(&convene(&["check", path_str(&path)]));
    assert!(text.contains("Ran: 14:00–14:00") && text.contains("Europe/London"), "{text}");
    let csv = stdout(&convene(&["export", path_str(&path), "--format", "csv"]));
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let first = reader.records().next().expect("a row").expect("parses");
    assert_eq!((&first[0], &first[1]), ("2026-06-11", "14:00:20"));
    let json: Value =
        serde_json::from_str(&stdout(&convene(&["export", path_str(&path), "--format", "json"])))
            .expect("parses");
    assert_eq!(json["session"]["time_zone"], "Europe/London");
    assert_eq!(json["session"]["comments"][0]["rooms"][0]["comments"][0]["at"], "2026-06-11T14:00:20+01:00");
}

#[test]
fn an_unknown_time_zone_is_refused_at_its_line() {
    let text = convene::cli::session_template_in("Zoned", "2026-06-11", "Europe/Lodnon");
    let line = text.lines().position(|l| l.contains("time_zone:")).expect("a time_zone line") + 1;
    let error = parse_session(Path::new("zoned.ron"), &text).expect_err("refused").to_string();
    assert!(error.starts_with(&format!("zoned.ron:{line}:")), "{error}");
    assert!(error.contains("time_zone \"Europe/Lodnon\" is not a known IANA time zone"), "{error}");
    let fine = convene::cli::session_template_in("Zoned", "2026-06-11", "Europe/London");
    assert_eq!(
        parse_session(Path::new("z.ron"), &fine).expect("loads").plan.time_zone.as_deref(),
        Some("Europe/London")
    );
}

#[test]
fn a_hostile_title_reaches_no_terminal_raw() {
    let mut file = session_with(t0(), vec![comment(1, "pasted \u{1b}]0;owned\u{7} and \u{202e}txt.exe")]);
    file.plan.title = "Title \u{1b}[2J\u{1b}[31mred\u{9b}1m \u{2066}isolated\u{2069}".into();
    let (_dir, path) = on_disk(&file);
    for args in [
        vec!["check", path_str(&path)],
        vec!["check", path_str(&path), "--format", "json"],
        vec!["export", path_str(&path), "--format", "csv"],
        vec!["export", path_str(&path), "--format", "md"],
        vec!["export", path_str(&path), "--format", "html"],
        vec!["export", path_str(&path), "--format", "json"],
        vec!["rooms", path_str(&path), "--time", "100ms"],
    ] {
        let out = stdout(&convene(&args));
        let bad: Vec<char> =
            out.replace("\r\n", "\n").chars().filter(|&c| c != '\n' && is_unsafe(c)).collect();
        assert!(bad.is_empty(), "{args:?} printed {bad:?}");
    }
    let text = stdout(&convene(&["check", path_str(&path)]));
    assert!(text.contains("Title \u{241b}[2J\u{241b}[31mred"), "{text}");

    // A plan problem quotes the plan's text on standard error: shown safely there too.
    let mut broken = file.clone();
    broken.plan.themes[1].name = broken.plan.themes[0].name.clone() + "\u{1b}[8m";
    broken.plan.themes[1].key = broken.plan.themes[0].key;
    let (_dir, bad) = on_disk(&broken);
    for args in [vec!["check", path_str(&bad)], vec!["export", path_str(&bad)]] {
        let failed = convene(&args);
        assert!(!failed.status.success(), "{args:?} refuses the plan");
        let message = String::from_utf8(failed.stderr).expect("utf-8");
        assert!(message.contains("share the key"), "{message}");
        assert!(!message.chars().any(|c| c != '\n' && is_unsafe(c)), "{args:?}: {message:?}");
    }
    let json: Value =
        serde_json::from_str(&stdout(&convene(&["export", path_str(&path), "--format", "json"])))
            .expect("parses");
    assert_eq!(
        json["session"]["title"].as_str(),
        Some(file.plan.title.as_str()),
        "JSON keeps the exact text"
    );
}

/// Characters that make trouble, far more often than by chance.
fn awkward() -> impl Strategy<Value = String> {
    let c = prop_oneof![
        any::<char>(),
        (0u32..0x20).prop_map(|c| char::from_u32(c).unwrap()),
        (0x7fu32..0xa0).prop_map(|c| char::from_u32(c).unwrap()),
        prop::sample::select(vec!['\u{202a}', '\u{202e}', '\u{2066}', '\u{2069}', '=', '<', '|', '*', '\n']),
    ];
    proptest::collection::vec(c, 0..40).prop_map(|cs| cs.into_iter().collect())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn no_export_carries_a_control_or_an_override(title in awkward(), texts in proptest::collection::vec(awkward(), 1..4)) {
        let events = texts.iter().enumerate().map(|(i, t)| comment(i as u32 + 1, t)).collect();
        let mut file = session_with(t0(), events);
        file.plan.title = format!("T{title}");
        let session = loaded(file);
        let path = Path::new("awkward.ron");
        for format in [Format::Markdown, Format::Html, Format::Csv, Format::Json] {
            let out = session_report(path, &session, format).expect("exports");
            // CSV rows end in CRLF; a comment's own line breaks stay inside its quoted cell.
            let out = if format == Format::Csv { out.replace('\r', "") } else { out };
            prop_assert!(!out.chars().any(|c| c != '\n' && is_unsafe(c)), "{:?}: {:?}", format, out);
        }
        let text = convene::cli::summary(path, &session);
        prop_assert!(!text.chars().any(|c| c != '\n' && is_unsafe(c)), "{:?}", text);
    }
}

#[test]
fn a_new_session_names_the_machine_time_zone() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("new.ron");
    let created = Command::new(env!("CARGO_BIN_EXE_convene"))
        .args(["new", path_str(&path), "--title", "Zoned", "--date", "2026-06-11"])
        .env("TZ", "Europe/Paris")
        .output()
        .expect("runs");
    assert!(created.status.success(), "{}", String::from_utf8_lossy(&created.stderr));
    let loaded = load_read_only(&path).expect("the new file loads");
    assert_eq!(loaded.file.plan.time_zone.as_deref(), Some("Europe/Paris"));
}

#[test]
fn check_as_json_reports_good_and_bad_files_alike() {
    let (dir, good) = temp_session();
    let bad = dir.path().join("broken.ron");
    std::fs::write(&bad, "(format: 1, plan: (title: \"x\",").expect("write");
    let output = convene(&["check", path_str(&good), path_str(&bad), "--format", "json"]);
    assert!(!output.status.success(), "a bad file fails the check");
    let json: Value = serde_json::from_slice(&output.stdout).expect("JSON on stdout even so");
    assert_eq!((json["format"].as_u64(), json["kind"].as_str()), (Some(1), Some("check")));
    let files = json["files"].as_array().expect("files");
    assert_eq!(files.len(), 2);
    assert_eq!(
        (files[0]["ok"].as_bool(), files[0]["session"]["title"].as_str()),
        (Some(true), Some("Test session"))
    );
    assert_eq!(files[1]["ok"].as_bool(), Some(false));
    assert!(files[1]["error"].as_str().expect("error").contains("broken.ron:1:"), "{}", files[1]);
}

#[test]
fn a_series_as_json_carries_every_session() {
    let (dir, first) = temp_session();
    let second = dir.path().join("consult-2.ron");
    std::fs::copy(example_path(), &second).expect("copy");
    let json: Value = serde_json::from_str(&stdout(&convene(&[
        "export",
        path_str(&first),
        path_str(&second),
        "--format",
        "json",
    ])))
    .expect("parses");
    assert_eq!((json["format"].as_u64(), json["kind"].as_str()), (Some(1), Some("series")));
    let comments: Vec<u64> = json["series"]["sessions"]
        .as_array()
        .expect("sessions")
        .iter()
        .map(|s| s["comments"].as_u64().expect("count"))
        .collect();
    assert_eq!(comments, [0, 71], "date order: the template's day comes first");
}

#[test]
fn messages_to_the_rooms_are_listed_with_who_sent_them_and_an_undone_one_is_left_out() {
    use convene::export::SessionReport;
    use convene::model::broadcast::BroadcastCause;
    let start = Utc.with_ymd_and_hms(2026, 3, 14, 14, 0, 0).single().unwrap();
    let file = session_with(
        start,
        vec![
            Event::Broadcast { text: "Halfway: has everyone spoken?".into(), bell: false, cause: None },
            Event::Broadcast { text: "Sent to the wrong call".into(), bell: true, cause: None },
            Event::Undone { seq: 2 },
            Event::Broadcast {
                text: "Breakout over: please come back to the main room".into(),
                bell: true,
                cause: Some(BroadcastCause::ItemEnded { item: 0 }),
            },
        ],
    );
    let first_item = file.plan.agenda[0].title.clone();
    let report = SessionReport::gather(Path::new("consult.ron"), &loaded(file.clone()));
    let lines: Vec<(&str, &str, bool)> =
        report.messages.iter().map(|m| (m.text.as_str(), m.sent_by.as_str(), m.bell)).collect();
    let ended = format!("the agenda: end of “{first_item}”");
    assert_eq!(
        lines,
        [
            ("Halfway: has everyone spoken?", "the facilitator", false),
            ("Breakout over: please come back to the main room", ended.as_str(), true),
        ]
    );
    let md = session_report(Path::new("consult.ron"), &loaded(file), Format::Markdown).unwrap();
    let section = md.split("## Messages to the rooms").nth(1).expect("a section for the messages");
    assert!(section.contains("| 14:00 | Halfway: has everyone spoken? | the facilitator |"), "{section}");
    assert!(!md.contains("Sent to the wrong call"), "an undone message is not in the write-up");
}
