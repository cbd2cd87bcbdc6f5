//! `hcp referral update <id>`: add documents or correct details; the check runs again and a
//! referral that passes joins the list with list date = now.

use super::{apply, recheck, report, PackageArgs};
use crate::cli::ctx::Ctx;
use crate::cli::view::load_referral;
use crate::cli::Outcome;
use crate::domain::dates::store_instant;
use crate::domain::model::State;
use crate::error::UserError;
use crate::store::events::Event;
use crate::store::referrals;

/// Add missing pieces to a referral or correct its details.
///
/// `--doc` adds documents to those already received; other flags replace the field. Once the
/// completeness check passes, the referral joins the list with its list date set to now.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Example:\n  hcp referral update 12 --doc bica\n  hcp referral update 12 --postcode \"ME14 1XQ\" --hours-per-week 10.5"
)]
pub struct Args {
    /// The referral id.
    pub id: i64,
    #[command(flatten)]
    pub package: PackageArgs,
}

pub fn run(ctx: &mut Ctx, args: Args) -> Outcome {
    let rules = ctx.rules()?;
    let now = ctx.now;
    let now_s = store_instant(now);
    let user = ctx.user.clone();
    let id = args.id;
    let store = ctx.store()?;
    let missing = store.write(|tx| {
        let before = load_referral(tx, id)?;
        let state = State::parse(&before.state).unwrap_or(State::Incomplete);
        if state.closed_for_update() {
            return Err(UserError::new(format!(
                "referral {id} is {state}; its package details can no longer be changed"
            ))
            .hint(match state {
                State::Cancelled => "a cancelled referral stays as it was; add a new referral if care is needed again",
                _ => "the package is placed; a change to a placed package is a new referral (use --minor-change)",
            })
            .into());
        }
        let mut r = before.clone();
        apply(tx, &mut r, &args.package)?;
        let missing = recheck(&mut r, &rules, now);
        if let Some((b, a)) = referrals::diff(&before, &r) {
            r.updated_at = now_s.clone();
            referrals::update(tx, &r)?;
            let event = if before.state == "incomplete" && r.state == "waiting" {
                "referral complete: listed"
            } else {
                "referral updated"
            };
            Event::new(event, "referral", &now_s, &now_s, &user)
                .on(Some(id), Some(id))
                .details(serde_json::json!({ "state": r.state, "missing": r.missing_items() }))
                .change(Some(b), Some(a))
                .append(tx)?;
        }
        Ok(missing)
    })?;
    report(ctx, id, &missing, args.package.email_to.as_deref())
}
