//! `hcp exit status|update|report P`: the provider-exit tracker (seed 001) — one row per client
//! of the exiting provider, every funding type, rated by risk, filled in until every client is safe.

use super::ctx::{parse_time_arg, Ctx};
use super::output::{self, Col, Text};
use super::{Exit, Outcome};
use crate::domain::dates::{json_instant, show_date, show_instant};
use crate::domain::handback::{exit_rag, safe};
use crate::domain::model::{ExitType, Rag};
use crate::domain::record::show_call_times;
use crate::error::UserError;
use crate::store::events::Event;
use crate::store::exits::{self, ProviderExit, TrackerRow};
use crate::store::{providers, reference, referrals};
use serde::Serialize;
use serde_json::json;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// The mobilisation team's daily sheet: every client of the exiting provider and how far
    /// each has got (table on a terminal, CSV for Excel, JSON).
    #[command(
        after_help = "Example:\n  hcp exit status \"Alpha Care\"\n  hcp exit status \"Alpha Care\" --format csv > tracker.csv"
    )]
    Status(StatusArgs),
    /// Fill in a client's row: incoming provider, contact made, new SDO shared, safety check,
    /// in hospital.
    #[command(
        after_help = "Example:\n  hcp exit update \"Alpha Care\" --referral 12 --incoming \"Beta Care\" --contacted \"2026-11-24 10:00\"\n  hcp exit update \"Alpha Care\" --referral 12 --sdo-shared \"2026-11-25 09:00\" --safety-check \"2026-11-27 11:00\""
    )]
    Update(UpdateArgs),
    /// The post-exit summary: clients moved, days to safe, by RAG.
    #[command(after_help = "Example:\n  hcp exit report \"Alpha Care\"")]
    Report(ReportArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Csv,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct StatusArgs {
    /// The exiting provider.
    pub provider: String,
    /// table, csv or json (default: table; json with --json).
    #[arg(long, value_enum)]
    pub format: Option<Format>,
}

#[derive(Debug, clap::Args)]
pub struct UpdateArgs {
    /// The exiting provider.
    pub provider: String,
    /// The client's referral id.
    #[arg(long, value_name = "ID")]
    pub referral: i64,
    /// The provider taking the client on.
    #[arg(long, value_name = "Q")]
    pub incoming: Option<String>,
    /// When the client (or family) was contacted.
    #[arg(long, value_name = "T")]
    pub contacted: Option<String>,
    /// When the new SDO was shared with the incoming provider.
    #[arg(long, value_name = "T")]
    pub sdo_shared: Option<String>,
    /// When the safety check was done.
    #[arg(long, value_name = "T")]
    pub safety_check: Option<String>,
    /// The client is in hospital.
    #[arg(long, conflicts_with = "out_of_hospital")]
    pub in_hospital: bool,
    /// The client is out of hospital.
    #[arg(long)]
    pub out_of_hospital: bool,
}

#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// The exiting provider.
    pub provider: String,
}

/// One client on the tracker (SPEC §17).
#[derive(Debug, Serialize)]
struct ClientJson {
    referral: i64,
    client_id: String,
    name: String,
    rag: Rag,
    lives_alone: bool,
    dementia: bool,
    hours_per_week: f64,
    funding: Option<crate::domain::model::Funding>,
    in_hospital: bool,
    next_of_kin: Option<String>,
    address: Option<String>,
    call_times: String,
    incoming_provider: Option<String>,
    contacted_at: Option<String>,
    sdo_shared_at: Option<String>,
    safety_check_at: Option<String>,
    safe: bool,
}

#[derive(Debug, Serialize)]
struct TrackerJson {
    provider: String,
    exit_type: ExitType,
    notified: String,
    end: chrono::NaiveDate,
    total: usize,
    safe: usize,
    clients: Vec<ClientJson>,
}

fn find_exit(ctx: &mut Ctx, provider: &str) -> anyhow::Result<ProviderExit> {
    let conn = ctx.store()?.conn();
    let p = reference::find_provider(conn, provider)?;
    exits::latest_for(conn, p.id)?.ok_or_else(|| {
        UserError::new(format!("{} has no exit recorded", p.name))
            .hint(format!(
                "open one with: hcp handback multiple --provider \"{}\" --notified T --end D --all --exit planned",
                p.name
            ))
            .into()
    })
}

fn tracker(ctx: &mut Ctx, x: &ProviderExit) -> anyhow::Result<TrackerJson> {
    let conn = ctx.store()?.conn();
    let high = crate::store::setting_num(
        conn,
        "exit.high_hours_minutes",
        crate::domain::settings::default_of("exit.high_hours_minutes"),
    )?;
    let mut clients = Vec::new();
    for row in exits::clients(conn, x.id)? {
        let Some(r) = referrals::get(conn, row.referral_id)? else { continue };
        let ok = safe(row.incoming_provider_id.is_some(), row.safety_check_at.is_some());
        clients.push(ClientJson {
            referral: r.id,
            client_id: r.client_id.clone(),
            name: r.name.clone(),
            rag: exit_rag(r.lives_alone, r.weekly_minutes, r.dementia, high),
            lives_alone: r.lives_alone,
            dementia: r.dementia,
            hours_per_week: crate::domain::text::hours_json(r.weekly_minutes),
            funding: r.funding,
            in_hospital: row.in_hospital,
            next_of_kin: r.next_of_kin.clone(),
            address: r.address.clone(),
            call_times: show_call_times(&r.call_times),
            incoming_provider: row.incoming_provider.clone(),
            contacted_at: row.contacted_at.map(json_instant),
            sdo_shared_at: row.sdo_shared_at.map(json_instant),
            safety_check_at: row.safety_check_at.map(json_instant),
            safe: ok,
        });
    }
    // Red first, then amber, then green: who to reach first.
    clients.sort_by_key(|c| (c.rag != Rag::Red, c.rag != Rag::Amber, c.referral));
    Ok(TrackerJson {
        provider: x.provider.clone(),
        exit_type: x.exit_type,
        notified: json_instant(x.notified_at),
        end: x.end_date,
        total: clients.len(),
        safe: clients.iter().filter(|c| c.safe).count(),
        clients,
    })
}

pub fn run(ctx: &mut Ctx, c: Command) -> Outcome {
    match c {
        Command::Status(a) => status(ctx, a),
        Command::Update(a) => update(ctx, a),
        Command::Report(a) => report(ctx, a),
    }
}

fn status(ctx: &mut Ctx, a: StatusArgs) -> Outcome {
    let x = find_exit(ctx, &a.provider)?;
    let t = tracker(ctx, &x)?;
    let format = a.format.unwrap_or(if ctx.json { Format::Json } else { Format::Table });
    let cells = |c: &ClientJson| -> Vec<String> {
        let when = |s: &Option<String>| s.clone().unwrap_or_default();
        vec![
            c.referral.to_string(),
            c.client_id.clone(),
            c.name.clone(),
            c.rag.as_str().to_string(),
            if c.lives_alone { "yes".into() } else { String::new() },
            if c.dementia { "yes".into() } else { String::new() },
            c.hours_per_week.to_string(),
            if c.in_hospital { "in hospital".into() } else { String::new() },
            c.next_of_kin.clone().unwrap_or_default(),
            c.call_times.clone(),
            c.incoming_provider.clone().unwrap_or_default(),
            when(&c.contacted_at),
            when(&c.sdo_shared_at),
            when(&c.safety_check_at),
            if c.safe { "safe".into() } else { String::new() },
        ]
    };
    const HEADERS: [&str; 15] = [
        "Referral",
        "Client",
        "Name",
        "RAG",
        "Lives alone",
        "Dementia",
        "Hours",
        "Hospital",
        "Next of kin",
        "Call times",
        "Incoming provider",
        "Contacted",
        "SDO shared",
        "Safety check",
        "Safe",
    ];
    match format {
        Format::Json => output::json(&t),
        Format::Csv => {
            let mut w =
                csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(std::io::stdout().lock());
            w.write_record(HEADERS)?;
            for c in &t.clients {
                w.write_record(cells(c).iter().map(|s| crate::io::packages::neutralise_formula(s).into_owned()))?;
            }
            w.flush()?;
        }
        Format::Table => {
            println!(
                "{} exit ({}): care ends {}; {} of {} clients safe.",
                t.provider,
                t.exit_type,
                show_date(t.end),
                t.safe,
                t.total
            );
            let priorities = [9, 10, 10, 9, 6, 6, 5, 7, 4, 3, 8, 5, 5, 5, 9];
            let cols: Vec<Col> = HEADERS
                .iter()
                .zip(priorities)
                .map(|(h, p)| Col {
                    header: h,
                    priority: p,
                    wrap: matches!(*h, "Name" | "Next of kin" | "Incoming provider"),
                })
                .collect();
            let rows: Vec<Vec<Text>> = t
                .clients
                .iter()
                .map(|c| {
                    let mut row: Vec<Text> = cells(c).into_iter().map(Text::from).collect();
                    row[3].colour = Some(output::rag_colour(c.rag));
                    row
                })
                .collect();
            println!("{}", output::fitted(&ctx.screen, &cols, &rows));
        }
    }
    Ok(Exit::Done)
}

fn update(ctx: &mut Ctx, a: UpdateArgs) -> Outcome {
    let x = find_exit(ctx, &a.provider)?;
    let time = |flag: &str, v: &Option<String>| v.as_deref().map(|s| parse_time_arg(flag, s)).transpose();
    let (contacted, sdo, check) = (
        time("--contacted", &a.contacted)?,
        time("--sdo-shared", &a.sdo_shared)?,
        time("--safety-check", &a.safety_check)?,
    );
    let (now_s, user) = (ctx.now_str(), ctx.user.clone());
    ctx.store()?.write(|tx| {
        let rows = exits::clients(tx, x.id)?;
        let before = rows.into_iter().find(|r| r.referral_id == a.referral).ok_or_else(|| {
            UserError::new(format!("referral {} is not on {}'s exit tracker", a.referral, x.provider))
                .hint(format!("`hcp exit status \"{}\"` lists its clients", x.provider))
        })?;
        let mut row: TrackerRow = before.clone();
        if let Some(q) = &a.incoming {
            let p = providers::get(tx, reference::find_provider(tx, q)?.id)?;
            if p.id == x.provider_id {
                return Err(UserError::new("the incoming provider cannot be the one leaving").into());
            }
            row.incoming_provider_id = Some(p.id);
            row.incoming_provider = Some(p.name);
        }
        row.contacted_at = contacted.or(row.contacted_at);
        row.sdo_shared_at = sdo.or(row.sdo_shared_at);
        row.safety_check_at = check.or(row.safety_check_at);
        if a.in_hospital || a.out_of_hospital {
            row.in_hospital = a.in_hospital;
        }
        exits::update_client(tx, x.id, &row)?;
        let show = |r: &TrackerRow| {
            json!({ "incoming": r.incoming_provider, "contacted_at": r.contacted_at.map(json_instant),
                    "sdo_shared_at": r.sdo_shared_at.map(json_instant), "safety_check_at": r.safety_check_at.map(json_instant),
                    "in_hospital": r.in_hospital })
        };
        Event::new("exit tracker updated", "exit", &now_s, &now_s, &user)
            .on(Some(x.id), Some(a.referral))
            .details(json!({ "provider": x.provider }))
            .change(Some(show(&before)), Some(show(&row)))
            .append(tx)?;
        Ok(())
    })?;
    let t = tracker(ctx, &x)?;
    if ctx.json {
        output::json(&t);
    } else {
        println!(
            "Referral {} updated on {}'s tracker: {} of {} clients safe.",
            a.referral, x.provider, t.safe, t.total
        );
    }
    Ok(Exit::Done)
}

fn report(ctx: &mut Ctx, a: ReportArgs) -> Outcome {
    let x = find_exit(ctx, &a.provider)?;
    let t = tracker(ctx, &x)?;
    let days_to_safe: Vec<i64> = t
        .clients
        .iter()
        .filter_map(|c| c.safety_check_at.as_deref().and_then(crate::domain::dates::load_instant))
        .map(|s| (s - x.notified_at).num_days())
        .collect();
    let by = |rag: Rag| {
        let of: Vec<&ClientJson> = t.clients.iter().filter(|c| c.rag == rag).collect();
        json!({ "clients": of.len(), "safe": of.iter().filter(|c| c.safe).count() })
    };
    let summary = json!({
        "provider": t.provider, "exit_type": t.exit_type, "notified": t.notified, "end": t.end,
        "clients": t.total, "moved": t.clients.iter().filter(|c| c.incoming_provider.is_some()).count(), "safe": t.safe,
        "days_to_safe_max": days_to_safe.iter().max(), "days_to_safe_median": crate::domain::stats::median(&days_to_safe),
        "by_rag": { "red": by(Rag::Red), "amber": by(Rag::Amber), "green": by(Rag::Green) },
    });
    if ctx.json {
        output::json(&summary);
    } else {
        println!(
            "Exit of {} ({}), notice {}, care ended {}",
            t.provider,
            t.exit_type,
            show_instant(x.notified_at),
            show_date(t.end)
        );
        println!("  Clients: {}; moved to a new provider: {}; safe: {}", t.total, summary["moved"], t.safe);
        println!(
            "  Days from notice to safe: median {}, longest {}",
            summary["days_to_safe_median"], summary["days_to_safe_max"]
        );
        for rag in [Rag::Red, Rag::Amber, Rag::Green] {
            let b = by(rag);
            println!("  {:<5} {} clients, {} safe", rag.as_str(), b["clients"], b["safe"]);
        }
    }
    Ok(Exit::Done)
}
