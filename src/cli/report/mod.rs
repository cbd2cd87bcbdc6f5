//! `hcp report …`: the weekly wash-up (SPEC §11), for people, email, spreadsheets, scripts and
//! the browser.

pub mod washup;

use super::ctx::Ctx;
use super::Outcome;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    Washup(washup::Args),
}

pub fn run(ctx: &mut Ctx, c: Command) -> Outcome {
    match c {
        Command::Washup(a) => washup::run(ctx, a),
    }
}

/// The report formats (SPEC §11).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Markdown,
    Csv,
    Json,
    Html,
}
