//! Referrals: one row each, read and written whole; changes are diffed into the audit log.

use super::columns::{self, Col};
use crate::domain::due::DeadlineFacts;
use crate::domain::model::State;
pub use crate::domain::record::Referral;
use crate::domain::responses::OfferFacts;
use anyhow::Result;
use rusqlite::types::Value;
use rusqlite::{params_from_iter, Connection, OptionalExtension, ToSql};
use serde_json::Map;

/// The referral's columns, in the order of `domain::record::Referral` (a test checks that every
/// field is listed). Each is read and written through `columns::Col`.
macro_rules! columns {
    ($($field:ident),+ $(,)?) => {
        const FIELDS: &[&str] = &[$(stringify!($field)),+];
        pub(super) fn from_row(r: &rusqlite::Row) -> rusqlite::Result<Referral> {
            let id: i64 = r.get(0)?;
            let mut i = 0;
            Ok(Referral { id, $($field: { i += 1; columns::get(r, i, "referrals", id, stringify!($field))? }),+ })
        }
        fn values(x: &Referral) -> Vec<Value> { vec![$(x.$field.write()),+] }
    };
}

columns! {
    client_id,
    name,
    date_of_birth,
    address,
    postcode,
    msoa_code,
    cluster_id,
    cluster_by_hand,
    next_of_kin,
    lives_alone,
    known_to_act,
    dementia,
    funding,
    team,
    referrer,
    referrer_email,
    received_at,
    start_date,
    calls_per_day,
    minutes_per_call,
    days_per_week,
    weekly_minutes,
    hours_given,
    double_handed,
    hospital_discharge,
    in_keah,
    recent_keah,
    bypass_keah,
    enablement_ended,
    risk,
    time_critical,
    docs,
    docs_assumed,
    authorised_weekly_pence,
    estimated_weekly_pence,
    notes,
    state,
    missing,
    list_date,
    parent_id,
    handback,
    handback_reason,
    handback_notified,
    handback_end,
    handback_provider_id,
    minor_change,
    provider_id,
    placement_type,
    accepted_at,
    form_sent_at,
    confirmed_at,
    confirmed_start,
    provider_ref,
    call_times,
    indi_completed_at,
    sdo_due,
    sdo_sent_at,
    fa_due,
    fa_done_at,
    cancel_reason,
    client_group,
    service,
    direct_payment,
    enablement_eligible,
    rate_type,
    sleep_nights,
    wake_nights,
    created_at,
    updated_at,
}

pub(super) fn select_sql() -> &'static str {
    static SQL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    SQL.get_or_init(|| format!("SELECT id, {} FROM referrals", FIELDS.join(", ")))
}

pub fn get(conn: &Connection, id: i64) -> Result<Option<Referral>> {
    Ok(conn.prepare_cached(&format!("{} WHERE id = ?1", select_sql()))?.query_row([id], from_row).optional()?)
}

/// Referrals matching a WHERE clause (parameters bound, never formatted in).
fn select(conn: &Connection, where_sql: &str, params: &[&dyn ToSql]) -> Result<Vec<Referral>> {
    let mut stmt = conn.prepare_cached(&format!("{} {where_sql}", select_sql()))?;
    let rows = stmt.query_map(params, from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The referrals of an area that a report for [start, end) must look at: created before the
/// end, and either changed since the start or still on the list (a referral unchanged since
/// before the start and off the list has nothing to report).
pub fn for_report(conn: &Connection, area_id: i64, start: &str, end: &str) -> Result<Vec<Referral>> {
    select(
        conn,
        "WHERE id IN (SELECT id FROM referrals WHERE updated_at >= ?2 \
                      UNION SELECT id FROM referrals WHERE state IN ('waiting', 'offered', 'considering')) \
         AND cluster_id IN (SELECT id FROM clusters WHERE area_id = ?1) AND created_at < ?3 ORDER BY id",
        &[&area_id, &start, &end],
    )
}

/// Open referrals of a client (not cancelled or ended).
pub fn open_for_client(conn: &Connection, client_id: &str) -> Result<Vec<Referral>> {
    select(conn, "WHERE client_id = ?1 AND state NOT IN ('cancelled', 'ended') ORDER BY id", &[&client_id])
}

/// A client's referral: the open one (newest first), else the newest.
pub fn for_client(conn: &Connection, client_id: &str) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached(
            "SELECT id FROM referrals WHERE client_id = ?1
             ORDER BY state IN ('cancelled', 'ended'), received_at DESC, id DESC LIMIT 1",
        )?
        .query_row([client_id], |r| r.get(0))
        .optional()?)
}

/// The packages placed with a provider (accepted, confirmed or active), by id.
pub fn placed_with(conn: &Connection, provider_id: i64) -> Result<Vec<Referral>> {
    select(conn, "WHERE provider_id = ?1 AND state IN ('accepted', 'confirmed', 'active') ORDER BY id", &[&provider_id])
}

/// Referrals by id (those that exist), in id order.
pub fn by_ids(conn: &Connection, ids: &[i64]) -> Result<Vec<Referral>> {
    let mut out = Vec::new();
    for id in ids {
        out.extend(get(conn, *id)?);
    }
    Ok(out)
}

/// Every referral's id, client id and name, for finding by name.
pub fn names(conn: &Connection) -> Result<Vec<(i64, String, String)>> {
    let mut stmt = conn.prepare_cached("SELECT id, client_id, name FROM referrals ORDER BY id")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The placed packages whose first review hcp schedules (SPEC §10): confirmed or active, not a
/// minor change, not yet reviewed, and whose review window had not closed when the package came
/// into hcp (a package imported after its review was due had it under the old process). The
/// same condition as the partial index `referrals_to_review` (schema_3.sql), so it is read
/// from there (named: without statistics SQLite would pick the index on state, all placements).
pub const TO_REVIEW: &str = "state IN ('confirmed', 'active') AND minor_change = 0 AND pir_done = 0 \
    AND COALESCE(confirmed_start, start_date) >= date(created_at, CASE known_to_act WHEN 1 THEN '-28 days' ELSE '-56 days' END)";

/// The packages whose first review is still to be held ([`TO_REVIEW`]); in one area when given.
pub fn placed_unreviewed(conn: &Connection, area_id: Option<i64>) -> Result<Vec<Referral>> {
    match area_id {
        Some(a) => select(
            conn,
            &format!(
                "INDEXED BY referrals_to_review WHERE {TO_REVIEW} \
                 AND cluster_id IN (SELECT id FROM clusters WHERE area_id = ?1) ORDER BY id"
            ),
            &[&a],
        ),
        None => select(conn, &format!("INDEXED BY referrals_to_review WHERE {TO_REVIEW} ORDER BY id"), &[]),
    }
}

/// The referrals with work still open, for `due` and `escalate`: those in `states`, and active
/// packages whose financial assessment is still outstanding; in one area when given. As a WHERE
/// clause on `referrals` (called `alias` in the query) and its parameters: two index reads
/// (state; the partial index of open financial assessments), not a scan. `in_open_work` is the
/// same condition on a referral already read.
fn open_work_filter(alias: &str, states: &[State], area_id: Option<i64>) -> (String, Vec<Value>) {
    let marks = (1..=states.len()).map(|i| format!("?{i}")).collect::<Vec<_>>().join(",");
    let mut params: Vec<Value> = states.iter().map(|s| Value::Text(s.as_str().to_string())).collect();
    let mut sql = format!(
        "WHERE {alias}.id IN (SELECT id FROM referrals WHERE state IN ({marks}) \
         UNION SELECT id FROM referrals INDEXED BY referrals_fa_open \
         WHERE state = 'active' AND fa_done_at IS NULL AND fa_due IS NOT NULL)"
    );
    if let Some(a) = area_id {
        sql.push_str(&format!(
            " AND {alias}.cluster_id IN (SELECT id FROM clusters WHERE area_id = ?{})",
            states.len() + 1
        ));
        params.push(Value::Integer(a));
    }
    sql.push_str(&format!(" ORDER BY {alias}.id"));
    (sql, params)
}

/// A referral already read is one `open_work` would read (with no area).
pub fn in_open_work(r: &Referral, states: &[State]) -> bool {
    states.contains(&r.state) || (r.state == State::Active && r.fa_done_at.is_none() && r.fa_due.is_some())
}

/// The referrals with work still open (see `open_work_filter`), whole.
pub fn open_work(conn: &Connection, states: &[State], area_id: Option<i64>) -> Result<Vec<Referral>> {
    let (filter, params) = open_work_filter("referrals", states, area_id);
    let mut stmt = conn.prepare_cached(&format!("{} {filter}", select_sql()))?;
    let rows = stmt.query_map(params_from_iter(params), from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The same referrals as `open_work`, as the facts their deadlines are worked out from, each
/// with its latest offer while it is offered, considering or accepted: `due` lists thousands
/// nationally, so one query reads the dozen columns it needs, not whole records.
pub fn open_work_deadlines(
    conn: &Connection,
    states: &[State],
    area_id: Option<i64>,
) -> Result<Vec<(DeadlineFacts, Option<OfferFacts>)>> {
    let (filter, params) = open_work_filter("r", states, area_id);
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT r.id, r.name, r.state, r.accepted_at, r.form_sent_at, r.provider_id, r.sdo_sent_at, r.start_date, \
         r.confirmed_start, r.placement_type, r.indi_completed_at, r.sdo_due, r.fa_due, r.fa_done_at, \
         o.id, o.provider_id, o.offered_at, o.deadline, o.response, o.responded_at, o.reason, o.until, o.future_start \
         FROM referrals r LEFT JOIN offers o ON r.state IN ('offered', 'considering', 'accepted') \
         AND o.id = (SELECT l.id FROM offers l WHERE l.referral_id = r.id ORDER BY l.offered_at DESC, l.id DESC LIMIT 1) \
         {filter}"
    ))?;
    let rows = stmt.query_map(params_from_iter(params), |r| {
        let id: i64 = r.get(0)?;
        macro_rules! col {
            ($i:expr, $name:literal) => {
                columns::get(r, $i, "referrals", id, $name)?
            };
        }
        let facts = DeadlineFacts {
            id,
            name: col!(1, "name"),
            state: col!(2, "state"),
            accepted_at: col!(3, "accepted_at"),
            form_sent_at: col!(4, "form_sent_at"),
            provider_id: col!(5, "provider_id"),
            sdo_sent_at: col!(6, "sdo_sent_at"),
            start_date: col!(7, "start_date"),
            confirmed_start: col!(8, "confirmed_start"),
            placement_type: col!(9, "placement_type"),
            indi_completed_at: col!(10, "indi_completed_at"),
            sdo_due: col!(11, "sdo_due"),
            fa_due: col!(12, "fa_due"),
            fa_done_at: col!(13, "fa_done_at"),
        };
        let offer = match r.get::<_, Option<i64>>(14)? {
            None => None,
            Some(oid) => {
                macro_rules! ocol {
                    ($i:expr, $name:literal) => {
                        columns::get(r, $i, "offers", oid, $name)?
                    };
                }
                Some(OfferFacts {
                    id: oid,
                    provider_id: ocol!(15, "provider_id"),
                    offered_at: ocol!(16, "offered_at"),
                    deadline: ocol!(17, "deadline"),
                    response: ocol!(18, "response"),
                    responded_at: ocol!(19, "responded_at"),
                    reason: ocol!(20, "reason"),
                    until: ocol!(21, "until"),
                    future_start: ocol!(22, "future_start"),
                })
            }
        };
        Ok((facts, offer))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn insert_sql() -> &'static str {
    static SQL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    SQL.get_or_init(|| {
        let placeholders: Vec<String> = (1..=FIELDS.len()).map(|i| format!("?{i}")).collect();
        format!("INSERT INTO referrals ({}) VALUES ({})", FIELDS.join(", "), placeholders.join(", "))
    })
}

pub fn insert(conn: &Connection, r: &Referral) -> Result<i64> {
    conn.prepare_cached(insert_sql())?.execute(params_from_iter(values(r)))?;
    Ok(conn.last_insert_rowid())
}

/// A prepared insert for bulk work (the import), so the statement is not looked up per row.
pub struct Inserter<'c> {
    stmt: rusqlite::Statement<'c>,
}

impl<'c> Inserter<'c> {
    pub fn new(conn: &'c Connection) -> Result<Inserter<'c>> {
        Ok(Inserter { stmt: conn.prepare(insert_sql())? })
    }
    pub fn insert(&mut self, r: &Referral) -> Result<i64> {
        Ok(self.stmt.insert(params_from_iter(values(r)))?)
    }
}

pub fn update(conn: &Connection, r: &Referral) -> Result<()> {
    static SQL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let sql = SQL.get_or_init(|| {
        let sets: Vec<String> = FIELDS.iter().enumerate().map(|(i, f)| format!("{f} = ?{}", i + 1)).collect();
        format!("UPDATE referrals SET {} WHERE id = ?{}", sets.join(", "), FIELDS.len() + 1)
    });
    let mut vals = values(r);
    vals.push(Value::Integer(r.id));
    conn.prepare_cached(sql)?.execute(params_from_iter(vals))?;
    Ok(())
}

/// Write a changed referral and its audit event, which gets the fields that changed (before and
/// after) and is linked to the referral. `updated_at` becomes the event's recorded time.
pub fn save(
    conn: &Connection,
    before: &Referral,
    event: crate::store::events::Event,
    after: &mut Referral,
) -> Result<()> {
    after.updated_at = crate::domain::dates::load_instant(event.recorded_at).unwrap_or(after.updated_at);
    update(conn, after)?;
    let (b, a) = diff(before, after).unwrap_or_default();
    event.on(Some(after.id), Some(after.id)).change(Some(b), Some(a)).append(conn)?;
    Ok(())
}

/// The fields that differ, as (before, after) JSON objects; None when nothing changed.
/// `updated_at` alone is not a change.
pub fn diff(before: &Referral, after: &Referral) -> Option<(serde_json::Value, serde_json::Value)> {
    use serde_json::Value;
    let (Value::Object(b), Value::Object(a)) = (serde_json::to_value(before).ok()?, serde_json::to_value(after).ok()?)
    else {
        return None;
    };
    let mut bo = Map::new();
    let mut ao = Map::new();
    for (k, av) in &a {
        if k == "updated_at" {
            continue;
        }
        let bv = b.get(k).cloned().unwrap_or(Value::Null);
        if &bv != av {
            bo.insert(k.clone(), bv);
            ao.insert(k.clone(), av.clone());
        }
    }
    (!ao.is_empty()).then_some((Value::Object(bo), Value::Object(ao)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_is_a_column() {
        let r = Referral::new(chrono::Utc::now());
        let serde_json::Value::Object(m) = serde_json::to_value(&r).unwrap() else { panic!("object") };
        let mut keys: Vec<&str> = m.keys().map(String::as_str).filter(|k| *k != "id").collect();
        let mut fields = FIELDS.to_vec();
        keys.sort();
        fields.sort();
        assert_eq!(keys, fields);
    }

    #[test]
    fn a_referral_round_trips() -> Result<()> {
        let s = crate::store::Store::in_memory()?;
        let now = crate::domain::dates::load_instant("2026-11-23T09:15:00Z").unwrap();
        let mut r = Referral::new(now);
        r.client_id = "007".into();
        r.name = "Zoë O'Brien".into();
        r.docs = vec![crate::domain::model::Item::ReferralForm];
        r.call_times = vec![chrono::NaiveTime::from_hms_opt(7, 30, 0).unwrap()];
        r.id = insert(s.conn(), &r)?;
        assert_eq!(get(s.conn(), r.id)?, Some(r));
        Ok(())
    }
}
