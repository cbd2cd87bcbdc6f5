//! `hcp respond <id> accept|tentative|decline|considering|partial`: a provider's answer (SPEC §7).

use super::ctx::{parse_date_arg, parse_time_arg, Ctx};
use super::view::{self};
use super::{output, Exit, Outcome};
use crate::domain::dates::{show_instant, start_of_london_day, store_instant};
use crate::domain::model::{DeclineReason, Response, State, Tier};
use crate::domain::responses::{is_late, outcome, Outcome as OfferOutcome};
use crate::domain::waiting::Rule;
use crate::error::UserError;
use crate::io::email::decline_email;
use crate::store::escalations::{self, NewEscalation};
use crate::store::events::Event;
use crate::store::{offers, providers, reference, referrals};
use chrono::Duration;
use clap::ValueEnum;
use serde_json::json;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Answer {
    Accept,
    Tentative,
    Decline,
    Considering,
    Partial,
}

/// Record a provider's answer to the latest offer on a referral.
///
/// accept: placed, next steps listed. tentative: off the list. decline --reason: back on the list
/// (a clustered provider gets the standard decline email). considering --until T: the ASM decides
/// whether to approach the next provider meanwhile. partial --calls N: N calls placed, the rest
/// stay on the list as a linked referral.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example:
  hcp respond 12 decline --reason no-capacity
  hcp respond 12 considering --until \"2026-11-24 12:00\"
  hcp respond 12 decline --reason call-times --future-start 2026-12-14
  hcp respond 12 partial --calls 2
  hcp respond 12 accept --at \"2026-11-23 11:20\"")]
pub struct Args {
    /// The referral id.
    pub id: i64,
    /// The answer.
    #[arg(value_enum)]
    pub answer: Answer,
    /// Decline reason: no-capacity, geography, call-times, double-handed, complexity, price, other.
    #[arg(long, value_name = "R")]
    pub reason: Option<String>,
    /// Free text about the answer (kept on the offer and in the audit log).
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
    /// considering: the time the provider will answer by.
    #[arg(long, value_name = "T")]
    pub until: Option<String>,
    /// decline: the later start date the provider could offer (for an ASM decision).
    #[arg(long, value_name = "D")]
    pub future_start: Option<String>,
    /// partial: how many calls a day the provider takes.
    #[arg(long, value_name = "N")]
    pub calls: Option<i64>,
    /// The provider answering, when it is not the latest offer (e.g. a late answer).
    #[arg(long, value_name = "P")]
    pub provider: Option<String>,
    /// Record a late acceptance even though the referral has since been offered elsewhere.
    #[arg(long)]
    pub force: bool,
    /// When the provider answered (default: now).
    #[arg(long, value_name = "T")]
    pub at: Option<String>,
}

pub fn run(ctx: &mut Ctx, args: Args) -> Outcome {
    let rules = ctx.rules()?;
    let at = ctx.at(args.at.as_deref())?;
    let now = ctx.now;
    let (now_s, user, json) = (ctx.now_str(), ctx.user.clone(), ctx.json);
    let at_s = store_instant(at);
    // Read and check every flag before touching the database.
    let reason = match (&args.answer, &args.reason) {
        (Answer::Decline, None) => {
            return Err(UserError::usage("a decline needs --reason")
                .hint(format!("use one of: {}", DeclineReason::names()))
                .into())
        }
        (_, Some(r)) => Some(DeclineReason::parse(r).ok_or_else(|| {
            UserError::usage(format!("--reason '{r}' is not a decline reason"))
                .hint(format!("use one of: {} (and --note for details)", DeclineReason::names()))
        })?),
        _ => None,
    };
    let until = match (&args.answer, &args.until) {
        (Answer::Considering, None) => {
            return Err(UserError::usage("considering needs --until: the time the provider will answer by")
                .hint("e.g. --until \"2026-11-24 12:00\"")
                .into())
        }
        (_, Some(u)) => Some(parse_time_arg("--until", u)?),
        _ => None,
    };
    let future_start = args.future_start.as_deref().map(|d| parse_date_arg("--future-start", d)).transpose()?;
    if args.answer == Answer::Partial && args.calls.is_none() {
        return Err(UserError::usage("partial needs --calls N: the calls a day the provider takes").into());
    }

    let store = ctx.store()?;
    let result = store.write(|tx| {
        let v = view::load(tx, &rules, now, args.id)?;
        if v.offers.is_empty() {
            return Err(UserError::new(format!("referral {} has no offer to answer", args.id))
                .hint(format!("make one first: hcp offer {}", args.id))
                .into());
        }
        let latest = v.offers.last().expect("not empty").clone();
        let target = match &args.provider {
            Some(p) => {
                let named = reference::find_provider(tx, p)?;
                v.offers.iter().rev().find(|o| o.provider_id == named.id).cloned().ok_or_else(|| {
                    UserError::new(format!("{} has not been offered referral {}", named.name, args.id))
                        .hint(format!("`hcp referral show {}` lists its offers", args.id))
                })?
            }
            None => latest.clone(),
        };
        let state = v.state;
        // Guard the referral's state.
        match state {
            State::Cancelled | State::Ended | State::Active | State::Confirmed => {
                return Err(UserError::new(format!(
                    "referral {} is {state}; answers can no longer be recorded",
                    args.id
                ))
                .into())
            }
            State::Accepted => {
                return Err(UserError::new(format!(
                    "referral {} is already accepted by {}",
                    args.id,
                    v.provider.as_deref().unwrap_or("a provider")
                ))
                .into())
            }
            _ => {}
        }
        // A late answer must not silently override a later offer to another provider.
        if target.id != latest.id && matches!(args.answer, Answer::Accept | Answer::Partial | Answer::Tentative) {
            let lo = outcome(&latest.facts(), now);
            if !lo.is_refusal() && !args.force {
                return Err(UserError::new(format!(
                    "referral {} has since been offered to {} (offer {}, {}); {}'s late answer would override it",
                    args.id,
                    latest.provider,
                    latest.id,
                    match lo {
                        OfferOutcome::Awaiting { deadline } => format!("answer due {}", show_instant(deadline)),
                        _ => "answered".into(),
                    },
                    target.provider
                ))
                .hint("record it anyway with --force, and tell the other provider the package is placed")
                .into());
            }
        }
        if let Some(u) = until {
            if u <= at {
                return Err(UserError::usage(format!(
                    "--until {} is not after the answer time {}",
                    show_instant(u),
                    show_instant(at)
                ))
                .hint("the answer-by time must be in the future")
                .into());
            }
            let start = view::date(&v.r.start_date).map(start_of_london_day);
            if start.is_some_and(|s| u >= s) {
                return Err(UserError::usage(format!(
                    "--until {} is not before the requested start date {}",
                    show_instant(u),
                    v.r.start_date
                ))
                .hint("a considering provider must answer before the requested start (Guidance 6)")
                .into());
            }
        }
        let mut o = target.clone();
        let response = match args.answer {
            Answer::Accept => Response::Accept,
            Answer::Tentative => Response::Tentative,
            Answer::Decline => Response::Decline,
            Answer::Considering => Response::Considering,
            Answer::Partial => Response::Partial,
        };
        o.response = Some(response.as_str().into());
        o.responded_at = Some(at_s.clone());
        o.reason = reason.map(|r| r.as_str().to_string());
        o.reason_text = args.note.clone();
        o.until = until.map(store_instant);
        o.future_start = future_start.map(|d| d.to_string());
        o.calls = args.calls;
        offers::record_response(tx, &o)?;
        let late = is_late(&o.facts());

        let before = v.r.clone();
        let mut r = v.r.clone();
        let mut linked: Option<i64> = None;
        let mut email = None;
        match args.answer {
            Answer::Accept => {
                r.state = State::Accepted.as_str().into();
                r.provider_id = Some(o.provider_id);
                r.placement_type = Some(o.placement_type.clone());
                r.accepted_at = Some(at_s.clone());
            }
            Answer::Tentative => r.state = State::Tentative.as_str().into(),
            Answer::Considering => r.state = State::Considering.as_str().into(),
            Answer::Decline => {
                if state != State::Accepted {
                    r.state = State::Waiting.as_str().into();
                }
                if o.tier == Tier::Clustered.as_str() {
                    let p = providers::get(tx, o.provider_id)?;
                    email = Some(decline_email(
                        &p.name,
                        p.email.as_deref(),
                        p.senior_email.as_deref(),
                        o.facts().offered_at,
                        reason.map(|r| r.plain()).unwrap_or("other"),
                        v.area.as_deref().unwrap_or("-"),
                        v.cluster.as_deref().unwrap_or("-"),
                    ));
                }
            }
            Answer::Partial => {
                let calls = args.calls.unwrap_or(0);
                if calls <= 0 || calls >= r.calls_per_day {
                    return Err(UserError::usage(format!(
                        "--calls {calls} must be between 1 and {} (the package has {} calls a day)",
                        r.calls_per_day - 1,
                        r.calls_per_day
                    ))
                    .hint("for the whole package use `accept`")
                    .into());
                }
                // The remainder stays on the list as a linked referral, keeping the list date.
                let rest = r.calls_per_day - calls;
                let mut remainder = r.clone();
                remainder.id = 0;
                remainder.parent_id = Some(r.id);
                remainder.calls_per_day = rest;
                remainder.weekly_minutes = r.weekly_minutes * rest / r.calls_per_day;
                remainder.state = State::Waiting.as_str().into();
                remainder.created_at = now_s.clone();
                remainder.updated_at = now_s.clone();
                remainder.notes = Some(format!(
                    "remaining {rest} calls a day of referral {} (partial acceptance by {})",
                    r.id, o.provider
                ));
                let rid = referrals::insert(tx, &remainder)?;
                Event::new("referral split: remainder listed", "referral", &at_s, &now_s, &user)
                    .on(Some(rid), Some(rid))
                    .details(json!({ "parent": r.id, "calls_per_day": rest }))
                    .change(None, Some(serde_json::to_value(&remainder)?))
                    .append(tx)?;
                linked = Some(rid);
                r.weekly_minutes = r.weekly_minutes * calls / r.calls_per_day;
                r.calls_per_day = calls;
                r.state = State::Accepted.as_str().into();
                r.provider_id = Some(o.provider_id);
                r.placement_type = Some(o.placement_type.clone());
                r.accepted_at = Some(at_s.clone());
            }
        }
        r.updated_at = now_s.clone();
        referrals::update(tx, &r)?;
        let (b, a) = referrals::diff(&before, &r).unwrap_or_default();
        Event::new(&format!("response: {}", response.as_str()), "offer", &at_s, &now_s, &user)
            .on(Some(o.id), Some(r.id))
            .details(json!({
                "offer": o.id, "provider": o.provider, "response": response.as_str(), "reason": o.reason,
                "note": o.reason_text, "until": o.until, "future_start": o.future_start, "calls": o.calls,
                "late": late, "linked_referral": linked, "forced": args.force && target.id != latest.id,
            }))
            .change(Some(b), Some(a))
            .append(tx)?;
        // A final answer settles the questions its "considering" raised for the ASM.
        if args.answer != Answer::Considering && target.response.as_deref() == Some("considering") {
            escalations::close_done(
                tx,
                r.id,
                &["considering", "considering-expired"],
                &at_s,
                &now_s,
                &user,
                "the provider answered",
            )?;
        }
        // Decisions the ASM must take now (SPEC §8).
        let trigger = format!("offer-{}", o.id);
        let mut raised = Vec::new();
        if args.answer == Answer::Considering {
            raised.push((
                Rule::Considering,
                format!(
                    "{} is considering until {}; approach the next provider meanwhile?",
                    o.provider,
                    until.map(show_instant).unwrap_or_default()
                ),
            ));
        }
        if let Some(fs) = future_start {
            raised.push((
                Rule::FutureStart,
                format!("{} could start on {} instead of {}", o.provider, fs.format("%d/%m/%Y"), r.start_date),
            ));
        }
        for (rule, note) in raised {
            escalations::raise_once(
                tx,
                &NewEscalation {
                    referral_id: Some(r.id),
                    area_id: None,
                    provider_id: Some(o.provider_id),
                    rule: rule.as_str(),
                    to: rule.recipient().as_str(),
                    trigger_key: &trigger,
                    note: &note,
                    raised_at: &at_s,
                    raised_by: &user,
                },
                &now_s,
            )?;
        }
        Ok((o.id, late, linked, email, r))
    })?;
    let (offer_id, late, linked, email, r) = result;
    let o = offers::get(&store.conn, offer_id)?;
    if json {
        let mut j = view::offer_json(&o, now);
        j["referral_state"] = r.state.clone().into();
        j["linked_referral"] = linked.into();
        j["decline_email"] = email.clone().into();
        output::json(&j);
        return Ok(Exit::Done);
    }
    println!(
        "{} {} referral {}{}; referral is now {}.",
        o.provider,
        match args.answer {
            Answer::Accept => "accepted",
            Answer::Tentative => "tentatively accepted",
            Answer::Decline => "declined",
            Answer::Considering => "is considering",
            Answer::Partial => "accepted part of",
        },
        r.id,
        if late { " (late: after the 2-hour deadline)" } else { "" },
        r.state
    );
    match args.answer {
        Answer::Accept | Answer::Partial => {
            let due = at + Duration::hours(2);
            println!("\nNext steps:");
            println!("  1. Courtesy call to the client (or their representative): the provider will be in touch.");
            println!("  2. Send the Provider Confirmation Form to {} by {} (2 hours after acceptance).", o.provider, show_instant(due));
            println!("  3. When the form comes back: hcp confirm {} --start DATE --call-times \"07:30,12:00,17:00\"", r.id);
            if let Some(l) = linked {
                println!("\nThe remaining calls are on the list as referral {l}.");
            }
        }
        Answer::Considering => println!("The ASM decides whether to approach the next provider meanwhile (`hcp escalate list --open`); let the provider know."),
        Answer::Decline => {
            if let Some(e) = &email {
                println!("\nSend the decline acknowledgement (clustered provider):\n\n{e}");
            } else {
                println!("Other contracted provider: no decline notice is sent.");
            }
            if future_start.is_some() {
                println!("The ASM decides whether to accept the later start (`hcp escalate list --open`).");
            }
            println!("Next: hcp offer {}", r.id);
        }
        Answer::Tentative => println!("The referral is off the list until the provider confirms or declines."),
    }
    Ok(Exit::Done)
}
