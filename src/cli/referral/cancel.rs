//! `hcp referral cancel <id> --reason R`: any state before active.

use crate::cli::ctx::Ctx;
use crate::cli::view::load_referral;
use crate::cli::{output, Exit, Outcome};
use crate::domain::dates::store_instant;
use crate::domain::model::State;
use crate::error::UserError;
use crate::store::events::Event;
use crate::store::referrals;

/// Cancel a referral that is not yet active. The reason is required and kept.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example:\n  hcp referral cancel 12 --reason \"client moved to residential care\"")]
pub struct Args {
    /// The referral id.
    pub id: i64,
    /// Why it is cancelled.
    #[arg(long)]
    pub reason: String,
    /// When it was cancelled (default: now).
    #[arg(long, value_name = "T")]
    pub at: Option<String>,
}

pub fn run(ctx: &mut Ctx, args: Args) -> Outcome {
    if args.reason.trim().is_empty() {
        return Err(UserError::usage("--reason is empty").hint("say why the referral is cancelled").into());
    }
    let at = ctx.at(args.at.as_deref())?;
    let (at_s, now_s, user) = (store_instant(at), ctx.now_str(), ctx.user.clone());
    let json = ctx.json;
    let store = ctx.store()?;
    let r = store.write(|tx| {
        let before = load_referral(tx, args.id)?;
        let state = State::parse(&before.state).unwrap_or(State::Incomplete);
        if !state.open() {
            return Err(UserError::new(format!(
                "referral {} is {state}; only a referral not yet active can be cancelled",
                args.id
            ))
            .hint("an active package ends rather than being cancelled")
            .into());
        }
        let mut r = before.clone();
        r.state = State::Cancelled.as_str().into();
        r.cancel_reason = Some(args.reason.trim().to_string());
        referrals::save(
            tx,
            &before,
            Event::new("referral cancelled", "referral", &at_s, &now_s, &user)
                .details(serde_json::json!({ "reason": args.reason.trim() })),
            &mut r,
        )?;
        Ok(r)
    })?;
    if json {
        output::json(&serde_json::json!({ "id": r.id, "state": r.state, "cancel_reason": r.cancel_reason }));
    } else {
        println!("Referral {} cancelled: {}", r.id, args.reason.trim());
    }
    Ok(Exit::Done)
}
