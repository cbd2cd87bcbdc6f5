//! `hcp confirm <id> --start D`: the Provider Confirmation Form came back -> `confirmed`;
//! the SDO and financial assessment deadlines are set (SPEC §3, §7).

use super::ctx::{parse_date_arg, parse_time_arg, Ctx};
use super::record::record;
use super::view;
use super::{output, Exit, Outcome};
use crate::domain::dates::show_date;
use crate::domain::placement;
use crate::error::UserError;
use chrono::NaiveTime;

/// Record the returned Provider Confirmation Form: start date and planned call times.
///
/// The SDO is due within 2 working days of the confirmation (for an Indi placement, of the Indi
/// contract being completed: --indi-completed); the financial assessment within 2 working days.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Example:\n  hcp confirm 12 --start 2026-11-30 --provider-ref AB123 --call-times \"07:30,12:00,17:00,20:30\""
)]
pub struct Args {
    /// The referral id.
    pub id: i64,
    /// The agreed start date.
    #[arg(long, value_name = "D")]
    pub start: String,
    /// The provider's reference.
    #[arg(long, value_name = "REF")]
    pub provider_ref: Option<String>,
    /// Planned call times, comma-separated.
    #[arg(long, value_name = "TIMES")]
    pub call_times: Option<String>,
    /// Non-contracted (Indi) placements: when the Indi contract was completed.
    #[arg(long, value_name = "T")]
    pub indi_completed: Option<String>,
    /// When the form came back (default: now).
    #[arg(long, value_name = "T")]
    pub at: Option<String>,
}

pub fn run(ctx: &mut Ctx, args: Args) -> Outcome {
    let start = parse_date_arg("--start", &args.start)?;
    let indi = args.indi_completed.as_deref().map(|t| parse_time_arg("--indi-completed", t)).transpose()?;
    let call_times = args.call_times.as_deref().map(parse_call_times).transpose()?;
    let form =
        placement::Confirmation { start, provider_ref: args.provider_ref.clone(), call_times, indi_completed: indi };
    let (r, _) = record(ctx, args.id, args.at.as_deref(), |v, rules, at| {
        placement::confirm(&v.r, v.state, form, at, &rules.calendar)
    })?;
    if ctx.json {
        let rules = ctx.rules()?;
        let now = ctx.now;
        let v = view::load(ctx.store()?.conn(), &rules, now, r.id)?;
        output::json(&v.to_json(now));
    } else {
        println!("Referral {} confirmed: care starts {}.", r.id, show_date(start));
        match r.sdo_due {
            Some(d) => println!("  SDO due by the end of {} (2 working days).", show_date(d)),
            None => println!(
                "  SDO: due 2 working days after the Indi contract is completed; record it with `hcp indi {} --completed`.",
                r.id
            ),
        }
        if let Some(d) = r.fa_due {
            println!("  Financial assessment due by the end of {} (2 working days).", show_date(d));
        }
        println!("  When the SDO is sent: hcp sdo {} --sent", r.id);
    }
    Ok(Exit::Done)
}

/// Call times as `07:30,12:00,17:00`: each a time of day.
pub fn parse_call_times(s: &str) -> anyhow::Result<Vec<NaiveTime>> {
    s.split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|t| {
            NaiveTime::parse_from_str(t, "%H:%M").map_err(|_| {
                UserError::usage(format!("--call-times: '{t}' is not a time of day"))
                    .hint("write the planned call times as 07:30,12:00,17:00")
                    .into()
            })
        })
        .collect()
}
