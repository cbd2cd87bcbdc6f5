//! `hcp cluster rank C --providers "P1,P2,P3"`.

use crate::cli::ctx::Ctx;
use crate::cli::{output, Exit, Outcome};
use crate::store::events::Event;
use crate::store::reference;
use serde_json::json;

/// Set the ranked clustered providers of a cluster (the allocation tool, Appendix 4), best first.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example:\n  hcp cluster rank Canterbury --providers \"Alpha Care,Beta Care,Gamma Care\"")]
pub struct Args {
    /// The cluster's name.
    pub name: String,
    /// Provider names in rank order, comma-separated.
    #[arg(long)]
    pub providers: String,
}

pub fn run(ctx: &mut Ctx, args: Args) -> Outcome {
    let (now_s, user, json) = (ctx.now_str(), ctx.user.clone(), ctx.json);
    let store = ctx.store()?;
    let (cluster, names) = store.write(|tx| {
        let c = reference::find_cluster(tx, &args.name)?;
        let names = super::set_ranking(tx, crate::store::providers::Ranking::Cluster(c.id), &args.providers)?;
        Event::new("cluster ranked", "cluster", &now_s, &now_s, &user)
            .on(Some(c.id), None)
            .details(json!({ "cluster": c.name, "providers": names }))
            .append(tx)?;
        Ok((c, names))
    })?;
    if json {
        output::json(&json!({ "cluster": cluster.name, "providers": names }));
    } else {
        println!(
            "Cluster {}: {}",
            cluster.name,
            names.iter().enumerate().map(|(i, n)| format!("{}. {n}", i + 1)).collect::<Vec<_>>().join("  ")
        );
    }
    Ok(Exit::Done)
}
