//! `hcp import packages FILE.csv`: move a team off its Packages spreadsheet (SPEC §12).
//!
//! The row reader is `io::packages_row`; how a row becomes a referral (status, re-import merge)
//! is `domain::import`; lookups and implied offers are `store::import`.

use super::{read_text, RowError};
use crate::cli::ctx::{Ctx, Rules};
use crate::cli::{output, Exit, Outcome};
use crate::domain::dates::london_date;
use crate::domain::import::{merge, settle, SheetColumns, SheetRow};
use crate::domain::model::State;
use crate::error::UserError;
use crate::io::packages::{self as sheet, match_header, normalise_header};
use crate::io::packages_row::{read_row, Cells, Lookups};
use crate::store::events::{self, Event};
use crate::store::{import, referrals};
use anyhow::Result;
use chrono::{DateTime, Utc};
use rusqlite::Connection;
use rustc_hash::FxHashMap;
use serde_json::json;
use std::collections::HashMap;

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

/// One row's outcome: its index, and the referral read (checked and settled) or its errors.
type Parsed = (usize, Result<std::result::Result<SheetRow, Vec<RowError>>>);

/// Everything reading a row needs; shared with the reader thread for large files.
struct RowContext<'a> {
    lk: &'a Lookups,
    /// Every Kent postcode's place, for a large file; else each is looked up.
    postcodes: Option<&'a HashMap<String, (String, i64)>>,
    cols: &'a FxHashMap<&'static str, (usize, String)>,
    unmapped: &'a [(usize, String)],
    now: DateTime<Utc>,
    doc_cols: bool,
    rules: &'a Rules,
}

impl RowContext<'_> {
    fn parse(&self, conn: Option<&Connection>, i: usize, rec: &csv::StringRecord) -> Parsed {
        let mut cells = Cells { row: i + 2, rec, cols: self.cols, errors: Vec::new() };
        let place = |pc: &str| -> Result<Option<(String, i64)>> {
            match (self.postcodes, conn) {
                (Some(all), _) => Ok(all.get(pc).cloned()),
                (None, Some(conn)) => import::postcode_place(conn, pc),
                (None, None) => Ok(None),
            }
        };
        let out = read_row(&place, self.lk, &mut cells, self.unmapped, self.now, self.doc_cols).map(|row| match row {
            Some(mut row) => {
                settle(&mut row, self.rules);
                Ok(row)
            }
            None => Err(cells.errors),
        });
        (i, out)
    }
}

/// The sheet as read: its rows and how its columns map onto hcp's.
struct Sheet {
    records: Vec<csv::StringRecord>,
    cols: FxHashMap<&'static str, (usize, String)>,
    unmapped: Vec<(usize, String)>,
    /// The file has a column per document.
    doc_cols: bool,
}

const DOCUMENT_COLUMNS: [&str; 8] = [
    "Financial Authorisation",
    "Referral Form",
    "Charging Letter",
    "AIS Updated",
    "BICA",
    "Final Review",
    "Risk Assessment",
    "TM Approval",
];

fn read_sheet(args: &Args) -> Result<Sheet> {
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
    if ["Client ID", "Client Name", "Received"].iter().all(|c| !cols.contains_key(c)) {
        return Err(UserError::new(format!(
            "{} does not look like a Packages spreadsheet: none of its columns is Client ID, Client Name or Received (found: {})",
            args.file.display(),
            headers.iter().take(8).collect::<Vec<_>>().join(", ")
        ))
        .hint("export the Packages sheet as CSV with its header row, or name the columns in a mapping file (--map)")
        .into());
    }
    let mut records = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        records.push(rec.map_err(|e| {
            UserError::new(format!("{}: row {} cannot be read as CSV: {e}", args.file.display(), i + 2))
                .hint("check the file is a CSV export (quotes balanced)")
        })?);
    }
    if records.is_empty() {
        return Err(UserError::new(format!("{} has a header row but no packages", args.file.display())).into());
    }
    let doc_cols = DOCUMENT_COLUMNS.iter().any(|c| cols.contains_key(c));
    Ok(Sheet { records, cols, unmapped, doc_cols })
}

/// Read and check every row, in order, handing each to `write`. Large files: a second thread
/// reads and checks rows while this one writes them.
fn each_row(
    tx: &Connection,
    sheet: &Sheet,
    ctx_row: &RowContext,
    mut write: impl FnMut(Parsed) -> Result<()>,
) -> Result<()> {
    let records = &sheet.records;
    if records.len() <= 2000 {
        for (i, rec) in records.iter().enumerate() {
            write(ctx_row.parse(Some(tx), i, rec))?;
        }
        return Ok(());
    }
    let (sender, receiver) = std::sync::mpsc::sync_channel::<Vec<Parsed>>(16);
    std::thread::scope(|scope| -> Result<()> {
        scope.spawn(move || {
            for (c, chunk) in records.chunks(512).enumerate() {
                let parsed = chunk.iter().enumerate().map(|(k, rec)| ctx_row.parse(None, c * 512 + k, rec)).collect();
                if sender.send(parsed).is_err() {
                    return;
                }
            }
        });
        for parsed in receiver.iter().flatten() {
            write(parsed)?;
        }
        Ok(())
    })
}

/// What writing rows keeps track of.
struct Writer<'a> {
    tx: &'a Connection,
    lk: &'a Lookups,
    existing: HashMap<(String, chrono::NaiveDate), i64>,
    worked: std::collections::HashSet<i64>,
    sheet_cols: SheetColumns,
    inserter: referrals::Inserter<'a>,
    new_ids: Option<(i64, i64)>,
    sum: Summary,
    now: DateTime<Utc>,
    now_s: String,
    user: &'a str,
    file_name: &'a str,
}

impl Writer<'_> {
    fn write(&mut self, (i, parsed): Parsed) -> Result<()> {
        let row = match parsed? {
            Ok(row) => row,
            Err(errors) => {
                self.sum.rejected += 1;
                self.sum.errors.extend(errors);
                return Ok(());
            }
        };
        let key = (row.r.client_id.clone(), london_date(row.r.received_at));
        match self.existing.get(&key) {
            None => {
                let id = self.inserter.insert(&row.r)?;
                import::insert_implied_offer(self.tx, self.lk, &row, &row.r, id)?;
                // New referrals are recorded by the one "packages imported" event, linked to
                // their ids (contiguous: this transaction alone inserts referrals).
                self.new_ids.get_or_insert((id, id)).1 = id;
                self.existing.insert(key, id);
                self.sum.new += 1;
                self.sum.incomplete += usize::from(row.r.state == State::Incomplete);
            }
            Some(&id) => self.update(i, id, &row)?,
        }
        Ok(())
    }

    /// A row already imported: only the columns the file has change (`domain::import::merge`).
    fn update(&mut self, i: usize, id: i64, row: &SheetRow) -> Result<()> {
        let Some(before) = referrals::get(self.tx, id)? else {
            return Ok(());
        };
        let hcp_worked = self.worked.contains(&id);
        let mut r = merge(&before, &row.r, &self.sheet_cols, hcp_worked);
        let Some((b, a)) = referrals::diff(&before, &r) else {
            self.sum.unchanged += 1;
            return Ok(());
        };
        r.updated_at = self.now;
        referrals::update(self.tx, &r)?;
        if !hcp_worked && r.state != before.state {
            import::insert_implied_offer(self.tx, self.lk, row, &r, id)?;
        }
        Event::new("referral updated by import", "referral", &self.now_s, &self.now_s, self.user)
            .on(Some(id), Some(id))
            .details(json!({ "file": self.file_name, "row": i + 2 }))
            .change(Some(b), Some(a))
            .append(self.tx)?;
        self.sum.updated += 1;
        self.sum.incomplete += usize::from(r.state == State::Incomplete);
        Ok(())
    }

    /// The one event for the whole import.
    fn finish(self) -> Result<Summary> {
        let sum = self.sum;
        let event_id = Event::new("packages imported", "import", &self.now_s, &self.now_s, self.user)
            .details(json!({
                "file": self.file_name, "new": sum.new, "updated": sum.updated, "unchanged": sum.unchanged,
                "rejected": sum.rejected, "first_id": self.new_ids.map(|n| n.0), "last_id": self.new_ids.map(|n| n.1),
            }))
            .append(self.tx)?;
        if let Some((first, last)) = self.new_ids {
            events::link_batch(self.tx, event_id, first, last)?;
        }
        Ok(sum)
    }
}

pub fn run(ctx: &mut Ctx, args: Args) -> Outcome {
    let sheet = read_sheet(&args)?;
    let rules = ctx.rules()?;
    let (now, now_s, user, json) = (ctx.now, ctx.now_str(), ctx.user.clone(), ctx.json);
    let show_progress = ctx.stdout_is_terminal && !json && sheet.records.len() > 2000;
    let file_name = args.file.display().to_string();
    let mut sum = Summary {
        dry_run: args.dry_run,
        unmapped_columns: sheet.unmapped.iter().map(|u| u.1.clone()).collect(),
        ..Default::default()
    };
    if sheet.cols.contains_key("Review Date") {
        sum.warnings.push("the Review Date column is read and checked but not stored: hcp sets review dates itself when a placement is confirmed".into());
    }
    let sheet_cols = SheetColumns {
        present: sheet.cols.keys().copied().collect(),
        documents: sheet.doc_cols || sheet.cols.contains_key("Documents"),
        unmapped: !sheet.unmapped.is_empty(),
    };
    let store = ctx.store()?;
    let sum = store.write_if(|tx| {
        let lk = import::lookups(tx)?;
        let postcodes = if sheet.records.len() > 2000 { Some(import::all_postcode_places(tx)?) } else { None };
        import::tune_for_bulk(tx)?;
        let ctx_row = RowContext {
            lk: &lk,
            postcodes: postcodes.as_ref(),
            cols: &sheet.cols,
            unmapped: &sheet.unmapped,
            now,
            doc_cols: sheet.doc_cols,
            rules: &rules,
        };
        let mut w = Writer {
            tx,
            lk: &lk,
            existing: import::referral_keys(tx)?,
            worked: import::worked_referrals(tx)?,
            sheet_cols,
            inserter: referrals::Inserter::new(tx)?,
            new_ids: None,
            sum,
            now,
            now_s: now_s.clone(),
            user: &user,
            file_name: &file_name,
        };
        let bar = show_progress.then(|| progress_bar(sheet.records.len()));
        each_row(tx, &sheet, &ctx_row, |parsed| {
            if let Some(b) = &bar {
                b.inc(1);
            }
            w.write(parsed)
        })?;
        if let Some(b) = bar {
            b.finish_and_clear();
        }
        let strict_fail = args.strict && w.sum.rejected > 0;
        let commit = !args.dry_run && !strict_fail && (w.sum.new + w.sum.updated) > 0;
        if commit {
            return Ok((w.finish()?, true));
        }
        Ok((w.sum, false))
    })?;
    report(&sum, &args, &file_name, json)
}

fn progress_bar(rows: usize) -> indicatif::ProgressBar {
    let b = indicatif::ProgressBar::new(rows as u64);
    b.set_style(
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} rows {elapsed}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    b
}

/// The summary, and the exit code: 0 all imported, 3 some rows rejected, 1 --strict and a bad row.
fn report(sum: &Summary, args: &Args, file_name: &str, json: bool) -> Outcome {
    if args.strict && sum.rejected > 0 {
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
            output::json(sum);
        }
        return Err(e.into());
    }
    if json {
        output::json(sum);
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
