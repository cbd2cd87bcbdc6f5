//! A referral's life (SPEC §4) as operations: each takes the referral's facts, what happened and
//! when, and returns a [`Transition`] — the new facts and everything to record with them — or a
//! refusal in plain words. `store::lifecycle::apply` writes a transition in one transaction; the
//! commands only parse and print.

use super::dates::{show_date, show_instant, start_of_london_day};
use super::model::{DeclineReason, Response, State};
use super::record::{Offer, Referral};
use super::responses::{is_late, outcome, Outcome as OfferOutcome};
use super::waiting::Rule;
use crate::error::UserError;
use chrono::{DateTime, NaiveDate, Utc};
use serde_json::json;

pub use super::allocation::Choice;
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

/// A provider's answer (SPEC §7).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    Accept,
    Tentative,
    Decline,
    Considering,
    Partial,
}

impl Answer {
    /// As typed on the command line.
    pub fn word(self) -> &'static str {
        match self {
            Answer::Accept => "accept",
            Answer::Tentative => "tentative",
            Answer::Decline => "decline",
            Answer::Considering => "considering",
            Answer::Partial => "partial",
        }
    }

    pub fn response(self) -> Response {
        match self {
            Answer::Accept => Response::Accept,
            Answer::Tentative => Response::Tentative,
            Answer::Decline => Response::Decline,
            Answer::Considering => Response::Considering,
            Answer::Partial => Response::Partial,
        }
    }
}

/// Everything recorded with an answer.
#[derive(Debug, Clone)]
pub struct AnswerFacts {
    pub answer: Answer,
    pub reason: Option<DeclineReason>,
    pub note: Option<String>,
    pub until: Option<DateTime<Utc>>,
    pub future_start: Option<NaiveDate>,
    pub calls: Option<i64>,
    /// The offer answered: the latest unless a provider was named.
    pub offer_id: i64,
    /// Record a late acceptance even though the referral has since been offered elsewhere.
    pub force: bool,
    /// Correct an answer already recorded (logged before → after).
    pub amend: bool,
    pub at: DateTime<Utc>,
}

/// `hcp respond`: record a provider's answer to one of the referral's offers.
pub fn respond(
    r: &Referral,
    state: State,
    offers: &[Offer],
    a: &AnswerFacts,
    now: DateTime<Utc>,
) -> Result<Transition, UserError> {
    let latest = offers.last().ok_or_else(|| {
        UserError::new(format!("referral {} has no offer to answer", r.id))
            .hint(format!("make one first: hcp offer {}", r.id))
    })?;
    let target = offers.iter().find(|o| o.id == a.offer_id).unwrap_or(latest);
    let earlier = settled_answer(target, offers, now);
    if let Some(was) = &earlier {
        // A late answer to a lapsed offer may be recorded with --force (see below); any other
        // answer already recorded only with --amend.
        let late_answer = matches!(target.response, None | Some(Response::Lapsed)) && a.force;
        if !a.amend && !late_answer {
            return Err(UserError::new(format!(
                "offer {} to {} already has an answer: {was}",
                target.id, target.provider
            ))
            .hint(if matches!(target.response, None | Some(Response::Lapsed)) {
                format!(
                    "record the late answer anyway with --force (and tell {} the package is placed)",
                    latest.provider
                )
            } else {
                format!("to correct it: hcp respond {} {} --amend (the correction is logged)", r.id, a.answer.word())
            }));
        }
        if target.response == Some(Response::Partial) || a.answer == Answer::Partial {
            return Err(UserError::new("a partial acceptance cannot be amended: it split the package")
                .hint("cancel the linked remainder and record the answers again"));
        }
    }
    // Amending the answer that placed the referral takes the placement back first.
    let placed_by_target =
        r.provider_id == Some(target.provider_id) && matches!(state, State::Accepted | State::Tentative);
    let mut base = r.clone();
    let mut state = state;
    if earlier.is_some() && a.amend && placed_by_target {
        base.state = State::Waiting;
        base.provider_id = None;
        base.placement_type = None;
        base.accepted_at = None;
        base.form_sent_at = None;
        state = State::Waiting;
    }
    let r = &base;
    match state {
        State::Cancelled | State::Ended | State::Active | State::Confirmed => {
            return Err(UserError::new(format!("referral {} is {state}; answers can no longer be recorded", r.id)))
        }
        State::Accepted => {
            return Err(UserError::new(format!("referral {} is already accepted by a provider", r.id))
                .hint(format!("`hcp referral show {}` shows the placement", r.id)))
        }
        _ => {}
    }
    // A late answer must not silently override a later offer to another provider.
    if target.id != latest.id && matches!(a.answer, Answer::Accept | Answer::Partial | Answer::Tentative) {
        let lo = outcome(&latest.facts(), now);
        if !lo.is_refusal() && !a.force {
            return Err(UserError::new(format!(
                "referral {} has since been offered to {} (offer {}, {}); {}'s late answer would override it",
                r.id,
                latest.provider,
                latest.id,
                match lo {
                    OfferOutcome::Awaiting { deadline } => format!("answer due {}", show_instant(deadline)),
                    _ => "answered".into(),
                },
                target.provider
            ))
            .hint("record it anyway with --force, and tell the other provider the package is placed"));
        }
    }
    if let Some(u) = a.until {
        if u <= a.at {
            return Err(UserError::usage(format!(
                "--until {} is not after the answer time {}",
                show_instant(u),
                show_instant(a.at)
            ))
            .hint("the answer-by time must be in the future"));
        }
        if u >= start_of_london_day(r.start_date) {
            return Err(UserError::usage(format!(
                "--until {} is not before the requested start date {}",
                show_instant(u),
                show_date(r.start_date)
            ))
            .hint("a considering provider must answer before the requested start (Guidance 6)"));
        }
    }
    let mut o = target.clone();
    o.response = Some(a.answer.response());
    o.responded_at = Some(a.at);
    o.reason = a.reason;
    o.reason_text = a.note.clone();
    o.until = a.until;
    o.future_start = a.future_start;
    o.calls = a.calls;
    let late = is_late(&o.facts());

    let mut after = r.clone();
    let mut linked = None;
    match a.answer {
        // A later start offered with an acceptance waits for the ASM: off the list, not placed.
        Answer::Accept if a.future_start.is_some() => after.state = State::Tentative,
        Answer::Accept => place(&mut after, &o, a.at),
        Answer::Tentative => after.state = State::Tentative,
        Answer::Considering => after.state = State::Considering,
        Answer::Decline => after.state = State::Waiting,
        Answer::Partial => {
            let calls = a.calls.unwrap_or(0);
            let (taken, rest) = split_partial(r, calls)?;
            let mut remainder = rest;
            remainder.created_at = now;
            remainder.updated_at = now;
            remainder.notes = Some(format!(
                "remaining {} calls a day of referral {} (partial acceptance by {})",
                remainder.calls_per_day, r.id, o.provider
            ));
            after = taken;
            place(&mut after, &o, a.at);
            linked = Some(remainder);
        }
    }
    let mut raise = Vec::new();
    let trigger = format!("offer-{}", o.id);
    if a.answer == Answer::Considering {
        let note = format!(
            "{} is considering until {}; approach the next provider meanwhile?",
            o.provider,
            a.until.map(show_instant).unwrap_or_default()
        );
        raise.push(Raise { rule: Rule::Considering, provider_id: Some(o.provider_id), trigger: trigger.clone(), note });
    }
    if let Some(fs) = a.future_start {
        let note = format!("{} could start on {} instead of {}", o.provider, show_date(fs), show_date(r.start_date));
        raise.push(Raise { rule: Rule::FutureStart, provider_id: Some(o.provider_id), trigger, note });
    }
    let details = json!({
        "offer": o.id, "provider": o.provider, "response": a.answer.response(), "reason": o.reason,
        "note": o.reason_text, "until": o.until.map(super::dates::store_instant), "future_start": o.future_start,
        "calls": o.calls, "late": late, "forced": a.force && target.id != latest.id,
    });
    let event = if earlier.is_some() && a.amend { "response amended" } else { response_event(a.answer) };
    let mut details = details;
    if let (Some(was), serde_json::Value::Object(m)) = (&earlier, &mut details) {
        m.insert("amends".into(), was.clone().into());
    }
    let mut t = Transition::new(event, after).details(details);
    // A final answer settles the questions its "considering" raised for the ASM.
    if a.answer != Answer::Considering && target.response == Some(Response::Considering) {
        t = t.settles(&[Rule::Considering, Rule::ConsideringExpired], "the provider answered");
    }
    t.offer = Some(OfferChange::Answered(o));
    t.linked = linked;
    t.raise = raise;
    Ok(t)
}

fn response_event(a: Answer) -> &'static str {
    match a {
        Answer::Accept => "response: accept",
        Answer::Tentative => "response: tentative",
        Answer::Decline => "response: decline",
        Answer::Considering => "response: considering",
        Answer::Partial => "response: partial",
    }
}

/// The answer an offer already has that a new one would overwrite: a final answer (accept,
/// tentative, decline, partial), or a lapse after which the referral was offered again. None when
/// it may be answered (no answer yet, considering, or lapsed with nothing since: a late answer).
fn settled_answer(o: &Offer, offers: &[Offer], now: DateTime<Utc>) -> Option<String> {
    let when = |t: Option<DateTime<Utc>>| t.map(|t| format!(" at {}", show_instant(t))).unwrap_or_default();
    match o.response {
        Some(Response::Accept) => Some(format!("accepted{}", when(o.responded_at))),
        // A tentative acceptance is followed by the provider's definite answer (SPEC §4).
        Some(Response::Tentative) => None,
        Some(Response::Partial) => Some(format!("accepted part of the package{}", when(o.responded_at))),
        Some(Response::Decline) => {
            Some(format!("declined ({}){}", o.reason.map(|r| r.plain()).unwrap_or("no reason"), when(o.responded_at)))
        }
        Some(Response::Considering) => None,
        None | Some(Response::Lapsed) => {
            let later = offers.iter().filter(|l| l.offered_at > o.offered_at && l.id != o.id).last()?;
            outcome(&o.facts(), now).is_refusal().then(|| {
                format!(
                    "it lapsed at {} and the referral has since been offered to {} (offer {})",
                    show_instant(o.deadline),
                    later.provider,
                    later.id
                )
            })
        }
    }
}

/// Accepted by the offer's provider at `at`.
fn place(r: &mut Referral, o: &Offer, at: DateTime<Utc>) {
    r.state = State::Accepted;
    r.provider_id = Some(o.provider_id);
    r.placement_type = Some(o.placement_type);
    r.accepted_at = Some(at);
}

/// A partial acceptance of `calls` calls a day: the part taken and the remainder (a new linked
/// referral, still on the list with the same list date). Every minute of the package is kept:
/// the parts' weekly minutes add up to the whole.
pub fn split_partial(r: &Referral, calls: i64) -> Result<(Referral, Referral), UserError> {
    if calls <= 0 || calls >= r.calls_per_day {
        return Err(UserError::usage(format!(
            "--calls {calls} must be between 1 and {} (the package has {} calls a day)",
            r.calls_per_day - 1,
            r.calls_per_day
        ))
        .hint("for the whole package use `accept`"));
    }
    let mut taken = r.clone();
    taken.calls_per_day = calls;
    taken.weekly_minutes = r.weekly_minutes * calls / r.calls_per_day;
    let mut rest = r.clone();
    rest.id = 0;
    rest.parent_id = Some(r.id);
    rest.calls_per_day = r.calls_per_day - calls;
    rest.weekly_minutes = r.weekly_minutes - taken.weekly_minutes;
    rest.state = State::Waiting;
    Ok((taken, rest))
}

/// `hcp confirm`: the provider's confirmation form came back. Guidance, accept 10: the SDO is
/// due within 2 working days of the confirmation (contracted) or of the Indi contract
/// (non-contracted Indi); the financial assessment within 2 working days.
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
    use crate::domain::model::{PlacementType, Tier};

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
