//! `hcp provider add|list|show|sanction`.

pub mod add;
pub mod list;
pub mod sanction;
pub mod show;

use super::ctx::Ctx;
use super::Outcome;
use crate::store::providers::Provider;
use serde_json::{json, Value};

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    Add(add::Args),
    List(list::Args),
    Show(show::Args),
    Sanction(sanction::Args),
}

pub fn run(ctx: &mut Ctx, c: Command) -> Outcome {
    match c {
        Command::Add(a) => add::run(ctx, a),
        Command::List(a) => list::run(ctx, a),
        Command::Show(a) => show::run(ctx, a),
        Command::Sanction(a) => sanction::run(ctx, a),
    }
}

/// SPEC §17 provider JSON.
pub fn provider_json(p: &Provider) -> Value {
    json!({
        "id": p.id,
        "name": p.name,
        "type": p.kind,
        "areas": p.areas,
        "cqc_rating": p.cqc_rating,
        "exceptions_list": p.exceptions_list,
        "sanctioned": p.sanctioned,
        "status": p.status,
        "email": p.email,
        "senior_email": p.senior_email,
        "clusters": p.clusters,
    })
}
