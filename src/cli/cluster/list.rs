//! `hcp cluster list`.

use crate::cli::ctx::Ctx;
use crate::cli::{output, Exit, Outcome};
use serde_json::json;

/// List the clusters with their area, MSOAs and ranked providers.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example:\n  hcp cluster list\n  hcp cluster list --json")]
pub struct Args {}

pub struct ClusterRow {
    pub id: i64,
    pub name: String,
    pub area: String,
    pub msoas: Vec<String>,
    pub providers: Vec<String>,
}

pub fn clusters(conn: &rusqlite::Connection) -> anyhow::Result<Vec<ClusterRow>> {
    let mut stmt = conn.prepare(
        "SELECT c.id, c.name, a.name,
                (SELECT group_concat(msoa_code, ',') FROM (SELECT msoa_code FROM cluster_msoas WHERE cluster_id = c.id ORDER BY msoa_code)),
                (SELECT group_concat(name, ',') FROM (SELECT p.name FROM cluster_providers cp JOIN providers p ON p.id = cp.provider_id WHERE cp.cluster_id = c.id ORDER BY cp.rank))
         FROM clusters c JOIN areas a ON a.id = c.area_id ORDER BY a.name, c.name",
    )?;
    let rows = stmt.query_map([], |r| {
        let split = |s: Option<String>| s.map(|s| s.split(',').map(str::to_string).collect()).unwrap_or_default();
        Ok(ClusterRow {
            id: r.get(0)?,
            name: r.get(1)?,
            area: r.get(2)?,
            msoas: split(r.get(3)?),
            providers: split(r.get(4)?),
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

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
        t.add_row(vec![c.name.clone(), c.area.clone(), c.msoas.len().to_string(), c.providers.join(", ")]);
    }
    println!("{t}");
    Ok(Exit::Done)
}
