//! Providers, their areas, cluster ranks and area orders; the allocation ladder for a referral.

use super::columns::{self, Col};
use crate::domain::allocation::{Ladder, ProviderFacts};
use crate::domain::model::{CqcRating, ProviderStatus, ProviderType};
use anyhow::Result;
use chrono::NaiveDate;
use rusqlite::{params, Connection};
use serde::Serialize;

/// A provider as stored, with its areas and cluster ranks (SPEC §17 provider JSON).
#[derive(Debug, Clone, Serialize)]
pub struct Provider {
    pub id: i64,
    pub name: String,
    #[serde(rename = "type")]
    pub kind: ProviderType,
    pub areas: Vec<String>,
    pub cqc_rating: Option<CqcRating>,
    /// CQC's Provider ID (links CQC's files to this provider).
    pub cqc_id: Option<String>,
    /// The date of CQC's latest check, from its files.
    pub cqc_checked: Option<NaiveDate>,
    /// When the rating was published (from CQC's ratings file).
    pub cqc_rating_date: Option<NaiveDate>,
    pub exceptions_list: bool,
    pub sanctioned: bool,
    pub status: ProviderStatus,
    /// Signed up to flexible domiciliary care (seed 004).
    pub flex: bool,
    pub email: Option<String>,
    pub senior_email: Option<String>,
    pub sanction_note: Option<String>,
    /// Clusters where this provider is ranked, as "Cluster (rank)".
    pub clusters: Vec<String>,
}

impl Provider {
    pub fn facts(&self) -> ProviderFacts {
        ProviderFacts {
            id: self.id,
            name: self.name.clone(),
            contract: self.kind,
            status: self.status,
            sanctioned: self.sanctioned,
            cqc: self.cqc_rating,
            exceptions_list: self.exceptions_list,
        }
    }
}

const COLS: &str =
    "p.id, p.name, p.type, p.cqc_rating, p.exceptions_list, p.sanctioned, p.status, p.email, p.senior_email,
    p.sanction_note, p.cqc_id, p.cqc_checked, p.flex, p.cqc_rating_date";

fn row(r: &rusqlite::Row) -> rusqlite::Result<Provider> {
    let id: i64 = r.get(0)?;
    macro_rules! col {
        ($i:expr, $name:literal) => {
            columns::get(r, $i, "providers", id, $name)?
        };
    }
    Ok(Provider {
        id,
        name: col!(1, "name"),
        kind: col!(2, "type"),
        cqc_rating: col!(3, "cqc_rating"),
        exceptions_list: col!(4, "exceptions_list"),
        sanctioned: col!(5, "sanctioned"),
        status: col!(6, "status"),
        email: col!(7, "email"),
        senior_email: col!(8, "senior_email"),
        sanction_note: col!(9, "sanction_note"),
        cqc_id: col!(10, "cqc_id"),
        cqc_checked: col!(11, "cqc_checked"),
        flex: col!(12, "flex"),
        cqc_rating_date: col!(13, "cqc_rating_date"),
        areas: Vec::new(),
        clusters: Vec::new(),
    })
}

/// Write a provider's own fields (not its areas or ranks).
pub fn update(conn: &Connection, p: &Provider) -> Result<()> {
    conn.prepare_cached(
        "UPDATE providers SET name = ?2, type = ?3, cqc_rating = ?4, exceptions_list = ?5, sanctioned = ?6, status = ?7,
         email = ?8, senior_email = ?9, sanction_note = ?10, cqc_id = ?11, cqc_checked = ?12, flex = ?13 WHERE id = ?1",
    )?
    .execute(params![
        p.id,
        p.name,
        p.kind,
        p.cqc_rating,
        p.exceptions_list,
        p.sanctioned,
        p.status,
        p.email,
        p.senior_email,
        p.sanction_note,
        p.cqc_id,
        p.cqc_checked.write(),
        p.flex
    ])?;
    Ok(())
}

/// Add an area a provider covers.
pub fn add_area(conn: &Connection, provider_id: i64, area_id: i64) -> Result<()> {
    conn.prepare_cached("INSERT OR IGNORE INTO provider_areas (provider_id, area_id) VALUES (?1, ?2)")?
        .execute(params![provider_id, area_id])?;
    Ok(())
}

fn fill(conn: &Connection, mut p: Provider) -> Result<Provider> {
    let mut stmt = conn.prepare_cached(
        "SELECT a.name FROM provider_areas pa JOIN areas a ON a.id = pa.area_id WHERE pa.provider_id = ?1 ORDER BY a.name",
    )?;
    p.areas = stmt.query_map([p.id], |r| r.get(0))?.collect::<Result<_, _>>()?;
    let mut stmt = conn.prepare_cached(
        "SELECT c.name || ' (' || cp.rank || ')' FROM cluster_providers cp JOIN clusters c ON c.id = cp.cluster_id WHERE cp.provider_id = ?1 ORDER BY c.name",
    )?;
    p.clusters = stmt.query_map([p.id], |r| r.get(0))?.collect::<Result<_, _>>()?;
    Ok(p)
}

pub fn get(conn: &Connection, id: i64) -> Result<Provider> {
    let p = conn.query_row(&format!("SELECT {COLS} FROM providers p WHERE p.id = ?1"), [id], row)?;
    fill(conn, p)
}

pub fn list(conn: &Connection) -> Result<Vec<Provider>> {
    let mut stmt = conn.prepare(&format!("SELECT {COLS} FROM providers p ORDER BY p.name"))?;
    let ps: Vec<Provider> = stmt.query_map([], row)?.collect::<Result<_, _>>()?;
    ps.into_iter().map(|p| fill(conn, p)).collect()
}

pub struct NewProvider<'a> {
    pub name: &'a str,
    pub kind: ProviderType,
    pub area_ids: &'a [i64],
    pub cqc: Option<CqcRating>,
    pub exceptions_list: bool,
    pub email: Option<&'a str>,
    pub senior_email: Option<&'a str>,
    pub created_at: &'a str,
}

pub fn insert(conn: &Connection, p: &NewProvider) -> Result<i64> {
    conn.execute(
        "INSERT INTO providers (name, type, cqc_rating, exceptions_list, email, senior_email, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![p.name, p.kind.as_str(), p.cqc.map(|c| c.as_str()), p.exceptions_list, p.email, p.senior_email, p.created_at],
    )?;
    let id = conn.last_insert_rowid();
    for a in p.area_ids {
        conn.execute("INSERT OR IGNORE INTO provider_areas (provider_id, area_id) VALUES (?1, ?2)", params![id, a])?;
    }
    Ok(id)
}

/// The ranked clustered providers of a cluster, best first.
pub fn cluster_ranking(conn: &Connection, cluster_id: i64) -> Result<Vec<Provider>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLS} FROM cluster_providers cp JOIN providers p ON p.id = cp.provider_id WHERE cp.cluster_id = ?1 ORDER BY cp.rank, p.name"
    ))?;
    let ps: Vec<Provider> = stmt.query_map([cluster_id], row)?.collect::<Result<_, _>>()?;
    Ok(ps)
}

/// The ladder for a referral in `cluster_id` of `area_id` (SPEC §6): the cluster's ranked
/// providers; the area's other contracted providers (ranked ones in the area's order, then any
/// others covering the area by name); non-contracted providers covering the area by name.
pub fn ladder(conn: &Connection, cluster_id: i64, area_id: i64) -> Result<Ladder> {
    let clustered: Vec<ProviderFacts> = cluster_ranking(conn, cluster_id)?.iter().map(|p| p.facts()).collect();
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLS} FROM providers p
         LEFT JOIN area_providers ap ON ap.provider_id = p.id AND ap.area_id = ?1
         WHERE p.type = 'contracted'
           AND (ap.area_id IS NOT NULL OR EXISTS (SELECT 1 FROM provider_areas pa WHERE pa.provider_id = p.id AND pa.area_id = ?1))
         ORDER BY ap.rank IS NULL, ap.rank, p.name"
    ))?;
    let other: Vec<ProviderFacts> = stmt
        .query_map([area_id], row)?
        .map(|r| r.map(|p| p.facts()))
        .collect::<Result<Vec<_>, _>>()?
        .into_iter()
        .filter(|p| !clustered.iter().any(|c| c.id == p.id))
        .collect();
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLS} FROM providers p JOIN provider_areas pa ON pa.provider_id = p.id
         WHERE p.type = 'non-contracted' AND pa.area_id = ?1 ORDER BY p.name"
    ))?;
    let non: Vec<ProviderFacts> =
        stmt.query_map([area_id], row)?.map(|r| r.map(|p| p.facts())).collect::<Result<_, _>>()?;
    Ok(Ladder { clustered, other_contracted: other, non_contracted: non })
}

/// Every provider's name, by id.
pub fn names(conn: &Connection) -> Result<std::collections::HashMap<i64, String>> {
    let mut s = conn.prepare_cached("SELECT id, name FROM providers")?;
    let rows = s.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Which ranked list a ranking replaces.
#[derive(Debug, Clone, Copy)]
pub enum Ranking {
    /// The clustered providers of a cluster (Appendix 4).
    Cluster(i64),
    /// The order of other contracted providers in an area.
    Area(i64),
}

/// Replace a ranked list with these providers, in order (rank 1 first).
pub fn set_ranking(conn: &Connection, ranking: Ranking, provider_ids: &[i64]) -> Result<()> {
    let (delete, insert, key) = match ranking {
        Ranking::Cluster(c) => (
            "DELETE FROM cluster_providers WHERE cluster_id = ?1",
            "INSERT OR IGNORE INTO cluster_providers (cluster_id, rank, provider_id) VALUES (?1, ?2, ?3)",
            c,
        ),
        Ranking::Area(a) => (
            "DELETE FROM area_providers WHERE area_id = ?1",
            "INSERT OR IGNORE INTO area_providers (area_id, rank, provider_id) VALUES (?1, ?2, ?3)",
            a,
        ),
    };
    conn.prepare_cached(delete)?.execute([key])?;
    let mut stmt = conn.prepare_cached(insert)?;
    for (i, id) in provider_ids.iter().enumerate() {
        stmt.execute(params![key, i as i64 + 1, id])?;
    }
    Ok(())
}

/// Put a provider under sanction, or lift it, with a note.
pub fn set_sanction(conn: &Connection, id: i64, on: bool, note: Option<&str>) -> Result<()> {
    conn.prepare_cached("UPDATE providers SET sanctioned = ?2, sanction_note = ?3 WHERE id = ?1")?
        .execute(params![id, on, note])?;
    Ok(())
}
