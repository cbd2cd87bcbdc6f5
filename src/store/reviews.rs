//! PIR bookings and recorded reviews (SPEC §10).

use super::columns::{self, Col};
use anyhow::Result;
use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{params, Connection, OptionalExtension};

/// The latest booking of a referral's review.
#[derive(Debug, Clone)]
pub struct Booking {
    pub uid: String,
    pub sequence: i64,
    /// London local date and time of the review.
    pub booked_for: NaiveDateTime,
    pub worker: String,
    pub worker_email: Option<String>,
    pub location: String,
}

/// A recorded review.
#[derive(Debug, Clone)]
pub struct Reviewed {
    pub reviewed: NaiveDate,
    pub outcome: String,
    pub ais_due: NaiveDate,
    pub ais_updated: Option<NaiveDate>,
}

fn local(s: &str) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M").ok()
}

pub fn latest_booking(conn: &Connection, referral: i64) -> Result<Option<Booking>> {
    let row = conn
        .prepare_cached(
            "SELECT uid, sequence, booked_for, worker, worker_email, location FROM pir_bookings \
             WHERE referral_id = ?1 ORDER BY sequence DESC LIMIT 1",
        )?
        .query_row([referral], |r| {
            Ok((r.get::<_, String>(0)?, r.get(1)?, r.get::<_, String>(2)?, r.get(3)?, r.get(4)?, r.get(5)?))
        })
        .optional()?;
    Ok(row.and_then(|(uid, sequence, at, worker, worker_email, location)| {
        Some(Booking { uid, sequence, booked_for: local(&at)?, worker, worker_email, location })
    }))
}

pub fn reviewed(conn: &Connection, referral: i64) -> Result<Option<Reviewed>> {
    Ok(conn
        .prepare_cached(
            "SELECT referral_id, reviewed, outcome, ais_due, ais_updated FROM pir_reviews WHERE referral_id = ?1",
        )?
        .query_row([referral], |r| {
            let id: i64 = r.get(0)?;
            Ok(Reviewed {
                reviewed: columns::get(r, 1, "pir_reviews", id, "reviewed")?,
                outcome: r.get(2)?,
                ais_due: columns::get(r, 3, "pir_reviews", id, "ais_due")?,
                ais_updated: columns::get(r, 4, "pir_reviews", id, "ais_updated")?,
            })
        })
        .optional()?)
}

#[allow(clippy::too_many_arguments)]
pub fn book(
    conn: &Connection,
    referral: i64,
    uid: &str,
    sequence: i64,
    booked_for: NaiveDateTime,
    worker: &str,
    worker_email: Option<&str>,
    location: &str,
    forced_reason: Option<&str>,
    now: &str,
    by: &str,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO pir_bookings (referral_id, uid, sequence, booked_for, worker, worker_email, location, forced_reason, booked_at, booked_by) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![
        referral,
        uid,
        sequence,
        booked_for.format("%Y-%m-%dT%H:%M").to_string(),
        worker,
        worker_email,
        location,
        forced_reason,
        now,
        by
    ])?;
    Ok(())
}

#[allow(clippy::too_many_arguments)]
pub fn record(
    conn: &Connection,
    referral: i64,
    reviewed: NaiveDate,
    outcome: &str,
    paperwork: Option<NaiveDate>,
    ais_due: NaiveDate,
    now: &str,
    by: &str,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO pir_reviews (referral_id, reviewed, outcome, paperwork, ais_due, recorded_at, recorded_by) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        referral,
        reviewed.write(),
        outcome,
        paperwork.map(|p| p.write()),
        ais_due.write(),
        now,
        by
    ])?;
    Ok(())
}

/// Record that AIS/Swift was updated after the review.
pub fn ais_updated(conn: &Connection, referral: i64, on: NaiveDate) -> Result<()> {
    conn.prepare_cached("UPDATE pir_reviews SET ais_updated = ?2 WHERE referral_id = ?1")?
        .execute(params![referral, on.write()])?;
    Ok(())
}

/// Reviews whose AIS update is still to do: (referral, client name, deadline).
pub fn ais_open(conn: &Connection) -> Result<Vec<(i64, String, NaiveDate)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT v.referral_id, r.name, v.ais_due FROM pir_reviews v JOIN referrals r ON r.id = v.referral_id \
         WHERE v.ais_updated IS NULL ORDER BY v.ais_due",
    )?;
    let rows = stmt.query_map([], |r| {
        let id: i64 = r.get(0)?;
        Ok((id, r.get(1)?, columns::get(r, 2, "pir_reviews", id, "ais_due")?))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// A placed package whose first review is still to be booked: id, client name, known to ACT,
/// when care starts.
pub type ToBook = (i64, String, bool, NaiveDate);

/// The packages whose first review hcp schedules and nobody has booked yet (`due`), read from
/// the partial index of reviews to hold (store::referrals::TO_REVIEW); in one area when given.
pub fn to_book(conn: &Connection, area_id: Option<i64>) -> Result<Vec<ToBook>> {
    let area = if area_id.is_some() { " AND cluster_id IN (SELECT id FROM clusters WHERE area_id = ?1)" } else { "" };
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT id, name, known_to_act, COALESCE(confirmed_start, start_date) FROM referrals INDEXED BY referrals_to_review \
         WHERE {} AND NOT EXISTS (SELECT 1 FROM pir_bookings b WHERE b.referral_id = referrals.id){area} ORDER BY id",
        super::referrals::TO_REVIEW
    ))?;
    let read = |r: &rusqlite::Row| -> rusqlite::Result<ToBook> {
        let id: i64 = r.get(0)?;
        Ok((id, r.get(1)?, r.get(2)?, columns::get(r, 3, "referrals", id, "start_date")?))
    };
    let rows = match area_id {
        Some(a) => stmt.query_map([a], read)?.collect::<Result<Vec<_>, _>>()?,
        None => stmt.query_map([], read)?.collect::<Result<Vec<_>, _>>()?,
    };
    Ok(rows)
}
