//! `hcp calendar show|update`: the bank holidays behind every working-day deadline.

pub mod show;
pub mod update;

use super::ctx::Ctx;
use super::Outcome;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    Show(show::Args),
    Update(update::Args),
}

pub fn run(ctx: &mut Ctx, c: Command) -> Outcome {
    match c {
        Command::Show(a) => show::run(ctx, a),
        Command::Update(a) => update::run(ctx, a),
    }
}
