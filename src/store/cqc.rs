//! CQC locations linked to providers, and the dates and ratings CQC's files give them.

use super::columns::Col;
use crate::domain::model::CqcRating;
use crate::io::cqc::DirectoryRow;
use anyhow::Result;
use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension};

/// Record a Kent homecare location from the directory, linked to `provider_id` when matched.
pub fn upsert_location(conn: &Connection, row: &DirectoryRow, provider_id: Option<i64>) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO cqc_locations (location_id, cqc_provider_id, provider_id, name, postcode, last_checked)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT(location_id) DO UPDATE SET cqc_provider_id = excluded.cqc_provider_id,
           provider_id = COALESCE(excluded.provider_id, cqc_locations.provider_id), name = excluded.name,
           postcode = excluded.postcode, last_checked = excluded.last_checked",
    )?
    .execute(params![
        row.location_id,
        row.cqc_provider_id,
        provider_id,
        row.name,
        row.postcode,
        row.last_checked.write()
    ])?;
    Ok(())
}

/// The provider a CQC Provider ID belongs to (`provider update --cqc-id`).
pub fn provider_by_cqc_id(conn: &Connection, cqc_id: &str) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT id FROM providers WHERE cqc_id = ?1")?
        .query_row([cqc_id], |r| r.get(0))
        .optional()?)
}

/// The provider a location belongs to, from an earlier directory import.
pub fn provider_of_location(conn: &Connection, location_id: &str) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT provider_id FROM cqc_locations WHERE location_id = ?1")?
        .query_row([location_id], |r| r.get::<_, Option<i64>>(0))
        .optional()?
        .flatten())
}

/// A location's overall rating.
pub fn rate_location(
    conn: &Connection,
    location_id: &str,
    rating: CqcRating,
    published: Option<NaiveDate>,
) -> Result<()> {
    conn.prepare_cached("UPDATE cqc_locations SET overall_rating = ?2, rating_published = ?3 WHERE location_id = ?1")?
        .execute(params![location_id, rating, published.write()])?;
    Ok(())
}

/// A provider's CQC facts: its latest check, and its rating with the date it was published.
pub fn set_provider_cqc(
    conn: &Connection,
    provider_id: i64,
    checked: Option<NaiveDate>,
    rating: Option<(CqcRating, Option<NaiveDate>)>,
) -> Result<()> {
    if let Some(c) = checked {
        conn.prepare_cached("UPDATE providers SET cqc_checked = MAX(IFNULL(cqc_checked, ''), ?2) WHERE id = ?1")?
            .execute(params![provider_id, c.write()])?;
    }
    if let Some((r, date)) = rating {
        conn.prepare_cached("UPDATE providers SET cqc_rating = ?2, cqc_rating_date = ?3 WHERE id = ?1")?
            .execute(params![provider_id, r, date.write()])?;
    }
    Ok(())
}

/// A provider's locations: (location id, name, postcode, latest check, overall rating, published).
#[allow(clippy::type_complexity)]
pub fn locations_of(
    conn: &Connection,
    provider_id: i64,
) -> Result<Vec<(String, String, Option<String>, Option<String>, Option<String>, Option<String>)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT location_id, name, postcode, last_checked, overall_rating, rating_published FROM cqc_locations
         WHERE provider_id = ?1 ORDER BY name",
    )?;
    let rows =
        stmt.query_map([provider_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}
