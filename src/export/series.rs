//! A summary across the sessions of a series: comments per theme per session, attendance per
//! organisation per session, and who met whom in the breakout rooms of all of them.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use super::attendance::{attendance, Presence};
use super::report::NO_THEME;
use super::text::{count, file_name};
use crate::store::Loaded;

/// A series summary as plain data.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SeriesReport {
    /// "<series>: series summary", or "Series summary" when the sessions name no one series.
    pub title: String,
    /// The sessions in date order, numbered from 1.
    pub sessions: Vec<SessionLine>,
    /// Live comments per theme per session; themes in order of first appearance.
    pub themes: Vec<ThemeAcross>,
    /// Attendance per organisation per session ("2 of 2"), organisations alphabetical.
    pub attendance: Vec<OrgAcross>,
    /// Who was absent, by session number: "Name (Organisation)".
    pub absences: Vec<(usize, Vec<String>)>,
    /// Rounds of breakout rooms over all sessions.
    pub rounds: usize,
    /// Everyone who sat in a room, with how many people and organisations they met.
    pub people: Vec<PersonMet>,
    /// Pairs who shared a room in more than one round, most often first.
    pub repeat_pairs: Vec<PairMet>,
    /// Pairs who shared a room at least once.
    pub pairs_met: usize,
}

/// One session of the series.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SessionLine {
    /// Position in date order, from 1.
    pub number: usize,
    /// Session title.
    pub title: String,
    /// Calendar date.
    pub date: Option<String>,
    /// File name.
    pub source: String,
    /// People attending of those expected ("18 of 20").
    pub attendance: String,
    /// Rounds of breakout rooms.
    pub rounds: usize,
    /// Live comments.
    pub comments: usize,
}

/// One theme's comment counts across the sessions.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ThemeAcross {
    /// Theme name, or "No theme".
    pub theme: String,
    /// Its group.
    pub group: Option<String>,
    /// Per session: live comments, or none when the theme was not on that session's plan.
    pub counts: Vec<Option<u32>>,
}

impl ThemeAcross {
    /// Comments over all sessions.
    pub fn total(&self) -> u32 {
        self.counts.iter().flatten().sum()
    }
}

/// One organisation's attendance across the sessions.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct OrgAcross {
    /// Organisation name.
    pub org: String,
    /// Per session: "1 of 2", or none when it was not expected there.
    pub cells: Vec<Option<String>>,
}

/// Whom one participant met over the series.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PersonMet {
    /// Participant id.
    pub id: String,
    /// Full name (from the latest session that lists them).
    pub name: String,
    /// Organisation.
    pub org: String,
    /// Rounds they sat in a room.
    pub rounds: u32,
    /// Different people they shared a room with.
    pub people_met: usize,
    /// Different organisations, other than their own, among those people.
    pub orgs_met: usize,
}

/// A pair and how many rounds they shared a room.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PairMet {
    /// One name.
    pub a: String,
    /// The other.
    pub b: String,
    /// Rounds together.
    pub times: u32,
}

/// Under the comments table: what a dash means.
pub const THEMES_NOTE: &str = "A dash: the theme was not on that session's plan.";

/// Under the attendance table: what the cells mean.
pub const ATTENDANCE_NOTE: &str = "People attending of those expected; a dash: not expected at that session.";

impl SeriesReport {
    /// Live comments over all sessions.
    pub fn total_comments(&self) -> usize {
        self.sessions.iter().map(|s| s.comments).sum()
    }

    /// "3 sessions; 462 comments in all (181, 108, 173)."
    pub fn intro(&self) -> String {
        let per_session: Vec<String> = self.sessions.iter().map(|s| s.comments.to_string()).collect();
        format!(
            "{}; {} in all ({}).",
            count(self.sessions.len(), "session", "sessions"),
            count(self.total_comments(), "comment", "comments"),
            per_session.join(", ")
        )
    }

    /// "From the breakout rooms of every session: 6 rounds in all; 120 pairs shared a room at least once."
    pub fn meetings_intro(&self) -> String {
        format!(
            "From the breakout rooms of every session: {} in all; {} shared a room at least once.",
            count(self.rounds, "round", "rounds"),
            count(self.pairs_met, "pair", "pairs")
        )
    }
}

/// The sessions in date order; undated ones last, ties in the order given.
pub(crate) fn in_date_order(sessions: &[(PathBuf, Loaded)]) -> Vec<&(PathBuf, Loaded)> {
    let mut ordered: Vec<&(PathBuf, Loaded)> = sessions.iter().collect();
    // A shell glob sorts consult-10 before consult-2; the plan's date does not.
    ordered.sort_by_key(|(_, loaded)| (loaded.file.plan.date.is_none(), loaded.file.plan.date.clone()));
    ordered
}

impl SeriesReport {
    /// Gather the summary of several sessions (in any order; they are put in date order).
    pub fn gather(sessions: &[(PathBuf, Loaded)]) -> SeriesReport {
        let ordered = in_date_order(sessions);
        let series: BTreeSet<Option<&str>> =
            ordered.iter().map(|(_, l)| l.file.plan.series.as_deref()).collect();
        let title = match series.into_iter().collect::<Vec<_>>().as_slice() {
            [Some(name)] => format!("{name}: series summary"),
            _ => "Series summary".to_string(),
        };

        let mut lines = Vec::new();
        let mut org_cells: BTreeMap<String, Vec<Option<String>>> = BTreeMap::new();
        let mut absences = Vec::new();
        for (i, (path, loaded)) in ordered.iter().enumerate() {
            let orgs = attendance(loaded);
            let expected: usize = orgs.iter().map(|o| o.expected()).sum();
            let attended: usize = orgs.iter().map(|o| o.attended()).sum();
            let absent: Vec<String> = orgs
                .iter()
                .flat_map(|o| {
                    o.people
                        .iter()
                        .filter(|p| p.presence == Presence::Absent)
                        .map(move |p| format!("{} ({})", p.name, o.org))
                })
                .collect();
            if !absent.is_empty() {
                absences.push((i + 1, absent));
            }
            for org in &orgs {
                org_cells.entry(org.org.clone()).or_insert_with(|| vec![None; ordered.len()])[i] =
                    Some(org.summary());
            }
            let recorded = orgs.iter().flat_map(|o| &o.people).any(|p| p.presence != Presence::NotRecorded);
            lines.push(SessionLine {
                number: i + 1,
                title: loaded.file.plan.title.clone(),
                date: loaded.file.plan.date.clone(),
                source: file_name(path),
                attendance: if recorded {
                    format!("{attended} of {expected}")
                } else {
                    format!("{expected} expected")
                },
                rounds: loaded.state.rooms.rounds.len(),
                comments: loaded.state.live.len(),
            });
        }

        let (people, repeat_pairs, pairs_met) = meetings(&ordered);
        SeriesReport {
            title,
            sessions: lines,
            themes: themes(&ordered),
            attendance: org_cells.into_iter().map(|(org, cells)| OrgAcross { org, cells }).collect(),
            absences,
            rounds: ordered.iter().map(|(_, l)| l.state.rooms.rounds.len()).sum(),
            people,
            repeat_pairs,
            pairs_met,
        }
    }
}

fn themes(ordered: &[&(PathBuf, Loaded)]) -> Vec<ThemeAcross> {
    let mut themes: Vec<ThemeAcross> = Vec::new();
    for (i, (_, loaded)) in ordered.iter().enumerate() {
        let plan = &loaded.file.plan;
        let state = &loaded.state;
        let mut row = |name: &str, group: Option<&String>, count: u32| {
            let at = match themes.iter().position(|t| t.theme == name) {
                Some(at) => at,
                None => {
                    themes.push(ThemeAcross {
                        theme: name.to_string(),
                        group: group.cloned(),
                        counts: vec![None; ordered.len()],
                    });
                    themes.len() - 1
                }
            };
            themes[at].counts[i] = Some(count);
        };
        for theme in &plan.themes {
            row(&theme.name, theme.group.as_ref(), state.theme_count(Some(&theme.name)));
        }
        let untagged = state.theme_count(None);
        if untagged > 0 {
            row(NO_THEME, None, untagged);
        }
    }
    // Untagged comments read best at the foot of the table, whichever session had them first.
    themes.sort_by_key(|t| t.theme == NO_THEME);
    themes
}

type Meetings = (Vec<PersonMet>, Vec<PairMet>, usize);

fn meetings(ordered: &[&(PathBuf, Loaded)]) -> Meetings {
    // Names and organisations from the latest session listing each person; order of first
    // appearance in the plans, so the table follows the way the series lists people.
    let mut order: Vec<String> = Vec::new();
    let mut who: BTreeMap<String, (String, String)> = BTreeMap::new();
    for (_, loaded) in ordered {
        for p in &loaded.file.plan.participants {
            if !who.contains_key(&p.id) {
                order.push(p.id.clone());
            }
            who.insert(p.id.clone(), (p.name.clone(), p.org.clone()));
        }
    }
    let mut pairs: BTreeMap<(String, String), u32> = BTreeMap::new();
    let mut rounds: BTreeMap<String, u32> = BTreeMap::new();
    for (_, loaded) in ordered {
        for (pair, n) in loaded.state.rooms.meetings() {
            *pairs.entry(pair).or_default() += n;
        }
        for round in &loaded.state.rooms.rounds {
            for id in round.rooms.iter().flatten() {
                *rounds.entry(id.clone()).or_default() += 1;
            }
        }
    }
    let mut met: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (a, b) in pairs.keys() {
        met.entry(a).or_default().insert(b);
        met.entry(b).or_default().insert(a);
    }
    let name = |id: &str| who.get(id).map_or_else(|| id.to_string(), |(name, _)| name.clone());
    let org = |id: &str| who.get(id).map_or("", |(_, org)| org.as_str());
    let people = order
        .iter()
        .filter(|id| rounds.contains_key(*id))
        .map(|id| {
            let others = met.get(id.as_str()).cloned().unwrap_or_default();
            let orgs: BTreeSet<&str> = others.iter().map(|o| org(o)).filter(|o| *o != org(id)).collect();
            PersonMet {
                id: id.clone(),
                name: name(id),
                org: org(id).to_string(),
                rounds: rounds.get(id).copied().unwrap_or(0),
                people_met: others.len(),
                orgs_met: orgs.len(),
            }
        })
        .collect();
    let position = |id: &str| order.iter().position(|o| o == id).unwrap_or(usize::MAX);
    let mut repeats: Vec<(&str, &str, u32)> = pairs
        .iter()
        .filter(|(_, &n)| n > 1)
        .map(|((a, b), &n)| {
            if position(a) <= position(b) {
                (a.as_str(), b.as_str(), n)
            } else {
                (b.as_str(), a.as_str(), n)
            }
        })
        .collect();
    repeats.sort_by_key(|&(a, b, n)| (std::cmp::Reverse(n), position(a), position(b)));
    let repeat_pairs =
        repeats.into_iter().map(|(a, b, times)| PairMet { a: name(a), b: name(b), times }).collect();
    (people, repeat_pairs, pairs.len())
}
