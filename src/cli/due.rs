//! `hcp due`: the PO's worklist — every open deadline, soonest first, overdue marked.

use super::ctx::Ctx;
use super::{output, Exit, Outcome};
use crate::domain::dates::{end_of_london_day, json_instant, show_instant};
use crate::domain::model::State;
use crate::domain::responses::{confirmation_form_deadline, effective_state, outcome, Outcome as OfferOutcome};
use crate::store::{offers, reference, referrals};
use chrono::{DateTime, Utc};
use serde_json::json;
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

struct Item {
    referral: i64,
    name: String,
    what: String,
    due: DateTime<Utc>,
    provider: Option<String>,
}

const STATES: &[State] = &[State::Offered, State::Considering, State::Accepted, State::Confirmed];
/// Offers are needed only for these: the answer clock and the provider's name.
const WITH_OFFERS: &[State] = &[State::Offered, State::Considering, State::Accepted];

pub fn run(ctx: &mut Ctx, args: Args) -> Outcome {
    let now = ctx.now;
    let (json, user, colour) = (ctx.json, ctx.user.clone(), ctx.stdout_is_terminal);
    let conn = ctx.store()?.conn();
    let area = args.area.as_deref().map(|a| reference::find_area(conn, a)).transpose()?;
    let mine: Option<HashSet<i64>> =
        if args.mine { Some(crate::store::events::referrals_touched_by(conn, &user)?) } else { None };
    let rs = referrals::open_work(conn, STATES, area.as_ref().map(|a| a.id))?;
    let mut by = offers::for_states(conn, WITH_OFFERS)?;
    let mut items = Vec::new();
    for r in rs {
        if mine.as_ref().is_some_and(|m| !m.contains(&r.id)) {
            continue;
        }
        let os = by.remove(&r.id).unwrap_or_default();
        let latest = os.last();
        let state = effective_state(r.state, latest.map(|o| o.facts()).as_ref(), now);
        let mut push = |what: String, due: DateTime<Utc>, provider: Option<String>| {
            items.push(Item { referral: r.id, name: r.name.clone(), what, due, provider })
        };
        match state {
            State::Offered | State::Considering => {
                if let Some(o) = latest {
                    match outcome(&o.facts(), now) {
                        OfferOutcome::Awaiting { deadline } => {
                            push("offer response (2 hours)".into(), deadline, Some(o.provider.clone()))
                        }
                        OfferOutcome::Considering { until } => {
                            push("considering: answer by".into(), until, Some(o.provider.clone()))
                        }
                        _ => {}
                    }
                }
            }
            State::Accepted => {
                if let Some(at) = r.accepted_at {
                    let p = r
                        .provider_id
                        .and_then(|pid| os.iter().find(|o| o.provider_id == pid))
                        .map(|o| o.provider.clone());
                    push(
                        "confirmation form to provider (2 hours after acceptance)".into(),
                        confirmation_form_deadline(at),
                        p,
                    );
                }
            }
            _ => {}
        }
        if state == State::Confirmed && r.sdo_sent_at.is_none() {
            if let Some(d) = r.sdo_due {
                push("SDO to provider (2 working days)".into(), end_of_london_day(d), None);
            }
        }
        if matches!(state, State::Confirmed | State::Active) && r.fa_done_at.is_none() {
            if let Some(d) = r.fa_due {
                push("financial assessment (2 working days)".into(), end_of_london_day(d), None);
            }
        }
    }
    items.sort_by(|a, b| a.due.cmp(&b.due).then(a.referral.cmp(&b.referral)));
    if json {
        output::json(
            &items
                .iter()
                .map(|i| {
                    json!({
                        "referral": i.referral,
                        "what": i.what,
                        "due": json_instant(i.due),
                        "overdue": i.due < now,
                        "minutes_left": (i.due - now).num_minutes(),
                        "provider": i.provider,
                    })
                })
                .collect::<Vec<_>>(),
        );
        return Ok(Exit::Done);
    }
    if items.is_empty() {
        println!("Nothing due.");
        return Ok(Exit::Done);
    }
    let mut t = output::table(&["due", "left", "referral", "client", "what", "provider"]);
    for i in &items {
        let mins = (i.due - now).num_minutes();
        let left = if mins < 0 {
            "OVERDUE".to_string()
        } else if mins < 24 * 60 {
            format!("{}h {:02}m", mins / 60, mins % 60)
        } else {
            let days = mins / (24 * 60);
            format!("{days} day{}", if days == 1 { "" } else { "s" })
        };
        let mut row = vec![
            comfy_table::Cell::new(show_instant(i.due)),
            comfy_table::Cell::new(left),
            comfy_table::Cell::new(i.referral),
            comfy_table::Cell::new(&i.name),
            comfy_table::Cell::new(&i.what),
            comfy_table::Cell::new(i.provider.clone().unwrap_or_default()),
        ];
        if mins < 0 && colour {
            row = row.into_iter().map(|c| c.fg(comfy_table::Color::Red)).collect();
        }
        t.add_row(row);
    }
    println!("{t}");
    Ok(Exit::Done)
}
