//! Referrals with their offers read as one stream, a referral at a time in id order, so that
//! an export or a list of any size holds one referral in memory, not the database. Two cursors
//! (referrals by id; their offers by referral) are merged as they go.

use super::offers::{self, Offer};
use super::referrals::{self, Referral};
use crate::domain::model::State;
use anyhow::Result;
use rusqlite::types::Value;
use rusqlite::{params_from_iter, Connection};

/// The WHERE condition on referrals (column names after `prefix`) and its parameters: the
/// states (every state when empty), and one area when given.
fn condition(prefix: &str, states: &[State], area_id: Option<i64>) -> (Vec<String>, Vec<Value>) {
    let (mut terms, mut params) = (Vec::new(), Vec::new());
    let every = states.is_empty() || State::ALL.iter().all(|s| states.contains(s));
    if !every {
        let marks: Vec<String> = states.iter().map(|_| "?".to_string()).collect();
        terms.push(format!("{prefix}state IN ({})", marks.join(", ")));
        params.extend(states.iter().map(|s| Value::Text(s.as_str().to_string())));
    }
    if let Some(a) = area_id {
        terms.push(format!("{prefix}cluster_id IN (SELECT id FROM clusters WHERE area_id = ?)"));
        params.push(Value::Integer(a));
    }
    (terms, params)
}

/// Call `f` with each referral in `states` (all when empty), in one area when given, and its
/// offers (oldest first), in id order.
pub fn each_with_offers(
    conn: &Connection,
    states: &[State],
    area_id: Option<i64>,
    mut f: impl FnMut(Referral, Vec<Offer>) -> Result<()>,
) -> Result<()> {
    let (terms, params) = condition("", states, area_id);
    let filter = if terms.is_empty() { String::new() } else { format!(" WHERE {}", terms.join(" AND ")) };
    let mut referrals = conn.prepare(&format!("{}{filter} ORDER BY id", referrals::select_sql()))?;
    let (o_terms, o_params) = condition("r.", states, area_id);
    let offers_sql = if o_terms.is_empty() {
        format!("{} ORDER BY o.referral_id, o.offered_at, o.id", offers::SELECT)
    } else {
        format!(
            "{} JOIN referrals r ON r.id = o.referral_id WHERE {} ORDER BY o.referral_id, o.offered_at, o.id",
            offers::SELECT,
            o_terms.join(" AND ")
        )
    };
    let mut offers = conn.prepare(&offers_sql)?;
    let mut os = offers.query_map(params_from_iter(o_params), offers::row)?.peekable();
    for r in referrals.query_map(params_from_iter(params), referrals::from_row)? {
        let r = r?;
        let mut mine = Vec::new();
        while let Some(o) = os.peek() {
            match o {
                Ok(o) if o.referral_id < r.id => {
                    os.next();
                }
                Ok(o) if o.referral_id == r.id => {
                    mine.extend(os.next().transpose()?);
                }
                Ok(_) => break,
                Err(_) => {
                    os.next().transpose()?;
                }
            }
        }
        f(r, mine)?;
    }
    Ok(())
}
