//! Reading a registration spreadsheet (CSV) into people: the headers people really have,
//! Zoom's registration report, or a plain "Name, Organisation" list, with `,` or `;` and an
//! optional UTF-8 byte-order mark. Every bad row is reported with its line and column.

use std::collections::HashMap;

use super::error::{PeopleError, RowProblem};
use super::id::fold_name;
use crate::model::Role;

/// One person read from the spreadsheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registrant {
    /// Full name, as written (first and last joined with a space).
    pub name: String,
    /// Organisation (empty when the sheet has none).
    pub org: String,
    /// E-mail address, if given.
    pub email: Option<String>,
    /// Role, if the sheet gives one.
    pub role: Option<Role>,
    /// For a room lead: the room they lead, as written (a name or a number).
    pub room: Option<String>,
    /// Line of the file the row starts on (1-based), for messages.
    pub line: usize,
    /// Column of the room cell on that line, for messages about the room.
    pub room_column: usize,
}

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Field {
    Name,
    First,
    Last,
    Org,
    Email,
    Role,
    Room,
    Approval,
}

fn field_of(header: &str) -> Option<Field> {
    let header = header.trim().trim_end_matches([':', '*']).trim().to_lowercase();
    let header = header.replace(['_', '-'], " ");
    Some(match header.as_str() {
        "name" | "full name" | "fullname" | "participant" | "participant name" | "attendee"
        | "attendee name" | "delegate" => Field::Name,
        "first name" | "firstname" | "given name" | "forename" => Field::First,
        "last name" | "lastname" | "surname" | "family name" => Field::Last,
        "organisation" | "organization" | "org" | "company" | "organisation name" | "organization name"
        | "company name" | "employer" => Field::Org,
        "email" | "e mail" | "email address" | "e mail address" | "mail" => Field::Email,
        "role" => Field::Role,
        "room" | "room name" | "breakout room" => Field::Room,
        "approval status" => Field::Approval,
        _ => return None,
    })
}

/// The separator: the one of `,` and `;` that splits the first lines most consistently
/// (Excel writes `;` in locales where the comma is the decimal mark); `,` on a tie.
fn separator(text: &str) -> u8 {
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).take(20).collect();
    let unquoted = |line: &str, sep: char| {
        let mut quoted = false;
        line.chars()
            .filter(|&c| {
                if c == '"' {
                    quoted = !quoted;
                }
                c == sep && !quoted
            })
            .count()
    };
    let agreement = |sep: char| {
        let mut lines_per_count: HashMap<usize, usize> = HashMap::new();
        for line in &lines {
            let count = unquoted(line, sep);
            if count > 0 {
                *lines_per_count.entry(count).or_default() += 1;
            }
        }
        lines_per_count.values().copied().max().unwrap_or(0)
    };
    if agreement(';') > agreement(',') {
        b';'
    } else {
        b','
    }
}

/// The 1-based character column where field `index` starts on `line`.
fn column_of(line: &str, separator: char, index: usize) -> usize {
    let mut field = 0;
    let mut quoted = false;
    for (col, c) in line.chars().enumerate() {
        if field == index {
            return col + 1;
        }
        match c {
            '"' => quoted = !quoted,
            c if c == separator && !quoted => field += 1,
            _ => {}
        }
    }
    line.chars().count() + 1
}

/// Parse a role as people write it.
pub fn parse_role(text: &str) -> Option<Role> {
    let text = text.trim().to_lowercase().replace(['-', '_'], " ");
    Some(match text.as_str() {
        "" | "partner" | "strategic lead" | "member" => Role::Partner,
        "room lead" | "roomlead" | "lead" | "breakout lead" => Role::RoomLead,
        "facilitator" | "host" => Role::Facilitator,
        "note taker" | "notetaker" | "scribe" => Role::NoteTaker,
        _ => return None,
    })
}

/// Whether an address looks like one Zoom could match: one `@`, something before it, a dot
/// in the domain, no spaces.
pub fn plausible_email(email: &str) -> bool {
    let mut parts = email.split('@');
    let (Some(local), Some(domain), None) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !email.chars().any(char::is_whitespace)
}

/// Read people from the text of a CSV file; `file` names it in messages. Nothing is returned
/// unless every row is good: all problems are reported together.
pub fn read_registrations(file: &str, text: &str) -> Result<Vec<Registrant>, PeopleError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let sep = separator(text);
    let lines: Vec<&str> = text.lines().collect();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(sep)
        .from_reader(text.as_bytes());
    let mut records = Vec::new();
    for record in reader.records() {
        match record {
            Ok(record) => {
                let line = record.position().map_or(0, |p| p.line() as usize);
                records.push((line, record));
            }
            Err(error) => {
                let line = error.position().map_or(0, |p| p.line() as usize);
                return Err(PeopleError::rows(
                    file,
                    vec![RowProblem { line, column: 1, message: format!("not readable as CSV: {error}") }],
                ));
            }
        }
    }
    // The header is the first row naming a name column; Zoom's report has a few lines before it.
    let header_at = records
        .iter()
        .take(20)
        .position(|(_, r)| r.iter().filter_map(field_of).any(|f| matches!(f, Field::Name | Field::First)));
    let (columns, rows): (HashMap<Field, usize>, &[(usize, csv::StringRecord)]) = match header_at {
        Some(at) => {
            let mut columns = HashMap::new();
            for (i, cell) in records[at].1.iter().enumerate() {
                if let Some(field) = field_of(cell) {
                    columns.entry(field).or_insert(i);
                }
            }
            (columns, &records[at + 1..])
        }
        // A plain list: name, organisation, and an e-mail if a third column is there.
        None => (HashMap::from([(Field::Name, 0), (Field::Org, 1), (Field::Email, 2)]), &records[..]),
    };
    let mut problems = Vec::new();
    let mut people: Vec<Registrant> = Vec::new();
    let mut by_email: HashMap<String, usize> = HashMap::new();
    let mut by_name: HashMap<(String, String), usize> = HashMap::new();
    for (line, record) in rows {
        let cell = |field: Field| columns.get(&field).and_then(|&i| record.get(i)).map_or("", str::trim);
        let column = |field: Field| {
            let raw = lines.get(line.saturating_sub(1)).copied().unwrap_or_default();
            column_of(raw, sep as char, columns.get(&field).copied().unwrap_or(0))
        };
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let status = cell(Field::Approval).to_lowercase();
        if status == "denied" || status == "cancelled" || status == "canceled" {
            // Zoom keeps refused and cancelled registrations in the report: they are not coming.
            continue;
        }
        let mut problem = |field: Field, message: String| {
            problems.push(RowProblem { line: *line, column: column(field), message });
        };
        let name = if columns.contains_key(&Field::Name) {
            cell(Field::Name).to_string()
        } else {
            [cell(Field::First), cell(Field::Last)]
                .iter()
                .filter(|s| !s.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(" ")
        };
        let name_field = if columns.contains_key(&Field::Name) { Field::Name } else { Field::First };
        if name.is_empty() {
            problem(name_field, "missing name: every row needs the person's name".into());
            continue;
        }
        let email = Some(cell(Field::Email)).filter(|e| !e.is_empty()).map(str::to_string);
        if let Some(email) = &email {
            if !plausible_email(email) {
                problem(
                    Field::Email,
                    format!("malformed e-mail \"{email}\": write it as name@example.org, or leave it empty"),
                );
                continue;
            }
        }
        let role_text = cell(Field::Role);
        let Some(role) = parse_role(role_text) else {
            problem(
                Field::Role,
                format!("unknown role \"{role_text}\": use partner, room lead, facilitator or note-taker"),
            );
            continue;
        };
        let role = Some(role).filter(|_| !role_text.is_empty());
        let room = Some(cell(Field::Room)).filter(|r| !r.is_empty()).map(str::to_string);
        if let Some(room) = &room {
            if role != Some(Role::RoomLead) {
                problem(
                    Field::Room,
                    format!("a room (\"{room}\") is given but the role is not room lead: only room leads have a fixed room; clear it or set the role to room lead"),
                );
                continue;
            }
        }
        let org = cell(Field::Org).to_string();
        if let Some(email) = &email {
            if let Some(&earlier) = by_email.get(&email.to_lowercase()) {
                problem(
                    Field::Email,
                    format!(
                        "duplicate person: {email} is already on line {earlier}; keep one row per person"
                    ),
                );
                continue;
            }
        }
        let key = (fold_name(&name), fold_name(&org));
        if let Some(&earlier) = by_name.get(&key) {
            problem(
                name_field,
                format!(
                    "duplicate person: {name} of {org} is already on line {earlier}; keep one row per person"
                ),
            );
            continue;
        }
        if let Some(email) = &email {
            by_email.insert(email.to_lowercase(), *line);
        }
        by_name.insert(key, *line);
        let room_column = column(Field::Room);
        people.push(Registrant { name, org, email, role, room, line: *line, room_column });
    }
    if problems.is_empty() {
        if people.is_empty() {
            return Err(PeopleError::rows(
                file,
                vec![RowProblem {
                    line: 1,
                    column: 1,
                    message: "no people found: the file has no rows under its header".into(),
                }],
            ));
        }
        Ok(people)
    } else {
        Err(PeopleError::rows(file, problems))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_separator_is_the_one_used_outside_quotes() {
        assert_eq!(separator("Name;Organisation\n\"Lee, Ann\";Council\n"), b';');
        assert_eq!(separator("Name,Organisation\n\"A; B\",C\n"), b',');
        assert_eq!(separator("Name;Org\nLee, Ann;A\nKim, Bo, Jr;B\nSam;C\n"), b';');
    }

    #[test]
    fn columns_count_characters_and_skip_quoted_separators() {
        assert_eq!(column_of("\"Lee, Ann\",Council,x@y.org", ',', 2), 20);
        assert_eq!(column_of("Siân,Org", ',', 1), 6);
    }

    #[test]
    fn roles_are_read_as_people_write_them() {
        assert_eq!(parse_role("Room Lead"), Some(Role::RoomLead));
        assert_eq!(parse_role("note-taker"), Some(Role::NoteTaker));
        assert_eq!(parse_role(""), Some(Role::Partner));
        assert_eq!(parse_role("chair"), None);
    }

    #[test]
    fn addresses_need_one_at_and_a_dotted_domain() {
        assert!(plausible_email("sian.evans@example.org"));
        assert!(!plausible_email("sian@"));
        assert!(!plausible_email("sian example.org"));
        assert!(!plausible_email("a@b@c.org"));
    }

    #[test]
    fn first_and_last_names_are_joined() {
        let people = read_registrations("p.csv", "First Name,Last Name,Org\nSiân,Evans,Council\n")
            .expect("a good file");
        assert_eq!(people[0].name, "Siân Evans");
        assert_eq!(people[0].org, "Council");
        assert_eq!(people[0].line, 2);
    }
}
