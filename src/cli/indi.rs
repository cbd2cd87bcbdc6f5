//! `hcp indi <id> --completed`: the individual contract with a non-contracted provider is
//! complete; the SDO is due 2 working days later [G accept 10].

use super::ctx::Ctx;
use super::record::record;
use super::{output, Exit, Outcome};
use crate::domain::dates::{json_instant, show_date};
use crate::domain::placement;
use serde_json::json;

/// Record that the Indi contract is complete: the SDO is then due within 2 working days.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example:\n  hcp indi 12 --completed\n  hcp indi 12 --completed --at \"2026-11-24 15:00\"")]
pub struct Args {
    /// The referral id.
    pub id: i64,
    /// The Indi contract is complete.
    #[arg(long, required = true)]
    pub completed: bool,
    /// When it was completed (default: now).
    #[arg(long, value_name = "T")]
    pub at: Option<String>,
}

pub fn run(ctx: &mut Ctx, args: Args) -> Outcome {
    let (r, _) = record(ctx, args.id, args.at.as_deref(), |v, rules, at| {
        placement::indi_completed(&v.r, v.state, at, &rules.calendar)
    })?;
    if ctx.json {
        output::json(&json!({
            "id": r.id, "state": r.state, "indi_completed_at": r.indi_completed_at.map(json_instant), "sdo_due": r.sdo_due,
        }));
    } else {
        println!("Referral {}: Indi contract completed.", r.id);
        match r.sdo_due {
            Some(d) => println!("  SDO due by the end of {} (2 working days).", show_date(d)),
            None => println!(
                "  The SDO is due 2 working days after the provider's confirmation: hcp confirm {} --start DATE",
                r.id
            ),
        }
    }
    Ok(Exit::Done)
}
