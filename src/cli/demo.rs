//! `hcp demo`: build a fictional demo database (fictional providers and clients, real Kent
//! postcodes) and show what hcp does with it: the packages-to-be-placed list, an explained
//! offer, escalations and the PO's deadlines.
//!
//! The demo drives hcp's own commands, one process each, exactly as a PO would type them, with
//! the clock fixed by HCP_NOW: it is a script of a fortnight at the desk ending Monday
//! 23 November 2026 09:00, so its output is the same every time.

use super::ctx::Ctx;
use super::{Exit, Outcome};
use crate::error::UserError;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Build a fictional demo database and print the waiting list, an explained offer, the
/// escalations due, the PO's deadlines, the reviews to book and last week's wash-up report.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Example:\n  hcp demo\n  hcp demo --output /tmp/demo.sqlite   then explore: HCP_DB=/tmp/demo.sqlite HCP_NOW=2026-11-23T09:00 hcp referral show 10"
)]
pub struct Args {
    /// Where to build the demo database (default: a new file in the temporary folder).
    #[arg(long, value_name = "PATH")]
    pub output: Option<PathBuf>,
}

/// The demo's "now": Monday 23 November 2026, 09:00.
pub const DEMO_NOW: &str = "2026-11-23T09:00";

/// The demo's script: one command a line, each with its time (see the file's header).
const SCRIPT: &str = include_str!("../../examples/demo.hcp");

/// One step of a script: when, and the arguments after `hcp`.
#[derive(Debug, PartialEq)]
pub struct Step {
    pub now: String,
    pub args: Vec<String>,
}

/// The steps of a script: `TIME  command args…` lines (shell quoting); blank lines and `#`
/// comments are skipped. A line that does not read names its number.
pub fn parse_script(text: &str) -> anyhow::Result<Vec<Step>> {
    let mut steps = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut words = shlex::split(line)
            .ok_or_else(|| UserError::new(format!("demo script line {}: unbalanced quotes", n + 1)))?
            .into_iter();
        let now = words.next().unwrap_or_default();
        if crate::domain::dates::parse_instant(&now).is_err() {
            return Err(UserError::new(format!("demo script line {}: '{now}' is not a time", n + 1)).into());
        }
        steps.push(Step { now, args: words.collect() });
    }
    Ok(steps)
}

struct Runner {
    exe: PathBuf,
    db: PathBuf,
}

impl Runner {
    fn cmd(&self, now: &str, args: &[&str]) -> Command {
        let mut c = Command::new(&self.exe);
        c.args(args).env("HCP_DB", &self.db).env("HCP_NOW", now).env("HCP_USER", "demo.po").stdin(Stdio::null());
        c
    }

    /// A step of the script: it must succeed (exit 0, or 3 for a referral saved incomplete).
    fn step(&self, now: &str, args: &[&str]) -> anyhow::Result<()> {
        let out = self.cmd(now, args).stdout(Stdio::null()).stderr(Stdio::piped()).output()?;
        match out.status.code() {
            Some(0) | Some(3) => Ok(()),
            _ => Err(UserError::new(format!(
                "the demo step `hcp {}` failed: {}",
                args.join(" "),
                String::from_utf8_lossy(&out.stderr).trim()
            ))
            .into()),
        }
    }

    fn show(&self, title: &str, args: &[&str]) -> anyhow::Result<()> {
        let line = shlex::try_join(args.iter().copied()).unwrap_or_else(|_| args.join(" "));
        println!("\n== {title} ==   $ hcp {line}\n");
        self.cmd(DEMO_NOW, args).status()?;
        Ok(())
    }
}

fn build(r: &Runner) -> anyhow::Result<()> {
    for step in parse_script(SCRIPT)? {
        let args: Vec<&str> = step.args.iter().map(String::as_str).collect();
        r.step(&step.now, &args)?;
    }
    Ok(())
}

pub fn run(ctx: &mut Ctx, args: Args) -> Outcome {
    let db =
        args.output.clone().unwrap_or_else(|| ctx.temp_dir().join(format!("hcp-demo-{}.sqlite", std::process::id())));
    if db.exists() {
        return Err(UserError::new(format!("{} already exists; the demo builds a new database", db.display()))
            .hint("choose another --output, or leave it out for a new file in the temporary folder")
            .into());
    }
    let exe = std::env::current_exe()?;
    let r = Runner { exe, db: db.clone() };
    build(&r)?;
    if ctx.json {
        super::output::json(&serde_json::json!({ "db": db.display().to_string(), "now": DEMO_NOW }));
        return Ok(Exit::Done);
    }
    println!("hcp demo: fictional providers and clients, real Kent postcodes. Now is Monday 23 November 2026, 09:00.");
    println!("Database: {}", db.display());
    r.show("Packages to be placed (and incomplete referrals), longest waiting first", &["referral", "list"])?;
    r.show("Whom to approach next for referral 10", &["offer", "10", "--explain"])?;
    r.show("Escalations due this morning", &["escalate"])?;
    r.show("The PO's deadlines", &["due"])?;
    r.show("Reviews to book", &["pir", "schedule"])?;
    r.show(
        "Last week's wash-up for Canterbury & Coastal",
        &["report", "washup", "--area", "Canterbury & Coastal", "--week", "2026-W47"],
    )?;
    println!("\nExplore it: HCP_DB={} HCP_NOW={DEMO_NOW} hcp referral show 10", display(&db));
    Ok(Exit::Done)
}

fn display(p: &Path) -> String {
    p.display().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_reads() {
        let steps = parse_script(SCRIPT).unwrap();
        assert_eq!(steps[0], Step { now: "2026-11-02T08:30".into(), args: vec!["init".into()] });
        assert!(steps.iter().any(|s| s.args.contains(&"Zoë O'Brien".to_string())));
        assert!(parse_script("2026-11-02T08:30 offer \"1").is_err());
        assert!(parse_script("soon offer 1").is_err());
    }
}
