//! `hcp rate set|uplift|list`: hourly and nightly rates and rurality uplifts (SPEC §15, seed
//! 002). Amounts are shown only with `--show-rates`: they are commercially sensitive.

use super::ctx::{parse_date_arg, Ctx};
use super::{output, Exit, Outcome};
use crate::domain::dates::show_date;
use crate::domain::rates::{estimate, parse_percent, CostFacts};
use crate::domain::text::{parse_pence, show_pence};
use crate::error::UserError;
use crate::store::events::Event;
use crate::store::referrals::Referral;
use crate::store::{rates, reference};
use rusqlite::Connection;
use serde_json::json;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    Set(SetArgs),
    Uplift(UpliftArgs),
    List(ListArgs),
}

/// Record a rate from a date (never overwriting the one before).
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Example:\n  hcp rate set --type standard --amount 22.50 --cluster Canterbury --from 2026-04-01\n  hcp rate set --type sleep-night --amount 75 --from 2026-04-01"
)]
pub struct SetArgs {
    /// standard, complex, high-complex-pbs (hourly), sleep-night or wake-night (per night).
    #[arg(long = "type", value_parser = ["standard", "complex", "high-complex-pbs", "sleep-night", "wake-night"])]
    pub rate_type: String,
    /// The amount in pounds, e.g. 22.50.
    #[arg(long, value_name = "£")]
    pub amount: String,
    /// Only this cluster (default: county-wide).
    #[arg(long, value_name = "C")]
    pub cluster: Option<String>,
    /// The first day it applies (default today).
    #[arg(long, value_name = "D")]
    pub from: Option<String>,
}

/// Record a rurality uplift for a cluster from a date.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Example:\n  hcp rate uplift --cluster Canterbury --rurality \"Rural village and dispersed\" --percent 10 --from 2026-04-01"
)]
pub struct UpliftArgs {
    /// The cluster.
    #[arg(long, value_name = "C")]
    pub cluster: String,
    /// The ONS rural-urban class of the client's MSOA.
    #[arg(long, value_name = "CLASS")]
    pub rurality: String,
    /// The uplift in percent, e.g. 10 or 7.5.
    #[arg(long, value_name = "N")]
    pub percent: String,
    /// The first day it applies (default today).
    #[arg(long, value_name = "D")]
    pub from: Option<String>,
}

/// The rates and uplifts recorded, with the days they start.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example:\n  hcp rate list --show-rates")]
pub struct ListArgs {
    /// Show the amounts (hidden otherwise).
    #[arg(long)]
    pub show_rates: bool,
}

pub fn run(ctx: &mut Ctx, c: Command) -> Outcome {
    match c {
        Command::Set(a) => set(ctx, a),
        Command::Uplift(a) => uplift(ctx, a),
        Command::List(a) => list(ctx, a),
    }
}

fn from_date(ctx: &Ctx, from: Option<&str>) -> anyhow::Result<chrono::NaiveDate> {
    Ok(from.map(|d| parse_date_arg("--from", d)).transpose()?.unwrap_or_else(|| ctx.today()))
}

fn set(ctx: &mut Ctx, a: SetArgs) -> Outcome {
    let pence = parse_pence(&a.amount).filter(|p| *p > 0).ok_or_else(|| {
        UserError::usage(format!("--amount '{}' is not an amount in pounds", a.amount)).hint("e.g. 22.50")
    })?;
    let from = from_date(ctx, a.from.as_deref())?;
    let cluster = a.cluster.as_deref().map(|c| reference::find_cluster(ctx.store()?.conn(), c)).transpose()?;
    let (now_s, user) = (ctx.now_str(), ctx.user.clone());
    let cluster_id = cluster.as_ref().map(|c| c.id);
    ctx.store()?.write(|tx| {
        let id = rates::set(tx, &a.rate_type, cluster_id, pence, from, &now_s, &user)?;
        // The amount is commercially sensitive: the log says a rate was set, not what it is.
        Event::new("rate set", "rate", &now_s, &now_s, &user)
            .on(Some(id), None)
            .details(json!({ "type": a.rate_type, "cluster_id": cluster_id, "from": from }))
            .append(tx)
    })?;
    let scope = cluster.map_or_else(|| "county-wide".to_string(), |c| format!("cluster {}", c.name));
    if ctx.json {
        output::json(&json!({ "type": a.rate_type, "scope": scope, "from": from }));
    } else {
        println!("Rate recorded: {} ({scope}) from {}.", a.rate_type, show_date(from));
    }
    Ok(Exit::Done)
}

fn uplift(ctx: &mut Ctx, a: UpliftArgs) -> Outcome {
    let bp = parse_percent(&a.percent).ok_or_else(|| {
        UserError::usage(format!("--percent '{}' is not a percentage from 0 to 100", a.percent)).hint("e.g. 10 or 7.5")
    })?;
    let from = from_date(ctx, a.from.as_deref())?;
    let conn = ctx.store()?.conn();
    let cluster = reference::find_cluster(conn, &a.cluster)?;
    let classes = rates::rurality_classes(conn)?;
    let Some(class) = classes.iter().find(|c| c.eq_ignore_ascii_case(a.rurality.trim())).cloned() else {
        return Err(UserError::usage(format!("--rurality '{}' is not a rural-urban class", a.rurality))
            .hint(format!("one of: {}", classes.join("; ")))
            .into());
    };
    let (now_s, user) = (ctx.now_str(), ctx.user.clone());
    ctx.store()?.write(|tx| {
        let id = rates::uplift(tx, cluster.id, &class, bp, from, &now_s, &user)?;
        Event::new("rurality uplift set", "rate", &now_s, &now_s, &user)
            .on(Some(id), None)
            .details(json!({ "cluster": cluster.name, "rurality": class, "from": from }))
            .append(tx)
    })?;
    if ctx.json {
        output::json(&json!({ "cluster": cluster.name, "rurality": class, "from": from }));
    } else {
        println!("Uplift recorded for {class} in cluster {} from {}.", cluster.name, show_date(from));
    }
    Ok(Exit::Done)
}

fn list(ctx: &mut Ctx, a: ListArgs) -> Outcome {
    let rows = rates::list(ctx.store()?.conn())?;
    let amount = |r: &rates::RateRow| {
        if !a.show_rates {
            "(hidden: --show-rates)".to_string()
        } else if r.kind == "uplift" {
            format!("{}.{:02}%", r.amount / 100, r.amount % 100)
        } else {
            show_pence(r.amount)
        }
    };
    if ctx.json {
        output::json(
            &rows
                .iter()
                .map(|r| {
                    let mut v = json!({ "kind": r.kind, "cluster": r.cluster, "rurality": r.rurality, "from": r.from });
                    if a.show_rates {
                        v["amount"] = json!(r.amount);
                    }
                    v
                })
                .collect::<Vec<_>>(),
        );
        return Ok(Exit::Done);
    }
    let mut t = output::table(&["kind", "cluster", "rurality", "amount", "from"]);
    for r in &rows {
        let cells = vec![
            r.kind.clone(),
            r.cluster.clone().unwrap_or_else(|| "county-wide".into()),
            r.rurality.clone().unwrap_or_default(),
            amount(r),
            show_date(r.from),
        ];
        output::row(&mut t, cells);
    }
    println!("{t}");
    Ok(Exit::Done)
}

/// The estimated weekly cost of a referral's package from the rates in force on its requested
/// start; None when no hourly rate is recorded for its type.
pub fn estimate_for(conn: &Connection, r: &Referral, rurality: Option<&str>) -> anyhow::Result<Option<i64>> {
    let on = r.start_date;
    let Some(hourly) = rates::in_force(conn, r.rate_type.as_str(), r.cluster_id, on)? else {
        return Ok(None);
    };
    let uplift = match (r.cluster_id, rurality) {
        (Some(c), Some(class)) => rates::uplift_in_force(conn, c, class, on)?,
        _ => 0,
    };
    let night = |t: &str| rates::in_force(conn, t, r.cluster_id, on).map(|p| p.unwrap_or(0));
    Ok(Some(estimate(&CostFacts {
        weekly_minutes: r.calls_per_day * r.minutes_per_call * r.days_per_week,
        carers: if r.double_handed { 2 } else { 1 },
        hourly_pence: hourly,
        uplift_basis_points: uplift,
        sleep_nights: r.sleep_nights,
        sleep_night_pence: night("sleep-night")?,
        wake_nights: r.wake_nights,
        wake_night_pence: night("wake-night")?,
    })))
}
