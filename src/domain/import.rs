//! The Packages spreadsheet's rows as referrals (SPEC §12): the state a row's status gives, and
//! how a re-imported row changes a stored referral.
//!
//! Decisions where SPEC is silent (also in the README):
//! - Rows match existing referrals on client id + the London date of the received time.
//! - A row that reads but fails a §5 check is imported `incomplete` if its status puts it on the
//!   list; placed, cancelled and ended rows keep their status.
//! - On re-import, the spreadsheet's status is applied only while hcp itself has recorded no
//!   offer on that referral: once officers work a referral in hcp, hcp's state wins.
//! - Imported waiting referrals keep the received time as their list date.
//! - A re-imported row changes only the columns the file has; everything hcp records itself
//!   (minor change, deadlines, SDO, placement details…) is kept.

use super::intake::recheck;
use super::model::{PlacementType, ProviderType, State, Tier};
use super::record::Referral;
use super::rules::Rules;
use chrono::{DateTime, Utc};

/// A provider named on the sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SheetProvider {
    pub id: i64,
    pub contract: ProviderType,
    pub exceptions_list: bool,
}

/// A row read: the referral's fields, and the offer its status implies.
#[derive(Debug, Clone)]
pub struct SheetRow {
    pub r: Referral,
    pub status: State,
    pub provider: Option<SheetProvider>,
    pub offered_at: Option<DateTime<Utc>>,
}

/// The sheet's columns a row has (the rest of the referral is hcp's own).
#[derive(Debug, Clone, Default)]
pub struct SheetColumns {
    pub present: std::collections::HashSet<&'static str>,
    /// The file has a Documents column or a column per document.
    pub documents: bool,
    /// The file has columns hcp does not know (kept in the notes).
    pub unmapped: bool,
}

impl SheetColumns {
    fn has(&self, c: &str) -> bool {
        self.present.contains(c)
    }
}

/// How a placement with this provider is contracted.
pub fn placement(p: SheetProvider) -> PlacementType {
    super::allocation::placement_for(p.contract, p.exceptions_list)
}

/// The tier of the implied offer: clustered when the provider is ranked in the referral's cluster.
pub fn tier(p: SheetProvider, clustered_here: bool) -> Tier {
    match p.contract {
        ProviderType::NonContracted => Tier::NonContracted,
        _ if clustered_here => Tier::Clustered,
        _ => Tier::OtherContracted,
    }
}

/// Set state, list date and placement from the row's status; run the completeness check
/// (the list date of a complete row is its received time).
pub fn settle(row: &mut SheetRow, rules: &Rules) {
    let r = &mut row.r;
    let listed = matches!(row.status, State::Incomplete | State::Waiting | State::Offered | State::Considering);
    r.state = State::Incomplete;
    r.list_date = None;
    let received = r.received_at;
    let missing = recheck(r, &rules.calendar, &rules.completeness, received);
    if listed {
        if missing.is_empty() && row.status != State::Waiting && row.status != State::Incomplete {
            r.state = row.status;
        }
    } else {
        r.state = row.status;
    }
    if matches!(row.status, State::Accepted | State::Confirmed | State::Active) {
        if let Some(p) = row.provider {
            r.provider_id = Some(p.id);
            r.placement_type = Some(placement(p));
            r.accepted_at = Some(row.offered_at.unwrap_or(received));
        }
    }
}

/// A stored referral changed by its re-imported row: start from what is stored and apply only
/// the columns the file has. While hcp has not worked the referral, the sheet's status (and
/// what it settles: state, list date, placement, missing items) applies too.
pub fn merge(before: &Referral, sheet: &Referral, cols: &SheetColumns, hcp_worked: bool) -> Referral {
    let mut r = before.clone();
    let s = sheet;
    macro_rules! take {
        ($col:literal => $($field:ident),+) => {
            if cols.has($col) { $(r.$field = s.$field.clone();)+ }
        };
    }
    take!("Client ID" => client_id);
    take!("Client Name" => name);
    take!("Team" => team);
    take!("Referrer" => referrer);
    take!("Referrer Email" => referrer_email);
    take!("Received" => received_at);
    take!("Requested Start" => start_date);
    take!("Calls Per Day" => calls_per_day);
    take!("Minutes Per Call" => minutes_per_call);
    take!("Double Handed" => double_handed);
    take!("Lives Alone" => lives_alone);
    take!("Known To ACT" => known_to_act);
    take!("Hospital Discharge" => hospital_discharge);
    take!("In KEaH" => in_keah);
    take!("Recent KEaH" => recent_keah);
    take!("Bypass KEaH" => bypass_keah);
    take!("Dementia" => dementia);
    take!("Funding" => funding);
    take!("Risk" => risk);
    take!("Time Critical" => time_critical);
    take!("Start Date" => confirmed_start);
    if cols.has("Notes") || cols.unmapped {
        r.notes = s.notes.clone();
    }
    if cols.has("Postcode") {
        r.postcode = s.postcode.clone();
        r.msoa_code = s.msoa_code.clone();
        if !r.cluster_by_hand {
            r.cluster_id = s.cluster_id;
        }
    }
    if cols.has("Cluster") && s.cluster_by_hand {
        r.cluster_id = s.cluster_id;
        r.cluster_by_hand = true;
    }
    // Hours the sheet states differently from what is stored become stated hours; the same
    // hours (hcp's own export read back) change nothing.
    if cols.has("Hours Per Week") && s.hours_given && s.weekly_minutes != r.weekly_minutes {
        r.weekly_minutes = s.weekly_minutes;
        r.hours_given = true;
    } else if !r.hours_given {
        r.weekly_minutes =
            super::completeness::planned_weekly_minutes(r.calls_per_day, r.minutes_per_call, r.days_per_week);
    }
    if cols.documents {
        r.docs = s.docs.clone();
        r.docs_assumed = s.docs_assumed;
    }
    if !hcp_worked && cols.has("Status") {
        r.state = s.state;
        r.list_date = s.list_date;
        r.missing = s.missing.clone();
        r.provider_id = s.provider_id;
        r.placement_type = s.placement_type;
        r.accepted_at = s.accepted_at;
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::dates::parse_instant;

    #[test]
    fn a_reimport_keeps_what_hcp_records_itself() {
        let now = parse_instant("2026-11-23 09:00").unwrap();
        let mut stored = Referral::new(now);
        stored.name = "Zoë".into();
        stored.minor_change = true;
        stored.sdo_due = chrono::NaiveDate::from_ymd_opt(2026, 11, 25);
        let mut sheet = stored.clone();
        sheet.minor_change = false;
        sheet.sdo_due = None;
        sheet.name = "Zoë Ågren".into();
        let cols = SheetColumns { present: ["Client Name"].into_iter().collect(), ..Default::default() };
        let merged = merge(&stored, &sheet, &cols, false);
        assert!(merged.minor_change);
        assert_eq!(merged.sdo_due, stored.sdo_due);
        assert_eq!(merged.name, "Zoë Ågren");
        // An unchanged row changes nothing.
        assert_eq!(merge(&stored, &stored, &cols, false), stored);
    }
}
