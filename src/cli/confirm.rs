//! `hcp confirm <id> --start D`: the Provider Confirmation Form came back -> `confirmed`;
//! the SDO and financial assessment deadlines are set (SPEC §3, §7).

use super::ctx::{parse_date_arg, parse_time_arg, Ctx};
use super::view;
use super::{output, Exit, Outcome};
use crate::domain::dates::{london_date, store_instant};
use crate::domain::model::State;
use crate::error::UserError;
use crate::store::events::Event;
use crate::store::referrals;
use serde_json::json;

/// Record the returned Provider Confirmation Form: start date and planned call times.
///
/// The SDO is due within 2 working days of the confirmation (for an Indi placement, of the Indi
/// contract being completed: --indi-completed); the financial assessment within 2 working days.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Example:\n  hcp confirm 12 --start 2026-11-30 --provider-ref AB123 --call-times \"07:30,12:00,17:00,20:30\""
)]
pub struct Args {
    /// The referral id.
    pub id: i64,
    /// The agreed start date.
    #[arg(long, value_name = "D")]
    pub start: String,
    /// The provider's reference.
    #[arg(long, value_name = "REF")]
    pub provider_ref: Option<String>,
    /// Planned call times, comma-separated.
    #[arg(long, value_name = "TIMES")]
    pub call_times: Option<String>,
    /// Non-contracted (Indi) placements: when the Indi contract was completed.
    #[arg(long, value_name = "T")]
    pub indi_completed: Option<String>,
    /// When the form came back (default: now).
    #[arg(long, value_name = "T")]
    pub at: Option<String>,
}

pub fn run(ctx: &mut Ctx, args: Args) -> Outcome {
    let rules = ctx.rules()?;
    let at = ctx.at(args.at.as_deref())?;
    let start = parse_date_arg("--start", &args.start)?;
    let indi = args.indi_completed.as_deref().map(|t| parse_time_arg("--indi-completed", t)).transpose()?;
    let (now, now_s, user, json) = (ctx.now, ctx.now_str(), ctx.user.clone(), ctx.json);
    let store = ctx.store()?;
    let r = store.write(|tx| {
        let v = view::load(tx, &rules, now, args.id)?;
        if v.state != State::Accepted {
            return Err(UserError::new(format!(
                "referral {} is {}; only an accepted referral can be confirmed",
                args.id, v.state
            ))
            .hint(format!("record the provider's acceptance first: hcp respond {} accept", args.id))
            .into());
        }
        let mut r = v.r.clone();
        r.state = State::Confirmed.as_str().into();
        r.confirmed_at = Some(store_instant(at));
        r.confirmed_start = Some(start.to_string());
        if args.provider_ref.is_some() {
            r.provider_ref = args.provider_ref.clone();
        }
        if args.call_times.is_some() {
            r.call_times = args.call_times.clone();
        }
        if let Some(i) = indi {
            r.indi_completed_at = Some(store_instant(i));
        }
        // Guidance, accept 10: SDO within 2 working days of confirmation (contracted) or of the
        // Indi contract (non-contracted Indi); financial assessment within 2 working days.
        let sdo_base = match r.placement_type.as_deref() {
            Some("indi") => indi.map(london_date),
            _ => Some(london_date(at)),
        };
        r.sdo_due = sdo_base.map(|d| rules.calendar.add_working_days(d, 2).to_string());
        r.fa_due = Some(rules.calendar.add_working_days(london_date(at), 2).to_string());
        referrals::save(
            tx,
            &v.r,
            Event::new("placement confirmed", "referral", &store_instant(at), &now_s, &user).details(
                json!({ "start": r.confirmed_start, "sdo_due": r.sdo_due, "financial_assessment_due": r.fa_due }),
            ),
            &mut r,
        )?;
        crate::store::escalations::close_done(
            tx,
            r.id,
            &["confirmation-overdue"],
            &store_instant(at),
            &now_s,
            &user,
            "confirmation form returned",
        )?;
        Ok(r)
    })?;
    if json {
        let v = view::load(&store.conn, &rules, now, r.id)?;
        output::json(&v.to_json(now));
    } else {
        println!("Referral {} confirmed: care starts {}.", r.id, start.format("%a %d/%m/%Y"));
        match &r.sdo_due {
            Some(d) => println!("  SDO due by the end of {d} (2 working days)."),
            None => println!(
                "  SDO: due 2 working days after the Indi contract is completed; record it with --indi-completed."
            ),
        }
        if let Some(d) = &r.fa_due {
            println!("  Financial assessment due by the end of {d} (2 working days).");
        }
        println!("  When the SDO is sent: hcp sdo {} --sent", r.id);
    }
    Ok(Exit::Done)
}
