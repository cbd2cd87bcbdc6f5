//! What the Packages import reads and writes beyond referrals: lookups by name, the keys of
//! stored referrals, and the offers a row's status implies.

use super::columns::Col;
use super::offers::{self, NewOffer};
use crate::domain::dates::london_date;
use crate::domain::import::{placement, tier, SheetProvider, SheetRow};
use crate::domain::model::{ProviderType, Response, State};
use crate::domain::record::Referral;
use crate::domain::responses::response_deadline;
use crate::domain::text::fold;
use crate::io::packages_row::Lookups;
use anyhow::Result;
use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension};
use std::collections::HashMap;

/// Providers and clusters by folded name, and who is clustered where.
pub fn lookups(conn: &Connection) -> Result<Lookups> {
    let mut lk = Lookups::default();
    let mut s = conn.prepare("SELECT id, name, type, exceptions_list FROM providers")?;
    let rows = s.query_map([], |r| {
        let id: i64 = r.get(0)?;
        Ok((id, r.get::<_, String>(1)?, super::columns::get::<ProviderType>(r, 2, "providers", id, "type")?, r.get(3)?))
    })?;
    for row in rows {
        let (id, name, contract, exceptions_list) = row?;
        lk.providers.insert(fold(&name), SheetProvider { id, contract, exceptions_list });
    }
    let mut s = conn.prepare("SELECT id, name FROM clusters")?;
    for r in s.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))? {
        let (id, name) = r?;
        lk.clusters.insert(fold(&name), id);
    }
    let mut s = conn.prepare("SELECT cluster_id, provider_id FROM cluster_providers")?;
    for r in s.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))? {
        lk.clustered.insert(r?);
    }
    Ok(lk)
}

/// Every Kent postcode's MSOA and cluster (for a large file: one query instead of one a row).
pub fn all_postcode_places(conn: &Connection) -> Result<HashMap<String, (String, i64)>> {
    let mut s = conn.prepare(
        "SELECT p.postcode, p.msoa_code, cm.cluster_id FROM postcodes p JOIN cluster_msoas cm ON cm.msoa_code = p.msoa_code",
    )?;
    let rows = s.query_map([], |r| Ok((r.get::<_, String>(0)?, (r.get::<_, String>(1)?, r.get::<_, i64>(2)?))))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// One postcode's MSOA and cluster.
pub fn postcode_place(conn: &Connection, postcode: &str) -> Result<Option<(String, i64)>> {
    Ok(conn
        .prepare_cached(
            "SELECT p.msoa_code, cm.cluster_id FROM postcodes p JOIN cluster_msoas cm ON cm.msoa_code = p.msoa_code WHERE p.postcode = ?1",
        )?
        .query_row([postcode], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

/// The stored referral of this client received on this London date (the newest, if several).
pub fn referral_by_key(conn: &Connection, client_id: &str, received: NaiveDate) -> Result<Option<i64>> {
    let mut s = conn.prepare_cached("SELECT id, received_at FROM referrals WHERE client_id = ?1 ORDER BY id DESC")?;
    let mut rows = s.query([client_id])?;
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        let at: chrono::DateTime<chrono::Utc> = super::columns::get(r, 1, "referrals", id, "received_at")?;
        if london_date(at) == received {
            return Ok(Some(id));
        }
    }
    Ok(None)
}

/// An officer has offered this referral in hcp (the import then leaves its state alone).
pub fn worked_in_hcp(conn: &Connection, referral_id: i64) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM offers WHERE referral_id = ?1 AND offered_by <> 'import')")?
        .query_row([referral_id], |r| r.get(0))?)
}

/// The offer a row's status implies (offered, considering, tentative, accepted and on).
pub fn insert_implied_offer(
    tx: &Connection,
    lk: &Lookups,
    row: &SheetRow,
    r: &Referral,
    referral_id: i64,
) -> Result<Option<i64>> {
    let response = match r.state {
        State::Offered => None,
        State::Considering => Some(Response::Considering),
        State::Tentative => Some(Response::Tentative),
        State::Accepted | State::Confirmed | State::Active => Some(Response::Accept),
        _ => return Ok(None),
    };
    let Some(p) = row.provider else {
        return Ok(None);
    };
    let at = row.offered_at.unwrap_or(r.received_at);
    let clustered_here = r.cluster_id.is_some_and(|c| lk.clustered.contains(&(c, p.id)));
    let id = offers::insert(
        tx,
        &NewOffer {
            referral_id,
            provider_id: p.id,
            tier: tier(p, clustered_here),
            placement_type: placement(p),
            offered_at: at,
            deadline: response_deadline(at),
            override_reason: None,
            offered_by: "import",
        },
    )?;
    if let Some(resp) = response {
        tx.prepare_cached("UPDATE offers SET response = ?2, responded_at = ?3 WHERE id = ?1")?.execute(params![
            id,
            resp,
            at.write()
        ])?;
    }
    Ok(Some(id))
}

/// A larger page cache for a bulk import.
pub fn tune_for_bulk(tx: &Connection) -> Result<()> {
    tx.execute_batch("PRAGMA cache_size = -65536")?;
    Ok(())
}

/// The last imported sheet's columns: (hcp's column, the sheet's header), in the sheet's order.
pub fn sheet_layout(conn: &Connection) -> Result<Vec<(String, String)>> {
    match super::reference::setting(conn, "export.layout")? {
        Some(json) => serde_json::from_str(&json).map_err(|_| {
            crate::error::UserError::new(format!("the database holds an unreadable export layout: {json}"))
                .hint("import the sheet again to set it, or use `export packages --canonical`")
                .into()
        }),
        None => Ok(Vec::new()),
    }
}

/// Remember an imported sheet's columns, so that `export` writes the sheet the team knows.
pub fn remember_layout(conn: &Connection, layout: &[(String, String)]) -> Result<()> {
    super::reference::set_setting(conn, "export.layout", &serde_json::to_string(layout)?)
}
