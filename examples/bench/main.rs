//! Benchmarks for SPEC §14, measured against the release binary (tests never time things).
//!
//!   cargo build --release && cargo run --release --example bench -- county
//!   cargo run --release --example bench -- national [N] [--reuse]
//!   cargo run --release --example bench -- import [ROWS]
//!   cargo run --release --example bench -- audit [EVENTS]
//!
//! `county` builds a county-sized database (10,000 referrals over five years, 100,000 offers,
//! 60 providers) and times the interactive commands: the bar is 50 ms each. `import` writes a
//! Packages CSV (default 100,000 rows of fictional people at real Kent postcodes) and compares
//! hcp's import with the sqlite3 shell's own `.import` of the same file: the bar is half its rate.
//! `national` builds a database of N referrals (default 1,000,000) through hcp's own import and
//! times every interactive command (median of 5) with its peak memory (issue 18's bars);
//! `--reuse` times the one already built.

mod county;
mod import;
mod national;

use anyhow::{Context, Result};
use rusqlite::params;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const NOW: &str = "2026-11-23T09:00";

/// The release binary (or `HCP_BENCH_BIN`, to time a copy while the tree is rebuilt).
fn hcp_bin() -> PathBuf {
    if let Some(p) = std::env::var_os("HCP_BENCH_BIN") {
        return PathBuf::from(p);
    }
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/hcp");
    if !p.exists() {
        eprintln!("build the release binary first: cargo build --release");
        std::process::exit(2);
    }
    p
}

/// A small deterministic generator (no dependency needed for fictional data).
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn postcodes() -> Result<Vec<String>> {
    let gz = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("data/kent_postcode_msoa.csv.gz"))?;
    let mut text = String::new();
    flate2::read::GzDecoder::new(&gz[..]).read_to_string(&mut text)?;
    Ok(text.lines().skip(1).filter_map(|l| l.split(',').next().map(str::to_string)).collect())
}

const FIRST: &[&str] = &[
    "Ann",
    "Bob",
    "Cyril",
    "Dora",
    "Edna",
    "Frank",
    "Gwen",
    "Harold",
    "Iris",
    "Jack",
    "Kath",
    "Len",
    "Mavis",
    "Norman",
    "Olive",
    "Percy",
    "Zoë",
    "Łukasz",
    "Siobhán",
    "Agnieszka",
];
const LAST: &[&str] = &[
    "Smith",
    "Jones",
    "O'Brien",
    "Patel",
    "Kowalczyk",
    "Brown",
    "Okafor",
    "Ågren",
    "Wójcik",
    "Taylor",
    "Hughes",
    "Begum",
    "Murphy",
    "Clarke",
];

/// The sqlite3 shell's own `.import` of a CSV (header skipped) into a new on-disk WAL table of
/// `columns` columns with three indexes, the way hcp stores referrals: its time.
fn sqlite3_disk_import(db: &Path, csv: &Path, columns: usize) -> Result<Duration> {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
    let cols: Vec<String> = (1..=columns).map(|i| format!("c{i}")).collect();
    let setup = format!(
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; CREATE TABLE packages({}); CREATE INDEX a ON packages(c16); CREATE INDEX b ON packages(c1, c6); CREATE INDEX c ON packages(c3);",
        cols.join(",")
    );
    Command::new("sqlite3")
        .arg(db)
        .arg(setup)
        .stdout(Stdio::null())
        .status()
        .context("running sqlite3 (apt-get install sqlite3)")?;
    let t = Instant::now();
    let st =
        Command::new("sqlite3").arg(db).arg(format!(".import --csv --skip 1 {} packages", csv.display())).status()?;
    anyhow::ensure!(st.success(), "sqlite3 .import to disk failed");
    Ok(t.elapsed())
}

fn time_cmd(db: &Path, args: &[&str], runs: usize) -> Result<(Duration, Duration)> {
    let mut times = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        let st = Command::new(hcp_bin())
            .args(args)
            .env("HCP_DB", db)
            .env("HCP_NOW", NOW)
            .env("HCP_USER", "bench")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .output()?;
        times.push(t.elapsed());
        if !st.status.success() {
            anyhow::bail!("hcp {} failed: {}", args.join(" "), String::from_utf8_lossy(&st.stderr));
        }
    }
    times.sort();
    Ok((times[runs / 2], times[runs - 1]))
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = std::env::temp_dir().join("hcp-bench");
    std::fs::create_dir_all(&dir)?;
    match args.first().map(String::as_str) {
        Some("county") => county::county(&dir),
        Some("measure") if args.len() > 1 => national::measure_child(Path::new(&args[1]), &args[2..]),
        Some("national") => national::national(
            &dir,
            args.get(1).and_then(|n| n.parse().ok()).unwrap_or(1_000_000),
            args.iter().any(|a| a == "--reuse"),
        ),
        Some("import") => import::import(&dir, args.get(1).and_then(|n| n.parse().ok()).unwrap_or(100_000)),
        Some("audit") => import::audit(&dir, args.get(1).and_then(|n| n.parse().ok()).unwrap_or(100_000)),
        _ => {
            eprintln!(
                "usage: cargo run --release --example bench -- county | national [N] [--reuse] | import [ROWS] | audit [EVENTS]"
            );
            std::process::exit(2);
        }
    }
}
