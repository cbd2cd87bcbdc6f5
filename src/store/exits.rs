//! Provider exits and their trackers (seed 001): one row per exit, one per affected client.

use super::columns::{self, Col};
use crate::domain::model::ExitType;
use anyhow::Result;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension};

#[derive(Debug, Clone)]
pub struct ProviderExit {
    pub id: i64,
    pub provider_id: i64,
    pub provider: String,
    pub exit_type: ExitType,
    pub notified_at: DateTime<Utc>,
    pub end_date: NaiveDate,
}

/// One client on the tracker.
#[derive(Debug, Clone, Default)]
pub struct TrackerRow {
    pub referral_id: i64,
    pub incoming_provider_id: Option<i64>,
    pub incoming_provider: Option<String>,
    pub contacted_at: Option<DateTime<Utc>>,
    pub sdo_shared_at: Option<DateTime<Utc>>,
    pub safety_check_at: Option<DateTime<Utc>>,
    pub in_hospital: bool,
}

const EXIT: &str = "SELECT x.id, x.provider_id, p.name, x.exit_type, x.notified_at, x.end_date
    FROM provider_exits x JOIN providers p ON p.id = x.provider_id";

fn exit_row(r: &rusqlite::Row) -> rusqlite::Result<ProviderExit> {
    let id: i64 = r.get(0)?;
    Ok(ProviderExit {
        id,
        provider_id: r.get(1)?,
        provider: r.get(2)?,
        exit_type: columns::get(r, 3, "provider_exits", id, "exit_type")?,
        notified_at: columns::get(r, 4, "provider_exits", id, "notified_at")?,
        end_date: columns::get(r, 5, "provider_exits", id, "end_date")?,
    })
}

pub fn open(
    conn: &Connection,
    provider_id: i64,
    exit_type: ExitType,
    notified: DateTime<Utc>,
    end: NaiveDate,
    now: &str,
    by: &str,
) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO provider_exits (provider_id, exit_type, notified_at, end_date, opened_at, opened_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![provider_id, exit_type, notified.write(), end.write(), now, by])?;
    Ok(conn.last_insert_rowid())
}

pub fn add_client(conn: &Connection, exit_id: i64, referral_id: i64) -> Result<()> {
    conn.prepare_cached("INSERT OR IGNORE INTO exit_clients (exit_id, referral_id) VALUES (?1, ?2)")?
        .execute(params![exit_id, referral_id])?;
    Ok(())
}

/// A provider's latest exit.
pub fn latest_for(conn: &Connection, provider_id: i64) -> Result<Option<ProviderExit>> {
    Ok(conn
        .prepare_cached(&format!("{EXIT} WHERE x.provider_id = ?1 ORDER BY x.id DESC LIMIT 1"))?
        .query_row([provider_id], exit_row)
        .optional()?)
}

/// Every exit, newest first.
pub fn all(conn: &Connection) -> Result<Vec<ProviderExit>> {
    let mut stmt = conn.prepare_cached(&format!("{EXIT} ORDER BY x.id DESC"))?;
    let rows = stmt.query_map([], exit_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The tracker of an exit, by referral id.
pub fn clients(conn: &Connection, exit_id: i64) -> Result<Vec<TrackerRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT c.referral_id, c.incoming_provider_id, p.name, c.contacted_at, c.sdo_shared_at, c.safety_check_at, c.in_hospital
         FROM exit_clients c LEFT JOIN providers p ON p.id = c.incoming_provider_id WHERE c.exit_id = ?1 ORDER BY c.referral_id",
    )?;
    let rows = stmt.query_map([exit_id], |r| {
        let id: i64 = r.get(0)?;
        Ok(TrackerRow {
            referral_id: id,
            incoming_provider_id: r.get(1)?,
            incoming_provider: r.get(2)?,
            contacted_at: columns::get(r, 3, "exit_clients", id, "contacted_at")?,
            sdo_shared_at: columns::get(r, 4, "exit_clients", id, "sdo_shared_at")?,
            safety_check_at: columns::get(r, 5, "exit_clients", id, "safety_check_at")?,
            in_hospital: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn update_client(conn: &Connection, exit_id: i64, row: &TrackerRow) -> Result<bool> {
    let n = conn
        .prepare_cached(
            "UPDATE exit_clients SET incoming_provider_id = ?3, contacted_at = ?4, sdo_shared_at = ?5, safety_check_at = ?6,
             in_hospital = ?7 WHERE exit_id = ?1 AND referral_id = ?2",
        )?
        .execute(params![
            exit_id,
            row.referral_id,
            row.incoming_provider_id,
            row.contacted_at.write(),
            row.sdo_shared_at.write(),
            row.safety_check_at.write(),
            row.in_hospital
        ])?;
    Ok(n == 1)
}
