//! `hcp financial-assessment <id> --done`: the financial assessment (due within 2 working days of
//! confirmation) is complete.

use super::ctx::Ctx;
use super::view;
use super::{output, Exit, Outcome};
use crate::domain::lifecycle;
use crate::store::lifecycle::{apply, Stamp};
use serde_json::json;

/// Record that the client's financial assessment is complete.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example:\n  hcp financial-assessment 12 --done")]
pub struct Args {
    /// The referral id.
    pub id: i64,
    /// The assessment is complete.
    #[arg(long, required = true)]
    pub done: bool,
    /// When it was completed (default: now).
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
        let t = lifecycle::financial_assessment_done(&v.r, v.state, at)?;
        let after = t.referral.clone();
        apply(tx, &v.r, t, &stamp)?;
        Ok(after)
    })?;
    if json {
        output::json(
            &json!({ "id": r.id, "financial_assessment_done_at": r.fa_done_at.map(crate::domain::dates::json_instant) }),
        );
    } else {
        println!("Financial assessment recorded for referral {}.", r.id);
    }
    Ok(Exit::Done)
}
