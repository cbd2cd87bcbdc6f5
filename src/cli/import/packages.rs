//! `hcp import packages FILE.csv`: move a team off its Packages spreadsheet (SPEC §12).
//!
//! Decisions where SPEC is silent (also in the README):
//! - Rows match existing referrals on client id + the London date of the received time.
//! - A row that reads but fails a §5 check is imported `incomplete` if its status puts it on the
//!   list; placed, cancelled and ended rows keep their status.
//! - The documents checklist counts as complete unless the file has a `Documents` column (the
//!   list of documents received) or a column per document.
//! - On re-import, the spreadsheet's status is applied only while hcp itself has recorded no
//!   offer on that referral: once officers work a referral in hcp, hcp's state wins.
//! - Imported waiting referrals keep the received time as their list date.

use super::{read_text, RowError};
use crate::cli::ctx::{Ctx, Rules};
use crate::cli::referral::recheck;
use crate::cli::{output, Exit, Outcome};
use crate::domain::dates::{london_date, store_instant};
use crate::domain::model::{Funding, Item, ProviderType, Response, State, Team, Tier};
use crate::domain::responses::response_deadline;
use crate::domain::text::{fold, normalise_postcode, parse_call_minutes, parse_hours_to_minutes, parse_yes_no};
use crate::error::UserError;
use crate::io::packages::{
    self as sheet, match_header, normalise_header, read_count, read_date, read_instant, read_status,
};
use crate::store::events::{self, Event};
use crate::store::offers::{self, NewOffer};
use crate::store::referrals::{self, Referral};
use anyhow::Result;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::Connection;
use rustc_hash::FxHashMap;
use serde_json::json;
use std::collections::{BTreeSet, HashMap, HashSet};

/// Import a CSV export of the Packages spreadsheet. Each row is checked like a referral added
/// by hand; a bad row is reported (`row N, column C: …`) and skipped. One transaction: an
/// interrupted import changes nothing. Importing the same file again changes nothing.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example:
  hcp import packages packages.csv --dry-run
  hcp import packages packages.csv
  hcp import packages west-kent.csv --map west-kent.toml --encoding windows-1252

A mapping file names columns the aliases do not catch:
  [columns]
  \"Service User Ref\" = \"Client ID\"
  \"Care Hrs\" = \"Hours Per Week\"

Exit: 0 all rows imported; 3 some rows rejected, the rest imported; 1 --strict and a bad row (nothing imported).")]
pub struct Args {
    pub file: std::path::PathBuf,
    /// Check and count everything, write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Import nothing if any row is bad.
    #[arg(long)]
    pub strict: bool,
    /// A TOML file mapping this spreadsheet's column names to hcp's.
    #[arg(long, value_name = "MAP.toml")]
    pub map: Option<std::path::PathBuf>,
    /// utf-8 or windows-1252 (default: detected).
    #[arg(long, value_name = "ENC")]
    pub encoding: Option<String>,
}

#[derive(Debug, Default, serde::Serialize)]
pub struct Summary {
    pub new: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub rejected: usize,
    pub incomplete: usize,
    pub errors: Vec<RowError>,
    pub unmapped_columns: Vec<String>,
    pub warnings: Vec<String>,
    pub dry_run: bool,
}

fn load_map(path: &std::path::Path) -> Result<HashMap<String, String>> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| UserError::new(format!("cannot read the mapping file {}: {e}", path.display())))?;
    let doc: toml::Table = text.parse().map_err(|e| {
        UserError::new(format!("{} is not a valid mapping file: {e}", path.display()))
            .hint("write it as [columns] then \"Their Column\" = \"Client ID\" lines")
    })?;
    let table = doc.get("columns").and_then(|v| v.as_table()).cloned().unwrap_or(doc);
    let mut map = HashMap::new();
    for (k, v) in table {
        let target = v.as_str().ok_or_else(|| {
            UserError::new(format!("{}: the value for '{k}' must be a column name in quotes", path.display()))
        })?;
        if match_header(target, &HashMap::new()).is_none() {
            let names: Vec<&str> = sheet::COLUMNS.iter().map(|c| c.0).collect();
            return Err(UserError::new(format!(
                "{}: '{target}' (for '{k}') is not one of hcp's columns",
                path.display()
            ))
            .hint(format!("columns: {}", names.join(", ")))
            .into());
        }
        map.insert(normalise_header(&k), target.to_string());
    }
    Ok(map)
}

/// Everything the row reader needs from the database, loaded once.
struct Lookups {
    providers: HashMap<String, (i64, ProviderType, bool)>,
    clusters: HashMap<String, i64>,
    clustered: HashSet<(i64, i64)>,
    postcodes: HashMap<String, Option<(String, i64)>>,
    all_postcodes: bool,
}

impl Lookups {
    fn load(conn: &Connection) -> Result<Lookups> {
        let mut providers = HashMap::new();
        let mut s = conn.prepare("SELECT id, name, type, exceptions_list FROM providers")?;
        for r in s.query_map([], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, bool>(3)?))
        })? {
            let (id, name, kind, exc) = r?;
            providers.insert(fold(&name), (id, ProviderType::parse(&kind).unwrap_or(ProviderType::Contracted), exc));
        }
        let mut clusters = HashMap::new();
        let mut s = conn.prepare("SELECT id, name FROM clusters")?;
        for r in s.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))? {
            let (id, name) = r?;
            clusters.insert(fold(&name), id);
        }
        let mut clustered = HashSet::new();
        let mut s = conn.prepare("SELECT cluster_id, provider_id FROM cluster_providers")?;
        for r in s.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))? {
            clustered.insert(r?);
        }
        Ok(Lookups { providers, clusters, clustered, postcodes: HashMap::new(), all_postcodes: false })
    }

    /// For a large file: every Kent postcode's place in one query.
    fn preload_postcodes(&mut self, conn: &Connection) -> Result<()> {
        let mut s = conn.prepare("SELECT p.postcode, p.msoa_code, cm.cluster_id FROM postcodes p JOIN cluster_msoas cm ON cm.msoa_code = p.msoa_code")?;
        for r in s.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, i64>(2)?)))? {
            let (pc, msoa, cluster) = r?;
            self.postcodes.insert(pc, Some((msoa, cluster)));
        }
        self.all_postcodes = true;
        Ok(())
    }

    /// Where a postcode lies: from the preloaded table, else (small files) from the database.
    fn place(&self, conn: Option<&Connection>, postcode: &str) -> Result<Option<(String, i64)>> {
        match conn {
            Some(conn) if !self.all_postcodes => Ok(conn
                .prepare_cached("SELECT p.msoa_code, cm.cluster_id FROM postcodes p JOIN cluster_msoas cm ON cm.msoa_code = p.msoa_code WHERE p.postcode = ?1")?
                .query_row([postcode], |r| Ok((r.get(0)?, r.get(1)?)))
                .ok()),
            _ => Ok(self.postcodes.get(postcode).cloned().flatten()),
        }
    }
}

/// A row read: the referral's fields, and the offer the status implies.
struct RowReferral {
    r: Referral,
    status: State,
    provider: Option<(i64, ProviderType, bool)>,
    offered_at: Option<DateTime<Utc>>,
}

struct Cells<'a> {
    row: usize,
    rec: &'a csv::StringRecord,
    cols: &'a FxHashMap<&'static str, (usize, String)>,
    errors: Vec<RowError>,
}

impl Cells<'_> {
    fn raw(&self, col: &str) -> Option<&str> {
        self.cols.get(col).map(|(i, _)| self.rec.get(*i).unwrap_or("").trim())
    }
    fn text(&self, col: &str) -> Option<String> {
        self.raw(col).filter(|s| !s.is_empty()).map(str::to_string)
    }
    fn err(&mut self, col: &str, value: &str, message: impl Into<String>) {
        let column = self.cols.get(col).map(|c| c.1.clone()).unwrap_or_else(|| col.to_string());
        self.errors.push(RowError { row: self.row, column, value: value.to_string(), message: message.into() });
    }
    fn required(&mut self, col: &str) -> Option<String> {
        let v = self.text(col);
        if v.is_none() {
            self.err(col, "", "is empty; every row needs it");
        }
        v
    }
    fn read<T>(&mut self, col: &str, f: impl Fn(&str) -> Option<T>, what: &str) -> Option<T> {
        let v = self.text(col)?;
        let out = f(&v);
        if out.is_none() {
            self.err(col, &v, format!("not {what}"));
        }
        out
    }
    fn flag(&mut self, col: &str) -> bool {
        self.read(col, parse_yes_no, "yes or no").unwrap_or(false)
    }
}

#[allow(clippy::too_many_arguments)]
fn read_row(
    conn: Option<&Connection>,
    lk: &Lookups,
    cells: &mut Cells,
    unmapped: &[(usize, String)],
    now_s: &str,
    doc_cols: bool,
) -> Result<Option<RowReferral>> {
    let mut r = Referral { created_at: now_s.to_string(), updated_at: now_s.to_string(), ..Default::default() };
    let client = cells.required("Client ID");
    let name = cells.required("Client Name");
    let team = match cells.text("Team") {
        Some(_) => cells.read("Team", Team::parse, "a referring team (ACT, STP or KEaH)"),
        None => {
            cells.required("Team");
            None
        }
    };
    let received = match cells.text("Received") {
        Some(_) => cells.read("Received", read_instant, "a date (23/11/2026, 2026-11-23 or 23/11/2026 14:05)"),
        None => {
            cells.required("Received");
            None
        }
    };
    let start = match cells.text("Requested Start") {
        Some(_) => cells.read("Requested Start", read_date, "a date (23/11/2026 or 2026-11-23)"),
        None => {
            cells.required("Requested Start");
            None
        }
    };
    let calls = match cells.text("Calls Per Day") {
        Some(_) => cells.read("Calls Per Day", read_count, "a whole number of calls"),
        None => {
            cells.required("Calls Per Day");
            None
        }
    };
    let minutes = match cells.text("Minutes Per Call") {
        Some(_) => cells.read("Minutes Per Call", parse_call_minutes, "minutes (30, 30 mins or 0:30)"),
        None => {
            cells.required("Minutes Per Call");
            None
        }
    };
    let hours = cells.read("Hours Per Week", parse_hours_to_minutes, "hours (12.5 or 12:30)");
    r.double_handed = cells.flag("Double Handed");
    r.lives_alone = cells.flag("Lives Alone");
    r.known_to_act = cells.flag("Known To ACT");
    r.hospital_discharge = cells.flag("Hospital Discharge");
    r.in_keah = cells.flag("In KEaH");
    r.recent_keah = cells.flag("Recent KEaH");
    r.bypass_keah = cells.flag("Bypass KEaH");
    r.dementia = cells.flag("Dementia");
    r.funding = cells
        .read("Funding", Funding::parse, "a funding type (KCC, Self Funder, CHC, Other LA)")
        .map(|f| f.as_str().to_string());
    let status = match cells.raw("Status") {
        Some(s) => match read_status(s) {
            Some(st) => st,
            None => {
                let v = s.to_string();
                cells.err("Status", &v, format!("not a status hcp knows; use one of: {}", sheet::STATUS_FORMS));
                State::Waiting
            }
        },
        None => State::Waiting,
    };
    let provider = match cells.text("Provider") {
        Some(p) => match lk.providers.get(&fold(&p)) {
            Some(x) => Some(*x),
            None => {
                cells.err("Provider", &p, "not a known provider; add it first with `hcp provider add`");
                None
            }
        },
        None => None,
    };
    let offered_at = cells.read("Offered At", read_instant, "a date or date and time");
    let actual_start = cells.read("Start Date", read_date, "a date");
    let _review = cells.read("Review Date", read_date, "a date");
    r.referrer = cells.text("Referrer").unwrap_or_default();
    r.referrer_email = cells.text("Referrer Email");
    r.risk = cells.text("Risk");
    r.time_critical = cells.text("Time Critical");
    // Documents: complete unless the file says otherwise (SPEC §12).
    let mut docs: BTreeSet<Item> =
        if cells.cols.contains_key("Documents") { BTreeSet::new() } else { Item::DOCUMENTS.iter().copied().collect() };
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
    r.docs = docs.iter().map(|i| i.as_str()).collect::<Vec<_>>().join(",");
    // Unmapped columns are kept in the notes, never dropped.
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
    r.notes = Some(notes).filter(|n| !n.is_empty());
    let cluster = match cells.text("Cluster") {
        Some(c) => match lk.clusters.get(&fold(&c)) {
            Some(id) => Some(*id),
            None => {
                cells.err("Cluster", &c, "not a known cluster (`hcp cluster list`)");
                None
            }
        },
        None => None,
    };
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
    r.team = team.as_str().to_string();
    r.received_at = store_instant(received);
    r.start_date = start.to_string();
    r.calls_per_day = calls;
    r.minutes_per_call = minutes;
    r.hours_given = hours.is_some();
    r.weekly_minutes = hours.unwrap_or(calls * minutes * 7);
    if let Some(pc) = cells.text("Postcode") {
        let norm = normalise_postcode(&pc).unwrap_or(pc);
        let place = lk.place(conn, &norm)?;
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
    r.confirmed_start = actual_start.map(|d| d.to_string());
    Ok(Some(RowReferral { r, status, provider, offered_at }))
}

/// Set state, list date and placement from the row's status; run the completeness check.
fn settle(row: &mut RowReferral, rules: &Rules) {
    let r = &mut row.r;
    let listed = matches!(row.status, State::Incomplete | State::Waiting | State::Offered | State::Considering);
    r.state = State::Incomplete.as_str().into();
    r.list_date = None;
    let received = crate::domain::dates::load_instant(&r.received_at).unwrap_or_default();
    let missing = recheck(r, rules, received);
    if listed {
        if missing.is_empty() && row.status != State::Waiting && row.status != State::Incomplete {
            r.state = row.status.as_str().into();
        }
    } else {
        r.state = row.status.as_str().into();
    }
    if matches!(row.status, State::Accepted | State::Confirmed | State::Active) {
        if let Some((pid, kind, exc)) = row.provider {
            r.provider_id = Some(pid);
            r.placement_type = Some(placement(kind, exc).into());
            r.accepted_at = Some(store_instant(row.offered_at.unwrap_or(received)));
        }
    }
}

fn placement(kind: ProviderType, exceptions_list: bool) -> &'static str {
    match (kind, exceptions_list) {
        (ProviderType::Contracted, _) => "contract",
        (_, true) => "exception",
        _ => "indi",
    }
}

/// The offer a status implies (offered, considering, tentative, accepted and on).
fn implied_offer(tx: &Connection, lk: &Lookups, row: &RowReferral, referral_id: i64) -> Result<Option<i64>> {
    let state = State::parse(&row.r.state).unwrap_or(State::Waiting);
    let response = match state {
        State::Offered => None,
        State::Considering => Some(Response::Considering),
        State::Tentative => Some(Response::Tentative),
        State::Accepted | State::Confirmed | State::Active => Some(Response::Accept),
        _ => return Ok(None),
    };
    let Some((pid, kind, exc)) = row.provider else {
        return Ok(None);
    };
    let at =
        row.offered_at.unwrap_or_else(|| crate::domain::dates::load_instant(&row.r.received_at).unwrap_or_default());
    let tier = match (kind, row.r.cluster_id) {
        (ProviderType::NonContracted, _) => Tier::NonContracted,
        (_, Some(c)) if lk.clustered.contains(&(c, pid)) => Tier::Clustered,
        _ => Tier::OtherContracted,
    };
    let (at_s, deadline_s) = (store_instant(at), store_instant(response_deadline(at)));
    let id = offers::insert(
        tx,
        &NewOffer {
            referral_id,
            provider_id: pid,
            tier: tier.as_str(),
            placement_type: placement(kind, exc),
            offered_at: &at_s,
            deadline: &deadline_s,
            override_reason: None,
            offered_by: "import",
        },
    )?;
    if let Some(resp) = response {
        tx.execute(
            "UPDATE offers SET response = ?2, responded_at = ?3 WHERE id = ?1",
            rusqlite::params![id, resp.as_str(), at_s],
        )?;
    }
    Ok(Some(id))
}

/// One row's outcome: its index, and the referral read (checked and settled) or its errors.
type Parsed = (usize, Result<std::result::Result<RowReferral, Vec<RowError>>>);

/// Everything reading a row needs; shared with the reader thread for large files.
struct RowContext<'a> {
    lk: &'a Lookups,
    cols: &'a FxHashMap<&'static str, (usize, String)>,
    unmapped: &'a [(usize, String)],
    now_s: &'a str,
    doc_cols: bool,
    rules: &'a Rules,
}

impl RowContext<'_> {
    fn parse(&self, conn: Option<&Connection>, i: usize, rec: &csv::StringRecord) -> Parsed {
        let mut cells = Cells { row: i + 2, rec, cols: self.cols, errors: Vec::new() };
        let out = read_row(conn, self.lk, &mut cells, self.unmapped, self.now_s, self.doc_cols).map(|row| match row {
            Some(mut row) => {
                settle(&mut row, self.rules);
                Ok(row)
            }
            None => Err(cells.errors),
        });
        (i, out)
    }
}

pub fn run(ctx: &mut Ctx, args: Args) -> Outcome {
    let text = read_text(&args.file, args.encoding.as_deref())?;
    let map = match &args.map {
        Some(p) => load_map(p)?,
        None => HashMap::new(),
    };
    let delimiter = sheet::detect_delimiter(&text);
    let mut rdr = csv::ReaderBuilder::new().delimiter(delimiter).flexible(true).from_reader(text.as_bytes());
    let headers = rdr
        .headers()
        .map_err(|e| UserError::new(format!("{} is not a CSV file hcp can read: {e}", args.file.display())))?
        .clone();
    let mut cols: FxHashMap<&'static str, (usize, String)> = FxHashMap::default();
    let mut unmapped = Vec::new();
    for (i, h) in headers.iter().enumerate() {
        let h = h.trim();
        match match_header(h, &map) {
            Some(c) if !cols.contains_key(c) => {
                cols.insert(c, (i, h.to_string()));
            }
            _ if h.is_empty() => {}
            _ => unmapped.push((i, h.to_string())),
        }
    }
    let needed = ["Client ID", "Client Name", "Received"];
    if needed.iter().all(|c| !cols.contains_key(c)) {
        return Err(UserError::new(format!(
            "{} does not look like a Packages spreadsheet: none of its columns is Client ID, Client Name or Received (found: {})",
            args.file.display(),
            headers.iter().take(8).collect::<Vec<_>>().join(", ")
        ))
        .hint("export the Packages sheet as CSV with its header row, or name the columns in a mapping file (--map)")
        .into());
    }
    let doc_cols = [
        "Financial Authorisation",
        "Referral Form",
        "Charging Letter",
        "AIS Updated",
        "BICA",
        "Final Review",
        "Risk Assessment",
        "TM Approval",
    ]
    .iter()
    .any(|c| cols.contains_key(c));
    let records: Vec<csv::StringRecord> = {
        let mut out = Vec::new();
        for (i, rec) in rdr.records().enumerate() {
            match rec {
                Ok(r) => out.push(r),
                Err(e) => {
                    return Err(UserError::new(format!(
                        "{}: row {} cannot be read as CSV: {e}",
                        args.file.display(),
                        i + 2
                    ))
                    .hint("check the file is a CSV export (quotes balanced)")
                    .into())
                }
            }
        }
        out
    };
    if records.is_empty() {
        return Err(UserError::new(format!("{} has a header row but no packages", args.file.display())).into());
    }
    let rules = ctx.rules()?;
    let (now_s, user, json) = (ctx.now_str(), ctx.user.clone(), ctx.json);
    let show_progress = ctx.stdout_is_terminal && !json && records.len() > 2000;
    let file_name = args.file.display().to_string();
    let store = ctx.store()?;
    let tx = store.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let mut lk = Lookups::load(&tx)?;
    // Existing referrals by client id + received date; and which have offers made in hcp.
    let mut existing: HashMap<(String, NaiveDate), i64> = HashMap::new();
    {
        let mut s = tx.prepare("SELECT id, client_id, received_at FROM referrals")?;
        for r in s.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?)))? {
            let (id, c, at) = r?;
            if let Some(t) = crate::domain::dates::load_instant(&at) {
                existing.insert((c, london_date(t)), id);
            }
        }
    }
    let worked: HashSet<i64> = {
        let mut s = tx.prepare("SELECT DISTINCT referral_id FROM offers WHERE offered_by <> 'import'")?;
        let ids = s.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?;
        ids
    };
    let bar = show_progress.then(|| {
        let b = indicatif::ProgressBar::new(records.len() as u64);
        b.set_style(
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} rows {elapsed}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        b
    });
    let mut sum = Summary {
        dry_run: args.dry_run,
        unmapped_columns: unmapped.iter().map(|u| u.1.clone()).collect(),
        ..Default::default()
    };
    if cols.contains_key("Review Date") {
        sum.warnings.push("the Review Date column is read and checked but not stored: hcp sets review dates itself when a placement is confirmed".into());
    }
    if records.len() > 2000 {
        lk.preload_postcodes(&tx)?;
    }
    tx.execute_batch("PRAGMA cache_size = -65536")?;
    let mut new_ids: Option<(i64, i64)> = None;
    let mut inserter = referrals::Inserter::new(&tx)?;
    let ctx_row = RowContext { lk: &lk, cols: &cols, unmapped: &unmapped, now_s: &now_s, doc_cols, rules: &rules };
    // Large files: a second thread reads and checks rows while this one writes them.
    let (sender, receiver) = std::sync::mpsc::sync_channel::<Vec<Parsed>>(16);
    let threaded = records.len() > 2000;
    std::thread::scope(|scope| -> Result<()> {
        if threaded {
            let records = &records;
            let ctx_row = &ctx_row;
            scope.spawn(move || {
                for (c, chunk) in records.chunks(512).enumerate() {
                    let parsed =
                        chunk.iter().enumerate().map(|(k, rec)| ctx_row.parse(None, c * 512 + k, rec)).collect();
                    if sender.send(parsed).is_err() {
                        return;
                    }
                }
            });
        } else {
            drop(sender);
        }
        let sequential =
            (!threaded).then(|| records.iter().enumerate().map(|(i, rec)| ctx_row.parse(Some(&tx), i, rec)));
        let mut rows: Box<dyn Iterator<Item = Parsed>> = match sequential {
            Some(it) => Box::new(it),
            None => Box::new(receiver.iter().flatten()),
        };
        for (i, parsed) in &mut rows {
            if let Some(b) = &bar {
                b.inc(1);
            }
            let row = match parsed? {
                Ok(row) => row,
                Err(errors) => {
                    sum.rejected += 1;
                    sum.errors.extend(errors);
                    continue;
                }
            };
            let key = (
                row.r.client_id.clone(),
                london_date(crate::domain::dates::load_instant(&row.r.received_at).unwrap_or_default()),
            );
            match existing.get(&key) {
                None => {
                    let id = inserter.insert(&row.r)?;
                    implied_offer(&tx, &lk, &row, id)?;
                    // New referrals are recorded by the one "packages imported" event below,
                    // linked to their ids (contiguous: this transaction alone inserts referrals).
                    new_ids.get_or_insert((id, id)).1 = id;
                    existing.insert(key, id);
                    sum.new += 1;
                    if row.r.state == "incomplete" {
                        sum.incomplete += 1;
                    }
                }
                Some(&id) => {
                    let Some(before) = referrals::get(&tx, id)? else {
                        continue;
                    };
                    let mut r = row.r.clone();
                    r.id = id;
                    r.created_at = before.created_at.clone();
                    r.updated_at = before.updated_at.clone();
                    r.parent_id = before.parent_id;
                    let hcp_worked = worked.contains(&id);
                    if hcp_worked {
                        // hcp's own record of the placement wins over the spreadsheet's status.
                        r.state = before.state.clone();
                        r.list_date = before.list_date.clone();
                        r.provider_id = before.provider_id;
                        r.placement_type = before.placement_type.clone();
                        r.accepted_at = before.accepted_at.clone();
                        r.missing = before.missing.clone();
                    }
                    // Keep what only hcp records.
                    r.confirmed_at = before.confirmed_at.clone();
                    r.sdo_due = before.sdo_due.clone();
                    r.sdo_sent_at = before.sdo_sent_at.clone();
                    r.fa_due = before.fa_due.clone();
                    r.fa_done_at = before.fa_done_at.clone();
                    r.cancel_reason = before.cancel_reason.clone();
                    r.provider_ref = before.provider_ref.clone();
                    r.call_times = before.call_times.clone();
                    r.indi_completed_at = before.indi_completed_at.clone();
                    r.handback = before.handback;
                    r.date_of_birth = before.date_of_birth.clone();
                    r.address = before.address.clone();
                    r.next_of_kin = before.next_of_kin.clone();
                    r.estimated_weekly_pence = before.estimated_weekly_pence;
                    r.enablement_ended = before.enablement_ended.clone();
                    r.authorised_weekly_pence = before.authorised_weekly_pence;
                    match referrals::diff(&before, &r) {
                        None => sum.unchanged += 1,
                        Some((b, a)) => {
                            r.updated_at = now_s.clone();
                            referrals::update(&tx, &r)?;
                            if !hcp_worked && r.state != before.state {
                                implied_offer(&tx, &lk, &RowReferral { r: r.clone(), ..row }, id)?;
                            }
                            Event::new("referral updated by import", "referral", &now_s, &now_s, &user)
                                .on(Some(id), Some(id))
                                .details(json!({ "file": file_name, "row": i + 2 }))
                                .change(Some(b), Some(a))
                                .append(&tx)?;
                            sum.updated += 1;
                            if r.state == "incomplete" {
                                sum.incomplete += 1;
                            }
                        }
                    }
                }
            }
        }
        Ok(())
    })?;
    drop(inserter);
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let strict_fail = args.strict && sum.rejected > 0;
    if !args.dry_run && !strict_fail && (sum.new + sum.updated) > 0 {
        let event_id = Event::new("packages imported", "import", &now_s, &now_s, &user)
            .details(json!({
                "file": file_name, "new": sum.new, "updated": sum.updated, "unchanged": sum.unchanged,
                "rejected": sum.rejected, "first_id": new_ids.map(|n| n.0), "last_id": new_ids.map(|n| n.1),
            }))
            .append(&tx)?;
        if let Some((first, last)) = new_ids {
            events::link_batch(&tx, event_id, first, last)?;
        }
        tx.commit()?;
    } else {
        tx.rollback()?;
    }
    if strict_fail {
        let mut e = UserError::new(format!(
            "{} bad row{} in {}; --strict imports nothing",
            sum.rejected,
            if sum.rejected == 1 { "" } else { "s" },
            file_name
        ));
        for r in sum.errors.iter().take(20) {
            e = e.hint(r.to_string());
        }
        if json {
            output::json(&sum);
        }
        return Err(e.into());
    }
    if json {
        output::json(&sum);
    } else {
        println!(
            "{}{} new ({} incomplete), {} updated, {} unchanged, {} rejected.",
            if args.dry_run { "Dry run (nothing written): " } else { "" },
            sum.new,
            sum.incomplete,
            sum.updated,
            sum.unchanged,
            sum.rejected
        );
        for e in &sum.errors {
            eprintln!("{e}");
        }
        if !sum.unmapped_columns.is_empty() {
            eprintln!("warning: columns kept in the notes (not recognised): {}", sum.unmapped_columns.join(", "));
        }
        for w in &sum.warnings {
            eprintln!("warning: {w}");
        }
    }
    Ok(if sum.rejected > 0 { Exit::Incomplete } else { Exit::Done })
}
