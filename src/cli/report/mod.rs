//! `hcp report …`: the weekly wash-up (SPEC §11) and the other reports — the list to print,
//! a provider's record, the ASM's monthly report, KEaH bypassers — each in five formats from
//! the same figures, on the screen or into a private file.

pub mod other;
pub mod washup;

use super::ctx::Ctx;
use super::{output, Exit, Outcome};
use crate::io::files::{write_private, Target};
use crate::io::report::Doc;
use std::path::PathBuf;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    Washup(washup::Args),
    Waiting(other::WaitingArgs),
    Provider(other::ProviderArgs),
    Monthly(washup::MonthlyArgs),
    Bypass(other::BypassArgs),
}

pub fn run(ctx: &mut Ctx, c: Command) -> Outcome {
    match c {
        Command::Washup(a) => washup::run(ctx, a),
        Command::Waiting(a) => other::waiting(ctx, a),
        Command::Provider(a) => other::provider(ctx, a),
        Command::Monthly(a) => washup::monthly(ctx, a),
        Command::Bypass(a) => other::bypass(ctx, a),
    }
}

/// The report formats (SPEC §11).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Markdown,
    Csv,
    Json,
    Html,
}

/// Where and how a report goes: the same flags on every report.
#[derive(Debug, Clone, clap::Args)]
pub struct Out {
    /// table (the terminal), markdown (an email), csv, json (scripts) or html (a browser, A4).
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = Format::Table)]
    pub format: Format,
    /// Write the report to this file (mode 0600) instead of the screen.
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Replace --output if it exists.
    #[arg(long)]
    pub force: bool,
    /// Print the time the report was made (off by default, so reruns are byte-identical).
    #[arg(long)]
    pub stamp: bool,
}

/// A report's period from --from and --to, refused when it runs backwards.
pub fn period_in_order(
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
) -> anyhow::Result<(chrono::NaiveDate, chrono::NaiveDate)> {
    if to < from {
        return Err(crate::error::UserError::usage(format!("--to {to} is before --from {from}"))
            .hint("give the first day with --from and the last with --to")
            .into());
    }
    Ok((from, to))
}

impl Out {
    /// The format to print: JSON whenever --json is given.
    pub fn chosen(&self, json: bool) -> Format {
        if json {
            Format::Json
        } else {
            self.format
        }
    }
}

/// A report ready to render: its documents, its JSON, and any HTML extras (charts).
pub struct Rendered<'a> {
    pub title: String,
    pub docs: Vec<Doc>,
    pub json: serde_json::Value,
    /// The CSV's second column: what each document is about.
    pub key_name: &'a str,
    /// A whole HTML page of its own (the wash-up's charts), instead of the plain one.
    pub html: Option<String>,
}

/// Render in the chosen format and print it or write it to the private file.
pub fn emit(ctx: &Ctx, out: &Out, r: Rendered) -> Outcome {
    let format = out.chosen(ctx.json);
    let stamp = out.stamp.then(|| crate::domain::dates::show_instant(ctx.now));
    let produced = stamp.as_ref().map(|t| format!("Produced {t}\n")).unwrap_or_default();
    let bytes: Vec<u8> = match format {
        Format::Json => {
            let mut s = serde_json::to_string_pretty(&r.json)?;
            s.push('\n');
            s.into_bytes()
        }
        Format::Markdown => format!("{}{produced}", crate::io::report::markdown(&r.docs)).into_bytes(),
        Format::Csv => crate::io::report::csv(&r.docs, r.key_name)?,
        Format::Html => match r.html {
            Some(h) => h.into_bytes(),
            None => crate::io::report::html(&r.title, &r.docs, stamp.as_deref(), |_| String::new()).into_bytes(),
        },
        Format::Table => format!("{}{produced}", tables(&r.docs)).into_bytes(),
    };
    match &out.output {
        Some(path) => {
            let written = write_private(&Target { path: path.clone(), force: out.force }, &ctx.db_path, &bytes)?;
            if !ctx.json {
                eprintln!("wrote {}", written.display());
            }
        }
        None => {
            use std::io::Write;
            std::io::stdout().write_all(&bytes)?;
        }
    }
    Ok(Exit::Done)
}

fn tables(docs: &[Doc]) -> String {
    let mut o = String::new();
    for d in docs {
        o.push_str(&format!("== {} ==\n\n", d.title));
        for (name, header, rows) in &d.sections {
            o.push_str(&format!("{name}:\n"));
            if rows.is_empty() {
                o.push_str("  none\n\n");
                continue;
            }
            let mut t = output::table(&header.iter().map(String::as_str).collect::<Vec<_>>());
            for r in rows {
                output::row(&mut t, r.clone());
            }
            o.push_str(&format!("{t}\n\n"));
        }
    }
    o
}
