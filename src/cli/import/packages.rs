//! `hcp import packages FILE.csv`: move a team off its Packages spreadsheet (SPEC §12).
//!
//! The row reader is `io::packages_row`; how a row becomes a referral (status, re-import merge)
//! is `domain::import`; lookups and implied offers are `store::import`.

use super::rows::{each_row, Rejected, RowContext, Writer};
use super::RowError;
use crate::cli::ctx::Ctx;
use crate::cli::{output, Exit, Outcome};
use crate::domain::import::SheetColumns;
use crate::error::UserError;
use crate::io::files;
use crate::io::packages::{self as sheet, match_header, normalise_header};
use crate::io::source::Source;
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

/// The sheet's header as read: how its columns map onto hcp's. Its rows are read as a stream.
pub struct Sheet {
    pub headers: csv::StringRecord,
    pub cols: FxHashMap<&'static str, (usize, String)>,
    pub unmapped: Vec<(usize, String)>,
    /// The file has a column per document.
    pub doc_cols: bool,
}

/// The rows, read as the import goes.
pub type Rows = csv::Reader<Box<dyn std::io::Read + Send>>;

/// No cell of a Packages sheet comes near this.
pub const MAX_CELL_BYTES: usize = 64 * 1024;

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

/// Open the file, check it (encoding, quotes) and read its header; the rows follow.
fn open_sheet(args: &Args) -> Result<(Sheet, Rows, u64)> {
    let src = Source::open(&args.file, args.encoding.as_deref())?;
    let map = match &args.map {
        Some(p) => load_map(p)?,
        None => HashMap::new(),
    };
    if let Some(row) = src.unbalanced_quote()? {
        return Err(UserError::new(format!(
            "{}: row {row} opens a quote (\") that is not closed where the cell ends, so it runs into the rows after it",
            args.file.display()
        ))
        .hint(format!("correct row {row} in the spreadsheet (or remove the stray quote) and export it again"))
        .into());
    }
    let mut rdr = csv::ReaderBuilder::new().delimiter(src.delimiter()).flexible(true).from_reader(src.reader()?);
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
    let doc_cols = DOCUMENT_COLUMNS.iter().any(|c| cols.contains_key(c));
    Ok((Sheet { headers, cols, unmapped, doc_cols }, rdr, src.size))
}

/// The rejected rows as they were, each with why, for the team to correct and import again.
fn write_rejects(path: &std::path::Path, db: &std::path::Path, sheet: &Sheet, rejected: &[Rejected]) -> Result<()> {
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new());
    w.write_record(sheet.headers.iter().chain(["Rejected because"]))?;
    for r in rejected {
        let why: Vec<String> = r.errors.iter().map(|e| format!("{}: {} ({})", e.column, e.message, e.value)).collect();
        w.write_record(r.record.iter().map(str::to_string).chain([why.join("; ")]))?;
    }
    let bytes = w.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?;
    files::write_private(&files::Target { path: path.to_path_buf(), force: false }, db, &bytes)?;
    Ok(())
}

/// A file this size or larger is read on a second thread, with every postcode loaded at once
/// and a progress bar on a terminal (about 1,000 rows).
const LARGE_BYTES: u64 = 256 * 1024;

pub fn run(ctx: &mut Ctx, args: Args) -> Outcome {
    if let Some(p) = &args.rejects {
        files::check(&files::Target { path: p.clone(), force: false }, &ctx.db_path)?;
    }
    let (sheet, rows, size) = open_sheet(&args)?;
    let rules = ctx.rules()?;
    let (now, now_s, user, json) = (ctx.now, ctx.now_str(), ctx.user.clone(), ctx.json);
    let large = size >= LARGE_BYTES;
    let show_progress = ctx.stdout_is_terminal && !json && large;
    let file_name = args.file.display().to_string();
    let sum = Summary {
        dry_run: args.dry_run,
        unmapped_columns: sheet.unmapped.iter().map(|u| u.1.clone()).collect(),
        ..Default::default()
    };
    let sheet_cols = SheetColumns {
        present: sheet.cols.keys().copied().collect(),
        documents: sheet.doc_cols || sheet.cols.contains_key("Documents"),
        unmapped: !sheet.unmapped.is_empty(),
    };
    let store = ctx.store()?;
    let (sum, rejected) = store.write_if(|tx| {
        let lk = import::lookups(tx)?;
        let postcodes = if large { Some(import::all_postcode_places(tx)?) } else { None };
        import::tune_for_bulk(tx)?;
        let ctx_row = RowContext {
            lk: &lk,
            postcodes: postcodes.as_ref(),
            cols: &sheet.cols,
            unmapped: &sheet.unmapped,
            now,
            doc_cols: sheet.doc_cols,
            rules: &rules,
            file_name: &file_name,
        };
        let mut w = Writer {
            tx,
            lk: &lk,
            sheet_cols,
            inserter: referrals::Inserter::new(tx)?,
            new_ids: None,
            sum,
            rejected: args.rejects.is_some().then(Vec::new),
            now,
            now_s: now_s.clone(),
            user: &user,
            file_name: &file_name,
        };
        let bar = show_progress.then(|| progress_bar(size));
        let read = each_row(tx, rows, large, &ctx_row, bar.as_ref(), |parsed| w.write(parsed))?;
        if let Some(b) = bar {
            b.finish_and_clear();
        }
        if read.rows == 0 {
            return Err(UserError::new(format!("{file_name} has a header row but no packages")).into());
        }
        if read.review_dates {
            w.sum.warnings.insert(0, "the Review Date column is read and checked but not stored: hcp sets review dates itself when a placement is confirmed".into());
        }
        let rejected = w.rejected.take().unwrap_or_default();
        let strict_fail = args.strict && w.sum.rejected > 0;
        let commit = !args.dry_run && !strict_fail && (w.sum.new + w.sum.updated) > 0;
        if commit {
            let mut layout: Vec<(usize, String, String)> =
                sheet.cols.iter().map(|(c, (i, h))| (*i, c.to_string(), h.clone())).collect();
            layout.sort();
            import::remember_layout(tx, &layout.into_iter().map(|(_, c, h)| (c, h)).collect::<Vec<_>>())?;
            return Ok(((w.finish()?, rejected), true));
        }
        Ok(((w.sum, rejected), false))
    })?;
    if let (Some(p), true) = (&args.rejects, sum.rejected > 0) {
        write_rejects(p, &ctx.db_path, &sheet, &rejected)?;
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

fn progress_bar(bytes: u64) -> indicatif::ProgressBar {
    let b = indicatif::ProgressBar::new(bytes);
    b.set_style(
        indicatif::ProgressStyle::with_template("{bar:40} {bytes}/{total_bytes} {elapsed}")
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
