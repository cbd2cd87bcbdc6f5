//! `hcp import cluster-providers FILE.csv`: columns `cluster,rank,provider`.

use super::clusters::{report, strict_error};
use super::{reference_csv, RowError};
use crate::cli::ctx::Ctx;
use crate::cli::Outcome;
use crate::store::events::Event;
use crate::store::{providers, reference};
use serde_json::json;
use std::collections::BTreeMap;

/// Set the ranked clustered providers of every cluster named in the file.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example:\n  hcp import cluster-providers ranks.csv    (header: cluster,rank,provider)")]
pub struct Args {
    /// The CSV file.
    pub file: std::path::PathBuf,
    /// Import nothing if any row is bad.
    #[arg(long)]
    pub strict: bool,
}

pub fn run(ctx: &mut Ctx, args: Args) -> Outcome {
    let (mut rdr, cols) = reference_csv(&args.file, &["cluster", "rank", "provider"])?;
    let (ci, ri, pi) = (cols[0], cols[1], cols[2]);
    let (now_s, user, json) = (ctx.now_str(), ctx.user.clone(), ctx.json);
    let store = ctx.store()?;
    let (done, errors) = store.write(|tx| {
        let mut errors = Vec::new();
        let mut ranks: BTreeMap<i64, Vec<(i64, i64)>> = BTreeMap::new();
        for (i, rec) in rdr.records().enumerate() {
            let row = i + 2;
            let Ok(rec) = rec else {
                errors.push(RowError {
                    client: None,
                    row,
                    column: "-".into(),
                    value: String::new(),
                    message: "cannot read the row".into(),
                });
                continue;
            };
            let get = |k: usize| rec.get(k).unwrap_or("").to_string();
            let cluster = match reference::find_cluster(tx, &get(ci)) {
                Ok(c) => c,
                Err(_) => {
                    errors.push(RowError {
                        client: None,
                        row,
                        column: "cluster".into(),
                        value: get(ci),
                        message: "not a known cluster".into(),
                    });
                    continue;
                }
            };
            let Ok(rank) = get(ri).parse::<i64>() else {
                errors.push(RowError {
                    client: None,
                    row,
                    column: "rank".into(),
                    value: get(ri),
                    message: "not a whole number".into(),
                });
                continue;
            };
            let provider = match reference::find_provider(tx, &get(pi)) {
                Ok(p) => p,
                Err(_) => {
                    errors.push(RowError {
                        client: None,
                        row,
                        column: "provider".into(),
                        value: get(pi),
                        message: "not a known provider (add it with hcp provider add)".into(),
                    });
                    continue;
                }
            };
            if providers::get(tx, provider.id)?.facts().contract != crate::domain::model::ProviderType::Contracted {
                errors.push(RowError {
                    client: None,
                    row,
                    column: "provider".into(),
                    value: get(pi),
                    message: "not contracted: only contracted providers are clustered".into(),
                });
                continue;
            }
            ranks.entry(cluster.id).or_default().push((rank, provider.id));
        }
        if args.strict && !errors.is_empty() {
            return Err(strict_error(&errors));
        }
        let mut done = 0;
        for (cluster_id, mut list) in ranks {
            list.sort();
            let ids: Vec<i64> = list.iter().map(|(_, pid)| *pid).collect();
            providers::set_ranking(tx, providers::Ranking::Cluster(cluster_id), &ids)?;
            done += ids.len();
        }
        Event::new("cluster providers imported", "cluster", &now_s, &now_s, &user)
            .details(json!({ "file": args.file.display().to_string(), "rows": done, "rejected": errors.len() }))
            .append(tx)?;
        Ok((done, errors))
    })?;
    report(json, done, &errors, "cluster ranks set")
}
