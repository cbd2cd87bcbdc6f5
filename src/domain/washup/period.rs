//! The report's period: an ISO week, or the last complete week.

use chrono::{Duration, NaiveDate};

/// The ISO week `2026-W48` as its Monday and Sunday.
pub fn iso_week(text: &str) -> Option<(NaiveDate, NaiveDate)> {
    let (y, w) = text.trim().to_ascii_uppercase().split_once("-W").map(|(y, w)| (y.parse().ok(), w.parse().ok()))?;
    let monday = NaiveDate::from_isoywd_opt(y?, w?, chrono::Weekday::Mon)?;
    Some((monday, monday + Duration::days(6)))
}

/// The last complete Monday-to-Sunday week before `today`.
pub fn last_complete_week(today: NaiveDate) -> (NaiveDate, NaiveDate) {
    use chrono::Datelike;
    let monday = today - Duration::days(i64::from(today.weekday().num_days_from_monday())) - Duration::days(7);
    (monday, monday + Duration::days(6))
}
