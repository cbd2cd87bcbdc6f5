//! The purchasing officer's open deadlines for one referral (SPEC §3 clocks, `hcp due`): the
//! offer's answer, the considering answer-by time, the form after an acceptance, the Indi contract,
//! the SDO and the financial assessment. Computed from the facts and `now`; nothing is stored.

use super::dates::{end_of_london_day, start_of_london_day};
use super::model::{PlacementType, State};
use super::record::Referral;
use super::responses::OfferFacts;
use super::responses::{confirmation_form_deadline, outcome, Outcome};
use chrono::NaiveDate;
use chrono::{DateTime, Utc};

super::model::words!(
    /// What is due, by its SPEC §17 name (`due` JSON `what`).
    DueKind {
        OfferResponse = "offer-response",
        Considering = "considering",
        FormSent = "form-sent",
        Indi = "indi",
        Sdo = "sdo",
        FinancialAssessment = "financial-assessment",
        PirBooking = "pir-booking",
        AisUpdate = "ais-update",
        FlexDay7 = "flex-day-7",
        Teleconference = "teleconference",
        ExitDebrief = "exit-debrief",
        ContractReview = "contract-review",
        SanctionReview = "sanction-review",
    }
);

impl DueKind {
    /// In the PO's words.
    pub fn plain(self) -> &'static str {
        match self {
            DueKind::OfferResponse => "provider's answer to the offer (2 hours)",
            DueKind::Considering => "considering provider's answer-by time",
            DueKind::FormSent => "courtesy call and Provider Confirmation Form (2 hours after acceptance)",
            DueKind::Indi => "Indi contract with the non-contracted provider",
            DueKind::Sdo => "SDO to the provider",
            DueKind::FinancialAssessment => "financial assessment (2 working days)",
            DueKind::PirBooking => "book the PIR review",
            DueKind::AisUpdate => "update AIS/Swift after the review (5 working days)",
            DueKind::FlexDay7 => "flexible care episode: day 7 review",
            DueKind::Teleconference => "teleconference",
            DueKind::ExitDebrief => "provider exit debrief",
            DueKind::ContractReview => "SWIFT contract review after the provider exit",
            DueKind::SanctionReview => "review current placements with a sanctioned provider",
        }
    }
}

/// One open deadline.
#[derive(Debug, Clone, PartialEq)]
pub struct Deadline {
    pub kind: DueKind,
    pub due: DateTime<Utc>,
    /// The provider concerned, when there is one.
    pub provider_id: Option<i64>,
    /// What to say beside it, if anything beyond the kind.
    pub note: Option<String>,
}

fn deadline(kind: DueKind, due: DateTime<Utc>, provider_id: Option<i64>) -> Deadline {
    Deadline { kind, due, provider_id, note: None }
}

/// What a referral's deadlines are worked out from: the few facts of its record `due` reads
/// (a national worklist reads thousands, so only these are read; `From<&Referral>` for the rest).
#[derive(Debug, Clone, PartialEq)]
pub struct DeadlineFacts {
    pub id: i64,
    pub name: String,
    pub state: State,
    pub accepted_at: Option<DateTime<Utc>>,
    pub form_sent_at: Option<DateTime<Utc>>,
    pub provider_id: Option<i64>,
    pub sdo_sent_at: Option<DateTime<Utc>>,
    pub start_date: NaiveDate,
    pub confirmed_start: Option<NaiveDate>,
    pub placement_type: Option<PlacementType>,
    pub indi_completed_at: Option<DateTime<Utc>>,
    pub sdo_due: Option<NaiveDate>,
    pub fa_due: Option<NaiveDate>,
    pub fa_done_at: Option<DateTime<Utc>>,
}

impl DeadlineFacts {
    /// When care starts: the confirmed start, else the requested one.
    pub fn care_start(&self) -> NaiveDate {
        self.confirmed_start.unwrap_or(self.start_date)
    }
}

impl From<&Referral> for DeadlineFacts {
    fn from(r: &Referral) -> DeadlineFacts {
        DeadlineFacts {
            id: r.id,
            name: r.name.clone(),
            state: r.state,
            accepted_at: r.accepted_at,
            form_sent_at: r.form_sent_at,
            provider_id: r.provider_id,
            sdo_sent_at: r.sdo_sent_at,
            start_date: r.start_date,
            confirmed_start: r.confirmed_start,
            placement_type: r.placement_type,
            indi_completed_at: r.indi_completed_at,
            sdo_due: r.sdo_due,
            fa_due: r.fa_due,
            fa_done_at: r.fa_done_at,
        }
    }
}

/// When the SDO is due: by the end of its due date (2 working days after the confirmation or the
/// Indi contract), and before care starts where that is sooner [G accept 10].
pub fn sdo_deadline(r: &DeadlineFacts) -> Option<(DateTime<Utc>, bool)> {
    let due = end_of_london_day(r.sdo_due?);
    match r.confirmed_start.map(start_of_london_day) {
        Some(start) if start < due => Some((start, true)),
        _ => Some((due, false)),
    }
}

/// The referral's open deadlines as of `now`; `state` is its state as of now (lapses applied).
pub fn referral_deadlines(
    r: &DeadlineFacts,
    state: State,
    latest: Option<&OfferFacts>,
    now: DateTime<Utc>,
) -> Vec<Deadline> {
    let mut out = Vec::new();
    match (state, latest) {
        (State::Offered | State::Considering, Some(o)) => match outcome(o, now) {
            Outcome::Awaiting { deadline: d } => out.push(deadline(DueKind::OfferResponse, d, Some(o.provider_id))),
            Outcome::Considering { until } => out.push(deadline(DueKind::Considering, until, Some(o.provider_id))),
            _ => {}
        },
        (State::Accepted, _) if r.form_sent_at.is_none() => {
            if let Some(at) = r.accepted_at {
                out.push(deadline(DueKind::FormSent, confirmation_form_deadline(at), r.provider_id));
            }
        }
        _ => {}
    }
    if state == State::Confirmed && r.sdo_sent_at.is_none() {
        let start = r.care_start();
        if r.placement_type == Some(PlacementType::Indi) && r.indi_completed_at.is_none() {
            let mut d = deadline(DueKind::Indi, start_of_london_day(start), r.provider_id);
            d.note = Some("the SDO is due 2 working days after it (record it: hcp indi ID --completed)".into());
            out.push(d);
        } else if let Some((due, before_start)) = sdo_deadline(r) {
            let mut d = deadline(DueKind::Sdo, due, r.provider_id);
            if before_start {
                d.note = Some("before care starts".into());
            }
            out.push(d);
        }
    }
    if matches!(state, State::Confirmed | State::Active) && r.fa_done_at.is_none() {
        if let Some(d) = r.fa_due {
            out.push(deadline(DueKind::FinancialAssessment, end_of_london_day(d), None));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::dates::parse_instant;

    fn t(s: &str) -> DateTime<Utc> {
        parse_instant(s).unwrap()
    }

    fn confirmed() -> Referral {
        let mut r = Referral::new(t("2026-11-23 09:00"));
        r.state = State::Confirmed;
        r.accepted_at = Some(t("2026-11-23 10:30"));
        r.confirmed_start = NaiveDate::from_ymd_opt(2026, 11, 30);
        r.sdo_due = NaiveDate::from_ymd_opt(2026, 11, 25);
        r.fa_due = NaiveDate::from_ymd_opt(2026, 11, 25);
        r
    }

    #[test]
    fn the_form_is_due_two_hours_after_acceptance_until_sent() {
        let mut r = confirmed();
        r.state = State::Accepted;
        let got = referral_deadlines(&(&r).into(), State::Accepted, None, t("2026-11-23 11:00"));
        assert_eq!(got[0].kind, DueKind::FormSent);
        assert_eq!(got[0].due, t("2026-11-23 12:30"));
        r.form_sent_at = Some(t("2026-11-23 11:30"));
        assert!(referral_deadlines(&(&r).into(), State::Accepted, None, t("2026-11-23 11:00")).is_empty());
    }

    #[test]
    fn an_indi_placement_waits_for_its_contract_then_the_sdo() {
        let mut r = confirmed();
        r.placement_type = Some(PlacementType::Indi);
        r.sdo_due = None;
        let got = referral_deadlines(&(&r).into(), State::Confirmed, None, t("2026-11-24 09:00"));
        assert_eq!(got[0].kind, DueKind::Indi);
        r.indi_completed_at = Some(t("2026-11-24 10:00"));
        r.sdo_due = NaiveDate::from_ymd_opt(2026, 11, 26);
        let got = referral_deadlines(&(&r).into(), State::Confirmed, None, t("2026-11-24 11:00"));
        assert_eq!(got[0].kind, DueKind::Sdo);
    }

    #[test]
    fn the_sdo_is_due_before_care_starts_when_that_is_sooner() {
        let mut r = confirmed();
        assert_eq!(sdo_deadline(&(&r).into()), Some((end_of_london_day(r.sdo_due.unwrap()), false)));
        r.confirmed_start = NaiveDate::from_ymd_opt(2026, 11, 24);
        assert_eq!(sdo_deadline(&(&r).into()), Some((t("2026-11-24 00:00"), true)));
    }
}
