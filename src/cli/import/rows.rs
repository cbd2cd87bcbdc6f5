//! Reading and writing the Packages sheet's rows: each row read and checked (on a second thread
//! for a large file), then written as a new referral or merged into the one it matches.

use super::packages::{Sheet, Summary};
use super::RowError;
use crate::cli::ctx::Rules;
use crate::domain::dates::london_date;
use crate::domain::import::{merge, settle, SheetColumns, SheetRow};
use crate::domain::model::State;
use crate::io::packages_row::{read_row, Cells, Lookups};
use crate::store::events::{self, Event};
use crate::store::{import, referrals};
use anyhow::Result;
use chrono::{DateTime, Utc};
use rusqlite::Connection;
use rustc_hash::FxHashMap;
use serde_json::json;
use std::collections::HashMap;

/// One row's outcome: its index, and the referral read (checked and settled) or its errors.
pub type Parsed = (usize, Result<std::result::Result<SheetRow, Vec<RowError>>>);

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

/// Read and check every row, in order, handing each to `write`. Large files: a second thread
/// reads and checks rows while this one writes them.
pub fn each_row(
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
pub struct Writer<'a> {
    pub tx: &'a Connection,
    pub lk: &'a Lookups,
    pub existing: HashMap<(String, chrono::NaiveDate), i64>,
    pub worked: std::collections::HashSet<i64>,
    pub sheet_cols: SheetColumns,
    pub inserter: referrals::Inserter<'a>,
    pub new_ids: Option<(i64, i64)>,
    pub sum: Summary,
    pub now: DateTime<Utc>,
    pub now_s: String,
    pub user: &'a str,
    pub file_name: &'a str,
}

impl Writer<'_> {
    pub fn write(&mut self, (i, parsed): Parsed) -> Result<()> {
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
