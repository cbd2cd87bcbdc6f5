//! `hcp provider list`.

use super::provider_json;
use crate::cli::ctx::Ctx;
use crate::cli::{output, Exit, Outcome};
use crate::store::providers;

/// List providers with type, areas, CQC rating and sanction status.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example:\n  hcp provider list --json")]
pub struct Args {}

pub fn run(ctx: &mut Ctx, _args: Args) -> Outcome {
    let json = ctx.json;
    let list = providers::list(ctx.store()?.conn())?;
    if json {
        output::json(&list.iter().map(provider_json).collect::<Vec<_>>());
        return Ok(Exit::Done);
    }
    if list.is_empty() {
        println!("No providers yet: add them with `hcp provider add NAME --type contracted --area AREA`.");
        return Ok(Exit::Done);
    }
    let mut t =
        output::table(&["id", "name", "type", "areas", "clusters (rank)", "CQC", "exceptions", "sanctioned", "status"]);
    for p in &list {
        t.add_row(vec![
            p.id.to_string(),
            p.name.clone(),
            p.kind.clone(),
            p.areas.join(", "),
            p.clusters.join(", "),
            p.cqc_rating.clone().unwrap_or_default(),
            output::yes(p.exceptions_list).into(),
            output::yes(p.sanctioned).into(),
            p.status.clone(),
        ]);
    }
    println!("{t}");
    Ok(Exit::Done)
}
