//! A provider's answer to an offer (SPEC §7): accept, tentative, decline, considering, partial —
//! checked against what is already recorded, and turned into a [`Transition`].

use super::dates::{show_date, show_instant, start_of_london_day};
use super::model::{DeclineReason, Response, State};
use super::record::{Offer, Referral};
use super::responses::{is_late, outcome, Outcome as OfferOutcome};
use super::transition::{OfferChange, Raise, Transition};
use super::waiting::Rule;
use crate::error::UserError;
use chrono::{DateTime, NaiveDate, Utc};
use serde_json::json;

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
    if a.at < target.offered_at {
        return Err(UserError::usage(format!(
            "the answer at {} is before the offer was made ({})",
            show_instant(a.at),
            show_instant(target.offered_at)
        ))
        .hint("check --at"));
    }
    let earlier = guard_earlier_answer(r, target, latest, offers, a, now)?;
    let (base, state) = if earlier.is_some() && a.amend { unplace(r, state, target) } else { (r.clone(), state) };
    let r = &base;
    guard_state(r, state)?;
    guard_late_override(r, target, latest, a, now)?;
    guard_until(r, a)?;
    let o = answered(target, a);
    let (after, linked) = next_facts(r, &o, a, now)?;
    let mut details = json!({
        "offer": o.id, "provider": o.provider, "response": a.answer.response(), "reason": o.reason,
        "note": o.reason_text, "until": o.until.map(super::dates::store_instant), "future_start": o.future_start,
        "calls": o.calls, "late": is_late(&o.facts()), "forced": a.force && target.id != latest.id,
    });
    let event = if earlier.is_some() && a.amend { "response amended" } else { response_event(a.answer) };
    if let (Some(was), serde_json::Value::Object(m)) = (&earlier, &mut details) {
        m.insert("amends".into(), was.clone().into());
    }
    let mut t = Transition::new(event, after).details(details);
    // A final answer settles the questions its "considering" raised for the ASM.
    if a.answer != Answer::Considering && target.response == Some(Response::Considering) {
        t = t.settles(&[Rule::Considering, Rule::ConsideringExpired], "the provider answered");
    }
    t.raise = questions_for_the_asm(r, &o, a);
    t.offer = Some(OfferChange::Answered(o));
    t.linked = linked;
    Ok(t)
}

/// The answer the offer already has, if any: refused unless it is being amended (or a late
/// answer to a lapsed offer is forced).
fn guard_earlier_answer(
    r: &Referral,
    target: &Offer,
    latest: &Offer,
    offers: &[Offer],
    a: &AnswerFacts,
    now: DateTime<Utc>,
) -> Result<Option<String>, UserError> {
    let Some(was) = settled_answer(target, offers, now) else {
        return Ok(None);
    };
    let unanswered = matches!(target.response, None | Some(Response::Lapsed));
    if !a.amend && (!unanswered || !a.force) {
        return Err(UserError::new(format!("offer {} to {} already has an answer: {was}", target.id, target.provider))
            .hint(if unanswered {
                format!(
                    "record the late answer anyway with --force (and tell {} the package is placed)",
                    latest.provider
                )
            } else {
                format!("to correct it: hcp respond {} {} --amend (the correction is logged)", r.id, a.answer.word())
            }));
    }
    if a.amend && (target.response == Some(Response::Partial) || a.answer == Answer::Partial) {
        return Err(UserError::new("a partial acceptance cannot be amended: it split the package")
            .hint("cancel the linked remainder and record the answers again"));
    }
    Ok(Some(was))
}

/// Amending the answer that placed the referral takes the placement back first.
fn unplace(r: &Referral, state: State, target: &Offer) -> (Referral, State) {
    let mut base = r.clone();
    if r.provider_id == Some(target.provider_id) && matches!(state, State::Accepted | State::Tentative) {
        base.state = State::Waiting;
        base.provider_id = None;
        base.placement_type = None;
        base.accepted_at = None;
        base.form_sent_at = None;
        return (base, State::Waiting);
    }
    (base, state)
}

fn guard_state(r: &Referral, state: State) -> Result<(), UserError> {
    match state {
        State::Cancelled | State::Ended | State::Active | State::Confirmed => {
            Err(UserError::new(format!("referral {} is {state}; answers can no longer be recorded", r.id)))
        }
        State::Accepted => Err(UserError::new(format!("referral {} is already accepted by a provider", r.id))
            .hint(format!("`hcp referral show {}` shows the placement", r.id))),
        _ => Ok(()),
    }
}

/// A late answer must not silently override a later offer to another provider.
fn guard_late_override(
    r: &Referral,
    target: &Offer,
    latest: &Offer,
    a: &AnswerFacts,
    now: DateTime<Utc>,
) -> Result<(), UserError> {
    if target.id == latest.id || !matches!(a.answer, Answer::Accept | Answer::Partial | Answer::Tentative) {
        return Ok(());
    }
    let lo = outcome(&latest.facts(), now);
    if lo.is_refusal() || a.force {
        return Ok(());
    }
    Err(UserError::new(format!(
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
    .hint("record it anyway with --force, and tell the other provider the package is placed"))
}

/// Guidance 6: a considering provider names an answer-by time, after now and before the start.
fn guard_until(r: &Referral, a: &AnswerFacts) -> Result<(), UserError> {
    let Some(u) = a.until else {
        return Ok(());
    };
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
    Ok(())
}

/// The offer with the answer recorded on it.
fn answered(target: &Offer, a: &AnswerFacts) -> Offer {
    let mut o = target.clone();
    o.response = Some(a.answer.response());
    o.responded_at = Some(a.at);
    o.reason = a.reason;
    o.reason_text = a.note.clone();
    o.until = a.until;
    o.future_start = a.future_start;
    o.calls = a.calls;
    o
}

/// The referral after the answer, and the linked remainder of a partial acceptance.
fn next_facts(
    r: &Referral,
    o: &Offer,
    a: &AnswerFacts,
    now: DateTime<Utc>,
) -> Result<(Referral, Option<Referral>), UserError> {
    let mut after = r.clone();
    match a.answer {
        // A later start offered with an acceptance waits for the ASM: off the list, not placed.
        Answer::Accept if a.future_start.is_some() => after.state = State::Tentative,
        Answer::Accept => place(&mut after, o, a.at),
        Answer::Tentative => after.state = State::Tentative,
        Answer::Considering => after.state = State::Considering,
        Answer::Decline => after.state = State::Waiting,
        Answer::Partial => {
            let (mut taken, mut rest) = split_partial(r, a.calls.unwrap_or(0))?;
            rest.created_at = now;
            rest.updated_at = now;
            rest.notes = Some(format!(
                "remaining {} calls a day of referral {} (partial acceptance by {})",
                rest.calls_per_day, r.id, o.provider
            ));
            place(&mut taken, o, a.at);
            return Ok((taken, Some(rest)));
        }
    }
    Ok((after, None))
}

/// The decisions the ASM must take now (SPEC §8): approach the next provider while one
/// considers; accept a later start.
fn questions_for_the_asm(r: &Referral, o: &Offer, a: &AnswerFacts) -> Vec<Raise> {
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
    raise
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
            let later = offers.iter().rfind(|l| l.offered_at > o.offered_at && l.id != o.id)?;
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
pub(super) fn place(r: &mut Referral, o: &Offer, at: DateTime<Utc>) {
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
