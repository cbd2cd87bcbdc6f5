//! Flexible care episodes (seed 004).

use super::columns::{self, Col};
use anyhow::Result;
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection};

#[derive(Debug, Clone)]
pub struct Episode {
    pub id: i64,
    pub referral_id: i64,
    pub client_name: String,
    pub provider: String,
    pub from: DateTime<Utc>,
    pub minutes_per_day: i64,
    pub reason: String,
    pub ended: Option<DateTime<Utc>>,
    pub outcome: Option<String>,
}

const SELECT: &str =
    "SELECT f.id, f.referral_id, r.name, p.name, f.from_at, f.minutes_per_day, f.reason, f.ended_at, f.outcome \
    FROM flex_episodes f JOIN referrals r ON r.id = f.referral_id JOIN providers p ON p.id = f.provider_id";

fn row(r: &rusqlite::Row) -> rusqlite::Result<Episode> {
    let id: i64 = r.get(0)?;
    Ok(Episode {
        id,
        referral_id: r.get(1)?,
        client_name: r.get(2)?,
        provider: r.get(3)?,
        from: columns::get(r, 4, "flex_episodes", id, "from_at")?,
        minutes_per_day: r.get(5)?,
        reason: r.get(6)?,
        ended: columns::get(r, 7, "flex_episodes", id, "ended_at")?,
        outcome: r.get(8)?,
    })
}

/// Episodes, oldest first: all, only open ones, or one referral's.
pub fn list(conn: &Connection, open_only: bool, referral: Option<i64>) -> Result<Vec<Episode>> {
    let sql = format!(
        "{SELECT} WHERE (?1 = 0 OR f.ended_at IS NULL) AND (?2 IS NULL OR f.referral_id = ?2) ORDER BY f.from_at, f.id"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params![open_only, referral], row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Episodes that overlap [s, e) by their dates, for the wash-up (in one area).
pub fn overlapping(conn: &Connection, area_id: i64, s: &str, e: &str) -> Result<Vec<Episode>> {
    let sql = format!(
        "{SELECT} WHERE r.cluster_id IN (SELECT id FROM clusters WHERE area_id = ?1) \
         AND f.from_at < ?3 AND (f.ended_at IS NULL OR f.ended_at >= ?2) ORDER BY f.from_at, f.id"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params![area_id, s, e], row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

#[allow(clippy::too_many_arguments)]
pub fn start(
    conn: &Connection,
    referral: i64,
    provider: i64,
    from: DateTime<Utc>,
    minutes_per_day: i64,
    reason: &str,
    raised_by: Option<&str>,
    authorised_by: Option<&str>,
    now: &str,
    by: &str,
) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO flex_episodes (referral_id, provider_id, from_at, minutes_per_day, reason, raised_by, authorised_by, recorded_at, recorded_by) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![referral, provider, from.write(), minutes_per_day, reason, raised_by, authorised_by, now, by])?;
    Ok(conn.last_insert_rowid())
}

pub fn end(conn: &Connection, id: i64, at: DateTime<Utc>, outcome: Option<&str>) -> Result<()> {
    conn.prepare_cached("UPDATE flex_episodes SET ended_at = ?2, outcome = ?3 WHERE id = ?1")?.execute(params![
        id,
        at.write(),
        outcome
    ])?;
    Ok(())
}
