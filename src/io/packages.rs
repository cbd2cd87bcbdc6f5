//! The Packages spreadsheet as CSV (SPEC §12): decoding, header matching with aliases, reading
//! each value the way spreadsheets write it, and the canonical layout `export` writes.

use crate::domain::dates::{london_to_utc, parse_date, parse_local_datetime};
use crate::domain::text::fold;
use chrono::{DateTime, NaiveDate, Utc};
use std::collections::HashMap;

/// The canonical columns, in export order, with the aliases recognised on import.
pub const COLUMNS: &[(&str, &[&str])] = &[
    ("Client ID", &["Swift ID", "AIS No", "AIS ID", "Client No", "Service User ID", "Client Ref", "Swift No"]),
    ("Client Name", &["Name", "Service User", "Client", "Service User Name"]),
    ("Postcode", &["Post Code", "PC"]),
    ("Team", &["Referring Team", "Referred By Team"]),
    ("Referrer", &["Referrer Name", "Case Worker", "Social Worker", "Referred By"]),
    ("Received", &["Date Received", "Referral Date", "Date Referred", "Received Date"]),
    ("Requested Start", &["Start Date Requested", "Required Start", "POC Start", "Requested Start Date"]),
    ("Calls Per Day", &["Calls", "No of Calls", "Calls/Day", "Calls A Day"]),
    ("Minutes Per Call", &["Call Length", "Mins", "Minutes", "Call Duration"]),
    ("Hours Per Week", &["Hrs p/w", "Weekly Hours", "Hours", "Total Hours", "Hrs Per Week"]),
    ("Double Handed", &["2 Carers", "Double Up", "Double-Handed", "Two Carers"]),
    ("Lives Alone", &[]),
    ("Known To ACT", &["Known to ACT?", "Existing Client"]),
    ("Funding", &["Funding Type"]),
    ("Hospital Discharge", &["Hospital", "In Hospital"]),
    ("Status", &["Current Status"]),
    ("Provider", &["Agency", "Provider Name", "Accepted By"]),
    ("Offered At", &["Date Referred to Provider", "Time Offered", "Date Offered"]),
    ("Start Date", &["Actual Start", "POC Start Date", "Care Start"]),
    ("Review Date", &["PIR Date"]),
    ("Notes", &["Comments", "Notes/Comments"]),
    // hcp's own columns after the canonical ones, so that export -> import keeps everything
    // the completeness check reads.
    ("Referrer Email", &["Referrer E-mail", "Email"]),
    ("Cluster", &[]),
    ("Documents", &["Docs", "Documents Received"]),
    ("Risk", &[]),
    ("Time Critical", &["Time Critical Calls"]),
    ("In KEaH", &["Overstayer"]),
    ("Recent KEaH", &[]),
    ("Bypass KEaH", &["Bypasser", "Bypassing KEaH"]),
    ("Dementia", &[]),
    // One column per document, as some areas keep them.
    ("Financial Authorisation", &["Finance Authorisation", "Financial Auth"]),
    ("Referral Form", &["Purchasing Referral Form"]),
    ("Charging Letter", &["Signed Charging Letter"]),
    ("AIS Updated", &["Swift Updated", "Swift/AIS Updated"]),
    ("BICA", &[]),
    ("Final Review", &["Final Review Form"]),
    ("Risk Assessment", &[]),
    ("TM Approval", &["Team Manager Approval"]),
];

/// How many of COLUMNS `export` writes.
pub const EXPORTED: usize = 30;

/// The columns an export writes: (hcp's column, the header it is written under).
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    pub columns: Vec<(&'static str, String)>,
}

impl Layout {
    /// SPEC §12's names and order.
    pub fn canonical() -> Layout {
        Layout { columns: COLUMNS[..EXPORTED].iter().map(|(c, _)| (*c, c.to_string())).collect() }
    }

    /// The last imported sheet's columns, under its own names and in its order, then the rest of
    /// hcp's columns (so that export → import keeps everything).
    pub fn remembered(saved: &[(String, String)]) -> Layout {
        let mut columns: Vec<(&'static str, String)> = saved
            .iter()
            .filter_map(|(canonical, header)| {
                COLUMNS[..EXPORTED].iter().find(|(c, _)| *c == canonical).map(|(c, _)| (*c, header.clone()))
            })
            .collect();
        for (c, _) in &COLUMNS[..EXPORTED] {
            if !columns.iter().any(|(k, _)| k == c) {
                columns.push((*c, c.to_string()));
            }
        }
        Layout { columns }
    }
}

/// A header as compared: case, spaces and punctuation folded away; `Number` and `#` read as `No`.
pub fn normalise_header(h: &str) -> String {
    fold(&h.replace('#', " no ")).replace("number", "no")
}

/// The canonical column a header means, using the mapping file first, then names and aliases.
pub fn match_header(h: &str, map: &HashMap<String, String>) -> Option<&'static str> {
    let n = normalise_header(h);
    if let Some(target) = map.get(&n) {
        let t = normalise_header(target);
        return COLUMNS.iter().find(|(c, _)| normalise_header(c) == t).map(|(c, _)| *c);
    }
    COLUMNS
        .iter()
        .find(|(c, aliases)| normalise_header(c) == n || aliases.iter().any(|a| normalise_header(a) == n))
        .map(|(c, _)| *c)
}

/// Excel stores dates as days since 1899-12-30.
pub fn excel_serial(s: &str) -> Option<NaiveDate> {
    let n: f64 = s.trim().parse().ok()?;
    if !(20_000.0..=80_000.0).contains(&n) {
        return None;
    }
    NaiveDate::from_ymd_opt(1899, 12, 30).map(|d| d + chrono::Duration::days(n.trunc() as i64))
}

pub fn read_date(s: &str) -> Option<NaiveDate> {
    parse_date(s).or_else(|| excel_serial(s)).or_else(|| parse_local_datetime(s).map(|d| d.date()))
}

/// A date or a date and time (London), or an Excel serial with a fraction of a day.
pub fn read_instant(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if let Some(local) = parse_local_datetime(s) {
        return london_to_utc(local);
    }
    let n: f64 = s.parse().ok()?;
    let day = excel_serial(s)?;
    let secs = ((n - n.trunc()) * 86_400.0).round() as i64;
    london_to_utc(day.and_hms_opt(0, 0, 0)? + chrono::Duration::seconds(secs))
}

/// Whole numbers as spreadsheets write them: `4`, `4.0`, ` 4 `.
pub fn read_count(s: &str) -> Option<i64> {
    let t = s.trim();
    if let Ok(n) = t.parse::<i64>() {
        return Some(n);
    }
    let f: f64 = t.parse().ok()?;
    (f.fract() == 0.0 && f.is_finite() && f.abs() < 1e6).then_some(f as i64)
}

/// Spreadsheet statuses onto SPEC §4 states.
pub fn read_status(s: &str) -> Option<crate::domain::model::State> {
    use crate::domain::model::State;
    let f = fold(s);
    if f.is_empty() {
        return Some(State::Waiting);
    }
    State::parse(s).or(match f.as_str() {
        "tobeplaced" | "onlist" | "awaiting" | "awaitingprovider" | "new" | "open" | "sourcing" => Some(State::Waiting),
        "withprovider" | "sent" | "senttoprovider" => Some(State::Offered),
        "placed" | "live" | "started" | "inplace" => Some(State::Active),
        "cancel" | "withdrawn" | "closed" => Some(State::Cancelled),
        "finished" | "end" => Some(State::Ended),
        "pendinginfo" | "returned" | "missinginfo" => Some(State::Incomplete),
        _ => None,
    })
}

pub const STATUS_FORMS: &str = "incomplete, waiting, offered, considering, tentative, accepted, confirmed, active, cancelled, ended (also: to be placed, placed, live, withdrawn)";

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn headers_match_names_and_aliases() {
        let m = HashMap::new();
        assert_eq!(match_header("Client ID", &m), Some("Client ID"));
        assert_eq!(match_header("swift id", &m), Some("Client ID"));
        assert_eq!(match_header("AIS Number", &m), Some("Client ID"));
        assert_eq!(match_header("AIS #", &m), Some("Client ID"));
        assert_eq!(match_header("Hrs p/w", &m), Some("Hours Per Week"));
        assert_eq!(match_header("Calls/Day", &m), Some("Calls Per Day"));
        assert_eq!(match_header(" Known to ACT? ", &m), Some("Known To ACT"));
        assert_eq!(match_header("No of Calls", &m), Some("Calls Per Day"));
        assert_eq!(match_header("Favourite Colour", &m), None);
        let mut map = HashMap::new();
        map.insert(normalise_header("Service User Ref"), "Client ID".to_string());
        assert_eq!(match_header("Service User Ref", &map), Some("Client ID"));
    }

    #[test]
    fn spreadsheet_values() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        assert_eq!(read_date("23/11/2026"), Some(d));
        assert_eq!(read_date("23/11/26"), Some(d));
        assert_eq!(read_date("23-Nov-2026"), Some(d));
        assert_eq!(read_date("2026-11-23"), Some(d));
        assert_eq!(read_date("46349"), Some(d));
        assert_eq!(read_date("31/02/2026"), None);
        assert_eq!(read_count("4.0"), Some(4));
        assert_eq!(read_count("four"), None);
        assert_eq!(read_count("4.5"), None);
        assert_eq!(read_status("To be placed"), Some(crate::domain::model::State::Waiting));
        assert_eq!(read_status("Live"), Some(crate::domain::model::State::Active));
        assert_eq!(read_status("Bananas"), None);
    }

    proptest! {
        #[test]
        fn readers_never_panic(s in "\\PC*") {
            let _ = read_date(&s);
            let _ = read_instant(&s);
            let _ = read_count(&s);
            let _ = read_status(&s);
            let _ = normalise_header(&s);
        }

        #[test]
        fn uk_dates_round_trip(days in 0i64..40_000) {
            let d = NaiveDate::from_ymd_opt(1950, 1, 1).unwrap() + chrono::Duration::days(days);
            prop_assert_eq!(read_date(&d.format("%d/%m/%Y").to_string()), Some(d));
            prop_assert_eq!(read_date(&d.format("%Y-%m-%d").to_string()), Some(d));
            prop_assert_eq!(read_date(&d.format("%d-%b-%Y").to_string()), Some(d));
        }
    }
}

/// One bad row: `row N, column C: what is wrong (value)`. Rows count as a spreadsheet shows
/// them: the header is row 1.
#[derive(Debug, Clone, serde::Serialize, PartialEq)]
pub struct RowError {
    pub row: usize,
    /// The client the row is about, when it says: `Zoë Ågren (004524)`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client: Option<String>,
    pub column: String,
    pub value: String,
    pub message: String,
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let client =
            self.client.as_deref().map(|c| format!(", {}", crate::domain::text::visible(c))).unwrap_or_default();
        write!(
            f,
            "row {}{client}, column {}: {} ({})",
            self.row,
            self.column,
            self.message,
            crate::domain::text::visible(&self.value)
        )
    }
}

/// OWASP's advice on CSV injection: a cell a spreadsheet would run as a formula (leading `=`, `+`,
/// `-`, `@`, tab or CR) gets a leading `'`, which Excel shows as text.
pub fn neutralise_formula(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

/// The import's side of it: a cell neutralised on export reads back as it was.
pub fn restore_formula(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => cell,
    }
}
