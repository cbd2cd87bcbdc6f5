//! `hcp report waiting|provider|bypass`: the packages-to-be-placed list to print, one
//! provider's record over a period, and the KEaH bypassers for the ASM and ACT Team Manager's
//! joint review.

use super::super::ctx::{parse_date_arg, Ctx};
use super::super::referral::list::{each_view, views};
use super::super::Outcome;
use super::{emit, Out, Rendered};
use crate::domain::dates::{json_instant, london_date, show_date, start_of_london_day, store_instant};
use crate::domain::model::{Item, State};
use crate::domain::stats::median;
use crate::io::report::{headings as h, Doc};
use crate::store::{reference, washup};
use chrono::Duration;
use serde_json::json;

/// The packages-to-be-placed list as the team prints it: RAG, working days waiting, hours.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Example:\n  hcp report waiting --format html --output list.html\n  hcp report waiting --area Thanet --format csv"
)]
pub struct WaitingArgs {
    /// Only this area.
    #[arg(long, value_name = "A")]
    pub area: Option<String>,
    #[command(flatten)]
    pub out: Out,
}

pub fn waiting(ctx: &mut Ctx, a: WaitingArgs) -> Outcome {
    let now = ctx.now;
    let list: Vec<_> = views(ctx, None, a.area.as_deref(), None)?.into_iter().filter(|v| v.state.on_list()).collect();
    let rows = list
        .iter()
        .map(|v| {
            vec![
                v.r.id.to_string(),
                v.r.client_id.clone(),
                v.r.name.clone(),
                v.area.clone().unwrap_or_default(),
                v.cluster.clone().unwrap_or_default(),
                v.rag.map(|r| r.as_str().to_string()).unwrap_or_default(),
                v.working_days_waiting.map(|d| d.to_string()).unwrap_or_default(),
                v.r.list_date.map(|d| show_date(london_date(d))).unwrap_or_default(),
                show_date(v.r.start_date),
                format!("{:.2}", v.r.weekly_minutes as f64 / 60.0),
                v.state.as_str().to_string(),
            ]
        })
        .collect();
    let header = [
        "referral",
        "client id",
        "name",
        "area",
        "cluster",
        "RAG",
        "working days",
        "listed",
        "start",
        "hours a week",
        "state",
    ];
    let title = format!("Packages to be placed, {}", show_date(ctx.today()));
    let key = a.area.clone().unwrap_or_else(|| "all areas".into());
    let doc = Doc { title: title.clone(), key, sections: vec![("packages to be placed", h(&header), rows)] };
    let json = serde_json::to_value(list.iter().map(|v| v.to_json(now)).collect::<Vec<_>>())?;
    emit(ctx, &a.out, Rendered { title, docs: vec![doc], json, key_name: "area", html: None })
}

/// One provider's record over a period: offers and how it answered, lapses, handbacks.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example:\n  hcp report provider \"Alpha Care\" --from 2026-11-01 --to 2026-11-30")]
pub struct ProviderArgs {
    /// The provider.
    pub provider: String,
    /// The first day (default: 90 days before --to).
    #[arg(long, value_name = "D")]
    pub from: Option<String>,
    /// The last day, included (default: today).
    #[arg(long, value_name = "D")]
    pub to: Option<String>,
    #[command(flatten)]
    pub out: Out,
}

pub fn provider(ctx: &mut Ctx, a: ProviderArgs) -> Outcome {
    let to = a.to.as_deref().map(|d| parse_date_arg("--to", d)).transpose()?.unwrap_or_else(|| ctx.today());
    let from = a.from.as_deref().map(|d| parse_date_arg("--from", d)).transpose()?.unwrap_or(to - Duration::days(90));
    let (from, to) = super::period_in_order(from, to)?;
    let (start, end) = (start_of_london_day(from), start_of_london_day(to + Duration::days(1)));
    let conn = ctx.store()?.conn();
    let p = reference::find_provider(conn, &a.provider)?;
    let offers = washup::provider_offers(conn, p.id, &store_instant(start), &store_instant(end))?;
    let handbacks = washup::provider_handbacks(conn, &p.name, &store_instant(start), &store_instant(end))?;
    let answer = |o: &crate::domain::washup::OfferFact| o.answer_at(end).map_or("open", |r| r.as_str()).to_string();
    let count = |w: &str| offers.iter().filter(|o| answer(&o.offer) == w).count();
    let minutes: Vec<i64> = offers.iter().filter_map(|o| o.offer.response_minutes(end)).collect();
    let med = median(&minutes);
    let fig = |k: &str, v: String| vec![k.to_string(), v];
    let summary = vec![
        fig("offers", offers.len().to_string()),
        fig("accepted", (count("accept") + count("partial")).to_string()),
        fig("declined", count("decline").to_string()),
        fig("lapsed", count("lapsed").to_string()),
        fig("median response minutes", med.map_or("-".into(), |m| format!("{m}"))),
        fig("handbacks", handbacks.len().to_string()),
    ];
    let offer_rows = offers
        .iter()
        .map(|o| {
            vec![
                crate::domain::dates::show_short(o.offer.offered_at),
                o.offer.referral.to_string(),
                o.client_id.clone(),
                o.offer.tier.as_str().to_string(),
                answer(&o.offer),
                o.offer.reason.map(|r| r.as_str().to_string()).unwrap_or_default(),
            ]
        })
        .collect();
    let hb_rows = handbacks
        .iter()
        .map(|(r, c, at, reason, re)| {
            vec![
                show_date(london_date(*at)),
                r.to_string(),
                c.clone(),
                reason.clone(),
                if *re { "yes" } else { "no" }.into(),
            ]
        })
        .collect();
    let title = format!("{}: {} to {}", p.name, show_date(from), show_date(to));
    let doc = Doc {
        title: title.clone(),
        key: p.name.clone(),
        sections: vec![
            ("summary", h(&["figure", "value"]), summary),
            ("offers", h(&["offered", "referral", "client id", "tier", "answer", "reason"]), offer_rows),
            ("handbacks", h(&["date", "referral", "client id", "reason", "re-added"]), hb_rows),
        ],
    };
    let json = json!({
        "provider": p.name, "from": from, "to": to, "offers": offers.len(),
        "accepted": count("accept") + count("partial"), "declined": count("decline"), "lapsed": count("lapsed"),
        "median_response_minutes": med,
        "offer_list": offers.iter().map(|o| json!({"referral": o.offer.referral, "client_id": o.client_id,
            "offered_at": json_instant(o.offer.offered_at), "tier": o.offer.tier, "answer": answer(&o.offer),
            "reason": o.offer.reason})).collect::<Vec<_>>(),
        "handbacks": handbacks.iter().map(|(r, c, at, reason, re)| json!({"referral": r, "client_id": c,
            "at": json_instant(*at), "reason": reason, "re_added": re})).collect::<Vec<_>>(),
    });
    emit(ctx, &a.out, Rendered { title, docs: vec![doc], json, key_name: "provider", html: None })
}

/// KEaH bypassers: open referrals bypassing KEaH and whether the Team Manager has approved.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example:\n  hcp report bypass\n  hcp report bypass --format markdown")]
pub struct BypassArgs {
    #[command(flatten)]
    pub out: Out,
}

pub fn bypass(ctx: &mut Ctx, a: BypassArgs) -> Outcome {
    let open: Vec<State> = State::ALL.iter().copied().filter(|s| s.open()).collect();
    let mut list = Vec::new();
    each_view(ctx, &open, None, |v| {
        if v.r.bypass_keah {
            list.push(v);
        }
        Ok(())
    })?;
    let approved = |v: &super::super::view::ReferralView| v.r.docs.contains(&Item::TmApproval);
    let rows = list
        .iter()
        .map(|v| {
            vec![
                v.r.id.to_string(),
                v.r.client_id.clone(),
                v.r.team.as_str().to_string(),
                v.area.clone().unwrap_or_default(),
                v.state.as_str().to_string(),
                if approved(v) { "approved" } else { "awaiting approval" }.to_string(),
                show_date(london_date(v.r.received_at)),
            ]
        })
        .collect();
    let header = ["referral", "client id", "team", "area", "state", "Team Manager", "received"];
    let title = format!("KEaH bypassers, {}", show_date(ctx.today()));
    let doc =
        Doc { title: title.clone(), key: "all areas".into(), sections: vec![("bypassing KEaH", h(&header), rows)] };
    let json = serde_json::to_value(
        list.iter()
            .map(|v| {
                json!({"referral": v.r.id, "client_id": v.r.client_id, "team": v.r.team, "area": v.area,
                "state": v.state, "tm_approved": approved(v)})
            })
            .collect::<Vec<_>>(),
    )?;
    emit(ctx, &a.out, Rendered { title, docs: vec![doc], json, key_name: "area", html: None })
}
