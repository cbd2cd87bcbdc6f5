//! `escalate`'s watermark (schema_3.sql): which referrals a run must evaluate. Everything when
//! there is no watermark, the clock went back, another build ran it, or something not about one
//! referral changed (a provider, a ranking, a setting, the calendar, an import); otherwise only
//! the referrals with an event since the last run and those whose next check has come.

use crate::domain::dates::store_instant;
use anyhow::Result;
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension};

/// Which referrals to evaluate.
#[derive(Debug, PartialEq)]
pub enum Scope {
    Everything,
    Only(Vec<i64>),
}

/// The scope of a run at `now` by this build (`version`).
pub fn scope(conn: &Connection, now: DateTime<Utc>, version: &str) -> Result<Scope> {
    let mark: Option<(i64, DateTime<Utc>, String)> = conn
        .query_row("SELECT event_id, run_at, version FROM escalate_watermark WHERE id = 1", [], |r| {
            Ok((r.get(0)?, super::columns::get(r, 1, "escalate_watermark", 1, "run_at")?, r.get(2)?))
        })
        .optional()?;
    let Some((event_id, run_at, built)) = mark else { return Ok(Scope::Everything) };
    if now < run_at || built != version {
        return Ok(Scope::Everything);
    }
    // Events are read by id from the watermark on: a range of the primary key, not a scan.
    let global: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM events WHERE id > ?1 AND referral_id IS NULL AND entity <> 'escalation')",
        [event_id],
        |r| r.get(0),
    )?;
    if global {
        return Ok(Scope::Everything);
    }
    let mut ids: Vec<i64> = conn
        .prepare_cached(
            "SELECT referral_id FROM events WHERE id > ?1 AND referral_id IS NOT NULL \
             UNION SELECT referral_id FROM escalate_checks WHERE next_at <= ?2",
        )?
        .query_map(params![event_id, store_instant(now)], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    ids.sort_unstable();
    Ok(Scope::Only(ids))
}

/// When a referral must next be evaluated though nothing about it changes.
pub fn set_next_check(conn: &Connection, referral_id: i64, next_at: DateTime<Utc>) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO escalate_checks (referral_id, next_at) VALUES (?1, ?2) \
         ON CONFLICT (referral_id) DO UPDATE SET next_at = excluded.next_at",
    )?
    .execute(params![referral_id, store_instant(next_at)])?;
    Ok(())
}

/// A referral no rule can fire on any more (placed, cancelled, ended): it is not looked at
/// again until an event about it brings it back.
pub fn park(conn: &Connection, referral_id: i64) -> Result<()> {
    conn.prepare_cached("UPDATE escalate_checks SET next_at = '9999-12-31T23:59:59Z' WHERE referral_id = ?1")?
        .execute([referral_id])?;
    Ok(())
}

/// The run is done: every event up to now has been seen.
pub fn set_watermark(conn: &Connection, now: DateTime<Utc>, version: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO escalate_watermark (id, event_id, run_at, version) \
         VALUES (1, (SELECT IFNULL(MAX(id), 0) FROM events), ?1, ?2) \
         ON CONFLICT (id) DO UPDATE SET event_id = excluded.event_id, run_at = excluded.run_at, version = excluded.version",
        params![store_instant(now), version],
    )?;
    Ok(())
}

/// Referrals on the list (stored waiting, offered or considering: a lapse keeps them on it) by
/// area, counted from the index on state and cluster.
pub fn on_list_by_area(conn: &Connection) -> Result<std::collections::HashMap<i64, usize>> {
    let mut stmt = conn.prepare_cached(
        "SELECT c.area_id, COUNT(*) FROM referrals r JOIN clusters c ON c.id = r.cluster_id \
         WHERE r.state IN ('waiting', 'offered', 'considering') GROUP BY c.area_id",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)? as usize)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}
