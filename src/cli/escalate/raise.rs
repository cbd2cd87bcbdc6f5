//! `hcp escalate <id> --to asm|tm|ad --reason R`: raise one by hand.

use super::{escalation_json, Args};
use crate::cli::ctx::Ctx;
use crate::cli::view::load_referral;
use crate::cli::{output, Exit, Outcome};
use crate::domain::dates::store_instant;
use crate::domain::waiting::Rule;
use crate::error::UserError;
use crate::store::escalations::{self, NewEscalation};
use crate::store::reference;

pub fn run(ctx: &mut Ctx, id: i64, args: &Args) -> Outcome {
    let to = args.to.ok_or_else(|| UserError::usage("raising an escalation by hand needs --to asm|tm|ad"))?;
    let reason = args
        .reason
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .ok_or_else(|| UserError::usage("raising an escalation by hand needs --reason"))?;
    let rule = args.rule.unwrap_or(Rule::Manual);
    let at = ctx.at(args.at.as_deref())?;
    let (at_s, now_s, user, json) = (store_instant(at), ctx.now_str(), ctx.user.clone(), ctx.json);
    let store = ctx.store()?;
    let eid = store.write(|tx| {
        load_referral(tx, id)?;
        let provider = args.provider.as_deref().map(|p| reference::find_provider(tx, p)).transpose()?;
        // A hand-raised escalation is its own trigger: each one counts.
        let n = escalations::count(tx)?;
        let trigger = format!("manual-{at_s}-{n}");
        let eid = escalations::raise_once(
            tx,
            &NewEscalation {
                referral_id: Some(id),
                area_id: None,
                provider_id: provider.as_ref().map(|p| p.id),
                rule,
                to,
                trigger_key: &trigger,
                note: reason,
                raised_at: &at_s,
                raised_by: &user,
            },
            &now_s,
        )?
        .ok_or_else(|| UserError::new("the same escalation was just raised"))?;
        Ok(eid)
    })?;
    let e = escalations::get(store.conn(), eid)?.ok_or_else(|| UserError::new("escalation vanished"))?;
    if json {
        output::json(&escalation_json(&e));
    } else {
        println!("Escalation {eid} raised to the {} about referral {id}: {reason}", to.label());
        println!("Record the decision with: hcp escalate resolve {eid} --decision …");
    }
    Ok(Exit::Done)
}
