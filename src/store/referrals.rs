//! Referrals: one row each, read and written whole; changes are diffed into the audit log.

use anyhow::Result;
use rusqlite::{Connection, OptionalExtension, ToSql};
use serde::Serialize;
use serde_json::{Map, Value};

/// Declares the referral record once: the struct, its column list, reading a row and writing one.
macro_rules! record {
    ($($field:ident : $ty:ty),+ $(,)?) => {
        /// A referral as stored (SPEC §4).
        #[derive(Debug, Clone, Default, Serialize, PartialEq)]
        pub struct Referral { pub id: i64, $(pub $field: $ty),+ }
        const FIELDS: &[&str] = &[$(stringify!($field)),+];
        fn from_row(r: &rusqlite::Row) -> rusqlite::Result<Referral> {
            let mut i = 0;
            let id = r.get(0)?;
            Ok(Referral { id, $($field: { i += 1; r.get(i)? }),+ })
        }
        fn values(x: &Referral) -> Vec<&dyn ToSql> { vec![$(&x.$field as &dyn ToSql),+] }
    };
}

record! {
    client_id: String,
    name: String,
    date_of_birth: Option<String>,
    address: Option<String>,
    postcode: Option<String>,
    msoa_code: Option<String>,
    cluster_id: Option<i64>,
    cluster_by_hand: bool,
    next_of_kin: Option<String>,
    lives_alone: bool,
    known_to_act: bool,
    dementia: bool,
    funding: Option<String>,
    team: String,
    referrer: String,
    referrer_email: Option<String>,
    received_at: String,
    start_date: String,
    calls_per_day: i64,
    minutes_per_call: i64,
    weekly_minutes: i64,
    hours_given: bool,
    double_handed: bool,
    hospital_discharge: bool,
    in_keah: bool,
    recent_keah: bool,
    bypass_keah: bool,
    enablement_ended: Option<String>,
    risk: Option<String>,
    time_critical: Option<String>,
    docs: String,
    authorised_weekly_pence: Option<i64>,
    estimated_weekly_pence: Option<i64>,
    notes: Option<String>,
    state: String,
    missing: String,
    list_date: Option<String>,
    parent_id: Option<i64>,
    handback: bool,
    minor_change: bool,
    provider_id: Option<i64>,
    placement_type: Option<String>,
    accepted_at: Option<String>,
    confirmed_at: Option<String>,
    confirmed_start: Option<String>,
    provider_ref: Option<String>,
    call_times: Option<String>,
    indi_completed_at: Option<String>,
    sdo_due: Option<String>,
    sdo_sent_at: Option<String>,
    fa_due: Option<String>,
    fa_done_at: Option<String>,
    cancel_reason: Option<String>,
    created_at: String,
    updated_at: String,
}

fn select_sql() -> &'static str {
    static SQL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    SQL.get_or_init(|| format!("SELECT id, {} FROM referrals", FIELDS.join(", ")))
}

pub fn get(conn: &Connection, id: i64) -> Result<Option<Referral>> {
    Ok(conn.prepare_cached(&format!("{} WHERE id = ?1", select_sql()))?.query_row([id], from_row).optional()?)
}

/// Referrals matching a WHERE clause (parameters bound, never formatted in).
pub fn select(conn: &Connection, where_sql: &str, params: &[&dyn ToSql]) -> Result<Vec<Referral>> {
    let mut stmt = conn.prepare_cached(&format!("{} {where_sql}", select_sql()))?;
    let rows = stmt.query_map(params, from_row)?;
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
    conn.prepare_cached(insert_sql())?.execute(values(r).as_slice())?;
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
        Ok(self.stmt.insert(values(r).as_slice())?)
    }
}

pub fn update(conn: &Connection, r: &Referral) -> Result<()> {
    static SQL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let sql = SQL.get_or_init(|| {
        let sets: Vec<String> = FIELDS.iter().enumerate().map(|(i, f)| format!("{f} = ?{}", i + 1)).collect();
        format!("UPDATE referrals SET {} WHERE id = ?{}", sets.join(", "), FIELDS.len() + 1)
    });
    let mut vals = values(r);
    vals.push(&r.id);
    conn.prepare_cached(sql)?.execute(vals.as_slice())?;
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
    after.updated_at = event.recorded_at.to_string();
    update(conn, after)?;
    let (b, a) = diff(before, after).unwrap_or_default();
    event.on(Some(after.id), Some(after.id)).change(Some(b), Some(a)).append(conn)?;
    Ok(())
}

/// The fields that differ, as (before, after) JSON objects; None when nothing changed.
/// `updated_at` alone is not a change.
pub fn diff(before: &Referral, after: &Referral) -> Option<(Value, Value)> {
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

impl Referral {
    pub fn docs_set(&self) -> std::collections::BTreeSet<crate::domain::model::Item> {
        self.docs.split(',').filter_map(crate::domain::model::Item::parse).collect()
    }
    pub fn missing_items(&self) -> Vec<String> {
        self.missing.split(',').filter(|s| !s.is_empty()).map(str::to_string).collect()
    }
}
