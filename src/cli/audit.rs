//! `hcp audit verify`: walk the audit log's hash chain and say whether it is whole.

use super::ctx::Ctx;
use super::{output, Exit, Outcome};
use crate::error::UserError;
use crate::store::audit;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Check that no event in the audit log was changed, removed or replayed.
    #[command(
        after_help = "Example:\n  hcp audit verify\n  hcp audit verify --json   (keep the head it prints: a later verify can be compared with it)\n\nExit: 0 the log is whole; 1 it is not (the first event that does not match is named)."
    )]
    Verify,
}

pub fn run(ctx: &mut Ctx, c: Command) -> Outcome {
    let Command::Verify = c;
    let json = ctx.json;
    let v = audit::verify(ctx.store()?.conn())?;
    if json {
        output::json(&v);
    }
    match &v.problem {
        None => {
            if !json {
                println!("The audit log is whole: {} events, head {}.", v.events, v.head.hash);
            }
            Ok(Exit::Done)
        }
        Some(p) => Err(UserError::new(format!("the audit log is not whole: {p}"))
            .hint("restore the database from a backup taken before the change (`hcp backup`), and report it to your information governance team")
            .into()),
    }
}
