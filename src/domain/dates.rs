//! Reading and showing dates and times (SPEC §3).
//!
//! Instants are `DateTime<Utc>`; a time typed by a person is Europe/London local time unless it
//! carries an offset or `Z`. Dates accept ISO (`2026-11-23`) and UK forms (`23/11/2026`,
//! `23/11/26`, `23-Nov-2026`, `23 November 2026`).

use chrono::{DateTime, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Europe::London;

pub const ACCEPTED_DATE_FORMS: &str = "2026-11-23, 23/11/2026, 23/11/26 or 23-Nov-2026";
pub const ACCEPTED_DATETIME_FORMS: &str =
    "2026-11-23, 2026-11-23T14:05, 2026-11-23 14:05, 23/11/2026 or 23/11/2026 14:05";

/// A date as typed: ISO or UK day-first forms.
pub fn parse_date(input: &str) -> Option<NaiveDate> {
    let s = input.trim();
    if s.is_empty() {
        return None;
    }
    if let Some(d) = quick_date(s) {
        return d;
    }
    for fmt in ["%Y-%m-%d", "%d/%m/%Y", "%d-%b-%Y", "%d %b %Y", "%d %B %Y", "%d-%B-%Y", "%d.%m.%Y"] {
        if let Ok(d) = NaiveDate::parse_from_str(s, fmt) {
            if (1900..=2200).contains(&chrono::Datelike::year(&d)) {
                return Some(d);
            }
        }
    }
    // Two-digit years: 23/11/26 means 2026.
    for fmt in ["%d/%m/%y", "%d-%b-%y", "%d-%m-%y"] {
        if s.len() <= 9 {
            if let Ok(d) = NaiveDate::parse_from_str(s, fmt) {
                return Some(d);
            }
        }
    }
    None
}

/// `2026-11-23` and `23/11/2026` without going through chrono's format parser (the import reads
/// hundreds of thousands). Some(None) means "this form, but not a real date".
fn quick_date(s: &str) -> Option<Option<NaiveDate>> {
    let b = s.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        b[r].iter().try_fold(0u32, |acc, c| c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0')))
    };
    if b.len() == 10 && b[4] == b'-' && b[7] == b'-' {
        let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
        return Some(
            NaiveDate::from_ymd_opt(y as i32, m, d).filter(|d| (1900..=2200).contains(&chrono::Datelike::year(d))),
        );
    }
    if b.len() == 10 && b[2] == b'/' && b[5] == b'/' {
        let (d, m, y) = (num(0..2)?, num(3..5)?, num(6..10)?);
        return Some(
            NaiveDate::from_ymd_opt(y as i32, m, d).filter(|d| (1900..=2200).contains(&chrono::Datelike::year(d))),
        );
    }
    None
}

fn parse_time(s: &str) -> Option<NaiveTime> {
    let s = s.trim();
    for fmt in ["%H:%M", "%H:%M:%S", "%H.%M", "%H:%M:%S%.f"] {
        if let Ok(t) = NaiveTime::parse_from_str(s, fmt) {
            return Some(t);
        }
    }
    None
}

/// A local (Europe/London) date and time as typed, without an offset.
pub fn parse_local_datetime(input: &str) -> Option<NaiveDateTime> {
    let s = input.trim();
    if let Some(d) = parse_date(s) {
        return d.and_hms_opt(0, 0, 0);
    }
    let (date, time) = s.split_once('T').or_else(|| s.rsplit_once(' ')).or_else(|| s.split_once(' '))?;
    let d = parse_date(date)?;
    let t = parse_time(time)?;
    Some(NaiveDateTime::new(d, t))
}

/// Why a time could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TimeError {
    Unreadable,
    /// The local time falls in the spring-forward gap (e.g. 01:30 on 29 March 2026).
    DoesNotExist,
}

/// An instant as typed: with `Z` or an offset it is exact; otherwise Europe/London local time.
/// In the autumn hour that happens twice, the first (BST) reading is taken.
pub fn parse_instant(input: &str) -> Result<DateTime<Utc>, TimeError> {
    let s = input.trim();
    if let Ok(dt) = DateTime::parse_from_rfc3339(s) {
        return Ok(dt.with_timezone(&Utc));
    }
    for fmt in ["%Y-%m-%dT%H:%M%:z", "%Y-%m-%d %H:%M%:z", "%Y-%m-%dT%H:%M:%S%:z"] {
        if let Ok(dt) = DateTime::parse_from_str(s, fmt) {
            return Ok(dt.with_timezone(&Utc));
        }
    }
    if let Some(rest) = s.strip_suffix('Z') {
        let local = parse_local_datetime(rest).ok_or(TimeError::Unreadable)?;
        return Ok(Utc.from_utc_datetime(&local));
    }
    let local = parse_local_datetime(s).ok_or(TimeError::Unreadable)?;
    london_to_utc(local).ok_or(TimeError::DoesNotExist)
}

/// Europe/London wall-clock time to UTC; the earlier reading when ambiguous, None in the gap.
pub fn london_to_utc(local: NaiveDateTime) -> Option<DateTime<Utc>> {
    match London.from_local_datetime(&local) {
        LocalResult::Single(t) => Some(t.with_timezone(&Utc)),
        LocalResult::Ambiguous(a, _) => Some(a.with_timezone(&Utc)),
        LocalResult::None => None,
    }
}

/// The calendar day in London on which an instant falls.
pub fn london_date(t: DateTime<Utc>) -> NaiveDate {
    t.with_timezone(&London).date_naive()
}

/// The first instant of a London calendar day.
pub fn start_of_london_day(d: NaiveDate) -> DateTime<Utc> {
    let midnight = d.and_hms_opt(0, 0, 0).unwrap_or_default();
    london_to_utc(midnight)
        .or_else(|| london_to_utc(midnight + chrono::Duration::hours(1)))
        .unwrap_or_else(|| Utc.from_utc_datetime(&midnight))
}

/// The last second of a London calendar day: the deadline "by the end of" that day.
pub fn end_of_london_day(d: NaiveDate) -> DateTime<Utc> {
    start_of_london_day(d + chrono::Duration::days(1)) - chrono::Duration::seconds(1)
}

/// How an instant is stored: RFC 3339 UTC to the second, so text order is time order.
pub fn store_instant(t: DateTime<Utc>) -> String {
    use chrono::{Datelike, Timelike};
    format!("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", t.year(), t.month(), t.day(), t.hour(), t.minute(), t.second())
}

pub fn load_instant(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s).ok().map(|t| t.with_timezone(&Utc))
}

/// Shown to people: `23/11/2026 14:05 GMT` in London time.
pub fn show_instant(t: DateTime<Utc>) -> String {
    use chrono::{Datelike, Timelike};
    // Written out, not through a format string parsed on every call: lists show thousands.
    let l = t.with_timezone(&London);
    format!("{:02}/{:02}/{:04} {:02}:{:02} {}", l.day(), l.month(), l.year(), l.hour(), l.minute(), l.offset())
}

/// Shown in JSON: ISO 8601 in London time with its offset, e.g. `2026-11-23T14:05:00+00:00`.
pub fn json_instant(t: DateTime<Utc>) -> String {
    t.with_timezone(&London).to_rfc3339()
}

/// Short London time, e.g. `23/11 10:40`.
pub fn show_short(t: DateTime<Utc>) -> String {
    t.with_timezone(&London).format("%d/%m %H:%M").to_string()
}

pub fn show_date(d: NaiveDate) -> String {
    use chrono::Datelike;
    format!("{:02}/{:02}/{:04}", d.day(), d.month(), d.year())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shown_in_london_time_with_its_zone() {
        assert_eq!(show_instant(utc("2026-11-23T09:05:00Z")), "23/11/2026 09:05 GMT");
        assert_eq!(show_instant(utc("2026-07-01T23:30:00Z")), "02/07/2026 00:30 BST");
        assert_eq!(show_date(NaiveDate::from_ymd_opt(2026, 3, 9).unwrap()), "09/03/2026");
    }

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn dates_in_every_accepted_form() {
        let want = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        for s in ["2026-11-23", "23/11/2026", "23/11/26", "23-Nov-2026", "23 November 2026", " 23/11/2026 "] {
            assert_eq!(parse_date(s), Some(want), "{s}");
        }
        for s in ["31/02/2026", "2026-02-30", "tomorrow", "", "11/23/2026", "23/11"] {
            assert_eq!(parse_date(s), None, "{s}");
        }
    }

    #[test]
    fn local_times_are_london_time() {
        // November: GMT, so local = UTC.
        assert_eq!(parse_instant("2026-11-23 09:15").unwrap(), utc("2026-11-23T09:15:00Z"));
        assert_eq!(parse_instant("23/11/2026 09:15").unwrap(), utc("2026-11-23T09:15:00Z"));
        // July: BST, one hour ahead of UTC.
        assert_eq!(parse_instant("2026-07-01T09:00").unwrap(), utc("2026-07-01T08:00:00Z"));
        assert_eq!(parse_instant("2026-07-01T09:00Z").unwrap(), utc("2026-07-01T09:00:00Z"));
        assert_eq!(parse_instant("2026-07-01T09:00:00+02:00").unwrap(), utc("2026-07-01T07:00:00Z"));
        assert_eq!(parse_instant("2026-11-23").unwrap(), utc("2026-11-23T00:00:00Z"));
    }

    #[test]
    fn clock_change_gap_and_overlap() {
        // 01:30 on Sunday 29 March 2026 does not exist in London.
        assert_eq!(parse_instant("2026-03-29 01:30"), Err(TimeError::DoesNotExist));
        // 01:30 on Sunday 25 October 2026 happens twice; the first (BST) is taken.
        assert_eq!(parse_instant("2026-10-25 01:30").unwrap(), utc("2026-10-25T00:30:00Z"));
        assert_eq!(parse_instant("nonsense"), Err(TimeError::Unreadable));
    }

    #[test]
    fn stored_instants_round_trip_and_show_in_london() {
        let t = utc("2026-07-01T08:00:00Z");
        assert_eq!(load_instant(&store_instant(t)), Some(t));
        assert_eq!(show_instant(t), "01/07/2026 09:00 BST");
        assert_eq!(show_instant(utc("2026-11-23T09:00:00Z")), "23/11/2026 09:00 GMT");
        let d = NaiveDate::from_ymd_opt(2026, 7, 1).unwrap();
        assert_eq!(end_of_london_day(d), utc("2026-07-01T22:59:59Z"));
        assert_eq!(london_date(utc("2026-06-30T23:30:00Z")), d);
    }
}
