//! Persistence: one SQLite file, opened with WAL, a busy timeout, foreign keys and mode 0600;
//! migrations tracked by `PRAGMA user_version`; every write in one IMMEDIATE transaction.

pub mod audit;
pub mod capacity;
mod checks;
pub mod columns;
pub mod cqc;
pub mod escalations;
pub mod events;
pub mod exits;
pub mod flex;
pub mod import;
pub mod lifecycle;
pub mod listing;
pub mod offers;
mod open;
pub mod providers;
pub mod rates;
pub mod reference;
pub mod referrals;
pub mod reviews;
pub mod washup;
pub mod watch;

use crate::error::UserError;
use anyhow::{Context, Result};
use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior};
use std::path::{Path, PathBuf};

#[cfg(test)]
mod plans;

/// Migrations in order; the database's `user_version` is how many have run.
const MIGRATIONS: &[&str] =
    &[include_str!("../../schema.sql"), include_str!("../../schema_2.sql"), include_str!("../../schema_3.sql")];

pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

pub struct Store {
    conn: Connection,
    pub path: Option<PathBuf>,
}

impl Store {
    /// Open (creating with mode 0600 if needed) and migrate forward. A file that is not an hcp
    /// database is refused and left as it is.
    pub fn open(path: &Path) -> Result<Store> {
        Store::open_with(path, true)
    }

    /// Open an existing database; a missing one is an error naming the path and `hcp init`
    /// (read commands never create an empty database in the wrong place).
    pub fn open_existing(path: &Path) -> Result<Store> {
        Store::open_with(path, false)
    }

    fn open_with(path: &Path, create: bool) -> Result<Store> {
        let conn = open::connect(path, create)?;
        let mut store = Store { conn, path: Some(path.to_path_buf()) };
        #[cfg(test)]
        store.conn.trace(Some(plans::record));
        open::identify(&store.conn, path)?;
        store.configure()?;
        store.migrate()?;
        Ok(store)
    }

    /// A private database in memory, for tests.
    pub fn in_memory() -> Result<Store> {
        let mut store = Store { conn: Connection::open_in_memory()?, path: None };
        store.configure()?;
        store.migrate()?;
        Ok(store)
    }

    fn configure(&mut self) -> Result<()> {
        self.conn.busy_timeout(std::time::Duration::from_secs(5)).context("setting the busy timeout")?;
        // WAL lets officers read while another writes; the pragma answers with the mode it set.
        // Switching a new file to WAL needs it alone for a moment: when many first uses race,
        // SQLite answers "busy" at once rather than wait (to avoid a deadlock), so retry.
        let mut tries = 0;
        loop {
            match self.conn.query_row("PRAGMA journal_mode=WAL", [], |r| r.get::<_, String>(0)) {
                Ok(_) => break,
                Err(rusqlite::Error::SqliteFailure(f, _))
                    if matches!(f.code, rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
                        && tries < 250 =>
                {
                    tries += 1;
                    std::thread::sleep(std::time::Duration::from_millis(20));
                }
                Err(e) => return Err(open::explain_open(self.path.as_deref(), e)),
            }
        }
        self.conn.execute_batch("PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;")?;
        Ok(())
    }

    /// The connection, for the functions of `store`'s modules (SQL text lives only in `src/store`;
    /// `tests/cli/house.rs` checks).
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    pub fn schema_version(&self) -> Result<i64> {
        Ok(self.conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    fn migrate(&mut self) -> Result<()> {
        let current = self.schema_version()?;
        if current > SCHEMA_VERSION {
            return Err(UserError::new(format!(
                "the database {} has schema version {current}, newer than this hcp understands (version {SCHEMA_VERSION})",
                self.path.as_deref().map(|p| p.display().to_string()).unwrap_or_default()
            ))
            .hint("use the newer hcp that wrote this database; hcp never migrates a database backward")
            .into());
        }
        if current == SCHEMA_VERSION {
            return Ok(());
        }
        // Rebuilding a table (migration 2) needs foreign keys off; they are checked before each
        // commit instead (SQLite's documented procedure for schema changes).
        self.conn.execute_batch("PRAGMA foreign_keys=OFF")?;
        let result = self.run_migrations(current);
        self.conn.execute_batch("PRAGMA foreign_keys=ON")?;
        result
    }

    fn run_migrations(&mut self, current: i64) -> Result<()> {
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(current as usize) {
            let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            // Another process may have migrated while we waited for the lock.
            let now: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
            if now > i as i64 {
                continue;
            }
            tx.execute_batch(sql).with_context(|| format!("running migration {}", i + 1))?;
            after_migration(&tx, i + 1)?;
            let broken: i64 = tx.query_row("SELECT COUNT(*) FROM pragma_foreign_key_check", [], |r| r.get(0))?;
            if broken > 0 {
                anyhow::bail!("migration {} would leave {broken} broken references; nothing was changed", i + 1);
            }
            tx.pragma_update(None, "user_version", (i + 1) as i64)?;
            tx.pragma_update(None, "application_id", open::APPLICATION_ID)?;
            tx.commit()?;
        }
        Ok(())
    }

    /// Run `f` in one IMMEDIATE transaction: all of it is written, or none of it.
    pub fn write<T>(&mut self, f: impl FnOnce(&Transaction) -> Result<T>) -> Result<T> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let out = f(&tx)?;
        tx.commit()?;
        Ok(out)
    }

    /// Run `f` in one IMMEDIATE transaction and commit only if it says so (`--dry-run`,
    /// `--strict` imports roll back): all of it is written, or none of it.
    pub fn write_if<T>(&mut self, f: impl FnOnce(&Transaction) -> Result<(T, bool)>) -> Result<T> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let (out, commit) = f(&tx)?;
        if commit {
            tx.commit()?;
        } else {
            tx.rollback()?;
        }
        Ok(out)
    }

    /// A consistent copy of the database in a new file (SQLite's `VACUUM INTO` reads one snapshot,
    /// so officers may go on working).
    pub fn backup_to(&self, target: &str) -> rusqlite::Result<usize> {
        self.conn.execute("VACUUM INTO ?1", [target])
    }

    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        Ok(self.conn.query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| r.get(0)).optional()?)
    }
}

/// The steps of a migration that SQL alone cannot do.
fn after_migration(tx: &Transaction, version: usize) -> Result<()> {
    if version == 2 {
        // Hash the events recorded before the chain, then guard them again.
        audit::backfill(tx)?;
        tx.execute_batch(
            "CREATE TRIGGER events_no_update BEFORE UPDATE ON events
             BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;",
        )?;
    }
    if version == 3 {
        checks::rewrite(tx)?;
    }
    Ok(())
}

/// Database errors in words: a busy file, a stored value that does not read. Anything else is
/// passed on as it is.
pub fn explain(err: anyhow::Error) -> anyhow::Error {
    if err.downcast_ref::<UserError>().is_some() {
        return err;
    }
    if let Some(bad) = columns::corrupt_value(&err) {
        return bad.user_error().into();
    }
    let busy = err.chain().any(|c| {
        matches!(c.downcast_ref::<rusqlite::Error>(), Some(rusqlite::Error::SqliteFailure(f, _))
            if matches!(f.code, rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked))
    });
    if busy {
        return UserError::new("the database is busy: another hcp has held it for more than 5 seconds")
            .hint("nothing was changed; try the command again")
            .into();
    }
    if let Some(e) = err.chain().find_map(|c| c.downcast_ref::<rusqlite::Error>()) {
        if let Some(words) = open::sqlite_trouble(e) {
            return UserError::new(words).hint("nothing was changed").into();
        }
    }
    err
}

/// A setting read as a number; the default when it is not set. A stored value that is not a
/// number, or a database error, is an error naming it — never silently the default.
pub fn setting_num<T: std::str::FromStr>(conn: &Connection, key: &str, default: T) -> Result<T> {
    match reference::setting(conn, key)? {
        None => Ok(default),
        Some(v) => v.trim().parse().map_err(|_| {
            UserError::new(format!("the database holds '{v}' for the setting {key}, which is not a number"))
                .hint(format!("set it again: hcp settings set {key} N"))
                .into()
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrates_to_the_current_version() -> Result<()> {
        let s = Store::in_memory()?;
        assert_eq!(s.schema_version()?, SCHEMA_VERSION);
        Ok(())
    }

    #[test]
    fn events_are_append_only() -> Result<()> {
        let mut s = Store::in_memory()?;
        s.write(|tx| {
            tx.execute("INSERT INTO events (at, recorded_at, user, event, entity) VALUES ('x','x','u','e','t')", [])?;
            Ok(())
        })?;
        assert!(s.conn.execute("UPDATE events SET user = 'v'", []).is_err());
        assert!(s.conn.execute("DELETE FROM events", []).is_err());
        Ok(())
    }

    #[test]
    fn a_newer_database_is_refused_naming_both_versions() -> Result<()> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("x.sqlite");
        drop(Store::open(&path)?);
        Connection::open(&path)?.pragma_update(None, "user_version", 99)?;
        let err = Store::open(&path).err().expect("refused");
        let msg = err.to_string();
        assert!(msg.contains("99") && msg.contains(&SCHEMA_VERSION.to_string()), "{msg}");
        Ok(())
    }

    #[cfg(unix)]
    #[test]
    fn the_file_is_private() -> Result<()> {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("x.sqlite");
        drop(Store::open(&path)?);
        assert_eq!(std::fs::metadata(&path)?.permissions().mode() & 0o777, 0o600);
        Ok(())
    }
}
