//! `hcp capacity add|list|remove`: capacity providers report as coming free (SPEC §11.6).

pub mod add;
pub mod list;
pub mod remove;

use super::ctx::Ctx;
use super::Outcome;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    Add(add::Args),
    List(list::Args),
    Remove(remove::Args),
}

pub fn run(ctx: &mut Ctx, c: Command) -> Outcome {
    match c {
        Command::Add(a) => add::run(ctx, a),
        Command::List(a) => list::run(ctx, a),
        Command::Remove(a) => remove::run(ctx, a),
    }
}
