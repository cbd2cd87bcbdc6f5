//! The audit log made tamper-evident: each event stores a SHA-256 hash over its content and the
//! previous event's hash (a chain, as certificate-transparency logs keep), and the chain's head
//! (count and last hash) is kept beside it. `hcp audit verify` walks the chain: an edited event,
//! a deleted one, a replayed id, or a dropped and rebuilt table (its guarding triggers gone) is
//! found and named.
//!
//! What it cannot do: stop someone with write access to the file who recomputes every hash and
//! the head. The guard against that is a copy of the head kept elsewhere (`hcp audit verify
//! --json` prints it; a backup holds it too).

use anyhow::Result;
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use sha2::{Digest, Sha256};

/// The fields of an event that its hash covers, in order.
pub struct Fields<'a> {
    pub id: i64,
    pub at: &'a str,
    pub recorded_at: &'a str,
    pub user: &'a str,
    pub event: &'a str,
    pub entity: &'a str,
    pub entity_id: Option<i64>,
    pub referral_id: Option<i64>,
    pub details: &'a str,
    pub before: Option<&'a str>,
    pub after: Option<&'a str>,
}

/// SHA-256 (hex) over the previous hash and the event's fields, each length-prefixed so no two
/// different events hash alike.
pub fn hash(prev: &str, f: &Fields) -> String {
    let mut h = Sha256::new();
    let mut part = |s: &str| {
        h.update((s.len() as u64).to_le_bytes());
        h.update(s.as_bytes());
    };
    let opt = |v: Option<i64>| v.map(|n| n.to_string()).unwrap_or_else(|| "-".into());
    part(prev);
    part(&f.id.to_string());
    part(f.at);
    part(f.recorded_at);
    part(f.user);
    part(f.event);
    part(f.entity);
    part(&opt(f.entity_id));
    part(&opt(f.referral_id));
    part(f.details);
    part(f.before.unwrap_or("\u{0}"));
    part(f.after.unwrap_or("\u{0}"));
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// The chain's head: the number of events and the last hash ("" for an empty log).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Head {
    pub count: i64,
    pub hash: String,
}

pub fn head(conn: &Connection) -> Result<Head> {
    Ok(conn
        .prepare_cached("SELECT count, hash FROM audit_head WHERE id = 1")?
        .query_row([], |r| Ok(Head { count: r.get(0)?, hash: r.get(1)? }))
        .optional()?
        .unwrap_or(Head { count: 0, hash: String::new() }))
}

pub fn set_head(conn: &Connection, h: &Head) -> Result<()> {
    conn.prepare_cached("INSERT OR REPLACE INTO audit_head (id, count, hash) VALUES (1, ?1, ?2)")?
        .execute(params![h.count, h.hash])?;
    Ok(())
}

/// An event as stored, with its place in the chain.
struct Stored {
    id: i64,
    at: String,
    recorded_at: String,
    user: String,
    event: String,
    entity: String,
    entity_id: Option<i64>,
    referral_id: Option<i64>,
    details: String,
    before: Option<String>,
    after: Option<String>,
    prev_hash: Option<String>,
    hash: Option<String>,
}

const SELECT: &str = "SELECT id, at, recorded_at, user, event, entity, entity_id, referral_id, details, before, after,
    prev_hash, hash FROM events ORDER BY id";

fn stored(r: &rusqlite::Row) -> rusqlite::Result<Stored> {
    Ok(Stored {
        id: r.get(0)?,
        at: r.get(1)?,
        recorded_at: r.get(2)?,
        user: r.get(3)?,
        event: r.get(4)?,
        entity: r.get(5)?,
        entity_id: r.get(6)?,
        referral_id: r.get(7)?,
        details: r.get(8)?,
        before: r.get(9)?,
        after: r.get(10)?,
        prev_hash: r.get(11)?,
        hash: r.get(12)?,
    })
}

impl Stored {
    fn hash_after(&self, prev: &str) -> String {
        hash(
            prev,
            &Fields {
                id: self.id,
                at: &self.at,
                recorded_at: &self.recorded_at,
                user: &self.user,
                event: &self.event,
                entity: &self.entity,
                entity_id: self.entity_id,
                referral_id: self.referral_id,
                details: &self.details,
                before: self.before.as_deref(),
                after: self.after.as_deref(),
            },
        )
    }
}

/// Hash the events written before the chain existed (migration 2), in order, and set the head.
/// The caller has lifted the no-update guard for this and restores it.
pub fn backfill(conn: &Connection) -> Result<()> {
    let events: Vec<Stored> = conn.prepare(SELECT)?.query_map([], stored)?.collect::<Result<_, _>>()?;
    let mut prev = String::new();
    let mut update = conn.prepare("UPDATE events SET prev_hash = ?2, hash = ?3 WHERE id = ?1")?;
    for e in &events {
        let h = e.hash_after(&prev);
        update.execute(params![e.id, prev, h])?;
        prev = h;
    }
    set_head(conn, &Head { count: events.len() as i64, hash: prev })?;
    Ok(())
}

/// What `hcp audit verify` found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verdict {
    pub events: i64,
    pub head: Head,
    /// The first problem, in words; None when the log is whole.
    pub problem: Option<String>,
    /// The event where it was found.
    pub event_id: Option<i64>,
}

const TRIGGERS: [&str; 3] = ["events_no_update", "events_no_delete", "events_no_replace"];

/// Walk the whole chain.
pub fn verify(conn: &Connection) -> Result<Verdict> {
    let head = head(conn)?;
    let fail =
        |events, problem: String, event_id| Verdict { events, head: head.clone(), problem: Some(problem), event_id };
    for t in TRIGGERS {
        let n: i64 = conn.query_row(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND name = ?1 AND tbl_name = 'events'",
            [t],
            |r| r.get(0),
        )?;
        if n == 0 {
            return Ok(fail(
                0,
                format!(
                    "the audit log's guard {t} is missing: the table was dropped and rebuilt, or its guards removed"
                ),
                None,
            ));
        }
    }
    let mut stmt = conn.prepare(SELECT)?;
    let mut rows = stmt.query([])?;
    let (mut prev, mut count) = (String::new(), 0i64);
    while let Some(r) = rows.next()? {
        let e = stored(r)?;
        if e.prev_hash.as_deref() != Some(prev.as_str()) {
            let why = format!("event {} does not follow the one before it: an event was removed or inserted", e.id);
            return Ok(fail(count, why, Some(e.id)));
        }
        let h = e.hash_after(&prev);
        if e.hash.as_deref() != Some(h.as_str()) {
            let why = format!("event {} ({}, {}, {}) was changed after it was recorded", e.id, e.event, e.at, e.user);
            return Ok(fail(count, why, Some(e.id)));
        }
        prev = h;
        count += 1;
    }
    if count != head.count || prev != head.hash {
        return Ok(fail(
            count,
            format!("the log holds {count} events but its head says {}: events at the end were removed", head.count),
            None,
        ));
    }
    Ok(Verdict { events: count, head, problem: None, event_id: None })
}
