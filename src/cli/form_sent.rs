//! `hcp form-sent <id>`: the PO's own step after an acceptance — courtesy call made and the
//! Provider Confirmation Form sent, due 2 hours after the acceptance [G accept 8].

use super::ctx::Ctx;
use super::record::record;
use super::{output, Exit, Outcome};
use crate::domain::dates::{json_instant, show_instant};
use crate::domain::placement;
use serde_json::json;

/// Record the courtesy call to the client and the Provider Confirmation Form sent (due 2 hours
/// after the acceptance; `confirmation-overdue` is raised when it is not).
#[derive(Debug, clap::Args)]
#[command(after_help = "Example:\n  hcp form-sent 12\n  hcp form-sent 12 --at \"2026-11-23 11:30\"")]
pub struct Args {
    /// The referral id.
    pub id: i64,
    /// When the form was sent (default: now).
    #[arg(long, value_name = "T")]
    pub at: Option<String>,
}

pub fn run(ctx: &mut Ctx, args: Args) -> Outcome {
    let (r, _) = record(ctx, args.id, args.at.as_deref(), |v, _, at| placement::form_sent(&v.r, v.state, at))?;
    let sent = r.form_sent_at.unwrap_or(ctx.now);
    if ctx.json {
        output::json(&json!({ "id": r.id, "state": r.state, "form_sent_at": json_instant(sent) }));
    } else {
        println!("Referral {}: courtesy call made and confirmation form sent at {}.", r.id, show_instant(sent));
        println!("When the provider returns it: hcp confirm {} --start DATE --call-times \"07:30,12:00\"", r.id);
    }
    Ok(Exit::Done)
}
