//! hcp: home care purchasing for Kent County Council's Purchasing teams.
//!
//! `domain` decides, `store` persists, `cli` parses and prints, `io` reads and writes files.

#![warn(clippy::too_many_lines)]

pub mod cli;
pub mod domain;
pub mod error;
pub mod io;
pub mod store;
