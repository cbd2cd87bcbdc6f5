//! Output: one JSON document for scripts, comfy-table tables for people, warnings on stderr.

use comfy_table::{presets::UTF8_FULL_CONDENSED, ContentArrangement, Table};
use serde::Serialize;

pub fn json<T: Serialize>(value: &T) {
    match serde_json::to_string_pretty(value) {
        Ok(s) => println!("{s}"),
        Err(e) => eprintln!("hcp: cannot write JSON: {e}"),
    }
}

/// A JSON array written element by element, byte for byte as `json` prints a whole array, so a
/// list of any length is never held in memory as one document.
pub struct JsonArray<W: std::io::Write> {
    out: W,
    count: usize,
}

impl<W: std::io::Write> JsonArray<W> {
    pub fn new(out: W) -> JsonArray<W> {
        JsonArray { out, count: 0 }
    }

    pub fn push<T: Serialize>(&mut self, value: &T) -> anyhow::Result<()> {
        let text = serde_json::to_string_pretty(value)?;
        self.out.write_all(if self.count == 0 { b"[\n" } else { b",\n" })?;
        for (i, line) in text.lines().enumerate() {
            if i > 0 {
                self.out.write_all(b"\n")?;
            }
            self.out.write_all(b"  ")?;
            self.out.write_all(line.as_bytes())?;
        }
        self.count += 1;
        Ok(())
    }

    /// Close the array (and the line); the number of elements written.
    pub fn finish(mut self) -> anyhow::Result<usize> {
        self.out.write_all(if self.count == 0 { b"[]\n" } else { b"\n]\n" })?;
        self.out.flush()?;
        Ok(self.count)
    }
}

/// A list as one JSON array on stdout, written an element at a time (`JsonArray`).
pub fn json_list<T: Serialize>(items: impl IntoIterator<Item = T>) -> anyhow::Result<()> {
    let mut out = JsonArray::new(std::io::BufWriter::new(std::io::stdout().lock()));
    for item in items {
        out.push(&item)?;
    }
    out.finish()?;
    Ok(())
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

/// Rows from which a table is drawn on two threads (below this, one draws it faster).
const LONG_TABLE: usize = 2000;

/// A plain table (no colour, nothing to fit to) of cells already made safe (`clean`), drawn as
/// `table` draws it; on two threads when it is long: both halves with every column fixed at the
/// width the whole table gives it, then joined (the first half without its bottom border, the
/// second without its top border and header). Byte for byte the same as drawing it whole
/// (property-tested); a national `due` is 12,000 rows.
pub fn plain_table(headers: &[&str], rows: &[Vec<String>]) -> String {
    let draw = |rows: &[Vec<String>], widths: Option<&[u16]>| -> String {
        let mut t = table(headers);
        t.set_content_arrangement(ContentArrangement::Disabled);
        for r in rows {
            t.add_row(r);
        }
        for (i, w) in widths.unwrap_or_default().iter().enumerate() {
            if let Some(c) = t.column_mut(i) {
                c.set_constraint(comfy_table::ColumnConstraint::Absolute(comfy_table::Width::Fixed(*w)));
            }
        }
        t.to_string()
    };
    if rows.len() < LONG_TABLE {
        return draw(rows, None);
    }
    // Each column's width as comfy-table measures it: the widest line of any cell, plus padding.
    let width = |s: &str| s.lines().map(unicode_width::UnicodeWidthStr::width).max().unwrap_or(0);
    let mut widths: Vec<usize> = headers.iter().map(|h| width(&clean(h))).collect();
    for r in rows {
        for (w, c) in widths.iter_mut().zip(r) {
            *w = (*w).max(width(c));
        }
    }
    let widths: Vec<u16> = widths.iter().map(|w| u16::try_from(w + 2).unwrap_or(u16::MAX)).collect();
    let (first, second) = rows.split_at(rows.len() / 2);
    let (a, b) = std::thread::scope(|scope| {
        let a = scope.spawn(|| draw(first, Some(&widths)));
        let b = draw(second, Some(&widths));
        (a.join(), b)
    });
    let Ok(a) = a else { return draw(rows, None) };
    let a: Vec<&str> = a.lines().collect();
    let b: Vec<&str> = b.lines().collect();
    let mut lines = a[..a.len().saturating_sub(1)].to_vec();
    lines.extend_from_slice(b.get(3..).unwrap_or_default());
    lines.join("\n")
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

/// Where human output goes: how wide it may be (None in a pipe: natural width) and whether it
/// may be coloured (a terminal, unless NO_COLOR or --color never; --color always forces it).
#[derive(Debug, Clone, Copy)]
pub struct Screen {
    pub width: Option<u16>,
    pub colour: bool,
}

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ColorChoice {
    #[default]
    Auto,
    Always,
    Never,
}

impl Screen {
    pub fn detect(choice: ColorChoice) -> Screen {
        use std::io::IsTerminal;
        let tty = std::io::stdout().is_terminal();
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let colour = match choice {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => tty && !no_color,
        };
        Screen { width: if tty { terminal_width() } else { None }, colour }
    }
}

#[cfg(unix)]
fn terminal_width() -> Option<u16> {
    // SAFETY: TIOCGWINSZ fills a winsize for a terminal; nothing is kept.
    let mut ws: libc::winsize = unsafe { std::mem::zeroed() };
    let ok = unsafe { libc::ioctl(libc::STDOUT_FILENO, libc::TIOCGWINSZ, &mut ws) } == 0;
    if ok && ws.ws_col > 0 {
        return Some(ws.ws_col);
    }
    std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok())
}

#[cfg(not(unix))]
fn terminal_width() -> Option<u16> {
    std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok())
}

/// A column of a fitted table: its header, how much it matters (higher stays longer when the
/// screen is narrow) and whether its text may wrap onto a second line (names, places); ids,
/// dates and numbers never split.
#[derive(Debug, Clone, Copy)]
pub struct Col {
    pub header: &'static str,
    pub priority: u8,
    pub wrap: bool,
}

/// A cell: its text and, on a colour screen, its colour.
#[derive(Debug, Clone)]
pub struct Text {
    pub text: String,
    pub colour: Option<comfy_table::Color>,
}

impl From<String> for Text {
    fn from(text: String) -> Text {
        Text { text, colour: None }
    }
}

impl From<&str> for Text {
    fn from(text: &str) -> Text {
        Text { text: text.to_string(), colour: None }
    }
}

/// The colour of a RAG rating.
pub fn rag_colour(rag: crate::domain::model::Rag) -> comfy_table::Color {
    match rag {
        crate::domain::model::Rag::Red => comfy_table::Color::Red,
        crate::domain::model::Rag::Amber => comfy_table::Color::Yellow,
        crate::domain::model::Rag::Green => comfy_table::Color::Green,
    }
}

/// The narrowest a column can be: its longest word (or whole text when it may not wrap), and a
/// wrapping column never more than two lines.
fn min_width(text: &str, wrap: bool) -> usize {
    let len = text.chars().count();
    if !wrap {
        return len;
    }
    let word = text.split_whitespace().map(|w| w.chars().count()).max().unwrap_or(0);
    word.max(len.div_ceil(2))
}

/// A table that fits the screen: on a narrow terminal the least important columns are left out
/// until what is left fits with ids, dates and first words whole (a row takes at most two
/// lines); in a pipe every column at its natural width. Empty columns are left out.
pub fn fitted(screen: &Screen, cols: &[Col], rows: &[Vec<Text>]) -> Table {
    let mut keep: Vec<usize> =
        (0..cols.len()).filter(|&i| rows.iter().any(|r| r.get(i).is_some_and(|c| !c.text.is_empty()))).collect();
    let widths = |i: usize, f: &dyn Fn(&str, bool) -> usize| {
        rows.iter()
            .map(|r| r.get(i).map(|c| f(&c.text, cols[i].wrap)).unwrap_or(0))
            .max()
            .unwrap_or(0)
            .max(f(cols[i].header, true))
    };
    if let Some(width) = screen.width {
        let need = |keep: &[usize]| keep.iter().map(|&i| widths(i, &min_width) + 3).sum::<usize>() + 1;
        while keep.len() > 1 && need(&keep) > width as usize {
            let drop =
                keep.iter().enumerate().min_by_key(|(_, &i)| (cols[i].priority, std::cmp::Reverse(i))).map(|(k, _)| k);
            if let Some(k) = drop {
                keep.remove(k);
            }
        }
    }
    let mut t = Table::new();
    // ASCII borders: every terminal and font shows them, and a line's bytes are its columns
    // (so tools that count bytes see what the eye sees).
    t.load_preset(comfy_table::presets::ASCII_FULL_CONDENSED);
    match screen.width {
        Some(w) => {
            // Leave room for letters that take more than one byte (ś, Ł) in the widest row.
            let extra = rows
                .iter()
                .map(|r| {
                    keep.iter().filter_map(|&i| r.get(i)).map(|c| c.text.len() - c.text.chars().count()).sum::<usize>()
                })
                .max()
                .unwrap_or(0)
                .min(w as usize / 8);
            t.set_content_arrangement(ContentArrangement::Dynamic).set_width(w.saturating_sub(extra as u16));
        }
        None => {
            t.set_content_arrangement(ContentArrangement::Disabled);
        }
    }
    if screen.colour {
        t.enforce_styling();
    } else {
        t.force_no_tty();
    }
    t.set_header(keep.iter().map(|&i| cols[i].header).collect::<Vec<_>>());
    for r in rows {
        let cells = keep.iter().map(|&i| {
            let c = r.get(i).cloned().unwrap_or_else(|| Text::from(""));
            let cell = comfy_table::Cell::new(clean(&c.text));
            match c.colour.filter(|_| screen.colour) {
                Some(colour) => cell.fg(colour),
                None => cell,
            }
        });
        t.add_row(cells.collect::<Vec<_>>());
    }
    for (k, &i) in keep.iter().enumerate() {
        if !cols[i].wrap {
            if let Some(col) = t.column_mut(k) {
                col.set_constraint(comfy_table::ColumnConstraint::ContentWidth);
            }
        }
    }
    t
}

#[cfg(test)]
mod streaming_tests {
    use super::JsonArray;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(8))]
        /// A long table drawn on two threads is the table drawn whole.
        #[test]
        fn a_long_table_drawn_in_halves_is_the_whole_table(
            words in prop::collection::vec("[a-zA-Z0-9 '\\-]{0,12}|Zoë Łukasz|日本語の名前|a\nb|e\u{301}", 1..40),
            n in super::LONG_TABLE..super::LONG_TABLE + 300,
        ) {
            let headers = ["Due", "Left", "Client", "What"];
            let rows: Vec<Vec<String>> = (0..n)
                .map(|i| (0..4).map(|k| super::clean(&words[(i * 7 + k * 3) % words.len()].repeat(1 + (i + k) % 3))).collect())
                .collect();
            let mut whole = super::table(&headers);
            whole.set_content_arrangement(comfy_table::ContentArrangement::Disabled);
            for r in &rows {
                whole.add_row(r);
            }
            prop_assert_eq!(super::plain_table(&headers, &rows), whole.to_string());
        }
    }

    #[test]
    fn streamed_arrays_read_as_the_whole_array_prints() {
        for n in [0usize, 1, 3] {
            let items: Vec<serde_json::Value> =
                (0..n).map(|i| serde_json::json!({ "id": i, "name": "Zoë", "xs": [1, { "a": null }] })).collect();
            let mut bytes = Vec::new();
            let mut w = JsonArray::new(&mut bytes);
            for it in &items {
                w.push(it).unwrap();
            }
            assert_eq!(w.finish().unwrap(), n);
            assert_eq!(String::from_utf8(bytes).unwrap(), serde_json::to_string_pretty(&items).unwrap() + "\n");
        }
    }
}
