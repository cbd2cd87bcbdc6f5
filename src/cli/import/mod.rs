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

/// Read a whole CSV file as text, refusing what is not CSV at all with one clear error.
/// Files over this size are refused: a Packages sheet of a million rows is about 110 MB.
const MAX_FILE_BYTES: u64 = 512 * 1024 * 1024;

pub fn read_text(path: &std::path::Path, encoding: Option<&str>) -> anyhow::Result<String> {
    use std::io::Read;
    let cannot = |e: std::io::Error| {
        UserError::new(format!("cannot read {}: {e}", path.display()))
            .hint("check the file name and that you can read it")
    };
    let mut f = std::fs::File::open(path).map_err(cannot)?;
    // The first block decides whether this is text at all, before an endless input (/dev/zero)
    // or a binary file is read any further.
    let mut bytes = Vec::new();
    (&mut f).take(8192).read_to_end(&mut bytes).map_err(cannot)?;
    let utf16 = bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF");
    if !utf16 && bytes.contains(&0) {
        return Err(UserError::new(format!("{} is not a CSV file (it contains binary data)", path.display()))
            .hint("in Excel use File > Save As > CSV UTF-8 (or CSV), then import that file")
            .into());
    }
    f.take(MAX_FILE_BYTES).read_to_end(&mut bytes).map_err(cannot)?;
    if bytes.len() as u64 >= MAX_FILE_BYTES {
        return Err(UserError::new(format!("{} is larger than 512 MB; hcp does not read it", path.display()))
            .hint("is it the right file? A Packages sheet of a million rows is about 110 MB")
            .into());
    }
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(UserError::new(format!("{} is empty", path.display()))
            .hint("export the spreadsheet as CSV with its header row")
            .into());
    }
    crate::io::packages::decode(&bytes, encoding).map_err(|e| UserError::new(format!("{}: {e}", path.display())).into())
}
