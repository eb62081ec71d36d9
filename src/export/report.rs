//! What a session's write-up says, gathered once from the folded state and the log. Every
//! output comes from this one structure: `layout` turns it into a document for the Markdown,
//! HTML and plain-text (`convene check`) writers, and `json` serialises it as it is.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::Serialize;

use super::attendance::{attendance, OrgAttendance, Presence};
use super::text::{count, drift_words, file_name, stamp, when, Day};
use crate::model::agenda::minutes;
use crate::model::broadcast::BroadcastCause;
use crate::model::{
    Actor, Choice, Comment, CommentId, DecisionId, Event, Phase, Plan, SessionState, Stamped, VoteId, Voter,
    VoterKey,
};
use crate::store::Loaded;
use crate::view::names::display_name;
use crate::view::zone;

/// A session's write-up as plain data, section by section in the order reports show them.
/// Times are already formatted in the session's time zone (`HH:MM`, with the date when off
/// the session's day).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SessionReport {
    /// Session title.
    pub title: String,
    /// The series it belongs to.
    pub series: Option<String>,
    /// Calendar date from the plan.
    pub date: Option<String>,
    /// The IANA time zone every time is shown in ("UTC" when the plan names none).
    pub time_zone: String,
    /// Its offset from UTC when the session started (or on its planned day), e.g. "+01:00".
    pub utc_offset: String,
    /// File name of the session file.
    pub source: String,
    /// Events in the log.
    pub events: usize,
    /// What journal recovery folded in, if anything.
    pub recovery: Option<String>,
    /// When it ran against the plan; none if it never started.
    pub schedule: Option<Schedule>,
    /// Attendance by organisation, organisations in alphabetical order.
    #[serde(serialize_with = "super::json::attendance")]
    pub attendance: Vec<OrgAttendance>,
    /// Planned against actual timing, per agenda item.
    pub agenda: Vec<AgendaRow>,
    /// Total planned minutes.
    pub planned_minutes: u32,
    /// Total minutes the items' timers ran (the rows' actual minutes added up).
    pub actual_minutes: Option<i64>,
    /// Breakout rooms per round.
    pub rounds: Vec<RoundReport>,
    /// What the facilitator and the agenda told every room, in order.
    pub messages: Vec<MessageLine>,
    /// Live comments per theme, in plan order; "No theme" last when any are untagged.
    pub theme_counts: Vec<ThemeCount>,
    /// Live comments grouped by theme then room (themes without comments left out).
    pub comments: Vec<ThemeComments>,
    /// Live comments in all.
    pub live: usize,
    /// Retracted comments, left out of the report.
    pub retracted: usize,
    /// Live comments sent in before the session.
    pub pre_session: usize,
    /// Who captured the live comments, most first: "the facilitator's console", or a joined
    /// terminal's name with "(joined)".
    pub captured_by: Vec<(String, usize)>,
    /// Candidates standing on the priorities list.
    pub candidates: usize,
    /// Dot-votes.
    pub votes: Vec<VoteReport>,
    /// Decisions by organisation.
    pub decisions: Vec<DecisionReport>,
}

/// When the session ran, against the plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Schedule {
    /// When the first item started.
    pub started: String,
    /// Start plus the planned minutes.
    pub planned_end: String,
    /// When the agenda ended (or the last event, if it never ended).
    pub end: String,
    /// Whether the agenda was ended.
    pub ended: bool,
    /// Actual (or, while unfinished, projected) end minus planned end, in minutes: positive
    /// when it runs over.
    pub drift: i64,
}

/// One agenda item, planned against actual.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AgendaRow {
    /// Item number, from 1.
    pub number: usize,
    /// What it was.
    pub title: String,
    /// Planned minutes.
    pub planned: u32,
    /// The minutes a rebalance after an overrun gave it instead, if one did.
    pub rebalanced: Option<u32>,
    /// Minutes its timer ran (pauses excluded), if it ran at all.
    pub actual: Option<i64>,
    /// Actual minus planned.
    pub difference: Option<i64>,
    /// When it first started.
    pub started: Option<String>,
    /// When it last ended.
    pub ended: Option<String>,
    /// How far its start was behind (+) or ahead (-) of the planned start, in minutes.
    pub drift: Option<i64>,
    /// Extensions, skips and items not reached, in words.
    pub notes: Vec<String>,
}

/// One round of breakout rooms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RoundReport {
    /// Round number, from 1.
    pub number: usize,
    /// When the rooms were assigned.
    pub assigned: String,
    /// Each room with its members.
    pub rooms: Vec<RoomMembers>,
    /// People who left the session during this round, with the time ("Ben Carter, 15:20").
    pub left: Vec<String>,
}

/// A room's members in one round, its lead first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RoomMembers {
    /// Room name.
    pub room: String,
    /// Members at the end of the round.
    pub members: Vec<Member>,
}

/// A room member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Member {
    /// Full name.
    pub name: String,
    /// The room's lead.
    pub lead: bool,
    /// E.g. "arrived 14:41".
    pub note: Option<String>,
}

impl Member {
    /// What to say beside the name: "lead", a late arrival.
    pub fn remarks(&self) -> Vec<String> {
        let lead = self.lead.then(|| "lead".to_string());
        lead.into_iter().chain(self.note.clone()).collect()
    }
}

/// Live comments on one theme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ThemeCount {
    /// Theme name, or "No theme".
    pub theme: String,
    /// Its group, e.g. "SWOT".
    pub group: Option<String>,
    /// Live comments tagged with it.
    pub count: u32,
}

/// The comments of one theme, by room.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ThemeComments {
    /// Theme name, or "No theme".
    pub theme: String,
    /// Its group.
    pub group: Option<String>,
    /// Comments in all rooms.
    pub count: usize,
    /// Rooms in plan order, then the plenary; rooms without comments left out.
    pub rooms: Vec<RoomComments>,
}

/// The comments of one theme from one room.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RoomComments {
    /// Room name, or "Plenary".
    pub room: String,
    /// In capture order.
    pub comments: Vec<CommentLine>,
}

/// One live comment, edits applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CommentLine {
    /// Comment number.
    pub id: CommentId,
    /// Current text, exactly as stored (renderers make it safe).
    pub text: String,
    /// Author's full name, if known.
    pub author: Option<String>,
    /// When it was captured, as reports show it.
    pub time: String,
    /// When it was captured, RFC 3339 with the zone's offset (for machines).
    pub at: String,
    /// Sent in ahead of the session.
    pub pre_session: bool,
}

/// A dot-vote's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VoteReport {
    /// Vote number.
    pub id: VoteId,
    /// What was decided.
    pub title: String,
    /// Closed: the tally is final.
    pub closed: bool,
    /// The rules in words: dots, cap, who votes.
    pub rules: String,
    /// Voters who placed at least one dot.
    pub voted: usize,
    /// Voters on the roll.
    pub voters: usize,
    /// The vote is still open and hidden, so the tally is not shown.
    pub tally_hidden: bool,
    /// Ranked tally, most dots first.
    pub rows: Vec<VoteRow>,
    /// Voters (names or organisations) who placed no dot.
    pub not_voted: Vec<String>,
}

/// One line of a ranked tally.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VoteRow {
    /// Competition rank, "2=" when shared.
    pub rank: String,
    /// The candidate's wording.
    pub candidate: String,
    /// Dots on it.
    pub dots: u32,
    /// Voters who put at least one dot on it.
    pub voters: u32,
}

/// How a decision came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Recorded and passed under its rule.
    Passed,
    /// Recorded and not passed.
    NotPassed,
    /// Not recorded yet.
    Open,
}

impl Outcome {
    /// The outcome in words.
    pub fn label(self) -> &'static str {
        match self {
            Outcome::Passed => "passed",
            Outcome::NotPassed => "not passed",
            Outcome::Open => "still open",
        }
    }
}

/// A decision by organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DecisionReport {
    /// Decision number.
    pub id: DecisionId,
    /// The question.
    pub question: String,
    /// Its rule in words.
    pub rule: String,
    /// How it came out.
    pub outcome: Outcome,
    /// Counts: yes, no, abstain, no answer.
    pub yes: usize,
    /// Organisations against.
    pub no: usize,
    /// Organisations abstaining.
    pub abstain: usize,
    /// Organisations that gave no answer.
    pub unanswered: usize,
    /// Organisations by answer ("Yes", "No", "Abstain", "No answer"), empty answers left out.
    pub answers: Vec<(String, Vec<String>)>,
}

/// A message to every room, as the write-up lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MessageLine {
    /// When it was sent.
    pub at: String,
    /// The words the rooms saw.
    pub text: String,
    /// "the facilitator", or which timer or vote made the agenda send it.
    pub sent_by: String,
    /// Joined consoles rang their bell.
    pub bell: bool,
}

/// Under the agenda table: what its columns mean.
pub const AGENDA_NOTE: &str = "Actual minutes are the time each item's timer ran, pauses left out. \
     Drift is how far each item started behind (+) or ahead of (-) the planned running order.";

impl SessionReport {
    /// Gather the write-up of a loaded session; `path` only names the source.
    pub fn gather(path: &Path, loaded: &Loaded) -> SessionReport {
        let plan = &loaded.file.plan;
        let state = &loaded.state;
        let events = &loaded.file.events;
        let day = session_day(plan, state);
        let (agenda, planned_minutes, actual_minutes) = agenda(plan, state, day);
        let live = state.live.len();
        SessionReport {
            title: plan.title.clone(),
            series: plan.series.clone(),
            date: plan.date.clone(),
            time_zone: day.zone.name().to_string(),
            utc_offset: utc_offset(plan, state, day),
            source: file_name(path),
            events: events.len(),
            recovery: loaded.recovery.message(),
            schedule: schedule(plan, state, day),
            attendance: attendance(loaded),
            agenda,
            planned_minutes,
            actual_minutes,
            rounds: rounds(plan, state, events, day),
            messages: messages(plan, state, day),
            theme_counts: theme_counts(plan, state),
            comments: comments(plan, state, day),
            live,
            retracted: state.comments.iter().filter(|c| c.retracted && !c.undone).count(),
            pre_session: state.live_comments().filter(|c| c.pre_session).count(),
            captured_by: captured_by(state),
            candidates: state.voting.standing().count(),
            votes: votes(plan, state),
            decisions: decisions(state),
        }
    }

    /// Actual minus planned over the items that ran (items never reached do not count).
    pub fn total_difference(&self) -> Option<i64> {
        self.actual_minutes.map(|_| self.agenda.iter().filter_map(|row| row.difference).sum())
    }

    /// "71 (3 sent in before the session; 1 retracted and left out)".
    pub fn comments_summary(&self) -> String {
        let mut notes = Vec::new();
        if self.pre_session > 0 {
            notes.push(format!("{} sent in before the session", self.pre_session));
        }
        if self.retracted > 0 {
            notes.push(format!("{} retracted and left out", self.retracted));
        }
        if notes.is_empty() {
            self.live.to_string()
        } else {
            format!("{} ({})", self.live, notes.join("; "))
        }
    }

    /// "71 comments, edits applied; 1 retracted comment left out."
    pub fn comments_intro(&self) -> String {
        let retracted = match self.retracted {
            0 => "none retracted".to_string(),
            n => format!("{} left out", count(n, "retracted comment", "retracted comments")),
        };
        format!("{}, edits applied; {retracted}.", count(self.live, "comment", "comments"))
    }

    /// "20 people from 15 organisations expected; 20 attended."
    pub fn attendance_intro(&self) -> String {
        let people: usize = self.attendance.iter().map(|o| o.expected()).sum();
        let attended: usize = self.attendance.iter().map(|o| o.attended()).sum();
        let unknown = self
            .attendance
            .iter()
            .flat_map(|o| &o.people)
            .filter(|p| p.presence == Presence::NotRecorded)
            .count();
        let unknown = match unknown {
            0 => String::new(),
            n => format!("; {n} not recorded (no breakout rooms or other trace in the log)"),
        };
        let walk_ins: usize = self.attendance.iter().map(|o| o.walk_ins()).sum();
        let walk_ins = match walk_ins {
            0 => String::new(),
            n => format!("; also {} added at the door (walk-ins and deputies)", count(n, "person", "people")),
        };
        format!(
            "{} from {} expected; {attended} attended{unknown}{walk_ins}.",
            count(people, "person", "people"),
            count(self.attendance.len(), "organisation", "organisations")
        )
    }

    /// Where the times come from, said once: "All times are UTC." or "All times are
    /// Europe/London time (UTC+01:00)."
    pub fn zone_note(&self) -> String {
        if self.time_zone == "UTC" {
            "All times are UTC.".to_string()
        } else {
            format!("All times are {} time (UTC{}).", self.time_zone, self.utc_offset)
        }
    }

    /// When it ran: "14:02–16:21 (planned end 16:07: 14 min over)", or "not started".
    pub fn ran(&self) -> String {
        match &self.schedule {
            Some(s) => format!(
                "{}–{} (planned end {}: {}{})",
                s.started,
                s.end,
                s.planned_end,
                drift_words(s.drift),
                if s.ended { "" } else { "; the agenda was not ended" }
            ),
            None => "not started".to_string(),
        }
    }
}

impl VoteReport {
    /// "Closed; 3 dots each, at most 1 per candidate, each attendee votes; 17 of 17 voted."
    pub fn summary(&self) -> String {
        let status = if self.closed { "Closed" } else { "Still open" };
        format!("{status}; {}; {} of {} voted.", self.rules, self.voted, self.voters)
    }
}

impl DecisionReport {
    /// "11 yes, 1 no, 1 abstain, 1 no answer".
    pub fn counts(&self) -> String {
        format!("{} yes, {} no, {} abstain, {} no answer", self.yes, self.no, self.abstain, self.unanswered)
    }
}

/// The day the session ran (or was planned for) in its own zone, so times on it can leave
/// the date out.
pub(crate) fn session_day(plan: &Plan, state: &SessionState) -> Day {
    let zone = zone::zone(plan);
    let date = state
        .agenda
        .started_at
        .map(|t| t.with_timezone(&zone).date_naive())
        .or_else(|| plan.date.as_deref().and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()));
    Day { date, zone }
}

/// The zone's offset when the session started, else at noon UTC on its day, else now-less
/// UTC: "+01:00".
fn utc_offset(plan: &Plan, state: &SessionState, day: Day) -> String {
    let instant = state
        .agenda
        .started_at
        .or_else(|| day.date.and_then(|d| d.and_hms_opt(12, 0, 0)).map(|t| t.and_utc()))
        .unwrap_or_default();
    zone::offset_at(plan, instant).to_string()
}

/// Who captured the live comments, most first.
fn captured_by(state: &SessionState) -> Vec<(String, usize)> {
    let mut capturers: Vec<(String, usize)> = Vec::new();
    for comment in state.live_comments() {
        let who = match &comment.captured_by {
            Actor::Facilitator => "the facilitator's console".to_string(),
            Actor::NoteTaker(name) => format!("{name} (joined)"),
        };
        match capturers.iter_mut().find(|(name, _)| *name == who) {
            Some((_, count)) => *count += 1,
            None => capturers.push((who, 1)),
        }
    }
    // Stable: equal counts keep the order of first capture.
    capturers.sort_by_key(|(_, count)| std::cmp::Reverse(*count));
    capturers
}

/// A finished session has no "now"; the last event is the latest moment the file knows.
fn now(state: &SessionState) -> DateTime<Utc> {
    state.last_at.unwrap_or_default()
}

/// A participant's name, walk-ins and deputies added during the session included.
fn name_of(plan: &Plan, state: &SessionState, id: &str) -> String {
    state.people().person(plan, id).map_or_else(|| display_name(plan, id).to_string(), |p| p.name.clone())
}

fn schedule(plan: &Plan, state: &SessionState, day: Day) -> Option<Schedule> {
    let now = now(state);
    let projection = state.agenda.projection(plan, now)?;
    let end = if projection.ended { projection.projected_end } else { now };
    Some(Schedule {
        started: when(projection.started_at, day),
        planned_end: when(projection.planned_end, day),
        end: when(end, day),
        ended: projection.ended,
        drift: minutes(projection.drift()),
    })
}

fn agenda(plan: &Plan, state: &SessionState, day: Day) -> (Vec<AgendaRow>, u32, Option<i64>) {
    let agenda = &state.agenda;
    let now = now(state);
    let mut rows = Vec::new();
    let mut planned_before = 0i64;
    let mut actual_total: Option<i64> = None;
    for (i, item) in plan.agenda.iter().enumerate() {
        let Some(timer) = agenda.items.get(i) else { break };
        let actual = (!timer.runs.is_empty()).then(|| minutes(agenda.elapsed(i, now)));
        if let Some(actual) = actual {
            *actual_total.get_or_insert(0) += actual;
        }
        // Where the plan put this item's start: the session's start plus everything before it.
        let planned_start = agenda.started_at.map(|s| s + Duration::minutes(planned_before));
        let drift = match (timer.started_at, planned_start) {
            (Some(started), Some(planned)) => Some(minutes(started - planned)),
            _ => None,
        };
        let mut notes = Vec::new();
        let rebalanced = timer.rebalanced.filter(|&r| r != item.minutes);
        if let Some(rebalanced) = rebalanced {
            notes.push(format!("rebalanced to {rebalanced} min"));
        }
        if timer.extension_minutes != 0 {
            notes.push(format!("extended {:+} min", timer.extension_minutes));
        }
        match agenda.phase(plan, i, now) {
            Phase::Skipped => notes.push("skipped".to_string()),
            Phase::Pending if agenda.started_at.is_some() => notes.push("not reached".to_string()),
            Phase::Running | Phase::Warning | Phase::Overrun => notes.push("still running".to_string()),
            Phase::Paused => notes.push("paused".to_string()),
            Phase::Pending | Phase::Done => {}
        }
        rows.push(AgendaRow {
            number: i + 1,
            title: item.title.clone(),
            planned: item.minutes,
            rebalanced,
            actual,
            difference: actual.map(|a| a - i64::from(item.minutes)),
            started: timer.started_at.map(|t| when(t, day)),
            ended: timer.ended_at.map(|t| when(t, day)),
            drift,
            notes,
        });
        planned_before += i64::from(item.minutes);
    }
    (rows, plan.planned_minutes(), actual_total)
}

/// Checked in, arrived, added at the door, or seated in some round.
fn was_there(state: &SessionState, id: &str) -> bool {
    state.people().came(id) || state.rooms.rounds.iter().any(|r| r.room_of(id).is_some())
}

/// Messages to the rooms that stand (an undone one is left out, as the fold leaves it out).
fn messages(plan: &Plan, state: &SessionState, day: Day) -> Vec<MessageLine> {
    let item = |index: u32| {
        plan.agenda
            .get(index as usize)
            .map_or_else(|| format!("item {}", index + 1), |i| format!("“{}”", i.title))
    };
    state
        .broadcasts
        .iter()
        .map(|b| MessageLine {
            at: when(b.at, day),
            text: b.text.clone(),
            sent_by: match b.cause {
                None => "the facilitator".into(),
                Some(BroadcastCause::Warning { item: i }) => format!("the agenda: warning, {}", item(i)),
                Some(BroadcastCause::ItemEnded { item: i }) => format!("the agenda: end of {}", item(i)),
                Some(BroadcastCause::VoteOpened { vote }) => format!("the agenda: vote {vote} opened"),
            },
            bell: b.bell,
        })
        .collect()
}

fn rounds(plan: &Plan, state: &SessionState, events: &[Stamped], day: Day) -> Vec<RoundReport> {
    let events = crate::model::undo::counted(events);
    // Arrivals and departures belong to the round current when they happened.
    let mut current: Option<usize> = None;
    let mut arrived: BTreeMap<(usize, &str), String> = BTreeMap::new();
    let mut left: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    for stamped in events {
        match &stamped.event {
            Event::RoomsAssigned { round, .. } => current = Some(*round as usize),
            Event::ParticipantArrived { id, .. } => {
                if let Some(round) = current {
                    arrived.insert((round, id.as_str()), format!("arrived {}", when(stamped.at, day)));
                }
            }
            // Only someone who was there can leave (marking a no-show as gone is not leaving).
            Event::ParticipantLeft { id } if was_there(state, id) => {
                if let Some(round) = current {
                    left.entry(round).or_default().push(format!(
                        "{}, {}",
                        name_of(plan, state, id),
                        when(stamped.at, day)
                    ));
                }
            }
            _ => {}
        }
    }
    state
        .rooms
        .rounds
        .iter()
        .enumerate()
        .map(|(r, round)| RoundReport {
            number: r + 1,
            assigned: when(round.at, day),
            rooms: round
                .rooms
                .iter()
                .enumerate()
                .map(|(i, ids)| {
                    let lead = plan.rooms.get(i).and_then(|room| room.lead.as_deref());
                    let mut ordered: Vec<&String> = ids.iter().collect();
                    // The lead first, everyone else as seated; sort_by_key is stable.
                    ordered.sort_by_key(|id| Some(id.as_str()) != lead);
                    RoomMembers {
                        room: plan.room_name(Some(i as u32)).to_string(),
                        members: ordered
                            .into_iter()
                            .map(|id| Member {
                                name: name_of(plan, state, id),
                                lead: Some(id.as_str()) == lead,
                                note: arrived.get(&(r, id.as_str())).cloned(),
                            })
                            .collect(),
                    }
                })
                .collect(),
            left: left.remove(&r).unwrap_or_default(),
        })
        .collect()
}

fn theme_counts(plan: &Plan, state: &SessionState) -> Vec<ThemeCount> {
    let mut counts: Vec<ThemeCount> = plan
        .themes
        .iter()
        .map(|t| ThemeCount {
            theme: t.name.clone(),
            group: t.group.clone(),
            count: state.theme_count(Some(&t.name)),
        })
        .collect();
    let untagged = state.theme_count(None);
    if untagged > 0 {
        counts.push(ThemeCount { theme: NO_THEME.to_string(), group: None, count: untagged });
    }
    counts
}

/// How reports name comments without a theme.
pub(crate) const NO_THEME: &str = "No theme";

fn comments(plan: &Plan, state: &SessionState, day: Day) -> Vec<ThemeComments> {
    let live: Vec<&Comment> = state.live_comments().collect();
    let themes = plan.themes.iter().map(|t| (Some(t.name.as_str()), t.group.clone())).chain([(None, None)]);
    let rooms: Vec<Option<u32>> = (0..plan.rooms.len() as u32).map(Some).chain([None]).collect();
    let mut sections = Vec::new();
    for (theme, group) in themes {
        let in_theme: Vec<&Comment> = live.iter().copied().filter(|c| c.theme.as_deref() == theme).collect();
        if in_theme.is_empty() {
            continue;
        }
        let by_room = rooms
            .iter()
            .filter_map(|&room| {
                let comments: Vec<CommentLine> = in_theme
                    .iter()
                    .filter(|c| c.room == room)
                    .map(|c| CommentLine {
                        id: c.id,
                        text: c.text.clone(),
                        author: c.author.as_deref().map(|a| name_of(plan, state, a)),
                        time: when(c.added_at, day),
                        at: stamp(c.added_at, day.zone),
                        pre_session: c.pre_session,
                    })
                    .collect();
                (!comments.is_empty())
                    .then(|| RoomComments { room: plan.room_name(room).to_string(), comments })
            })
            .collect();
        sections.push(ThemeComments {
            theme: theme.unwrap_or(NO_THEME).to_string(),
            group,
            count: in_theme.len(),
            rooms: by_room,
        });
    }
    sections
}

fn votes(plan: &Plan, state: &SessionState) -> Vec<VoteReport> {
    let voting = &state.voting;
    voting
        .counted_votes()
        .map(|vote| {
            let rules = &vote.rules;
            let tally_hidden = rules.hidden && !vote.closed;
            let ranking = if tally_hidden { Vec::new() } else { vote.ranking() };
            let rows = ranking
                .iter()
                .map(|row| {
                    let tied = ranking.iter().filter(|r| r.rank == row.rank).count() > 1;
                    VoteRow {
                        rank: format!("{}{}", row.rank, if tied { "=" } else { "" }),
                        candidate: voting
                            .candidate(row.candidate)
                            .map_or_else(|| format!("candidate {}", row.candidate), |c| c.text.clone()),
                        dots: row.dots,
                        voters: row.voters,
                    }
                })
                .collect();
            let voter_name = |v: &VoterKey| match rules.voter(v) {
                Voter::Organisation(organisation) => organisation.to_string(),
                Voter::Person(id) => name_of(plan, state, id),
            };
            VoteReport {
                id: vote.id,
                title: rules.title.clone(),
                closed: vote.closed,
                rules: format!(
                    "{} each, at most {} per candidate, {}{}",
                    count(rules.dots as usize, "dot", "dots"),
                    rules.cap,
                    if rules.by_org { "one voice per organisation" } else { "each attendee votes" },
                    if rules.joiners { ", joined terminals cast their own" } else { "" }
                ),
                voted: vote.voted(),
                voters: rules.voters.len(),
                tally_hidden,
                rows,
                not_voted: rules.voters.iter().filter(|v| vote.used_by(v) == 0).map(voter_name).collect(),
            }
        })
        .collect()
}

fn decisions(state: &SessionState) -> Vec<DecisionReport> {
    state
        .voting
        .counted_decisions()
        .map(|decision| {
            let (yes, no, abstain) = decision.counts();
            let with = |choice: Option<Choice>| -> Vec<String> {
                decision
                    .organisations
                    .iter()
                    .filter(|org| decision.answers.get(*org).copied() == choice)
                    .cloned()
                    .collect()
            };
            let answers = [
                ("Yes", with(Some(Choice::Yes))),
                ("No", with(Some(Choice::No))),
                ("Abstain", with(Some(Choice::Abstain))),
                ("No answer", with(None)),
            ]
            .into_iter()
            .filter(|(_, orgs)| !orgs.is_empty())
            .map(|(label, orgs)| (label.to_string(), orgs))
            .collect();
            DecisionReport {
                id: decision.id,
                question: decision.question.clone(),
                rule: decision.rule_line(),
                outcome: match (decision.closed, decision.passes()) {
                    (false, _) => Outcome::Open,
                    (true, true) => Outcome::Passed,
                    (true, false) => Outcome::NotPassed,
                },
                yes,
                no,
                abstain,
                unanswered: decision
                    .organisations
                    .iter()
                    .filter(|o| !decision.answers.contains_key(*o))
                    .count(),
                answers,
            }
        })
        .collect()
}
