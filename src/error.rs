//! Errors meant for people: what was wrong (with the offending value), what to do (`Hint:` lines),
//! and the exit code (SPEC §13: 1 error, 2 usage error).

use std::fmt;

#[derive(Debug, Clone)]
pub struct UserError {
    pub message: String,
    pub hints: Vec<String>,
    pub exit: u8,
}

impl UserError {
    /// An error: nothing changed (exit 1).
    pub fn new(message: impl Into<String>) -> Self {
        UserError { message: message.into(), hints: Vec::new(), exit: 1 }
    }
    /// A usage error: a flag is missing or its value cannot be read (exit 2).
    pub fn usage(message: impl Into<String>) -> Self {
        UserError { exit: 2, ..UserError::new(message) }
    }
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hints.push(hint.into());
        self
    }
}

impl fmt::Display for UserError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for UserError {}

/// Shorthand: `return Err(fail("..."))`.
pub fn fail(message: impl Into<String>) -> anyhow::Error {
    UserError::new(message).into()
}
