//! `hcp flex start|end|list`: flexible domiciliary care episodes (SPEC §16, seed 004).

use super::ctx::{parse_time_arg, Ctx};
use super::view::load_referral;
use super::{output, Exit, Outcome};
use crate::domain::dates::{json_instant, show_instant};
use crate::domain::flex::{day7_due, may_start, FlexFacts};
use crate::domain::text::parse_hours_to_minutes;
use crate::error::UserError;
use crate::store::events::Event;
use crate::store::{flex, providers};
use serde_json::json;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    Start(StartArgs),
    End(EndArgs),
    List(ListArgs),
}

/// A provider flexes an active package up (up to 24 hours a day, at most 7 days).
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Example:\n  hcp flex start 12 --from \"2026-11-23 14:00\" --hours-per-day 24 --reason \"fall at home\" --raised-by gp"
)]
pub struct StartArgs {
    /// The referral (an active package).
    pub id: i64,
    /// When the extra care started.
    #[arg(long, value_name = "T")]
    pub from: String,
    /// Hours of support a day while flexed (up to 24).
    #[arg(long, value_name = "N")]
    pub hours_per_day: String,
    /// Why (the crisis).
    #[arg(long, value_name = "TEXT")]
    pub reason: String,
    /// Who raised it.
    #[arg(long, value_parser = ["gp", "district-nurse", "care-worker", "provider", "other"])]
    pub raised_by: Option<String>,
    /// Who authorised it (needed above the TDM limit).
    #[arg(long, value_name = "NAME")]
    pub authorised_by: Option<String>,
}

/// End a referral's open episode.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example:\n  hcp flex end 12 --at \"2026-11-26 09:00\" --outcome admission-avoided")]
pub struct EndArgs {
    /// The referral.
    pub id: i64,
    /// When the extra care ended.
    #[arg(long, value_name = "T")]
    pub at: String,
    /// What came of it.
    #[arg(long, value_parser = ["admission-avoided", "hospital-admission", "care-home", "package-changed", "back-to-usual", "other"])]
    pub outcome: Option<String>,
}

/// Flexible care episodes with the days used.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example:\n  hcp flex list --open")]
pub struct ListArgs {
    /// Only episodes still open.
    #[arg(long)]
    pub open: bool,
}

/// Days of flexed care from the start to `until`, to a tenth of a day.
fn days_of_care(from: chrono::DateTime<chrono::Utc>, until: chrono::DateTime<chrono::Utc>) -> f64 {
    ((until - from).num_hours() as f64 / 24.0 * 10.0).round() / 10.0
}

pub fn run(ctx: &mut Ctx, c: Command) -> Outcome {
    match c {
        Command::Start(a) => start(ctx, a),
        Command::End(a) => end(ctx, a),
        Command::List(a) => list(ctx, a),
    }
}

fn start(ctx: &mut Ctx, a: StartArgs) -> Outcome {
    let from = parse_time_arg("--from", &a.from)?;
    if from > ctx.now + chrono::Duration::minutes(5) {
        return Err(UserError::usage(format!("--from '{}' is in the future", a.from))
            .hint("record an episode once it has started")
            .into());
    }
    let minutes = parse_hours_to_minutes(&a.hours_per_day).ok_or_else(|| {
        UserError::usage(format!("--hours-per-day '{}' is not a number of hours", a.hours_per_day))
            .hint("e.g. 24, 10 or 7.5")
    })?;
    let reason = crate::domain::text::visible(a.reason.trim());
    if reason.is_empty() {
        return Err(UserError::usage("--reason is blank").hint("say what happened, e.g. \"fall at home\"").into());
    }
    let tdm = ctx.rules()?.flex_tdm_limit_pence;
    let conn = ctx.store()?.conn();
    let r = load_referral(conn, a.id)?;
    // The flexed package: the flexed hours every day of the week, at the rates in force.
    let flexed = crate::store::referrals::Referral {
        calls_per_day: 1,
        minutes_per_call: minutes,
        days_per_week: 7,
        start_date: crate::domain::dates::london_date(from),
        ..r.clone()
    };
    let rurality = crate::store::reference::rurality_of(conn, r.msoa_code.as_deref())?;
    let weekly_cost = super::rate::estimate_for(conn, &flexed, rurality.as_deref())?;
    let provider = match r.provider_id {
        Some(p) => Some(providers::get(conn, p)?).map(|p| (p.name, p.flex)),
        None => None,
    };
    let episodes = flex::list(conn, false, Some(r.id))?.iter().map(|e| (e.from, e.ended)).collect();
    let facts = FlexFacts {
        referral: r.id,
        state: r.state,
        funding: r.funding,
        direct_payment: r.direct_payment,
        service: r.service,
        client_group: r.client_group,
        enablement_eligible: r.enablement_eligible,
        provider: provider.clone(),
        minutes_per_day: minutes,
        episodes,
        weekly_cost_pence: weekly_cost,
        tdm_limit_pence: tdm,
        authorised: a.authorised_by.as_deref().is_some_and(|n| !n.trim().is_empty()),
    };
    may_start(&facts, from)?;
    let (now_s, user) = (ctx.now_str(), ctx.user.clone());
    let provider_id = r.provider_id.unwrap_or_default();
    let due = day7_due(from);
    let id = ctx.store()?.write(|tx| {
        let id = flex::start(
            tx,
            r.id,
            provider_id,
            from,
            minutes,
            &reason,
            a.raised_by.as_deref(),
            a.authorised_by.as_deref(),
            &now_s,
            &user,
        )?;
        Event::new("flexible care started", "flex", &crate::domain::dates::store_instant(from), &now_s, &user)
            .on(Some(id), Some(r.id))
            .details(json!({ "episode": id, "hours_per_day": minutes as f64 / 60.0, "reason": reason,
                             "raised_by": a.raised_by, "authorised_by": a.authorised_by }))
            .append(tx)?;
        Ok(id)
    })?;
    let name = provider.map(|p| p.0).unwrap_or_default();
    if ctx.json {
        output::json(&json!({ "id": id, "referral": r.id, "provider": name, "from": json_instant(from),
                              "hours_per_day": minutes as f64 / 60.0, "day7_due": json_instant(due) }));
    } else {
        println!(
            "Flexible care episode {id} for referral {}: {name}, {} hours a day from {}.\n  Day-7 review due {} (the case manager reviews the package).",
            r.id,
            minutes as f64 / 60.0,
            show_instant(from),
            show_instant(due)
        );
    }
    Ok(Exit::Done)
}

fn end(ctx: &mut Ctx, a: EndArgs) -> Outcome {
    let at = ctx.at(Some(&a.at))?;
    let conn = ctx.store()?.conn();
    load_referral(conn, a.id)?;
    let Some(e) = flex::list(conn, true, Some(a.id))?.into_iter().next() else {
        return Err(UserError::new(format!("referral {} has no open flexible care episode", a.id))
            .hint("hcp flex list shows the episodes")
            .into());
    };
    if at <= e.from {
        return Err(UserError::usage(format!(
            "--at {} is not after the start ({})",
            show_instant(at),
            show_instant(e.from)
        ))
        .into());
    }
    let (now_s, user) = (ctx.now_str(), ctx.user.clone());
    ctx.store()?.write(|tx| {
        flex::end(tx, e.id, at, a.outcome.as_deref())?;
        Event::new("flexible care ended", "flex", &crate::domain::dates::store_instant(at), &now_s, &user)
            .on(Some(e.id), Some(a.id))
            .details(json!({ "episode": e.id, "outcome": a.outcome }))
            .append(tx)
    })?;
    let days = days_of_care(e.from, at);
    if ctx.json {
        output::json(&json!({ "id": e.id, "referral": a.id, "ended": json_instant(at), "outcome": a.outcome,
                              "days": days }));
    } else {
        println!(
            "Flexible care episode {} for referral {} ended {} after {:.1} days.",
            e.id,
            a.id,
            show_instant(at),
            days
        );
    }
    Ok(Exit::Done)
}

fn list(ctx: &mut Ctx, a: ListArgs) -> Outcome {
    let now = ctx.now;
    let eps = flex::list(ctx.store()?.conn(), a.open, None)?;
    let days = |e: &flex::Episode| days_of_care(e.from, e.ended.unwrap_or(now));
    if ctx.json {
        output::json(
            &eps.iter()
                .map(|e| json!({ "id": e.id, "referral": e.referral_id, "provider": e.provider, "from": json_instant(e.from),
                    "hours_per_day": e.minutes_per_day as f64 / 60.0, "reason": e.reason, "ended": e.ended.map(json_instant),
                    "outcome": e.outcome, "days": days(e), "day7_due": json_instant(day7_due(e.from)) }))
                .collect::<Vec<_>>(),
        );
        return Ok(Exit::Done);
    }
    if eps.is_empty() {
        println!("No flexible care episodes.");
        return Ok(Exit::Done);
    }
    let mut t = output::table(&["episode", "referral", "client", "provider", "from", "hours/day", "days", "ended"]);
    for e in &eps {
        output::row(
            &mut t,
            vec![
                e.id.to_string(),
                e.referral_id.to_string(),
                e.client_name.clone(),
                e.provider.clone(),
                show_instant(e.from),
                format!("{}", e.minutes_per_day as f64 / 60.0),
                format!("{:.1}", days(e)),
                e.ended.map_or_else(
                    || "open".into(),
                    |x| format!("{} {}", show_instant(x), e.outcome.clone().unwrap_or_default()),
                ),
            ],
        );
    }
    println!("{t}");
    Ok(Exit::Done)
}
