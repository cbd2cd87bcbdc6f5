//! `hcp capacity remove ID`: a report that no longer holds (kept in the record, marked withdrawn).

use crate::cli::ctx::Ctx;
use crate::cli::{output, Exit, Outcome};
use crate::error::UserError;
use crate::store::capacity;
use crate::store::events::Event;
use serde_json::json;

/// Withdraw a capacity report: it no longer shows on `capacity list` or `offer --explain`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example:\n  hcp capacity remove 3 --reason \"filled by another package\"")]
pub struct Args {
    /// The report's id (`hcp capacity list`).
    pub id: i64,
    /// Why it no longer holds.
    #[arg(long)]
    pub reason: Option<String>,
}

pub fn run(ctx: &mut Ctx, args: Args) -> Outcome {
    let (now_s, user, json) = (ctx.now_str(), ctx.user.clone(), ctx.json);
    ctx.store()?.write(|tx| {
        if !capacity::withdraw(tx, args.id, &now_s, &user)? {
            return Err(UserError::new(format!("there is no open capacity report {}", args.id))
                .hint("`hcp capacity list` shows them")
                .into());
        }
        Event::new("capacity withdrawn", "capacity", &now_s, &now_s, &user)
            .on(Some(args.id), None)
            .details(json!({ "reason": args.reason }))
            .append(tx)?;
        Ok(())
    })?;
    if json {
        output::json(&json!({ "id": args.id, "withdrawn": true }));
    } else {
        println!("Capacity report {} withdrawn.", args.id);
    }
    Ok(Exit::Done)
}
