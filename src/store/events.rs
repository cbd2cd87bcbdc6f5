//! The audit log: every change appends one event (who, when, what, before/after).

use anyhow::Result;
use rusqlite::{params, Connection};
use serde_json::Value;

/// One change, as recorded.
pub struct Event<'a> {
    /// When it happened (`--at`), UTC RFC 3339.
    pub at: &'a str,
    /// When hcp recorded it (now).
    pub recorded_at: &'a str,
    pub user: &'a str,
    pub event: &'a str,
    pub entity: &'a str,
    pub entity_id: Option<i64>,
    pub referral_id: Option<i64>,
    pub details: Value,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

impl<'a> Event<'a> {
    /// A change called `event` to an `entity`, by `user`: it happened `at` (`--at`) and was
    /// recorded `recorded_at` (now).
    pub fn new(event: &'a str, entity: &'a str, at: &'a str, recorded_at: &'a str, user: &'a str) -> Event<'a> {
        Event {
            at,
            recorded_at,
            user,
            event,
            entity,
            entity_id: None,
            referral_id: None,
            details: Value::Object(Default::default()),
            before: None,
            after: None,
        }
    }
    /// Which entity and which referral it concerns.
    pub fn on(mut self, entity_id: Option<i64>, referral_id: Option<i64>) -> Self {
        self.entity_id = entity_id;
        self.referral_id = referral_id;
        self
    }
    pub fn details(mut self, details: Value) -> Self {
        self.details = details;
        self
    }
    /// The values before and after.
    pub fn change(mut self, before: Option<Value>, after: Option<Value>) -> Self {
        self.before = before;
        self.after = after;
        self
    }
    pub fn append(self, conn: &Connection) -> Result<i64> {
        append(conn, self)
    }
}

/// Append an event to the chained log (see `store::audit`): its id follows the last, its hash
/// covers its content and the previous hash, and the head moves on. Callers hold the IMMEDIATE
/// transaction, so no other writer interleaves.
pub fn append(conn: &Connection, e: Event) -> Result<i64> {
    let head = super::audit::head(conn)?;
    let id: i64 = conn.prepare_cached("SELECT IFNULL(MAX(id), 0) + 1 FROM events")?.query_row([], |r| r.get(0))?;
    let (details, before, after) =
        (e.details.to_string(), e.before.map(|v| v.to_string()), e.after.map(|v| v.to_string()));
    let hash = super::audit::hash(
        &head.hash,
        &super::audit::Fields {
            id,
            at: e.at,
            recorded_at: e.recorded_at,
            user: e.user,
            event: e.event,
            entity: e.entity,
            entity_id: e.entity_id,
            referral_id: e.referral_id,
            details: &details,
            before: before.as_deref(),
            after: after.as_deref(),
        },
    );
    conn.prepare_cached(
        "INSERT INTO events (id, at, recorded_at, user, event, entity, entity_id, referral_id, details, before, after,
         prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    )?
    .execute(params![
        id,
        e.at,
        e.recorded_at,
        e.user,
        e.event,
        e.entity,
        e.entity_id,
        e.referral_id,
        details,
        before,
        after,
        head.hash,
        hash
    ])?;
    super::audit::set_head(conn, &super::audit::Head { count: head.count + 1, hash })?;
    Ok(id)
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct HistoryRow {
    pub at: String,
    pub user: String,
    pub event: String,
    pub details: Value,
}

/// Record that one bulk event created referrals `first_id..=last_id`.
pub fn link_batch(conn: &Connection, event_id: i64, first_id: i64, last_id: i64) -> Result<()> {
    conn.execute(
        "INSERT INTO import_batches (event_id, first_id, last_id) VALUES (?1, ?2, ?3)",
        params![event_id, first_id, last_id],
    )?;
    Ok(())
}

/// A referral's events in order, including the bulk import that created it.
pub fn for_referral(conn: &Connection, referral_id: i64) -> Result<Vec<HistoryRow>> {
    let mut stmt = conn.prepare(
        "SELECT at, user, event, details, before, after, id FROM events WHERE referral_id = ?1
         UNION ALL
         SELECT e.at, e.user, 'referral imported', e.details, e.before, e.after, e.id
         FROM import_batches b CROSS JOIN events e ON e.id = b.event_id
         WHERE ?1 BETWEEN b.first_id AND b.last_id
         ORDER BY 7",
    )?;
    let rows = stmt.query_map([referral_id], |r| {
        let details: String = r.get(3)?;
        let before: Option<String> = r.get(4)?;
        let after: Option<String> = r.get(5)?;
        let mut d: Value = serde_json::from_str(&details).unwrap_or(Value::Null);
        if let Value::Object(m) = &mut d {
            if let Some(b) = before.and_then(|b| serde_json::from_str(&b).ok()) {
                m.insert("before".into(), b);
            }
            if let Some(a) = after.and_then(|a| serde_json::from_str(&a).ok()) {
                m.insert("after".into(), a);
            }
        }
        Ok(HistoryRow { at: r.get(0)?, user: r.get(1)?, event: r.get(2)?, details: d })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The referrals a user has recorded anything about (`hcp due --mine`).
pub fn referrals_touched_by(conn: &Connection, user: &str) -> Result<std::collections::HashSet<i64>> {
    let mut s =
        conn.prepare_cached("SELECT DISTINCT referral_id FROM events WHERE user = ?1 AND referral_id IS NOT NULL")?;
    let ids = s.query_map([user], |r| r.get(0))?.collect::<Result<_, _>>()?;
    Ok(ids)
}
