//! `hcp referral show <id>`: one referral as a card (or JSON per SPEC §17).

use crate::cli::ctx::Ctx;
use crate::cli::view::{self, ReferralView};
use crate::cli::{output, Exit, Outcome};
use crate::domain::dates::{load_instant, show_instant};
use crate::domain::model::Team;
use crate::domain::text::show_pence;

/// Show one referral: state, RAG, days waiting, place, package, documents, offers, deadlines.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example:\n  hcp referral show 12\n  hcp referral show 12 --json")]
pub struct Args {
    /// The referral id.
    pub id: i64,
    /// Show rates and costs (hidden otherwise, SPEC §14 privacy).
    #[arg(long)]
    pub show_rates: bool,
}

pub fn run(ctx: &mut Ctx, args: Args) -> Outcome {
    let rules = ctx.rules()?;
    let now = ctx.now;
    let json = ctx.json;
    let conn = &ctx.store()?.conn;
    let v = view::load(conn, &rules, now, args.id)?;
    if json {
        let mut j = v.to_json(now);
        if args.show_rates {
            j["authorised_weekly"] = v.r.authorised_weekly_pence.map(|p| p as f64 / 100.0).into();
            j["estimated_weekly"] = v.r.estimated_weekly_pence.map(|p| p as f64 / 100.0).into();
        }
        output::json(&j);
    } else {
        print_card(&v);
        if args.show_rates {
            println!(
                "Authorised weekly: {}   Estimated weekly: {}",
                v.r.authorised_weekly_pence.map(show_pence).unwrap_or_else(|| "-".into()),
                v.r.estimated_weekly_pence.map(show_pence).unwrap_or_else(|| "-".into())
            );
        }
        if !v.offers.is_empty() {
            let mut t = output::table(&["offer", "provider", "tier", "offered", "deadline", "response", "reason"]);
            for o in &v.offers {
                let j = view::offer_json(o, now);
                let f = o.facts();
                t.add_row(vec![
                    o.id.to_string(),
                    o.provider.clone(),
                    o.tier.replace('_', " "),
                    show_instant(f.offered_at),
                    show_instant(f.deadline),
                    format!(
                        "{}{}",
                        j["response"].as_str().unwrap_or("awaiting"),
                        if j["late"].as_bool() == Some(true) { " (late)" } else { "" }
                    ),
                    o.reason.clone().or_else(|| o.reason_text.clone()).unwrap_or_default(),
                ]);
            }
            println!("{t}");
        }
    }
    Ok(Exit::Done)
}

/// The referral card for people.
pub fn print_card(v: &ReferralView) {
    let r = &v.r;
    let team = Team::parse(&r.team).map(|t| t.label()).unwrap_or("?");
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
        ("Requested start".into(), r.start_date.clone()),
        (
            "Referred by".into(),
            format!(
                "{} ({team}){}",
                r.referrer,
                r.referrer_email.as_ref().map(|e| format!(" <{e}>")).unwrap_or_default()
            ),
        ),
        ("Received".into(), load_instant(&r.received_at).map(show_instant).unwrap_or_default()),
        (
            "Listed".into(),
            r.list_date.as_deref().and_then(load_instant).map(show_instant).unwrap_or_else(|| "-".into()),
        ),
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
    rows.push(("Documents".into(), if r.docs.is_empty() { "none".into() } else { r.docs.replace(',', ", ") }));
    let missing = r.missing_items();
    if !missing.is_empty() {
        rows.push(("Missing".into(), missing.join(", ")));
    }
    if let Some(p) = &v.provider {
        rows.push(("Provider".into(), format!("{p} ({})", r.placement_type.as_deref().unwrap_or("contract"))));
    }
    for (label, val) in [
        ("Confirmed start", &r.confirmed_start),
        ("SDO due", &r.sdo_due),
        ("Financial assessment due", &r.fa_due),
        ("Cancelled", &r.cancel_reason),
    ] {
        if let Some(x) = val {
            rows.push((label.into(), x.clone()));
        }
    }
    if let Some(n) = &r.notes {
        rows.push(("Notes".into(), n.clone()));
    }
    for (k, val) in rows {
        t.add_row(vec![k, val]);
    }
    println!("{t}");
}
