//! `hcp pir schedule|record`: post-implementation reviews (SPEC §10) — the reviews still to
//! book with their windows, booking one (the case-worker email, the client's letter, a calendar
//! invitation), and recording it with its AIS update deadline.

mod record;

use super::ctx::{parse_date_arg, Ctx};
use super::view::load_referral;
use super::{output, Exit, Outcome};
use crate::domain::dates::{json_instant, london_to_utc, show_date};
use crate::domain::model::State;
use crate::domain::review::{check_booking, window_for};
use crate::error::UserError;
use crate::io::files::{check, write_private, Target};
use crate::io::pir::{email, ics, letter_html, letter_text, written_out, PirDocs};
use crate::store::events::Event;
use crate::store::referrals::Referral;
use crate::store::{providers, reference, reviews};
use chrono::{NaiveDate, NaiveTime};
use serde::Serialize;
use serde_json::json;
use std::path::PathBuf;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    Schedule(ScheduleArgs),
    Record(RecordArgs),
    AisUpdated(AisArgs),
}

/// AIS/Swift has been updated after the review: the deadline is met.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example:\n  hcp pir ais-updated 12\n  hcp pir ais-updated 12 --on 2026-12-22")]
pub struct AisArgs {
    /// The referral whose review it was.
    pub id: i64,
    /// The day it was updated (default today).
    #[arg(long, value_name = "D")]
    pub on: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Location {
    Home,
    Phone,
    Other,
}

/// Without an id: the reviews still to book, soonest target first, with their windows. With an
/// id and --date/--time/--worker: book it and write the email, the letter and the invitation.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  hcp pir schedule
  hcp pir schedule 12 --date 2027-01-12 --time 10:00 --worker \"Sam Case\" --worker-email sam.case@example.org
  hcp pir schedule 12 --date 2027-01-27 --time 10:00 --worker \"Sam Case\" --force --reason \"family away\"

Known to ACT: the review is 28 days after the start. New to ACT: 14 to 56 days after the start;
hcp proposes 42 (setting pir.target_days). A minor change needs no new review.")]
pub struct ScheduleArgs {
    /// The referral to book (leave out to list the reviews to book).
    pub id: Option<i64>,
    /// Only this area (the list).
    #[arg(long, value_name = "A")]
    pub area: Option<String>,
    /// The review date.
    #[arg(long, value_name = "D", requires_all = ["time", "worker"])]
    pub date: Option<String>,
    /// The review time, HH:MM London time.
    #[arg(long, value_name = "HH:MM", requires = "date")]
    pub time: Option<String>,
    /// The case worker (PIR worker) who holds the review.
    #[arg(long, value_name = "W", requires = "date")]
    pub worker: Option<String>,
    /// The worker's email address (the To: line of the email).
    #[arg(long, value_name = "E")]
    pub worker_email: Option<String>,
    /// Where the review is held.
    #[arg(long, value_enum, default_value_t = Location::Home)]
    pub location: Location,
    /// The folder for the three files (default: the current folder).
    #[arg(long, value_name = "DIR")]
    pub output_dir: Option<PathBuf>,
    /// Book outside the window (with --reason), and replace existing files.
    #[arg(long)]
    pub force: bool,
    /// Why the review is booked outside its window (kept on the audit log).
    #[arg(long, value_name = "R")]
    pub reason: Option<String>,
}

/// Record a held review: closes it and opens the AIS update deadline (5 working days).
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Example:\n  hcp pir record 12 --reviewed 2026-12-17 --outcome continue\n  hcp pir record 12 --reviewed 2027-01-12 --outcome change --paperwork 2027-01-14"
)]
pub struct RecordArgs {
    /// The referral whose review was held.
    pub id: i64,
    /// The day the review was held.
    #[arg(long, value_name = "D")]
    pub reviewed: String,
    /// continue, change or end.
    #[arg(long, value_parser = ["continue", "change", "end"])]
    pub outcome: String,
    /// The day the review paperwork arrived (new to ACT); default the review day.
    #[arg(long, value_name = "D")]
    pub paperwork: Option<String>,
}

pub fn run(ctx: &mut Ctx, c: Command) -> Outcome {
    match c {
        Command::Schedule(a) if a.id.is_some() && a.date.is_some() => book(ctx, a),
        Command::Schedule(a) if a.id.is_some() => {
            Err(UserError::usage("booking a review needs --date, --time and --worker")
                .hint("hcp pir schedule ID --date 2027-01-12 --time 10:00 --worker \"Sam Case\"")
                .into())
        }
        Command::Schedule(a) => list(ctx, a),
        Command::Record(a) => record::record(ctx, a),
        Command::AisUpdated(a) => record::ais_updated(ctx, a),
    }
}

/// One review to book (SPEC §17 `pir schedule` JSON).
#[derive(Debug, Serialize)]
pub struct ToBook {
    pub referral: i64,
    pub client_id: String,
    pub known_to_act: bool,
    pub start: NaiveDate,
    pub window_from: NaiveDate,
    pub window_to: NaiveDate,
    pub target: NaiveDate,
    pub booked_for: Option<String>,
    pub worker: Option<String>,
}

fn list(ctx: &mut Ctx, a: ScheduleArgs) -> Outcome {
    let days = ctx.rules()?.pir_target_days;
    let conn = ctx.store()?.conn();
    let area = a.area.as_deref().map(|n| reference::find_area(conn, n)).transpose()?;
    let mut items = Vec::new();
    for r in crate::store::referrals::placed_unreviewed(conn, area.map(|x| x.id))? {
        let w = window_for(&r, days);
        let b = reviews::latest_booking(conn, r.id)?;
        items.push(ToBook {
            referral: r.id,
            client_id: r.client_id.clone(),
            known_to_act: r.known_to_act,
            start: r.care_start(),
            window_from: w.from,
            window_to: w.to,
            target: w.target,
            booked_for: b.as_ref().and_then(|b| london_to_utc(b.booked_for)).map(json_instant),
            worker: b.map(|b| b.worker),
        });
    }
    items.sort_by_key(|i| (i.target, i.referral));
    if ctx.json {
        output::json(&items);
        return Ok(Exit::Done);
    }
    if items.is_empty() {
        println!("No reviews to book.");
        return Ok(Exit::Done);
    }
    let today = ctx.today();
    let mut t = output::table(&["referral", "client id", "ACT", "start", "window", "target", "booked"]);
    for i in &items {
        let late = if i.booked_for.is_none() && today > i.window_to { " OVERDUE" } else { "" };
        output::row(
            &mut t,
            vec![
                i.referral.to_string(),
                i.client_id.clone(),
                if i.known_to_act { "known" } else { "new" }.to_string(),
                show_date(i.start),
                format!("{} – {}{late}", show_date(i.window_from), show_date(i.window_to)),
                show_date(i.target),
                i.worker.clone().unwrap_or_else(|| "not yet".into()),
            ],
        );
    }
    println!("{t}");
    Ok(Exit::Done)
}

pub(super) fn placed_for_review(r: &Referral) -> anyhow::Result<()> {
    if !matches!(r.state, State::Confirmed | State::Active) {
        return Err(UserError::new(format!(
            "referral {} is {}; a review is booked once the placement is confirmed",
            r.id, r.state
        ))
        .hint("confirm the placement first: hcp confirm ID --start D")
        .into());
    }
    if r.minor_change {
        return Err(UserError::new(format!(
            "referral {} is a minor change to an existing package: no new review",
            r.id
        ))
        .into());
    }
    Ok(())
}

/// The booking's date, time (as typed), London time and worker, each checked.
fn booking_inputs(a: &ScheduleArgs) -> anyhow::Result<(NaiveDate, String, chrono::NaiveDateTime, String)> {
    let date = parse_date_arg("--date", a.date.as_deref().unwrap_or_default())?;
    let time_s = a.time.clone().unwrap_or_default();
    let time = NaiveTime::parse_from_str(time_s.trim(), "%H:%M").map_err(|_| {
        UserError::usage(format!("--time '{time_s}' is not a time")).hint("write it as HH:MM, e.g. 10:00")
    })?;
    let when = date.and_time(time);
    if london_to_utc(when).is_none() {
        return Err(UserError::usage(format!("{} does not exist in London time", written_out(when))).into());
    }
    let worker = crate::domain::text::visible(a.worker.as_deref().unwrap_or_default().trim());
    if worker.is_empty() {
        return Err(UserError::usage("--worker is blank").hint("name the case worker who holds the review").into());
    }
    if let Some(e) = &a.worker_email {
        crate::domain::text::check_email(e).map_err(|why| UserError::usage(format!("--worker-email '{e}' {why}")))?;
    }
    Ok((date, time_s.trim().to_string(), when, worker))
}

fn book(ctx: &mut Ctx, a: ScheduleArgs) -> Outcome {
    let id = a.id.unwrap_or_default();
    let (date, time_s, when, worker) = booking_inputs(&a)?;
    let r = load_referral(ctx.store()?.conn(), id)?;
    placed_for_review(&r)?;
    let rules = ctx.rules()?;
    let w = window_for(&r, rules.pir_target_days);
    if !rules.calendar.is_working_day(date) {
        output::warn(format!("{} is a weekend day or a bank holiday", date.format("%A %-d %B %Y")));
    }
    let forced = if a.force { a.reason.as_deref() } else { None };
    check_booking(&w, date, forced)?;
    let conn = ctx.store()?.conn();
    if reviews::reviewed(conn, id)?.is_some() {
        return Err(UserError::new(format!("referral {id}'s review is already recorded")).into());
    }
    let previous = reviews::latest_booking(conn, id)?;
    let sequence = previous.as_ref().map_or(0, |b| b.sequence + 1);
    let uid = previous
        .map_or_else(|| format!("hcp-pir-{id}-{}@kent.gov.uk", r.created_at.format("%Y%m%dT%H%M%SZ")), |b| b.uid);
    let provider = match r.provider_id {
        Some(p) => providers::names(conn)?.get(&p).cloned(),
        None => None,
    };
    let location = match a.location {
        Location::Home => "home",
        Location::Phone => "phone",
        Location::Other => "other",
    };
    let docs = PirDocs {
        referral: id,
        client_id: r.client_id.clone(),
        name: r.name.clone(),
        address: [r.address.clone(), r.postcode.clone()].into_iter().flatten().collect(),
        next_of_kin: r.next_of_kin.clone(),
        call_times: r.call_times.iter().map(|t| t.format("%H:%M").to_string()).collect(),
        provider,
        worker: worker.clone(),
        worker_email: a.worker_email.clone(),
        location: location.into(),
        when,
        uid: uid.clone(),
        sequence: sequence as u32,
        stamp: ctx.now,
    };
    let dir = a.output_dir.clone().unwrap_or_else(|| PathBuf::from("."));
    let stem = format!("pir-{id}-{sequence}");
    let paths = [
        dir.join(format!("{stem}-email.txt")),
        dir.join(format!("{stem}-letter.txt")),
        dir.join(format!("{stem}-letter.html")),
        dir.join(format!("{stem}.ics")),
    ];
    let targets: Vec<Target> = paths.iter().map(|p| Target { path: p.clone(), force: a.force }).collect();
    for t in &targets {
        check(t, &ctx.db_path)?;
    }
    let bodies = [email(&docs), letter_text(&docs), letter_html(&docs), ics(&docs)?];
    let (now_s, user) = (ctx.now_str(), ctx.user.clone());
    let reason = forced.map(str::to_string);
    ctx.store()?.write(|tx| {
        reviews::book(
            tx,
            id,
            &uid,
            sequence,
            when,
            &worker,
            a.worker_email.as_deref(),
            location,
            reason.as_deref(),
            &now_s,
            &user,
        )?;
        Event::new(if sequence == 0 { "PIR booked" } else { "PIR re-booked" }, "pir", &now_s, &now_s, &user)
            .on(Some(id), Some(id))
            .details(json!({ "date": date, "time": time_s, "worker": worker, "location": location,
                             "sequence": sequence, "outside_window": !w.contains(date), "reason": reason }))
            .append(tx)
    })?;
    let mut written = Vec::new();
    for (t, body) in targets.iter().zip(bodies.iter()) {
        written.push(write_private(t, &ctx.db_path, body.as_bytes())?);
    }
    print_booking(ctx.json, id, when, &worker, sequence, &written);
    Ok(Exit::Done)
}

fn print_booking(json: bool, id: i64, when: chrono::NaiveDateTime, worker: &str, sequence: i64, written: &[PathBuf]) {
    let show = |p: &PathBuf| p.display().to_string();
    if json {
        output::json(&json!({
            "referral": id, "booked_for": london_to_utc(when).map(json_instant), "worker": worker, "sequence": sequence,
            "files": { "email": show(&written[0]), "letter": show(&written[1]), "letter_html": show(&written[2]), "ics": show(&written[3]) }
        }));
    } else {
        println!("Review for referral {id} booked for {} with {worker}.", written_out(when));
        for p in written {
            println!("  wrote {}", p.display());
        }
    }
}
