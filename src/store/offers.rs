//! Offers: one approach to one provider about one referral, and its response.

use crate::domain::dates::load_instant;
use crate::domain::model::{DeclineReason, Response};
use crate::domain::responses::OfferFacts;
use anyhow::Result;
use rusqlite::{params, Connection};

#[derive(Debug, Clone)]
pub struct Offer {
    pub id: i64,
    pub referral_id: i64,
    pub provider_id: i64,
    pub provider: String,
    pub tier: String,
    pub placement_type: String,
    pub offered_at: String,
    pub deadline: String,
    pub response: Option<String>,
    pub responded_at: Option<String>,
    pub reason: Option<String>,
    pub reason_text: Option<String>,
    pub until: Option<String>,
    pub future_start: Option<String>,
    pub calls: Option<i64>,
    pub override_reason: Option<String>,
    pub offered_by: String,
}

impl Offer {
    pub fn facts(&self) -> OfferFacts {
        let offered_at = load_instant(&self.offered_at).unwrap_or_default();
        OfferFacts {
            id: self.id,
            provider_id: self.provider_id,
            offered_at,
            deadline: load_instant(&self.deadline).unwrap_or(offered_at),
            response: self.response.as_deref().and_then(Response::parse),
            responded_at: self.responded_at.as_deref().and_then(load_instant),
            reason: self.reason.as_deref().and_then(DeclineReason::parse),
            until: self.until.as_deref().and_then(load_instant),
            future_start: self
                .future_start
                .as_deref()
                .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()),
        }
    }
}

const SELECT: &str = "SELECT o.id, o.referral_id, o.provider_id, p.name, o.tier, o.placement_type, o.offered_at, o.deadline,
    o.response, o.responded_at, o.reason, o.reason_text, o.until, o.future_start, o.calls, o.override_reason, o.offered_by
    FROM offers o JOIN providers p ON p.id = o.provider_id";

fn row(r: &rusqlite::Row) -> rusqlite::Result<Offer> {
    Ok(Offer {
        id: r.get(0)?,
        referral_id: r.get(1)?,
        provider_id: r.get(2)?,
        provider: r.get(3)?,
        tier: r.get(4)?,
        placement_type: r.get(5)?,
        offered_at: r.get(6)?,
        deadline: r.get(7)?,
        response: r.get(8)?,
        responded_at: r.get(9)?,
        reason: r.get(10)?,
        reason_text: r.get(11)?,
        until: r.get(12)?,
        future_start: r.get(13)?,
        calls: r.get(14)?,
        override_reason: r.get(15)?,
        offered_by: r.get(16)?,
    })
}

/// A referral's offers, oldest first.
pub fn for_referral(conn: &Connection, referral_id: i64) -> Result<Vec<Offer>> {
    let mut stmt = conn.prepare_cached(&format!("{SELECT} WHERE o.referral_id = ?1 ORDER BY o.offered_at, o.id"))?;
    let rows = stmt.query_map([referral_id], row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Offers of every referral in a given set of states, grouped by referral (oldest first).
pub fn for_states(conn: &Connection, states: &[&str]) -> Result<std::collections::HashMap<i64, Vec<Offer>>> {
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
    pub tier: &'a str,
    pub placement_type: &'a str,
    pub offered_at: &'a str,
    pub deadline: &'a str,
    pub override_reason: Option<&'a str>,
    pub offered_by: &'a str,
}

pub fn insert(conn: &Connection, o: &NewOffer) -> Result<i64> {
    conn.execute(
        "INSERT INTO offers (referral_id, provider_id, tier, placement_type, offered_at, deadline, override_reason, offered_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![o.referral_id, o.provider_id, o.tier, o.placement_type, o.offered_at, o.deadline, o.override_reason, o.offered_by],
    )?;
    Ok(conn.last_insert_rowid())
}

pub fn record_response(conn: &Connection, o: &Offer) -> Result<()> {
    conn.execute(
        "UPDATE offers SET response = ?2, responded_at = ?3, reason = ?4, reason_text = ?5, until = ?6, future_start = ?7, calls = ?8 WHERE id = ?1",
        params![o.id, o.response, o.responded_at, o.reason, o.reason_text, o.until, o.future_start, o.calls],
    )?;
    Ok(())
}
