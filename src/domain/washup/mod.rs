//! The weekly wash-up report (SPEC §11): every figure from the period's events, so a report for
//! a past week is the same whenever it is run. The store gathers the facts (each referral's
//! history over the period, the offers made in it, capacity reported, escalations); this module
//! counts them. Statistics: the median of an even count is the mean of the two middle values,
//! the 90th percentile is by nearest rank (`domain::stats`).

mod figures;
mod period;
pub mod replay;

pub use figures::*;
pub use period::{iso_week, last_complete_week};

use super::calendar::WorkingCalendar;
use super::dates::{end_of_london_day, london_date, start_of_london_day};
use super::model::{DeclineReason, Rag, Response, State, Tier};
use super::stats::{median, percentile};
use super::text::hours_json;
use super::waiting::{rag, working_days_waiting, ListFacts, Thresholds};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use replay::{History, Snap};
use serde::Serialize;
use std::collections::BTreeMap;

/// An offer made in the period, with what had happened to it by the period's end.
#[derive(Debug, Clone)]
pub struct OfferFact {
    pub referral: i64,
    pub provider: String,
    pub tier: Tier,
    pub offered_at: DateTime<Utc>,
    pub deadline: DateTime<Utc>,
    pub response: Option<Response>,
    pub responded_at: Option<DateTime<Utc>>,
    pub reason: Option<DeclineReason>,
    /// The rural-urban class of the client's MSOA, when known.
    pub rurality: Option<String>,
}

impl OfferFact {
    /// The answer as it stood at `end`: the response given before then; lapsed when its 2 hours
    /// ran out unanswered before then; None while it is still open.
    pub fn answer_at(&self, end: DateTime<Utc>) -> Option<Response> {
        match self.responded_at.filter(|t| *t < end).and(self.response) {
            None if self.deadline < end => Some(Response::Lapsed),
            answer => answer,
        }
    }

    /// Minutes from the offer to the provider's answer, when it answered (not lapsed) before `end`.
    pub fn response_minutes(&self, end: DateTime<Utc>) -> Option<i64> {
        match self.answer_at(end) {
            Some(Response::Lapsed) | None => None,
            Some(_) => self.responded_at.map(|t| (t - self.offered_at).num_minutes()),
        }
    }
}

/// Capacity a provider reported in the period (`hcp capacity add`).
#[derive(Debug, Clone, Serialize)]
pub struct CapacityFact {
    pub provider: String,
    pub msoa: Option<String>,
    pub cluster: Option<String>,
    #[serde(skip)]
    pub cluster_id: Option<i64>,
    pub hours_per_week: f64,
    pub from: NaiveDate,
    #[serde(skip)]
    pub contracted: bool,
}

/// A placement's first review, for the period's figures.
#[derive(Debug, Clone)]
pub struct ReviewFact {
    pub window_to: NaiveDate,
    pub target: NaiveDate,
    pub first_booked: Option<DateTime<Utc>>,
    pub recorded: Option<DateTime<Utc>>,
    pub ais_due: Option<NaiveDate>,
    pub ais_updated: Option<NaiveDate>,
}

/// A flexible care episode overlapping the period.
#[derive(Debug, Clone)]
pub struct FlexFact {
    pub provider: String,
    pub from: DateTime<Utc>,
    pub ended: Option<DateTime<Utc>>,
    pub minutes_per_day: i64,
    pub outcome: Option<String>,
}

/// An escalation raised or resolved in the period.
#[derive(Debug, Clone)]
pub struct EscalationFact {
    pub raised_at: DateTime<Utc>,
    pub resolved_at: Option<DateTime<Utc>>,
}

/// Everything one area's report is counted from.
#[derive(Debug, Clone)]
pub struct Facts {
    pub area: String,
    /// The first day and the last day of the period (London dates, inclusive).
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub histories: Vec<History>,
    pub offers: Vec<OfferFact>,
    pub capacity: Vec<CapacityFact>,
    pub escalations: Vec<EscalationFact>,
    pub reviews: Vec<ReviewFact>,
    pub flex: Vec<FlexFact>,
    pub clusters: BTreeMap<i64, String>,
    /// Providers by id: name and whether contracted.
    pub providers: BTreeMap<i64, (String, bool)>,
}

impl Facts {
    pub fn start(&self) -> DateTime<Utc> {
        start_of_london_day(self.from)
    }
    pub fn end(&self) -> DateTime<Utc> {
        start_of_london_day(self.to + Duration::days(1))
    }
}

fn placed_state(s: State) -> bool {
    matches!(s, State::Accepted | State::Confirmed | State::Active)
}

fn list_facts(s: &Snap) -> ListFacts {
    ListFacts {
        state: s.state,
        team: s.team,
        list_date: s.list_date.map(london_date),
        start: s.start,
        hospital_discharge: s.hospital_discharge,
        overstayer: s.in_keah,
        handback_care_ends: s.handback_end.filter(|_| s.handback && s.state.on_list()),
    }
}

/// Count one area's period.
pub fn compute(f: &Facts, cal: &WorkingCalendar, th: &Thresholds) -> Washup {
    let last_day = f.to;
    let cluster = |id: Option<i64>| id.and_then(|c| f.clusters.get(&c).cloned());
    let mut summary = Summary::default();
    let mut quality = Quality::default();
    let mut handbacks = Vec::new();
    let mut wd = Vec::new();
    // Packages and weekly minutes on the list at the end, by RAG.
    let mut rag_end: BTreeMap<&'static str, (usize, i64)> = Rag::ALL.iter().map(|r| (r.as_str(), (0, 0))).collect();
    let mut amt = Vec::new();
    for h in &f.histories {
        summary.on_list_start += usize::from(h.at_start.as_ref().is_some_and(|s| s.state.on_list()));
        let mut incomplete_counted = false;
        for c in &h.changes {
            let was = c.before.as_ref().map(|b| b.state);
            if c.before.is_none() {
                summary.new += 1;
            }
            if c.after.state == State::Incomplete && was != Some(State::Incomplete) && !incomplete_counted {
                incomplete_counted = true;
                summary.returned_incomplete += 1;
                for item in &c.after.missing {
                    *quality.by_item.entry(item.as_str().to_string()).or_default() += 1;
                }
                *quality.by_team.entry(c.after.team.as_str().to_string()).or_default() += 1;
            }
            if placed_state(c.after.state) && !was.is_some_and(placed_state) {
                summary.placed += 1;
                let accepted = c.after.accepted_at.unwrap_or(c.at);
                if let Some(d) = working_days_waiting(cal, c.after.list_date.map(london_date), london_date(accepted)) {
                    wd.push(i64::from(d));
                }
            }
            if c.after.state == State::Cancelled && was != Some(State::Cancelled) {
                summary.cancelled += 1;
            }
            if c.event.starts_with("handed back") {
                summary.handed_back += 1;
                let provider = c.details.get("provider").and_then(|v| v.as_str()).map(str::to_string);
                handbacks.push(HandbackLine {
                    referral: h.referral,
                    client_id: c.after.client_id.clone(),
                    provider,
                    reason: c.details.get("reason").and_then(|v| v.as_str()).map(str::to_string),
                    multiple: c.details.get("multiple").is_some_and(|v| !v.is_null() && v != false),
                    re_added: c.after.state.on_list(),
                    date: london_date(c.at),
                });
            }
        }
        if let Some(s) = h.at_end().filter(|s| s.state.on_list()) {
            summary.on_list_end += 1;
            if let Some(r) = rag(&list_facts(s), cal, th, last_day) {
                let (count, minutes) = rag_end.entry(r.as_str()).or_default();
                *count += 1;
                *minutes += s.weekly_minutes;
            }
            let waiting = working_days_waiting(cal, s.list_date.map(london_date), last_day).unwrap_or(0);
            if waiting >= th.red_days {
                amt.push(AmtLine {
                    referral: h.referral,
                    client_id: s.client_id.clone(),
                    working_days_waiting: waiting,
                    cluster: cluster(s.cluster_id),
                    hours_per_week: hours_json(s.weekly_minutes),
                });
            }
        }
    }
    amt.sort_by(|a, b| b.working_days_waiting.cmp(&a.working_days_waiting).then(a.referral.cmp(&b.referral)));
    handbacks.sort_by_key(|h| (h.date, h.referral));
    summary.median_wd_to_accept = median(&wd);
    summary.p90_wd_to_accept = percentile(&wd, 90);
    wd.sort_unstable();
    let list_by_day = days(f, cal, th);
    Washup {
        area: f.area.clone(),
        from: f.from,
        to: f.to,
        summary,
        rag: rag_end
            .into_iter()
            .map(|(k, (count, minutes))| (k, RagFigure { count, hours: hours_json(minutes) }))
            .collect(),
        amt,
        providers: providers(f),
        referral_quality: quality,
        handbacks,
        capacity: f.capacity.clone(),
        non_contracted: non_contracted(f),
        reviews: reviews(f),
        escalations: escalations(f),
        flex: flex(f),
        list_by_day,
        wd_to_accept: wd,
    }
}

/// The list by RAG at the end of each day of the period.
fn days(f: &Facts, cal: &WorkingCalendar, th: &Thresholds) -> Vec<DayRag> {
    let mut out = Vec::new();
    let mut d = f.from;
    while d <= f.to {
        let t = end_of_london_day(d);
        let mut day = DayRag { date: d, red: 0, amber: 0, green: 0 };
        for h in &f.histories {
            if let Some(r) = h.at(t).and_then(|s| rag(&list_facts(s), cal, th, d)) {
                match r {
                    Rag::Red => day.red += 1,
                    Rag::Amber => day.amber += 1,
                    Rag::Green => day.green += 1,
                }
            }
        }
        out.push(day);
        d += Duration::days(1);
    }
    out
}

/// Provider responses: each offer made in the period, answered or lapsed by the period's end.
fn providers(f: &Facts) -> Vec<ProviderLine> {
    let end = f.end();
    let mut by: BTreeMap<&str, (ProviderLine, Vec<i64>)> = BTreeMap::new();
    for o in &f.offers {
        let (line, minutes) = by
            .entry(&o.provider)
            .or_insert_with(|| (ProviderLine { provider: o.provider.clone(), ..Default::default() }, Vec::new()));
        line.offers += 1;
        let cut = line.by_rurality.entry(o.rurality.clone().unwrap_or_else(|| "unknown".into())).or_default();
        cut.offers += 1;
        minutes.extend(o.response_minutes(end));
        match o.answer_at(end) {
            Some(Response::Lapsed) => {
                line.lapsed += 1;
                cut.lapsed += 1;
            }
            Some(Response::Accept | Response::Partial) => {
                line.accepted += 1;
                cut.accepted += 1;
            }
            Some(Response::Tentative) => line.tentative += 1,
            Some(Response::Decline) => {
                line.declined += 1;
                cut.declined += 1;
                let reason = o.reason.map_or("other", |r| r.as_str());
                *line.declines_by_reason.entry(reason.to_string()).or_default() += 1;
            }
            Some(Response::Considering) | None => {}
        }
    }
    by.into_values()
        .map(|(mut line, minutes)| {
            line.median_response_minutes = median(&minutes);
            line
        })
        .collect()
}

/// Placements with non-contracted providers in the period, and clients placed with one whose
/// cluster had capacity reported by a contracted provider in the period (candidates to move).
fn non_contracted(f: &Facts) -> NonContracted {
    let mut out = NonContracted::default();
    let end = f.end();
    let client =
        |id: i64| f.histories.iter().find(|h| h.referral == id).and_then(|h| h.at_end()).map(|s| s.client_id.clone());
    for o in &f.offers {
        let accepted = matches!(o.response, Some(Response::Accept | Response::Partial));
        if o.tier == Tier::NonContracted && accepted && o.responded_at.is_some_and(|t| t < end) {
            out.placed.push(Placement {
                referral: o.referral,
                client_id: client(o.referral).unwrap_or_default(),
                provider: o.provider.clone(),
            });
        }
    }
    for h in &f.histories {
        let Some(s) = h.at_end().filter(|s| placed_state(s.state)) else { continue };
        let Some((name, false)) = s.provider_id.and_then(|p| f.providers.get(&p)) else { continue };
        let freed = f.capacity.iter().any(|c| c.contracted && c.cluster_id.is_some() && c.cluster_id == s.cluster_id);
        if freed {
            out.move_back_candidates.push(Placement {
                referral: h.referral,
                client_id: s.client_id.clone(),
                provider: name.clone(),
            });
        }
    }
    out
}

fn reviews(f: &Facts) -> Reviews {
    let (start, end) = (f.start(), f.end());
    let before_end = |t: Option<DateTime<Utc>>| t.is_some_and(|t| t < end);
    let mut r = Reviews::default();
    for x in &f.reviews {
        r.booked += usize::from(x.first_booked.is_some_and(|t| t >= start && t < end));
        r.due += usize::from(x.target >= f.from && x.target <= f.to);
        r.overdue += usize::from(x.window_to < f.to && !before_end(x.first_booked) && !before_end(x.recorded));
        let updated_in_time = x.ais_updated.is_some_and(|u| u <= f.to);
        r.ais_overdue += usize::from(before_end(x.recorded) && x.ais_due.is_some_and(|d| d < f.to) && !updated_in_time);
    }
    r
}

fn flex(f: &Facts) -> Flex {
    let (start, end) = (f.start(), f.end());
    let within = |t: DateTime<Utc>| t >= start && t < end;
    let mut out = Flex::default();
    let mut minutes = 0;
    for e in &f.flex {
        let ended = e.ended.filter(|t| *t < end);
        if within(e.from) {
            out.started += 1;
            *out.by_provider.entry(e.provider.clone()).or_default() += 1;
        }
        if ended.is_some_and(within) {
            out.ended += 1;
            *out.outcomes.entry(e.outcome.clone().unwrap_or_else(|| "not recorded".into())).or_default() += 1;
        }
        let days = super::flex::days_within(e.from, ended, start, end);
        out.days += days;
        minutes += days * e.minutes_per_day;
    }
    out.extra_hours = hours_json(minutes);
    out
}

fn escalations(f: &Facts) -> Escalations {
    let (start, end) = (f.start(), f.end());
    let within = |t: DateTime<Utc>| t >= start && t < end;
    Escalations {
        raised: f.escalations.iter().filter(|e| within(e.raised_at)).count(),
        resolved: f.escalations.iter().filter(|e| e.resolved_at.is_some_and(within)).count(),
    }
}

#[cfg(test)]
mod tests;
