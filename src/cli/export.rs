//! `hcp export packages [--format csv|json] [--output FILE]`: the Packages layout, so a team can
//! keep its spreadsheet while running side by side; export -> import -> export is byte-identical.

use super::ctx::Ctx;
use super::referral::list::each_view;
use super::view::ReferralView;
use super::{output, Exit, Outcome};
use crate::domain::model::State;
use crate::domain::text::show_hours;
use crate::io::files::{self, PrivateFile};
use crate::io::packages::{neutralise_formula, Layout};
use anyhow::Result;
use chrono::{DateTime, Utc};
use chrono_tz::Europe::London;
use std::io::Write;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    Packages(Args),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Csv,
    Json,
}

/// Write every referral in the Packages spreadsheet's column layout (by referral id).
#[derive(Debug, clap::Args)]
#[command(after_help = "Example:\n  hcp export packages --output packages.csv\n  hcp export packages --format json")]
pub struct Args {
    /// The file format.
    #[arg(long, value_enum, default_value_t = Format::Csv)]
    pub format: Format,
    /// Write to FILE instead of stdout (created readable by you only; never the database).
    #[arg(long, value_name = "FILE")]
    pub output: Option<std::path::PathBuf>,
    /// Replace FILE if it exists.
    #[arg(long, requires = "output")]
    pub force: bool,
    /// Use hcp's own column names and order (by default those of the last imported sheet).
    #[arg(long)]
    pub canonical: bool,
    /// Leave out the byte-order mark Excel needs to read UTF-8 (for other programs).
    #[arg(long)]
    pub no_bom: bool,
    /// Leave cells that a spreadsheet would run as formulas as they are (by default a cell
    /// starting with = + - @ tab or CR gets a leading ' so Excel shows it as text).
    #[arg(long)]
    pub raw: bool,
}

fn yes_no(b: bool) -> String {
    if b { "Yes" } else { "No" }.to_string()
}

/// A time as the sheet writes it: `02/11/2026 09:15`, or the date alone at midnight.
fn uk_time(t: Option<DateTime<Utc>>) -> String {
    let Some(t) = t.map(|t| t.with_timezone(&London)) else { return String::new() };
    if t.format("%H:%M").to_string() == "00:00" {
        t.format("%d/%m/%Y").to_string()
    } else {
        t.format("%d/%m/%Y %H:%M").to_string()
    }
}

fn uk_date(d: Option<chrono::NaiveDate>) -> String {
    d.map(|d| d.format("%d/%m/%Y").to_string()).unwrap_or_default()
}

/// A state in the words a Packages sheet uses (read back by the import).
fn status_word(s: State) -> &'static str {
    match s {
        State::Incomplete => "Incomplete",
        State::Waiting => "To be placed",
        State::Offered => "Offered",
        State::Considering => "Considering",
        State::Tentative => "Tentative",
        State::Accepted => "Accepted",
        State::Confirmed => "Confirmed",
        State::Active => "Placed",
        State::Cancelled => "Cancelled",
        State::Ended => "Ended",
    }
}

/// One cell of a referral's row, by canonical column.
fn cell(col: &str, v: &ReferralView) -> String {
    let r = &v.r;
    let provider = || {
        v.provider.clone().or_else(|| {
            matches!(v.state, State::Offered | State::Considering | State::Tentative)
                .then(|| v.offers.last().map(|o| o.provider.clone()))
                .flatten()
        })
    };
    match col {
        "Client ID" => r.client_id.clone(),
        "Client Name" => r.name.clone(),
        "Postcode" => r.postcode.clone().unwrap_or_default(),
        "Team" => r.team.label().to_string(),
        "Referrer" => r.referrer.clone(),
        "Received" => uk_time(Some(r.received_at)),
        "Requested Start" => uk_date(Some(r.start_date)),
        "Calls Per Day" => r.calls_per_day.to_string(),
        "Minutes Per Call" => r.minutes_per_call.to_string(),
        "Hours Per Week" => show_hours(r.weekly_minutes),
        "Double Handed" => yes_no(r.double_handed),
        "Lives Alone" => yes_no(r.lives_alone),
        "Known To ACT" => yes_no(r.known_to_act),
        "Funding" => r.funding.map(|f| f.label().to_string()).unwrap_or_default(),
        "Hospital Discharge" => yes_no(r.hospital_discharge),
        "Status" => status_word(v.state).to_string(),
        "Provider" => provider().unwrap_or_default(),
        "Offered At" => {
            if provider().is_some() {
                uk_time(v.offers.last().map(|o| o.offered_at))
            } else {
                String::new()
            }
        }
        "Start Date" => uk_date(r.confirmed_start),
        "Notes" => r.notes.clone().unwrap_or_default(),
        "Referrer Email" => r.referrer_email.clone().unwrap_or_default(),
        "Cluster" => v.cluster.clone().unwrap_or_default(),
        // Documents the sheet did not list are not invented: an empty cell reads back as before.
        "Documents" if r.docs_assumed => String::new(),
        "Documents" => r.docs.iter().map(|d| d.as_str()).collect::<Vec<_>>().join(", "),
        "Risk" => r.risk.clone().unwrap_or_default(),
        "Time Critical" => r.time_critical.clone().unwrap_or_default(),
        "In KEaH" => yes_no(r.in_keah),
        "Recent KEaH" => yes_no(r.recent_keah),
        "Bypass KEaH" => yes_no(r.bypass_keah),
        "Dementia" => yes_no(r.dementia),
        _ => String::new(),
    }
}

/// Write the export to `out`, a referral at a time as read from the store: CSV (with a BOM
/// unless --no-bom) or JSON. The number of rows written.
fn write_export(ctx: &mut Ctx, out: &mut dyn Write, format: Format, layout: &Layout, args: &Args) -> Result<usize> {
    let mut out = std::io::BufWriter::with_capacity(256 * 1024, out);
    if format == Format::Json {
        let mut list = output::JsonArray::new(&mut out);
        each_view(ctx, &[], None, |v| {
            let row: serde_json::Map<String, serde_json::Value> = layout
                .columns
                .iter()
                .map(|(c, _)| (c.to_ascii_lowercase().replace(' ', "_"), serde_json::Value::String(cell(c, &v))))
                .collect();
            list.push(&row)
        })?;
        return list.finish();
    }
    if !args.no_bom {
        // Excel opens a UTF-8 file with a BOM as UTF-8: Zoë and Łukasz stay themselves.
        out.write_all(b"\xEF\xBB\xBF")?;
    }
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(&mut out);
    w.write_record(layout.columns.iter().map(|(_, h)| h.as_str()))?;
    let mut n = 0;
    each_view(ctx, &[], None, |v| {
        let row = layout.columns.iter().map(|(c, _)| cell(c, &v));
        if args.raw {
            w.write_record(row)?;
        } else {
            w.write_record(row.map(|c| neutralise_formula(&c).into_owned()))?;
        }
        n += 1;
        Ok(())
    })?;
    w.flush()?;
    drop(w);
    out.flush()?;
    Ok(n)
}

pub fn run(ctx: &mut Ctx, c: Command) -> Outcome {
    let Command::Packages(args) = c;
    // --json with no file means one JSON document on stdout, like every other command.
    let format = if ctx.json && args.output.is_none() { Format::Json } else { args.format };
    let layout = if args.canonical {
        Layout::canonical()
    } else {
        Layout::remembered(&crate::store::import::sheet_layout(ctx.store()?.conn())?)
    };
    let Some(path) = &args.output else {
        write_export(ctx, &mut std::io::stdout().lock(), format, &layout, &args)?;
        return Ok(Exit::Done);
    };
    let mut f = PrivateFile::create(&files::Target { path: path.clone(), force: args.force }, &ctx.db_path)?;
    let n = write_export(ctx, &mut f, format, &layout, &args)?;
    f.finish()?;
    if ctx.json {
        output::json(&serde_json::json!({ "file": path.display().to_string(), "rows": n }));
    } else {
        println!("{n} package{} written to {}.", if n == 1 { "" } else { "s" }, path.display());
    }
    Ok(Exit::Done)
}
