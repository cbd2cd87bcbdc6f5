//! `hcp sdo <id> --sent`: the Service Delivery Order went to the provider -> `active`.

use super::ctx::Ctx;
use super::view;
use super::{output, Exit, Outcome};
use crate::domain::lifecycle;
use crate::store::lifecycle::{apply, Stamp};
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
    let (now, user, json) = (ctx.now, ctx.user.clone(), ctx.json);
    let stamp = Stamp { at, now, user: &user };
    let store = ctx.store()?;
    let r = store.write(|tx| {
        let v = view::load(tx, &rules, now, args.id)?;
        let t = lifecycle::sdo_sent(&v.r, v.state, at)?;
        let after = t.referral.clone();
        apply(tx, &v.r, t, &stamp)?;
        Ok(after)
    })?;
    if json {
        output::json(
            &json!({ "id": r.id, "state": r.state, "sdo_sent_at": r.sdo_sent_at.map(crate::domain::dates::json_instant), "sdo_due": r.sdo_due }),
        );
    } else {
        println!("SDO sent for referral {}: the package is active.", r.id);
    }
    Ok(Exit::Done)
}
