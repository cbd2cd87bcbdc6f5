//! `hcp offer <id>`: approach the next provider by the cluster allocation protocol (SPEC §6),
//! print the anonymised offer message and the 2-hour response deadline.

use super::ctx::{Ctx, Rules};
use super::output::{self, Col, Text};
use super::view::{self, ReferralView};
use super::{Exit, Outcome};
use crate::domain::allocation::{candidates, choose, needs_hint, Allocation, Needs, Pick};
use crate::domain::dates::show_instant;
use crate::domain::lifecycle::{self, OfferChange};
use crate::error::UserError;
use crate::io::email::{offer_message, OfferMessage};
use crate::store::lifecycle::{apply, Stamp};
use crate::store::{capacity, escalations, offers, providers, reference};
use anyhow::Result;
use chrono::{DateTime, Utc};
use rusqlite::Connection;
use serde_json::json;

/// Offer a referral to the next provider in protocol order, or explain the order.
///
/// Clustered providers of the referral's cluster in rank order; then other contracted providers
/// of the area; then, only with the ASM's permission, non-contracted providers rated Good or
/// Outstanding by CQC. One offer is outstanding at a time; it lapses after 2 hours.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Example:\n  hcp offer 12 --explain\n  hcp offer 12\n  hcp offer 12 --provider \"Beta Care\" --reason \"client's family asked for Beta\""
)]
pub struct Args {
    /// The referral id.
    pub id: i64,
    /// Show the candidate list with the reason each may or may not be approached; record nothing.
    #[arg(long)]
    pub explain: bool,
    /// Offer to this provider instead of the next in order (needs --reason).
    #[arg(long, value_name = "P")]
    pub provider: Option<String>,
    /// Why the order is overridden (kept in the audit log).
    #[arg(long, value_name = "R")]
    pub reason: Option<String>,
    /// When the offer was made (default: now).
    #[arg(long, value_name = "T")]
    pub at: Option<String>,
}

/// The protocol's answer for one referral as of `now`.
pub fn allocate(conn: &Connection, v: &ReferralView, now: DateTime<Utc>) -> Result<Allocation> {
    let cluster_id = v.r.cluster_id.ok_or_else(|| {
        UserError::new(format!("referral {} is not placed in a cluster", v.r.id))
            .hint(format!("give a Kent postcode or a cluster: hcp referral update {} --cluster NAME", v.r.id))
    })?;
    let area_id = reference::area_of_cluster(conn, cluster_id)?;
    let ladder = providers::ladder(conn, cluster_id, area_id)?;
    let facts: Vec<_> = v.offers.iter().map(|o| o.facts()).collect();
    let mut decisions = escalations::decisions_for(conn, v.r.id)?;
    decisions.handed_back.extend(v.r.handback_provider_id);
    Ok(candidates(&ladder, &facts, &decisions, now))
}

fn capacity_notes(conn: &Connection, v: &ReferralView) -> Result<std::collections::HashMap<i64, String>> {
    Ok(capacity::free_near(conn, v.r.msoa_code.as_deref(), v.r.cluster_id)?
        .into_iter()
        .map(|(p, minutes, from)| {
            (
                p,
                format!(
                    "reported {} h/week free from {}",
                    crate::domain::text::show_hours(minutes),
                    from.format("%d/%m/%Y")
                ),
            )
        })
        .collect())
}

pub fn explain_json(
    v: &ReferralView,
    a: &Allocation,
    capacity: &std::collections::HashMap<i64, String>,
) -> serde_json::Value {
    json!({
        "referral": v.r.id,
        "next": a.next_candidate().map(|c| json!({"provider": c.provider, "provider_id": c.provider_id, "tier": c.tier.as_str(), "placement_type": c.placement_type.as_str()})),
        "candidates": a.candidates.iter().map(|c| json!({
            "provider": c.provider,
            "provider_id": c.provider_id,
            "tier": c.tier.as_str(),
            "rank": c.rank,
            "eligible": c.eligible,
            "reason": c.reason,
            "placement_type": c.placement_type.as_str(),
            "capacity": capacity.get(&c.provider_id),
        })).collect::<Vec<_>>(),
        "needs": a.needs.map(|n| n.as_str()),
        "why_none": a.why_none,
    })
}

pub fn print_explain(
    screen: &output::Screen,
    v: &ReferralView,
    a: &Allocation,
    capacity: &std::collections::HashMap<i64, String>,
) {
    println!(
        "Referral {} — cluster {}, area {} — {}",
        v.r.id,
        v.cluster.as_deref().unwrap_or("-"),
        v.area.as_deref().unwrap_or("-"),
        v.state
    );
    let cols = [
        Col { header: "Next", priority: 9, wrap: false },
        Col { header: "Provider", priority: 10, wrap: true },
        Col { header: "Tier", priority: 7, wrap: true },
        Col { header: "Rank", priority: 6, wrap: false },
        Col { header: "May be offered", priority: 8, wrap: true },
        Col { header: "Why", priority: 9, wrap: true },
        Col { header: "Capacity reported", priority: 5, wrap: true },
    ];
    let rows: Vec<Vec<Text>> = a
        .candidates
        .iter()
        .enumerate()
        .map(|(i, c)| {
            vec![
                if Some(i) == a.next { "→".into() } else { "".into() },
                c.provider.clone().into(),
                c.tier.plain().into(),
                c.rank.to_string().into(),
                if c.eligible { "yes".into() } else { "no".into() },
                c.reason.clone().into(),
                capacity.get(&c.provider_id).cloned().unwrap_or_default().into(),
            ]
        })
        .collect();
    let t = output::fitted(screen, &cols, &rows);
    if a.candidates.is_empty() {
        println!(
            "No providers are ranked for this cluster or cover this area yet (`hcp cluster rank`, `hcp provider add`)."
        );
    } else {
        println!("{t}");
    }
    match a.next_candidate() {
        Some(c) => println!("Next: {} ({})", c.provider, c.tier.plain()),
        None => println!("Next: nobody — {}", a.why_none.as_deref().unwrap_or("no eligible provider")),
    }
}

pub fn run(ctx: &mut Ctx, args: Args) -> Outcome {
    let rules: Rules = ctx.rules()?;
    let at = ctx.at(args.at.as_deref())?;
    let now = ctx.now;
    let (user, json) = (ctx.user.clone(), ctx.json);
    let store = ctx.store()?;
    if args.explain {
        let v = view::load(store.conn(), &rules, now, args.id)?;
        let mut a = allocate(store.conn(), &v, now)?;
        // Off the list (incomplete, tentative, placed, cancelled): nobody is approached next.
        if !v.state.on_list() {
            a.next = None;
            a.why_none = Some(format!("the referral is {}; only referrals on the list are offered", v.state));
        }
        let cap = capacity_notes(store.conn(), &v)?;
        if json {
            output::json(&explain_json(&v, &a, &cap));
        } else {
            print_explain(&ctx.screen, &v, &a, &cap);
        }
        return Ok(Exit::Done);
    }
    if args.provider.is_some() && args.reason.as_deref().is_none_or(|r| r.trim().is_empty()) {
        return Err(UserError::usage("--provider overrides the protocol order and needs --reason")
            .hint("say why, e.g. --reason \"client's family asked for this provider\"; it goes into the audit log")
            .into());
    }
    let stamp = Stamp { at, now, user: &user };
    let (applied, message) = store.write(|tx| {
        let v = view::load(tx, &rules, at.max(now), args.id)?;
        lifecycle::offerable(&v.r, v.state)?;
        let a = allocate(tx, &v, at.max(now))?;
        if a.needs == Some(Needs::OutstandingOffer) {
            let o = v
                .offers
                .last()
                .map(|o| format!("{} (offer {}, answer due {})", o.provider, o.id, show_instant(o.deadline)))
                .unwrap_or_default();
            return Err(UserError::new(format!("referral {} already has an outstanding offer to {o}", v.r.id))
                .hint(needs_hint(a.needs, v.r.id))
                .into());
        }
        let named = match &args.provider {
            Some(p) => Some(providers::get(tx, reference::find_provider(tx, p)?.id)?.facts()),
            None => None,
        };
        let pick = match &named {
            Some(p) => Pick::Named { provider: p, reason: args.reason.clone().unwrap_or_default() },
            None => Pick::Next,
        };
        let mut decisions = escalations::decisions_for(tx, v.r.id)?;
        decisions.handed_back.extend(v.r.handback_provider_id);
        let choice = choose(&a, pick, &decisions, v.r.id)?;
        let placement = choice.placement_type;
        let provider_email = providers::get(tx, choice.provider_id)?.email;
        let provider_name = choice.provider.clone();
        let t = lifecycle::offer(&v.r, v.state, choice, at)?;
        let Some(OfferChange::New(new)) = &t.offer else { unreachable!("an offer transition makes an offer") };
        let deadline = new.deadline;
        let place = v.place.clone();
        let message = offer_message(&OfferMessage {
            area: v.area.as_deref().unwrap_or("-"),
            cluster: v.cluster.as_deref().unwrap_or("-"),
            msoa: place.as_ref().map(|p| p.msoa.as_str()).unwrap_or("-"),
            msoa_name: place.as_ref().map(|p| p.hcl_name.as_str()).unwrap_or(""),
            rurality: place.as_ref().map(|p| p.rurality.as_str()).unwrap_or("rurality unknown"),
            postcode: v.r.postcode.as_deref().filter(|_| place.is_some()),
            referral: &v.r,
            deadline,
            placement_type: placement.as_str(),
            to: provider_email.as_deref(),
            provider: &provider_name,
        });
        let applied = apply(tx, &v.r, t, &stamp)?;
        Ok((applied, message))
    })?;
    let o = offers::get(store.conn(), applied.offer_id.unwrap_or(0))?;
    if json {
        output::json(&output::With { base: view::OfferJson::new(&o, now), extra: json!({ "message": message }) });
    } else {
        println!("Offer {} to {} ({}) — reply due by {}\n", o.id, o.provider, o.tier.plain(), show_instant(o.deadline));
        println!("{message}");
    }
    Ok(Exit::Done)
}
