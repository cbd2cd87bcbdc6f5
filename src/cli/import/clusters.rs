//! `hcp import clusters FILE.csv`: columns `cluster,area,msoa_code`, one row per MSOA.

use super::{reference_csv, RowError};
use crate::cli::ctx::Ctx;
use crate::cli::{output, Exit, Outcome};
use crate::error::UserError;
use crate::store::events::Event;
use crate::store::reference;
use serde_json::json;

/// Replace the default district clusters with the real cluster file (the allocation tool):
/// each row puts one MSOA in a cluster of an area. Clusters are created as needed.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example:\n  hcp import clusters clusters.csv    (header: cluster,area,msoa_code)")]
pub struct Args {
    /// The CSV file.
    pub file: std::path::PathBuf,
    /// Import nothing if any row is bad.
    #[arg(long)]
    pub strict: bool,
}

pub fn run(ctx: &mut Ctx, args: Args) -> Outcome {
    let (mut rdr, cols) = reference_csv(&args.file, &["cluster", "area", "msoa_code"])?;
    let (ci, ai, mi) = (cols[0], cols[1], cols[2]);
    let (now_s, user, json) = (ctx.now_str(), ctx.user.clone(), ctx.json);
    let store = ctx.store()?;
    let (done, errors) = store.write(|tx| {
        let mut errors = Vec::new();
        let mut done = 0;
        for (i, rec) in rdr.records().enumerate() {
            let row = i + 2;
            let rec = match rec {
                Ok(r) => r,
                Err(e) => {
                    errors.push(RowError {
                        client: None,
                        row,
                        column: "-".into(),
                        value: String::new(),
                        message: format!("cannot read the row: {e}"),
                    });
                    continue;
                }
            };
            let get = |k: usize| rec.get(k).unwrap_or("").to_string();
            let (cluster, area, msoa) = (get(ci), get(ai), get(mi).to_uppercase());
            let area_id = match reference::find_area(tx, &area) {
                Ok(a) => a.id,
                Err(_) => {
                    errors.push(RowError {
                        client: None,
                        row,
                        column: "area".into(),
                        value: area,
                        message: "not a known area".into(),
                    });
                    continue;
                }
            };
            if reference::place_of_msoa(tx, &msoa)?.is_none() {
                errors.push(RowError {
                    client: None,
                    row,
                    column: "msoa_code".into(),
                    value: msoa,
                    message: "not a Kent 2011 MSOA".into(),
                });
                continue;
            }
            if cluster.is_empty() {
                errors.push(RowError {
                    client: None,
                    row,
                    column: "cluster".into(),
                    value: cluster,
                    message: "empty cluster name".into(),
                });
                continue;
            }
            reference::place_msoa_in_cluster(tx, &msoa, &cluster, area_id)?;
            done += 1;
        }
        if args.strict && !errors.is_empty() {
            return Err(strict_error(&errors));
        }
        // Referrals placed from their postcode follow their MSOA into its new cluster.
        reference::replace_referral_clusters(tx)?;
        Event::new("clusters imported", "cluster", &now_s, &now_s, &user)
            .details(json!({ "file": args.file.display().to_string(), "rows": done, "rejected": errors.len() }))
            .append(tx)?;
        Ok((done, errors))
    })?;
    report(json, done, &errors, "MSOAs placed in clusters")
}

pub fn strict_error(errors: &[RowError]) -> anyhow::Error {
    let mut e = UserError::new(format!(
        "{} bad row{}; --strict imports nothing",
        errors.len(),
        if errors.len() == 1 { "" } else { "s" }
    ));
    for r in errors.iter().take(20) {
        e = e.hint(r.to_string());
    }
    e.into()
}

pub fn report(json: bool, done: usize, errors: &[RowError], what: &str) -> Outcome {
    if json {
        output::json(&json!({ "imported": done, "rejected": errors.len(), "errors": errors }));
    } else {
        println!("{done} {what}; {} rejected.", errors.len());
        for e in errors {
            eprintln!("{e}");
        }
    }
    Ok(if errors.is_empty() { Exit::Done } else { Exit::Incomplete })
}
