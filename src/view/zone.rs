//! The session's local time. Events are stamped in UTC; people read times in the zone the
//! session ran in, which the plan names (`time_zone`, an IANA name such as "Europe/London").
//! The zone database is compiled in (chrono-tz), so this works on machines without
//! /usr/share/zoneinfo.

use std::path::Path;
use std::str::FromStr;

use chrono::{DateTime, FixedOffset, Offset, TimeZone, Utc};
use chrono_tz::Tz;

use crate::model::Plan;

/// The plan's time zone; UTC when it names none. (An unknown name is refused when the file
/// is read, so it never gets here.)
pub fn zone(plan: &Plan) -> Tz {
    plan.time_zone.as_deref().and_then(|name| Tz::from_str(name).ok()).unwrap_or(Tz::UTC)
}

/// The offset from UTC the session's clocks showed at `instant` (summer time included).
pub fn offset_at(plan: &Plan, instant: DateTime<Utc>) -> FixedOffset {
    zone(plan).offset_from_utc_datetime(&instant.naive_utc()).fix()
}

/// `instant` as the session's clocks showed it.
pub fn local(plan: &Plan, instant: DateTime<Utc>) -> DateTime<FixedOffset> {
    instant.with_timezone(&offset_at(plan, instant))
}

/// Whether `name` is an IANA time zone convene knows.
pub fn is_known(name: &str) -> bool {
    Tz::from_str(name).is_ok()
}

/// The machine's time zone for a new session: `TZ` when it names an IANA zone (a leading `:`
/// allowed), else the zone `/etc/localtime` links to (`…/zoneinfo/Europe/London`), else "UTC".
/// The caller reads both, so this stays pure.
pub fn machine_zone(tz_variable: Option<&str>, localtime_target: Option<&Path>) -> String {
    let from_variable = tz_variable.map(|tz| tz.trim_start_matches(':')).filter(|tz| is_known(tz));
    let from_link = localtime_target.and_then(|target| {
        let target = target.to_str()?;
        let (_, name) = target.split_once("zoneinfo/")?;
        is_known(name).then_some(name)
    });
    from_variable.or(from_link).unwrap_or("UTC").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(zone: Option<&str>) -> Plan {
        Plan {
            id: None,
            title: "t".into(),
            series: None,
            date: None,
            time_zone: zone.map(str::to_string),
            themes: Vec::new(),
            participants: Vec::new(),
            rooms: Vec::new(),
            agenda: Vec::new(),
            timer_bell: false,
        }
    }

    #[test]
    fn london_is_an_hour_ahead_in_summer_and_level_in_winter() {
        let summer = Utc.with_ymd_and_hms(2026, 6, 11, 13, 0, 0).single().expect("valid");
        let winter = Utc.with_ymd_and_hms(2026, 11, 5, 13, 0, 0).single().expect("valid");
        let london = plan(Some("Europe/London"));
        assert_eq!(offset_at(&london, summer).local_minus_utc(), 3600);
        assert_eq!(offset_at(&london, winter).local_minus_utc(), 0);
        assert_eq!(local(&london, summer).format("%H:%M").to_string(), "14:00");
        assert_eq!(offset_at(&plan(None), summer).local_minus_utc(), 0);
    }

    #[test]
    fn the_machine_zone_comes_from_tz_then_the_localtime_link() {
        let link = Path::new("/usr/share/zoneinfo/Europe/Dublin");
        assert_eq!(machine_zone(Some(":Europe/Paris"), Some(link)), "Europe/Paris");
        assert_eq!(machine_zone(Some("CET-1CEST"), Some(link)), "Europe/Dublin");
        assert_eq!(machine_zone(None, Some(Path::new("/etc/zoneinfo-nowhere"))), "UTC");
        assert_eq!(machine_zone(None, None), "UTC");
    }
}
