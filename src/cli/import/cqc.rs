//! `hcp import cqc-directory FILE.csv` and `hcp import cqc-ratings FILE.csv`: providers' CQC facts
//! from CQC's own monthly files instead of typed by hand (the non-contracted filter depends on them).

use super::read_text;
use crate::cli::ctx::Ctx;
use crate::cli::{output, Exit, Outcome};
use crate::domain::text::fold;
use crate::error::UserError;
use crate::io::cqc::{read_directory, read_ratings};
use crate::store::events::Event;
use crate::store::{cqc, providers};
use serde::Serialize;
use serde_json::json;
use std::collections::HashMap;

/// Read CQC's care directory CSV as published (preamble and all): keep Kent locations that offer
/// homecare, link each to a provider by its CQC Provider ID (`provider update --cqc-id`) or, failing
/// that, by the location's name, and record the date of its latest check.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example:\n  hcp import cqc-directory \"CQC directory November 2026.csv\" --unmatched")]
pub struct DirectoryArgs {
    /// The directory CSV, as downloaded from CQC.
    pub file: std::path::PathBuf,
    /// List the Kent homecare locations no provider matched, so they can be added.
    #[arg(long)]
    pub unmatched: bool,
}

/// Read CQC's ratings file: each matched provider's rating becomes its locations' most recent
/// overall rating (a key question's rating such as Safe is not the rating), with its date.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example:\n  hcp import cqc-ratings \"CQC ratings November 2026.csv\"")]
pub struct RatingsArgs {
    /// The ratings CSV, as downloaded from CQC.
    pub file: std::path::PathBuf,
}

#[derive(Debug, Serialize)]
struct DirectorySummary {
    rows: usize,
    kent_homecare: usize,
    matched: usize,
    unmatched: usize,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    unmatched_locations: Vec<serde_json::Value>,
}

pub fn directory(ctx: &mut Ctx, args: DirectoryArgs) -> Outcome {
    let text = read_text(&args.file, None)?;
    let rows = read_directory(&text).map_err(|e| UserError::new(format!("{}: {e}", args.file.display())))?;
    let (now_s, user, json) = (ctx.now_str(), ctx.user.clone(), ctx.json);
    let summary = ctx.store()?.write(|tx| {
        let by_name: HashMap<String, i64> = providers::names(tx)?.into_iter().map(|(id, n)| (fold(&n), id)).collect();
        let kent: Vec<_> = rows.iter().filter(|r| r.kent_homecare()).collect();
        let (mut matched, mut unmatched) = (0, Vec::new());
        for r in &kent {
            let provider = match cqc::provider_by_cqc_id(tx, &r.cqc_provider_id)? {
                Some(p) => Some(p),
                None => by_name.get(&fold(&r.name)).copied(),
            };
            cqc::upsert_location(tx, r, provider)?;
            match provider {
                Some(p) => {
                    matched += 1;
                    cqc::set_provider_cqc(tx, p, r.last_checked, None)?;
                }
                None => unmatched.push(json!({ "name": r.name, "provider": r.provider_name, "postcode": r.postcode, "cqc_provider_id": r.cqc_provider_id })),
            }
        }
        Event::new("CQC directory imported", "provider", &now_s, &now_s, &user)
            .details(json!({ "file": args.file.display().to_string(), "rows": rows.len(), "kent_homecare": kent.len(), "matched": matched }))
            .append(tx)?;
        Ok(DirectorySummary {
            rows: rows.len(),
            kent_homecare: kent.len(),
            matched,
            unmatched: unmatched.len(),
            unmatched_locations: if args.unmatched { unmatched } else { Vec::new() },
        })
    })?;
    if json {
        output::json(&summary);
    } else {
        println!(
            "{} rows; {} Kent homecare locations; {} matched to providers, {} not.",
            summary.rows, summary.kent_homecare, summary.matched, summary.unmatched
        );
        for u in &summary.unmatched_locations {
            println!(
                "  not matched: {} ({}, {}), CQC provider {}",
                u["name"].as_str().unwrap_or(""),
                u["provider"].as_str().unwrap_or(""),
                u["postcode"].as_str().unwrap_or(""),
                u["cqc_provider_id"].as_str().unwrap_or("")
            );
        }
        if summary.unmatched > 0 && !args.unmatched {
            println!("  --unmatched lists them; link one with: hcp provider update NAME --cqc-id ID");
        }
    }
    Ok(Exit::Done)
}

pub fn ratings(ctx: &mut Ctx, args: RatingsArgs) -> Outcome {
    let text = read_text(&args.file, None)?;
    let overall = read_ratings(&text).map_err(|e| UserError::new(format!("{}: {e}", args.file.display())))?;
    let (now_s, user, json) = (ctx.now_str(), ctx.user.clone(), ctx.json);
    let (matched, providers_rated) = ctx.store()?.write(|tx| {
        let mut best: HashMap<i64, (crate::domain::model::CqcRating, Option<chrono::NaiveDate>)> = HashMap::new();
        let mut matched = 0;
        for o in &overall {
            cqc::rate_location(tx, &o.location_id, o.rating, o.published)?;
            let provider = match cqc::provider_by_cqc_id(tx, &o.cqc_provider_id)? {
                Some(p) => Some(p),
                None => cqc::provider_of_location(tx, &o.location_id)?,
            };
            let Some(p) = provider else { continue };
            matched += 1;
            let newer = best.get(&p).is_none_or(|(_, d)| o.published > *d);
            if newer {
                best.insert(p, (o.rating, o.published));
            }
        }
        for (p, (r, d)) in &best {
            let before = providers::get(tx, *p)?;
            cqc::set_provider_cqc(tx, *p, None, Some((*r, *d)))?;
            Event::new("CQC rating imported", "provider", &now_s, &now_s, &user)
                .on(Some(*p), None)
                .change(
                    Some(json!({ "cqc_rating": before.cqc_rating })),
                    Some(json!({ "cqc_rating": r, "published": d })),
                )
                .append(tx)?;
        }
        Ok((matched, best.len()))
    })?;
    let summary = json!({ "overall_ratings": overall.len(), "matched": matched, "providers_rated": providers_rated });
    if json {
        output::json(&summary);
    } else {
        println!(
            "{} overall ratings; {matched} for known providers; {providers_rated} providers rated.",
            overall.len()
        );
    }
    Ok(Exit::Done)
}
