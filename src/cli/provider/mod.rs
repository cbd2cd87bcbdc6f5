//! `hcp provider add|list|show|update|sanction`.

pub mod add;
pub mod list;
pub mod sanction;
pub mod show;
pub mod update;

use super::ctx::Ctx;
use super::Outcome;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    Add(add::Args),
    List(list::Args),
    Show(show::Args),
    Update(update::Args),
    Sanction(sanction::Args),
}

pub fn run(ctx: &mut Ctx, c: Command) -> Outcome {
    match c {
        Command::Add(a) => add::run(ctx, a),
        Command::List(a) => list::run(ctx, a),
        Command::Show(a) => show::run(ctx, a),
        Command::Update(a) => update::run(ctx, a),
        Command::Sanction(a) => sanction::run(ctx, a),
    }
}
