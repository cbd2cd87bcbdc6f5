//! Offers: one approach to one provider about one referral, and its response.

use super::columns::{self, Col};
use crate::domain::model::{PlacementType, State, Tier};
pub use crate::domain::record::Offer;
use anyhow::Result;
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection};

pub(super) const SELECT: &str = "SELECT o.id, o.referral_id, o.provider_id, p.name, o.tier, o.placement_type, o.offered_at, o.deadline,
    o.response, o.responded_at, o.reason, o.reason_text, o.until, o.future_start, o.calls, o.override_reason, o.offered_by
    FROM offers o JOIN providers p ON p.id = o.provider_id";

pub(super) fn row(r: &rusqlite::Row) -> rusqlite::Result<Offer> {
    let id: i64 = r.get(0)?;
    macro_rules! col {
        ($i:expr, $name:literal) => {
            columns::get(r, $i, "offers", id, $name)?
        };
    }
    Ok(Offer {
        id,
        referral_id: col!(1, "referral_id"),
        provider_id: col!(2, "provider_id"),
        provider: col!(3, "provider"),
        tier: col!(4, "tier"),
        placement_type: col!(5, "placement_type"),
        offered_at: col!(6, "offered_at"),
        deadline: col!(7, "deadline"),
        response: col!(8, "response"),
        responded_at: col!(9, "responded_at"),
        reason: col!(10, "reason"),
        reason_text: col!(11, "reason_text"),
        until: col!(12, "until"),
        future_start: col!(13, "future_start"),
        calls: col!(14, "calls"),
        override_reason: col!(15, "override_reason"),
        offered_by: col!(16, "offered_by"),
    })
}

/// A referral's offers, oldest first.
pub fn for_referral(conn: &Connection, referral_id: i64) -> Result<Vec<Offer>> {
    let mut stmt = conn.prepare_cached(&format!("{SELECT} WHERE o.referral_id = ?1 ORDER BY o.offered_at, o.id"))?;
    let rows = stmt.query_map([referral_id], row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Offers of every referral in a given set of states, grouped by referral (oldest first).
pub fn for_states(conn: &Connection, states: &[State]) -> Result<std::collections::HashMap<i64, Vec<Offer>>> {
    let placeholders: Vec<String> = (1..=states.len()).map(|i| format!("?{i}")).collect();
    let mut stmt = conn.prepare(&format!(
        "{SELECT} JOIN referrals r ON r.id = o.referral_id WHERE r.state IN ({}) ORDER BY o.referral_id, o.offered_at, o.id",
        placeholders.join(",")
    ))?;
    let params: Vec<&dyn rusqlite::ToSql> = states.iter().map(|s| s as &dyn rusqlite::ToSql).collect();
    let mut out: std::collections::HashMap<i64, Vec<Offer>> = std::collections::HashMap::new();
    for o in stmt.query_map(params.as_slice(), row)? {
        let o = o?;
        out.entry(o.referral_id).or_default().push(o);
    }
    Ok(out)
}

pub fn get(conn: &Connection, id: i64) -> Result<Offer> {
    Ok(conn.prepare_cached(&format!("{SELECT} WHERE o.id = ?1"))?.query_row([id], row)?)
}

pub struct NewOffer<'a> {
    pub referral_id: i64,
    pub provider_id: i64,
    pub tier: Tier,
    pub placement_type: PlacementType,
    pub offered_at: DateTime<Utc>,
    pub deadline: DateTime<Utc>,
    pub override_reason: Option<&'a str>,
    pub offered_by: &'a str,
}

pub fn insert(conn: &Connection, o: &NewOffer) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO offers (referral_id, provider_id, tier, placement_type, offered_at, deadline, override_reason, offered_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        o.referral_id,
        o.provider_id,
        o.tier,
        o.placement_type,
        o.offered_at.write(),
        o.deadline.write(),
        o.override_reason,
        o.offered_by
    ])?;
    Ok(conn.last_insert_rowid())
}

/// Write an offer's answer (response, when, reason, answer-by time, later start, calls).
pub fn record_response(conn: &Connection, o: &Offer) -> Result<()> {
    conn.prepare_cached(
        "UPDATE offers SET response = ?2, responded_at = ?3, reason = ?4, reason_text = ?5, until = ?6, future_start = ?7, calls = ?8 WHERE id = ?1",
    )?
    .execute(params![
        o.id,
        o.response,
        o.responded_at.write(),
        o.reason,
        o.reason_text,
        o.until.write(),
        o.future_start.write(),
        o.calls
    ])?;
    Ok(())
}
