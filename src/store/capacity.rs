//! Capacity providers report as coming free, by MSOA or cluster (`hcp capacity add`).

use super::columns::{self, Col};
use anyhow::Result;
use chrono::NaiveDate;
use rusqlite::{params, Connection};
use serde::Serialize;

/// One report, with its place and area for display.
#[derive(Debug, Clone, Serialize)]
pub struct Capacity {
    pub id: i64,
    pub provider: String,
    pub msoa: Option<String>,
    pub msoa_name: Option<String>,
    pub cluster: Option<String>,
    #[serde(skip)]
    pub weekly_minutes: i64,
    pub hours: f64,
    pub from: NaiveDate,
    pub note: Option<String>,
    pub area: Option<String>,
}

pub struct NewCapacity<'a> {
    pub provider_id: i64,
    pub msoa_code: Option<&'a str>,
    pub cluster_id: Option<i64>,
    pub weekly_minutes: i64,
    pub from: NaiveDate,
    pub note: Option<&'a str>,
    pub recorded_at: &'a str,
    pub recorded_by: &'a str,
}

pub fn insert(conn: &Connection, c: &NewCapacity) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO capacity (provider_id, msoa_code, cluster_id, weekly_minutes, from_date, note, recorded_at, recorded_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        c.provider_id,
        c.msoa_code,
        c.cluster_id,
        c.weekly_minutes,
        c.from.write(),
        c.note,
        c.recorded_at,
        c.recorded_by
    ])?;
    Ok(conn.last_insert_rowid())
}

/// Every report, newest first.
pub fn list(conn: &Connection) -> Result<Vec<Capacity>> {
    let mut stmt = conn.prepare_cached(
        "SELECT cap.id, p.name, cap.msoa_code, m.hcl_name, c.name, cap.weekly_minutes, cap.from_date, cap.note,
                COALESCE(a1.name, a2.name)
         FROM capacity cap JOIN providers p ON p.id = cap.provider_id
         LEFT JOIN msoas m ON m.code = cap.msoa_code
         LEFT JOIN cluster_msoas cm ON cm.msoa_code = cap.msoa_code LEFT JOIN clusters c1 ON c1.id = cm.cluster_id LEFT JOIN areas a1 ON a1.id = c1.area_id
         LEFT JOIN clusters c ON c.id = cap.cluster_id LEFT JOIN areas a2 ON a2.id = c.area_id
         WHERE cap.withdrawn_at IS NULL
         ORDER BY cap.from_date DESC, cap.id DESC",
    )?;
    let rows = stmt.query_map([], |r| {
        let id: i64 = r.get(0)?;
        let weekly_minutes: i64 = r.get(5)?;
        Ok(Capacity {
            id,
            provider: r.get(1)?,
            msoa: r.get(2)?,
            msoa_name: r.get(3)?,
            cluster: r.get(4)?,
            weekly_minutes,
            hours: crate::domain::text::hours_json(weekly_minutes),
            from: columns::get(r, 6, "capacity", id, "from_date")?,
            note: r.get(7)?,
            area: r.get(8)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Capacity reported in an MSOA or its cluster, by provider: (provider id, minutes a week, latest from date).
pub fn free_near(conn: &Connection, msoa: Option<&str>, cluster_id: Option<i64>) -> Result<Vec<(i64, i64, NaiveDate)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT provider_id, SUM(weekly_minutes), MAX(from_date) FROM capacity
         WHERE (msoa_code = ?1 OR cluster_id = ?2) AND withdrawn_at IS NULL GROUP BY provider_id",
    )?;
    let rows = stmt.query_map(params![msoa, cluster_id], |r| {
        let p: i64 = r.get(0)?;
        Ok((p, r.get(1)?, columns::get(r, 2, "capacity", p, "from_date")?))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Withdraw a report (kept, marked withdrawn); false when there is no such open report.
pub fn withdraw(conn: &Connection, id: i64, at: &str, by: &str) -> Result<bool> {
    let n = conn
        .prepare_cached(
            "UPDATE capacity SET withdrawn_at = ?2, withdrawn_by = ?3 WHERE id = ?1 AND withdrawn_at IS NULL",
        )?
        .execute(params![id, at, by])?;
    Ok(n == 1)
}
