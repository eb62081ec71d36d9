//! The plan: what the facilitator prepared before the session, edited by hand in the RON file.

use serde::{Deserialize, Serialize};

/// The session as prepared: title, themes, people, rooms and agenda.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    /// Shown in the header and at the top of every report.
    pub title: String,
    /// This session's identity (random hex), written by `convene new` and kept by copies, so a
    /// backup is known to be the same session. Files without one are known by their path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The series this session belongs to (sessions of one series share pairing history).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub series: Option<String>,
    /// Calendar date of the session, e.g. "2026-11-05".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// IANA time zone the session runs in, e.g. "Europe/London": reports show its local times.
    /// None means UTC. An unknown name is refused when the file is read, at its line.
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "known_time_zone")]
    pub time_zone: Option<String>,
    /// Themes comments are tagged with, each with a one-key shortcut.
    #[serde(default)]
    pub themes: Vec<Theme>,
    /// Everyone expected: partners, room leads, facilitator, note-takers.
    #[serde(default)]
    pub participants: Vec<Participant>,
    /// Breakout rooms; comments outside any room belong to the plenary.
    #[serde(default)]
    pub rooms: Vec<Room>,
    /// Timed items in running order.
    #[serde(default)]
    pub agenda: Vec<AgendaItem>,
    /// Ring the terminal bell when an item's time runs out (off unless asked for).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub timer_bell: bool,
}

/// Read `time_zone`, refusing a name the compiled-in zone database does not know, so the
/// error names the field's line and column rather than surfacing in a report later.
fn known_time_zone<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    let name = Option::<String>::deserialize(deserializer)?;
    match name {
        Some(name) if name.parse::<chrono_tz::Tz>().is_err() => Err(serde::de::Error::custom(format!(
            "time_zone {name:?} is not a known IANA time zone: use a name such as \"Europe/London\" or \"UTC\""
        ))),
        name => Ok(name),
    }
}

/// A theme comments can be tagged with (e.g. "Strengths" in the SWOT group).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Theme {
    /// One-key shortcut (a letter or digit), unique within the session.
    pub key: char,
    /// Name shown on screen and in reports; comments refer to it.
    pub name: String,
    /// Optional family such as "SWOT" or "PESTLE", used to group reports.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
}

/// Someone expected at the session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Participant {
    /// Short unique id used in the event log (e.g. "amara").
    pub id: String,
    /// Full name as shown on screen.
    pub name: String,
    /// Organisation they speak for.
    pub org: String,
    /// What they do in the partnership's sessions.
    #[serde(default)]
    pub role: Role,
    /// E-mail address, for Zoom's breakout pre-assignment (optional).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

/// A participant's part in the session.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Role {
    /// A partner organisation's strategic lead.
    #[default]
    Partner,
    /// A working-group member who leads a breakout room.
    RoomLead,
    /// Runs the session and shares the screen.
    Facilitator,
    /// Captures comments.
    NoteTaker,
}

impl Role {
    /// A short label for screens and reports.
    pub fn label(self) -> &'static str {
        match self {
            Role::Partner => "partner",
            Role::RoomLead => "room lead",
            Role::Facilitator => "facilitator",
            Role::NoteTaker => "note-taker",
        }
    }
}

/// A breakout room.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Room {
    /// Name shown on screen, e.g. "Room 1".
    pub name: String,
    /// Participant id of the working-group member who always leads this room.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lead: Option<String>,
}

/// One timed item of the agenda.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgendaItem {
    /// What happens, e.g. "Breakout: SWOT".
    pub title: String,
    /// Planned length in minutes.
    pub minutes: u32,
    /// What sort of item this is.
    #[serde(default)]
    pub kind: ItemKind,
    /// Minutes before the end at which the timer warns (default 2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warn_minutes: Option<u32>,
    /// A note for breakout rooms shown when the warning fires, e.g. "2 minutes left: agree your top 3".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub room_note: Option<String>,
    /// The fewest minutes a rebalance after an overrun may shorten this item to (default: half
    /// its planned minutes, rounded up).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_minutes: Option<u32>,
    /// A rebalance leaves this item's length alone (a fixed slot, e.g. a guest speaker).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub fixed: bool,
    /// The theme comments are tagged with while this item runs (a breakout on threats tags
    /// Threats); the note-taker can still change it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub theme: Option<String>,
}

impl AgendaItem {
    /// The fewest minutes a rebalance may leave this item: `min_minutes`, else half its planned
    /// minutes rounded up; at least one, and never more than planned.
    pub fn floor_minutes(&self) -> u32 {
        self.min_minutes.unwrap_or(self.minutes.div_ceil(2)).clamp(1, self.minutes.max(1))
    }
}

/// The sort of an agenda item.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ItemKind {
    /// Everyone together.
    #[default]
    Plenary,
    /// Partners split into rooms.
    Breakout,
    /// Rooms report back to the plenary.
    ReportBack,
    /// Dot-voting or a decision.
    Voting,
}

impl Plan {
    /// The theme with this name, if the plan defines it.
    pub fn theme(&self, name: &str) -> Option<&Theme> {
        self.themes.iter().find(|t| t.name == name)
    }

    /// The participant with this id, if the plan lists them.
    pub fn participant(&self, id: &str) -> Option<&Participant> {
        self.participants.iter().find(|p| p.id == id)
    }

    /// The participant a joined terminal's name stands for: their full name or id, any case.
    pub fn participant_named(&self, name: &str) -> Option<&Participant> {
        let name = name.trim();
        self.participants
            .iter()
            .find(|p| p.name.eq_ignore_ascii_case(name) || p.id.eq_ignore_ascii_case(name))
    }

    /// Display name of a room index, or "Plenary" for none.
    pub fn room_name(&self, room: Option<u32>) -> &str {
        match room {
            Some(r) => self.rooms.get(r as usize).map_or("Room ?", |room| room.name.as_str()),
            None => "Plenary",
        }
    }

    /// Partner organisations of the plan, alphabetical: the organisations with a voice in sign-off.
    pub fn partner_organisations(&self) -> Vec<String> {
        let orgs: std::collections::BTreeSet<&str> = self
            .participants
            .iter()
            .filter(|p| p.role == Role::Partner && !p.org.trim().is_empty())
            .map(|p| p.org.as_str())
            .collect();
        orgs.into_iter().map(str::to_string).collect()
    }

    /// Total planned minutes of the agenda.
    pub fn planned_minutes(&self) -> u32 {
        self.agenda.iter().map(|i| i.minutes).sum()
    }

    /// Problems a hand edit may have introduced, in plain words; empty when the plan is sound.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        if self.title.trim().is_empty() {
            problems.push("the title is empty: give the session a title".to_string());
        }
        for (i, theme) in self.themes.iter().enumerate() {
            if !theme.key.is_alphanumeric() {
                problems
                    .push(format!("theme \"{}\" has key {:?}: use a letter or digit", theme.name, theme.key));
            }
            for other in &self.themes[..i] {
                if other.key.to_lowercase().eq(theme.key.to_lowercase()) {
                    problems.push(format!(
                        "themes \"{}\" and \"{}\" share the key '{}': give each its own key",
                        other.name, theme.name, theme.key
                    ));
                }
                if other.name == theme.name {
                    problems.push(format!("theme \"{}\" is listed twice", theme.name));
                }
            }
        }
        for item in &self.agenda {
            if let Some(theme) = item.theme.as_deref().filter(|t| self.theme(t).is_none()) {
                problems.push(format!(
                    "agenda item \"{}\" tags comments \"{theme}\", which is not among the themes: use a theme's name",
                    item.title
                ));
            }
        }
        for (i, person) in self.participants.iter().enumerate() {
            if self.participants[..i].iter().any(|p| p.id == person.id) {
                problems.push(format!("participant id \"{}\" is used twice: ids must be unique", person.id));
            }
        }
        for room in &self.rooms {
            if let Some(lead) = &room.lead {
                if self.participant(lead).is_none() {
                    problems
                        .push(format!("{} is led by \"{}\", who is not in participants", room.name, lead));
                }
            }
        }
        for item in &self.agenda {
            if item.minutes == 0 {
                problems.push(format!("agenda item \"{}\" has 0 minutes: plan at least 1", item.title));
            }
            if let Some(min) = item.min_minutes.filter(|&min| min > item.minutes) {
                problems.push(format!(
                    "agenda item \"{}\" has min_minutes {min} above its {} minutes: lower min_minutes",
                    item.title, item.minutes
                ));
            }
        }
        problems
    }
}
