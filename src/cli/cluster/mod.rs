//! `hcp cluster list|show|rank`.

pub mod list;
pub mod rank;
pub mod show;

use super::ctx::Ctx;
use super::Outcome;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    List(list::Args),
    Show(show::Args),
    Rank(rank::Args),
}

pub fn run(ctx: &mut Ctx, c: Command) -> Outcome {
    match c {
        Command::List(a) => list::run(ctx, a),
        Command::Show(a) => show::run(ctx, a),
        Command::Rank(a) => rank::run(ctx, a),
    }
}

/// Replace a ranked list (cluster providers or an area's other contracted order) from names.
pub fn set_ranking(
    tx: &rusqlite::Connection,
    ranking: crate::store::providers::Ranking,
    names: &str,
) -> anyhow::Result<Vec<String>> {
    let mut ids = Vec::new();
    let mut shown = Vec::new();
    for n in names.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let p = crate::store::reference::find_provider(tx, n)?;
        // Only contracted providers are ranked: clustered in a cluster, other contracted in an area.
        if crate::store::providers::get(tx, p.id)?.facts().contract != crate::domain::model::ProviderType::Contracted {
            return Err(crate::error::UserError::new(format!(
                "{} is not contracted; only contracted providers are ranked (non-contracted ones are approached only with the ASM's permission)",
                p.name
            ))
            .hint(format!("if it now holds a contract: hcp provider update \"{}\" --type contracted", p.name))
            .into());
        }
        if ids.contains(&p.id) {
            return Err(crate::error::UserError::usage(format!("{} is listed twice in --providers", p.name)).into());
        }
        ids.push(p.id);
        shown.push(p.name);
    }
    crate::store::providers::set_ranking(tx, ranking, &ids)?;
    Ok(shown)
}
