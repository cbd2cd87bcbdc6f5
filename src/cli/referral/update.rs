//! `hcp referral update <id>`: add documents or correct details; the check runs again and a
//! referral that passes joins the list with list date = when the last piece arrived (--at, default now).

use super::package::{apply, PackageArgs};
use super::{recheck, report};
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
    after_help = "Example:\n  hcp referral update 12 --doc bica\n  hcp referral update 12 --postcode \"ME14 1XQ\" --hours-per-week 10.5\n  hcp referral update 12 --clear hospital-discharge,risk"
)]
pub struct Args {
    /// The referral id.
    pub id: i64,
    #[command(flatten)]
    pub package: PackageArgs,
    /// Turn off a flag or remove a value given earlier (repeatable or comma-separated):
    /// double-handed, lives-alone, known-to-act, dementia, hospital-discharge, in-keah,
    /// recent-keah, bypass-keah, risk, time-critical, hours-per-week, cluster, or a document
    /// name (e.g. bica) received by mistake.
    #[arg(long, value_name = "FIELD", value_delimiter = ',')]
    pub clear: Vec<String>,
}

/// Undo what `--clear` names; a name hcp does not know is a usage error.
fn clear(r: &mut crate::domain::record::Referral, fields: &[String]) -> anyhow::Result<()> {
    use crate::domain::model::Item;
    for f in fields.iter().map(|f| f.trim()).filter(|f| !f.is_empty()) {
        match f {
            "double-handed" => r.double_handed = false,
            "lives-alone" => r.lives_alone = false,
            "known-to-act" => r.known_to_act = false,
            "dementia" => r.dementia = false,
            "hospital-discharge" => r.hospital_discharge = false,
            "in-keah" => r.in_keah = false,
            "recent-keah" => r.recent_keah = false,
            "bypass-keah" => r.bypass_keah = false,
            "risk" => r.risk = None,
            "time-critical" => r.time_critical = None,
            "hours-per-week" => {
                r.hours_given = false;
                r.weekly_minutes = crate::domain::completeness::planned_weekly_minutes(
                    r.calls_per_day,
                    r.minutes_per_call,
                    r.days_per_week,
                );
            }
            "cluster" => {
                r.cluster_by_hand = false;
                r.cluster_id = None;
            }
            other => match Item::parse(other).filter(|i| i.is_document()) {
                Some(item) => r.remove_doc(item),
                None => {
                    return Err(UserError::usage(format!("--clear '{other}' is not something hcp can clear"))
                        .hint("clear one of: double-handed, lives-alone, known-to-act, dementia, hospital-discharge, in-keah, recent-keah, bypass-keah, risk, time-critical, hours-per-week, cluster, or a document name")
                        .into())
                }
            },
        }
    }
    Ok(())
}

pub fn run(ctx: &mut Ctx, args: Args) -> Outcome {
    args.package.check_email_to(&ctx.db_path)?;
    let rules = ctx.rules()?;
    // When the missing pieces arrived (the list date when they complete it).
    let now = ctx.at(args.package.at.as_deref())?;
    let now_s = store_instant(now);
    let user = ctx.user.clone();
    let id = args.id;
    let store = ctx.store()?;
    let missing = store.write(|tx| {
        let before = load_referral(tx, id)?;
        let state = before.state;
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
        clear(&mut r, &args.clear)?;
        apply(tx, &mut r, &args.package)?;
        if args.clear.iter().any(|c| c.trim() == "cluster") {
            // Back to the cluster the postcode gives, if any.
            super::place(tx, &mut r)?;
        }
        let missing = recheck(tx, &mut r, &rules, now)?;
        if let Some((b, a)) = referrals::diff(&before, &r) {
            r.updated_at = now;
            referrals::update(tx, &r)?;
            let event = if before.state == State::Incomplete && r.state == State::Waiting {
                "referral complete: listed"
            } else {
                "referral updated"
            };
            Event::new(event, "referral", &now_s, &now_s, &user)
                .on(Some(id), Some(id))
                .details(serde_json::json!({ "state": r.state, "missing": r.missing }))
                .change(Some(b), Some(a))
                .append(tx)?;
        }
        Ok(missing)
    })?;
    report(ctx, id, &missing, args.package.email_to.as_deref(), args.package.force)
}
