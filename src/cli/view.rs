//! A referral as people and scripts see it: its state as of now (lapses computed from the
//! clock), RAG, working days waiting, where it is, its offers. Shared by show, list, add, offer…

use crate::cli::ctx::Rules;
use crate::domain::dates::{json_instant, london_date};
use crate::domain::model::{Funding, Item, PlacementType, Rag, Response, State, Team, Tier};
use crate::domain::responses::{effective_state, is_late, shown_response};
use crate::domain::text::{hours_json, show_hours};
use crate::domain::waiting::{rag, working_days_waiting, ListFacts};
use crate::error::UserError;
use crate::store::offers::{self, Offer};
use crate::store::reference::{self, Place};
use crate::store::referrals::{self, Referral};
use anyhow::Result;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::Connection;
use serde::Serialize;

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

pub fn list_facts(r: &Referral, state: State) -> ListFacts {
    ListFacts {
        state,
        team: r.team,
        list_date: r.list_date.map(london_date),
        start: r.start_date,
        hospital_discharge: r.hospital_discharge,
        overstayer: r.in_keah,
        handback_care_ends: r.handback_end.filter(|_| r.handback && state.on_list()),
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
        let clusters = reference::cluster_names(conn)?;
        let providers = crate::store::providers::names(conn)?;
        Ok(Names { places, clusters, providers })
    }
}

/// Build the view from a referral and its offers (oldest first).
pub fn build(names: &Names, rules: &Rules, now: DateTime<Utc>, r: Referral, offers: Vec<Offer>) -> ReferralView {
    let latest = offers.last().map(|o| o.facts());
    let mut state = effective_state(r.state, latest.as_ref(), now);
    // Handed back for the client's choice: the package ends when care ends.
    if crate::domain::handback::ended_by_handback(&r, london_date(now)) {
        state = State::Ended;
    }
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

/// An instant in JSON: ISO 8601 in London time with its offset.
fn london(t: DateTime<Utc>) -> String {
    json_instant(t)
}

/// An offer as scripts read it (SPEC §17).
#[derive(Debug, Serialize)]
pub struct OfferJson {
    pub id: i64,
    pub referral: i64,
    pub provider: String,
    pub provider_id: i64,
    pub tier: Tier,
    pub placement_type: PlacementType,
    pub offered_at: String,
    pub deadline: String,
    /// The stored answer, or `lapsed` once the clock ran out.
    pub response: Option<Response>,
    pub responded_at: Option<String>,
    pub late: bool,
    /// The decline reason, or the note when there is none.
    pub reason: Option<String>,
    pub reason_text: Option<String>,
    pub until: Option<String>,
    pub future_start: Option<NaiveDate>,
    pub calls: Option<i64>,
    pub override_reason: Option<String>,
    pub offered_by: String,
}

impl OfferJson {
    pub fn new(o: &Offer, now: DateTime<Utc>) -> OfferJson {
        let f = o.facts();
        OfferJson {
            id: o.id,
            referral: o.referral_id,
            provider: o.provider.clone(),
            provider_id: o.provider_id,
            tier: o.tier,
            placement_type: o.placement_type,
            offered_at: london(o.offered_at),
            deadline: london(o.deadline),
            response: shown_response(&f, now),
            responded_at: o.responded_at.map(london),
            late: is_late(&f),
            reason: o.reason.map(|r| r.as_str().to_string()).or_else(|| o.reason_text.clone()),
            reason_text: o.reason_text.clone(),
            until: o.until.map(london),
            future_start: o.future_start,
            calls: o.calls,
            override_reason: o.override_reason.clone(),
            offered_by: o.offered_by.clone(),
        }
    }
}

/// A referral as scripts read it (SPEC §17).
#[derive(Debug, Serialize)]
pub struct ReferralJson {
    pub id: i64,
    pub client_id: String,
    pub name: String,
    pub state: State,
    pub rag: Option<Rag>,
    pub postcode: Option<String>,
    pub msoa: Option<String>,
    pub msoa_name: Option<String>,
    pub cluster: Option<String>,
    pub area: Option<String>,
    pub rurality: Option<String>,
    pub team: Team,
    pub referrer: String,
    pub referrer_email: Option<String>,
    pub received: String,
    pub start: NaiveDate,
    pub list_date: Option<String>,
    pub working_days_waiting: Option<u32>,
    pub calls_per_day: i64,
    pub minutes_per_call: i64,
    /// Rounded to 2 decimals; `weekly_minutes` is exact.
    pub hours_per_week: f64,
    pub weekly_minutes: i64,
    pub double_handed: bool,
    pub hospital_discharge: bool,
    pub known_to_act: bool,
    pub funding: Option<Funding>,
    pub docs: Vec<Item>,
    pub missing: Vec<Item>,
    pub provider: Option<String>,
    pub placement_type: Option<PlacementType>,
    pub parent_id: Option<i64>,
    pub handback: bool,
    pub minor_change: bool,
    pub accepted_at: Option<String>,
    pub confirmed_at: Option<String>,
    pub confirmed_start: Option<NaiveDate>,
    pub call_times: Vec<String>,
    pub sdo_due: Option<NaiveDate>,
    pub sdo_sent_at: Option<String>,
    pub financial_assessment_due: Option<NaiveDate>,
    pub financial_assessment_done_at: Option<String>,
    pub cancel_reason: Option<String>,
    pub notes: Option<String>,
    pub offers: Vec<OfferJson>,
}

impl ReferralView {
    pub fn to_json(&self, now: DateTime<Utc>) -> ReferralJson {
        let r = &self.r;
        ReferralJson {
            id: r.id,
            client_id: r.client_id.clone(),
            name: r.name.clone(),
            state: self.state,
            rag: self.rag,
            postcode: r.postcode.clone(),
            msoa: r.msoa_code.clone(),
            msoa_name: self.place.as_ref().map(|p| p.hcl_name.clone()),
            cluster: self.cluster.clone(),
            area: self.area.clone(),
            rurality: self.place.as_ref().map(|p| p.rurality.clone()),
            team: r.team,
            referrer: r.referrer.clone(),
            referrer_email: r.referrer_email.clone(),
            received: london(r.received_at),
            start: r.start_date,
            list_date: r.list_date.map(london),
            working_days_waiting: self.working_days_waiting,
            calls_per_day: r.calls_per_day,
            minutes_per_call: r.minutes_per_call,
            hours_per_week: hours_json(r.weekly_minutes),
            weekly_minutes: r.weekly_minutes,
            double_handed: r.double_handed,
            hospital_discharge: r.hospital_discharge,
            known_to_act: r.known_to_act,
            funding: r.funding,
            docs: r.docs.clone(),
            missing: r.missing.clone(),
            provider: self.provider.clone(),
            placement_type: r.placement_type,
            parent_id: r.parent_id,
            handback: r.handback,
            minor_change: r.minor_change,
            accepted_at: r.accepted_at.map(london),
            confirmed_at: r.confirmed_at.map(london),
            confirmed_start: r.confirmed_start,
            call_times: r.call_times.iter().map(|t| t.format("%H:%M").to_string()).collect(),
            sdo_due: r.sdo_due,
            sdo_sent_at: r.sdo_sent_at.map(london),
            financial_assessment_due: r.fa_due,
            financial_assessment_done_at: r.fa_done_at.map(london),
            cancel_reason: r.cancel_reason.clone(),
            notes: r.notes.clone(),
            offers: self.offers.iter().map(|o| OfferJson::new(o, now)).collect(),
        }
    }

    /// `4×30m, 14 h` for tables.
    pub fn package_short(&self) -> String {
        let r = &self.r;
        format!(
            "{}×{}m, {} h{}{}",
            r.calls_per_day,
            r.minutes_per_call,
            show_hours(r.weekly_minutes),
            if r.days_per_week < 7 { format!(", {} days", r.days_per_week) } else { String::new() },
            if r.double_handed { ", 2 carers" } else { "" }
        )
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
