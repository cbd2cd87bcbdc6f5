//! `hcp financial-assessment <id> --done`: the financial assessment (due within 2 working days of
//! confirmation) is complete.

use super::ctx::Ctx;
use super::view;
use super::{output, Exit, Outcome};
use crate::domain::dates::store_instant;
use crate::domain::model::State;
use crate::error::UserError;
use crate::store::events::Event;
use crate::store::referrals;
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
    let (now, now_s, user, json) = (ctx.now, ctx.now_str(), ctx.user.clone(), ctx.json);
    let store = ctx.store()?;
    let r = store.write(|tx| {
        let v = view::load(tx, &rules, now, args.id)?;
        if !matches!(v.state, State::Confirmed | State::Active) {
            return Err(UserError::new(format!(
                "referral {} is {}; the financial assessment follows confirmation",
                args.id, v.state
            ))
            .into());
        }
        let mut r = v.r.clone();
        r.fa_done_at = Some(store_instant(at));
        referrals::save(
            tx,
            &v.r,
            Event::new("financial assessment done", "referral", &store_instant(at), &now_s, &user)
                .details(json!({ "due": r.fa_due })),
            &mut r,
        )?;
        crate::store::escalations::close_done(
            tx,
            r.id,
            &["financial-assessment-overdue"],
            &store_instant(at),
            &now_s,
            &user,
            "financial assessment done",
        )?;
        Ok(r)
    })?;
    if json {
        output::json(&json!({ "id": r.id, "financial_assessment_done_at": r.fa_done_at }));
    } else {
        println!("Financial assessment recorded for referral {}.", r.id);
    }
    Ok(Exit::Done)
}
