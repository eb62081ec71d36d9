//! Small formatting rules every export shares: local times, signed minutes, counts.

use std::path::Path;

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use chrono_tz::Tz;

/// How reports name a session file: its file name, without the folders it was given with.
pub(crate) fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into())
}

/// The session's day in its own time zone, so times on it can leave the date out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Day {
    /// The calendar date, local to the session.
    pub date: Option<NaiveDate>,
    /// The session's time zone.
    pub zone: Tz,
}

/// A time as reports show it, in the session's zone: `HH:MM` on the session's day, with the
/// date on any other day (pre-session comments may be sent in days ahead).
pub(crate) fn when(at: DateTime<Utc>, day: Day) -> String {
    let local = at.with_timezone(&day.zone);
    if Some(local.date_naive()) == day.date {
        local.format("%H:%M").to_string()
    } else {
        local.format("%Y-%m-%d %H:%M").to_string()
    }
}

/// A time for machines: RFC 3339 in the session's zone, with its offset, to the second.
pub(crate) fn stamp(at: DateTime<Utc>, zone: Tz) -> String {
    at.with_timezone(&zone).to_rfc3339_opts(SecondsFormat::Secs, true)
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

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn times_are_local_and_carry_the_date_only_off_the_session_day() {
        let at = Utc.with_ymd_and_hms(2026, 11, 5, 14, 2, 59).single().expect("valid");
        let day = Day { date: NaiveDate::from_ymd_opt(2026, 11, 5), zone: Tz::UTC };
        assert_eq!(when(at, day), "14:02");
        assert_eq!(when(at, Day { date: NaiveDate::from_ymd_opt(2026, 11, 6), ..day }), "2026-11-05 14:02");
        assert_eq!(stamp(at, Tz::UTC), "2026-11-05T14:02:59Z");
        let summer = Utc.with_ymd_and_hms(2026, 6, 11, 13, 30, 0).single().expect("valid");
        let london = Day { date: NaiveDate::from_ymd_opt(2026, 6, 11), zone: Tz::Europe__London };
        assert_eq!(when(summer, london), "14:30");
        assert_eq!(stamp(summer, Tz::Europe__London), "2026-06-11T14:30:00+01:00");
    }

    #[test]
    fn differences_are_signed() {
        assert_eq!(signed(0), "0");
        assert_eq!(signed(-3), "-3");
        assert_eq!(drift_words(14), "14 min over");
    }
}
