//! `hcp cluster list`.

use crate::cli::ctx::Ctx;
use crate::cli::{output, Exit, Outcome};
use serde_json::json;

/// List the clusters with their area, MSOAs and ranked providers.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example:\n  hcp cluster list\n  hcp cluster list --json")]
pub struct Args {}

pub use crate::store::reference::{clusters, ClusterRow};

pub fn run(ctx: &mut Ctx, _args: Args) -> Outcome {
    let json = ctx.json;
    let rows = clusters(ctx.store()?.conn())?;
    if json {
        output::json(
            &rows
                .iter()
                .map(
                    |c| json!({"id": c.id, "name": c.name, "area": c.area, "msoas": c.msoas, "providers": c.providers}),
                )
                .collect::<Vec<_>>(),
        );
        return Ok(Exit::Done);
    }
    let mut t = output::table(&["cluster", "area", "MSOAs", "ranked providers"]);
    for c in &rows {
        output::row(&mut t, vec![c.name.clone(), c.area.clone(), c.msoas.len().to_string(), c.providers.join(", ")]);
    }
    println!("{t}");
    Ok(Exit::Done)
}
