//! The facts a wash-up report is counted from (`domain::washup`): for one area and period, each
//! referral's record now with its events from the period's start (undone back to the period),
//! the offers made in the period, capacity reported, escalations raised or resolved.

use super::columns::get;
use super::referrals;
use crate::domain::dates::store_instant;
use crate::domain::washup::replay::{replay, RawEvent};
use crate::domain::washup::{CapacityFact, EscalationFact, Facts, FlexFact, OfferFact, ReviewFact};
use anyhow::Result;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::Connection;
use serde_json::Value;
use std::collections::BTreeMap;

/// The areas that have clusters, by name (a report without `--area` has one section each).
pub fn areas_with_clusters(conn: &Connection) -> Result<Vec<(i64, String)>> {
    let mut stmt = conn.prepare(
        "SELECT DISTINCT a.id, a.name FROM areas a JOIN clusters c ON c.area_id = a.id ORDER BY a.name COLLATE NOCASE",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Gather one area's facts for the London dates `from..=to`.
pub fn facts(
    conn: &Connection,
    area_id: i64,
    area: &str,
    (from, to): (NaiveDate, NaiveDate),
    target_days: i64,
) -> Result<Facts> {
    let mut f = Facts {
        area: area.to_string(),
        from,
        to,
        histories: Vec::new(),
        offers: Vec::new(),
        capacity: Vec::new(),
        escalations: Vec::new(),
        reviews: Vec::new(),
        flex: Vec::new(),
        clusters: BTreeMap::new(),
        providers: BTreeMap::new(),
    };
    let (start, end) = (f.start(), f.end());
    let (s, e) = (store_instant(start), store_instant(end));
    let mut events = conn.prepare_cached(
        "SELECT id, at, event, details, before, after FROM events \
         WHERE referral_id = ?1 AND (at >= ?2 OR recorded_at >= ?2) ORDER BY id",
    )?;
    for r in referrals::for_report(conn, area_id, &s, &e)? {
        let raw = events
            .query_map(rusqlite::params![r.id, s], |row| {
                let id: i64 = row.get(0)?;
                Ok((
                    id,
                    get::<DateTime<Utc>>(row, 1, "events", id, "at")?,
                    row.get::<_, String>(2)?,
                    row.get::<_, String>(3)?,
                    row.get::<_, Option<String>>(4)?,
                    row.get::<_, Option<String>>(5)?,
                ))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        let mut list = Vec::new();
        for (id, at, event, details, before, after) in raw {
            let parse = |t: Option<String>| t.and_then(|t| serde_json::from_str::<Value>(&t).ok());
            // Events that did not change the referral (an escalation, a note) carry no record.
            let Some(Value::Object(_)) = parse(after) else { continue };
            let before = match parse(before) {
                Some(Value::Object(m)) => Some(m),
                _ => None,
            };
            let details = serde_json::from_str(&details).unwrap_or(Value::Null);
            list.push(RawEvent { id, at, event, details, before });
        }
        let Value::Object(now) = serde_json::to_value(&r)? else { continue };
        f.histories.push(replay(r.id, &now, r.created_at, list, start, end));
    }
    f.offers = offers(conn, area_id, &s, &e)?;
    f.capacity = capacity(conn, area_id, &s, &e)?;
    f.escalations = escalations(conn, area_id, &s, &e)?;
    f.reviews = reviews(conn, area_id, (from, to), &s, target_days)?;
    f.flex = super::flex::overlapping(conn, area_id, &s, &e)?
        .into_iter()
        .map(|x| FlexFact {
            provider: x.provider,
            from: x.from,
            ended: x.ended,
            minutes_per_day: x.minutes_per_day,
            outcome: x.outcome,
        })
        .collect();
    let mut stmt = conn.prepare_cached("SELECT id, name FROM clusters WHERE area_id = ?1")?;
    f.clusters = stmt.query_map([area_id], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<Result<_, _>>()?;
    let mut stmt = conn.prepare_cached("SELECT id, name, type = 'contracted' FROM providers")?;
    f.providers = stmt.query_map([], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))?.collect::<Result<_, _>>()?;
    Ok(f)
}

/// The columns `offer_fact` reads, with the joins they need.
const OFFER_SELECT: &str =
    "SELECT o.id, o.referral_id, p.name, o.tier, o.offered_at, o.deadline, o.response, o.responded_at, \
    o.reason, r.client_id, m.ruc_name \
    FROM offers o JOIN providers p ON p.id = o.provider_id JOIN referrals r ON r.id = o.referral_id \
    LEFT JOIN msoas m ON m.code = r.msoa_code";

/// An offer row: id, referral, provider name, tier, offered, deadline, response, answered,
/// reason, client id, rurality.
fn offer_fact(r: &rusqlite::Row) -> rusqlite::Result<OfferFact> {
    let id: i64 = r.get(0)?;
    Ok(OfferFact {
        referral: r.get(1)?,
        provider: r.get(2)?,
        tier: get(r, 3, "offers", id, "tier")?,
        offered_at: get(r, 4, "offers", id, "offered_at")?,
        deadline: get(r, 5, "offers", id, "deadline")?,
        response: get(r, 6, "offers", id, "response")?,
        responded_at: get(r, 7, "offers", id, "responded_at")?,
        reason: get(r, 8, "offers", id, "reason")?,
        rurality: r.get(10)?,
    })
}

fn offers(conn: &Connection, area_id: i64, s: &str, e: &str) -> Result<Vec<OfferFact>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{} WHERE r.cluster_id IN (SELECT id FROM clusters WHERE area_id = ?1) \
                  AND o.offered_at >= ?2 AND o.offered_at < ?3 ORDER BY o.offered_at, o.id",
        // The period's offers by when they were made, not every offer of the area's referrals.
        OFFER_SELECT.replace("FROM offers o", "FROM offers o INDEXED BY offers_offered_at")
    ))?;
    let rows = stmt.query_map(rusqlite::params![area_id, s, e], offer_fact)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn capacity(conn: &Connection, area_id: i64, s: &str, e: &str) -> Result<Vec<CapacityFact>> {
    let mut stmt = conn.prepare_cached(
        "SELECT c.id, p.name, c.msoa_code, cl.id, cl.name, c.weekly_minutes, c.from_date, p.type = 'contracted' \
         FROM capacity c JOIN providers p ON p.id = c.provider_id \
         LEFT JOIN cluster_msoas cm ON cm.msoa_code = c.msoa_code \
         JOIN clusters cl ON cl.id = COALESCE(c.cluster_id, cm.cluster_id) \
         WHERE cl.area_id = ?1 AND c.recorded_at >= ?2 AND c.recorded_at < ?3 ORDER BY c.recorded_at, c.id",
    )?;
    let rows = stmt.query_map(rusqlite::params![area_id, s, e], |r| {
        let id: i64 = r.get(0)?;
        let minutes: i64 = r.get(5)?;
        Ok(CapacityFact {
            provider: r.get(1)?,
            msoa: r.get(2)?,
            cluster_id: r.get(3)?,
            cluster: r.get(4)?,
            hours_per_week: crate::domain::text::hours_json(minutes),
            from: get(r, 6, "capacity", id, "from_date")?,
            contracted: r.get(7)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn escalations(conn: &Connection, area_id: i64, s: &str, e: &str) -> Result<Vec<EscalationFact>> {
    let mut stmt = conn.prepare_cached(
        "SELECT e.id, e.raised_at, e.resolved_at FROM escalations e \
         LEFT JOIN referrals r ON r.id = e.referral_id LEFT JOIN clusters c ON c.id = r.cluster_id \
         WHERE COALESCE(e.area_id, c.area_id) = ?1 \
         AND ((e.raised_at >= ?2 AND e.raised_at < ?3) OR (e.resolved_at >= ?2 AND e.resolved_at < ?3))",
    )?;
    let rows = stmt.query_map(rusqlite::params![area_id, s, e], |r| {
        let id: i64 = r.get(0)?;
        Ok(EscalationFact {
            raised_at: get(r, 1, "escalations", id, "raised_at")?,
            resolved_at: get(r, 2, "escalations", id, "resolved_at")?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The placements in the area whose first review the period's figures can count (its window
/// from the start as it stands, when it was first booked, when the review was recorded): those
/// not yet reviewed, starting late enough for their proposed date to fall in the period, reviewed
/// or booked since it began, or with the AIS update not made by its end. Every other placement
/// counts for nothing in `domain::washup`'s review figures, so they are not read.
fn reviews(
    conn: &Connection,
    area_id: i64,
    (from, to): (NaiveDate, NaiveDate),
    start: &str,
    target_days: i64,
) -> Result<Vec<ReviewFact>> {
    let earliest_start = from - chrono::Duration::days(crate::domain::review::NEW_TO_DAYS);
    let mut stmt = conn.prepare_cached(
        "SELECT r.id, r.known_to_act, COALESCE(r.confirmed_start, r.start_date), \
                (SELECT MIN(b.booked_at) FROM pir_bookings b WHERE b.referral_id = r.id), \
                v.recorded_at, v.ais_due, v.ais_updated \
         FROM referrals r LEFT JOIN pir_reviews v ON v.referral_id = r.id \
         WHERE r.id IN ( \
             SELECT id FROM referrals INDEXED BY referrals_unreviewed WHERE pir_done = 0 AND confirmed_at IS NOT NULL \
                   AND cluster_id IN (SELECT id FROM clusters WHERE area_id = ?1) \
             UNION SELECT id FROM referrals INDEXED BY referrals_care_start \
                   WHERE COALESCE(confirmed_start, start_date) >= ?2 AND confirmed_at IS NOT NULL \
             UNION SELECT referral_id FROM pir_reviews WHERE recorded_at >= ?3 \
             UNION SELECT referral_id FROM pir_reviews WHERE ais_updated IS NULL OR ais_updated > ?4 \
             UNION SELECT referral_id FROM pir_bookings WHERE booked_at >= ?3) \
         AND +r.state IN ('confirmed', 'active', 'ended') AND r.minor_change = 0 AND r.confirmed_at IS NOT NULL \
         AND r.cluster_id IN (SELECT id FROM clusters WHERE area_id = ?1)",
    )?;
    let rows = stmt.query_map(rusqlite::params![area_id, earliest_start.to_string(), start, to.to_string()], |r| {
        let id: i64 = r.get(0)?;
        let known: bool = r.get(1)?;
        let start: NaiveDate = get(r, 2, "referrals", id, "start_date")?;
        let w = crate::domain::review::window(known, start, target_days);
        Ok(ReviewFact {
            window_to: w.to,
            target: w.target,
            first_booked: get(r, 3, "pir_bookings", id, "booked_at")?,
            recorded: get(r, 4, "pir_reviews", id, "recorded_at")?,
            ais_due: get(r, 5, "pir_reviews", id, "ais_due")?,
            ais_updated: get(r, 6, "pir_reviews", id, "ais_updated")?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// One offer to a provider, with its client, for the provider's record.
#[derive(Debug, Clone)]
pub struct ProviderOffer {
    pub offer: OfferFact,
    pub client_id: String,
}

/// Offers made to a provider in [s, e).
pub fn provider_offers(conn: &Connection, provider_id: i64, s: &str, e: &str) -> Result<Vec<ProviderOffer>> {
    let mut stmt = conn.prepare_cached(
        &format!("{OFFER_SELECT} WHERE o.provider_id = ?1 AND o.offered_at >= ?2 AND o.offered_at < ?3 ORDER BY o.offered_at, o.id"),
    )?;
    let rows = stmt.query_map(rusqlite::params![provider_id, s, e], |r| {
        Ok(ProviderOffer { offer: offer_fact(r)?, client_id: r.get(9)? })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// A handback in a provider's record: referral, client id, when, reason, whether re-added.
pub type HandbackRow = (i64, String, DateTime<Utc>, String, bool);

/// Handbacks by a provider (by name, as the event records it) in [s, e).
pub fn provider_handbacks(conn: &Connection, provider: &str, s: &str, e: &str) -> Result<Vec<HandbackRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT ev.id, ev.referral_id, r.client_id, ev.at, json_extract(ev.details, '$.reason'), \
                COALESCE(json_extract(ev.details, '$.re_added'), 0) \
         FROM events ev JOIN referrals r ON r.id = ev.referral_id \
         WHERE ev.event LIKE 'handed back%' AND ev.at >= ?2 AND ev.at < ?3 \
         AND json_extract(ev.details, '$.provider') = ?1 COLLATE NOCASE ORDER BY ev.at, ev.id",
    )?;
    let rows = stmt.query_map(rusqlite::params![provider, s, e], |r| {
        let id: i64 = r.get(0)?;
        Ok((
            r.get(1)?,
            r.get(2)?,
            get(r, 3, "events", id, "at")?,
            r.get::<_, Option<String>>(4)?.unwrap_or_default(),
            r.get(5)?,
        ))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}
