//! Rates and rurality uplifts (seed 002): rows are only ever added; the one in force on a date
//! is the latest starting on or before it, a cluster's own before the county-wide one.

use super::columns::Col;
use anyhow::Result;
use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension};

/// One rate or uplift, for `rate list`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct RateRow {
    pub kind: String,
    pub cluster: Option<String>,
    pub rurality: Option<String>,
    /// Pence (a rate) or hundredths of a percent (an uplift).
    pub amount: i64,
    pub from: NaiveDate,
}

pub fn set(
    conn: &Connection,
    rate_type: &str,
    cluster: Option<i64>,
    pence: i64,
    from: NaiveDate,
    now: &str,
    by: &str,
) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO rates (rate_type, cluster_id, pence, from_date, recorded_at, recorded_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![rate_type, cluster, pence, from.write(), now, by])?;
    Ok(conn.last_insert_rowid())
}

pub fn uplift(
    conn: &Connection,
    cluster: i64,
    rurality: &str,
    bp: i64,
    from: NaiveDate,
    now: &str,
    by: &str,
) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO rurality_uplifts (cluster_id, rurality, basis_points, from_date, recorded_at, recorded_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![cluster, rurality, bp, from.write(), now, by])?;
    Ok(conn.last_insert_rowid())
}

/// The rurality classes of Kent's MSOAs, as named in the reference data.
pub fn rurality_classes(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached("SELECT DISTINCT ruc_name FROM msoas ORDER BY ruc_name")?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The rate of a type in force on `on`: the cluster's own, else the county-wide one.
pub fn in_force(conn: &Connection, rate_type: &str, cluster: Option<i64>, on: NaiveDate) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached(
            "SELECT pence FROM rates WHERE rate_type = ?1 AND (cluster_id = ?2 OR cluster_id IS NULL) AND from_date <= ?3 \
             ORDER BY cluster_id IS NULL, from_date DESC, id DESC LIMIT 1",
        )?
        .query_row(params![rate_type, cluster, on.write()], |r| r.get(0))
        .optional()?)
}

/// The uplift (hundredths of a percent) for a rurality class in a cluster on `on`; 0 if none.
pub fn uplift_in_force(conn: &Connection, cluster: i64, rurality: &str, on: NaiveDate) -> Result<i64> {
    Ok(conn
        .prepare_cached(
            "SELECT basis_points FROM rurality_uplifts WHERE cluster_id = ?1 AND rurality = ?2 COLLATE NOCASE AND from_date <= ?3 \
             ORDER BY from_date DESC, id DESC LIMIT 1",
        )?
        .query_row(params![cluster, rurality, on.write()], |r| r.get(0))
        .optional()?
        .unwrap_or(0))
}

pub fn list(conn: &Connection) -> Result<Vec<RateRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT r.rate_type, c.name, NULL, r.pence, r.from_date FROM rates r LEFT JOIN clusters c ON c.id = r.cluster_id \
         UNION ALL SELECT 'uplift', c.name, u.rurality, u.basis_points, u.from_date FROM rurality_uplifts u JOIN clusters c ON c.id = u.cluster_id \
         ORDER BY 1, 2, 3, 5",
    )?;
    let rows = stmt.query_map([], |r| {
        let from: String = r.get(4)?;
        Ok(RateRow {
            kind: r.get(0)?,
            cluster: r.get(1)?,
            rurality: r.get(2)?,
            amount: r.get(3)?,
            from: NaiveDate::parse_from_str(&from, "%Y-%m-%d").unwrap_or_default(),
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}
