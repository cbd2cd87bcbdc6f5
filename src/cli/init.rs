//! `hcp init`: create or migrate the database and load Kent's defaults. Running it again changes nothing.

use super::ctx::Ctx;
use super::{output, Exit, Outcome};
use serde_json::json;

/// Create (or open and migrate) the database and load the shipped Kent defaults: areas,
/// districts, the 182 MSOAs, 61,392 postcodes, one cluster per district, bank holidays.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example:\n  hcp init\n  HCP_DB=/tmp/x.sqlite hcp init --json")]
pub struct Args {}

pub fn run(ctx: &mut Ctx, _args: Args) -> Outcome {
    let json = ctx.json;
    let path = ctx.db_path.clone();
    let store = ctx.store()?;
    let version = store.schema_version()?;
    let path = std::fs::canonicalize(&path).unwrap_or(path);
    if json {
        output::json(&json!({ "db": path.display().to_string(), "schema_version": version }));
    } else {
        println!("Database {} ready (schema version {version}).", path.display());
    }
    Ok(Exit::Done)
}
