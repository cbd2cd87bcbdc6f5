//! `hcp import packages FILE.csv`: move a team off its Packages spreadsheet (SPEC §12).
//!
//! The row reader is `io::packages_row`; how a row becomes a referral (status, re-import merge)
//! is `domain::import`; lookups and implied offers are `store::import`.

use super::rows::{each_row, RowContext, Writer};
use super::{read_text, RowError};
use crate::cli::ctx::Ctx;
use crate::cli::{output, Exit, Outcome};
use crate::domain::import::SheetColumns;
use crate::error::UserError;
use crate::io::files;
use crate::io::packages::{self as sheet, match_header, normalise_header};
use crate::store::{import, referrals};
use anyhow::Result;
use rustc_hash::FxHashMap;
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
    /// The CSV file.
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
    /// Write the rejected rows, as they were, with the reason, to this CSV file (so nothing
    /// from the sheet silently disappears).
    #[arg(long, value_name = "FILE")]
    pub rejects: Option<std::path::PathBuf>,
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

/// The sheet as read: its rows and how its columns map onto hcp's.
pub struct Sheet {
    pub headers: csv::StringRecord,
    pub records: Vec<csv::StringRecord>,
    pub cols: FxHashMap<&'static str, (usize, String)>,
    pub unmapped: Vec<(usize, String)>,
    /// The file has a column per document.
    pub doc_cols: bool,
}

/// No cell of a Packages sheet comes near this.
const MAX_CELL_BYTES: usize = 64 * 1024;

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
    let columns = text.lines().next().map(|l| l.matches(delimiter as char).count() + 1).unwrap_or(1);
    if let Some(row) = sheet::unbalanced_quote(&text, delimiter, columns) {
        return Err(UserError::new(format!(
            "{}: row {row} opens a quote (\") that is not closed where the cell ends, so it runs into the rows after it",
            args.file.display()
        ))
        .hint(format!("correct row {row} in the spreadsheet (or remove the stray quote) and export it again"))
        .into());
    }
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
        let rec = rec.map_err(|e| {
            UserError::new(format!("{}: row {} cannot be read as CSV: {e}", args.file.display(), i + 2))
                .hint("check the file is a CSV export (quotes balanced)")
        })?;
        if let Some(big) = rec.iter().find(|cell| cell.len() > MAX_CELL_BYTES) {
            return Err(UserError::new(format!(
                "{}: row {} has a cell of {} KB; a Packages cell is never that large",
                args.file.display(),
                i + 2,
                big.len() / 1024
            ))
            .hint("is it the right file? Export the Packages sheet as CSV")
            .into());
        }
        records.push(rec);
    }
    if records.is_empty() {
        return Err(UserError::new(format!("{} has a header row but no packages", args.file.display())).into());
    }
    let doc_cols = DOCUMENT_COLUMNS.iter().any(|c| cols.contains_key(c));
    Ok(Sheet { headers, records, cols, unmapped, doc_cols })
}

/// The rejected rows as they were, each with why, for the team to correct and import again.
fn write_rejects(path: &std::path::Path, db: &std::path::Path, sheet: &Sheet, sum: &Summary) -> Result<()> {
    let mut why: std::collections::BTreeMap<usize, Vec<String>> = Default::default();
    for e in &sum.errors {
        why.entry(e.row).or_default().push(format!("{}: {} ({})", e.column, e.message, e.value));
    }
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new());
    w.write_record(sheet.headers.iter().chain(["Rejected because"]))?;
    for (row, reasons) in &why {
        if let Some(rec) = sheet.records.get(row.saturating_sub(2)) {
            w.write_record(rec.iter().map(str::to_string).chain([reasons.join("; ")]))?;
        }
    }
    let bytes = w.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?;
    files::write_private(&files::Target { path: path.to_path_buf(), force: false }, db, &bytes)?;
    Ok(())
}

pub fn run(ctx: &mut Ctx, args: Args) -> Outcome {
    if let Some(p) = &args.rejects {
        files::check(&files::Target { path: p.clone(), force: false }, &ctx.db_path)?;
    }
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
    let review_dates = sheet
        .cols
        .get("Review Date")
        .is_some_and(|(i, _)| sheet.records.iter().any(|r| r.get(*i).is_some_and(|c| !c.trim().is_empty())));
    if review_dates {
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
            let mut layout: Vec<(usize, String, String)> =
                sheet.cols.iter().map(|(c, (i, h))| (*i, c.to_string(), h.clone())).collect();
            layout.sort();
            import::remember_layout(tx, &layout.into_iter().map(|(_, c, h)| (c, h)).collect::<Vec<_>>())?;
            return Ok((w.finish()?, true));
        }
        Ok((w.sum, false))
    })?;
    if let (Some(p), true) = (&args.rejects, sum.rejected > 0) {
        write_rejects(p, &ctx.db_path, &sheet, &sum)?;
        if !json {
            eprintln!(
                "The {} rejected row{} are in {}.",
                sum.rejected,
                if sum.rejected == 1 { "" } else { "s" },
                p.display()
            );
        }
    }
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
    if sum.rejected > 0 && sum.new + sum.updated + sum.unchanged == 0 {
        if json {
            output::json(sum);
        }
        let mut e =
            UserError::new(format!("no row of {file_name} could be imported: all {} were rejected", sum.rejected));
        for r in sum.errors.iter().take(20) {
            e = e.hint(r.to_string());
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
