//! `hcp escalate` with no arguments: every rule of SPEC §8 for every open referral, as of now.

use super::{escalation_json, print_grouped, Args};
use crate::cli::ctx::{Ctx, Rules};
use crate::cli::view::list_facts;
use crate::cli::{output, Exit, Outcome};
use crate::domain::allocation::candidates;
use crate::domain::dates::{london_date, store_instant};
use crate::domain::model::State;
use crate::domain::responses::effective_state;
use crate::domain::waiting::{escalations_due, EscalationFacts, Rule};
use crate::domain::watch::next_check;
use crate::store::escalations::{self, NewEscalation};
use crate::store::watch::{self, Scope};
use crate::store::{offers, providers, reference, referrals};
use anyhow::Result;
use chrono::{DateTime, Datelike, Utc};
use rusqlite::Connection;
use serde_json::json;
use std::collections::HashMap;

/// The build whose rules a watermark was made by: another build evaluates everything again.
const BUILD: &str = env!("CARGO_PKG_VERSION");

/// The referrals to evaluate and the offers of those on the list: every open one, or (with a
/// watermark, store::watch) only those with something new or whose next check has come.
type Work = (Vec<referrals::Referral>, HashMap<i64, Vec<offers::Offer>>);

fn work(tx: &Connection, now: DateTime<Utc>, area: Option<i64>) -> Result<Work> {
    let scope = if area.is_some() { Scope::Everything } else { watch::scope(tx, now, BUILD)? };
    match scope {
        Scope::Everything => Ok((referrals::open_work(tx, OPEN, None)?, offers::for_states(tx, ON_LIST)?)),
        Scope::Only(ids) => {
            let (work, closed): (Vec<_>, Vec<_>) =
                referrals::by_ids(tx, &ids)?.into_iter().partition(|r| referrals::in_open_work(r, OPEN));
            // No rule fires on these any more: they are looked at again only after an event.
            for r in closed {
                watch::park(tx, r.id)?;
            }
            let mut by = HashMap::new();
            for r in work.iter().filter(|r| ON_LIST.contains(&r.state)) {
                by.insert(r.id, offers::for_referral(tx, r.id)?);
            }
            Ok((work, by))
        }
    }
}

/// Raise every escalation due as of `now` (in one area, or all); the ids of those raised now.
fn evaluate(tx: &Connection, rules: &Rules, now: DateTime<Utc>, user: &str, area: Option<i64>) -> Result<Vec<i64>> {
    let now_s = store_instant(now);
    let cluster_area: HashMap<i64, i64> = reference::cluster_areas(tx)?;
    let (work, mut offers_by) = work(tx, now, area)?;
    let mut ladders = HashMap::new();
    let mut raised = Vec::new();
    for r in work {
        let area_id = r.cluster_id.and_then(|c| cluster_area.get(&c).copied());
        if area.is_some() && area_id != area {
            continue;
        }
        let os: Vec<_> = offers_by.remove(&r.id).unwrap_or_default().iter().map(|o| o.facts()).collect();
        let state = effective_state(r.state, os.last(), now);
        // Permission for non-contracted providers is asked as soon as nobody contracted is left,
        // even before a first offer (a cluster with no contracted provider at all).
        let needs = match (state.on_list(), r.cluster_id, area_id) {
            (true, Some(c), Some(a)) => {
                let ladder = match ladders.entry(c) {
                    std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                    std::collections::hash_map::Entry::Vacant(e) => e.insert(providers::ladder(tx, c, a)?),
                };
                let mut decisions = escalations::decisions_for(tx, r.id)?;
                decisions.handed_back.extend(r.handback_provider_id);
                candidates(ladder, &os, &decisions, now).needs
            }
            _ => None,
        };
        let facts = EscalationFacts::of(&r, list_facts(&r, state), &os, needs);
        if area.is_none() {
            watch::set_next_check(tx, r.id, next_check(&facts, now))?;
        }
        for d in escalations_due(&facts, &rules.calendar, &rules.thresholds, now, london_date(now)) {
            let provider_id = if d.trigger.starts_with("offer-") { os.last().map(|o| o.provider_id) } else { None };
            let e = NewEscalation {
                referral_id: Some(r.id),
                area_id: None,
                provider_id,
                rule: d.rule,
                to: d.to,
                trigger_key: &d.trigger,
                note: &d.note,
                raised_at: &now_s,
                raised_by: user,
            };
            raised.extend(escalations::raise_once(tx, &e, &now_s)?);
        }
    }
    let mut on_list_by_area = watch::on_list_by_area(tx)?;
    on_list_by_area.retain(|a, _| area.is_none_or(|only| only == *a));
    raised.extend(area_teleconferences(tx, rules, now, user, on_list_by_area)?);
    raised.extend(flex_day7(tx, now, user)?);
    if area.is_none() {
        watch::set_watermark(tx, now, BUILD)?;
    }
    Ok(raised)
}

/// A flexible care episode still open 7 days after it started: the case manager reviews the
/// package (SPEC §16).
fn flex_day7(tx: &Connection, now: DateTime<Utc>, user: &str) -> Result<Vec<i64>> {
    let now_s = store_instant(now);
    let mut raised = Vec::new();
    for e in crate::store::flex::list(tx, true, None)? {
        if crate::domain::flex::day7_due(e.from) > now {
            continue;
        }
        let trigger = format!("flex-{}", e.id);
        let note = format!(
            "flexible care with {} open since {}: the package needs review",
            e.provider,
            crate::domain::dates::show_instant(e.from)
        );
        let n = NewEscalation {
            referral_id: Some(e.referral_id),
            area_id: None,
            provider_id: None,
            rule: Rule::FlexDay7,
            to: Rule::FlexDay7.recipient(),
            trigger_key: &trigger,
            note: &note,
            raised_at: &now_s,
            raised_by: user,
        };
        raised.extend(escalations::raise_once(tx, &n, &now_s)?);
    }
    Ok(raised)
}

/// Several clients waiting in one area: one all-provider teleconference a week.
fn area_teleconferences(
    tx: &Connection,
    rules: &Rules,
    now: DateTime<Utc>,
    user: &str,
    on_list_by_area: HashMap<i64, usize>,
) -> Result<Vec<i64>> {
    let (now_s, today) = (store_instant(now), london_date(now));
    let week = format!("{}-W{:02}", today.iso_week().year(), today.iso_week().week());
    let mut areas: Vec<_> =
        on_list_by_area.into_iter().filter(|(_, n)| *n >= rules.thresholds.area_teleconference).collect();
    areas.sort();
    let mut raised = Vec::new();
    for (area_id, n) in areas {
        let note = format!("{n} referrals waiting in the area: call an all-provider teleconference to split packages");
        let e = NewEscalation {
            referral_id: None,
            area_id: Some(area_id),
            provider_id: None,
            rule: Rule::AreaTeleconference,
            to: Rule::AreaTeleconference.recipient(),
            trigger_key: &week,
            note: &note,
            raised_at: &now_s,
            raised_by: user,
        };
        raised.extend(escalations::raise_once(tx, &e, &now_s)?);
    }
    Ok(raised)
}

/// States in which any rule can fire; active packages only while the financial assessment is open.
const OPEN: &[State] =
    &[State::Waiting, State::Offered, State::Considering, State::Tentative, State::Accepted, State::Confirmed];
/// Only referrals on the list need their offers read.
const ON_LIST: &[State] = &[State::Waiting, State::Offered, State::Considering];

pub fn run(ctx: &mut Ctx, args: &Args) -> Outcome {
    let rules = ctx.rules()?;
    let now = ctx.at(args.at.as_deref())?;
    let (user, json) = (ctx.user.clone(), ctx.json);
    let store = ctx.store()?;
    let area = args.area.as_deref().map(|a| reference::find_area(store.conn(), a)).transpose()?;
    let raised = store.write(|tx| evaluate(tx, &rules, now, &user, area.map(|a| a.id)))?;
    let new: Vec<_> = raised.iter().filter_map(|id| escalations::get(store.conn(), *id).ok().flatten()).collect();
    if !json {
        if new.is_empty() {
            println!("No new escalations as of {}.", crate::domain::dates::show_instant(now));
        } else {
            println!("{} new escalation{}:", new.len(), if new.len() == 1 { "" } else { "s" });
            print_grouped(&new);
        }
        let older = escalations::count_open(store.conn())? - new.len() as i64;
        if older > 0 {
            println!("\nStill open from before: {older} (`hcp escalate list --open`).");
        }
        return Ok(Exit::Done);
    }
    // The open list in full only for scripts (--json); a person is told how many.
    let open = escalations::list(store.conn(), true, None)?;
    output::json(&json!({
        "raised": new.iter().map(escalation_json).collect::<Vec<_>>(),
        "open": open.iter().map(escalation_json).collect::<Vec<_>>(),
    }));
    Ok(Exit::Done)
}
