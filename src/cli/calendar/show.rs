//! `hcp calendar show [--from D --to D]`.

use crate::cli::ctx::{parse_date_arg, Ctx};
use crate::cli::{output, Exit, Outcome};
use chrono::Datelike;
use serde_json::json;

/// List England and Wales bank holidays (default: this year and next).
#[derive(Debug, clap::Args)]
#[command(after_help = "Example:\n  hcp calendar show --from 2026-12-01 --to 2027-01-31")]
pub struct Args {
    /// The first day to show (default: today).
    #[arg(long, value_name = "D")]
    pub from: Option<String>,
    /// The last day to show.
    #[arg(long, value_name = "D")]
    pub to: Option<String>,
}

pub fn run(ctx: &mut Ctx, args: Args) -> Outcome {
    let today = ctx.today();
    let from = match &args.from {
        Some(d) => parse_date_arg("--from", d)?,
        None => chrono::NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today),
    };
    let to = match &args.to {
        Some(d) => parse_date_arg("--to", d)?,
        None => chrono::NaiveDate::from_ymd_opt(today.year() + 1, 12, 31).unwrap_or(today),
    };
    let rules = ctx.rules()?;
    let list = rules.calendar.holidays_between(from, to);
    if ctx.json {
        output::json(&json!({
            "from": from.to_string(),
            "to": to.to_string(),
            "bank_holidays": list.iter().map(|h| json!({"date": h.date.to_string(), "title": h.title, "weekday": h.date.format("%A").to_string()})).collect::<Vec<_>>(),
            "working_days": rules.calendar.working_days_between(from.pred_opt().unwrap_or(from), to),
        }));
        return Ok(Exit::Done);
    }
    let mut t = output::table(&["date", "day", "bank holiday"]);
    for h in &list {
        output::row(&mut t, vec![h.date.to_string(), h.date.format("%A").to_string(), h.title.clone()]);
    }
    println!("{t}");
    println!(
        "{} bank holiday{} and {} working days from {} to {}.",
        list.len(),
        if list.len() == 1 { "" } else { "s" },
        rules.calendar.working_days_between(from.pred_opt().unwrap_or(from), to),
        from,
        to
    );
    Ok(Exit::Done)
}
