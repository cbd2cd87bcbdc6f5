//! `hcp report washup`: the weekly wash-up report for one area or every area.

use super::super::ctx::{parse_date_arg, Ctx};
use super::super::Outcome;
use super::{emit, Out, Rendered};
use crate::domain::washup::{compute, iso_week, last_complete_week, Washup};
use crate::error::UserError;
use crate::store::{reference, washup};
use chrono::NaiveDate;
use serde::Serialize;

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
    #[command(flatten)]
    pub out: Out,
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
        (Some(f), Some(t)) => super::period_in_order(parse_date_arg("--from", f)?, parse_date_arg("--to", t)?),
        _ => Ok(last_complete_week(ctx.today())),
    }
}

fn areas(ctx: &mut Ctx, area: Option<&str>) -> anyhow::Result<Vec<(i64, String)>> {
    let conn = ctx.store()?.conn();
    Ok(match area {
        Some(name) => {
            let n = reference::find_area(conn, name)?;
            vec![(n.id, n.name)]
        }
        None => washup::areas_with_clusters(conn)?,
    })
}

fn reports(ctx: &mut Ctx, area: Option<&str>, from: NaiveDate, to: NaiveDate) -> anyhow::Result<Vec<Washup>> {
    let areas = areas(ctx, area)?;
    let rules = ctx.rules()?;
    let conn = ctx.store()?.conn();
    let mut out = Vec::new();
    for (id, name) in &areas {
        let facts = washup::facts(conn, *id, name, (from, to), rules.pir_target_days)?;
        out.push(compute(&facts, &rules.calendar, &rules.thresholds));
    }
    Ok(out)
}

fn render(ctx: &Ctx, out: &Out, reports: &[Washup], one_area: bool, from: NaiveDate, to: NaiveDate) -> Outcome {
    let json = if one_area {
        serde_json::to_value(&reports[0])?
    } else {
        serde_json::to_value(AllAreas { from, to, areas: reports })?
    };
    let stamp = out.stamp.then(|| crate::domain::dates::show_instant(ctx.now));
    emit(
        ctx,
        out,
        Rendered {
            title: String::new(),
            docs: crate::io::washup::docs(reports),
            json,
            key_name: "area",
            // Only drawn when asked for: the charts are the wash-up's own HTML page.
            html: (out.chosen(ctx.json) == super::Format::Html)
                .then(|| crate::io::washup_html::html(reports, stamp.as_deref())),
        },
    )
}

pub fn run(ctx: &mut Ctx, a: Args) -> Outcome {
    let (from, to) = period(ctx, &a)?;
    let reports = reports(ctx, a.area.as_deref(), from, to)?;
    render(ctx, &a.out, &reports, a.area.is_some(), from, to)
}

/// The ASM's monthly purchasing activity report to AMT: the wash-up's figures over a calendar
/// month.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Example:\n  hcp report monthly --area \"Canterbury & Coastal\" --month 2026-11 --format html --output nov.html"
)]
pub struct MonthlyArgs {
    /// The area.
    #[arg(long, value_name = "A")]
    pub area: String,
    /// The month, YYYY-MM (default: last month).
    #[arg(long, value_name = "YYYY-MM")]
    pub month: Option<String>,
    #[command(flatten)]
    pub out: Out,
}

pub fn monthly(ctx: &mut Ctx, a: MonthlyArgs) -> Outcome {
    use chrono::Datelike;
    let first = match &a.month {
        Some(m) => NaiveDate::parse_from_str(&format!("{}-01", m.trim()), "%Y-%m-%d").map_err(|_| {
            UserError::usage(format!("--month '{m}' is not a month")).hint("write it as YYYY-MM, e.g. 2026-11")
        })?,
        None => {
            let t = ctx.today().with_day(1).unwrap_or_else(|| ctx.today());
            t.checked_sub_months(chrono::Months::new(1)).unwrap_or(t)
        }
    };
    let last = first.checked_add_months(chrono::Months::new(1)).map_or(first, |n| n - chrono::Duration::days(1));
    let reports = reports(ctx, Some(&a.area), first, last)?;
    render(ctx, &a.out, &reports, true, first, last)
}
