//! `hcp escalate`: evaluate the rules of SPEC §8 for every open referral, raise one by hand,
//! resolve with a decision, list; `--amt` the 10+ working days list for the AMT.

pub mod amt;
pub mod evaluate;
pub mod list;
pub mod raise;
pub mod resolve;

use super::ctx::Ctx;
use super::Outcome;
use crate::domain::dates::json_instant;
use crate::domain::model::Decision;
use crate::domain::waiting::{Recipient, Rule};
use crate::store::escalations::Escalation;
use serde::Serialize;

/// Escalations: with no arguments, evaluate every open referral as of now and record each new
/// escalation once (re-running creates no duplicates), grouped by who must act.
#[derive(Debug, clap::Args)]
#[command(
    args_conflicts_with_subcommands = true,
    after_help = "Example:
  hcp escalate                         evaluate every open referral now
  hcp escalate --amt                   clients waiting 10+ working days, in detail, for the AMT
  hcp escalate 12 --to asm --reason \"family complaint\"
  hcp escalate list --open
  hcp escalate resolve 7 --decision approve-non-contracted --note \"AD agreed by phone\""
)]
pub struct Args {
    #[command(subcommand)]
    pub command: Option<Sub>,
    /// Raise an escalation about this referral by hand (with --to and --reason).
    pub id: Option<i64>,
    /// Who must act: asm, tm or ad (and po, amt, cm).
    #[arg(long, value_name = "WHO", requires = "id")]
    pub to: Option<Recipient>,
    /// Why (required with an id).
    #[arg(long, value_name = "R", requires = "id")]
    pub reason: Option<String>,
    /// The rule it falls under (default manual), e.g. sanctioned.
    #[arg(long, value_name = "RULE", requires = "id")]
    pub rule: Option<Rule>,
    /// The provider it concerns (e.g. a sanctioned provider to allow).
    #[arg(long, value_name = "P", requires = "id")]
    pub provider: Option<String>,
    /// Print every client waiting 10+ working days in detail, for the AMT.
    #[arg(long, conflicts_with = "id")]
    pub amt: bool,
    /// Only this area (with --amt or when evaluating).
    #[arg(long, value_name = "A")]
    pub area: Option<String>,
    /// When (default: now).
    #[arg(long, value_name = "T")]
    pub at: Option<String>,
}

#[derive(Debug, clap::Subcommand)]
pub enum Sub {
    List(list::Args),
    Resolve(resolve::Args),
}

pub fn run(ctx: &mut Ctx, args: Args) -> Outcome {
    match args.command {
        Some(Sub::List(a)) => list::run(ctx, a),
        Some(Sub::Resolve(a)) => resolve::run(ctx, a),
        None if args.amt => amt::run(ctx, args.area.as_deref()),
        None => match args.id {
            Some(id) => raise::run(ctx, id, &args),
            None => evaluate::run(ctx, &args),
        },
    }
}

/// An escalation as scripts read it (SPEC §17).
#[derive(Debug, Serialize)]
pub struct EscalationJson {
    pub id: i64,
    pub referral: Option<i64>,
    pub rule: Rule,
    pub to: Recipient,
    pub raised_at: String,
    pub resolved_at: Option<String>,
    pub decision: Option<Decision>,
    pub area: Option<String>,
    pub provider: Option<String>,
    pub note: Option<String>,
    pub decision_note: Option<String>,
    pub raised_by: String,
}

pub fn escalation_json(e: &Escalation) -> EscalationJson {
    EscalationJson {
        id: e.id,
        referral: e.referral,
        rule: e.rule,
        to: e.to,
        raised_at: json_instant(e.raised_at),
        resolved_at: e.resolved_at.map(json_instant),
        decision: e.decision,
        area: e.area.clone(),
        provider: e.provider.clone(),
        note: e.note.clone(),
        decision_note: e.decision_note.clone(),
        raised_by: e.raised_by.clone(),
    }
}

/// Escalations grouped by who must act, for people.
pub fn print_grouped(list: &[Escalation]) {
    for who in Recipient::ALL {
        let mine: Vec<&Escalation> = list.iter().filter(|e| e.to == *who).collect();
        if mine.is_empty() {
            continue;
        }
        println!("\n{} ({}):", who.label(), mine.len());
        let mut t = super::output::table(&["esc", "referral", "rule", "raised", "note", "decision"]);
        for e in mine {
            super::output::row(
                &mut t,
                vec![
                    e.id.to_string(),
                    e.referral.map(|r| r.to_string()).or_else(|| e.area.clone()).unwrap_or_default(),
                    e.rule.to_string(),
                    crate::domain::dates::show_instant(e.raised_at),
                    e.note.clone().unwrap_or_default(),
                    e.decision.map(|d| d.to_string()).unwrap_or_else(|| "open".into()),
                ],
            );
        }
        println!("{t}");
    }
}
