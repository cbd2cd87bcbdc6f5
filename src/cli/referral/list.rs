//! `hcp referral list`: the referrals, longest waiting first.

use crate::cli::ctx::Ctx;
use crate::cli::output::{self, Col, Text};
use crate::cli::view::{self, ReferralView};
use crate::cli::{Exit, Outcome};
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
    print_table(&ctx.screen, &list);
    Ok(Exit::Done)
}

/// The packages-to-be-placed list as a PO reads it: fitted to the terminal (least important
/// columns left out first), RAG in colour.
pub fn print_table(screen: &output::Screen, list: &[ReferralView]) {
    if list.is_empty() {
        println!("No referrals match.");
        return;
    }
    let cols = [
        Col { header: "#", priority: 9, wrap: false },
        Col { header: "Client", priority: 10, wrap: false },
        Col { header: "Name", priority: 10, wrap: true },
        Col { header: "State", priority: 7, wrap: false },
        Col { header: "RAG", priority: 9, wrap: false },
        Col { header: "Working days waiting", priority: 8, wrap: true },
        Col { header: "Area", priority: 4, wrap: true },
        Col { header: "Cluster", priority: 2, wrap: true },
        Col { header: "Package", priority: 5, wrap: true },
        Col { header: "Start", priority: 6, wrap: false },
        Col { header: "Missing", priority: 3, wrap: true },
    ];
    let rows: Vec<Vec<Text>> = list
        .iter()
        .map(|v| {
            let r = &v.r;
            vec![
                r.id.to_string().into(),
                r.client_id.clone().into(),
                r.name.clone().into(),
                v.state.as_str().into(),
                Text {
                    text: v.rag.map(|g| g.as_str().to_string()).unwrap_or_default(),
                    colour: v.rag.map(output::rag_colour),
                },
                v.working_days_waiting.map(|d| d.to_string()).unwrap_or_default().into(),
                v.area.clone().unwrap_or_default().into(),
                v.cluster.clone().unwrap_or_default().into(),
                v.package_short().into(),
                r.start_date.format("%d/%m/%Y").to_string().into(),
                r.missing.iter().map(|i| i.plain()).collect::<Vec<_>>().join("; ").into(),
            ]
        })
        .collect();
    println!("{}", output::fitted(screen, &cols, &rows));
    println!("{} referral{}", list.len(), if list.len() == 1 { "" } else { "s" });
}
