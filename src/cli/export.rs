//! `hcp export packages [--format csv|json] [--output FILE]`: the Packages layout, so a team can
//! keep its spreadsheet while running side by side; export -> import -> export is byte-identical.

use super::ctx::Ctx;
use super::referral::list::views_in;
use super::{output, Exit, Outcome};
use crate::domain::text::show_hours;
use crate::io::files;
use crate::io::packages::{neutralise_formula, COLUMNS, EXPORTED};
use chrono::{DateTime, Utc};
use chrono_tz::Europe::London;

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
    /// Leave cells that a spreadsheet would run as formulas as they are (by default a cell
    /// starting with = + - @ tab or CR gets a leading ' so Excel shows it as text).
    #[arg(long)]
    pub raw: bool,
}

fn yes_no(b: bool) -> String {
    if b { "Yes" } else { "No" }.to_string()
}

fn local(t: Option<DateTime<Utc>>) -> String {
    t.map(|t| t.with_timezone(&London).format("%Y-%m-%d %H:%M").to_string()).unwrap_or_default()
}

pub fn run(ctx: &mut Ctx, c: Command) -> Outcome {
    let Command::Packages(args) = c;
    // --json with no file means one JSON document on stdout, like every other command.
    let format = if ctx.json && args.output.is_none() { Format::Json } else { args.format };
    let all = views_in(ctx, &[])?;
    let headers: Vec<&str> = COLUMNS[..EXPORTED].iter().map(|c| c.0).collect();
    let rows: Vec<Vec<String>> = all
        .iter()
        .map(|v| {
            let r = &v.r;
            let provider = v.provider.clone().or_else(|| {
                matches!(
                    v.state,
                    crate::domain::model::State::Offered
                        | crate::domain::model::State::Considering
                        | crate::domain::model::State::Tentative
                )
                .then(|| v.offers.last().map(|o| o.provider.clone()))
                .flatten()
            });
            let offered_at =
                if provider.is_some() { local(v.offers.last().map(|o| o.offered_at)) } else { String::new() };
            vec![
                r.client_id.clone(),
                r.name.clone(),
                r.postcode.clone().unwrap_or_default(),
                r.team.label().to_string(),
                r.referrer.clone(),
                local(Some(r.received_at)),
                r.start_date.to_string(),
                r.calls_per_day.to_string(),
                r.minutes_per_call.to_string(),
                show_hours(r.weekly_minutes),
                yes_no(r.double_handed),
                yes_no(r.lives_alone),
                yes_no(r.known_to_act),
                r.funding.map(|f| f.label().to_string()).unwrap_or_default(),
                yes_no(r.hospital_discharge),
                v.state.as_str().to_string(),
                provider.unwrap_or_default(),
                offered_at,
                r.confirmed_start.map(|d| d.to_string()).unwrap_or_default(),
                String::new(),
                r.notes.clone().unwrap_or_default(),
                r.referrer_email.clone().unwrap_or_default(),
                if r.cluster_by_hand { v.cluster.clone().unwrap_or_default() } else { String::new() },
                r.docs.iter().map(|d| d.as_str()).collect::<Vec<_>>().join(", "),
                r.risk.clone().unwrap_or_default(),
                r.time_critical.clone().unwrap_or_default(),
                yes_no(r.in_keah),
                yes_no(r.recent_keah),
                yes_no(r.bypass_keah),
                yes_no(r.dementia),
            ]
        })
        .collect();
    let text = if format == Format::Csv {
        let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new());
        w.write_record(&headers)?;
        for row in &rows {
            if args.raw {
                w.write_record(row)?;
            } else {
                w.write_record(row.iter().map(|c| neutralise_formula(c).into_owned()))?;
            }
        }
        String::from_utf8(w.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?)?
    } else {
        let list: Vec<serde_json::Value> = rows
            .iter()
            .map(|row| {
                let m: serde_json::Map<String, serde_json::Value> = headers
                    .iter()
                    .zip(row)
                    .map(|(h, v)| (h.to_ascii_lowercase().replace(' ', "_"), serde_json::Value::String(v.clone())))
                    .collect();
                serde_json::Value::Object(m)
            })
            .collect();
        serde_json::to_string_pretty(&list)? + "\n"
    };
    match &args.output {
        Some(path) => {
            let target = files::Target { path: path.clone(), force: args.force };
            files::write_private(&target, &ctx.db_path, text.as_bytes())?;
            if ctx.json && format == Format::Csv {
                output::json(&serde_json::json!({ "file": path.display().to_string(), "rows": rows.len() }));
            } else if !ctx.json {
                println!("{} packages written to {}.", rows.len(), path.display());
            }
        }
        None => print!("{text}"),
    }
    Ok(Exit::Done)
}
