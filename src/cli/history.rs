//! `hcp history <id>`: every event of a referral, in order.

use super::ctx::Ctx;
use super::view::load_referral;
use super::{output, Exit, Outcome};
use crate::domain::dates::{load_instant, show_instant};
use crate::store::events;

/// The audit log of one referral: who did what, when, with the values before and after.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example:\n  hcp history 12\n  hcp history 12 --json")]
pub struct Args {
    /// The referral id.
    pub id: i64,
}

pub fn run(ctx: &mut Ctx, args: Args) -> Outcome {
    let json = ctx.json;
    let conn = ctx.store()?.conn();
    load_referral(conn, args.id)?;
    let rows = events::for_referral(conn, args.id)?;
    if json {
        output::json(&rows);
        return Ok(Exit::Done);
    }
    let providers = crate::store::providers::names(conn)?;
    let mut t = output::table(&["When", "Who", "What happened"]);
    for r in rows {
        let what = super::history_words::describe(&r.event, &r.details, &providers);
        output::row(&mut t, vec![load_instant(&r.at).map(show_instant).unwrap_or(r.at), r.user, what]);
    }
    println!("{t}");
    Ok(Exit::Done)
}
