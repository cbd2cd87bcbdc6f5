//! Reading and writing the Packages sheet's rows: each row read and checked (on a second thread
//! for a large file), then written as a new referral or merged into the one it matches.

use super::packages::{Rows, Summary, MAX_CELL_BYTES};
use super::RowError;
use crate::cli::ctx::Rules;
use crate::domain::dates::london_date;
use crate::domain::import::{merge, settle, SheetColumns, SheetRow};
use crate::domain::model::State;
use crate::error::UserError;
use crate::io::packages_row::{read_row, Cells, Lookups};
use crate::store::events::{self, Event};
use crate::store::{import, referrals};
use anyhow::Result;
use chrono::{DateTime, Utc};
use rusqlite::Connection;
use rustc_hash::FxHashMap;
use serde_json::json;
use std::collections::HashMap;

/// A row that cannot be imported: why, and the row as it was (for `--rejects`).
pub struct Rejected {
    pub errors: Vec<RowError>,
    pub record: csv::StringRecord,
}

/// One row's outcome: its index, and the referral read (checked and settled) or why not.
pub type Parsed = (usize, Result<std::result::Result<SheetRow, Rejected>>);

/// Everything reading a row needs; shared with the reader thread for large files.
pub struct RowContext<'a> {
    pub lk: &'a Lookups,
    /// Every Kent postcode's place, for a large file; else each is looked up.
    pub postcodes: Option<&'a HashMap<String, (String, i64)>>,
    pub cols: &'a FxHashMap<&'static str, (usize, String)>,
    pub unmapped: &'a [(usize, String)],
    pub now: DateTime<Utc>,
    pub doc_cols: bool,
    pub rules: &'a Rules,
    pub file_name: &'a str,
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
            None => Err(Rejected { errors: cells.errors, record: rec.clone() }),
        });
        (i, out)
    }

    /// The next record into `rec` (false at the end): a row that is not CSV, or holds a cell no
    /// Packages sheet has, stops the import.
    fn next(&self, rows: &mut Rows, rec: &mut csv::StringRecord, i: usize) -> Result<bool> {
        let more = rows.read_record(rec).map_err(|e| {
            UserError::new(format!("{}: row {} cannot be read as CSV: {e}", self.file_name, i + 2))
                .hint("check the file is a CSV export (quotes balanced)")
        })?;
        if let Some(big) = rec.iter().find(|cell| cell.len() > MAX_CELL_BYTES) {
            return Err(UserError::new(format!(
                "{}: row {} has a cell of {} KB; a Packages cell is never that large",
                self.file_name,
                i + 2,
                big.len() / 1024
            ))
            .hint("is it the right file? Export the Packages sheet as CSV")
            .into());
        }
        Ok(more)
    }

    /// The row has a Review Date (read and checked, not stored).
    fn has_review_date(&self, rec: &csv::StringRecord) -> bool {
        self.cols.get("Review Date").is_some_and(|(i, _)| rec.get(*i).is_some_and(|c| !c.trim().is_empty()))
    }
}

/// What reading the rows found besides the rows themselves.
#[derive(Debug, Default)]
pub struct Read {
    pub rows: usize,
    pub review_dates: bool,
}

/// Rows read and checked together before they are handed to the writer.
const BATCH: usize = 512;

/// Read and check every row, in order, handing each to `write`; memory does not grow with the
/// file. Large files: a second thread reads and checks rows while this one writes them.
pub fn each_row(
    tx: &Connection,
    mut rows: Rows,
    large: bool,
    ctx_row: &RowContext,
    bar: Option<&indicatif::ProgressBar>,
    mut write: impl FnMut(Parsed) -> Result<()>,
) -> Result<Read> {
    let mut read = Read::default();
    let mut rec = csv::StringRecord::new();
    if !large {
        while ctx_row.next(&mut rows, &mut rec, read.rows)? {
            read.review_dates |= ctx_row.has_review_date(&rec);
            write(ctx_row.parse(Some(tx), read.rows, &rec))?;
            read.rows += 1;
        }
        return Ok(read);
    }
    let (sender, receiver) = std::sync::mpsc::sync_channel::<Result<Vec<Parsed>>>(16);
    std::thread::scope(|scope| -> Result<Read> {
        let reader = scope.spawn(move || loop {
            let mut batch = Vec::with_capacity(BATCH);
            while batch.len() < BATCH {
                match ctx_row.next(&mut rows, &mut rec, read.rows) {
                    Ok(true) => {}
                    Ok(false) => break,
                    Err(e) => {
                        let _ = sender.send(Err(e));
                        return read;
                    }
                }
                read.review_dates |= ctx_row.has_review_date(&rec);
                batch.push(ctx_row.parse(None, read.rows, &rec));
                read.rows += 1;
            }
            if let Some(b) = bar {
                b.set_position(rows.position().byte());
            }
            let last = batch.len() < BATCH;
            if (!batch.is_empty() && sender.send(Ok(batch)).is_err()) || last {
                return read;
            }
        });
        for batch in receiver.iter() {
            for parsed in batch? {
                write(parsed)?;
            }
        }
        reader.join().map_err(|_| anyhow::anyhow!("the row reader stopped unexpectedly"))
    })
}

/// What writing rows keeps track of.
pub struct Writer<'a> {
    pub tx: &'a Connection,
    pub lk: &'a Lookups,
    pub sheet_cols: SheetColumns,
    pub inserter: referrals::Inserter<'a>,
    pub new_ids: Option<(i64, i64)>,
    pub sum: Summary,
    /// The rejected rows as they were, kept only for `--rejects`.
    pub rejected: Option<Vec<Rejected>>,
    pub now: DateTime<Utc>,
    pub now_s: String,
    pub user: &'a str,
    pub file_name: &'a str,
}

impl Writer<'_> {
    pub fn write(&mut self, (i, parsed): Parsed) -> Result<()> {
        let row = match parsed? {
            Ok(row) => row,
            Err(rejected) => {
                self.sum.rejected += 1;
                self.sum.errors.extend(rejected.errors.iter().cloned());
                if let Some(keep) = &mut self.rejected {
                    keep.push(rejected);
                }
                return Ok(());
            }
        };
        // The same client received the same day is the same referral (read from the store, so
        // memory does not grow with the database or the file).
        match import::referral_by_key(self.tx, &row.r.client_id, london_date(row.r.received_at))? {
            None => {
                let id = self.inserter.insert(&row.r)?;
                import::insert_implied_offer(self.tx, self.lk, &row, &row.r, id)?;
                // New referrals are recorded by the one "packages imported" event, linked to
                // their ids (contiguous: this transaction alone inserts referrals).
                self.new_ids.get_or_insert((id, id)).1 = id;
                self.sum.new += 1;
                self.sum.incomplete += usize::from(row.r.state == State::Incomplete);
            }
            Some(id) => self.update(i, id, &row)?,
        }
        Ok(())
    }

    /// A row already imported: only the columns the file has change (`domain::import::merge`).
    fn update(&mut self, i: usize, id: i64, row: &SheetRow) -> Result<()> {
        let Some(before) = referrals::get(self.tx, id)? else {
            return Ok(());
        };
        let hcp_worked = import::worked_in_hcp(self.tx, id)?;
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
    pub fn finish(self) -> Result<Summary> {
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
