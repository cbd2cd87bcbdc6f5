//! The wash-up's figures, one struct per section, serialised with the SPEC §17 JSON keys.

use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeMap;

pub use super::CapacityFact;

#[derive(Debug, Clone, Serialize, PartialEq, Default)]
pub struct Summary {
    pub on_list_start: usize,
    pub on_list_end: usize,
    pub new: usize,
    pub returned_incomplete: usize,
    pub placed: usize,
    pub cancelled: usize,
    pub handed_back: usize,
    pub median_wd_to_accept: Option<f64>,
    pub p90_wd_to_accept: Option<i64>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Default)]
pub struct RagFigure {
    pub count: usize,
    pub hours: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct AmtLine {
    pub referral: i64,
    pub client_id: String,
    pub working_days_waiting: u32,
    pub cluster: Option<String>,
    pub hours_per_week: f64,
}

#[derive(Debug, Clone, Serialize, Default)]
pub struct ProviderLine {
    pub provider: String,
    pub offers: usize,
    pub accepted: usize,
    pub tentative: usize,
    pub declined: usize,
    pub declines_by_reason: BTreeMap<String, usize>,
    pub lapsed: usize,
    pub median_response_minutes: Option<f64>,
    /// The same offers cut by the rurality of the client's MSOA (seed 002's indices): do rural
    /// packages go unanswered more often?
    pub by_rurality: BTreeMap<String, RuralityCut>,
}

/// One provider's offers in one rural-urban class.
#[derive(Debug, Clone, Serialize, Default)]
pub struct RuralityCut {
    pub offers: usize,
    pub accepted: usize,
    pub declined: usize,
    pub lapsed: usize,
}

#[derive(Debug, Clone, Serialize, Default)]
pub struct Quality {
    pub by_item: BTreeMap<String, usize>,
    pub by_team: BTreeMap<String, usize>,
}

#[derive(Debug, Clone, Serialize)]
pub struct HandbackLine {
    pub referral: i64,
    pub client_id: String,
    pub provider: Option<String>,
    pub reason: Option<String>,
    pub multiple: bool,
    pub re_added: bool,
    pub date: NaiveDate,
}

#[derive(Debug, Clone, Serialize)]
pub struct Placement {
    pub referral: i64,
    pub client_id: String,
    pub provider: String,
}

#[derive(Debug, Clone, Serialize, Default)]
pub struct NonContracted {
    pub placed: Vec<Placement>,
    pub move_back_candidates: Vec<Placement>,
}

/// PIR reviews: first bookings made in the period; reviews whose proposed date fell in it;
/// reviews whose window had closed by its end unbooked and unrecorded; AIS updates past their
/// deadline and not made by its end (`hcp pir ais-updated`).
#[derive(Debug, Clone, Serialize, Default)]
pub struct Reviews {
    pub booked: usize,
    pub due: usize,
    pub overdue: usize,
    pub ais_overdue: usize,
}

#[derive(Debug, Clone, Serialize, Default)]
pub struct Escalations {
    pub raised: usize,
    pub resolved: usize,
}

/// Flexible care episodes in the period: started, ended, days and extra hours within the
/// period, and the outcomes of those ended (the pilot's monitoring).
#[derive(Debug, Clone, Serialize, Default)]
pub struct Flex {
    pub started: usize,
    pub ended: usize,
    pub days: i64,
    pub extra_hours: f64,
    pub outcomes: BTreeMap<String, usize>,
    pub by_provider: BTreeMap<String, usize>,
}

/// The list by RAG at the end of one day of the period (the chart).
#[derive(Debug, Clone, Serialize)]
pub struct DayRag {
    pub date: NaiveDate,
    pub red: usize,
    pub amber: usize,
    pub green: usize,
}

/// One area's wash-up (SPEC §17 JSON keys).
#[derive(Debug, Clone, Serialize)]
pub struct Washup {
    pub area: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub summary: Summary,
    pub rag: BTreeMap<&'static str, RagFigure>,
    pub amt: Vec<AmtLine>,
    pub providers: Vec<ProviderLine>,
    pub referral_quality: Quality,
    pub handbacks: Vec<HandbackLine>,
    pub capacity: Vec<CapacityFact>,
    pub non_contracted: NonContracted,
    pub reviews: Reviews,
    pub escalations: Escalations,
    pub flex: Flex,
    pub list_by_day: Vec<DayRag>,
    /// Working days from list date to acceptance, one per placement (the chart).
    pub wd_to_accept: Vec<i64>,
}
