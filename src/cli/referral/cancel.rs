//! `hcp referral cancel <id> --reason R`: any state before active.

use crate::cli::ctx::Ctx;
use crate::cli::view::load_referral;
use crate::cli::{output, Exit, Outcome};
use crate::domain::lifecycle;
use crate::error::UserError;
use crate::store::lifecycle::{apply, Stamp};

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
    let reason = args.reason.trim().to_string();
    if reason.is_empty() {
        return Err(UserError::usage("--reason is empty").hint("say why the referral is cancelled").into());
    }
    let at = ctx.at(args.at.as_deref())?;
    let (now, user, json) = (ctx.now, ctx.user.clone(), ctx.json);
    let stamp = Stamp { at, now, user: &user };
    let store = ctx.store()?;
    let r = store.write(|tx| {
        let before = load_referral(tx, args.id)?;
        let t = lifecycle::cancel(&before, before.state, &reason)?;
        let after = t.referral.clone();
        apply(tx, &before, t, &stamp)?;
        Ok(after)
    })?;
    if json {
        output::json(&serde_json::json!({ "id": r.id, "state": r.state, "cancel_reason": r.cancel_reason }));
    } else {
        println!("Referral {} cancelled: {reason}", r.id);
    }
    Ok(Exit::Done)
}
