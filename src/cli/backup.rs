//! `hcp backup FILE`: a consistent copy of the database while others use it (SPEC §14).

use super::ctx::Ctx;
use super::{output, Exit, Outcome};
use crate::error::UserError;
use crate::io::files;
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
    // Never over the database, never over an existing file.
    files::check(&files::Target { path: args.file.clone(), force: false }, &ctx.db_path)?;
    let json = ctx.json;
    let target = args.file.to_str().ok_or_else(|| UserError::usage("the backup file name is not valid UTF-8"))?;
    // Created empty and private first: VACUUM INTO then fills it (and its journal takes the
    // file's mode), so the copy is never readable by others, whatever the umask.
    files::create_private_empty(&args.file)?;
    let store = ctx.store()?;
    if let Err(e) = store.backup_to(target) {
        let _ = std::fs::remove_file(&args.file);
        return Err(UserError::new(format!("cannot write the backup to {}: {e}", args.file.display()))
            .hint("check the folder exists, you can write to it and the disk has room")
            .into());
    }
    let bytes = std::fs::metadata(&args.file)?.len();
    if json {
        output::json(&json!({ "backup": args.file.display().to_string(), "bytes": bytes }));
    } else {
        println!("Backup written to {} ({} KB).", args.file.display(), bytes / 1024);
    }
    Ok(Exit::Done)
}
