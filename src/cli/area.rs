//! `hcp area rank A --providers "…"`: the order of other contracted providers in an area.

use super::ctx::Ctx;
use super::{output, Exit, Outcome};
use crate::store::events::Event;
use crate::store::reference;
use serde_json::json;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    Rank(RankArgs),
}

/// Set the order in which other contracted providers of an area are approached once the
/// cluster's providers are exhausted.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example:\n  hcp area rank \"Canterbury & Coastal\" --providers \"Delta Care\"")]
pub struct RankArgs {
    /// The area's name.
    pub name: String,
    /// Provider names in order, comma-separated.
    #[arg(long)]
    pub providers: String,
}

pub fn run(ctx: &mut Ctx, c: Command) -> Outcome {
    let Command::Rank(args) = c;
    let (now_s, user, json) = (ctx.now_str(), ctx.user.clone(), ctx.json);
    let store = ctx.store()?;
    let (area, names) = store.write(|tx| {
        let a = reference::find_area(tx, &args.name)?;
        let names = super::cluster::set_ranking(tx, crate::store::providers::Ranking::Area(a.id), &args.providers)?;
        Event::new("area ranked", "area", &now_s, &now_s, &user)
            .on(Some(a.id), None)
            .details(json!({ "area": a.name, "providers": names }))
            .append(tx)?;
        Ok((a, names))
    })?;
    if json {
        output::json(&json!({ "area": area.name, "providers": names }));
    } else {
        println!("Area {}: other contracted providers in order: {}", area.name, names.join(", "));
    }
    Ok(Exit::Done)
}
