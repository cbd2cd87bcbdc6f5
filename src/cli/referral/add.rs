//! `hcp referral add`: record a referral, check it, and either list it or print the
//! missing-information email (exit 3).

use super::{apply, recheck, report, PackageArgs};
use crate::cli::ctx::Ctx;
use crate::cli::Outcome;
use crate::domain::dates::store_instant;
use crate::error::UserError;
use crate::store::events::Event;
use crate::store::referrals::{self, Referral};
use anyhow::Result;

/// Record a new referral from ACT, STP or KEaH.
///
/// The postcode places the client in an MSOA, cluster and area. A complete referral joins the
/// packages-to-be-placed list (exit 0); an incomplete one is saved and the missing-information
/// email for the referrer is printed (exit 3).
#[derive(Debug, clap::Args)]
#[command(after_help = "Example:
  hcp referral add --client-id 100234 --name \"Zoë O'Brien\" --postcode \"ct1 2eh\" --team act \\
      --referrer \"A Worker\" --referrer-email a.worker@example.org --received \"2026-11-23 09:15\" \\
      --start 2026-11-30 --calls-per-day 4 --minutes 30 --known-to-act \\
      --doc financial-authorisation,referral-form,charging-letter,ais-updated,bica")]
pub struct Args {
    #[command(flatten)]
    pub package: PackageArgs,
}

/// A required value: given, prompted for on a terminal, or a usage error naming the flag.
fn require(ctx: &Ctx, value: &mut Option<String>, flag: &str, prompt: &str) -> Result<()> {
    if value.as_deref().is_some_and(|v| !v.trim().is_empty()) {
        return Ok(());
    }
    if ctx.can_prompt {
        let v: String = dialoguer::Input::new().with_prompt(prompt).interact_text()?;
        *value = Some(v);
        return Ok(());
    }
    Err(UserError::usage(format!("--{flag} is required"))
        .hint(format!("give --{flag}; hcp asks for it only when run at a terminal"))
        .into())
}

fn require_num(ctx: &Ctx, value: &mut Option<i64>, flag: &str, prompt: &str) -> Result<()> {
    if value.is_some() {
        return Ok(());
    }
    if ctx.can_prompt {
        let v: i64 = dialoguer::Input::new().with_prompt(prompt).interact_text()?;
        *value = Some(v);
        return Ok(());
    }
    Err(UserError::usage(format!("--{flag} is required"))
        .hint(format!("give --{flag} as a whole number; hcp asks for it only when run at a terminal"))
        .into())
}

pub fn run(ctx: &mut Ctx, mut args: Args) -> Outcome {
    let a = &mut args.package;
    require(ctx, &mut a.client_id, "client-id", "Client Swift/AIS id")?;
    require(ctx, &mut a.name, "name", "Client name")?;
    if a.cluster.is_none() {
        require(ctx, &mut a.postcode, "postcode", "Postcode")?;
    }
    require(ctx, &mut a.team, "team", "Referring team (act, stp, keah)")?;
    require(ctx, &mut a.referrer, "referrer", "Referrer's name")?;
    require(ctx, &mut a.start, "start", "Requested start date")?;
    require_num(ctx, &mut a.calls_per_day, "calls-per-day", "Calls per day")?;
    require_num(ctx, &mut a.minutes, "minutes", "Minutes per call")?;

    let rules = ctx.rules()?;
    let now = ctx.now;
    let now_s = store_instant(now);
    let user = ctx.user.clone();
    let email_to = a.email_to.clone();
    let package = a.clone();
    let store = ctx.store()?;
    let (id, missing) = store.write(|tx| {
        let mut r = Referral::new(now);
        apply(tx, &mut r, &package)?;
        let missing = recheck(&mut r, &rules, now);
        let id = referrals::insert(tx, &r)?;
        r.id = id;
        Event::new("referral added", "referral", &now_s, &now_s, &user)
            .on(Some(id), Some(id))
            .details(serde_json::json!({ "state": r.state, "missing": r.missing }))
            .change(None, Some(serde_json::to_value(&r)?))
            .append(tx)?;
        Ok((id, missing))
    })?;
    report(ctx, id, &missing, email_to.as_deref())
}
