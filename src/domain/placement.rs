//! After an acceptance (SPEC §3, §7; Guidance accept 8–10): the PO's courtesy call and form,
//! the provider's returned confirmation form, the Indi contract, the SDO and the financial
//! assessment — each an operation returning a [`Transition`] or a refusal.

use super::calendar::WorkingCalendar;
use super::dates::london_date;
use super::model::{PlacementType, State};
use super::record::Referral;
use super::transition::Transition;
use super::waiting::Rule;
use crate::error::UserError;
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde_json::json;

/// `hcp form-sent`: the PO made the courtesy call and sent the Provider Confirmation Form
/// [G accept 8]; due 2 hours after the acceptance.
pub fn form_sent(r: &Referral, state: State, at: DateTime<Utc>) -> Result<Transition, UserError> {
    if !matches!(state, State::Accepted | State::Confirmed) {
        return Err(UserError::new(format!(
            "referral {} is {state}; the confirmation form follows a provider's acceptance",
            r.id
        ))
        .hint(format!("record the acceptance first: hcp respond {} accept", r.id)));
    }
    if let Some(sent) = r.form_sent_at {
        return Err(UserError::new(format!(
            "the confirmation form for referral {} was already recorded as sent at {}",
            r.id,
            super::dates::show_instant(sent)
        )));
    }
    if r.accepted_at.is_some_and(|acc| at < acc) {
        return Err(UserError::usage("the form cannot have been sent before the acceptance").hint("check --at"));
    }
    let mut after = r.clone();
    after.form_sent_at = Some(at);
    let late = r.accepted_at.is_some_and(|acc| at > super::responses::confirmation_form_deadline(acc));
    Ok(Transition::new("courtesy call made and confirmation form sent", after)
        .details(json!({ "late": late }))
        .settles(&[Rule::ConfirmationOverdue], "confirmation form sent"))
}

/// `hcp indi --completed`: the individual contract with a non-contracted provider is complete;
/// the SDO is due 2 working days later [G accept 10].
pub fn indi_completed(
    r: &Referral,
    state: State,
    at: DateTime<Utc>,
    cal: &WorkingCalendar,
) -> Result<Transition, UserError> {
    if r.placement_type != Some(PlacementType::Indi) {
        return Err(UserError::new(format!("referral {} is not an Indi placement", r.id))
            .hint("an Indi contract is for a non-contracted provider not on the exceptions list"));
    }
    if !matches!(state, State::Accepted | State::Confirmed) {
        return Err(UserError::new(format!("referral {} is {state}; the Indi contract follows the acceptance", r.id)));
    }
    let mut after = r.clone();
    after.indi_completed_at = Some(at);
    if state == State::Confirmed {
        after.sdo_due = Some(cal.add_working_days(london_date(at), 2));
    }
    let details = json!({ "sdo_due": after.sdo_due });
    Ok(Transition::new("Indi contract completed", after).details(details))
}

/// What the returned confirmation form says.
#[derive(Debug, Clone, Default)]
pub struct Confirmation {
    pub start: NaiveDate,
    pub provider_ref: Option<String>,
    pub call_times: Option<Vec<NaiveTime>>,
    pub indi_completed: Option<DateTime<Utc>>,
}

pub fn confirm(
    r: &Referral,
    state: State,
    form: Confirmation,
    at: DateTime<Utc>,
    cal: &WorkingCalendar,
) -> Result<Transition, UserError> {
    let Confirmation { start, provider_ref, call_times, indi_completed } = form;
    if start < london_date(r.received_at) {
        return Err(UserError::usage(format!(
            "--start {} is before the referral was received ({})",
            start.format("%d/%m/%Y"),
            london_date(r.received_at).format("%d/%m/%Y")
        ))
        .hint("give the start date on the returned confirmation form"));
    }
    if r.accepted_at.is_some_and(|acc| at < acc) {
        return Err(UserError::usage("the confirmation cannot come before the acceptance").hint("check --at"));
    }
    if state != State::Accepted {
        return Err(UserError::new(format!(
            "referral {} is {state}; only an accepted referral can be confirmed",
            r.id
        ))
        .hint(format!("record the provider's acceptance first: hcp respond {} accept", r.id)));
    }
    let mut after = r.clone();
    after.state = State::Confirmed;
    after.confirmed_at = Some(at);
    after.confirmed_start = Some(start);
    if provider_ref.is_some() {
        after.provider_ref = provider_ref;
    }
    if let Some(times) = call_times {
        after.call_times = times;
    }
    if indi_completed.is_some() {
        after.indi_completed_at = indi_completed;
    }
    after.sdo_due = sdo_due(&after, at, cal);
    after.fa_due = Some(cal.add_working_days(london_date(at), 2));
    let details =
        json!({ "start": after.confirmed_start, "sdo_due": after.sdo_due, "financial_assessment_due": after.fa_due });
    // The provider returned the form, so it was sent: the PO's 2-hour step is settled too.
    Ok(Transition::new("placement confirmed", after)
        .details(details)
        .settles(&[Rule::ConfirmationOverdue], "confirmation form returned"))
}

/// When the SDO is due: 2 working days after the confirmation, or after the Indi contract for an
/// Indi placement (none until it is completed).
pub fn sdo_due(r: &Referral, confirmed_at: DateTime<Utc>, cal: &WorkingCalendar) -> Option<NaiveDate> {
    let base = match r.placement_type {
        Some(PlacementType::Indi) => r.indi_completed_at.map(london_date),
        _ => Some(london_date(confirmed_at)),
    };
    base.map(|d| cal.add_working_days(d, 2))
}

/// `hcp sdo --sent`: the Service Delivery Order went to the provider → active.
pub fn sdo_sent(r: &Referral, state: State, at: DateTime<Utc>) -> Result<Transition, UserError> {
    if state != State::Confirmed {
        return Err(UserError::new(format!(
            "referral {} is {state}; the SDO follows the provider's confirmation",
            r.id
        ))
        .hint(format!("record the Provider Confirmation Form first: hcp confirm {} --start DATE", r.id)));
    }
    if r.confirmed_at.is_some_and(|c| at < c) {
        return Err(UserError::usage("the SDO cannot have been sent before the confirmation").hint("check --at"));
    }
    let mut after = r.clone();
    after.state = State::Active;
    after.sdo_sent_at = Some(at);
    let late = r.sdo_due.is_some_and(|d| london_date(at) > d);
    Ok(Transition::new("SDO sent", after)
        .details(json!({ "sdo_due": r.sdo_due, "late": late }))
        .settles(&[Rule::SdoOverdue], "SDO sent"))
}

/// `hcp financial-assessment --done`.
pub fn financial_assessment_done(r: &Referral, state: State, at: DateTime<Utc>) -> Result<Transition, UserError> {
    if !matches!(state, State::Confirmed | State::Active) {
        return Err(UserError::new(format!(
            "referral {} is {state}; the financial assessment follows confirmation",
            r.id
        )));
    }
    let mut after = r.clone();
    after.fa_done_at = Some(at);
    Ok(Transition::new("financial assessment done", after)
        .details(json!({ "due": r.fa_due }))
        .settles(&[Rule::FinancialAssessmentOverdue], "financial assessment done"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::dates::parse_instant;

    fn t(s: &str) -> DateTime<Utc> {
        parse_instant(s).unwrap()
    }

    fn accepted() -> Referral {
        let mut r = Referral::new(t("2026-11-23 09:00"));
        r.id = 7;
        r.state = State::Accepted;
        r.accepted_at = Some(t("2026-11-23 10:30"));
        r.start_date = NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
        r
    }

    fn form(r: &Referral) -> Confirmation {
        Confirmation { start: r.start_date, ..Default::default() }
    }

    #[test]
    fn confirm_sets_the_sdo_and_assessment_deadlines_in_working_days() {
        let cal = WorkingCalendar::new(std::iter::empty());
        let mut r = accepted();
        r.state = State::Accepted;
        // Friday: 2 working days later is Tuesday.
        let tr = confirm(&r, State::Accepted, form(&r), t("2026-11-27 10:00"), &cal).unwrap();
        assert_eq!(tr.referral.sdo_due, NaiveDate::from_ymd_opt(2026, 12, 1));
        assert_eq!(tr.referral.fa_due, NaiveDate::from_ymd_opt(2026, 12, 1));
        // An Indi placement: nothing due until the Indi contract is complete.
        r.placement_type = Some(PlacementType::Indi);
        let tr = confirm(&r, State::Accepted, form(&r), t("2026-11-27 10:00"), &cal).unwrap();
        assert_eq!(tr.referral.sdo_due, None);
        assert!(confirm(&r, State::Waiting, form(&r), t("2026-11-27 10:00"), &cal).is_err());
    }

    #[test]
    fn the_form_is_recorded_once_and_settles_the_two_hour_rule() {
        let r = accepted();
        let tr = form_sent(&r, State::Accepted, t("2026-11-23 11:30")).unwrap();
        assert_eq!(tr.referral.form_sent_at, Some(t("2026-11-23 11:30")));
        assert_eq!(tr.settle, vec![Rule::ConfirmationOverdue]);
        assert!(form_sent(&tr.referral, State::Accepted, t("2026-11-23 11:40")).is_err());
        assert!(form_sent(&r, State::Waiting, t("2026-11-23 11:30")).is_err());
        assert!(form_sent(&r, State::Accepted, t("2026-11-23 10:00")).is_err());
    }

    #[test]
    fn the_indi_contract_starts_the_sdo_clock() {
        let cal = WorkingCalendar::new(std::iter::empty());
        let mut r = accepted();
        assert!(indi_completed(&r, State::Accepted, t("2026-11-24 10:00"), &cal).is_err());
        r.placement_type = Some(PlacementType::Indi);
        r.state = State::Confirmed;
        let tr = indi_completed(&r, State::Confirmed, t("2026-11-27 10:00"), &cal).unwrap();
        assert_eq!(tr.referral.sdo_due, NaiveDate::from_ymd_opt(2026, 12, 1));
    }

    #[test]
    fn sdo_guards_its_state() {
        let r = accepted();
        assert!(sdo_sent(&r, State::Waiting, t("2026-11-27 10:00")).is_err());
        assert_eq!(sdo_sent(&r, State::Confirmed, t("2026-11-27 10:00")).unwrap().referral.state, State::Active);
    }
}
