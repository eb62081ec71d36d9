//! The built-in template `convene new` writes: a documented file ready to edit by hand.

/// A new session file for `title`, with SWOT + PESTLE themes, a 6-item agenda and 3 rooms,
/// in UTC.
pub fn session_template(title: &str, date: &str) -> String {
    fill(title, date, "UTC", None)
}

/// The template for a session held in `time_zone` (an IANA name, e.g. "Europe/London").
pub fn session_template_in(title: &str, date: &str, time_zone: &str) -> String {
    fill(title, date, time_zone, None)
}

/// What `convene new` writes: the template with the session's zone and its identity `id`.
pub fn session_template_for(title: &str, date: &str, time_zone: &str, id: &str) -> String {
    fill(title, date, time_zone, Some(id))
}

fn fill(title: &str, date: &str, time_zone: &str, id: Option<&str>) -> String {
    let template = match id {
        // Debug formatting of a str gives a correctly escaped RON string literal.
        Some(id) => TEMPLATE.replace("{ID}", &format!("{id:?}")),
        None => TEMPLATE.replace(ID_LINES, ""),
    };
    template
        .replace("{TITLE}", &format!("{title:?}"))
        .replace("{DATE}", &format!("{date:?}"))
        .replace("{ZONE}", &format!("{time_zone:?}"))
}

/// The template for a new session with its identity `id`, in UTC.
pub fn session_template_with_id(title: &str, date: &str, id: &str) -> String {
    fill(title, date, "UTC", Some(id))
}

/// The lines naming the session's id, left out when there is none.
const ID_LINES: &str =
    "        // This session's identity: copies keep it, so a backup counts once in a series.
        // `convene new NEXT.ron --from THIS.ron --title ...` starts the next session with a new one.
        id: {ID},
";

const TEMPLATE: &str = r#"#![enable(implicit_some)]
// A convene session: the plan (edit freely before the session) and the event log (written by
// convene; leave it alone). Check your edits with `convene check <this file>`.
(
    format: 1,
    plan: (
        title: {TITLE},
        // This session's identity: copies keep it, so a backup counts once in a series.
        // `convene new NEXT.ron --from THIS.ron --title ...` starts the next session with a new one.
        id: {ID},
        // Sessions of one series share pairing history for breakout rooms.
        series: "Partnership strategy",
        date: {DATE},
        // The time zone the session runs in (an IANA name such as "Europe/London"): `check`,
        // exports and replay show times in it, summer time included. Leave it out for UTC.
        time_zone: {ZONE},
        // Themes comments are tagged with. `key` is the one-key shortcut (Alt+key, or Ctrl+T key).
        themes: [
            (key: 's', name: "Strengths", group: "SWOT"),
            (key: 'w', name: "Weaknesses", group: "SWOT"),
            (key: 'o', name: "Opportunities", group: "SWOT"),
            (key: 't', name: "Threats", group: "SWOT"),
            (key: 'p', name: "Political", group: "PESTLE"),
            (key: 'e', name: "Economic", group: "PESTLE"),
            (key: 'c', name: "Social", group: "PESTLE"),
            (key: 'h', name: "Technological", group: "PESTLE"),
            (key: 'v', name: "Environmental", group: "PESTLE"),
            (key: 'l', name: "Legal", group: "PESTLE"),
        ],
        // Everyone expected. `id` is how the log refers to them; one strategic lead per organisation.
        // role: Partner (default), RoomLead, Facilitator or NoteTaker.
        participants: [
            (id: "facilitator", name: "Facilitator", org: "Partnership team", role: Facilitator),
            (id: "lead1", name: "Room lead 1", org: "Working group", role: RoomLead),
            (id: "lead2", name: "Room lead 2", org: "Working group", role: RoomLead),
            (id: "lead3", name: "Room lead 3", org: "Working group", role: RoomLead),
            (id: "partner1", name: "Partner one", org: "Organisation A"),
            (id: "partner2", name: "Partner two", org: "Organisation B"),
            (id: "partner3", name: "Partner three", org: "Organisation C"),
        ],
        // Breakout rooms, each led by a working-group member (a participant id).
        rooms: [
            (name: "Room 1", lead: "lead1"),
            (name: "Room 2", lead: "lead2"),
            (name: "Room 3", lead: "lead3"),
        ],
        // Timed items in order. kind: Plenary (default), Breakout, ReportBack or Voting.
        // warn_minutes: when the timer warns (default 2); room_note: shown to rooms when it does.
        // min_minutes: the least a rebalance after an overrun (R on the agenda) may leave an item
        // (default half its minutes); fixed: true keeps an item's length. theme: "Threats" tags
        // what is typed while the item runs (the note-taker can still change it).
        agenda: [
            (title: "Welcome and introductions", minutes: 10),
            (title: "Framing: where the partnership is now", minutes: 15),
            (title: "Breakout: SWOT and PESTLE", minutes: 35, kind: Breakout, warn_minutes: 5,
                room_note: "5 minutes left: agree the three points you will report back"),
            (title: "Report back from rooms", minutes: 20, kind: ReportBack),
            (title: "Dot-vote on priorities", minutes: 20, kind: Voting),
            (title: "Close and next steps", minutes: 10),
        ],
    ),
    events: [],
)
"#;
