//! `hcp due`: the PO's worklist — every open deadline, soonest first, overdue marked.

use super::ctx::Ctx;
use super::{output, Exit, Outcome};
use crate::domain::dates::{json_instant, show_instant};
use crate::domain::due::{referral_deadlines, DueKind};
use crate::domain::model::State;
use crate::domain::responses::effective_state;
use crate::store::{events, providers, reference, referrals};
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::collections::HashSet;

/// Every open deadline: offers about to lapse (minutes left), considering answer-by times,
/// confirmation forms (2 hours after acceptance), SDOs and financial assessments (2 working days).
#[derive(Debug, clap::Args)]
#[command(after_help = "Example:\n  hcp due\n  hcp due --area Thanet --json\n  hcp due --mine")]
pub struct Args {
    /// Only referrals in this area.
    #[arg(long, value_name = "A")]
    pub area: Option<String>,
    /// Only referrals this user has worked on (recorded events).
    #[arg(long)]
    pub mine: bool,
}

/// One line of the worklist (SPEC §17 `due` JSON).
#[derive(Debug, Serialize)]
pub struct DueItem {
    /// The referral, or none for a provider's deadline (a teleconference, an exit debrief).
    pub referral: Option<i64>,
    #[serde(skip)]
    pub name: String,
    pub what: DueKind,
    pub description: String,
    /// In JSON as `due`: London time with its offset (written only when JSON is asked for).
    #[serde(rename = "due", serialize_with = "london_instant")]
    pub due_at: DateTime<Utc>,
    pub overdue: bool,
    pub minutes_left: i64,
    pub provider: Option<String>,
}

fn london_instant<S: serde::Serializer>(t: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&json_instant(*t))
}

const STATES: &[State] = &[State::Offered, State::Considering, State::Accepted, State::Confirmed];

/// Every open deadline, soonest first. The deadlines of reviews and providers are read on a
/// second connection and thread while this one reads the referrals' (two independent reads; a
/// national list holds thousands of each).
pub fn worklist(ctx: &mut Ctx, area: Option<&str>, mine: bool) -> anyhow::Result<Vec<DueItem>> {
    let (now, user, db_path) = (ctx.now, ctx.user.clone(), ctx.db_path.clone());
    let pir_days = ctx.rules()?.pir_target_days;
    let conn = ctx.store()?.conn();
    let area_id = area.map(|a| reference::find_area(conn, a)).transpose()?.map(|a| a.id);
    let mine: Option<HashSet<i64>> = if mine { Some(events::referrals_touched_by(conn, &user)?) } else { None };
    let mut items = std::thread::scope(|scope| -> anyhow::Result<Vec<DueItem>> {
        let others = scope.spawn(|| -> anyhow::Result<Vec<DueItem>> {
            let store = crate::store::Store::open_existing(&db_path)?;
            let mut out = Vec::new();
            if mine.is_none() {
                out.extend(provider_deadlines(store.conn(), now)?);
            }
            out.extend(pir_deadlines(store.conn(), area_id, mine.as_ref(), now, pir_days)?);
            Ok(out)
        });
        let mut items = referral_items(conn, area_id, mine.as_ref(), now)?;
        items.extend(others.join().map_err(|_| anyhow::anyhow!("reading the reviews' deadlines stopped"))??);
        Ok(items)
    })?;
    items.sort_by(|a, b| a.due_at.cmp(&b.due_at).then(a.referral.cmp(&b.referral)));
    Ok(items)
}

/// The deadlines of referrals still being placed (and financial assessments outstanding).
fn referral_items(
    conn: &rusqlite::Connection,
    area_id: Option<i64>,
    mine: Option<&HashSet<i64>>,
    now: DateTime<Utc>,
) -> anyhow::Result<Vec<DueItem>> {
    let names = providers::names(conn)?;
    let mut items = Vec::new();
    for (r, last) in referrals::open_work_deadlines(conn, STATES, area_id)? {
        if mine.is_some_and(|m| !m.contains(&r.id)) {
            continue;
        }
        let state = effective_state(r.state, last.as_ref(), now);
        for d in referral_deadlines(&r, state, last.as_ref(), now) {
            let description = match &d.note {
                Some(n) => format!("{}: {n}", d.kind.plain()),
                None => d.kind.plain().to_string(),
            };
            items.push(DueItem {
                referral: Some(r.id),
                name: r.name.clone(),
                what: d.kind,
                description,
                due_at: d.due,
                overdue: d.due < now,
                minutes_left: (d.due - now).num_minutes(),
                provider: d.provider_id.and_then(|p| names.get(&p).cloned()),
            });
        }
    }
    Ok(items)
}

fn item(
    referral: Option<i64>,
    name: String,
    kind: DueKind,
    note: String,
    due: DateTime<Utc>,
    now: DateTime<Utc>,
    provider: Option<String>,
) -> DueItem {
    DueItem {
        referral,
        name,
        what: kind,
        description: format!("{}: {note}", kind.plain()),
        due_at: due,
        overdue: due < now,
        minutes_left: (due - now).num_minutes(),
        provider,
    }
}

/// First reviews not yet booked (SPEC §10): due by the end of the window's last day, shown once
/// the window is less than a fortnight away (overdue after it).
fn pir_deadlines(
    conn: &rusqlite::Connection,
    area: Option<i64>,
    mine: Option<&HashSet<i64>>,
    now: DateTime<Utc>,
    target_days: i64,
) -> anyhow::Result<Vec<DueItem>> {
    let today = crate::domain::dates::london_date(now);
    let mut out = Vec::new();
    for (id, name, known_to_act, start) in crate::store::reviews::to_book(conn, area)? {
        if mine.is_some_and(|m| !m.contains(&id)) {
            continue;
        }
        let w = crate::domain::review::window(known_to_act, start, target_days);
        if w.from - chrono::Duration::days(14) > today {
            continue;
        }
        let note =
            format!("window {} to {}", crate::domain::dates::show_date(w.from), crate::domain::dates::show_date(w.to));
        let due = crate::domain::dates::end_of_london_day(w.to);
        out.push(item(Some(id), name, DueKind::PirBooking, note, due, now, None));
    }
    for e in crate::store::flex::list(conn, true, None)? {
        if mine.is_some_and(|m| !m.contains(&e.referral_id)) {
            continue;
        }
        let due = crate::domain::flex::day7_due(e.from);
        out.push(item(
            Some(e.referral_id),
            e.client_name.clone(),
            DueKind::FlexDay7,
            e.provider.clone(),
            due,
            now,
            Some(e.provider),
        ));
    }
    for (id, name, ais_due) in crate::store::reviews::ais_open(conn)? {
        if mine.is_some_and(|m| !m.contains(&id)) {
            continue;
        }
        let due = crate::domain::dates::end_of_london_day(ais_due);
        out.push(item(Some(id), name, DueKind::AisUpdate, "after the review".into(), due, now, None));
    }
    Ok(out)
}

/// Deadlines about providers (SPEC §9): the ASM's teleconferences after a multiple handback, an
/// exit's debrief (two weeks) and SWIFT contract review (three months after the exit), and a
/// sanctioned provider's current clients to review while no joint decision covers them.
fn provider_deadlines(conn: &rusqlite::Connection, now: DateTime<Utc>) -> anyhow::Result<Vec<DueItem>> {
    use crate::domain::waiting::Rule;
    let mut out = Vec::new();
    let rules = [Rule::MultipleHandbackTeleconference, Rule::ProviderTeleconference, Rule::ExitDebrief];
    for e in crate::store::escalations::open_with_rules(conn, &rules)? {
        let (kind, after) = match e.rule {
            Rule::MultipleHandbackTeleconference => (DueKind::Teleconference, chrono::Duration::hours(24)),
            Rule::ProviderTeleconference => (DueKind::Teleconference, chrono::Duration::hours(48)),
            Rule::ExitDebrief => (DueKind::ExitDebrief, chrono::Duration::days(14)),
            _ => continue,
        };
        let p = e.provider.clone().unwrap_or_default();
        out.push(item(None, p.clone(), kind, e.note.clone().unwrap_or_default(), e.raised_at + after, now, Some(p)));
    }
    for x in crate::store::exits::all(conn)? {
        let review = x.end_date.checked_add_months(chrono::Months::new(3)).unwrap_or(x.end_date);
        // Shown from the exit until a fortnight after the review date.
        if crate::domain::dates::london_date(now) <= review + chrono::Duration::days(14) {
            let due = crate::domain::dates::end_of_london_day(review);
            out.push(item(
                None,
                x.provider.clone(),
                DueKind::ContractReview,
                format!("{} exit", x.exit_type),
                due,
                now,
                Some(x.provider.clone()),
            ));
        }
    }
    for p in providers::list(conn)?.into_iter().filter(|p| p.sanctioned) {
        for r in referrals::placed_with(conn, p.id)? {
            let allowed = crate::store::escalations::decisions_for(conn, r.id)?.allowed_sanctioned.contains(&p.id);
            if !allowed {
                out.push(item(
                    Some(r.id),
                    r.name.clone(),
                    DueKind::SanctionReview,
                    format!("{} is under sanction", p.name),
                    now,
                    now,
                    Some(p.name.clone()),
                ));
            }
        }
    }
    Ok(out)
}

pub fn run(ctx: &mut Ctx, args: Args) -> Outcome {
    let (now, json, screen) = (ctx.now, ctx.json, ctx.screen);
    let items = worklist(ctx, args.area.as_deref(), args.mine)?;
    if json {
        output::json_list(&items)?;
        return Ok(Exit::Done);
    }
    if items.is_empty() {
        println!("Nothing due.");
        return Ok(Exit::Done);
    }
    const HEADERS: [&str; 6] = ["Due", "Left", "Referral", "Client", "What", "Provider"];
    let rows: Vec<Vec<String>> = items
        .iter()
        .map(|i| {
            let mins = i.minutes_left;
            let left = if mins < 0 {
                "OVERDUE".to_string()
            } else if mins < 24 * 60 {
                format!("{}h {:02}m", mins / 60, mins % 60)
            } else {
                let days = mins / (24 * 60);
                format!("{days} day{}", if days == 1 { "" } else { "s" })
            };
            vec![
                show_instant(i.due_at),
                left,
                i.referral.map(|r| r.to_string()).unwrap_or_default(),
                output::clean(&i.name),
                output::clean(&i.description),
                output::clean(&i.provider.clone().unwrap_or_default()),
            ]
        })
        .collect();
    if !screen.colour && screen.width.is_none() {
        // A file or a pipe: nothing to colour or fit to (a national list is drawn on two threads).
        println!("{}", output::plain_table(&HEADERS, &rows));
        return Ok(Exit::Done);
    }
    let mut t = output::table(&HEADERS);
    if screen.colour {
        t.enforce_styling();
    }
    for (i, row) in items.iter().zip(rows) {
        let mut row: Vec<comfy_table::Cell> = row.into_iter().map(comfy_table::Cell::new).collect();
        if i.due_at < now && screen.colour {
            row = row.into_iter().map(|c| c.fg(comfy_table::Color::Red)).collect();
        }
        t.add_row(row);
    }
    println!("{t}");
    Ok(Exit::Done)
}
