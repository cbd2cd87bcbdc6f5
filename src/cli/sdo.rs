//! `hcp sdo <id> --sent`: the Service Delivery Order went to the provider -> `active`.

use super::ctx::Ctx;
use super::record::record;
use super::{output, Exit, Outcome};
use crate::domain::placement;
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
    let (r, _) = record(ctx, args.id, args.at.as_deref(), |v, _, at| placement::sdo_sent(&v.r, v.state, at))?;
    if ctx.json {
        output::json(
            &json!({ "id": r.id, "state": r.state, "sdo_sent_at": r.sdo_sent_at.map(crate::domain::dates::json_instant), "sdo_due": r.sdo_due }),
        );
    } else {
        println!("SDO sent for referral {}: the package is active.", r.id);
    }
    Ok(Exit::Done)
}
