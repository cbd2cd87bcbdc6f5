//! `hcp demo`.
use super::ctx::Ctx;
use super::{Exit, Outcome};

/// Build a fictional demo database and show the list.
#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_ctx: &mut Ctx, _args: Args) -> Outcome {
    Ok(Exit::Done)
}
