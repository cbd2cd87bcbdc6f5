//! `hcp respond <id> accept|tentative|decline|considering|partial`: a provider's answer (SPEC §7).

use super::ctx::{parse_date_arg, parse_time_arg, Ctx};
use super::view;
use super::{output, Exit, Outcome};
use crate::domain::dates::show_instant;
use crate::domain::lifecycle::{self, Answer, AnswerFacts, OfferChange};
use crate::domain::model::{DeclineReason, Tier};
use crate::domain::responses::{confirmation_form_deadline, is_late};
use crate::error::UserError;
use crate::io::email::decline_email;
use crate::store::lifecycle::{self as store_lifecycle, Stamp};
use crate::store::{offers, providers, reference};
use chrono::{DateTime, Utc};
use serde_json::json;

/// The answer words on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum AnswerArg {
    Accept,
    Tentative,
    Decline,
    Considering,
    Partial,
}

impl From<AnswerArg> for Answer {
    fn from(a: AnswerArg) -> Answer {
        match a {
            AnswerArg::Accept => Answer::Accept,
            AnswerArg::Tentative => Answer::Tentative,
            AnswerArg::Decline => Answer::Decline,
            AnswerArg::Considering => Answer::Considering,
            AnswerArg::Partial => Answer::Partial,
        }
    }
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
    pub answer: AnswerArg,
    /// Why the provider declined.
    #[arg(long, value_name = "R")]
    pub reason: Option<DeclineReason>,
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
    /// Correct an answer already recorded for this offer (the correction is logged, before → after).
    #[arg(long)]
    pub amend: bool,
    /// When the provider answered (default: now).
    #[arg(long, value_name = "T")]
    pub at: Option<String>,
}

/// Read and check every flag before touching the database: the answer without its offer.
fn read_answer(args: &Args, at: DateTime<Utc>) -> anyhow::Result<AnswerFacts> {
    let answer: Answer = args.answer.into();
    if answer == Answer::Decline && args.reason.is_none() {
        return Err(UserError::usage("a decline needs --reason")
            .hint(format!("use one of: {}", DeclineReason::names()))
            .into());
    }
    let until = match (&answer, &args.until) {
        (Answer::Considering, None) => {
            return Err(UserError::usage("considering needs --until: the time the provider will answer by")
                .hint("e.g. --until \"2026-11-24 12:00\"")
                .into())
        }
        (_, Some(u)) => Some(parse_time_arg("--until", u)?),
        _ => None,
    };
    if answer == Answer::Partial && args.calls.is_none() {
        return Err(UserError::usage("partial needs --calls N: the calls a day the provider takes").into());
    }
    Ok(AnswerFacts {
        answer,
        reason: args.reason,
        note: args.note.clone(),
        until,
        future_start: args.future_start.as_deref().map(|d| parse_date_arg("--future-start", d)).transpose()?,
        calls: args.calls,
        offer_id: 0,
        force: args.force,
        amend: args.amend,
        at,
    })
}

pub fn run(ctx: &mut Ctx, args: Args) -> Outcome {
    let rules = ctx.rules()?;
    let at = ctx.at(args.at.as_deref())?;
    let (now, user, json) = (ctx.now, ctx.user.clone(), ctx.json);
    let mut facts = read_answer(&args, at)?;
    let (answer, reason, future_start) = (facts.answer, facts.reason, facts.future_start);
    let stamp = Stamp { at, now, user: &user };
    let store = ctx.store()?;
    let (applied, email, r) = store.write(|tx| {
        let v = view::load(tx, &rules, now, args.id)?;
        let offer_id = match &args.provider {
            Some(p) => {
                let named = reference::find_provider(tx, p)?;
                v.offers.iter().rev().find(|o| o.provider_id == named.id).map(|o| o.id).ok_or_else(|| {
                    UserError::new(format!("{} has not been offered referral {}", named.name, args.id))
                        .hint(format!("`hcp referral show {}` lists its offers", args.id))
                })?
            }
            None => v.offers.last().map(|o| o.id).unwrap_or(0),
        };
        facts.offer_id = offer_id;
        let t = lifecycle::respond(&v.r, v.state, &v.offers, &facts, now)?;
        // The standard decline email goes to clustered providers only (Appendix 6).
        let email = match &t.offer {
            Some(OfferChange::Answered(o)) if answer == Answer::Decline && o.tier == Tier::Clustered => {
                let p = providers::get(tx, o.provider_id)?;
                Some(decline_email(
                    &p.name,
                    p.email.as_deref(),
                    p.senior_email.as_deref(),
                    o.offered_at,
                    reason.map(|r| r.plain()).unwrap_or("other"),
                    v.area.as_deref().unwrap_or("-"),
                    v.cluster.as_deref().unwrap_or("-"),
                ))
            }
            _ => None,
        };
        let after = t.referral.clone();
        let applied = store_lifecycle::apply(tx, &v.r, t, &stamp)?;
        Ok((applied, email, after))
    })?;
    let o = offers::get(store.conn(), applied.offer_id.unwrap_or(0))?;
    let late = is_late(&o.facts());
    if json {
        output::json(&output::With {
            base: view::OfferJson::new(&o, now),
            extra: json!({ "referral_state": r.state, "linked_referral": applied.linked_id, "decline_email": email }),
        });
        return Ok(Exit::Done);
    }
    println!(
        "{} {} referral {}{}; referral is now {}.",
        o.provider,
        match answer {
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
    match answer {
        Answer::Accept | Answer::Partial => {
            let due = confirmation_form_deadline(at);
            println!("\nNext steps:");
            println!("  1. Courtesy call to the client (or their representative): the provider will be in touch.");
            println!("  2. Send the Provider Confirmation Form to {} by {} (2 hours after acceptance).", o.provider, show_instant(due));
            println!("  3. When the form comes back: hcp confirm {} --start DATE --call-times \"07:30,12:00,17:00\"", r.id);
            if let Some(l) = applied.linked_id {
                println!("\nThe remaining calls are on the list as referral {l}.");
            }
        }
        Answer::Considering => println!("The ASM decides whether to approach the next provider meanwhile (`hcp escalate list --open`); let the provider know."),
        Answer::Decline => {
            match &email {
                Some(e) => println!("\nSend the decline acknowledgement (clustered provider):\n\n{e}"),
                None => println!("{}: no decline notice is sent.", o.tier.plain().replace("other", "Other").replace("non-", "Non-")),
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
