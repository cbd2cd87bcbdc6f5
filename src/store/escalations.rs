//! Escalations: raised once per rule, referral (or area) and trigger; resolved with a decision.

use crate::domain::allocation::Decisions;
use crate::store::events::Event;
use anyhow::Result;
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct Escalation {
    pub id: i64,
    pub referral: Option<i64>,
    pub area: Option<String>,
    pub provider: Option<String>,
    pub rule: String,
    pub to: String,
    pub note: Option<String>,
    pub raised_at: String,
    pub raised_by: String,
    pub resolved_at: Option<String>,
    pub decision: Option<String>,
    pub decision_note: Option<String>,
    #[serde(skip)]
    pub trigger_key: String,
    #[serde(skip)]
    pub provider_id: Option<i64>,
}

const SELECT: &str = "SELECT e.id, e.referral_id, a.name, p.name, e.rule, e.to_whom, e.note, e.raised_at, e.raised_by,
    e.resolved_at, e.decision, e.decision_note, e.trigger_key, e.provider_id
    FROM escalations e LEFT JOIN areas a ON a.id = e.area_id LEFT JOIN providers p ON p.id = e.provider_id";

fn row(r: &rusqlite::Row) -> rusqlite::Result<Escalation> {
    Ok(Escalation {
        id: r.get(0)?,
        referral: r.get(1)?,
        area: r.get(2)?,
        provider: r.get(3)?,
        rule: r.get(4)?,
        to: r.get(5)?,
        note: r.get(6)?,
        raised_at: r.get(7)?,
        raised_by: r.get(8)?,
        resolved_at: r.get(9)?,
        decision: r.get(10)?,
        decision_note: r.get(11)?,
        trigger_key: r.get(12)?,
        provider_id: r.get(13)?,
    })
}

pub struct NewEscalation<'a> {
    pub referral_id: Option<i64>,
    pub area_id: Option<i64>,
    pub provider_id: Option<i64>,
    pub rule: &'a str,
    pub to: &'a str,
    pub trigger_key: &'a str,
    pub note: &'a str,
    pub raised_at: &'a str,
    pub raised_by: &'a str,
}

/// Raise an escalation unless the same one exists, and record it in the audit log (recorded at
/// `recorded_at`, i.e. now); Some(id) when it is new.
pub fn raise_once(conn: &Connection, e: &NewEscalation, recorded_at: &str) -> Result<Option<i64>> {
    let n = conn
        .prepare_cached(
            "INSERT OR IGNORE INTO escalations (referral_id, area_id, provider_id, rule, to_whom, trigger_key, note, raised_at, raised_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?
        .execute(params![e.referral_id, e.area_id, e.provider_id, e.rule, e.to, e.trigger_key, e.note, e.raised_at, e.raised_by])?;
    if n == 0 {
        return Ok(None);
    }
    let id = conn.last_insert_rowid();
    Event::new("escalation raised", "escalation", e.raised_at, recorded_at, e.raised_by)
        .on(Some(id), e.referral_id)
        .details(serde_json::json!({
            "escalation": id, "rule": e.rule, "to": e.to, "note": e.note, "area_id": e.area_id, "provider_id": e.provider_id,
        }))
        .append(conn)?;
    Ok(Some(id))
}

pub fn get(conn: &Connection, id: i64) -> Result<Option<Escalation>> {
    Ok(conn.prepare_cached(&format!("{SELECT} WHERE e.id = ?1"))?.query_row([id], row).optional()?)
}

pub fn list(conn: &Connection, open_only: bool, referral: Option<i64>) -> Result<Vec<Escalation>> {
    let mut sql = format!("{SELECT} WHERE 1=1");
    if open_only {
        sql.push_str(" AND e.resolved_at IS NULL");
    }
    if referral.is_some() {
        sql.push_str(" AND e.referral_id = ?1");
    }
    sql.push_str(" ORDER BY e.id");
    let mut stmt = conn.prepare(&sql)?;
    let rows = match referral {
        Some(r) => stmt.query_map([r], row)?.collect::<Result<Vec<_>, _>>()?,
        None => stmt.query_map([], row)?.collect::<Result<Vec<_>, _>>()?,
    };
    Ok(rows)
}

pub fn resolve(conn: &Connection, id: i64, at: &str, by: &str, decision: &str, note: Option<&str>) -> Result<()> {
    conn.execute(
        "UPDATE escalations SET resolved_at = ?2, resolved_by = ?3, decision = ?4, decision_note = ?5 WHERE id = ?1",
        params![id, at, by, decision, note],
    )?;
    Ok(())
}

/// Close the open escalations of these rules on a referral once what they asked for has been
/// done (e.g. `lapsed` once the next provider is approached), each with an audit event.
pub fn close_done(
    conn: &Connection,
    referral_id: i64,
    rules: &[&str],
    at: &str,
    recorded_at: &str,
    by: &str,
    note: &str,
) -> Result<Vec<i64>> {
    let mut closed = Vec::new();
    for e in list(conn, true, Some(referral_id))? {
        if !rules.contains(&e.rule.as_str()) {
            continue;
        }
        resolve(conn, e.id, at, by, "noted", Some(note))?;
        Event::new("escalation resolved", "escalation", at, recorded_at, by)
            .on(Some(e.id), Some(referral_id))
            .details(serde_json::json!({ "escalation": e.id, "rule": e.rule, "decision": "noted", "note": note }))
            .append(conn)?;
        closed.push(e.id);
    }
    Ok(closed)
}

/// The recorded decisions the allocation protocol reads for one referral.
pub fn decisions_for(conn: &Connection, referral_id: i64) -> Result<Decisions> {
    let mut d = Decisions::default();
    let mut stmt = conn.prepare_cached(
        "SELECT decision, trigger_key, provider_id FROM escalations WHERE referral_id = ?1 AND decision IS NOT NULL",
    )?;
    let rows = stmt.query_map([referral_id], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, Option<i64>>(2)?))
    })?;
    for row in rows {
        let (decision, trigger, provider) = row?;
        match decision.as_str() {
            "approve-non-contracted" => d.non_contracted_permitted = true,
            "approach-next" => {
                if let Some(id) = trigger.strip_prefix("offer-").and_then(|s| s.parse().ok()) {
                    d.approach_next.insert(id);
                }
            }
            "allow-sanctioned" => {
                if let Some(p) = provider {
                    d.allowed_sanctioned.insert(p);
                } else {
                    // A decision not tied to one provider allows every sanctioned provider for this referral.
                    let mut s = conn.prepare_cached("SELECT id FROM providers WHERE sanctioned = 1")?;
                    for id in s.query_map([], |r| r.get(0))? {
                        d.allowed_sanctioned.insert(id?);
                    }
                }
            }
            _ => {}
        }
    }
    Ok(d)
}
