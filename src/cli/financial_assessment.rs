//! `hcp financial-assessment <id> --done`: the financial assessment (due within 2 working days of
//! confirmation) is complete.

use super::ctx::Ctx;
use super::record::record;
use super::{output, Exit, Outcome};
use crate::domain::placement;
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
    let (r, _) =
        record(ctx, args.id, args.at.as_deref(), |v, _, at| placement::financial_assessment_done(&v.r, v.state, at))?;
    if ctx.json {
        output::json(
            &json!({ "id": r.id, "financial_assessment_done_at": r.fa_done_at.map(crate::domain::dates::json_instant) }),
        );
    } else {
        println!("Financial assessment recorded for referral {}.", r.id);
    }
    Ok(Exit::Done)
}
