//! Providers, their areas, cluster ranks and area orders; the allocation ladder for a referral.

use crate::domain::allocation::{Ladder, ProviderFacts};
use crate::domain::model::{CqcRating, ProviderStatus, ProviderType};
use anyhow::Result;
use rusqlite::{params, Connection};
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct Provider {
    pub id: i64,
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub areas: Vec<String>,
    pub cqc_rating: Option<String>,
    pub exceptions_list: bool,
    pub sanctioned: bool,
    pub status: String,
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
            contract: ProviderType::parse(&self.kind).unwrap_or(ProviderType::Contracted),
            status: ProviderStatus::parse(&self.status).unwrap_or(ProviderStatus::Active),
            sanctioned: self.sanctioned,
            cqc: self.cqc_rating.as_deref().and_then(CqcRating::parse),
            exceptions_list: self.exceptions_list,
        }
    }
}

const COLS: &str = "p.id, p.name, p.type, p.cqc_rating, p.exceptions_list, p.sanctioned, p.status, p.email, p.senior_email, p.sanction_note";

fn row(r: &rusqlite::Row) -> rusqlite::Result<Provider> {
    Ok(Provider {
        id: r.get(0)?,
        name: r.get(1)?,
        kind: r.get(2)?,
        cqc_rating: r.get(3)?,
        exceptions_list: r.get(4)?,
        sanctioned: r.get(5)?,
        status: r.get(6)?,
        email: r.get(7)?,
        senior_email: r.get(8)?,
        sanction_note: r.get(9)?,
        areas: Vec::new(),
        clusters: Vec::new(),
    })
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
