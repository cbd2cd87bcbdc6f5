//! `hcp referral add`: record a referral, check it, and either list it or print the
//! missing-information email (exit 3).

use super::package::{apply, PackageArgs};
use super::{recheck, report};
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
/// The flags `referral add` cannot do without, and whether each is given.
fn missing_flags(a: &PackageArgs) -> Vec<&'static str> {
    let text = |v: &Option<String>| v.as_deref().is_some_and(|v| !v.trim().is_empty());
    let mut out = Vec::new();
    for (given, flag) in [
        (text(&a.client_id), "--client-id"),
        (text(&a.name), "--name"),
        (text(&a.postcode) || a.cluster.is_some(), "--postcode"),
        (a.team.is_some(), "--team"),
        (text(&a.referrer), "--referrer"),
        (text(&a.start), "--start"),
        (a.calls_per_day.is_some(), "--calls-per-day"),
        (a.minutes.is_some(), "--minutes"),
    ] {
        if !given {
            out.push(flag);
        }
    }
    out
}

/// Ask for each missing value at a terminal: each checked as it is typed and asked again with
/// the reason; the team is chosen from a list.
fn prompt_missing(a: &mut PackageArgs, missing: &[&str]) -> Result<()> {
    use dialoguer::{Input, Select};
    let ask = |prompt: &str, check: fn(&str) -> Result<(), String>| -> Result<String> {
        Ok(Input::<String>::new().with_prompt(prompt).validate_with(|v: &String| check(v.trim())).interact_text()?)
    };
    fn text(v: &str) -> Result<(), String> {
        if v.is_empty() {
            Err("please type a value".into())
        } else {
            Ok(())
        }
    }
    fn date(v: &str) -> Result<(), String> {
        crate::domain::dates::parse_date(v)
            .map(|_| ())
            .ok_or_else(|| "not a date: write 30/11/2026 or 2026-11-30".into())
    }
    fn count(v: &str) -> Result<(), String> {
        match v.parse::<i64>() {
            Ok(n) if n > 0 => Ok(()),
            _ => Err("a whole number above 0, please".into()),
        }
    }
    for flag in missing {
        match *flag {
            "--client-id" => a.client_id = Some(ask("Client Swift/AIS id", text)?),
            "--name" => a.name = Some(ask("Client name", text)?),
            "--postcode" => a.postcode = Some(ask("Postcode", text)?),
            "--referrer" => a.referrer = Some(ask("Referrer's name", text)?),
            "--start" => a.start = Some(ask("Requested start date", date)?),
            "--calls-per-day" => a.calls_per_day = ask("Calls per day", count)?.trim().parse().ok(),
            "--minutes" => a.minutes = ask("Minutes per call", count)?.trim().parse().ok(),
            "--team" => {
                let teams = crate::domain::model::Team::ALL;
                let labels: Vec<&str> = teams.iter().map(|t| t.label()).collect();
                let i = Select::new().with_prompt("Referring team").items(&labels).default(0).interact()?;
                a.team = Some(teams[i]);
            }
            _ => {}
        }
    }
    Ok(())
}

pub fn run(ctx: &mut Ctx, mut args: Args) -> Outcome {
    let a = &mut args.package;
    let missing = missing_flags(a);
    if !missing.is_empty() {
        if !ctx.can_prompt {
            return Err(UserError::usage(format!("referral add needs {}", missing.join(", ")))
                .hint("give them as flags; hcp asks for them only when run at a terminal")
                .into());
        }
        prompt_missing(a, &missing)?;
    }

    a.check_email_to(&ctx.db_path)?;
    let rules = ctx.rules()?;
    // When the entry was made; the referral was received then too unless --received says.
    let now = ctx.at(a.at.as_deref())?;
    let now_s = store_instant(now);
    let user = ctx.user.clone();
    let email_to = a.email_to.clone();
    let package = a.clone();
    let store = ctx.store()?;
    let (id, missing) = store.write(|tx| {
        let mut r = Referral::new(now);
        apply(tx, &mut r, &package)?;
        if !package.allow_duplicate {
            if let Some(open) = referrals::open_for_client(tx, &r.client_id)?.first() {
                return Err(UserError::new(format!(
                    "client {} already has an open referral: {} ({}, {})",
                    r.client_id, open.id, open.name, open.state
                ))
                .hint(format!(
                    "update it with `hcp referral update {}`, or add a second one with --allow-duplicate",
                    open.id
                ))
                .into());
            }
        }
        // Complete on arrival: listed from the time it was received (SPEC §5).
        let received = r.received_at;
        let missing = recheck(tx, &mut r, &rules, received)?;
        let id = referrals::insert(tx, &r)?;
        r.id = id;
        Event::new("referral added", "referral", &now_s, &now_s, &user)
            .on(Some(id), Some(id))
            .details(serde_json::json!({ "state": r.state, "missing": r.missing }))
            .change(None, Some(serde_json::to_value(&r)?))
            .append(tx)?;
        Ok((id, missing))
    })?;
    report(ctx, id, &missing, email_to.as_deref(), args.package.force)
}
