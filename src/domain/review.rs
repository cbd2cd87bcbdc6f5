//! PIR review scheduling (SPEC §10, Guidance PIR): when a placed package's first review falls,
//! whether a booking is inside its window, and when the AIS update is due after it.
//!
//! - Known to ACT: the review date is the service start + 28 days; the window is that one day.
//! - New to ACT: completed 2 to 8 weeks after the provision starts, so the window is start + 14
//!   days to start + 56 days, and hcp proposes start + `pir.target_days` (default 42, six weeks),
//!   kept inside the window and off its last day.
//! - AIS/Swift is updated by the end of the 5th working day after the review paperwork arrives
//!   (new to ACT) or after the review (known to ACT).

use super::calendar::WorkingCalendar;
use super::dates::show_date;
use crate::error::UserError;
use chrono::{Duration, NaiveDate};

/// Days from the start to a known-to-ACT client's review.
pub const KNOWN_DAYS: i64 = 28;
/// The window for a client new to ACT: 2 to 8 weeks after the start.
pub const NEW_FROM_DAYS: i64 = 14;
pub const NEW_TO_DAYS: i64 = 56;
/// Working days to update AIS after the review (or its paperwork).
pub const AIS_WORKING_DAYS: u32 = 5;

/// When a review may be held, and the date hcp proposes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub target: NaiveDate,
}

impl Window {
    pub fn contains(&self, d: NaiveDate) -> bool {
        self.from <= d && d <= self.to
    }
}

/// The review window for a package starting on `start`.
pub fn window(known_to_act: bool, start: NaiveDate, target_days: i64) -> Window {
    if known_to_act {
        let d = start + Duration::days(KNOWN_DAYS);
        return Window { from: d, to: d, target: d };
    }
    let (from, to) = (start + Duration::days(NEW_FROM_DAYS), start + Duration::days(NEW_TO_DAYS));
    let target = (start + Duration::days(target_days)).clamp(from, to - Duration::days(1));
    Window { from, to, target }
}

/// The first review's window for a placed referral, from when its care starts.
pub fn window_for(r: &super::record::Referral, target_days: i64) -> Window {
    window(r.known_to_act, r.care_start(), target_days)
}

/// Check a booking date against the window: outside it needs `--force` with a reason.
pub fn check_booking(w: &Window, date: NaiveDate, forced_reason: Option<&str>) -> Result<(), UserError> {
    if w.contains(date) {
        return Ok(());
    }
    match forced_reason.map(str::trim) {
        Some(r) if !r.is_empty() => Ok(()),
        _ => Err(UserError::new(format!(
            "{} is outside the review window {} to {}",
            show_date(date),
            show_date(w.from),
            show_date(w.to)
        ))
        .hint("book a date inside the window, or add --force --reason \"why\" (the reason is kept on the audit log)")),
    }
}

/// The AIS update deadline: the end of the 5th working day after `from` (the paperwork's
/// arrival, else the review day).
pub fn ais_due(cal: &WorkingCalendar, from: NaiveDate) -> NaiveDate {
    cal.add_working_days(from, AIS_WORKING_DAYS)
}

/// Whether a placement needs its first review: not a minor change to an existing package.
pub fn needs_review(minor_change: bool) -> bool {
    !minor_change
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::calendar::BankHoliday;
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn christmas() -> WorkingCalendar {
        WorkingCalendar::new(
            ["2026-12-25", "2026-12-28", "2027-01-01"].map(|s| BankHoliday { date: d(s), title: "holiday".into() }),
        )
    }

    #[test]
    fn the_contracts_windows() {
        let known = window(true, d("2026-12-01"), 42);
        assert_eq!((known.from, known.to, known.target), (d("2026-12-29"), d("2026-12-29"), d("2026-12-29")));
        let new = window(false, d("2026-12-01"), 42);
        assert_eq!((new.from, new.to, new.target), (d("2026-12-15"), d("2027-01-26"), d("2027-01-12")));
        assert!(check_booking(&new, d("2027-01-27"), None).is_err());
        assert!(check_booking(&new, d("2027-01-12"), None).is_ok());
        assert!(check_booking(&new, d("2027-01-27"), Some("  ")).is_err(), "a blank reason is no reason");
        assert!(check_booking(&new, d("2027-01-27"), Some("family away")).is_ok());
    }

    #[test]
    fn ais_is_due_five_working_days_after_over_christmas() {
        // Thursday 17 December: Fri 18, Mon 21, Tue 22, Wed 23, Thu 24.
        assert_eq!(ais_due(&christmas(), d("2026-12-17")), d("2026-12-24"));
        // Wednesday 23: Thu 24, (25, 26, 27, 28 off) Tue 29, Wed 30, Thu 31, (1 Jan off) Mon 4.
        assert_eq!(ais_due(&christmas(), d("2026-12-23")), d("2027-01-04"));
    }

    proptest! {
        #[test]
        fn windows_are_ordered_and_hold_their_target(days in 0i64..4000, known: bool, target in 0i64..200) {
            let start = d("2024-01-01") + Duration::days(days);
            let w = window(known, start, target);
            prop_assert!(w.from <= w.to);
            prop_assert!(w.contains(w.target));
            prop_assert!(w.from > start);
            if !known {
                prop_assert!(w.target < w.to, "not on the window's last day");
            }
        }

        #[test]
        fn ais_deadlines_are_working_days(days in 0i64..1200) {
            let cal = christmas();
            let from = d("2026-01-01") + Duration::days(days);
            let due = ais_due(&cal, from);
            prop_assert!(cal.is_working_day(due));
            prop_assert_eq!(cal.working_days_between(from, due), AIS_WORKING_DAYS);
        }
    }
}
