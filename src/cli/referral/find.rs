//! `hcp referral find TEXT`: a PO knows the client's Swift number or name, not hcp's row id.

use super::list::print_table;
use crate::cli::ctx::Ctx;
use crate::cli::view::{self, ReferralView};
use crate::cli::{output, Exit, Outcome};
use crate::domain::text::search_key;
use crate::store::referrals;

/// Find referrals by Swift/AIS client id (exactly) or by name (any part, any case, accents
/// ignored: `zoe` finds Zoë, `lukasz` finds Łukasz).
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Example:\n  hcp referral find 100234\n  hcp referral find zoe\n  hcp referral find \"o'brien\" --json"
)]
pub struct Args {
    /// A client id or part of a name.
    pub text: String,
}

/// The referrals a PO means by `text`, by id.
pub fn find(ctx: &mut Ctx, text: &str) -> anyhow::Result<Vec<ReferralView>> {
    let rules = ctx.rules()?;
    let now = ctx.now;
    let conn = ctx.store()?.conn();
    let (text, key) = (text.trim(), search_key(text.trim()));
    let mut out = Vec::new();
    if text.is_empty() {
        return Ok(out);
    }
    for (id, client_id, name) in referrals::names(conn)? {
        if client_id == text || search_key(&name).contains(&key) {
            out.push(view::load(conn, &rules, now, id)?);
        }
    }
    Ok(out)
}

pub fn run(ctx: &mut Ctx, args: Args) -> Outcome {
    let now = ctx.now;
    let found = find(ctx, &args.text)?;
    if ctx.json {
        output::json(&found.iter().map(|v| v.to_json(now)).collect::<Vec<_>>());
    } else {
        print_table(&ctx.screen, &found);
    }
    Ok(Exit::Done)
}
