//! `hcp referral show <id>`: one referral as a card (or JSON per SPEC §17).

use crate::cli::ctx::Ctx;
use crate::cli::view::{self, ReferralView};
use crate::cli::{output, Exit, Outcome};
use crate::domain::dates::{show_date, show_instant};
use crate::domain::text::show_pence;

/// Show one referral: state, RAG, days waiting, place, package, documents, offers, deadlines.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Example:\n  hcp referral show 12\n  hcp referral show --client 004524\n  hcp referral show 12 --json"
)]
pub struct Args {
    /// The referral id.
    #[arg(required_unless_present = "client", conflicts_with = "client")]
    pub id: Option<i64>,
    /// The client's Swift/AIS id instead: their open referral (or their latest).
    #[arg(long, value_name = "ID")]
    pub client: Option<String>,
    /// Show rates and costs (hidden otherwise: they are commercially sensitive).
    #[arg(long)]
    pub show_rates: bool,
}

pub fn run(ctx: &mut Ctx, args: Args) -> Outcome {
    let rules = ctx.rules()?;
    let now = ctx.now;
    let json = ctx.json;
    let conn = ctx.store()?.conn();
    let id = match (&args.client, args.id) {
        (Some(client), _) => crate::store::referrals::for_client(conn, client.trim())?.ok_or_else(|| {
            crate::error::UserError::new(format!("no referral for client {}", client.trim()))
                .hint("`hcp referral find TEXT` finds by Swift id or name")
        })?,
        (None, Some(id)) => id,
        (None, None) => unreachable!("clap requires an id or --client"),
    };
    let v = view::load(conn, &rules, now, id)?;
    let estimate = if args.show_rates {
        crate::cli::rate::estimate_for(conn, &v.r, v.place.as_ref().map(|p| p.rurality.as_str()))?
    } else {
        None
    };
    if json {
        let j = v.to_json(now);
        if args.show_rates {
            output::json(&output::With {
                base: j,
                extra: serde_json::json!({
                    "authorised_weekly": v.r.authorised_weekly_pence.map(|p| p as f64 / 100.0),
                    "estimated_weekly": v.r.estimated_weekly_pence.map(|p| p as f64 / 100.0),
                    "estimated_weekly_pence": estimate,
                }),
            });
        } else {
            output::json(&j);
        }
    } else {
        print_card(&v);
        if args.show_rates {
            println!(
                "Authorised weekly: {}   Estimated weekly: {}   From the rates: {}",
                v.r.authorised_weekly_pence.map(show_pence).unwrap_or_else(|| "-".into()),
                v.r.estimated_weekly_pence.map(show_pence).unwrap_or_else(|| "-".into()),
                estimate.map(show_pence).unwrap_or_else(|| "no rate recorded".into())
            );
        }
        if !v.offers.is_empty() {
            let mut t = output::table(&["offer", "provider", "tier", "offered", "deadline", "response", "reason"]);
            for o in &v.offers {
                let j = view::OfferJson::new(o, now);
                let f = o.facts();
                output::row(
                    &mut t,
                    vec![
                        o.id.to_string(),
                        o.provider.clone(),
                        o.tier.plain().to_string(),
                        show_instant(f.offered_at),
                        show_instant(f.deadline),
                        format!(
                            "{}{}",
                            j.response.map(|r| r.as_str()).unwrap_or("awaiting"),
                            if j.late { " (late)" } else { "" }
                        ),
                        j.reason.unwrap_or_default(),
                    ],
                );
            }
            println!("{t}");
        }
    }
    Ok(Exit::Done)
}

/// The referral card for people.
pub fn print_card(v: &ReferralView) {
    let r = &v.r;
    let team = r.team.label();
    let rag = v.rag.map(|x| x.as_str().to_uppercase()).unwrap_or_else(|| "-".into());
    let waiting = v.working_days_waiting.map(|d| format!("{d} working days")).unwrap_or_else(|| "-".into());
    let mut t = output::table(&["Referral", &format!("{} — {}", r.id, r.name)]);
    let place = match &v.place {
        Some(p) => format!("{} {} ({}), {}", p.msoa, p.hcl_name, p.msoa_name, p.rurality),
        None => "not placed: postcode not found in Kent's table".into(),
    };
    let mut rows: Vec<(String, String)> = vec![
        ("Client id".into(), r.client_id.clone()),
        ("State".into(), v.state.as_str().into()),
        ("RAG".into(), rag),
        ("Waiting".into(), waiting),
        ("Postcode".into(), r.postcode.clone().unwrap_or_else(|| "-".into())),
        ("MSOA".into(), place),
        (
            "Cluster / area".into(),
            format!("{} / {}", v.cluster.as_deref().unwrap_or("-"), v.area.as_deref().unwrap_or("-")),
        ),
        ("Package".into(), v.package_line()),
        ("Requested start".into(), show_date(r.start_date)),
        (
            "Referred by".into(),
            format!(
                "{} ({team}){}",
                r.referrer,
                r.referrer_email.as_ref().map(|e| format!(" <{e}>")).unwrap_or_default()
            ),
        ),
        ("Received".into(), show_instant(r.received_at)),
        ("Listed".into(), r.list_date.map(show_instant).unwrap_or_else(|| "-".into())),
    ];
    let mut flags = Vec::new();
    for (on, label) in [
        (r.hospital_discharge, "hospital discharge"),
        (r.in_keah, "in KEaH (overstayer)"),
        (r.recent_keah, "recent KEaH episode"),
        (r.bypass_keah, "bypassing KEaH"),
        (r.known_to_act, "known to ACT"),
        (r.lives_alone, "lives alone"),
        (r.dementia, "dementia"),
        (r.handback, "handed back"),
    ] {
        if on {
            flags.push(label.to_string());
        }
    }
    if let Some(risk) = &r.risk {
        flags.push(format!("risk: {risk}"));
    }
    if let Some(tc) = &r.time_critical {
        flags.push(format!("time-critical: {tc}"));
    }
    if !flags.is_empty() {
        rows.push(("Flags".into(), flags.join("; ")));
    }
    let words = |items: &[crate::domain::model::Item]| items.iter().map(|i| i.plain()).collect::<Vec<_>>().join(", ");
    let docs = match (r.docs_assumed, r.docs.is_empty()) {
        (true, _) => "taken as complete at import (the sheet did not list them)".to_string(),
        (false, true) => "none".into(),
        (false, false) => words(&r.docs),
    };
    rows.push(("Documents".into(), docs));
    if !r.missing.is_empty() {
        rows.push(("Missing".into(), words(&r.missing)));
    }
    if let Some(p) = &v.provider {
        rows.push(("Provider".into(), format!("{p} ({})", r.placement_type.map(|t| t.as_str()).unwrap_or("contract"))));
    }
    for (label, val) in
        [("Confirmed start", r.confirmed_start), ("SDO due", r.sdo_due), ("Financial assessment due", r.fa_due)]
    {
        if let Some(d) = val {
            rows.push((label.into(), show_date(d)));
        }
    }
    if !r.call_times.is_empty() {
        rows.push(("Call times".into(), crate::domain::record::show_call_times(&r.call_times)));
    }
    if let Some(x) = &r.cancel_reason {
        rows.push(("Cancelled".into(), x.clone()));
    }
    if let Some(n) = &r.notes {
        rows.push(("Notes".into(), n.clone()));
    }
    for (k, val) in rows {
        output::row(&mut t, vec![k, val]);
    }
    println!("{t}");
}
