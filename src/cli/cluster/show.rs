//! `hcp cluster show C`.

use crate::cli::ctx::Ctx;
use crate::cli::{output, Exit, Outcome};
use crate::store::{providers, reference};
use serde_json::json;

/// Show a cluster: its area, ranked clustered providers and MSOAs with rurality.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example:\n  hcp cluster show Canterbury")]
pub struct Args {
    /// The cluster's name.
    pub name: String,
}

pub fn run(ctx: &mut Ctx, args: Args) -> Outcome {
    let json = ctx.json;
    let conn = &ctx.store()?.conn();
    let c = reference::find_cluster(conn, &args.name)?;
    let area = reference::area_name_of_cluster(conn, c.id)?;
    let ranked = providers::cluster_ranking(conn, c.id)?;
    let msoas = reference::cluster_msoas(conn, c.id)?;
    if json {
        output::json(&json!({
            "id": c.id,
            "name": c.name,
            "area": area,
            "providers": ranked.iter().enumerate().map(|(i, p)| json!({"rank": i + 1, "provider": p.name, "provider_id": p.id})).collect::<Vec<_>>(),
            "msoas": msoas.iter().map(|(code, name, ruc, d)| json!({"msoa": code, "name": name, "rurality": ruc, "district": d})).collect::<Vec<_>>(),
        }));
        return Ok(Exit::Done);
    }
    println!("Cluster {} — area {}", c.name, area);
    if ranked.is_empty() {
        println!("No ranked providers yet: hcp cluster rank \"{}\" --providers \"P1,P2,P3\"", c.name);
    } else {
        for (i, p) in ranked.iter().enumerate() {
            println!("  {}. {}", i + 1, p.name);
        }
    }
    let mut t = output::table(&["MSOA", "name", "rurality", "district"]);
    for (code, name, ruc, d) in msoas {
        output::row(&mut t, vec![code, name, ruc, d]);
    }
    println!("{t}");
    Ok(Exit::Done)
}
