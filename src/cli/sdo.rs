//! `hcp sdo <id> --sent`: the Service Delivery Order went to the provider -> `active`.

use super::ctx::Ctx;
use super::view;
use super::{output, Exit, Outcome};
use crate::domain::dates::store_instant;
use crate::domain::model::State;
use crate::error::UserError;
use crate::store::events::Event;
use crate::store::referrals;
use serde_json::json;

/// Record that the SDO was sent: the package becomes active.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example:\n  hcp sdo 12 --sent\n  hcp sdo 12 --sent --at \"2026-11-25 10:00\"")]
pub struct Args {
    /// The referral id.
    pub id: i64,
    /// The SDO was sent.
    #[arg(long, required = true)]
    pub sent: bool,
    /// When it was sent (default: now).
    #[arg(long, value_name = "T")]
    pub at: Option<String>,
}

pub fn run(ctx: &mut Ctx, args: Args) -> Outcome {
    let rules = ctx.rules()?;
    let at = ctx.at(args.at.as_deref())?;
    let (now, now_s, user, json) = (ctx.now, ctx.now_str(), ctx.user.clone(), ctx.json);
    let store = ctx.store()?;
    let r = store.write(|tx| {
        let v = view::load(tx, &rules, now, args.id)?;
        if v.state != State::Confirmed {
            return Err(UserError::new(format!(
                "referral {} is {}; the SDO follows the provider's confirmation",
                args.id, v.state
            ))
            .hint(format!("record the Provider Confirmation Form first: hcp confirm {} --start DATE", args.id))
            .into());
        }
        let mut r = v.r.clone();
        r.state = State::Active.as_str().into();
        r.sdo_sent_at = Some(store_instant(at));
        let late = r.sdo_due.as_deref().and_then(view::date).is_some_and(|d| crate::domain::dates::london_date(at) > d);
        referrals::save(
            tx,
            &v.r,
            Event::new("SDO sent", "referral", &store_instant(at), &now_s, &user)
                .details(json!({ "sdo_due": r.sdo_due, "late": late })),
            &mut r,
        )?;
        crate::store::escalations::close_done(
            tx,
            r.id,
            &["sdo-overdue"],
            &store_instant(at),
            &now_s,
            &user,
            "SDO sent",
        )?;
        Ok(r)
    })?;
    if json {
        output::json(&json!({ "id": r.id, "state": r.state, "sdo_sent_at": r.sdo_sent_at, "sdo_due": r.sdo_due }));
    } else {
        println!("SDO sent for referral {}: the package is active.", r.id);
    }
    Ok(Exit::Done)
}
