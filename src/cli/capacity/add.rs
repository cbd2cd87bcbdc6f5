//! `hcp capacity add --provider P (--msoa M | --cluster C) --hours H [--from D]`.

use crate::cli::ctx::{parse_date_arg, Ctx};
use crate::cli::{output, Exit, Outcome};
use crate::domain::text::parse_hours_to_minutes;
use crate::error::UserError;
use crate::store::events::Event;
use crate::store::{capacity, reference};
use serde_json::json;

/// Record capacity a provider reports as coming free in an MSOA or a cluster.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Example:\n  hcp capacity add --provider \"Alpha Care\" --msoa E02005010 --hours 12 --from 2026-11-30"
)]
pub struct Args {
    /// The provider reporting it.
    #[arg(long, value_name = "P")]
    pub provider: String,
    /// Where: an MSOA code (E02…).
    #[arg(long, value_name = "M", required_unless_present = "cluster", conflicts_with = "cluster")]
    pub msoa: Option<String>,
    /// Where: a whole cluster.
    #[arg(long, value_name = "C")]
    pub cluster: Option<String>,
    /// Hours per week (12.5 or 12:30).
    #[arg(long, value_name = "H")]
    pub hours: String,
    /// From when (default: today).
    #[arg(long, value_name = "D")]
    pub from: Option<String>,
    /// Anything else the provider said.
    #[arg(long)]
    pub note: Option<String>,
}

pub fn run(ctx: &mut Ctx, args: Args) -> Outcome {
    let minutes = parse_hours_to_minutes(&args.hours).ok_or_else(|| {
        UserError::usage(format!("--hours '{}' is not a number of hours", args.hours))
            .hint("write hours as 12.5 or 12:30")
    })?;
    if !(1..=10_000 * 60).contains(&minutes) {
        return Err(
            UserError::usage(format!("--hours '{}' is out of range: more than 0, at most 10,000", args.hours)).into()
        );
    }
    let from = match &args.from {
        Some(d) => parse_date_arg("--from", d)?,
        None => ctx.today(),
    };
    let (now_s, user, json) = (ctx.now_str(), ctx.user.clone(), ctx.json);
    let store = ctx.store()?;
    let id = store.write(|tx| {
        let p = reference::find_provider(tx, &args.provider)?;
        let msoa = match &args.msoa {
            Some(m) => {
                let code = m.trim().to_uppercase();
                reference::place_of_msoa(tx, &code)?.ok_or_else(|| {
                    UserError::new(format!("unknown MSOA '{m}'")).hint("give a Kent 2011 MSOA code such as E02005010 (`hcp cluster show NAME` lists them)")
                })?;
                Some(code)
            }
            None => None,
        };
        let cluster = args.cluster.as_deref().map(|c| reference::find_cluster(tx, c)).transpose()?;
        let id = capacity::insert(
            tx,
            &capacity::NewCapacity {
                provider_id: p.id,
                msoa_code: msoa.as_deref(),
                cluster_id: cluster.as_ref().map(|c| c.id),
                weekly_minutes: minutes,
                from,
                note: args.note.as_deref(),
                recorded_at: &now_s,
                recorded_by: &user,
            },
        )?;
        Event::new("capacity reported", "capacity", &now_s, &now_s, &user)
            .on(Some(id), None)
            .details(json!({ "provider": p.name, "msoa": msoa, "cluster": cluster.as_ref().map(|c| c.name.clone()), "hours": minutes as f64 / 60.0, "from": from.to_string() }))
            .append(tx)?;
        Ok(id)
    })?;
    if json {
        output::json(
            &json!({ "id": id, "provider": args.provider, "hours": minutes as f64 / 60.0, "from": from.to_string() }),
        );
    } else {
        println!("Capacity {id} recorded: {} h/week from {from}.", crate::domain::text::show_hours(minutes));
    }
    Ok(Exit::Done)
}
