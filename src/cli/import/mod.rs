//! `hcp import packages|clusters|cluster-providers`.

pub mod cluster_providers;
pub mod clusters;
pub mod cqc;
pub mod packages;
pub mod rows;

use super::ctx::Ctx;
use super::Outcome;
use crate::error::UserError;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    Packages(packages::Args),
    Clusters(clusters::Args),
    ClusterProviders(cluster_providers::Args),
    /// CQC's care directory: link Kent homecare locations to providers, record their latest check.
    CqcDirectory(cqc::DirectoryArgs),
    /// CQC's ratings file: each provider's most recent overall rating.
    CqcRatings(cqc::RatingsArgs),
}

pub fn run(ctx: &mut Ctx, c: Command) -> Outcome {
    match c {
        Command::Packages(a) => packages::run(ctx, a),
        Command::Clusters(a) => clusters::run(ctx, a),
        Command::ClusterProviders(a) => cluster_providers::run(ctx, a),
        Command::CqcDirectory(a) => cqc::directory(ctx, a),
        Command::CqcRatings(a) => cqc::ratings(ctx, a),
    }
}

pub use crate::io::packages::RowError;

/// A CSV reader over a file read into memory.
pub type CsvReader = csv::Reader<std::io::Cursor<Vec<u8>>>;

/// A reference-data CSV (clusters, cluster ranks) with the named columns, in any order and case:
/// the reader and each named column's position.
pub fn reference_csv(path: &std::path::Path, names: &[&str]) -> anyhow::Result<(CsvReader, Vec<usize>)> {
    let text = read_text(path, None)?;
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(std::io::Cursor::new(text.into_bytes()));
    let headers: Vec<String> = rdr.headers()?.iter().map(|h| h.to_ascii_lowercase()).collect();
    let cols: Option<Vec<usize>> = names.iter().map(|n| headers.iter().position(|h| h == n)).collect();
    let cols = cols.ok_or_else(|| {
        UserError::new(format!(
            "{} needs the columns {} (found: {})",
            path.display(),
            names.join(","),
            headers.join(",")
        ))
    })?;
    Ok((rdr, cols))
}

/// Read a whole (reference) CSV file as text, checked and decoded as a Packages sheet is
/// (`io::source`): these files are small, so they are read at once.
pub fn read_text(path: &std::path::Path, encoding: Option<&str>) -> anyhow::Result<String> {
    use std::io::Read;
    let src = crate::io::source::Source::open(path, encoding)?;
    let mut text = String::new();
    src.reader()?
        .read_to_string(&mut text)
        .map_err(|e| UserError::new(format!("cannot read {}: {e}", path.display())))?;
    Ok(text)
}
