//! Kent's reference data: areas, districts, MSOAs, postcodes, default clusters and bank holidays,
//! shipped in the binary and loaded into the database once by `hcp init` (or on first use).

use crate::domain::calendar::{parse_holiday_csv, WorkingCalendar};
use crate::domain::text::close_matches;
use crate::error::UserError;
use anyhow::{Context, Result};
use rusqlite::{params, Connection, OptionalExtension};
use std::io::Read;

const MSOA_CSV: &str = include_str!("../../data/kent_msoa_2011.csv");
const BANK_HOLIDAYS_CSV: &str = include_str!("../../data/bank-holidays-england-and-wales.csv");
/// `postcode,msoa_code` for Kent's 61,392 postcodes, gzip-compressed to keep the binary small.
const POSTCODES_GZ: &[u8] = include_bytes!("../../data/kent_postcode_msoa.csv.gz");

/// The seven operational areas and whether each is in East or West Kent.
pub const AREAS: &[(&str, &str)] = &[
    ("Ashford", "east"),
    ("Canterbury & Coastal", "east"),
    ("DGS", "west"),
    ("SKC", "east"),
    ("Swale", "east"),
    ("Thanet", "east"),
    ("West Kent", "west"),
];

/// SPEC §17: each district belongs to one area (Sevenoaks whole district to West Kent).
pub fn area_of_district(district: &str) -> Option<&'static str> {
    Some(match district {
        "Ashford" => "Ashford",
        "Canterbury" => "Canterbury & Coastal",
        "Dartford" | "Gravesham" => "DGS",
        "Dover" | "Folkestone and Hythe" => "SKC",
        "Swale" => "Swale",
        "Thanet" => "Thanet",
        "Maidstone" | "Sevenoaks" | "Tonbridge and Malling" | "Tunbridge Wells" => "West Kent",
        _ => return None,
    })
}

/// Load the shipped defaults unless they are already there. Returns true if anything was loaded.
pub fn load_defaults(conn: &Connection) -> Result<bool> {
    let loaded: Option<String> =
        conn.query_row("SELECT value FROM settings WHERE key = 'defaults.loaded'", [], |r| r.get(0)).optional()?;
    if loaded.is_some() {
        return Ok(false);
    }
    for (name, region) in AREAS {
        conn.execute("INSERT INTO areas (name, region) VALUES (?1, ?2)", params![name, region])?;
    }
    let mut rdr = csv::Reader::from_reader(MSOA_CSV.as_bytes());
    let headers = rdr.headers()?.clone();
    let col = |n: &str| headers.iter().position(|h| h == n).with_context(|| format!("shipped MSOA table lacks {n}"));
    let (code, name, lad, district, ruc, ruc_name, hcl) = (
        col("msoa_code")?,
        col("msoa_name")?,
        col("lad_code")?,
        col("district")?,
        col("ruc11_code")?,
        col("ruc11_name")?,
        col("hcl_msoa_name")?,
    );
    for rec in rdr.records() {
        let rec = rec?;
        let dname = &rec[district];
        let area = area_of_district(dname).with_context(|| format!("no area for district {dname}"))?;
        let area_id: i64 = conn.query_row("SELECT id FROM areas WHERE name = ?1", [area], |r| r.get(0))?;
        conn.execute(
            "INSERT OR IGNORE INTO districts (code, name, area_id) VALUES (?1, ?2, ?3)",
            params![&rec[lad], dname, area_id],
        )?;
        // Until a cluster file is imported, each district is one cluster named after it.
        conn.execute("INSERT OR IGNORE INTO clusters (name, area_id) VALUES (?1, ?2)", params![dname, area_id])?;
        conn.execute(
            "INSERT INTO msoas (code, name, district_code, ruc_code, ruc_name, hcl_name) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![&rec[code], &rec[name], &rec[lad], &rec[ruc], &rec[ruc_name], &rec[hcl]],
        )?;
        conn.execute(
            "INSERT INTO cluster_msoas (msoa_code, cluster_id) SELECT ?1, id FROM clusters WHERE name = ?2",
            params![&rec[code], dname],
        )?;
    }
    let mut text = String::new();
    flate2::read::GzDecoder::new(POSTCODES_GZ)
        .read_to_string(&mut text)
        .context("reading the shipped postcode table")?;
    {
        let mut stmt = conn.prepare("INSERT INTO postcodes (postcode, msoa_code) VALUES (?1, ?2)")?;
        for line in text.lines().skip(1) {
            if let Some((pc, msoa)) = line.split_once(',') {
                stmt.execute(params![pc, msoa])?;
            }
        }
    }
    for h in parse_holiday_csv(BANK_HOLIDAYS_CSV).map_err(anyhow::Error::msg)? {
        conn.execute(
            "INSERT OR IGNORE INTO bank_holidays (date, title, source) VALUES (?1, ?2, 'shipped')",
            params![h.date.to_string(), h.title],
        )?;
    }
    conn.execute("INSERT INTO settings (key, value) VALUES ('defaults.loaded', '1')", [])?;
    Ok(true)
}

/// The working calendar from the database's bank holidays.
pub fn calendar(conn: &Connection) -> Result<WorkingCalendar> {
    let mut stmt = conn.prepare("SELECT date, title FROM bank_holidays")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    let mut out = Vec::new();
    for row in rows {
        let (d, t) = row?;
        if let Ok(date) = chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d") {
            out.push(crate::domain::calendar::BankHoliday { date, title: t });
        }
    }
    Ok(WorkingCalendar::new(out))
}

/// Where a postcode (or an MSOA) lies.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Place {
    pub msoa: String,
    pub msoa_name: String,
    pub hcl_name: String,
    pub rurality: String,
    pub district: String,
    pub cluster_id: Option<i64>,
    pub cluster: Option<String>,
    pub area: Option<String>,
}

const PLACE_SQL: &str = "SELECT m.code, m.name, m.hcl_name, m.ruc_name, d.name, c.id, c.name, a.name
     FROM msoas m JOIN districts d ON d.code = m.district_code
     LEFT JOIN cluster_msoas cm ON cm.msoa_code = m.code
     LEFT JOIN clusters c ON c.id = cm.cluster_id
     LEFT JOIN areas a ON a.id = c.area_id";

fn place_row(r: &rusqlite::Row) -> rusqlite::Result<Place> {
    Ok(Place {
        msoa: r.get(0)?,
        msoa_name: r.get(1)?,
        hcl_name: r.get(2)?,
        rurality: r.get(3)?,
        district: r.get(4)?,
        cluster_id: r.get(5)?,
        cluster: r.get(6)?,
        area: r.get(7)?,
    })
}

/// The MSOA, cluster and area of a normalised postcode, if it is in Kent.
pub fn place_of_postcode(conn: &Connection, postcode: &str) -> Result<Option<Place>> {
    Ok(conn
        .prepare_cached(&format!("{PLACE_SQL} WHERE m.code = (SELECT msoa_code FROM postcodes WHERE postcode = ?1)"))?
        .query_row([postcode], place_row)
        .optional()?)
}

/// Every MSOA with its place.
/// Each cluster's area, by cluster id.
pub fn cluster_areas(conn: &Connection) -> Result<std::collections::HashMap<i64, i64>> {
    let mut s = conn.prepare_cached("SELECT id, area_id FROM clusters")?;
    let rows = s.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The area of one cluster.
pub fn area_of_cluster(conn: &Connection, cluster_id: i64) -> Result<i64> {
    Ok(conn.prepare_cached("SELECT area_id FROM clusters WHERE id = ?1")?.query_row([cluster_id], |r| r.get(0))?)
}

/// Clusters with their area names, by cluster id: (cluster, area).
pub fn cluster_names(conn: &Connection) -> Result<std::collections::HashMap<i64, (String, String)>> {
    let mut s = conn.prepare_cached("SELECT c.id, c.name, a.name FROM clusters c JOIN areas a ON a.id = c.area_id")?;
    let rows = s.query_map([], |r| Ok((r.get::<_, i64>(0)?, (r.get::<_, String>(1)?, r.get::<_, String>(2)?))))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn all_places(conn: &Connection) -> Result<Vec<Place>> {
    let mut stmt = conn.prepare_cached(PLACE_SQL)?;
    let rows = stmt.query_map([], place_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn place_of_msoa(conn: &Connection, msoa: &str) -> Result<Option<Place>> {
    Ok(conn.prepare_cached(&format!("{PLACE_SQL} WHERE m.code = ?1"))?.query_row([msoa], place_row).optional()?)
}

#[derive(Debug, Clone)]
pub struct Named {
    pub id: i64,
    pub name: String,
}

fn find_named(conn: &Connection, table: &str, what: &str, typed: &str, list_cmd: &str) -> Result<Named> {
    let found = conn
        .query_row(&format!("SELECT id, name FROM {table} WHERE name = ?1 COLLATE NOCASE"), [typed.trim()], |r| {
            Ok(Named { id: r.get(0)?, name: r.get(1)? })
        })
        .optional()?;
    if let Some(n) = found {
        return Ok(n);
    }
    let mut stmt = conn.prepare(&format!("SELECT name FROM {table} ORDER BY name"))?;
    let names: Vec<String> = stmt.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?;
    // A typed name that folds to exactly one known name (`canterbury & coastal`, `westkent`) is that one.
    let folded = crate::domain::text::fold(typed);
    let same: Vec<&String> = names.iter().filter(|n| crate::domain::text::fold(n) == folded).collect();
    if same.len() == 1 {
        return find_named(conn, table, what, same[0], list_cmd);
    }
    let close = close_matches(typed, names.iter().map(|s| s.as_str()));
    let mut err = UserError::new(format!("unknown {what} '{typed}'"));
    if !close.is_empty() {
        err = err.hint(format!("did you mean: {}?", close.join(", ")));
    }
    Err(err.hint(format!("`{list_cmd}` lists them")).into())
}

pub fn find_cluster(conn: &Connection, typed: &str) -> Result<Named> {
    find_named(conn, "clusters", "cluster", typed, "hcp cluster list")
}

pub fn find_area(conn: &Connection, typed: &str) -> Result<Named> {
    find_named(conn, "areas", "area", typed, "hcp cluster list")
}

pub fn find_provider(conn: &Connection, typed: &str) -> Result<Named> {
    find_named(conn, "providers", "provider", typed, "hcp provider list")
}

/// The name of a cluster's area.
pub fn area_name_of_cluster(conn: &Connection, cluster_id: i64) -> Result<String> {
    Ok(conn.query_row(
        "SELECT a.name FROM clusters c JOIN areas a ON a.id = c.area_id WHERE c.id = ?1",
        [cluster_id],
        |r| r.get(0),
    )?)
}

/// Put an MSOA in a cluster of an area (creating the cluster, or moving it to the area).
pub fn place_msoa_in_cluster(conn: &Connection, msoa: &str, cluster: &str, area_id: i64) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO clusters (name, area_id) VALUES (?1, ?2) ON CONFLICT(name) DO UPDATE SET area_id = excluded.area_id",
    )?
    .execute(params![cluster, area_id])?;
    conn.prepare_cached(
        "INSERT INTO cluster_msoas (msoa_code, cluster_id) SELECT ?1, id FROM clusters WHERE name = ?2
         ON CONFLICT(msoa_code) DO UPDATE SET cluster_id = excluded.cluster_id",
    )?
    .execute(params![msoa, cluster])?;
    Ok(())
}

/// Referrals placed from their postcode follow their MSOA into its (new) cluster.
pub fn replace_referral_clusters(conn: &Connection) -> Result<()> {
    conn.execute(
        "UPDATE referrals SET cluster_id = (SELECT cluster_id FROM cluster_msoas WHERE msoa_code = referrals.msoa_code)
         WHERE cluster_by_hand = 0 AND msoa_code IS NOT NULL",
        [],
    )?;
    Ok(())
}

/// A setting's stored value.
pub fn setting(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn.prepare_cached("SELECT value FROM settings WHERE key = ?1")?.query_row([key], |r| r.get(0)).optional()?)
}

pub fn set_setting(conn: &Connection, key: &str, value: &str) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
    )?
    .execute([key, value])?;
    Ok(())
}

/// A cluster with its area, MSOAs and ranked providers.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ClusterRow {
    pub id: i64,
    pub name: String,
    pub area: String,
    pub msoas: Vec<String>,
    pub providers: Vec<String>,
}

/// Every cluster, by area and name.
pub fn clusters(conn: &Connection) -> Result<Vec<ClusterRow>> {
    let mut stmt = conn.prepare(
        "SELECT c.id, c.name, a.name,
                (SELECT group_concat(msoa_code, ',') FROM (SELECT msoa_code FROM cluster_msoas WHERE cluster_id = c.id ORDER BY msoa_code)),
                (SELECT group_concat(name, ',') FROM (SELECT p.name FROM cluster_providers cp JOIN providers p ON p.id = cp.provider_id WHERE cp.cluster_id = c.id ORDER BY cp.rank))
         FROM clusters c JOIN areas a ON a.id = c.area_id ORDER BY a.name, c.name",
    )?;
    let rows = stmt.query_map([], |r| {
        let split = |s: Option<String>| s.map(|s| s.split(',').map(str::to_string).collect()).unwrap_or_default();
        Ok(ClusterRow {
            id: r.get(0)?,
            name: r.get(1)?,
            area: r.get(2)?,
            msoas: split(r.get(3)?),
            providers: split(r.get(4)?),
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// A cluster's MSOAs: (code, HCL name, rurality, district).
pub fn cluster_msoas(conn: &Connection, cluster_id: i64) -> Result<Vec<(String, String, String, String)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT m.code, m.hcl_name, m.ruc_name, d.name FROM cluster_msoas cm JOIN msoas m ON m.code = cm.msoa_code
         JOIN districts d ON d.code = m.district_code WHERE cm.cluster_id = ?1 ORDER BY m.code",
    )?;
    let rows = stmt.query_map([cluster_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Apply a planned calendar update: the removed dates go, the file's dates (with their titles)
/// are written.
pub fn update_bank_holidays(
    conn: &Connection,
    removed: &[chrono::NaiveDate],
    days: &[(chrono::NaiveDate, String)],
) -> Result<()> {
    let mut del = conn.prepare_cached("DELETE FROM bank_holidays WHERE date = ?1")?;
    for d in removed {
        del.execute([d.to_string()])?;
    }
    let mut stmt =
        conn.prepare_cached("INSERT OR REPLACE INTO bank_holidays (date, title, source) VALUES (?1, ?2, 'gov.uk')")?;
    for (d, t) in days {
        stmt.execute(params![d.to_string(), t])?;
    }
    Ok(())
}

/// The rural-urban class of an MSOA, if known.
pub fn rurality_of(conn: &Connection, msoa: Option<&str>) -> Result<Option<String>> {
    let Some(m) = msoa else { return Ok(None) };
    Ok(conn.prepare_cached("SELECT ruc_name FROM msoas WHERE code = ?1")?.query_row([m], |r| r.get(0)).optional()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    #[test]
    fn defaults_load_once_and_place_postcodes() -> Result<()> {
        let s = Store::in_memory()?;
        assert!(load_defaults(&s.conn)?);
        assert!(!load_defaults(&s.conn)?);
        let n: i64 = s.conn.query_row("SELECT COUNT(*) FROM msoas", [], |r| r.get(0))?;
        assert_eq!(n, 182);
        let n: i64 = s.conn.query_row("SELECT COUNT(*) FROM postcodes", [], |r| r.get(0))?;
        assert_eq!(n, 61_392);
        let n: i64 = s.conn.query_row("SELECT COUNT(*) FROM clusters", [], |r| r.get(0))?;
        assert_eq!(n, 12);
        let p = place_of_postcode(&s.conn, "CT1 2EH")?.expect("CT1 2EH is in Kent");
        assert_eq!(p.msoa, "E02006856");
        assert_eq!(p.district, "Canterbury");
        assert_eq!(p.area.as_deref(), Some("Canterbury & Coastal"));
        assert_eq!(p.cluster.as_deref(), Some("Canterbury"));
        assert!(place_of_postcode(&s.conn, "SW1A 1AA")?.is_none());
        let sevenoaks = place_of_msoa(&s.conn, "E02005087")?.unwrap();
        assert_eq!(sevenoaks.area.as_deref(), Some("West Kent"));
        Ok(())
    }

    #[test]
    fn unknown_names_list_close_matches() -> Result<()> {
        let s = Store::in_memory()?;
        load_defaults(&s.conn)?;
        let err = find_cluster(&s.conn, "Canterbery").unwrap_err();
        let ue = err.downcast_ref::<UserError>().unwrap();
        assert!(ue.message.contains("Canterbery"));
        assert!(ue.hints[0].contains("Canterbury"));
        assert_eq!(find_area(&s.conn, "canterbury and coastal").err().map(|_| ()), Some(()));
        assert_eq!(find_area(&s.conn, "canterbury & coastal")?.name, "Canterbury & Coastal");
        assert_eq!(find_area(&s.conn, "westkent")?.name, "West Kent");
        Ok(())
    }
}
