//! Reading one row of the Packages spreadsheet into a referral (SPEC §12): each cell read, and a
//! bad one reported as `row N, column C: what is wrong (value)`.

use super::packages::{read_count, read_date, read_instant, read_status, RowError, STATUS_FORMS};
use crate::domain::import::{SheetProvider, SheetRow};
use crate::domain::model::{Funding, Item, State, Team};
use crate::domain::record::Referral;
use crate::domain::text::{fold, normalise_postcode, parse_call_minutes, parse_hours_to_minutes, parse_yes_no};
use chrono::{DateTime, Utc};
use rustc_hash::FxHashMap;
use std::collections::{BTreeSet, HashMap, HashSet};

/// Finds a postcode's MSOA and cluster id.
pub type PlaceOf<'a> = dyn Fn(&str) -> anyhow::Result<Option<(String, i64)>> + 'a;

/// What reading a row needs to know from the database, loaded once per import.
#[derive(Debug, Default)]
pub struct Lookups {
    /// Providers by folded name.
    pub providers: HashMap<String, SheetProvider>,
    /// Clusters by folded name.
    pub clusters: HashMap<String, i64>,
    /// (cluster, provider) pairs: the provider is clustered there.
    pub clustered: HashSet<(i64, i64)>,
}

pub struct Cells<'a> {
    pub row: usize,
    pub rec: &'a csv::StringRecord,
    pub cols: &'a FxHashMap<&'static str, (usize, String)>,
    pub errors: Vec<RowError>,
}

impl Cells<'_> {
    pub fn raw(&self, col: &str) -> Option<&str> {
        self.cols.get(col).map(|(i, _)| super::packages::restore_formula(self.rec.get(*i).unwrap_or("").trim()))
    }
    pub fn text(&self, col: &str) -> Option<String> {
        self.raw(col).filter(|s| !s.is_empty()).map(str::to_string)
    }
    pub fn err(&mut self, col: &str, value: &str, message: impl Into<String>) {
        let column = self.cols.get(col).map(|c| c.1.clone()).unwrap_or_else(|| col.to_string());
        let client = match (
            self.raw("Client Name").filter(|s| !s.is_empty()),
            self.raw("Client ID").filter(|s| !s.is_empty()),
        ) {
            (Some(n), Some(id)) => Some(format!("{n} ({id})")),
            (Some(n), None) => Some(n.to_string()),
            (None, Some(id)) => Some(format!("client {id}")),
            (None, None) => None,
        };
        self.errors.push(RowError { client, row: self.row, column, value: value.to_string(), message: message.into() });
    }
    pub fn required(&mut self, col: &str) -> Option<String> {
        let v = self.text(col);
        if v.is_none() {
            self.err(col, "", "is empty; every row needs it");
        }
        v
    }
    pub fn read<T>(&mut self, col: &str, f: impl Fn(&str) -> Option<T>, what: &str) -> Option<T> {
        let v = self.text(col)?;
        let out = f(&v);
        if out.is_none() {
            self.err(col, &v, format!("not {what}"));
        }
        out
    }
    /// A name looked up in `known` (folded: any case, spacing or punctuation).
    pub fn lookup<T: Copy>(&mut self, col: &str, known: &HashMap<String, T>, unknown: &str) -> Option<T> {
        let v = self.text(col)?;
        let found = known.get(&fold(&v)).copied();
        if found.is_none() {
            self.err(col, &v, unknown);
        }
        found
    }
    /// A cell every row needs, read as a `T`.
    pub fn required_read<T>(&mut self, col: &str, f: impl Fn(&str) -> Option<T>, what: &str) -> Option<T> {
        match self.text(col) {
            Some(_) => self.read(col, f, what),
            None => {
                self.required(col);
                None
            }
        }
    }
    pub fn flag(&mut self, col: &str) -> bool {
        self.read(col, parse_yes_no, "yes or no").unwrap_or(false)
    }
}

/// The documents checklist: complete unless the file has a Documents column or a column per
/// document (SPEC §12).
/// With `true` when the sheet said nothing about documents (no column, or an empty Documents
/// cell and no column per document): they are then taken as complete, not recorded as received.
fn read_documents(cells: &mut Cells, doc_cols: bool) -> (Vec<Item>, bool) {
    let assumed = !doc_cols && cells.text("Documents").is_none();
    let mut docs: BTreeSet<Item> = if assumed { Item::DOCUMENTS.iter().copied().collect() } else { BTreeSet::new() };
    if let Some(list) = cells.text("Documents") {
        for d in list.split([',', ';']).map(str::trim).filter(|s| !s.is_empty()) {
            match Item::parse(d).filter(|i| i.is_document()) {
                Some(i) => {
                    docs.insert(i);
                }
                None => cells.err("Documents", d, format!("not a document; use: {}", Item::document_names())),
            }
        }
    }
    if doc_cols {
        for (col, item) in [
            ("Financial Authorisation", Item::FinancialAuthorisation),
            ("Referral Form", Item::ReferralForm),
            ("Charging Letter", Item::ChargingLetter),
            ("AIS Updated", Item::AisUpdated),
            ("BICA", Item::Bica),
            ("Final Review", Item::FinalReview),
            ("Risk Assessment", Item::RiskAssessment),
            ("TM Approval", Item::TmApproval),
        ] {
            if cells.cols.contains_key(col) {
                if cells.flag(col) {
                    docs.insert(item);
                } else {
                    docs.remove(&item);
                }
            }
        }
    }
    (docs.into_iter().collect(), assumed)
}

/// The Notes column, with every unmapped column kept beside it (never dropped).
fn read_notes(cells: &Cells, unmapped: &[(usize, String)]) -> Option<String> {
    let mut notes = cells.text("Notes").unwrap_or_default();
    for (i, header) in unmapped {
        let v = cells.rec.get(*i).unwrap_or("").trim();
        if !v.is_empty() {
            if !notes.is_empty() {
                notes.push('\n');
            }
            notes.push_str(&format!("[{header}] {v}"));
        }
    }
    Some(notes).filter(|n| !n.is_empty())
}

/// Read one row into a referral, or None with the row's errors in `cells`. `place` finds a
/// postcode's MSOA and cluster.
pub fn read_row(
    place: &PlaceOf,
    lk: &Lookups,
    cells: &mut Cells,
    unmapped: &[(usize, String)],
    now: DateTime<Utc>,
    doc_cols: bool,
) -> anyhow::Result<Option<SheetRow>> {
    let mut r = Referral::new(now);
    let client = cells.required("Client ID");
    let name = cells.required("Client Name");
    let team = cells.required_read("Team", Team::parse, "a referring team (ACT, STP or KEaH)");
    let received = cells.required_read("Received", read_instant, "a date (23/11/2026, 2026-11-23 or 23/11/2026 14:05)");
    let start = cells.required_read("Requested Start", read_date, "a date (23/11/2026 or 2026-11-23)");
    let calls = cells.required_read("Calls Per Day", read_count, "a whole number of calls");
    let minutes = cells.required_read("Minutes Per Call", parse_call_minutes, "minutes (30, 30 mins or 0:30)");
    let hours = cells.read("Hours Per Week", parse_hours_to_minutes, "hours (12.5 or 12:30)");
    for (col, flag) in [
        ("Double Handed", &mut r.double_handed),
        ("Lives Alone", &mut r.lives_alone),
        ("Known To ACT", &mut r.known_to_act),
        ("Hospital Discharge", &mut r.hospital_discharge),
        ("In KEaH", &mut r.in_keah),
        ("Recent KEaH", &mut r.recent_keah),
        ("Bypass KEaH", &mut r.bypass_keah),
        ("Dementia", &mut r.dementia),
    ] {
        *flag = cells.flag(col);
    }
    r.funding = cells.read("Funding", Funding::parse, "a funding type (KCC, Self Funder, CHC, Other LA)");
    let status = match cells.raw("Status") {
        Some(s) => match read_status(s) {
            Some(st) => st,
            None => {
                let v = s.to_string();
                cells.err("Status", &v, format!("not a status hcp knows; use one of: {}", STATUS_FORMS));
                State::Waiting
            }
        },
        None => State::Waiting,
    };
    let provider =
        cells.lookup("Provider", &lk.providers, "not a known provider; add it first with `hcp provider add`");
    let offered_at = cells.read("Offered At", read_instant, "a date or date and time");
    let actual_start = cells.read("Start Date", read_date, "a date");
    let _review = cells.read("Review Date", read_date, "a date");
    r.referrer = cells.text("Referrer").unwrap_or_default();
    r.referrer_email = cells.text("Referrer Email");
    r.risk = cells.text("Risk");
    r.time_critical = cells.text("Time Critical");
    (r.docs, r.docs_assumed) = read_documents(cells, doc_cols);
    r.notes = read_notes(cells, unmapped);
    let cluster = cells.lookup("Cluster", &lk.clusters, "not a known cluster (`hcp cluster list`)");
    if !cells.errors.is_empty() {
        return Ok(None);
    }
    let (Some(client), Some(name), Some(team), Some(received), Some(start), Some(calls), Some(minutes)) =
        (client, name, team, received, start, calls, minutes)
    else {
        return Ok(None);
    };
    if matches!(
        status,
        State::Accepted | State::Confirmed | State::Active | State::Tentative | State::Offered | State::Considering
    ) && provider.is_none()
    {
        let v = cells.raw("Status").unwrap_or("").to_string();
        cells.err("Provider", &v, format!("status '{v}' needs the provider's name"));
        return Ok(None);
    }
    r.client_id = client;
    r.name = name;
    r.team = team;
    r.received_at = received;
    r.start_date = start;
    r.calls_per_day = calls;
    r.minutes_per_call = minutes;
    r.hours_given = hours.is_some();
    r.weekly_minutes = hours.unwrap_or(crate::domain::completeness::planned_weekly_minutes(calls, minutes, 7));
    if let Some(pc) = cells.text("Postcode") {
        let norm = normalise_postcode(&pc).unwrap_or(pc);
        let place = place(&norm)?;
        r.msoa_code = place.as_ref().map(|p| p.0.clone());
        r.cluster_id = place.map(|p| p.1);
        r.postcode = Some(norm);
    }
    if let Some(c) = cluster {
        if r.cluster_id != Some(c) {
            r.cluster_id = Some(c);
            r.cluster_by_hand = true;
        }
    }
    r.confirmed_start = actual_start;
    Ok(Some(SheetRow { r, status, provider, offered_at }))
}
