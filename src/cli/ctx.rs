//! The command context: database, clock, user, output mode. The ONLY reader of `HCP_NOW`,
//! `HCP_DB` and `HCP_USER` (and the login name), so tests can pin all of them from outside.

use crate::domain::dates::{parse_instant, store_instant, TimeError, ACCEPTED_DATETIME_FORMS};
use crate::error::UserError;
use crate::store::{reference, setting_num, Store};
use anyhow::Result;
use chrono::{DateTime, NaiveDate, Utc};
use std::io::IsTerminal;
use std::path::PathBuf;

pub struct Ctx {
    pub db_path: PathBuf,
    pub now: DateTime<Utc>,
    pub user: String,
    pub json: bool,
    /// Prompts only when stdin is a terminal and not under --json (SPEC §13).
    pub can_prompt: bool,
    /// Colour and progress bars only on a terminal.
    pub stdout_is_terminal: bool,
    /// Width and colour for tables.
    pub screen: crate::cli::output::Screen,
    store: Option<Store>,
    /// The command may create the database (see `Command::creates_database`).
    pub may_create: bool,
    /// Say on stderr where a new database was created (not for `init`, which says so itself).
    pub announce_new: bool,
}

pub use crate::domain::rules::Rules;

impl Ctx {
    pub fn from_env(
        db: Option<PathBuf>,
        json: bool,
        user: Option<String>,
        color: crate::cli::output::ColorChoice,
    ) -> Result<Ctx> {
        let now = match std::env::var("HCP_NOW") {
            Ok(s) if !s.trim().is_empty() => parse_instant(&s).map_err(|e| {
                UserError::usage(format!(
                    "HCP_NOW is set to '{s}', which {}",
                    match e {
                        TimeError::Unreadable => "is not a date and time hcp can read",
                        TimeError::DoesNotExist => "does not exist in London (the clocks went forward)",
                    }
                ))
                .hint(format!("use an ISO date and time such as 2026-11-23T09:00 (accepted: {ACCEPTED_DATETIME_FORMS}), or unset HCP_NOW"))
            })?,
            _ => Utc::now(),
        };
        let db_path = match db.or_else(|| std::env::var_os("HCP_DB").filter(|v| !v.is_empty()).map(PathBuf::from)) {
            Some(p) => p,
            None => directories::ProjectDirs::from("uk.gov", "Kent County Council", "hcp")
                .map(|d| d.data_dir().join("hcp.sqlite"))
                .or_else(|| directories::BaseDirs::new().map(|b| b.data_dir().join("hcp").join("hcp.sqlite")))
                .ok_or_else(|| {
                    UserError::new("cannot find a data directory for the database").hint("pass --db PATH or set HCP_DB")
                })?,
        };
        let user = match user {
            Some(u) => checked_user("--user", &u)?,
            None => match std::env::var("HCP_USER") {
                Ok(u) if !u.is_empty() => checked_user("HCP_USER", &u)?,
                _ => login_name().ok_or_else(|| {
                    UserError::usage("hcp cannot tell who you are for the audit log")
                        .hint("give --user NAME or set HCP_USER")
                })?,
            },
        };
        Ok(Ctx {
            db_path,
            now,
            user,
            json,
            can_prompt: !json && std::io::stdin().is_terminal(),
            stdout_is_terminal: std::io::stdout().is_terminal(),
            screen: crate::cli::output::Screen::detect(color),
            may_create: false,
            announce_new: false,
            store: None,
        })
    }

    /// The database, opened (created, migrated and given Kent's defaults) on first use.
    pub fn store(&mut self) -> Result<&mut Store> {
        if self.store.is_none() {
            let new = !self.db_path.exists();
            let mut s =
                if self.may_create { Store::open(&self.db_path)? } else { Store::open_existing(&self.db_path)? };
            if new && self.announce_new {
                crate::cli::output::warn(format!("created a new hcp database at {}", self.db_path.display()));
            }
            if s.setting("defaults.loaded")?.is_none() {
                s.write(|tx| reference::load_defaults(tx).map(|_| ()))?;
            }
            self.store = Some(s);
        }
        Ok(self.store.as_mut().expect("opened above"))
    }

    pub fn rules(&mut self) -> Result<Rules> {
        let conn = self.store()?.conn();
        let mut values = std::collections::HashMap::new();
        for s in crate::domain::settings::SETTINGS {
            let v = setting_num(conn, s.key, s.default)?;
            let v = s.check(v).map_err(|range| {
                UserError::new(format!("the database holds {v} for the setting {}: {range}", s.key))
                    .hint(format!("set it again: hcp settings set {} {}", s.key, s.default))
            })?;
            values.insert(s.key, v);
        }
        Ok(crate::domain::settings::rules(reference::calendar(conn)?, |s| values[s.key]))
    }

    /// `--at T` or now. A time more than 5 minutes in the future cannot have happened yet.
    pub fn at(&self, at: Option<&str>) -> Result<DateTime<Utc>> {
        match at {
            None => Ok(self.now),
            Some(s) => {
                let t = parse_time_arg("--at", s)?;
                if t > self.now + chrono::Duration::minutes(5) {
                    return Err(UserError::usage(format!(
                        "--at '{s}' is in the future (now is {})",
                        crate::domain::dates::show_instant(self.now)
                    ))
                    .hint("--at records when something already happened")
                    .into());
                }
                Ok(t)
            }
        }
    }

    /// The temporary folder (TMPDIR), for the demo database.
    pub fn temp_dir(&self) -> PathBuf {
        std::env::temp_dir()
    }

    pub fn now_str(&self) -> String {
        store_instant(self.now)
    }

    pub fn today(&self) -> NaiveDate {
        crate::domain::dates::london_date(self.now)
    }
}

/// A date and time given to a flag, or a usage error naming the flag, the value and the forms.
pub fn parse_time_arg(flag: &str, s: &str) -> Result<DateTime<Utc>> {
    parse_instant(s).map_err(|e| {
        let why = match e {
            TimeError::Unreadable => "is not a date or time hcp can read".to_string(),
            TimeError::DoesNotExist => "does not exist in London time (the clocks went forward that night)".to_string(),
        };
        UserError::usage(format!("{flag} '{s}' {why}"))
            .hint(format!("accepted forms: {ACCEPTED_DATETIME_FORMS}"))
            .into()
    })
}

/// A date given to a flag, or a usage error naming the flag, the value and the forms.
pub fn parse_date_arg(flag: &str, s: &str) -> Result<NaiveDate> {
    crate::domain::dates::parse_date(s).ok_or_else(|| {
        UserError::usage(format!("{flag} '{s}' is not a date hcp can read (or does not exist)"))
            .hint(format!("accepted forms: {}", crate::domain::dates::ACCEPTED_DATE_FORMS))
            .into()
    })
}

/// The user on the audit log: not blank, no control characters.
fn checked_user(source: &str, u: &str) -> Result<String> {
    let t = u.trim();
    if t.is_empty() {
        return Err(UserError::usage(format!("{source} is blank"))
            .hint("give the name of the person recording")
            .into());
    }
    if t.chars().any(char::is_control) {
        return Err(UserError::usage(format!("{source} holds a control character ({:?})", t))
            .hint("give a plain name for the audit log")
            .into());
    }
    Ok(t.to_string())
}

/// The login name: $USER, $USERNAME, else the account's name from the system.
fn login_name() -> Option<String> {
    for var in ["USER", "USERNAME", "LOGNAME"] {
        if let Ok(u) = std::env::var(var) {
            if let Ok(u) = checked_user(var, &u) {
                return Some(u);
            }
        }
    }
    account_name()
}

#[cfg(unix)]
fn account_name() -> Option<String> {
    // SAFETY: getpwuid returns a pointer into static storage or null; read at once, not kept.
    unsafe {
        let pw = libc::getpwuid(libc::getuid());
        if pw.is_null() || (*pw).pw_name.is_null() {
            return None;
        }
        std::ffi::CStr::from_ptr((*pw).pw_name).to_str().ok().map(str::to_string)
    }
}

#[cfg(not(unix))]
fn account_name() -> Option<String> {
    None
}
