//! `hcp pir record` and `hcp pir ais-updated`: a held review and the AIS update after it.

use super::super::ctx::{parse_date_arg, Ctx};
use super::super::view::load_referral;
use super::super::{output, Exit, Outcome};
use super::{placed_for_review, AisArgs, RecordArgs};
use crate::domain::dates::show_date;
use crate::domain::review::ais_due;
use crate::error::UserError;
use crate::store::events::Event;
use crate::store::reviews;
use serde_json::json;

pub fn record(ctx: &mut Ctx, a: RecordArgs) -> Outcome {
    let reviewed = parse_date_arg("--reviewed", &a.reviewed)?;
    let paperwork = a.paperwork.as_deref().map(|p| parse_date_arg("--paperwork", p)).transpose()?;
    let today = ctx.today();
    for (flag, d) in [("--reviewed", Some(reviewed)), ("--paperwork", paperwork)] {
        if let Some(d) = d.filter(|d| *d > today) {
            return Err(UserError::usage(format!("{flag} {} is in the future", show_date(d))).into());
        }
    }
    if paperwork.is_some_and(|p| p < reviewed) {
        return Err(UserError::usage("--paperwork is before --reviewed")
            .hint("the paperwork arrives after the review")
            .into());
    }
    let rules = ctx.rules()?;
    let r = load_referral(ctx.store()?.conn(), a.id)?;
    placed_for_review(&r)?;
    if reviews::reviewed(ctx.store()?.conn(), a.id)?.is_some() {
        return Err(UserError::new(format!("referral {}'s review is already recorded", a.id)).into());
    }
    let due = ais_due(&rules.calendar, paperwork.unwrap_or(reviewed));
    let (now_s, user) = (ctx.now_str(), ctx.user.clone());
    ctx.store()?.write(|tx| {
        reviews::record(tx, a.id, reviewed, &a.outcome, paperwork, due, &now_s, &user)?;
        Event::new("PIR recorded", "pir", &now_s, &now_s, &user)
            .on(Some(a.id), Some(a.id))
            .details(json!({ "reviewed": reviewed, "outcome": a.outcome, "paperwork": paperwork, "ais_due": due }))
            .append(tx)
    })?;
    if ctx.json {
        output::json(&json!({ "referral": a.id, "reviewed": reviewed, "outcome": a.outcome, "ais_due": due }));
    } else {
        println!("Review for referral {} recorded ({}); AIS to be updated by {}.", a.id, a.outcome, show_date(due));
    }
    Ok(Exit::Done)
}

pub fn ais_updated(ctx: &mut Ctx, a: AisArgs) -> Outcome {
    let today = ctx.today();
    let on = a.on.as_deref().map(|d| parse_date_arg("--on", d)).transpose()?.unwrap_or(today);
    if on > today {
        return Err(UserError::usage(format!("--on {} is in the future", show_date(on))).into());
    }
    load_referral(ctx.store()?.conn(), a.id)?;
    let Some(rev) = reviews::reviewed(ctx.store()?.conn(), a.id)? else {
        return Err(UserError::new(format!("referral {} has no recorded review", a.id))
            .hint("record it first: hcp pir record ID --reviewed D --outcome continue")
            .into());
    };
    if on < rev.reviewed {
        return Err(UserError::usage(format!(
            "--on {} is before the review ({})",
            show_date(on),
            show_date(rev.reviewed)
        ))
        .into());
    }
    let (now_s, user) = (ctx.now_str(), ctx.user.clone());
    ctx.store()?.write(|tx| {
        reviews::ais_updated(tx, a.id, on)?;
        Event::new("AIS updated after the review", "pir", &now_s, &now_s, &user)
            .on(Some(a.id), Some(a.id))
            .details(json!({ "on": on, "ais_due": rev.ais_due, "late": on > rev.ais_due }))
            .append(tx)
    })?;
    if ctx.json {
        output::json(&json!({ "referral": a.id, "ais_updated": on, "ais_due": rev.ais_due, "late": on > rev.ais_due }));
    } else {
        println!("AIS updated for referral {} on {} (due {}).", a.id, show_date(on), show_date(rev.ais_due));
    }
    Ok(Exit::Done)
}
