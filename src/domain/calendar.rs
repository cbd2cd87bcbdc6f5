//! The working-day calendar (SPEC §3).
//!
//! A working day is Monday to Friday and not an England and Wales bank holiday. Bank holidays are
//! data: the table shipped in the binary, or one loaded from gov.uk's `bank-holidays.json` by
//! `hcp calendar update`. Outside the range of the table only weekends are skipped.

use chrono::{Datelike, NaiveDate, Weekday};
use std::collections::BTreeMap;

/// A bank holiday: its date and its title as published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BankHoliday {
    pub date: NaiveDate,
    pub title: String,
}

/// Monday–Friday minus bank holidays.
#[derive(Debug, Clone, Default)]
pub struct WorkingCalendar {
    holidays: BTreeMap<NaiveDate, String>,
}

impl WorkingCalendar {
    pub fn new(holidays: impl IntoIterator<Item = BankHoliday>) -> Self {
        WorkingCalendar { holidays: holidays.into_iter().map(|h| (h.date, h.title)).collect() }
    }

    pub fn is_bank_holiday(&self, day: NaiveDate) -> bool {
        self.holidays.contains_key(&day)
    }

    pub fn is_working_day(&self, day: NaiveDate) -> bool {
        !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) && !self.is_bank_holiday(day)
    }

    /// The N-th working day after `day` ("within N working days of X": the deadline is the end
    /// of this day). With `n == 0` it is `day` itself.
    pub fn add_working_days(&self, day: NaiveDate, n: u32) -> NaiveDate {
        let mut d = day;
        let mut left = n;
        while left > 0 {
            d = d.succ_opt().unwrap_or(d);
            if self.is_working_day(d) {
                left -= 1;
            }
        }
        d
    }

    /// The number of working days strictly after `from` up to and including `to`
    /// ("waiting N working days" counts from the list date). Zero when `to <= from`.
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> u32 {
        if to <= from {
            return 0;
        }
        // Whole weeks hold five weekdays each; count the rest by hand, then remove holidays.
        let days = (to - from).num_days();
        let weeks = days / 7;
        let mut count = weeks * 5;
        let mut d = from + chrono::Duration::days(weeks * 7);
        while d < to {
            d = d.succ_opt().unwrap_or(d);
            if !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
                count += 1;
            }
        }
        let holidays_on_weekdays = self
            .holidays
            .range(from.succ_opt().unwrap_or(from)..=to)
            .filter(|(d, _)| !matches!(d.weekday(), Weekday::Sat | Weekday::Sun))
            .count() as i64;
        (count - holidays_on_weekdays).max(0) as u32
    }

    /// Bank holidays between two dates inclusive, in order.
    pub fn holidays_between(&self, from: NaiveDate, to: NaiveDate) -> Vec<BankHoliday> {
        if to < from {
            return Vec::new();
        }
        self.holidays.range(from..=to).map(|(d, t)| BankHoliday { date: *d, title: t.clone() }).collect()
    }

    pub fn len(&self) -> usize {
        self.holidays.len()
    }

    pub fn is_empty(&self) -> bool {
        self.holidays.is_empty()
    }
}

/// Parse the shipped `date,title` table.
pub fn parse_holiday_csv(text: &str) -> Result<Vec<BankHoliday>, String> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate().skip(1) {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let (date, title) =
            line.split_once(',').ok_or_else(|| format!("line {}: expected date,title ({line})", i + 1))?;
        let date =
            NaiveDate::parse_from_str(date, "%Y-%m-%d").map_err(|_| format!("line {}: not a date ({date})", i + 1))?;
        out.push(BankHoliday { date, title: title.trim_matches('"').to_string() });
    }
    Ok(out)
}

/// What loading a bank-holiday file changes: dates added and removed within the years the file
/// covers (the file speaks for those years; other years are kept).
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct CalendarChange {
    pub added: Vec<NaiveDate>,
    pub removed: Vec<NaiveDate>,
    /// The years the file covers.
    pub years: Vec<i32>,
}

/// Plan a bank-holiday update. Refused: a date outside 1900–2100 (the file is not a calendar),
/// and — unless `replace` — removing a holiday in this year or next, which would silently make a
/// bank holiday a working day for every deadline.
pub fn plan_update(
    existing: &[NaiveDate],
    file: &[NaiveDate],
    today: NaiveDate,
    replace: bool,
) -> Result<CalendarChange, String> {
    if let Some(d) = file.iter().find(|d| !(1900..=2100).contains(&d.year())) {
        return Err(format!("the file lists {d}, outside 1900–2100; it is not a bank-holiday calendar"));
    }
    let years: std::collections::BTreeSet<i32> = file.iter().map(|d| d.year()).collect();
    let file_set: std::collections::BTreeSet<NaiveDate> = file.iter().copied().collect();
    let have: std::collections::BTreeSet<NaiveDate> = existing.iter().copied().collect();
    let added: Vec<NaiveDate> = file_set.difference(&have).copied().collect();
    let removed: Vec<NaiveDate> =
        have.iter().filter(|d| years.contains(&d.year()) && !file_set.contains(d)).copied().collect();
    let protected: Vec<String> = removed
        .iter()
        .filter(|d| d.year() == today.year() || d.year() == today.year() + 1)
        .map(|d| d.format("%d/%m/%Y").to_string())
        .collect();
    if !replace && !protected.is_empty() {
        return Err(format!(
            "the file would remove bank holidays in this year or next: {} (use --replace if that is right)",
            protected.join(", ")
        ));
    }
    Ok(CalendarChange { added, removed, years: years.into_iter().collect() })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const SHIPPED: &str = include_str!("../../data/bank-holidays-england-and-wales.csv");

    fn cal() -> WorkingCalendar {
        WorkingCalendar::new(parse_holiday_csv(SHIPPED).unwrap())
    }
    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn shipped_table_has_christmas_2026_with_substitute_boxing_day() {
        let c = cal();
        assert!(c.len() > 100);
        assert!(c.is_bank_holiday(d("2026-12-25")));
        // Boxing Day 2026 is a Saturday, so the substitute day is Monday 28 December.
        assert!(c.is_bank_holiday(d("2026-12-28")));
        assert!(!c.is_bank_holiday(d("2026-12-29")));
        assert!(c.is_bank_holiday(d("2027-01-01")));
    }

    #[test]
    fn tenth_working_day_after_friday_18_december_2026() {
        // By hand: Mon 21 (1), Tue 22 (2), Wed 23 (3), Thu 24 (4), [Fri 25 Christmas],
        // [Sat 26, Sun 27], [Mon 28 substitute Boxing Day], Tue 29 (5), Wed 30 (6), Thu 31 (7),
        // [Fri 1 Jan New Year], [Sat 2, Sun 3], Mon 4 (8), Tue 5 (9), Wed 6 (10).
        let c = cal();
        assert_eq!(c.add_working_days(d("2026-12-18"), 5), d("2026-12-29"));
        assert_eq!(c.add_working_days(d("2026-12-18"), 10), d("2027-01-06"));
        assert_eq!(c.working_days_between(d("2026-12-18"), d("2026-12-29")), 5);
        assert_eq!(c.working_days_between(d("2026-12-18"), d("2027-01-06")), 10);
        assert_eq!(c.working_days_between(d("2026-12-18"), d("2026-12-28")), 4);
    }

    #[test]
    fn easter_2027_and_plain_weeks() {
        let c = cal();
        // Good Friday 26 March 2027, Easter Monday 29 March 2027.
        assert!(c.is_bank_holiday(d("2027-03-26")) && c.is_bank_holiday(d("2027-03-29")));
        // Thursday 25 March + 1 working day = Tuesday 30 March.
        assert_eq!(c.add_working_days(d("2027-03-25"), 1), d("2027-03-30"));
        // An ordinary week: Monday 23 November 2026 + 2 = Wednesday 25 November.
        assert_eq!(c.add_working_days(d("2026-11-23"), 2), d("2026-11-25"));
        // Friday + 2 = Tuesday.
        assert_eq!(c.add_working_days(d("2026-11-27"), 2), d("2026-12-01"));
        // From a Saturday, the first working day is Monday.
        assert_eq!(c.add_working_days(d("2026-11-28"), 1), d("2026-11-30"));
        assert_eq!(c.working_days_between(d("2026-11-23"), d("2026-11-23")), 0);
        assert_eq!(c.working_days_between(d("2026-11-23"), d("2026-11-20")), 0);
    }

    #[test]
    fn holiday_csv_errors_name_the_line() {
        let err = parse_holiday_csv("date,title\n2026-13-01,Nope\n").unwrap_err();
        assert!(err.contains("line 2"), "{err}");
    }

    fn any_date() -> impl Strategy<Value = NaiveDate> {
        // 2015..2028 covers the shipped table and a little beyond it.
        (0i64..(13 * 366)).prop_map(|n| d("2015-01-01") + chrono::Duration::days(n))
    }

    proptest! {
        #[test]
        fn adding_then_counting_gives_n(start in any_date(), n in 0u32..80) {
            let c = cal();
            let end = c.add_working_days(start, n);
            prop_assert_eq!(c.working_days_between(start, end), n);
        }

        #[test]
        fn a_deadline_never_lands_on_a_weekend_or_holiday(start in any_date(), n in 1u32..80) {
            let c = cal();
            let end = c.add_working_days(start, n);
            prop_assert!(c.is_working_day(end));
            prop_assert!(end > start);
        }

        #[test]
        fn counting_matches_a_day_by_day_walk(start in any_date(), span in 0i64..60) {
            let c = cal();
            let end = start + chrono::Duration::days(span);
            let mut walk = 0;
            let mut day = start;
            while day < end {
                day = day.succ_opt().unwrap();
                if c.is_working_day(day) { walk += 1; }
            }
            prop_assert_eq!(c.working_days_between(start, end), walk);
        }
    }

    #[test]
    fn a_calendar_update_merges_within_its_years_and_protects_this_year_and_next() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let have = [d("2026-12-25"), d("2026-12-28"), d("2027-01-01")];
        let today = d("2026-11-25");
        // Two far-off dates: one is out of range, refused.
        assert!(plan_update(&have, &[d("1900-01-01"), d("2200-12-25")], today, false).is_err());
        // A file for 2026 without Christmas would remove it: refused unless --replace.
        let file = [d("2026-12-28")];
        assert!(plan_update(&have, &file, today, false).unwrap_err().contains("25/12/2026"));
        let c = plan_update(&have, &file, today, true).unwrap();
        assert_eq!(c.removed, vec![d("2026-12-25")]);
        // 2027 is not in the file: kept. A new 2026 date is added.
        let c = plan_update(&have, &[d("2026-12-25"), d("2026-12-28"), d("2026-12-29")], today, false).unwrap();
        assert_eq!((c.added, c.removed), (vec![d("2026-12-29")], vec![]));
    }
}
