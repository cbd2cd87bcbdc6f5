//! A referral as people and scripts see it: its state as of now (lapses computed from the
//! clock), RAG, working days waiting, where it is, its offers. Shared by show, list, add, offer…

use crate::cli::ctx::Rules;
use crate::domain::dates::{json_instant, load_instant, london_date};
use crate::domain::model::{Rag, State, Team};
use crate::domain::responses::{effective_state, is_late, shown_response};
use crate::domain::text::show_hours;
use crate::domain::waiting::{rag, working_days_waiting, ListFacts};
use crate::error::UserError;
use crate::store::offers::{self, Offer};
use crate::store::reference::{self, Place};
use crate::store::referrals::{self, Referral};
use anyhow::Result;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::Connection;
use serde_json::{json, Value};

pub struct ReferralView {
    pub r: Referral,
    pub state: State,
    pub rag: Option<Rag>,
    pub working_days_waiting: Option<u32>,
    pub place: Option<Place>,
    pub cluster: Option<String>,
    pub area: Option<String>,
    pub offers: Vec<Offer>,
    pub provider: Option<String>,
}

pub fn unknown_referral(id: i64) -> anyhow::Error {
    UserError::new(format!("no referral with id {id}"))
        .hint("`hcp referral list` shows the referrals and their ids")
        .into()
}

pub fn load_referral(conn: &Connection, id: i64) -> Result<Referral> {
    referrals::get(conn, id)?.ok_or_else(|| unknown_referral(id))
}

pub fn date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

pub fn list_facts(r: &Referral, state: State) -> ListFacts {
    ListFacts {
        state,
        team: Team::parse(&r.team).unwrap_or(Team::Act),
        list_date: r.list_date.as_deref().and_then(load_instant).map(london_date),
        start: date(&r.start_date).unwrap_or_default(),
        hospital_discharge: r.hospital_discharge,
        overstayer: r.in_keah,
        handback_care_ends: None,
    }
}

/// Names and places by id, loaded once per command so a list of thousands of referrals costs
/// no query per referral.
pub struct Names {
    places: std::collections::HashMap<String, Place>,
    clusters: std::collections::HashMap<i64, (String, String)>,
    providers: std::collections::HashMap<i64, String>,
}

impl Names {
    pub fn load(conn: &Connection) -> Result<Names> {
        let places = reference::all_places(conn)?.into_iter().map(|p| (p.msoa.clone(), p)).collect();
        let mut s =
            conn.prepare_cached("SELECT c.id, c.name, a.name FROM clusters c JOIN areas a ON a.id = c.area_id")?;
        let clusters = s
            .query_map([], |r| Ok((r.get::<_, i64>(0)?, (r.get::<_, String>(1)?, r.get::<_, String>(2)?))))?
            .collect::<Result<_, _>>()?;
        let mut s = conn.prepare_cached("SELECT id, name FROM providers")?;
        let providers =
            s.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?.collect::<Result<_, _>>()?;
        Ok(Names { places, clusters, providers })
    }
}

/// Build the view from a referral and its offers (oldest first).
pub fn build(names: &Names, rules: &Rules, now: DateTime<Utc>, r: Referral, offers: Vec<Offer>) -> ReferralView {
    let stored = State::parse(&r.state).unwrap_or(State::Incomplete);
    let latest = offers.last().map(|o| o.facts());
    let state = effective_state(stored, latest.as_ref(), now);
    let facts = list_facts(&r, state);
    let today = london_date(now);
    let rag = rag(&facts, &rules.calendar, &rules.thresholds, today);
    let wd = if state.on_list() { working_days_waiting(&rules.calendar, facts.list_date, today) } else { None };
    let place = r.msoa_code.as_ref().and_then(|m| names.places.get(m)).cloned();
    let (cluster, area) = match r.cluster_id.and_then(|c| names.clusters.get(&c)) {
        Some((c, a)) => (Some(c.clone()), Some(a.clone())),
        None => (None, None),
    };
    let provider = r.provider_id.and_then(|p| names.providers.get(&p)).cloned();
    ReferralView { r, state, rag, working_days_waiting: wd, place, cluster, area, offers, provider }
}

pub fn load(conn: &Connection, rules: &Rules, now: DateTime<Utc>, id: i64) -> Result<ReferralView> {
    let r = load_referral(conn, id)?;
    let offers = offers::for_referral(conn, id)?;
    Ok(build(&Names::load(conn)?, rules, now, r, offers))
}

fn instant_json(s: &Option<String>) -> Value {
    s.as_deref().and_then(load_instant).map(|t| Value::String(json_instant(t))).unwrap_or(Value::Null)
}

pub fn offer_json(o: &Offer, now: DateTime<Utc>) -> Value {
    let f = o.facts();
    json!({
        "id": o.id,
        "referral": o.referral_id,
        "provider": o.provider,
        "provider_id": o.provider_id,
        "tier": o.tier,
        "placement_type": o.placement_type,
        "offered_at": json_instant(f.offered_at),
        "deadline": json_instant(f.deadline),
        "response": shown_response(&f, now).map(|r| r.as_str()),
        "responded_at": instant_json(&o.responded_at),
        "late": is_late(&f),
        "reason": o.reason.clone().or_else(|| o.reason_text.clone()),
        "reason_text": o.reason_text,
        "until": instant_json(&o.until),
        "future_start": o.future_start,
        "calls": o.calls,
        "override_reason": o.override_reason,
        "offered_by": o.offered_by,
    })
}

impl ReferralView {
    pub fn to_json(&self, now: DateTime<Utc>) -> Value {
        let r = &self.r;
        json!({
            "id": r.id,
            "client_id": r.client_id,
            "name": r.name,
            "state": self.state.as_str(),
            "rag": self.rag.map(|x| x.as_str()),
            "postcode": r.postcode,
            "msoa": r.msoa_code,
            "msoa_name": self.place.as_ref().map(|p| p.hcl_name.clone()),
            "cluster": self.cluster,
            "area": self.area,
            "rurality": self.place.as_ref().map(|p| p.rurality.clone()),
            "team": r.team,
            "referrer": r.referrer,
            "referrer_email": r.referrer_email,
            "received": instant_json(&Some(r.received_at.clone())),
            "start": r.start_date,
            "list_date": instant_json(&r.list_date),
            "working_days_waiting": self.working_days_waiting,
            "calls_per_day": r.calls_per_day,
            "minutes_per_call": r.minutes_per_call,
            "hours_per_week": r.weekly_minutes as f64 / 60.0,
            "double_handed": r.double_handed,
            "hospital_discharge": r.hospital_discharge,
            "known_to_act": r.known_to_act,
            "funding": r.funding,
            "docs": r.docs.split(',').filter(|s| !s.is_empty()).collect::<Vec<_>>(),
            "missing": r.missing_items(),
            "provider": self.provider,
            "placement_type": r.placement_type,
            "parent_id": r.parent_id,
            "handback": r.handback,
            "accepted_at": instant_json(&r.accepted_at),
            "confirmed_at": instant_json(&r.confirmed_at),
            "confirmed_start": r.confirmed_start,
            "sdo_due": r.sdo_due,
            "sdo_sent_at": instant_json(&r.sdo_sent_at),
            "financial_assessment_due": r.fa_due,
            "financial_assessment_done_at": instant_json(&r.fa_done_at),
            "cancel_reason": r.cancel_reason,
            "notes": r.notes,
            "offers": self.offers.iter().map(|o| offer_json(o, now)).collect::<Vec<_>>(),
        })
    }

    /// `4 × 30 min` and hours.
    pub fn package_line(&self) -> String {
        let r = &self.r;
        format!(
            "{} call{} a day × {} min = {} h/week{}",
            r.calls_per_day,
            if r.calls_per_day == 1 { "" } else { "s" },
            r.minutes_per_call,
            show_hours(r.weekly_minutes),
            if r.double_handed { ", double-handed" } else { "" }
        )
    }
}
