//! The shape every recording command shares: load the referral, let a domain operation decide,
//! apply its transition in one IMMEDIATE transaction, and hand back the referral as it is now.

use super::ctx::{Ctx, Rules};
use super::view::{self, ReferralView};
use crate::domain::record::Referral;
use crate::domain::transition::Transition;
use crate::error::UserError;
use crate::store::lifecycle::{apply, Applied, Stamp};
use anyhow::Result;
use chrono::{DateTime, Utc};

/// Record what `decide` says about referral `id`, happening at `--at` (default now).
pub fn record(
    ctx: &mut Ctx,
    id: i64,
    at: Option<&str>,
    decide: impl FnOnce(&ReferralView, &Rules, DateTime<Utc>) -> Result<Transition, UserError>,
) -> Result<(Referral, Applied)> {
    let rules = ctx.rules()?;
    let at = ctx.at(at)?;
    let (now, user) = (ctx.now, ctx.user.clone());
    let stamp = Stamp { at, now, user: &user };
    ctx.store()?.write(|tx| {
        let v = view::load(tx, &rules, now, id)?;
        let t = decide(&v, &rules, at)?;
        let after = t.referral.clone();
        let applied = apply(tx, &v.r, t, &stamp)?;
        Ok((after, applied))
    })
}
