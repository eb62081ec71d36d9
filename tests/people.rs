//! Real people in, rooms out: registration spreadsheets imported into plans (header variants,
//! Unicode names, Zoom's registration report, a corpus of bad files), the roll call, walk-ins,
//! latecomers and leavers in the fold and on screen, rooms that seat only those present,
//! attendance in the exports, and Zoom's pre-assignment file read back with the csv crate.
#![allow(clippy::unwrap_used, clippy::panic)] // a test fails by panicking

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use chrono::Duration;
use common::*;
use convene::app::checkin::decision_base;
use convene::app::{update, AppState, Mode};
use convene::model::CommentId;
use convene::model::{Actor, DecisionBase, Event, Plan, SessionState, Stamped, Status};
use convene::people::participation;
use convene::rotation::session::SessionProblem;
use convene::rotation::Objective;
use convene::store::{load_read_only, save_session, SessionLock};
use crossterm::event::KeyCode;

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sessions/example.ron")
}

fn convene(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_convene")).args(args).output().expect("convene runs")
}

fn text(output: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// A copy of the example in a temporary directory.
fn example_copy() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("session.ron");
    std::fs::copy(example(), &path).expect("copy");
    (dir, path)
}

fn write(dir: &Path, name: &str, contents: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, contents).expect("write csv");
    path
}

/// Every line of `before` is in `after`, in order: nothing was removed or rewritten.
fn kept_in_order(before: &str, after: &str) -> bool {
    let mut rest = after.lines();
    before.lines().all(|line| rest.any(|other| other == line))
}

fn stamp(events: Vec<Event>) -> Vec<Stamped> {
    events
        .into_iter()
        .enumerate()
        .map(|(i, event)| Stamped {
            seq: i as u64 + 1,
            at: t0() + Duration::minutes(i as i64),
            by: Actor::Facilitator,
            origin: None,
            event,
        })
        .collect()
}

fn example_plan() -> Plan {
    load_read_only(&example()).expect("example loads").file.plan
}

#[test]
fn each_header_variant_adds_people_and_keeps_the_rest_of_the_file_byte_for_byte() {
    let variants = [
        ("plain.csv", "Name,Organisation,Email\nZoë Adams,Youth Futures (charity),zoe@example.org\n"),
        (
            "american.csv",
            "Full Name,Organization,E-mail Address\nZoë Adams,Youth Futures (charity),zoe@example.org\n",
        ),
        ("excel.csv", "\u{feff}NAME;ORG;EMAIL\nZoë Adams;Youth Futures (charity);zoe@example.org\n"),
        (
            "split.csv",
            "First Name,Last Name,Company,email\nZoë,Adams,Youth Futures (charity),zoe@example.org\n",
        ),
        ("no-header.csv", "Zoë Adams, Youth Futures (charity)\n"),
        ("list.csv", "Name, Organisation\r\nZoë Adams, Youth Futures (charity)\r\n"),
    ];
    for (name, contents) in variants {
        let (dir, session) = example_copy();
        let before = std::fs::read_to_string(&session).unwrap();
        let csv = write(dir.path(), name, contents);
        let output = convene(&["import", session.to_str().unwrap(), csv.to_str().unwrap()]);
        let (out, err) = text(&output);
        assert!(output.status.success(), "{name}: {err}");
        assert!(out.contains("1 participant(s) added"), "{name}: {out}");
        let after = std::fs::read_to_string(&session).unwrap();
        assert!(kept_in_order(&before, &after), "{name}: a line of the file was changed");
        assert_eq!(after.lines().count(), before.lines().count() + 1, "{name}");
        let loaded = load_read_only(&session).expect("imported file loads");
        let zoe = loaded.file.plan.participant("zoe").expect("id from the first name");
        assert_eq!(zoe.name, "Zoë Adams", "{name}");
        assert_eq!(zoe.org, "Youth Futures (charity)", "{name}");
        let expect_email = !name.contains("list") && !name.contains("no-header");
        assert_eq!(zoe.email.is_some(), expect_email, "{name}");
        assert_eq!(
            loaded.file.events,
            load_read_only(&example()).unwrap().file.events,
            "{name}: the log changed"
        );
    }
}

#[test]
fn unicode_names_make_ascii_ids_and_a_reimport_keeps_them() {
    let (dir, session) = example_copy();
    let csv = write(
        dir.path(),
        "people.csv",
        "Name,Organisation,Email,Role,Room\n\
         Siân Evans,Northvale County Council,sian@example.org,,\n\
         Małgorzata Nowak,Working group,m.nowak@example.org,room lead,Room 2\n\
         José García,Northvale Food Bank,,,\n\
         Sam Murray,Transport Authority,sam.m@example.org,,\n",
    );
    let output = convene(&["import", session.to_str().unwrap(), csv.to_str().unwrap()]);
    assert!(output.status.success(), "{}", text(&output).1);
    let plan = load_read_only(&session).unwrap().file.plan;
    assert_eq!(plan.participant("sian").unwrap().name, "Siân Evans");
    assert_eq!(plan.participant("malgorzata").unwrap().role, convene::model::Role::RoomLead);
    assert_eq!(plan.participant("jose").unwrap().email, None);
    assert_eq!(plan.rooms[1].lead.as_deref(), Some("malgorzata"), "the lead takes the room the sheet gives");
    // Sam Murray was listed already: matched by name, updated in place, same id.
    assert_eq!(plan.participant("sam").unwrap().email.as_deref(), Some("sam.m@example.org"));
    assert_eq!(plan.participants.len(), 23);

    // Typed without accents, with a new e-mail: matched by name; then matched by e-mail.
    let again = write(
        dir.path(),
        "again.csv",
        "Name,Organisation,Email\nSian Evans,Northvale County Council,sian.evans@example.org\nMalgorzata N.,Working group,m.nowak@example.org\n",
    );
    let output = convene(&["import", session.to_str().unwrap(), again.to_str().unwrap()]);
    assert!(output.status.success(), "{}", text(&output).1);
    let plan = load_read_only(&session).unwrap().file.plan;
    assert_eq!(plan.participants.len(), 23, "nobody new");
    assert_eq!(plan.participant("sian").unwrap().email.as_deref(), Some("sian.evans@example.org"));
    assert_eq!(plan.participant("malgorzata").unwrap().name, "Malgorzata N.");
}

#[test]
fn zoom_registration_report_is_read_past_its_header_lines() {
    let (dir, session) = example_copy();
    let report = "Registration Report\n\
        Report Generated:,\"Nov 1, 2026 09:12\"\n\
        Topic,Webinar ID,Scheduled Time,Duration,# Registered,# Cancelled by Host\n\
        Northvale consultation 3,812 3456 7890,\"Nov 19, 2026 14:00\",120,3,0\n\
        \n\
        First Name,Last Name,Email,Address,City,Country/Region,Phone,Industry,Organization,Job Title,Role in Purchase Process,Registration Time,Approval Status\n\
        Siân,Evans,sian@example.org,,,,,,Northvale County Council,Director,,\"Nov 1, 2026 09:00\",approved\n\
        Tomasz,Kowalski,tomasz@example.org,,,,,,Northvale Police,,,\"Nov 2, 2026 10:00\",pending\n\
        Spam,Bot,spam@example.org,,,,,,Nowhere,,,\"Nov 2, 2026 11:00\",denied\n";
    let csv = write(dir.path(), "zoom_registration_report.csv", report);
    let output = convene(&["import", session.to_str().unwrap(), csv.to_str().unwrap()]);
    let (out, err) = text(&output);
    assert!(output.status.success(), "{err}");
    assert!(out.contains("2 participant(s) added"), "{out}");
    let plan = load_read_only(&session).unwrap().file.plan;
    assert_eq!(plan.participant("tomasz").unwrap().org, "Northvale Police");
    assert!(plan.participant_named("Spam Bot").is_none(), "denied registrations stay out");
}

#[test]
fn bad_files_are_refused_with_line_and_column_and_the_session_unchanged() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/people");
    let cases = [
        ("missing-name.csv", 3, 1, "missing name"),
        ("missing-first-name.csv", 4, 1, "missing name"),
        ("malformed-email.csv", 3, 23, "malformed e-mail"),
        ("duplicate-email.csv", 3, 22, "duplicate person"),
        ("duplicate-name.csv", 3, 1, "duplicate person"),
        ("unknown-role.csv", 3, 19, "unknown role \"chair\""),
        ("no-such-room.csv", 2, 38, "a room that does not exist"),
    ];
    for (file, line, column, what) in cases {
        let (_dir, session) = example_copy();
        let before = std::fs::read(&session).unwrap();
        let csv = corpus.join(file);
        let output = convene(&["import", session.to_str().unwrap(), csv.to_str().unwrap()]);
        let (_, err) = text(&output);
        assert!(!output.status.success(), "{file} was accepted");
        let at = format!("{}:{line}:{column}: ", csv.display());
        assert!(err.contains(&at), "{file}: expected {at} in:\n{err}");
        assert!(err.contains(what), "{file}: expected \"{what}\" in:\n{err}");
        assert!(err.contains("Nothing was written"), "{file}: {err}");
        assert_eq!(std::fs::read(&session).unwrap(), before, "{file}: the session changed");
    }
}

#[test]
fn import_is_refused_while_the_session_is_open_live() {
    let (dir, session) = example_copy();
    let before = std::fs::read(&session).unwrap();
    let csv = write(dir.path(), "p.csv", "Name,Organisation\nZoë Adams,Youth Futures (charity)\n");
    let lock = SessionLock::acquire(&session).expect("lock");
    let output = convene(&["import", session.to_str().unwrap(), csv.to_str().unwrap()]);
    let (_, err) = text(&output);
    assert!(!output.status.success());
    assert!(err.contains("already open"), "{err}");
    assert_eq!(std::fs::read(&session).unwrap(), before);
    drop(lock);
}

#[test]
fn new_with_participants_replaces_the_placeholders() {
    let dir = tempfile::tempdir().unwrap();
    let csv = write(
        dir.path(),
        "people.csv",
        "Name,Organisation,Role,Room\nAnn Lee,Working group,Room lead,1\nBob Stone,Council,,\nSiân Evans,NHS,facilitator,\n",
    );
    let session = dir.path().join("s.ron");
    let output =
        convene(&["new", session.to_str().unwrap(), "--title", "T", "--participants", csv.to_str().unwrap()]);
    assert!(output.status.success(), "{}", text(&output).1);
    let plan = load_read_only(&session).unwrap().file.plan;
    let ids: Vec<&str> = plan.participants.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, ["ann", "bob", "sian"]);
    assert_eq!(plan.rooms[0].lead.as_deref(), Some("ann"));
    assert_eq!(plan.rooms[1].lead, None);
    let text = std::fs::read_to_string(&session).unwrap();
    assert!(text.contains("// Breakout rooms, each led by"), "the template's comments stay");
}

#[test]
fn the_fold_tracks_roll_call_walk_ins_latecomers_and_leavers() {
    let plan = example_plan();
    let events = stamp(vec![
        Event::ParticipantCheckedIn { id: "helen".into() },
        Event::ParticipantAbsent { id: "sam".into() },
        Event::ParticipantAdded {
            id: "zoe".into(),
            name: "Zoë Adams".into(),
            organisation: "Transport Authority".into(),
            deputy_for: Some("sam".into()),
            role: Default::default(),
            email: None,
        },
        Event::RoomsAssigned {
            round: 0,
            rooms: vec![
                vec!["tom".into(), "helen".into()],
                vec!["aisha".into(), "zoe".into()],
                vec!["gareth".into()],
            ],
        },
        Event::ParticipantArrived { id: "sam".into(), room: 2 },
        Event::ParticipantLeft { id: "helen".into() },
        Event::CommentAdded {
            id: CommentId(1),
            text: "From the deputy".into(),
            theme: None,
            room: Some(1),
            author: Some("zoe".into()),
            pre_session: false,
        },
    ]);
    let state = SessionState::fold(&plan, &events).expect("folds");
    let people = state.people();
    assert!(people.roll_call);
    assert_eq!(people.status("helen"), Status::Left);
    assert_eq!(people.status("sam"), Status::Present, "arrived late");
    assert_eq!(people.status("zoe"), Status::Present);
    assert_eq!(people.status("raj"), Status::NotChecked);
    assert!(!people.expected_here("raj"), "after a roll call, unchecked people are not counted on");
    assert_eq!(people.arrived.get("sam"), Some(&(t0() + Duration::minutes(4))));
    assert_eq!(people.left.get("helen"), Some(&(t0() + Duration::minutes(5))));
    assert_eq!(state.rooms.current().unwrap().room_of("helen"), None, "a leaver leaves their room");
    assert_eq!(state.person(&plan, "zoe").unwrap().name, "Zoë Adams");

    // A walk-in cannot take a listed id, and nobody unknown can be checked in.
    let clash = stamp(vec![Event::ParticipantAdded {
        id: "sam".into(),
        name: "Sam Again".into(),
        organisation: "X".into(),
        deputy_for: None,
        role: Default::default(),
        email: None,
    }]);
    assert!(SessionState::fold(&plan, &clash).is_err());
    assert!(
        SessionState::fold(&plan, &stamp(vec![Event::ParticipantCheckedIn { id: "nobody".into() }])).is_err()
    );
}

#[test]
fn rooms_never_seat_an_absent_person_and_do_seat_walk_ins() {
    let plan = example_plan();
    let partners: Vec<String> = plan
        .participants
        .iter()
        .filter(|p| matches!(p.role, convene::model::Role::Partner | convene::model::Role::RoomLead))
        .map(|p| p.id.clone())
        .collect();
    for skip in 1..6usize {
        // Check in everyone but every `skip`-th partner; add a walk-in.
        let mut events: Vec<Event> = Vec::new();
        let mut absent = BTreeSet::new();
        for (i, id) in partners.iter().enumerate() {
            if i % (skip + 2) == skip && !["tom", "aisha", "gareth"].contains(&id.as_str()) {
                absent.insert(id.clone());
                events.push(Event::ParticipantAbsent { id: id.clone() });
            } else {
                events.push(Event::ParticipantCheckedIn { id: id.clone() });
            }
        }
        events.push(Event::ParticipantAdded {
            id: "walkin".into(),
            name: "Walk In".into(),
            organisation: "Somewhere".into(),
            deputy_for: None,
            role: Default::default(),
            email: None,
        });
        let state = SessionState::fold(&plan, &stamp(events)).expect("folds");
        let problem =
            SessionProblem::new(&plan, &state.rooms, &Default::default(), Objective::MostNewPairings);
        let schedule =
            problem.plan_rounds(2, skip as u64, std::time::Duration::from_millis(200)).expect("plans");
        for round in &schedule.rounds {
            let seated: BTreeSet<String> = problem.to_ids(round).into_iter().flatten().collect();
            assert!(
                seated.is_disjoint(&absent),
                "an absent person was seated: {:?}",
                seated.intersection(&absent).collect::<Vec<_>>()
            );
            assert!(seated.contains("walkin"), "the walk-in was not seated");
            assert_eq!(seated.len(), partners.len() - absent.len() + 1, "everyone present is seated once");
        }
    }
}

/// A console on the example's plan with an empty log.
fn fresh_console() -> AppState {
    let plan = example_plan();
    let session = SessionState::fold(&plan, &[]).expect("empty log");
    common::keys_act_at_once(AppState::new("sessions/test.ron".into(), plan, session, t0()))
}

#[test]
fn roll_call_by_keyboard_then_a_latecomer_is_seated_with_a() {
    let mut state = fresh_console();
    update(&mut state, key(KeyCode::F(9)), t0());
    assert_eq!(state.mode, Mode::CheckIn);
    let screen = render(&mut state, 120, 40);
    assert!(screen.contains("No check-in yet: rooms count everyone on the list as present"), "{screen}");

    // Find Siobhan typed without a capital, mark her present; the next person is selected.
    type_text(&mut state, "/siob");
    update(&mut state, key(KeyCode::Enter), t0());
    let events = persisted(&update(&mut state, key(KeyCode::Char('p')), t0()));
    assert_eq!(events, vec![Event::ParticipantCheckedIn { id: "siobhan".into() }]);
    // Everyone else present but Grace, who is late.
    let roster: Vec<String> = state.plan.participants.iter().map(|p| p.id.clone()).collect();
    for (i, id) in roster.iter().enumerate() {
        state.checkin.index = i;
        if id == "grace" {
            let events = persisted(&update(&mut state, key(KeyCode::Char('x')), t0()));
            assert_eq!(events, vec![Event::ParticipantAbsent { id: "grace".into() }]);
        } else if id != "siobhan" {
            update(&mut state, key(KeyCode::Char('p')), t0());
        }
    }
    let screen = render(&mut state, 120, 40);
    assert!(screen.contains("Rooms seat only people present"), "{screen}");
    assert!(screen.contains("✗ absent   Grace Bello"), "{screen}");
    assert!(screen.contains("19 present · 1 absent"), "{screen}");

    // Rooms leave Grace out; on the rooms screen she is selectable and `a` seats her.
    update(&mut state, key(KeyCode::F(4)), t0());
    let events = persisted(&update_settled(&mut state, key(KeyCode::Char('g')), t0()));
    let Some(Event::RoomsAssigned { rooms, .. }) = events.first() else { panic!("no rooms: {events:?}") };
    assert!(!rooms.iter().flatten().any(|id| id == "grace"));
    let rows = convene::app::room_rows(&state);
    state.rooms.person = rows.iter().position(|(id, _)| id == "grace").expect("Grace is listed, not seated");
    let events = persisted(&update(&mut state, key(KeyCode::Char('a')), t0()));
    assert!(matches!(&events[..], [Event::ParticipantArrived { id, .. }] if id == "grace"), "{events:?}");
    assert_eq!(state.session.people().status("grace"), Status::Present);
}

#[test]
fn a_walk_in_and_a_deputy_are_added_from_the_check_in_screen() {
    let mut state = fresh_console();
    update(&mut state, key(KeyCode::F(9)), t0());
    update(&mut state, key(KeyCode::Char('w')), t0());
    type_text(&mut state, "Zoë Adams, Youth Futures (charity)");
    let events = persisted(&update(&mut state, key(KeyCode::Enter), t0()));
    assert!(
        matches!(&events[..], [Event::ParticipantAdded { id, name, organisation, deputy_for: None, .. }]
            if id == "zoe-adams" && name == "Zoë Adams" && organisation == "Youth Futures (charity)"),
        "{events:?}"
    );
    state.checkin.index = state.plan.participants.iter().position(|p| p.id == "sam").unwrap();
    update(&mut state, key(KeyCode::Char('d')), t0());
    // The organisation is filled in; type the name before it.
    let typed = match &state.checkin.typing {
        Some(convene::app::checkin::Typing::WalkIn { text, .. }) => text.clone(),
        other => panic!("not typing a deputy: {other:?}"),
    };
    assert_eq!(typed, ", Transport Authority");
    state.checkin.typing = Some(convene::app::checkin::Typing::WalkIn {
        text: format!("Kim Lowe{typed}"),
        deputy_for: Some("sam".into()),
    });
    let events = persisted(&update(&mut state, key(KeyCode::Enter), t0()));
    assert!(
        matches!(&events[..], [Event::ParticipantAdded { id, deputy_for: Some(for_), .. }] if id == "kim-lowe" && for_ == "sam"),
        "{events:?}"
    );
    let screen = render(&mut state, 120, 40);
    assert!(screen.contains("Kim Lowe · Transport Authority"), "{screen}");
    assert!(screen.contains("deputy for Sam Murray"), "{screen}");
}

#[test]
fn participation_counts_comments_and_dots_and_names_the_silent() {
    let plan = example_plan();
    let mut events = vec![
        Event::ParticipantCheckedIn { id: "helen".into() },
        Event::ParticipantCheckedIn { id: "raj".into() },
    ];
    for id in 1..=3 {
        events.push(Event::CommentAdded {
            id: CommentId(id),
            text: format!("c{id}"),
            theme: None,
            room: None,
            author: Some("helen".into()),
            pre_session: false,
        });
    }
    let state = SessionState::fold(&plan, &stamp(events)).expect("folds");
    let seen = participation(&plan, &state);
    assert_eq!(seen.people.len(), 2, "only people present are listed");
    assert_eq!((seen.people[0].id.as_str(), seen.people[0].comments), ("helen", 3));
    assert_eq!(seen.silent, vec!["Raj Patel".to_string()]);
    let council = seen.orgs.iter().find(|o| o.org == "Northvale County Council").unwrap();
    assert_eq!(council.comments, 3);

    // Through the example's whole log, the screen renders it.
    let mut state = common::keys_act_at_once(AppState::new(
        "s.ron".into(),
        plan,
        load_read_only(&example()).unwrap().state,
        t0(),
    ));
    update(&mut state, key(KeyCode::F(9)), t0());
    update(&mut state, key(KeyCode::Char('v')), t0());
    let screen = render(&mut state, 120, 40);
    assert!(screen.contains("Participation (facilitator only)"), "{screen}");
}

#[test]
fn decisions_count_all_partner_organisations_unless_set_to_those_present() {
    let mut state = fresh_console();
    let partners = state.plan.partner_organisations();
    assert_eq!(partners.len(), 13, "the example's partner organisations, working group and team aside");
    let (orgs, base) = decision_base(&state);
    assert_eq!((orgs.len(), base), (13, Some(DecisionBase::AllPartners)));
    for id in ["helen", "dan", "karen"] {
        let seq = state.session.last_seq + 1;
        let stamped = Stamped {
            seq,
            at: t0(),
            by: Actor::Facilitator,
            origin: None,
            event: Event::ParticipantCheckedIn { id: id.into() },
        };
        state.session.apply(&state.plan.clone(), &stamped).unwrap();
    }
    update(&mut state, key(KeyCode::F(3)), t0());
    update(&mut state, key(KeyCode::Char('b')), t0());
    let (orgs, base) = decision_base(&state);
    assert_eq!(base, Some(DecisionBase::Present));
    assert_eq!(orgs, ["Fire and Rescue Service", "Northvale County Council", "Northvale Police"]);

    // Old files keep their meaning: the example's decision counts the 14 organisations it lists.
    let loaded = load_read_only(&example()).unwrap();
    let decision = &loaded.state.voting.decisions[0];
    assert_eq!(decision.base, None);
    assert_eq!(
        decision.rule_line(),
        "passes with yes from more than half of the 14 organisations (8 needed)"
    );
}

#[test]
fn attendance_counts_only_who_was_there_in_the_summary_and_the_series() {
    let dir = tempfile::tempdir().unwrap();
    let plan = example_plan();
    let mut events: Vec<Event> = vec![Event::AgendaItemStarted { item: 0 }];
    for p in &plan.participants {
        if p.id != "sam" && p.id != "grace" {
            events.push(Event::ParticipantCheckedIn { id: p.id.clone() });
        }
    }
    events.push(Event::ParticipantAbsent { id: "grace".into() });
    // Marked as leaving without ever coming: not "left at".
    events.push(Event::ParticipantLeft { id: "sam".into() });
    events.push(Event::ParticipantCheckedIn { id: "grace".into() });
    events.push(Event::ParticipantLeft { id: "ben".into() });
    let mut file = convene::model::SessionFile::new(plan);
    file.events = stamp(events);
    let session = dir.path().join("one.ron");
    save_session(&session, &file).unwrap();
    let output = convene(&["export", session.to_str().unwrap(), "--format", "md"]);
    let (md, err) = text(&output);
    assert!(output.status.success(), "{err}");
    assert!(md.contains("19 attended"), "{md}");
    assert!(md.contains("Sam Murray (absent)"), "{md}");
    assert!(!md.contains("Sam Murray (absent; left"), "{md}");
    assert!(md.contains("Grace Bello (arrived late, 14:"), "{md}");
    assert!(md.contains("Ben Carter (left at 14:"), "{md}");

    // With rooms held, the rounds section names only leavers who were there.
    let mut with_rooms = load_read_only(&session).unwrap().file;
    let seq = with_rooms.events.len() as u64;
    let rooms = vec![
        vec!["tom".into(), "helen".into()],
        vec!["aisha".into(), "raj".into()],
        vec!["gareth".into(), "dan".into()],
    ];
    for (i, event) in [Event::RoomsAssigned { round: 0, rooms }, Event::ParticipantLeft { id: "raj".into() }]
        .into_iter()
        .enumerate()
    {
        with_rooms.events.push(Stamped {
            seq: seq + 1 + i as u64,
            at: t0() + Duration::minutes(30),
            by: Actor::Facilitator,
            origin: None,
            event,
        });
    }
    save_session(&session, &with_rooms).unwrap();
    let (md, _) = text(&convene(&["export", session.to_str().unwrap(), "--format", "md"]));
    assert!(md.contains("Raj Patel, 14:30"), "{md}");
    assert!(!md.contains("Sam Murray, 14:"), "{md}");
    let (summary, _) = text(&convene(&["check", session.to_str().unwrap()]));
    // `check` prints the write-up's own attendance: who left, when, and who never came.
    assert!(summary.contains("Ben Carter (left at 14:22)"), "{summary}");
    assert!(summary.contains("Raj Patel (left at 14:30)"), "{summary}");
    assert!(summary.contains("Sam Murray (absent)") && summary.contains("19 attended"), "{summary}");
    // Restore the one-session file for the series below.
    save_session(&session, &{
        let mut file = with_rooms.clone();
        file.events.truncate(seq as usize);
        file
    })
    .unwrap();

    let output = convene(&["check", session.to_str().unwrap()]);
    assert!(
        text(&output).0.contains("20 people from 15 organisations expected; 19 attended")
            && text(&output).0.contains("Sam Murray (absent)"),
        "{}",
        text(&output).0
    );

    let mut second = load_read_only(&session).unwrap().file;
    second.plan.title = "Session two".into();
    second.plan.date = Some("2026-12-01".into());
    let other = dir.path().join("two.ron");
    save_session(&other, &second).unwrap();
    let output = convene(&["export", session.to_str().unwrap(), other.to_str().unwrap(), "--format", "md"]);
    let (series, err) = text(&output);
    assert!(output.status.success(), "{err}");
    assert!(series.contains("19 of 20"), "{series}");
    assert!(!series.contains("20 of 20"), "{series}");
}

fn read_zoom(csv_text: &str) -> Vec<(String, String)> {
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    assert_eq!(reader.headers().unwrap(), vec!["Pre-assign Room Name", "Email Address"]);
    reader.records().map(|r| r.unwrap()).map(|r| (r[0].to_string(), r[1].to_string())).collect()
}

fn check_zoom_rows(plan: &Plan, rows: &[(String, String)], rooms: &[Vec<String>]) {
    let by_email: BTreeMap<&str, &str> =
        rows.iter().map(|(room, email)| (email.as_str(), room.as_str())).collect();
    assert_eq!(by_email.len(), rows.len(), "an e-mail appears twice");
    let mut expected = 0;
    for (i, room) in rooms.iter().enumerate() {
        for id in room {
            let person = plan.participant(id).unwrap();
            if let Some(email) = &person.email {
                expected += 1;
                assert_eq!(by_email.get(email.as_str()).copied(), Some(plan.rooms[i].name.as_str()), "{id}");
            }
        }
        if let Some(lead) = plan.rooms[i].lead.as_deref().and_then(|l| plan.participant(l)) {
            assert_eq!(
                by_email.get(lead.email.as_deref().unwrap()).copied(),
                Some(plan.rooms[i].name.as_str())
            );
        }
    }
    assert_eq!(rows.len(), expected, "rows for people not in the round");
}

#[test]
fn zoom_pre_assignment_files_read_back_with_every_present_person_once() {
    let dir = tempfile::tempdir().unwrap();
    let loaded = load_read_only(&example()).unwrap();
    let plan = &loaded.file.plan;
    // A held round: the second, from which Ben left.
    let out = dir.path().join("round2.csv");
    let output = convene(&[
        "export",
        example().to_str().unwrap(),
        "--format",
        "zoom-csv",
        "--round",
        "2",
        "--out",
        out.to_str().unwrap(),
    ]);
    let (_, err) = text(&output);
    assert!(output.status.success(), "{err}");
    assert!(err.contains("not pre-assigned: Grace Bello (Room 3): no e-mail"), "{err}");
    let rows = read_zoom(&std::fs::read_to_string(&out).unwrap());
    check_zoom_rows(plan, &rows, &loaded.state.rooms.rounds[1].rooms);
    assert!(!rows.iter().any(|(_, e)| e.starts_with("ben.")), "Ben left in round 2");

    // A planned round: only people present are in it.
    let output = convene(&[
        "rooms",
        example().to_str().unwrap(),
        "--rounds",
        "1",
        "--format",
        "zoom-csv",
        "--time",
        "200ms",
    ]);
    let (csv_text, err) = text(&output);
    assert!(output.status.success(), "{err}");
    let rows = read_zoom(&csv_text);
    assert!(!rows.iter().any(|(_, e)| e.starts_with("ben.")), "Ben has left: not seated");
    assert_eq!(rows.len(), 16, "17 partners and leads present, Grace without an e-mail");
    let leads: Vec<(String, String)> = plan
        .rooms
        .iter()
        .map(|r| {
            (r.name.clone(), plan.participant(r.lead.as_deref().unwrap()).unwrap().email.clone().unwrap())
        })
        .collect();
    for lead in &leads {
        assert!(rows.contains(lead), "lead not in their room: {lead:?}");
    }

    // Zoom takes one round; later ones go to the chat as text.
    let output = convene(&["rooms", example().to_str().unwrap(), "--rounds", "2", "--format", "zoom-csv"]);
    assert!(!output.status.success());
    assert!(text(&output).1.contains("one set of pre-assignments per meeting"));
    let output = convene(&[
        "rooms",
        example().to_str().unwrap(),
        "--rounds",
        "2",
        "--format",
        "text",
        "--time",
        "200ms",
    ]);
    let (chat, _) = text(&output);
    assert!(chat.contains("Breakout rooms, round 3\nRoom 1: Tom Hughes (lead), "), "{chat}");
    assert!(chat.contains("Breakout rooms, round 4"), "{chat}");
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(96))]

    /// Any name makes an id of ASCII letters, digits and single dashes.
    #[test]
    fn ids_are_ascii_slugs(name in "\\PC{0,24}") {
        let id = convene::people::slug(&name);
        proptest::prop_assert!(!id.is_empty());
        proptest::prop_assert!(id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'), "{}", id);
        proptest::prop_assert!(!id.starts_with('-') && !id.ends_with('-') && !id.contains("--"), "{}", id);
    }

    /// People written by the csv crate, with any separator, read back as written.
    #[test]
    fn written_people_read_back(
        names in proptest::collection::btree_set("[A-Za-zÀ-ÿ][a-zà-ÿ'’ ,;\"-]{0,12}[a-zà-ÿ]", 1..8),
        semicolon in proptest::bool::ANY,
    ) {
        let mut writer = csv::WriterBuilder::new().delimiter(if semicolon { b';' } else { b',' }).from_writer(Vec::new());
        writer.write_record(["Name", "Organisation"]).unwrap();
        let names: Vec<String> = names.into_iter().map(|n| n.trim().to_string()).collect();
        let mut seen = BTreeSet::new();
        let names: Vec<String> = names.into_iter().filter(|n| !n.is_empty() && seen.insert(convene::people::fold_name(n))).collect();
        for (i, name) in names.iter().enumerate() {
            writer.write_record([name.as_str(), &format!("Org {i}")]).unwrap();
        }
        let text = String::from_utf8(writer.into_inner().unwrap()).unwrap();
        let people = convene::people::read_registrations("p.csv", &text).unwrap();
        let read: Vec<String> = people.iter().map(|p| p.name.clone()).collect();
        proptest::prop_assert_eq!(read, names);
    }
}

#[test]
fn check_in_screen_fits_a_small_terminal() {
    let loaded = load_read_only(&example()).unwrap();
    let mut state =
        common::keys_act_at_once(AppState::new("s.ron".into(), loaded.file.plan, loaded.state, t0()));
    update(&mut state, key(KeyCode::F(9)), t0());
    let screen = render(&mut state, 80, 24);
    assert!(screen.contains("Check-in · 19 present · 0 absent · 0 not checked · 1 left"), "{screen}");
    assert!(screen.contains("Rooms seat only people present"), "{screen}");
    assert!(screen.contains("present"), "{screen}");
}

#[test]
fn a_walk_in_is_named_in_the_write_up_not_shown_by_id() {
    let (_dir, path) = temp_session();
    let mut file = load_read_only(&path).unwrap().file;
    let stamp =
        |seq: u64, event: Event| Stamped { seq, at: t0(), by: Actor::Facilitator, origin: None, event };
    file.events.push(stamp(
        1,
        Event::ParticipantAdded {
            id: "zoe-adams".into(),
            name: "Zoë Adams".into(),
            organisation: "Youth Futures (charity)".into(),
            deputy_for: None,
            role: Default::default(),
            email: None,
        },
    ));
    file.events.push(stamp(
        2,
        Event::CommentAdded {
            id: CommentId(1),
            text: "Young people need a seat at the table".into(),
            theme: None,
            room: None,
            author: Some("zoe-adams".into()),
            pre_session: false,
        },
    ));
    save_session(&path, &file).unwrap();
    let (md, err) = text(&convene(&["export", path.to_str().unwrap(), "--format", "md"]));
    assert!(md.contains("Zoë Adams"), "{md}{err}");
    assert!(!md.contains("zoe-adams"), "never the bare id: {md}");
}
