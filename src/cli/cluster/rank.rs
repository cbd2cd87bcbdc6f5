//! `hcp cluster rank C --providers "P1,P2,P3"`.

use crate::cli::ctx::Ctx;
use crate::cli::{output, Exit, Outcome};
use crate::store::events::{self, Event};
use crate::store::reference;
use serde_json::json;

/// Set the ranked clustered providers of a cluster (the allocation tool, Appendix 4), best first.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Example:\n  hcp cluster rank Canterbury --providers \"Alpha Care,Beta Care,Gamma Care\""
)]
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
        let names =
            super::set_ranking(tx, "cluster_providers", "cluster_id", c.id, &args.providers)?;
        events::append(
            tx,
            Event {
                at: &now_s,
                recorded_at: &now_s,
                user: &user,
                event: "cluster ranked",
                entity: "cluster",
                entity_id: Some(c.id),
                referral_id: None,
                details: json!({ "cluster": c.name, "providers": names }),
                before: None,
                after: None,
            },
        )?;
        Ok((c, names))
    })?;
    if json {
        output::json(&json!({ "cluster": cluster.name, "providers": names }));
    } else {
        println!(
            "Cluster {}: {}",
            cluster.name,
            names
                .iter()
                .enumerate()
                .map(|(i, n)| format!("{}. {n}", i + 1))
                .collect::<Vec<_>>()
                .join("  ")
        );
    }
    Ok(Exit::Done)
}
