//! `hcp escalate --amt`: every client waiting 10+ working days, in detail, for the Area
//! Management Team (Guidance, waiting list: "report in detail to AMT").

use crate::cli::ctx::Ctx;
use crate::cli::referral::list::views;
use crate::cli::view::OfferJson;
use crate::cli::{output, Exit, Outcome};
use serde_json::json;

pub fn run(ctx: &mut Ctx, area: Option<&str>) -> Outcome {
    let red_days = ctx.rules()?.thresholds.red_days;
    let now = ctx.now;
    let list: Vec<_> = views(ctx, None, area, None)?
        .into_iter()
        .filter(|v| v.working_days_waiting.is_some_and(|d| d >= red_days))
        .collect();
    if ctx.json {
        output::json(
            &list
                .iter()
                .map(|v| {
                    json!({
                        "id": v.r.id,
                        "client_id": v.r.client_id,
                        "name": v.r.name,
                        "area": v.area,
                        "cluster": v.cluster,
                        "working_days_waiting": v.working_days_waiting,
                        "rag": v.rag.map(|r| r.as_str()),
                        "package": v.package_line(),
                        "start": v.r.start_date,
                        "offers": v.offers.iter().map(|o| OfferJson::new(o, now)).collect::<Vec<_>>(),
                    })
                })
                .collect::<Vec<_>>(),
        );
        return Ok(Exit::Done);
    }
    if list.is_empty() {
        println!("No client has waited {red_days} or more working days.");
        return Ok(Exit::Done);
    }
    println!("Clients waiting {red_days}+ working days ({}):", list.len());
    for v in &list {
        println!(
            "\n#{} {} ({}) — {} / {} — waiting {} working days — {} — start {}",
            v.r.id,
            v.r.name,
            v.r.client_id,
            v.area.as_deref().unwrap_or("-"),
            v.cluster.as_deref().unwrap_or("-"),
            v.working_days_waiting.unwrap_or(0),
            v.package_line(),
            crate::domain::dates::show_date(v.r.start_date)
        );
        if v.offers.is_empty() {
            println!("  no provider approached yet");
        }
        for o in &v.offers {
            let j = OfferJson::new(o, now);
            println!(
                "  {} ({}): {}{}",
                o.provider,
                o.tier.plain(),
                j.response.map(|r| r.as_str()).unwrap_or("awaiting"),
                j.reason.map(|r| format!(" — {r}")).unwrap_or_default()
            );
        }
    }
    Ok(Exit::Done)
}
