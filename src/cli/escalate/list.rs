//! `hcp escalate list [--open]`.

use super::{escalation_json, print_grouped};
use crate::cli::ctx::Ctx;
use crate::cli::{output, Exit, Outcome};
use crate::store::escalations;

/// List escalations, grouped by who must act.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example:\n  hcp escalate list --open")]
pub struct Args {
    /// Only those without a decision.
    #[arg(long)]
    pub open: bool,
    /// Only those about this referral.
    #[arg(long, value_name = "ID")]
    pub referral: Option<i64>,
}

pub fn run(ctx: &mut Ctx, args: Args) -> Outcome {
    let json = ctx.json;
    let list = escalations::list(ctx.store()?.conn(), args.open, args.referral)?;
    if json {
        output::json_list(list.iter().map(escalation_json))?;
    } else if list.is_empty() {
        println!("No escalations{}.", if args.open { " open" } else { "" });
    } else {
        print_grouped(&list);
    }
    Ok(Exit::Done)
}
