//! `hcp backup FILE`: a consistent copy of the database while others use it (SPEC §14).

use super::ctx::Ctx;
use super::{output, Exit, Outcome};
use crate::error::UserError;
use serde_json::json;

/// Write a consistent copy of the whole database to FILE (readable by its owner only), safe to
/// run while other officers are working: SQLite's `VACUUM INTO` reads one snapshot.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example:\n  hcp backup /secure/backups/hcp-2026-11-23.sqlite")]
pub struct Args {
    /// Where to write the copy (must not exist yet).
    pub file: std::path::PathBuf,
}

pub fn run(ctx: &mut Ctx, args: Args) -> Outcome {
    if args.file.exists() {
        return Err(UserError::new(format!(
            "{} already exists; a backup never overwrites a file",
            args.file.display()
        ))
        .hint("choose a new file name, e.g. with today's date")
        .into());
    }
    let json = ctx.json;
    let store = ctx.store()?;
    let target = args.file.to_str().ok_or_else(|| UserError::usage("the backup file name is not valid UTF-8"))?;
    store.backup_to(target).map_err(|e| {
        UserError::new(format!("cannot write the backup to {}: {e}", args.file.display()))
            .hint("check the folder exists and you can write to it")
    })?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&args.file, std::fs::Permissions::from_mode(0o600))?;
    }
    let bytes = std::fs::metadata(&args.file)?.len();
    if json {
        output::json(&json!({ "backup": args.file.display().to_string(), "bytes": bytes }));
    } else {
        println!("Backup written to {} ({:.1} MB).", args.file.display(), bytes as f64 / 1e6);
    }
    Ok(Exit::Done)
}
