//! Applying a lifecycle [`Transition`] (see `domain::lifecycle`): the offer, the referral, a linked
//! referral, the escalations raised and settled, and their audit events, in the caller's one
//! IMMEDIATE transaction (`Store::write`).

use super::escalations::{self, NewEscalation};
use super::events::Event;
use super::{offers, referrals};
use crate::domain::dates::store_instant;
use crate::domain::lifecycle::{OfferChange, Transition};
use crate::domain::model::State;
use crate::domain::record::Referral;
use crate::domain::waiting::Rule;
use anyhow::Result;
use chrono::{DateTime, Utc};
use rusqlite::Connection;

/// Who recorded a change, when it happened (`--at`) and when it was recorded (now).
pub struct Stamp<'a> {
    pub at: DateTime<Utc>,
    pub now: DateTime<Utc>,
    pub user: &'a str,
}

/// What applying a transition created: the offer it made or answered, a linked referral.
#[derive(Debug, Clone, Copy, Default)]
pub struct Applied {
    pub offer_id: Option<i64>,
    pub linked_id: Option<i64>,
}

/// Write a transition of the referral `before`.
pub fn apply(conn: &Connection, before: &Referral, t: Transition, stamp: &Stamp) -> Result<Applied> {
    let (at, now) = (store_instant(stamp.at), store_instant(stamp.now));
    let user = stamp.user;
    let mut applied = Applied::default();
    let mut details = t.details;
    if let Some(change) = &t.offer {
        applied.offer_id = Some(match change {
            OfferChange::New(o) => offers::insert(
                conn,
                &offers::NewOffer {
                    referral_id: before.id,
                    provider_id: o.provider_id,
                    tier: o.tier,
                    placement_type: o.placement_type,
                    offered_at: o.offered_at,
                    deadline: o.deadline,
                    override_reason: o.override_reason.as_deref(),
                    offered_by: user,
                },
            )?,
            OfferChange::Answered(o) => {
                offers::record_response(conn, o)?;
                o.id
            }
        });
    }
    if let Some(mut linked) = t.linked {
        linked.id = 0;
        let id = referrals::insert(conn, &linked)?;
        linked.id = id;
        Event::new("referral split: remainder listed", "referral", &at, &now, user)
            .on(Some(id), Some(id))
            .details(serde_json::json!({ "parent": before.id, "calls_per_day": linked.calls_per_day }))
            .change(None, Some(serde_json::to_value(&linked)?))
            .append(conn)?;
        applied.linked_id = Some(id);
        if let serde_json::Value::Object(m) = &mut details {
            m.insert("linked_referral".into(), id.into());
        }
    }
    let mut after = t.referral;
    after.updated_at = stamp.now;
    referrals::update(conn, &after)?;
    let (b, a) = referrals::diff(before, &after).unwrap_or_default();
    let (entity, entity_id) = match applied.offer_id {
        Some(id) => ("offer", Some(id)),
        None => ("referral", Some(before.id)),
    };
    Event::new(t.event, entity, &at, &now, user)
        .on(entity_id, Some(before.id))
        .details(details)
        .change(Some(b), Some(a))
        .append(conn)?;
    if !t.settle.is_empty() {
        escalations::close_done(conn, before.id, &t.settle, &at, &now, user, t.settle_note)?;
    }
    // Off the list (placed, tentatively placed, cancelled): the waiting-list questions are closed.
    if before.state.on_list() && !after.state.on_list() && after.state != State::Incomplete {
        let rules = [Rule::Waiting5, Rule::Waiting10, Rule::KeahOverstayer, Rule::NonContractedPermission];
        escalations::close_done(conn, before.id, &rules, &at, &now, user, "no longer on the list")?;
    }
    for r in &t.raise {
        escalations::raise_once(
            conn,
            &NewEscalation {
                referral_id: Some(before.id),
                area_id: None,
                provider_id: r.provider_id,
                rule: r.rule,
                to: r.rule.recipient(),
                trigger_key: &r.trigger,
                note: &r.note,
                raised_at: &at,
                raised_by: user,
            },
            &now,
        )?;
    }
    Ok(applied)
}
