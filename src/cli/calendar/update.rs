//! `hcp calendar update FILE.json`: load gov.uk's bank-holidays.json.

use crate::cli::ctx::Ctx;
use crate::cli::{output, Exit, Outcome};
use crate::error::UserError;
use crate::store::events::Event;
use serde::Deserialize;
use serde_json::json;

/// Load England and Wales bank holidays from a gov.uk `bank-holidays.json` file. Its dates replace
/// the shipped table over the years the file covers.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example:\n  hcp calendar update bank-holidays.json   (saved from gov.uk/bank-holidays.json)")]
pub struct Args {
    pub file: std::path::PathBuf,
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
    let (Some(first), Some(last)) = (days.iter().map(|d| d.0).min(), days.iter().map(|d| d.0).max()) else {
        return Err(UserError::new(format!("{} lists no bank holidays", args.file.display())).into());
    };
    let (now_s, user, json) = (ctx.now_str(), ctx.user.clone(), ctx.json);
    let store = ctx.store()?;
    let added = store.write(|tx| {
        // The file speaks for whole years: replace what we had for those years.
        let from = format!("{}-01-01", chrono::Datelike::year(&first));
        let to = format!("{}-12-31", chrono::Datelike::year(&last));
        crate::store::reference::replace_bank_holidays(tx, &from, &to, &days)?;
        Event::new("bank holidays updated", "calendar", &now_s, &now_s, &user)
            .details(json!({ "file": args.file.display().to_string(), "from": from, "to": to, "count": days.len() }))
            .append(tx)?;
        Ok(days.len())
    })?;
    if json {
        output::json(&json!({ "loaded": added, "from": first.to_string(), "to": last.to_string() }));
    } else {
        println!("Loaded {added} bank holidays from {first} to {last}.");
    }
    Ok(Exit::Done)
}
