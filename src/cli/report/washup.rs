//! `hcp report washup`: the weekly wash-up report for one area or every area.

use super::super::ctx::{parse_date_arg, Ctx};
use super::super::{output, Exit, Outcome};
use super::Format;
use crate::domain::washup::{compute, iso_week, last_complete_week, Washup};
use crate::error::UserError;
use crate::io::files::{write_private, Target};
use crate::store::{reference, washup};
use chrono::NaiveDate;
use serde::Serialize;
use std::path::PathBuf;

/// The weekly wash-up report: the summary, the list by RAG and the AMT list, provider
/// responses, referral quality, handbacks, capacity, non-contracted placements, reviews and
/// escalations, counted from the period's events (a past week's report never changes).
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  hcp report washup --area \"Canterbury & Coastal\" --week 2026-W48
  hcp report washup --format html --output washup.html
  hcp report washup --area Thanet --from 2026-11-01 --to 2026-11-30 --format csv

The default period is the last complete Monday-to-Sunday week; without --area, one section
per area. The same data always gives the same bytes (no time of printing unless --stamp).")]
pub struct Args {
    /// Only this area (default: every area with clusters, one section each).
    #[arg(long, value_name = "A")]
    pub area: Option<String>,
    /// An ISO week, Monday to Sunday in London time, e.g. 2026-W48.
    #[arg(long, value_name = "YYYY-Www", conflicts_with_all = ["from", "to"])]
    pub week: Option<String>,
    /// The first day of the period (with --to).
    #[arg(long, value_name = "D", requires = "to")]
    pub from: Option<String>,
    /// The last day of the period, included (with --from).
    #[arg(long, value_name = "D", requires = "from")]
    pub to: Option<String>,
    /// table (the terminal), markdown (an email), csv, json (scripts) or html (a browser, A4).
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = Format::Table)]
    pub format: Format,
    /// Write the report to this file (mode 0600) instead of the screen.
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Replace --output if it exists.
    #[arg(long)]
    pub force: bool,
    /// Print the time the report was made (off by default, so reruns are byte-identical).
    #[arg(long)]
    pub stamp: bool,
}

#[derive(Serialize)]
struct AllAreas<'a> {
    from: NaiveDate,
    to: NaiveDate,
    areas: &'a [Washup],
}

fn period(ctx: &Ctx, a: &Args) -> anyhow::Result<(NaiveDate, NaiveDate)> {
    if let Some(w) = &a.week {
        return iso_week(w).ok_or_else(|| {
            UserError::usage(format!("--week '{w}' is not an ISO week"))
                .hint("write the year and week number, e.g. 2026-W48 (Monday 23 to Sunday 29 November 2026)")
                .into()
        });
    }
    match (&a.from, &a.to) {
        (Some(f), Some(t)) => {
            let (f, t) = (parse_date_arg("--from", f)?, parse_date_arg("--to", t)?);
            if t < f {
                return Err(UserError::usage(format!("--to {t} is before --from {f}"))
                    .hint("give the first day with --from and the last with --to")
                    .into());
            }
            Ok((f, t))
        }
        _ => Ok(last_complete_week(ctx.today())),
    }
}

pub fn run(ctx: &mut Ctx, a: Args) -> Outcome {
    let (from, to) = period(ctx, &a)?;
    let rules = ctx.rules()?;
    let conn = ctx.store()?.conn();
    let areas = match &a.area {
        Some(name) => {
            let n = reference::find_area(conn, name)?;
            vec![(n.id, n.name)]
        }
        None => washup::areas_with_clusters(conn)?,
    };
    let mut reports = Vec::new();
    for (id, name) in &areas {
        let facts = washup::facts(conn, *id, name, (from, to), rules.pir_target_days)?;
        reports.push(compute(&facts, &rules.calendar, &rules.thresholds));
    }
    let format = if ctx.json { Format::Json } else { a.format };
    let stamp = a.stamp.then(|| crate::domain::dates::show_instant(ctx.now));
    let text: Vec<u8> = match format {
        Format::Json => {
            let mut s = if a.area.is_some() {
                serde_json::to_string_pretty(&reports[0])?
            } else {
                serde_json::to_string_pretty(&AllAreas { from, to, areas: &reports })?
            };
            s.push('\n');
            s.into_bytes()
        }
        Format::Markdown => {
            let mut s = crate::io::washup::markdown(&reports);
            if let Some(t) = &stamp {
                s.push_str(&format!("Produced {t}\n"));
            }
            s.into_bytes()
        }
        Format::Csv => crate::io::washup::csv(&reports)?,
        Format::Html => crate::io::washup_html::html(&reports, stamp.as_deref()).into_bytes(),
        Format::Table => tables(&reports, stamp.as_deref()).into_bytes(),
    };
    match &a.output {
        Some(path) => {
            let written = write_private(&Target { path: path.clone(), force: a.force }, &ctx.db_path, &text)?;
            if !ctx.json {
                eprintln!("wrote {}", written.display());
            }
        }
        None => {
            use std::io::Write;
            std::io::stdout().write_all(&text)?;
        }
    }
    Ok(Exit::Done)
}

fn tables(reports: &[Washup], stamp: Option<&str>) -> String {
    let mut o = String::new();
    for w in reports {
        o.push_str(&format!("== {} ==\n\n", crate::io::washup::title(w)));
        for (name, header, rows) in crate::io::washup::sections(w) {
            o.push_str(&format!("{}:\n", name));
            if rows.is_empty() {
                o.push_str("  none\n\n");
                continue;
            }
            let mut t = output::table(&header.iter().map(String::as_str).collect::<Vec<_>>());
            for r in rows {
                output::row(&mut t, r);
            }
            o.push_str(&format!("{t}\n\n"));
        }
    }
    if let Some(s) = stamp {
        o.push_str(&format!("Produced {s}\n"));
    }
    o
}
