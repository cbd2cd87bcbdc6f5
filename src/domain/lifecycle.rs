//! A referral's life (SPEC §4) as operations: each takes the referral's facts, what happened and
//! when, and returns a [`Transition`] — the new facts and everything to record with them — or a
//! refusal in plain words. `store::lifecycle::apply` writes a transition in one transaction; the
//! commands only parse and print.

use super::answer::place;
use super::model::State;
use super::record::{Offer, Referral};
use super::waiting::Rule;
use crate::error::UserError;
use chrono::{DateTime, Utc};
use serde_json::json;

pub use super::allocation::Choice;
pub use super::answer::{respond, split_partial, Answer, AnswerFacts};
pub use super::transition::{NewOffer, OfferChange, Raise, Transition};

/// Only a referral on the packages-to-be-placed list is offered.
pub fn offerable(r: &Referral, state: State) -> Result<(), UserError> {
    if state.on_list() {
        return Ok(());
    }
    Err(UserError::new(format!(
        "referral {} is {state}; only a referral on the packages-to-be-placed list can be offered",
        r.id
    ))
    .hint(match state {
        State::Incomplete => format!("add the missing items first: hcp referral update {} --doc …", r.id),
        _ => format!("`hcp referral show {}` shows where it is", r.id),
    }))
}

/// `hcp offer`: approach a provider. The referral must be on the list (its state as of now).
pub fn offer(r: &Referral, state: State, choice: Choice, at: DateTime<Utc>) -> Result<Transition, UserError> {
    offerable(r, state)?;
    let deadline = super::responses::response_deadline(at);
    let mut after = r.clone();
    after.state = State::Offered;
    let details = json!({
        "provider": choice.provider, "tier": choice.tier, "placement_type": choice.placement_type,
        "deadline": super::dates::store_instant(deadline), "override_reason": choice.override_reason,
    });
    let mut t = Transition::new("offer made", after)
        .details(details)
        .settles(&[Rule::Lapsed, Rule::ConsideringExpired], "next provider approached");
    t.offer = Some(OfferChange::New(NewOffer {
        provider_id: choice.provider_id,
        provider: choice.provider,
        tier: choice.tier,
        placement_type: choice.placement_type,
        offered_at: at,
        deadline,
        override_reason: choice.override_reason,
    }));
    Ok(t)
}

/// The ASM's decision on a later start a provider offered (SPEC §7, §8): accepted, the later
/// date becomes the requested start and the package is placed with that provider; refused, the
/// referral goes back on the list and the next provider is approached.
pub fn future_start_decision(
    r: &Referral,
    state: State,
    offer: &Offer,
    accept: bool,
    at: DateTime<Utc>,
) -> Result<Transition, UserError> {
    let Some(later) = offer.future_start else {
        return Err(UserError::new(format!("offer {} offered no later start date", offer.id)));
    };
    if !(state.on_list() || state == State::Tentative) {
        return Err(UserError::new(format!(
            "referral {} is {state}; a later start can only be decided while the package is not placed",
            r.id
        )));
    }
    let mut after = r.clone();
    let details = json!({ "offer": offer.id, "provider": offer.provider, "future_start": later, "accepted": accept });
    if accept {
        after.start_date = later;
        place(&mut after, offer, at);
        return Ok(Transition::new("later start accepted: placed", after).details(details));
    }
    if state == State::Tentative {
        after.state = State::Waiting;
    }
    Ok(Transition::new("later start refused: back on the list", after).details(details))
}

/// `hcp referral cancel`: any state before active.
pub fn cancel(r: &Referral, state: State, reason: &str) -> Result<Transition, UserError> {
    if !state.open() {
        return Err(UserError::new(format!(
            "referral {} is {state}; only a referral not yet active can be cancelled",
            r.id
        ))
        .hint("an active package ends rather than being cancelled"));
    }
    let mut after = r.clone();
    after.state = State::Cancelled;
    after.cancel_reason = Some(reason.to_string());
    Ok(Transition::new("referral cancelled", after).details(json!({ "reason": reason })))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::dates::parse_instant;
    use crate::domain::model::{PlacementType, Response, Tier};
    use chrono::NaiveDate;

    fn t(s: &str) -> DateTime<Utc> {
        parse_instant(s).unwrap()
    }

    fn referral() -> Referral {
        let mut r = Referral::new(t("2026-11-23 09:00"));
        r.id = 7;
        r.state = State::Waiting;
        r.start_date = NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
        r.calls_per_day = 3;
        r.minutes_per_call = 30;
        r.weekly_minutes = 635;
        r
    }

    fn offer_to(provider_id: i64, at: &str) -> Offer {
        let at = t(at);
        Offer {
            id: provider_id * 10,
            referral_id: 7,
            provider_id,
            provider: format!("P{provider_id}"),
            tier: Tier::Clustered,
            placement_type: PlacementType::Contract,
            offered_at: at,
            deadline: super::super::responses::response_deadline(at),
            response: None,
            responded_at: None,
            reason: None,
            reason_text: None,
            until: None,
            future_start: None,
            calls: None,
            override_reason: None,
            offered_by: "po".into(),
        }
    }

    fn answer(answer: Answer, offer_id: i64, at: &str) -> AnswerFacts {
        AnswerFacts {
            answer,
            reason: None,
            note: None,
            until: None,
            future_start: None,
            calls: None,
            offer_id,
            force: false,
            amend: false,
            at: t(at),
        }
    }

    #[test]
    fn an_offer_moves_the_referral_to_offered_with_a_two_hour_deadline() {
        let r = referral();
        let choice = Choice {
            provider_id: 1,
            provider: "Alpha".into(),
            tier: Tier::Clustered,
            placement_type: PlacementType::Contract,
            override_reason: None,
        };
        let tr = offer(&r, State::Waiting, choice, t("2026-11-23 10:00")).unwrap();
        assert_eq!(tr.referral.state, State::Offered);
        let Some(OfferChange::New(o)) = tr.offer else { panic!("a new offer") };
        assert_eq!(o.deadline, t("2026-11-23 12:00"));
        assert!(tr.settle.contains(&Rule::Lapsed));
        let refused =
            offer(&r, State::Incomplete, Choice { override_reason: None, ..choice_b() }, t("2026-11-23 10:00"));
        assert!(refused.unwrap_err().message.contains("incomplete"));
    }

    fn choice_b() -> Choice {
        Choice {
            provider_id: 2,
            provider: "Beta".into(),
            tier: Tier::Clustered,
            placement_type: PlacementType::Contract,
            override_reason: None,
        }
    }

    #[test]
    fn accept_places_with_the_offers_provider() {
        let r = referral();
        let offers = [offer_to(1, "2026-11-23 10:00")];
        let tr = respond(
            &r,
            State::Offered,
            &offers,
            &answer(Answer::Accept, 10, "2026-11-23 10:30"),
            t("2026-11-23 10:30"),
        )
        .unwrap();
        assert_eq!(tr.referral.state, State::Accepted);
        assert_eq!(tr.referral.provider_id, Some(1));
        assert_eq!(tr.referral.accepted_at, Some(t("2026-11-23 10:30")));
        assert_eq!(tr.event, "response: accept");
    }

    #[test]
    fn considering_needs_an_answer_by_time_before_the_start_and_asks_the_asm() {
        let r = referral();
        let offers = [offer_to(1, "2026-11-23 10:00")];
        let mut a = answer(Answer::Considering, 10, "2026-11-23 10:30");
        a.until = Some(t("2026-12-07 09:00"));
        assert!(respond(&r, State::Offered, &offers, &a, t("2026-11-23 10:30")).is_err());
        a.until = Some(t("2026-11-24 12:00"));
        let tr = respond(&r, State::Offered, &offers, &a, t("2026-11-23 10:30")).unwrap();
        assert_eq!(tr.referral.state, State::Considering);
        assert_eq!(tr.raise.len(), 1);
        assert_eq!(tr.raise[0].rule, Rule::Considering);
    }

    #[test]
    fn a_late_acceptance_does_not_override_a_live_offer_unless_forced() {
        let r = referral();
        let mut first = offer_to(1, "2026-11-23 09:00");
        first.response = Some(Response::Lapsed);
        let offers = [first, offer_to(2, "2026-11-23 11:30")];
        let a = answer(Answer::Accept, 10, "2026-11-23 12:00");
        assert!(respond(&r, State::Offered, &offers, &a, t("2026-11-23 12:00")).is_err());
        let forced = AnswerFacts { force: true, ..a };
        assert!(respond(&r, State::Offered, &offers, &forced, t("2026-11-23 12:00")).is_ok());
    }

    #[test]
    fn a_partial_acceptance_keeps_every_minute() {
        let r = referral();
        let (taken, rest) = split_partial(&r, 1).unwrap();
        assert_eq!(taken.weekly_minutes + rest.weekly_minutes, 635);
        assert_eq!((taken.calls_per_day, rest.calls_per_day), (1, 2));
        assert_eq!(rest.parent_id, Some(7));
        assert!(split_partial(&r, 3).is_err() && split_partial(&r, 0).is_err());
    }

    #[test]
    fn cancel_guards_its_states() {
        let r = referral();
        assert!(cancel(&r, State::Active, "x").is_err());
        assert_eq!(cancel(&r, State::Waiting, "moved").unwrap().referral.cancel_reason.as_deref(), Some("moved"));
    }
}
