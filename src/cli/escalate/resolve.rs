//! `hcp escalate resolve <esc-id> --decision D [--note]`.

use super::escalation_json;
use crate::cli::ctx::Ctx;
use crate::cli::view;
use crate::cli::{output, Exit, Outcome};
use crate::domain::dates::show_date;
use crate::domain::dates::store_instant;
use crate::domain::lifecycle;
use crate::domain::model::Decision;
use crate::error::UserError;
use crate::store::escalations;
use crate::store::events::Event;
use crate::store::lifecycle::{apply, Stamp};
use crate::store::offers;
use serde_json::json;

/// Record the decision on an escalation. approve-non-contracted, approach-next,
/// allow-sanctioned and accept-future-start change what `hcp offer` does next.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Example:\n  hcp escalate resolve 7 --decision approach-next --note \"tell Alpha we are approaching Beta\""
)]
pub struct Args {
    /// The escalation id (`hcp escalate list`).
    pub esc_id: i64,
    /// What was decided.
    #[arg(long, value_name = "D")]
    pub decision: Decision,
    /// What was decided, in words (kept with the decision).
    #[arg(long)]
    pub note: Option<String>,
    /// When decided (default: now).
    #[arg(long, value_name = "T")]
    pub at: Option<String>,
}

pub fn run(ctx: &mut Ctx, args: Args) -> Outcome {
    let decision = args.decision;
    let rules = ctx.rules()?;
    let at = ctx.at(args.at.as_deref())?;
    let now = ctx.now;
    let (at_s, now_s, user, json) = (store_instant(at), ctx.now_str(), ctx.user.clone(), ctx.json);
    let store = ctx.store()?;
    let mut advice = None;
    store.write(|tx| {
        let e = escalations::get(tx, args.esc_id)?.ok_or_else(|| {
            UserError::new(format!("no escalation with id {}", args.esc_id)).hint("`hcp escalate list --open` shows them")
        })?;
        if at < e.raised_at {
            return Err(UserError::usage(format!(
                "the decision at {} is before escalation {} was raised ({})",
                crate::domain::dates::show_instant(at),
                e.id,
                crate::domain::dates::show_instant(e.raised_at)
            ))
            .hint("check --at")
            .into());
        }
        if let Some(d) = &e.decision {
            return Err(UserError::new(format!("escalation {} was already resolved: {d}", e.id)).hint("raise a new one if the decision changes").into());
        }
        escalations::resolve(tx, e.id, &at_s, &user, decision, args.note.as_deref())?;
        if let Some(rid) = e.referral {
            // The ASM decides on a provider's later start: placed from then, or back on the list.
            if matches!(decision, Decision::AcceptFutureStart | Decision::RefuseFutureStart) {
                if let Some(offer_id) = e.trigger_key.strip_prefix("offer-").and_then(|s| s.parse::<i64>().ok()) {
                    let offer = offers::get(tx, offer_id)?;
                    let v = view::load(tx, &rules, now, rid)?;
                    let accept = decision == Decision::AcceptFutureStart;
                    let t = lifecycle::future_start_decision(&v.r, v.state, &offer, accept, at)?;
                    let after = t.referral.clone();
                    apply(tx, &v.r, t, &Stamp { at, now, user: &user })?;
                    advice = Some(if accept {
                        format!(
                            "referral {rid} is placed with {} from {}; send the confirmation form (`hcp form-sent {rid}`)",
                            offer.provider,
                            show_date(after.start_date)
                        )
                    } else {
                        format!("tell {} the later start is not accepted; then `hcp offer {rid}`", offer.provider)
                    });
                }
            }
            if decision == Decision::ApproachNext {
                advice = Some(format!("tell {} that the next provider is being approached meanwhile; then `hcp offer {rid}`", e.provider.clone().unwrap_or_else(|| "the considering provider".into())));
            }
            if decision == Decision::ApproveNonContracted {
                advice = Some(format!("`hcp offer {rid}` now goes to non-contracted providers rated Good or Outstanding"));
            }
        }
        Event::new("escalation resolved", "escalation", &at_s, &now_s, &user)
            .on(Some(e.id), e.referral)
            .details(json!({ "escalation": e.id, "rule": e.rule, "decision": decision.as_str(), "note": args.note }))
            .change(Some(json!({ "decision": null })), Some(json!({ "decision": decision.as_str() })))
            .append(tx)?;
        Ok(())
    })?;
    let e = escalations::get(store.conn(), args.esc_id)?.ok_or_else(|| UserError::new("escalation vanished"))?;
    if json {
        output::json(&escalation_json(&e));
    } else {
        println!("Escalation {} ({}) resolved: {}", e.id, e.rule, decision);
        if let Some(a) = advice {
            println!("Next: {a}");
        }
    }
    Ok(Exit::Done)
}
