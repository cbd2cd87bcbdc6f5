//! The records hcp keeps, as typed values: a referral, an offer, an escalation. `store` reads and
//! writes them (a stored word that does not parse is an error naming it, never a default);
//! `domain::lifecycle` changes them; `cli` shows them.

use super::model::{
    ClientGroup, Decision, DeclineReason, Funding, HandbackReason, Item, PlacementType, RateType, Response, Service,
    State, Team, Tier,
};
use super::responses::OfferFacts;
use super::waiting::{Recipient, Rule};
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde::{Serialize, Serializer};

/// A referral as stored (SPEC §4): the client, the package, where it is in its life.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Referral {
    pub id: i64,
    pub client_id: String,
    pub name: String,
    pub date_of_birth: Option<NaiveDate>,
    pub address: Option<String>,
    pub postcode: Option<String>,
    pub msoa_code: Option<String>,
    pub cluster_id: Option<i64>,
    pub cluster_by_hand: bool,
    pub next_of_kin: Option<String>,
    pub lives_alone: bool,
    pub known_to_act: bool,
    pub dementia: bool,
    pub funding: Option<Funding>,
    pub team: Team,
    pub referrer: String,
    pub referrer_email: Option<String>,
    pub received_at: DateTime<Utc>,
    pub start_date: NaiveDate,
    pub calls_per_day: i64,
    pub minutes_per_call: i64,
    /// Days a week the calls run (7 unless the package says fewer).
    pub days_per_week: i64,
    pub weekly_minutes: i64,
    pub hours_given: bool,
    pub double_handed: bool,
    pub hospital_discharge: bool,
    pub in_keah: bool,
    pub recent_keah: bool,
    pub bypass_keah: bool,
    pub enablement_ended: Option<NaiveDate>,
    pub risk: Option<String>,
    pub time_critical: Option<String>,
    /// Documents received, in checklist order.
    pub docs: Vec<Item>,
    /// Imported from a sheet that did not list documents: taken as complete, not received.
    pub docs_assumed: bool,
    pub authorised_weekly_pence: Option<i64>,
    pub estimated_weekly_pence: Option<i64>,
    pub notes: Option<String>,
    pub state: State,
    /// Why it is incomplete, as of the last check.
    pub missing: Vec<Item>,
    pub list_date: Option<DateTime<Utc>>,
    pub parent_id: Option<i64>,
    pub handback: bool,
    pub handback_reason: Option<HandbackReason>,
    /// When the provider's notice came.
    pub handback_notified: Option<DateTime<Utc>>,
    /// The last day the provider gives care.
    pub handback_end: Option<NaiveDate>,
    /// The provider that handed it back.
    pub handback_provider_id: Option<i64>,
    pub minor_change: bool,
    pub provider_id: Option<i64>,
    pub placement_type: Option<PlacementType>,
    pub accepted_at: Option<DateTime<Utc>>,
    /// The PO's courtesy call made and Provider Confirmation Form sent (`hcp form-sent`).
    pub form_sent_at: Option<DateTime<Utc>>,
    pub confirmed_at: Option<DateTime<Utc>>,
    pub confirmed_start: Option<NaiveDate>,
    pub provider_ref: Option<String>,
    /// Planned call times from the confirmation form, e.g. 07:30, 12:00.
    #[serde(serialize_with = "call_times_text")]
    pub call_times: Vec<NaiveTime>,
    pub indi_completed_at: Option<DateTime<Utc>>,
    pub sdo_due: Option<NaiveDate>,
    pub sdo_sent_at: Option<DateTime<Utc>>,
    pub fa_due: Option<NaiveDate>,
    pub fa_done_at: Option<DateTime<Utc>>,
    pub cancel_reason: Option<String>,
    pub client_group: Option<ClientGroup>,
    pub service: Option<Service>,
    pub direct_payment: bool,
    pub enablement_eligible: bool,
    pub rate_type: RateType,
    pub sleep_nights: i64,
    pub wake_nights: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

fn call_times_text<S: Serializer>(times: &[NaiveTime], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(times.iter().map(|t| t.format("%H:%M").to_string()))
}

/// Call times as people write them: `07:30,12:00`.
pub fn show_call_times(times: &[NaiveTime]) -> String {
    times.iter().map(|t| t.format("%H:%M").to_string()).collect::<Vec<_>>().join(",")
}

impl Referral {
    /// The day care starts: the confirmed start once the provider has confirmed it, else the
    /// requested start.
    pub fn care_start(&self) -> NaiveDate {
        self.confirmed_start.unwrap_or(self.start_date)
    }

    /// A new, empty referral received and keyed in at `now`; the flags fill in the rest.
    pub fn new(now: DateTime<Utc>) -> Referral {
        Referral {
            id: 0,
            client_id: String::new(),
            name: String::new(),
            date_of_birth: None,
            address: None,
            postcode: None,
            msoa_code: None,
            cluster_id: None,
            cluster_by_hand: false,
            next_of_kin: None,
            lives_alone: false,
            known_to_act: false,
            dementia: false,
            funding: None,
            team: Team::Act,
            referrer: String::new(),
            referrer_email: None,
            received_at: now,
            start_date: super::dates::london_date(now),
            calls_per_day: 0,
            minutes_per_call: 0,
            days_per_week: 7,
            weekly_minutes: 0,
            hours_given: false,
            double_handed: false,
            hospital_discharge: false,
            in_keah: false,
            recent_keah: false,
            bypass_keah: false,
            enablement_ended: None,
            risk: None,
            time_critical: None,
            docs: Vec::new(),
            docs_assumed: false,
            authorised_weekly_pence: None,
            estimated_weekly_pence: None,
            notes: None,
            state: State::Incomplete,
            missing: Vec::new(),
            list_date: None,
            parent_id: None,
            handback: false,
            handback_reason: None,
            handback_notified: None,
            handback_end: None,
            handback_provider_id: None,
            minor_change: false,
            provider_id: None,
            placement_type: None,
            accepted_at: None,
            form_sent_at: None,
            confirmed_at: None,
            confirmed_start: None,
            provider_ref: None,
            call_times: Vec::new(),
            indi_completed_at: None,
            sdo_due: None,
            sdo_sent_at: None,
            fa_due: None,
            fa_done_at: None,
            cancel_reason: None,
            client_group: None,
            service: None,
            direct_payment: false,
            enablement_eligible: false,
            rate_type: RateType::Standard,
            sleep_nights: 0,
            wake_nights: 0,
            created_at: now,
            updated_at: now,
        }
    }

    pub fn has_doc(&self, item: Item) -> bool {
        self.docs.contains(&item)
    }

    /// Add a document, keeping the checklist order.
    pub fn add_doc(&mut self, item: Item) {
        if !self.docs.contains(&item) {
            self.docs.push(item);
            self.docs.sort();
        }
    }

    pub fn remove_doc(&mut self, item: Item) {
        self.docs.retain(|d| *d != item);
    }
}

/// One approach to one provider about one referral, and its answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Offer {
    pub id: i64,
    pub referral_id: i64,
    pub provider_id: i64,
    /// The provider's name (read with the offer, for display).
    pub provider: String,
    pub tier: Tier,
    pub placement_type: PlacementType,
    pub offered_at: DateTime<Utc>,
    pub deadline: DateTime<Utc>,
    pub response: Option<Response>,
    pub responded_at: Option<DateTime<Utc>>,
    pub reason: Option<DeclineReason>,
    pub reason_text: Option<String>,
    pub until: Option<DateTime<Utc>>,
    pub future_start: Option<NaiveDate>,
    pub calls: Option<i64>,
    pub override_reason: Option<String>,
    pub offered_by: String,
}

impl Offer {
    /// What the clocks need to know about this offer.
    pub fn facts(&self) -> OfferFacts {
        OfferFacts {
            id: self.id,
            provider_id: self.provider_id,
            offered_at: self.offered_at,
            deadline: self.deadline,
            response: self.response,
            responded_at: self.responded_at,
            reason: self.reason,
            until: self.until,
            future_start: self.future_start,
        }
    }
}

/// A question put to someone who must act (SPEC §8), and its decision.
#[derive(Debug, Clone, PartialEq)]
pub struct Escalation {
    pub id: i64,
    pub referral: Option<i64>,
    pub area: Option<String>,
    pub provider: Option<String>,
    pub provider_id: Option<i64>,
    pub rule: Rule,
    pub to: Recipient,
    pub trigger_key: String,
    pub note: Option<String>,
    pub raised_at: DateTime<Utc>,
    pub raised_by: String,
    pub resolved_at: Option<DateTime<Utc>>,
    pub decision: Option<Decision>,
    pub decision_note: Option<String>,
}
