//! `hcp provider list`.

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
        output::json(&list);
        return Ok(Exit::Done);
    }
    if list.is_empty() {
        println!("No providers yet: add them with `hcp provider add NAME --type contracted --area AREA`.");
        return Ok(Exit::Done);
    }
    let mut t =
        output::table(&["id", "name", "type", "areas", "clusters (rank)", "CQC", "exceptions", "sanctioned", "status"]);
    for p in &list {
        output::row(
            &mut t,
            vec![
                p.id.to_string(),
                p.name.clone(),
                p.kind.to_string(),
                p.areas.join(", "),
                p.clusters.join(", "),
                p.cqc_rating.map(|c| c.plain().to_string()).unwrap_or_default(),
                output::yes(p.exceptions_list).into(),
                output::yes(p.sanctioned).into(),
                p.status.to_string(),
            ],
        );
    }
    println!("{t}");
    Ok(Exit::Done)
}
