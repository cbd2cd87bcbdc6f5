//! `hcp calendar update FILE.json`: load gov.uk's bank-holidays.json.

use crate::cli::ctx::Ctx;
use crate::cli::{output, Exit, Outcome};
use crate::domain::calendar::plan_update;
use crate::error::UserError;
use crate::store::events::Event;
use serde::Deserialize;
use serde_json::json;

/// Load England and Wales bank holidays from a gov.uk `bank-holidays.json` file. The file speaks
/// for the years it covers (dates added and removed are reported); removing a holiday of this
/// year or next needs --replace; a date outside 1900–2100 is refused.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example:\n  hcp calendar update bank-holidays.json   (saved from gov.uk/bank-holidays.json)")]
pub struct Args {
    /// The gov.uk bank-holidays.json file.
    pub file: std::path::PathBuf,
    /// Allow the file to remove bank holidays of this year or next.
    #[arg(long)]
    pub replace: bool,
}

#[derive(Deserialize)]
struct Division {
    events: Vec<GovEvent>,
}
#[derive(Deserialize)]
struct GovEvent {
    title: String,
    date: String,
}

pub fn run(ctx: &mut Ctx, args: Args) -> Outcome {
    let text = std::fs::read_to_string(&args.file)
        .map_err(|e| UserError::new(format!("cannot read {}: {e}", args.file.display())))?;
    let doc: std::collections::HashMap<String, Division> = serde_json::from_str(&text).map_err(|e| {
        UserError::new(format!("{} is not a gov.uk bank-holidays.json file: {e}", args.file.display()))
            .hint("save https://www.gov.uk/bank-holidays.json and pass that file")
    })?;
    let div = doc
        .get("england-and-wales")
        .ok_or_else(|| UserError::new(format!("{} has no \"england-and-wales\" division", args.file.display())))?;
    let mut days = Vec::new();
    for e in &div.events {
        let d = chrono::NaiveDate::parse_from_str(&e.date, "%Y-%m-%d").map_err(|_| {
            UserError::new(format!("{}: '{}' is not a date (for {})", args.file.display(), e.date, e.title))
        })?;
        days.push((d, e.title.clone()));
    }
    if days.is_empty() {
        return Err(UserError::new(format!("{} lists no bank holidays", args.file.display())).into());
    }
    let (now_s, user, json, today) = (ctx.now_str(), ctx.user.clone(), ctx.json, ctx.today());
    let store = ctx.store()?;
    let change = store.write(|tx| {
        let (from, to) = (chrono::NaiveDate::MIN, chrono::NaiveDate::MAX);
        let existing: Vec<chrono::NaiveDate> =
            crate::store::reference::calendar(tx)?.holidays_between(from, to).iter().map(|h| h.date).collect();
        let file: Vec<chrono::NaiveDate> = days.iter().map(|d| d.0).collect();
        let change = plan_update(&existing, &file, today, args.replace)
            .map_err(|why| UserError::new(format!("{}: {why}; nothing was changed", args.file.display())))?;
        crate::store::reference::update_bank_holidays(tx, &change.removed, &days)?;
        Event::new("bank holidays updated", "calendar", &now_s, &now_s, &user)
            .details(json!({ "file": args.file.display().to_string(), "added": change.added, "removed": change.removed, "years": change.years }))
            .append(tx)?;
        Ok(change)
    })?;
    if json {
        output::json(&change);
    } else {
        let list = |ds: &[chrono::NaiveDate]| {
            ds.iter().map(|d| d.format("%d/%m/%Y").to_string()).collect::<Vec<_>>().join(", ")
        };
        println!(
            "Bank holidays for {}: {} added{}, {} removed{}.",
            change.years.iter().map(|y| y.to_string()).collect::<Vec<_>>().join(", "),
            change.added.len(),
            if change.added.is_empty() { String::new() } else { format!(" ({})", list(&change.added)) },
            change.removed.len(),
            if change.removed.is_empty() { String::new() } else { format!(" ({})", list(&change.removed)) },
        );
    }
    Ok(Exit::Done)
}
