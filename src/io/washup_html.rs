//! The wash-up report as one self-contained HTML file: inline CSS, inline SVG charts (the list
//! by RAG across the period, declines by provider, working days to placement), no scripts and
//! no links, laid out to print on A4 portrait. The same figures give the same bytes.

use super::report::esc;
use super::washup::{docs, title};
use crate::domain::washup::Washup;
use std::fmt::Write;

const RED: &str = "#c62828";
const AMBER: &str = "#ef8f00";
const GREEN: &str = "#2e7d32";

/// The whole document for one or more areas, with each area's charts before its tables.
pub fn html(reports: &[Washup], stamp: Option<&str>) -> String {
    let head = if reports.len() == 1 { title(&reports[0]) } else { "Wash-up".to_string() };
    super::report::html(&head, &docs(reports), stamp, |i| {
        let w = &reports[i];
        format!(
            "<section><h2>The list by RAG, day by day</h2>\n{}</section>\n<section><h2>Declines by provider</h2>\n{}</section>\n<section><h2>Working days from list date to acceptance</h2>\n{}</section>\n",
            rag_chart(w),
            declines_chart(w),
            wd_chart(w)
        )
    })
}

/// A stacked bar per day: red, amber, green packages on the list at the end of the day.
fn rag_chart(w: &Washup) -> String {
    let days = &w.list_by_day;
    let max = days.iter().map(|d| d.red + d.amber + d.green).max().unwrap_or(0).max(1);
    let (width, height, bar) = (600, 180, 600 / days.len().max(1));
    let mut s = format!(
        "<svg width=\"{width}\" height=\"{}\" viewBox=\"0 0 {width} {}\" role=\"img\" aria-label=\"the list by RAG\">",
        height + 40,
        height + 40
    );
    for (i, d) in days.iter().enumerate() {
        let x = i * bar + 8;
        let mut y = height;
        for (n, colour) in [(d.red, RED), (d.amber, AMBER), (d.green, GREEN)] {
            let h = n * (height - 20) / max;
            y -= h;
            if n > 0 {
                let _ =
                    write!(s, "<rect x=\"{x}\" y=\"{y}\" width=\"{}\" height=\"{h}\" fill=\"{colour}\"/>", bar - 16);
            }
        }
        let total = d.red + d.amber + d.green;
        let _ = write!(
            s,
            "<text x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"middle\">{total}</text><text x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"middle\">{}</text>",
            x + (bar - 16) / 2,
            y.saturating_sub(4).max(10),
            x + (bar - 16) / 2,
            height + 16,
            d.date.format("%a %d/%m")
        );
    }
    let _ = write!(
        s,
        "<text x=\"8\" y=\"{}\" font-size=\"11\" fill=\"{RED}\">red</text><text x=\"48\" y=\"{}\" font-size=\"11\" fill=\"{AMBER}\">amber</text><text x=\"100\" y=\"{}\" font-size=\"11\" fill=\"{GREEN}\">green</text></svg>",
        height + 34,
        height + 34,
        height + 34
    );
    s
}

/// A horizontal bar per provider: its declines in the period, with the reasons.
fn declines_chart(w: &Washup) -> String {
    let rows: Vec<_> = w.providers.iter().filter(|p| p.declined > 0).collect();
    if rows.is_empty() {
        return "<svg width=\"600\" height=\"24\" role=\"img\" aria-label=\"no declines\"><text x=\"0\" y=\"16\" font-size=\"11\">No declines in the period.</text></svg>".into();
    }
    let max = rows.iter().map(|p| p.declined).max().unwrap_or(1).max(1);
    let mut s = format!(
        "<svg width=\"600\" height=\"{}\" role=\"img\" aria-label=\"declines by provider\">",
        rows.len() * 22 + 4
    );
    for (i, p) in rows.iter().enumerate() {
        let y = i * 22 + 2;
        let len = p.declined * 300 / max;
        let reasons = p.declines_by_reason.iter().map(|(r, n)| format!("{r} {n}")).collect::<Vec<_>>().join(", ");
        let _ = write!(
            s,
            "<text x=\"0\" y=\"{}\" font-size=\"11\">{}</text><rect x=\"170\" y=\"{y}\" width=\"{len}\" height=\"16\" fill=\"#555\"/><text x=\"{}\" y=\"{}\" font-size=\"11\">{} ({})</text>",
            y + 12,
            esc(&p.provider),
            175 + len,
            y + 12,
            p.declined,
            esc(&reasons)
        );
    }
    s.push_str("</svg>");
    s
}

/// A column per placement count by working days waited.
fn wd_chart(w: &Washup) -> String {
    let mut counts = std::collections::BTreeMap::new();
    for d in &w.wd_to_accept {
        *counts.entry(*d).or_insert(0usize) += 1;
    }
    if counts.is_empty() {
        return "<svg width=\"600\" height=\"24\" role=\"img\" aria-label=\"no placements\"><text x=\"0\" y=\"16\" font-size=\"11\">No placements in the period.</text></svg>".into();
    }
    let max = counts.values().copied().max().unwrap_or(1).max(1);
    let mut s =
        String::from("<svg width=\"600\" height=\"140\" role=\"img\" aria-label=\"working days to placement\">");
    let bar = (560 / counts.len()).min(60);
    for (i, (days, n)) in counts.iter().enumerate() {
        let x = i * bar + 4;
        let h = n * 90 / max;
        let _ = write!(
            s,
            "<rect x=\"{x}\" y=\"{}\" width=\"{}\" height=\"{h}\" fill=\"#1f5fa8\"/><text x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"middle\">{n}</text><text x=\"{}\" y=\"130\" font-size=\"11\" text-anchor=\"middle\">{days}d</text>",
            110 - h,
            bar - 8,
            x + (bar - 8) / 2,
            106 - h,
            x + (bar - 8) / 2
        );
    }
    s.push_str("</svg>");
    s
}
