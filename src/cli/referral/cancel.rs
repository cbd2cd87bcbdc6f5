//! `hcp referral cancel <id> --reason R`: any state before active.

use crate::cli::ctx::Ctx;
use crate::cli::record::record;
use crate::cli::{output, Exit, Outcome};
use crate::domain::lifecycle;
use crate::error::UserError;

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
    let json = ctx.json;
    let (r, _) = record(ctx, args.id, args.at.as_deref(), |v, _, _| lifecycle::cancel(&v.r, v.r.state, &reason))?;
    if json {
        output::json(&serde_json::json!({ "id": r.id, "state": r.state, "cancel_reason": r.cancel_reason }));
    } else {
        println!("Referral {} cancelled: {reason}", r.id);
    }
    Ok(Exit::Done)
}
