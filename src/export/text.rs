//! Small formatting rules every export shares: times, signed minutes, visible text.

use std::path::Path;

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};

/// How reports name a session file: its file name, without the folders it was given with.
pub(crate) fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into())
}

/// A time as reports show it: `HH:MM` on the session's day, with the date on any other day
/// (pre-session comments may be sent in days ahead). Reports say that times are UTC.
pub(crate) fn when(at: DateTime<Utc>, day: Option<NaiveDate>) -> String {
    if Some(at.date_naive()) == day {
        at.format("%H:%M").to_string()
    } else {
        at.format("%Y-%m-%d %H:%M").to_string()
    }
}

/// The stored form of a time: RFC 3339 in UTC with milliseconds, like the session file.
pub(crate) fn stamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Whole minutes with a sign, "0" for none: a difference against the plan.
pub(crate) fn signed(minutes: i64) -> String {
    if minutes == 0 {
        "0".to_string()
    } else {
        format!("{minutes:+}")
    }
}

/// A drift in words: "14 min over", "3 min early", "on time".
pub(crate) fn drift_words(minutes: i64) -> String {
    match minutes {
        0 => "on time".to_string(),
        m if m > 0 => format!("{m} min over"),
        m => format!("{} min early", -m),
    }
}

/// A count with its noun, singular for one: "1 comment", "3 comments".
pub(crate) fn count(n: usize, singular: &str, plural: &str) -> String {
    format!("{n} {}", if n == 1 { singular } else { plural })
}

/// Lines of text with control characters replaced by visible stand-ins, so a pasted escape
/// sequence never reaches a terminal or a page raw. Line breaks separate the lines returned;
/// a Windows line ending counts as one break.
pub(crate) fn visible_lines(text: &str) -> Vec<String> {
    text.split('\n')
        .map(|line| line.strip_suffix('\r').unwrap_or(line).chars().map(stand_in).collect())
        .collect()
}

fn stand_in(c: char) -> char {
    match c as u32 {
        // A tab is harmless and common in pasted text: keep its meaning as space.
        0x09 => ' ',
        // Control pictures: ␀ .. ␟ for C0, ␡ for DEL, as the console shows them.
        code @ 0x00..=0x1f => char::from_u32(0x2400 + code).unwrap_or('\u{fffd}'),
        0x7f => '\u{2421}',
        _ if c.is_control() => '\u{fffd}',
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn times_carry_the_date_only_off_the_session_day() {
        let at = Utc.with_ymd_and_hms(2026, 11, 5, 14, 2, 59).single().expect("valid");
        let day = NaiveDate::from_ymd_opt(2026, 11, 5);
        assert_eq!(when(at, day), "14:02");
        assert_eq!(when(at, NaiveDate::from_ymd_opt(2026, 11, 6)), "2026-11-05 14:02");
        assert_eq!(stamp(at), "2026-11-05T14:02:59.000Z");
    }

    #[test]
    fn control_characters_become_visible_and_lines_split() {
        assert_eq!(visible_lines("a\u{1b}[31mb\r\nc\td"), vec!["a\u{241b}[31mb", "c d"]);
        assert_eq!(signed(0), "0");
        assert_eq!(signed(-3), "-3");
        assert_eq!(drift_words(14), "14 min over");
    }
}
