//! `hcp referral list`: the referrals, longest waiting first.

use crate::cli::ctx::Ctx;
use crate::cli::view::{self, ReferralView};
use crate::cli::{output, Exit, Outcome};
use crate::domain::dates::show_date;
use crate::domain::model::{Rag, State};
use crate::store::{offers, reference, referrals};

/// List referrals, longest waiting first. With no filter: every referral not yet active,
/// cancelled or ended.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Example:\n  hcp referral list --rag red\n  hcp referral list --state incomplete --area \"Canterbury & Coastal\""
)]
pub struct Args {
    /// Only this state.
    #[arg(long)]
    pub state: Option<State>,
    /// Only this area.
    #[arg(long)]
    pub area: Option<String>,
    /// Only this RAG.
    #[arg(long)]
    pub rag: Option<Rag>,
}

/// The views of every referral in the given states (every referral when empty), by id.
/// Only those referrals and their offers are read.
pub fn views_in(ctx: &mut Ctx, states: &[State]) -> anyhow::Result<Vec<ReferralView>> {
    let rules = ctx.rules()?;
    let now = ctx.now;
    let conn = ctx.store()?.conn();
    let names = view::Names::load(conn)?;
    let states = if states.is_empty() { State::ALL } else { states };
    let all = referrals::in_states(conn, states)?;
    let mut offers = offers::for_states(conn, states)?;
    Ok(all
        .into_iter()
        .map(|r| {
            let os = offers.remove(&r.id).unwrap_or_default();
            view::build(&names, &rules, now, r, os)
        })
        .collect())
}

/// Referrals filtered, longest waiting first. With no state: every referral still open.
pub fn views(
    ctx: &mut Ctx,
    state: Option<State>,
    area: Option<&str>,
    rag: Option<Rag>,
) -> anyhow::Result<Vec<ReferralView>> {
    let area = match area {
        Some(a) => Some(reference::find_area(ctx.store()?.conn(), a)?.name),
        None => None,
    };
    // A lapse turns a stored `offered` or `considering` into `waiting`, so read those too.
    let stored: Vec<State> = match state {
        Some(State::Waiting) => vec![State::Waiting, State::Offered, State::Considering],
        Some(s) => vec![s],
        None => State::ALL.iter().copied().filter(|s| s.open()).collect(),
    };
    let mut out: Vec<ReferralView> = views_in(ctx, &stored)?
        .into_iter()
        .filter(|v| {
            let state_ok = match state {
                Some(s) => v.state == s,
                None => v.state.open(),
            };
            state_ok
                && area.as_ref().is_none_or(|a| v.area.as_deref() == Some(a.as_str()))
                && rag.is_none_or(|g| v.rag == Some(g))
        })
        .collect();
    out.sort_by(|a, b| {
        b.working_days_waiting.unwrap_or(0).cmp(&a.working_days_waiting.unwrap_or(0)).then(a.r.id.cmp(&b.r.id))
    });
    Ok(out)
}

pub fn run(ctx: &mut Ctx, args: Args) -> Outcome {
    let (state, rag) = (args.state, args.rag);
    let now = ctx.now;
    let list = views(ctx, state, args.area.as_deref(), rag)?;
    if ctx.json {
        output::json(&list.iter().map(|v| v.to_json(now)).collect::<Vec<_>>());
        return Ok(Exit::Done);
    }
    print_table(&list);
    Ok(Exit::Done)
}

pub fn print_table(list: &[ReferralView]) {
    if list.is_empty() {
        println!("No referrals match.");
        return;
    }
    let mut t = output::table(&[
        "id", "client", "name", "state", "RAG", "WD", "area", "cluster", "package", "start", "missing",
    ]);
    for v in list {
        output::row(
            &mut t,
            vec![
                v.r.id.to_string(),
                v.r.client_id.clone(),
                v.r.name.clone(),
                v.state.as_str().to_string(),
                v.rag.map(|r| r.as_str().to_string()).unwrap_or_default(),
                v.working_days_waiting.map(|d| d.to_string()).unwrap_or_default(),
                v.area.clone().unwrap_or_default(),
                v.cluster.clone().unwrap_or_default(),
                v.package_line(),
                show_date(v.r.start_date),
                v.r.missing.iter().map(|i| i.as_str()).collect::<Vec<_>>().join(", "),
            ],
        );
    }
    println!("{t}");
    println!("{} referral{}", list.len(), if list.len() == 1 { "" } else { "s" });
}
