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
        .set_header(headers.iter().map(|h| clean(h)).collect::<Vec<_>>());
    t
}

/// Text from the database or a file, made safe for a terminal: control characters (an escape
/// sequence hidden in a name, a carriage return) are shown visibly, as `\u{1b}`; line breaks
/// in notes are kept.
pub fn clean(s: &str) -> String {
    crate::domain::text::visible(s)
}

/// Add a row of text cells, each made safe for a terminal.
pub fn row<S: AsRef<str>>(t: &mut Table, cells: Vec<S>) {
    t.add_row(cells.iter().map(|c| clean(c.as_ref())).collect::<Vec<_>>());
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
