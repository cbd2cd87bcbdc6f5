//! Reports as documents: a title and sections, each a table (name, column headings, rows), and
//! the renderers every report shares — Markdown for an email, CSV with a section column for a
//! spreadsheet, the body of a self-contained HTML page. The same document gives the same bytes.

use std::fmt::Write;

/// One section: its name, column headings and rows.
pub type Section = (&'static str, Vec<String>, Vec<Vec<String>>);

/// Column headings from words.
pub fn headings(words: &[&str]) -> Vec<String> {
    words.iter().map(|w| w.to_string()).collect()
}

/// One document (one area's report, one provider's record).
#[derive(Debug, Clone)]
pub struct Doc {
    pub title: String,
    /// What the CSV's second column holds (the area, the provider).
    pub key: String,
    pub sections: Vec<Section>,
}

/// Markdown: a heading per document and section, a pipe table each.
pub fn markdown(docs: &[Doc]) -> String {
    let cell = |s: &str| s.replace('|', "\\|").replace('\n', " ");
    let mut o = String::new();
    for d in docs {
        let _ = writeln!(o, "# {}\n", cell(&d.title));
        for (name, header, rows) in &d.sections {
            let _ = writeln!(o, "## {}\n", cell(name));
            if rows.is_empty() {
                o.push_str("None.\n\n");
                continue;
            }
            let _ = writeln!(o, "| {} |", header.iter().map(|h| cell(h)).collect::<Vec<_>>().join(" | "));
            let _ = writeln!(o, "|{}", "---|".repeat(header.len()));
            for r in rows {
                let _ = writeln!(o, "| {} |", r.iter().map(|c| cell(c)).collect::<Vec<_>>().join(" | "));
            }
            o.push('\n');
        }
    }
    o
}

/// CSV: one block per section, each row led by its section and the document's key (column
/// `key_name`); a header row per block. Cells a spreadsheet would run as a formula are
/// neutralised.
pub fn csv(docs: &[Doc], key_name: &str) -> anyhow::Result<Vec<u8>> {
    let mut wtr = ::csv::WriterBuilder::new().flexible(true).from_writer(Vec::new());
    for d in docs {
        for (name, header, rows) in &d.sections {
            let mut head = vec!["section".to_string(), key_name.to_string()];
            head.extend(header.iter().cloned());
            wtr.write_record(&head)?;
            for r in rows {
                let mut line = vec![name.to_string(), d.key.clone()];
                line.extend(r.iter().map(|c| crate::io::packages::neutralise_formula(c).into_owned()));
                wtr.write_record(&line)?;
            }
        }
    }
    Ok(wtr.into_inner()?)
}

/// Escape text for HTML.
pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn capital(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

/// The sections of a document as HTML tables, appended to `o`.
pub fn html_sections(o: &mut String, sections: &[Section]) {
    for (name, header, rows) in sections {
        let _ = writeln!(o, "<section><h2>{}</h2>", esc(&capital(name)));
        if rows.is_empty() {
            o.push_str("<p class=\"none\">None.</p></section>\n");
            continue;
        }
        o.push_str("<table><tr>");
        for h in header {
            let _ = write!(o, "<th>{}</th>", esc(h));
        }
        o.push_str("</tr>\n");
        for r in rows {
            o.push_str("<tr>");
            for c in r {
                let numeric = !c.is_empty() && c.chars().all(|ch| ch.is_ascii_digit() || ch == '.');
                let class = if numeric { " class=\"n\"" } else { "" };
                let _ = write!(o, "<td{class}>{}</td>", esc(c));
            }
            o.push_str("</tr>\n");
        }
        o.push_str("</table></section>\n");
    }
}

pub const CSS: &str =
    "body{font-family:Arial,Helvetica,sans-serif;font-size:10pt;color:#111;max-width:180mm;margin:8mm auto}\
h1{font-size:15pt;border-bottom:2px solid #333}h2{font-size:12pt;margin-top:6mm}\
table{border-collapse:collapse;width:100%;margin:2mm 0}th,td{border:1px solid #999;padding:1mm 2mm;text-align:left}\
th{background:#eee}td.n{text-align:right}.none{color:#555}svg{display:block;margin:2mm 0}\
section{page-break-inside:avoid}@page{size:A4 portrait;margin:12mm}";

/// A whole self-contained page: inline CSS, no scripts, no links. `extra(i)` adds content
/// (charts) before document i's sections.
pub fn html(title: &str, docs: &[Doc], stamp: Option<&str>, extra: impl Fn(usize) -> String) -> String {
    let mut o = format!(
        "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n",
        esc(title)
    );
    if let Some(s) = stamp {
        let _ = writeln!(o, "<p class=\"none\">Produced {}</p>", esc(s));
    }
    for (i, d) in docs.iter().enumerate() {
        let _ = writeln!(o, "<h1>{}</h1>", esc(&d.title));
        o.push_str(&extra(i));
        html_sections(&mut o, &d.sections);
    }
    o.push_str("</body>\n</html>\n");
    o
}
