//! `hcp offer <id>`: approach the next provider by the cluster allocation protocol (SPEC §6),
//! print the anonymised offer message and the 2-hour response deadline.

use super::ctx::{Ctx, Rules};
use super::view::{self, ReferralView};
use super::{output, Exit, Outcome};
use crate::domain::allocation::{candidates, Allocation, Needs};
use crate::domain::dates::{show_instant, store_instant};
use crate::domain::model::{PlacementType, ProviderType, State, Tier};
use crate::domain::responses::response_deadline;
use crate::error::UserError;
use crate::io::email::{offer_message, OfferMessage};
use crate::store::events::Event;
use crate::store::{escalations, offers, providers, reference, referrals};
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
    let area_id: i64 = conn.query_row("SELECT area_id FROM clusters WHERE id = ?1", [cluster_id], |r| r.get(0))?;
    let ladder = providers::ladder(conn, cluster_id, area_id)?;
    let facts: Vec<_> = v.offers.iter().map(|o| o.facts()).collect();
    let decisions = escalations::decisions_for(conn, v.r.id)?;
    Ok(candidates(&ladder, &facts, &decisions, now))
}

fn needs_hint(needs: Option<Needs>, id: i64) -> String {
    match needs {
        Some(Needs::AsmPermissionNonContracted) => "the ASM must give permission to approach non-contracted providers: `hcp escalate` raises it; the ASM records it with `hcp escalate resolve <esc-id> --decision approve-non-contracted`".to_string(),
        Some(Needs::AsmDecisionConsidering) => "the ASM decides whether to approach the next provider meanwhile: `hcp escalate resolve <esc-id> --decision approach-next` (see `hcp escalate list --open`), or wait for the answer".to_string(),
        Some(Needs::OutstandingOffer) => format!("record the provider's answer with `hcp respond {id} …`, or wait until the offer lapses"),
        None => format!("`hcp escalate {id} --to asm --reason …` asks the ASM what to do next"),
    }
}

fn capacity_notes(conn: &Connection, v: &ReferralView) -> Result<std::collections::HashMap<i64, String>> {
    let mut out = std::collections::HashMap::new();
    let mut stmt = conn.prepare_cached(
        "SELECT provider_id, SUM(weekly_minutes), MAX(from_date) FROM capacity
         WHERE (msoa_code = ?1 OR cluster_id = ?2) GROUP BY provider_id",
    )?;
    let rows = stmt.query_map(rusqlite::params![v.r.msoa_code, v.r.cluster_id], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?, r.get::<_, String>(2)?))
    })?;
    for row in rows {
        let (p, minutes, from) = row?;
        out.insert(p, format!("reported {} h/week free from {from}", crate::domain::text::show_hours(minutes)));
    }
    Ok(out)
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

pub fn print_explain(v: &ReferralView, a: &Allocation, capacity: &std::collections::HashMap<i64, String>) {
    println!(
        "Referral {} — cluster {}, area {} — {}",
        v.r.id,
        v.cluster.as_deref().unwrap_or("-"),
        v.area.as_deref().unwrap_or("-"),
        v.state
    );
    let mut t = output::table(&["", "provider", "tier", "rank", "eligible", "reason", "capacity"]);
    for (i, c) in a.candidates.iter().enumerate() {
        t.add_row(vec![
            if Some(i) == a.next { "→".into() } else { String::new() },
            c.provider.clone(),
            c.tier.as_str().replace('_', " "),
            c.rank.to_string(),
            if c.eligible { "yes".into() } else { "no".into() },
            c.reason.clone(),
            capacity.get(&c.provider_id).cloned().unwrap_or_default(),
        ]);
    }
    if a.candidates.is_empty() {
        println!(
            "No providers are ranked for this cluster or cover this area yet (`hcp cluster rank`, `hcp provider add`)."
        );
    } else {
        println!("{t}");
    }
    match a.next_candidate() {
        Some(c) => println!("Next: {} ({})", c.provider, c.tier.as_str().replace('_', " ")),
        None => println!("Next: nobody — {}", a.why_none.as_deref().unwrap_or("no eligible provider")),
    }
}

pub fn run(ctx: &mut Ctx, args: Args) -> Outcome {
    let rules: Rules = ctx.rules()?;
    let at = ctx.at(args.at.as_deref())?;
    let now = ctx.now;
    let (now_s, user, json) = (ctx.now_str(), ctx.user.clone(), ctx.json);
    let store = ctx.store()?;
    if args.explain {
        let v = view::load(&store.conn, &rules, now, args.id)?;
        let mut a = allocate(&store.conn, &v, now)?;
        // Off the list (incomplete, tentative, placed, cancelled): nobody is approached next.
        if !v.state.on_list() {
            a.next = None;
            a.why_none = Some(format!("the referral is {}; only referrals on the list are offered", v.state));
        }
        let cap = capacity_notes(&store.conn, &v)?;
        if json {
            output::json(&explain_json(&v, &a, &cap));
        } else {
            print_explain(&v, &a, &cap);
        }
        return Ok(Exit::Done);
    }
    if args.provider.is_some() && args.reason.as_deref().is_none_or(|r| r.trim().is_empty()) {
        return Err(UserError::usage("--provider overrides the protocol order and needs --reason")
            .hint("say why, e.g. --reason \"client's family asked for this provider\"; it goes into the audit log")
            .into());
    }
    let (offer_id, message) = store.write(|tx| {
        let v = view::load(tx, &rules, at.max(now), args.id)?;
        if !v.state.on_list() {
            return Err(UserError::new(format!("referral {} is {}; only a referral on the packages-to-be-placed list can be offered", v.r.id, v.state))
                .hint(match v.state {
                    State::Incomplete => format!("add the missing items first: hcp referral update {} --doc …", v.r.id),
                    _ => format!("`hcp referral show {}` shows where it is", v.r.id),
                })
                .into());
        }
        let a = allocate(tx, &v, at.max(now))?;
        if a.needs == Some(Needs::OutstandingOffer) {
            let o = v.offers.last().map(|o| format!("{} (offer {}, answer due {})", o.provider, o.id, show_instant(o.facts().deadline))).unwrap_or_default();
            return Err(UserError::new(format!("referral {} already has an outstanding offer to {o}", v.r.id)).hint(needs_hint(a.needs, v.r.id)).into());
        }
        let (provider_id, provider_name, tier, placement, override_reason) = match &args.provider {
            Some(p) => {
                let named = reference::find_provider(tx, p)?;
                let prov = providers::get(tx, named.id)?;
                if a.needs == Some(Needs::AsmDecisionConsidering) {
                    return Err(UserError::new(format!("a provider is still considering referral {}", v.r.id)).hint(needs_hint(a.needs, v.r.id)).into());
                }
                let cand = a.candidates.iter().find(|c| c.provider_id == named.id);
                if let Some(c) = cand.filter(|c| !c.eligible) {
                    if c.reason.starts_with("sanctioned") || c.reason.starts_with("exited") || c.reason.starts_with("suspended") {
                        return Err(UserError::new(format!("{} cannot be offered this package: {}", prov.name, c.reason))
                            .hint(format!("a sanctioned provider needs a joint ASM/AD/SM/Commissioning decision: hcp escalate {} --to asm --rule sanctioned --provider \"{}\" --reason …", v.r.id, prov.name))
                            .into());
                    }
                }
                let tier = cand.map(|c| c.tier).unwrap_or(match prov.facts().contract {
                    ProviderType::Contracted => Tier::OtherContracted,
                    ProviderType::NonContracted => Tier::NonContracted,
                });
                let placement = cand.map(|c| c.placement_type).unwrap_or(match (prov.facts().contract, prov.exceptions_list) {
                    (ProviderType::Contracted, _) => PlacementType::Contract,
                    (_, true) => PlacementType::Exception,
                    _ => PlacementType::Indi,
                });
                (prov.id, prov.name, tier, placement, args.reason.clone())
            }
            None => match a.next_candidate() {
                Some(c) => (c.provider_id, c.provider.clone(), c.tier, c.placement_type, None),
                None => {
                    let what = match a.needs {
                        Some(n) => format!("it needs a decision first ({})", n.as_str()),
                        None => a.why_none.clone().unwrap_or_else(|| "no provider is eligible".into()),
                    };
                    return Err(UserError::new(format!("no provider can be offered referral {} now: {what}", v.r.id))
                        .hint(needs_hint(a.needs, v.r.id))
                        .hint(format!("`hcp offer {} --explain` shows every provider and why", v.r.id))
                        .into());
                }
            },
        };
        let deadline = response_deadline(at);
        let (at_s, deadline_s) = (store_instant(at), store_instant(deadline));
        let offer_id = offers::insert(tx, &offers::NewOffer {
            referral_id: v.r.id,
            provider_id,
            tier: tier.as_str(),
            placement_type: placement.as_str(),
            offered_at: &at_s,
            deadline: &deadline_s,
            override_reason: override_reason.as_deref(),
            offered_by: &user,
        })?;
        let mut r = v.r.clone();
        r.state = State::Offered.as_str().into();
        r.updated_at = now_s.clone();
        referrals::update(tx, &r)?;
        Event::new("offer made", "offer", &at_s, &now_s, &user)
            .on(Some(offer_id), Some(v.r.id))
            .details(json!({ "provider": provider_name, "tier": tier.as_str(), "placement_type": placement.as_str(), "deadline": deadline_s, "override_reason": override_reason }))
            .change(Some(json!({ "state": v.state.as_str() })), Some(json!({ "state": "offered" })))
            .append(tx)?;
        // The PO has done what a lapse or an expired "considering" asked: approach the next provider.
        escalations::close_done(tx, v.r.id, &["lapsed", "considering-expired"], &at_s, &now_s, &user, "next provider approached")?;
        let place = v.place.clone();
        let message = offer_message(&OfferMessage {
            area: v.area.as_deref().unwrap_or("-"),
            cluster: v.cluster.as_deref().unwrap_or("-"),
            msoa: place.as_ref().map(|p| p.msoa.as_str()).unwrap_or("-"),
            msoa_name: place.as_ref().map(|p| p.hcl_name.as_str()).unwrap_or(""),
            rurality: place.as_ref().map(|p| p.rurality.as_str()).unwrap_or("rurality unknown"),
            postcode: r.postcode.as_deref().filter(|_| place.is_some()),
            referral: &r,
            deadline,
            placement_type: placement.as_str(),
        });
        Ok((offer_id, message))
    })?;
    let o = offers::get(&store.conn, offer_id)?;
    if json {
        let mut j = view::offer_json(&o, now);
        j["message"] = message.into();
        output::json(&j);
    } else {
        println!(
            "Offer {} to {} ({}) — reply due by {}\n",
            o.id,
            o.provider,
            o.tier.replace('_', " "),
            show_instant(o.facts().deadline)
        );
        println!("{message}");
    }
    Ok(Exit::Done)
}
