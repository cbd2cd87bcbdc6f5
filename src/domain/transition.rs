//! What a lifecycle operation decides (see `domain::lifecycle`): the referral's new facts and
//! everything to record with them. `store::lifecycle::apply` writes one in one transaction.

use super::model::{PlacementType, Tier};
use super::record::{Offer, Referral};
use super::waiting::Rule;
use chrono::{DateTime, Utc};
use serde_json::{json, Value};

/// What an operation decided.
#[derive(Debug, Clone, PartialEq)]
pub struct Transition {
    /// The audit event's name, e.g. "offer made".
    pub event: &'static str,
    pub details: Value,
    /// The referral after the change (the store logs the fields that changed, before → after).
    pub referral: Referral,
    pub offer: Option<OfferChange>,
    /// A new linked referral (the remainder of a partial acceptance).
    pub linked: Option<Referral>,
    /// Escalations to raise (once each).
    pub raise: Vec<Raise>,
    /// Open escalations of these rules that the change settles (closed as `noted`, with the note).
    pub settle: Vec<Rule>,
    pub settle_note: &'static str,
}

/// The offer an operation makes or answers.
#[derive(Debug, Clone, PartialEq)]
pub enum OfferChange {
    New(NewOffer),
    Answered(Offer),
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewOffer {
    pub provider_id: i64,
    pub provider: String,
    pub tier: Tier,
    pub placement_type: PlacementType,
    pub offered_at: DateTime<Utc>,
    pub deadline: DateTime<Utc>,
    pub override_reason: Option<String>,
}

/// An escalation an operation raises: a rule about the referral, once per trigger.
#[derive(Debug, Clone, PartialEq)]
pub struct Raise {
    pub rule: Rule,
    pub provider_id: Option<i64>,
    pub trigger: String,
    pub note: String,
}

impl Transition {
    pub(super) fn new(event: &'static str, referral: Referral) -> Transition {
        Transition {
            event,
            details: json!({}),
            referral,
            offer: None,
            linked: None,
            raise: Vec::new(),
            settle: Vec::new(),
            settle_note: "",
        }
    }
    pub(super) fn details(mut self, details: Value) -> Self {
        self.details = details;
        self
    }
    pub(super) fn settles(mut self, rules: &[Rule], note: &'static str) -> Self {
        self.settle = rules.to_vec();
        self.settle_note = note;
        self
    }
}
