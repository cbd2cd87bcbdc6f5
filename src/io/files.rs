//! Files of personal data (exports, emails, letters, reports): created readable by their owner
//! only from the first byte (mode 0600, whatever the umask), never written over the database or
//! its `-wal`/`-shm` files, never over an existing file without `--force`, and written whole or
//! not at all (a temporary file in the same folder, renamed into place).

use crate::error::UserError;
use anyhow::Result;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Where a file of personal data may be written.
#[derive(Debug, Clone)]
pub struct Target {
    pub path: PathBuf,
    /// Replace an existing file (`--force`).
    pub force: bool,
}

/// The absolute form of a path that may not exist yet: its folder canonicalised, its name kept.
fn absolute(path: &Path) -> Option<PathBuf> {
    let name = path.file_name()?;
    let dir = match path.parent().filter(|d| !d.as_os_str().is_empty()) {
        Some(d) => d.canonicalize().ok()?,
        None => std::env::current_dir().ok()?,
    };
    Some(dir.join(name))
}

/// Refuse a target that is the database (or its journal files), a folder, or an existing file
/// without `--force`. Nothing is written.
pub fn check(target: &Target, db: &Path) -> Result<()> {
    let path = &target.path;
    if path.is_dir() {
        return Err(UserError::new(format!("{} is a folder, not a file", path.display()))
            .hint("give a file name in that folder, e.g. FOLDER/export.csv")
            .into());
    }
    if let (Some(t), Some(d)) = (absolute(path), absolute(db)) {
        let d = d.to_string_lossy().into_owned();
        let t = t.to_string_lossy().into_owned();
        if [d.clone(), format!("{d}-wal"), format!("{d}-shm"), format!("{d}-journal")].contains(&t) {
            return Err(UserError::new(format!(
                "{} is hcp's database; hcp never writes output over it",
                path.display()
            ))
            .hint("choose another file name")
            .into());
        }
    }
    if path.exists() && !target.force {
        return Err(UserError::new(format!("{} already exists; hcp does not overwrite files", path.display()))
            .hint("choose another name, or add --force to replace it")
            .into());
    }
    Ok(())
}

/// A file being written: private from the first byte, in place only when finished.
pub struct PrivateFile {
    temp: tempfile::NamedTempFile,
    target: Target,
}

impl PrivateFile {
    /// Start writing `target` (checked against the database first).
    pub fn create(target: &Target, db: &Path) -> Result<PrivateFile> {
        check(target, db)?;
        let dir = match target.path.parent().filter(|d| !d.as_os_str().is_empty()) {
            Some(d) => d.to_path_buf(),
            None => PathBuf::from("."),
        };
        // tempfile creates the file with mode 0600 (O_EXCL), whatever the umask.
        let temp = tempfile::Builder::new().prefix(".hcp-").suffix(".part").tempfile_in(&dir).map_err(|e| {
            UserError::new(format!("cannot write in {}: {e}", dir.display()))
                .hint("check the folder exists and you can write to it")
        })?;
        Ok(PrivateFile { temp, target: target.clone() })
    }

    pub fn writer(&mut self) -> &mut std::fs::File {
        self.temp.as_file_mut()
    }

    /// Flush to disk and move into place; until then the target is untouched.
    pub fn finish(mut self) -> Result<PathBuf> {
        let path = self.target.path.clone();
        self.temp.as_file_mut().flush()?;
        self.temp.as_file().sync_all().map_err(|e| UserError::new(format!("cannot write {}: {e}", path.display())))?;
        let persisted = if self.target.force { self.temp.persist(&path) } else { self.temp.persist_noclobber(&path) };
        persisted.map_err(|e| {
            UserError::new(format!("cannot write {}: {}", path.display(), e.error))
                .hint("nothing was written; check the folder and try again")
        })?;
        Ok(path)
    }
}

impl Write for PrivateFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.temp.write(buf)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.temp.flush()
    }
}

/// Create an empty file readable by its owner only (mode 0600 from the first byte); it must not
/// exist yet.
pub fn create_private_empty(path: &Path) -> Result<()> {
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
    o.open(path).map_err(|e| {
        UserError::new(format!("cannot create {}: {e}", path.display()))
            .hint("check the folder exists and you can write to it")
    })?;
    Ok(())
}

/// Write a whole file of personal data.
pub fn write_private(target: &Target, db: &Path, bytes: &[u8]) -> Result<PathBuf> {
    let mut f = PrivateFile::create(target, db)?;
    f.write_all(bytes).map_err(|e| UserError::new(format!("cannot write {}: {e}", target.path.display())))?;
    f.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(unix)]
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn never_over_the_database_nor_an_existing_file_without_force() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("hcp.sqlite");
        std::fs::write(&db, b"db").unwrap();
        for name in ["hcp.sqlite", "hcp.sqlite-wal", "hcp.sqlite-shm"] {
            let t = Target { path: dir.path().join(name), force: true };
            assert!(write_private(&t, &db, b"x").is_err(), "{name}");
        }
        assert_eq!(std::fs::read(&db).unwrap(), b"db");
        let out = dir.path().join("out.csv");
        write_private(&Target { path: out.clone(), force: false }, &db, b"one").unwrap();
        assert!(write_private(&Target { path: out.clone(), force: false }, &db, b"two").is_err());
        assert_eq!(std::fs::read(&out).unwrap(), b"one");
        write_private(&Target { path: out.clone(), force: true }, &db, b"two").unwrap();
        assert_eq!(std::fs::read(&out).unwrap(), b"two");
        #[cfg(unix)]
        assert_eq!(std::fs::metadata(&out).unwrap().permissions().mode() & 0o777, 0o600);
        // No temporary file is left behind.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
    }
}
