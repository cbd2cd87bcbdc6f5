//! Opening the database file: created private (0600) under a lock so that many first uses at once
//! all succeed; a file that is not hcp's (another program's SQLite file, a damaged file) refused
//! and left exactly as it was; each way of failing in its own words.

use crate::error::UserError;
use anyhow::Result;
use rusqlite::{Connection, ErrorCode, OpenFlags};
use std::path::Path;

/// hcp's `PRAGMA application_id` ("HCP1"), set by the migrations.
pub const APPLICATION_ID: i32 = 0x4843_5031;

fn hint_db() -> &'static str {
    "pass --db PATH or set HCP_DB to an hcp database, or to a new file name to create one"
}

/// Open the file, creating it (mode 0600 from the first byte) when `create` allows.
pub fn connect(path: &Path, create: bool) -> Result<Connection> {
    if !path.exists() {
        if !create {
            return Err(UserError::new(format!("there is no hcp database at {}", path.display()))
                .hint("create it with `hcp init` (with the same --db or HCP_DB), or point --db / HCP_DB at the right file")
                .into());
        }
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| {
                UserError::new(format!("cannot create the folder {} for the database: {e}", dir.display()))
                    .hint("pass --db PATH or set HCP_DB to a file in a folder you can write to")
            })?;
        }
        create_private(path)?;
    } else if std::fs::metadata(path).map(|m| m.len() == 0).unwrap_or(false) {
        // An empty file someone made: it becomes hcp's, so it must not stay readable by others.
        make_private(path)?;
    }
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI;
    let conn = Connection::open_with_flags(path, flags).map_err(|e| explain_open(Some(path), e))?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    Ok(conn)
}

/// Refuse, before anything is written, a file that is not an hcp database: an hcp file has
/// hcp's application id, or (written by hcp before it set one) hcp's own tables; a new file is
/// empty.
pub fn identify(conn: &Connection, path: &Path) -> Result<()> {
    let read =
        |sql: &str| -> Result<i64> { conn.query_row(sql, [], |r| r.get(0)).map_err(|e| explain_open(Some(path), e)) };
    let app = read("PRAGMA application_id")?;
    if app == i64::from(APPLICATION_ID) {
        return Ok(());
    }
    let tables = read("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'")?;
    let hcp_tables =
        read("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN ('referrals', 'events', 'offers')")?;
    if app == 0 && (tables == 0 || hcp_tables == 3) {
        return Ok(());
    }
    Err(UserError::new(format!(
        "{} is a SQLite database of another program (application id {app}, {tables} tables), not an hcp database; it was left as it was",
        path.display()
    ))
    .hint(hint_db())
    .into())
}

/// A SQLite failure in a purchasing officer's words, when it is one of the common ones.
pub fn sqlite_trouble(e: &rusqlite::Error) -> Option<String> {
    let rusqlite::Error::SqliteFailure(f, _) = e else {
        return None;
    };
    Some(
        match f.code {
            ErrorCode::DiskFull => "the disk is full: hcp could not write",
            ErrorCode::ReadOnly => "the database (or its folder) is read-only: hcp could not write",
            ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt => "the database file is damaged",
            ErrorCode::CannotOpen => "the database file cannot be opened (check the folder and its permissions)",
            ErrorCode::PermissionDenied => "permission denied for the database file",
            _ => return None,
        }
        .to_string(),
    )
}

/// Opening failed: say which way.
pub fn explain_open(path: Option<&Path>, e: rusqlite::Error) -> anyhow::Error {
    let p = path.map(|p| p.display().to_string()).unwrap_or_default();
    let code = match &e {
        rusqlite::Error::SqliteFailure(f, _) => Some(f.code),
        _ => None,
    };
    let (what, hint) = match code {
        Some(ErrorCode::NotADatabase) | Some(ErrorCode::DatabaseCorrupt) => (
            format!("{p} is damaged or is not a database file"),
            "restore it from a backup (`hcp backup` makes one), or point --db / HCP_DB at the right file".to_string(),
        ),
        Some(ErrorCode::ReadOnly) | Some(ErrorCode::CannotOpen) | Some(ErrorCode::PermissionDenied) => (
            format!("cannot write to {p}: the file or its folder is read-only ({e})"),
            "hcp keeps a -wal and -shm file beside the database: the folder must be writable".to_string(),
        ),
        Some(ErrorCode::DatabaseBusy) | Some(ErrorCode::DatabaseLocked) => (
            format!("{p} is busy: another hcp has held it for more than 5 seconds"),
            "nothing was changed; try the command again".to_string(),
        ),
        Some(ErrorCode::DiskFull) => {
            (format!("the disk holding {p} is full"), "free some space; nothing was changed".to_string())
        }
        _ => (format!("cannot open the database {p}: {e}"), hint_db().to_string()),
    };
    UserError::new(what).hint(hint).into()
}

#[cfg(unix)]
fn create_private(path: &Path) -> Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    match std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path) {
        Ok(_) => Ok(()),
        // Another hcp created it a moment ago (many first uses at once): use theirs.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(UserError::new(format!("cannot create the database {}: {e}", path.display()))
            .hint("pass --db PATH or set HCP_DB to a file in a folder you can write to")
            .into()),
    }
}

#[cfg(not(unix))]
fn create_private(path: &Path) -> Result<()> {
    std::fs::File::create(path)?;
    Ok(())
}

#[cfg(unix)]
fn make_private(path: &Path) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
        .map_err(|e| UserError::new(format!("cannot make {} private: {e}", path.display())).into())
}

#[cfg(not(unix))]
fn make_private(_path: &Path) -> Result<()> {
    Ok(())
}
