//! Rooms out to the call: Zoom's breakout pre-assignment file (`Pre-assign Room Name,Email
//! Address`, one row per person with an e-mail). The round as text for the chat is
//! [`crate::view::chat_text`].

use thiserror::Error;

use crate::model::{PeopleState, Plan};

/// The columns Zoom expects, in its spelling.
pub const HEADER: [&str; 2] = ["Pre-assign Room Name", "Email Address"];

/// Zoom's limits for pre-assigned breakout rooms (its help pages: 100 rooms, 1,000 people).
pub const ZOOM_MAX_ROOMS: usize = 100;
/// See [`ZOOM_MAX_ROOMS`].
pub const ZOOM_MAX_PEOPLE: usize = 1000;

/// Why a round cannot go to Zoom.
#[derive(Debug, Error)]
pub enum ZoomError {
    /// More rooms than Zoom takes.
    #[error("{rooms} rooms: Zoom pre-assigns at most {ZOOM_MAX_ROOMS}; use fewer rooms in the plan")]
    TooManyRooms {
        /// Rooms in the round.
        rooms: usize,
    },
    /// More people than Zoom takes.
    #[error("{people} people with an e-mail: Zoom pre-assigns at most {ZOOM_MAX_PEOPLE}; split the meeting")]
    TooManyPeople {
        /// People with an e-mail in the round.
        people: usize,
    },
    /// The CSV writer failed.
    #[error("writing the pre-assignment CSV failed: {0}")]
    Csv(#[from] csv::Error),
    /// The CSV writer's bytes were not UTF-8 (it only gets UTF-8: a bug).
    #[error("the pre-assignment CSV is not valid UTF-8: {0}")]
    Encoding(#[from] std::string::FromUtf8Error),
}

/// A round as Zoom's pre-assignment file, and who could not be put in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZoomFile {
    /// The CSV text, header first.
    pub csv: String,
    /// People of the round left out, each with why ("Sam Murray: no e-mail").
    pub left_out: Vec<String>,
}

/// Zoom's pre-assignment CSV for one round (rooms by participant id, indexed like the plan's).
pub fn zoom_csv(plan: &Plan, people: &PeopleState, rooms: &[Vec<String>]) -> Result<ZoomFile, ZoomError> {
    if rooms.len() > ZOOM_MAX_ROOMS {
        return Err(ZoomError::TooManyRooms { rooms: rooms.len() });
    }
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(HEADER)?;
    let mut left_out = Vec::new();
    let mut emails: Vec<String> = Vec::new();
    for (i, room) in rooms.iter().enumerate() {
        let room_name = plan.room_name(Some(i as u32));
        for id in room {
            let person = people.person(plan, id);
            let name = person.map_or(id.as_str(), |p| p.name.as_str());
            match person.and_then(|p| p.email.as_deref()).map(str::trim).filter(|e| !e.is_empty()) {
                None => left_out.push(format!("{name} ({room_name}): no e-mail")),
                Some(email) if emails.iter().any(|e| e.eq_ignore_ascii_case(email)) => {
                    left_out.push(format!("{name} ({room_name}): e-mail {email} is someone else's too"))
                }
                Some(email) => {
                    emails.push(email.to_string());
                    writer.write_record([room_name, email])?;
                }
            }
        }
    }
    if emails.len() > ZOOM_MAX_PEOPLE {
        return Err(ZoomError::TooManyPeople { people: emails.len() });
    }
    let bytes = writer.into_inner().map_err(|e| csv::Error::from(e.into_error()))?;
    Ok(ZoomFile { csv: String::from_utf8(bytes)?, left_out })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Participant, Role, Room};

    fn plan() -> Plan {
        let person = |id: &str, email: Option<&str>, role: Role| Participant {
            id: id.into(),
            name: id.to_uppercase(),
            org: id.into(),
            role,
            email: email.map(str::to_string),
        };
        Plan {
            id: None,
            title: "t".into(),
            series: None,
            date: None,
            time_zone: None,
            themes: vec![],
            participants: vec![
                person("lee", Some("lee@example.org"), Role::RoomLead),
                person("ann", Some("ann@example.org"), Role::Partner),
                person("bob", None, Role::Partner),
            ],
            rooms: vec![Room { name: "Blue, upstairs".into(), lead: Some("lee".into()) }],
            agenda: vec![],
            timer_bell: false,
        }
    }

    #[test]
    fn rows_for_people_with_an_email_and_a_list_of_the_rest() {
        let rooms = vec![vec!["ann".to_string(), "lee".to_string(), "bob".to_string()]];
        let file = zoom_csv(&plan(), &PeopleState::default(), &rooms).expect("within limits");
        assert_eq!(
            file.csv,
            "Pre-assign Room Name,Email Address\n\"Blue, upstairs\",ann@example.org\n\"Blue, upstairs\",lee@example.org\n"
        );
        assert_eq!(file.left_out, vec!["BOB (Blue, upstairs): no e-mail".to_string()]);
    }

    #[test]
    fn more_rooms_than_zoom_takes_are_refused() {
        let rooms = vec![Vec::new(); ZOOM_MAX_ROOMS + 1];
        assert!(matches!(
            zoom_csv(&plan(), &PeopleState::default(), &rooms),
            Err(ZoomError::TooManyRooms { rooms: 101 })
        ));
    }

    #[test]
    fn more_people_than_zoom_takes_are_refused() {
        let mut plan = plan();
        let ids: Vec<String> = (0..=ZOOM_MAX_PEOPLE).map(|i| format!("p{i}")).collect();
        for id in &ids {
            plan.participants.push(Participant {
                id: id.clone(),
                name: id.clone(),
                org: String::new(),
                role: Role::Partner,
                email: Some(format!("{id}@example.org")),
            });
        }
        let rooms = vec![ids];
        assert!(matches!(
            zoom_csv(&plan, &PeopleState::default(), &rooms),
            Err(ZoomError::TooManyPeople { people: 1001 })
        ));
    }
}
