//! `hcp referral list`: the referrals, longest waiting first.

use crate::cli::ctx::Ctx;
use crate::cli::output::{self, Col, Text};
use crate::cli::view::{self, ReferralView};
use crate::cli::{Exit, Outcome};
use crate::domain::model::{Rag, State};
use crate::store::{listing, offers, reference, referrals};

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

/// Each referral in the given states (every referral when empty), in one area when given, as
/// its view, in id order: read as a stream, one referral and its offers at a time.
pub fn each_view(
    ctx: &mut Ctx,
    states: &[State],
    area_id: Option<i64>,
    mut f: impl FnMut(ReferralView) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let rules = ctx.rules()?;
    let now = ctx.now;
    let conn = ctx.store()?.conn();
    let names = view::Names::load(conn)?;
    listing::each_with_offers(conn, states, area_id, |r, os| f(view::build(&names, &rules, now, r, os)))
}

/// Which referrals a list shows.
struct Filter {
    state: Option<State>,
    area_id: Option<i64>,
    rag: Option<Rag>,
}

impl Filter {
    fn new(ctx: &mut Ctx, state: Option<State>, area: Option<&str>, rag: Option<Rag>) -> anyhow::Result<Filter> {
        let area_id = match area {
            Some(a) => Some(reference::find_area(ctx.store()?.conn(), a)?.id),
            None => None,
        };
        Ok(Filter { state, area_id, rag })
    }

    /// The stored states to read: a lapse turns a stored `offered` or `considering` into
    /// `waiting`, so those are read too.
    fn stored(&self) -> Vec<State> {
        match self.state {
            Some(State::Waiting) => vec![State::Waiting, State::Offered, State::Considering],
            Some(s) => vec![s],
            None => State::ALL.iter().copied().filter(|s| s.open()).collect(),
        }
    }

    fn keeps(&self, v: &ReferralView) -> bool {
        let state_ok = match self.state {
            Some(s) => v.state == s,
            None => v.state.open(),
        };
        state_ok && self.rag.is_none_or(|g| v.rag == Some(g))
    }

    /// Longest waiting first, then by id.
    fn key(v: &ReferralView) -> (std::cmp::Reverse<u32>, i64) {
        (std::cmp::Reverse(v.working_days_waiting.unwrap_or(0)), v.r.id)
    }
}

/// Referrals filtered, longest waiting first. With no state: every referral still open.
pub fn views(
    ctx: &mut Ctx,
    state: Option<State>,
    area: Option<&str>,
    rag: Option<Rag>,
) -> anyhow::Result<Vec<ReferralView>> {
    let filter = Filter::new(ctx, state, area, rag)?;
    let mut out = Vec::new();
    each_view(ctx, &filter.stored(), filter.area_id, |v| {
        if filter.keeps(&v) {
            out.push(v);
        }
        Ok(())
    })?;
    out.sort_by_key(Filter::key);
    Ok(out)
}

/// The list as JSON, written a referral at a time: the order is found from the matching
/// referrals' keys alone, then each is read again and written, so memory holds keys, not the
/// list. Both readings are one snapshot of the database.
fn write_json(ctx: &mut Ctx, filter: &Filter) -> anyhow::Result<()> {
    let (rules, now) = (ctx.rules()?, ctx.now);
    let conn = ctx.store()?.conn();
    let names = view::Names::load(conn)?;
    let read = conn.unchecked_transaction()?;
    let mut keys = Vec::new();
    listing::each_with_offers(&read, &filter.stored(), filter.area_id, |r, os| {
        let v = view::build(&names, &rules, now, r, os);
        if filter.keeps(&v) {
            keys.push(Filter::key(&v));
        }
        Ok(())
    })?;
    keys.sort();
    let mut out = output::JsonArray::new(std::io::BufWriter::new(std::io::stdout().lock()));
    for (_, id) in keys {
        if let Some(r) = referrals::get(&read, id)? {
            out.push(&view::build(&names, &rules, now, r, offers::for_referral(&read, id)?).to_json(now))?;
        }
    }
    out.finish()?;
    read.finish()?;
    Ok(())
}

pub fn run(ctx: &mut Ctx, args: Args) -> Outcome {
    if ctx.json {
        let filter = Filter::new(ctx, args.state, args.area.as_deref(), args.rag)?;
        write_json(ctx, &filter)?;
        return Ok(Exit::Done);
    }
    let list = views(ctx, args.state, args.area.as_deref(), args.rag)?;
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
