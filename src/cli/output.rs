//! Output: one JSON document for scripts, comfy-table tables for people, warnings on stderr.

use comfy_table::{presets::UTF8_FULL_CONDENSED, ContentArrangement, Table};
use serde::Serialize;

pub fn json<T: Serialize>(value: &T) {
    match serde_json::to_string_pretty(value) {
        Ok(s) => println!("{s}"),
        Err(e) => eprintln!("hcp: cannot write JSON: {e}"),
    }
}

/// A typed JSON document with a few extra keys beside it (e.g. a referral and its email).
#[derive(Serialize)]
pub struct With<T: Serialize, E: Serialize> {
    #[serde(flatten)]
    pub base: T,
    #[serde(flatten)]
    pub extra: E,
}

pub fn table(headers: &[&str]) -> Table {
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(headers.to_vec());
    t
}

pub fn warn(msg: impl std::fmt::Display) {
    eprintln!("warning: {msg}");
}

/// `yes`/`` for a flag in a table.
pub fn yes(b: bool) -> &'static str {
    if b {
        "yes"
    } else {
        ""
    }
}
