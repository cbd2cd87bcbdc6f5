//! Escalations: raised once per rule, referral (or area) and trigger; resolved with a decision.

use super::columns::{self};
use crate::domain::allocation::Decisions;
use crate::domain::model::Decision;
pub use crate::domain::record::Escalation;
use crate::domain::waiting::{Recipient, Rule};
use crate::store::events::Event;
use anyhow::Result;
use rusqlite::{params, Connection, OptionalExtension};

const SELECT: &str = "SELECT e.id, e.referral_id, a.name, p.name, e.rule, e.to_whom, e.note, e.raised_at, e.raised_by,
    e.resolved_at, e.decision, e.decision_note, e.trigger_key, e.provider_id
    FROM escalations e LEFT JOIN areas a ON a.id = e.area_id LEFT JOIN providers p ON p.id = e.provider_id";

fn row(r: &rusqlite::Row) -> rusqlite::Result<Escalation> {
    let id: i64 = r.get(0)?;
    macro_rules! col {
        ($i:expr, $name:literal) => {
            columns::get(r, $i, "escalations", id, $name)?
        };
    }
    Ok(Escalation {
        id,
        referral: col!(1, "referral_id"),
        area: col!(2, "area"),
        provider: col!(3, "provider"),
        rule: col!(4, "rule"),
        to: col!(5, "to_whom"),
        note: col!(6, "note"),
        raised_at: col!(7, "raised_at"),
        raised_by: col!(8, "raised_by"),
        resolved_at: col!(9, "resolved_at"),
        decision: col!(10, "decision"),
        decision_note: col!(11, "decision_note"),
        trigger_key: col!(12, "trigger_key"),
        provider_id: col!(13, "provider_id"),
    })
}

/// An escalation to raise: a rule about a referral (or an area), once per trigger.
pub struct NewEscalation<'a> {
    pub referral_id: Option<i64>,
    pub area_id: Option<i64>,
    pub provider_id: Option<i64>,
    pub rule: Rule,
    pub to: Recipient,
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

/// How many escalations were ever raised (a hand-raised one's trigger counts them).
pub fn count(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT COUNT(*) FROM escalations", [], |r| r.get(0))?)
}

/// Open escalations under these rules (a provider's teleconferences and debriefs for `due`).
pub fn open_with_rules(conn: &Connection, rules: &[Rule]) -> Result<Vec<Escalation>> {
    let marks: Vec<String> = (1..=rules.len()).map(|i| format!("?{i}")).collect();
    let mut stmt = conn
        .prepare(&format!("{SELECT} WHERE e.rule IN ({}) AND e.resolved_at IS NULL ORDER BY e.id", marks.join(",")))?;
    let params: Vec<&dyn rusqlite::ToSql> = rules.iter().map(|r| r as &dyn rusqlite::ToSql).collect();
    let rows = stmt.query_map(params.as_slice(), row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// How many escalations are open (from the partial index of open ones).
pub fn count_open(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT COUNT(*) FROM escalations WHERE resolved_at IS NULL", [], |r| r.get(0))?)
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

pub fn resolve(conn: &Connection, id: i64, at: &str, by: &str, decision: Decision, note: Option<&str>) -> Result<()> {
    conn.prepare_cached(
        "UPDATE escalations SET resolved_at = ?2, resolved_by = ?3, decision = ?4, decision_note = ?5 WHERE id = ?1",
    )?
    .execute(params![id, at, by, decision, note])?;
    Ok(())
}

/// Close the open escalations of these rules on a referral once what they asked for has been
/// done (e.g. `lapsed` once the next provider is approached), each with an audit event.
pub fn close_done(
    conn: &Connection,
    referral_id: i64,
    rules: &[Rule],
    at: &str,
    recorded_at: &str,
    by: &str,
    note: &str,
) -> Result<Vec<i64>> {
    let mut closed = Vec::new();
    for e in list(conn, true, Some(referral_id))? {
        if !rules.contains(&e.rule) {
            continue;
        }
        resolve(conn, e.id, at, by, Decision::Noted, Some(note))?;
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
        Ok((
            columns::get::<Decision>(r, 0, "escalations", 0, "decision")?,
            r.get::<_, String>(1)?,
            r.get::<_, Option<i64>>(2)?,
        ))
    })?;
    for row in rows {
        let (decision, trigger, provider) = row?;
        match decision {
            Decision::ApproveNonContracted => d.non_contracted_permitted = true,
            Decision::ApproachNext => {
                if let Some(id) = trigger.strip_prefix("offer-").and_then(|s| s.parse().ok()) {
                    d.approach_next.insert(id);
                }
            }
            Decision::RefuseFutureStart => {
                if let Some(id) = trigger.strip_prefix("offer-").and_then(|s| s.parse().ok()) {
                    d.refused_future_start.insert(id);
                }
            }
            Decision::AllowSanctioned => {
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
