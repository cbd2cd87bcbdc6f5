//! Query plans of the hot commands (issue 18): every statement `due`, `escalate`, an area's
//! list, `referral show`, `offer --explain`, `history` and the wash-up run is recorded (test
//! builds trace every connection the store opens), then `EXPLAIN QUERY PLAN` must show no full
//! scan of `referrals`, `offers`, `events`, `escalations` or `pir_reviews`: at a million
//! referrals a scan is seconds, not milliseconds. The demo's own script builds the data, in this process.

use std::cell::RefCell;

thread_local! {
    /// The statements run on this thread while recording (other tests' threads are not recorded).
    static RECORDED: RefCell<Option<Vec<String>>> = const { RefCell::new(None) };
}

/// The trace callback: SQLite hands over each statement as run, parameters filled in.
pub fn record(sql: &str) {
    RECORDED.with(|r| {
        if let Some(list) = r.borrow_mut().as_mut() {
            list.push(sql.to_string());
        }
    });
}

/// The tables that grow with the county and must never be scanned whole by a hot command.
const GROWING: [&str; 5] = ["referrals", "offers", "events", "escalations", "pir_reviews"];

/// The tables a statement names, by name and alias (`FROM referrals r`, `JOIN offers AS o`).
fn aliases(sql: &str) -> Vec<(String, String)> {
    const NOT_ALIAS: [&str; 18] = [
        "where", "join", "left", "inner", "cross", "on", "order", "group", "limit", "union", "using", "natural", "set",
        "values", "indexed", "not", "having", "window",
    ];
    let words: Vec<String> = sql
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '(' | ')' | ';'))
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    let mut out = Vec::new();
    for (i, w) in words.iter().enumerate() {
        if !(w == "from" || w == "join" || w == "update" || w == "into") {
            continue;
        }
        let Some(table) = words.get(i + 1) else { continue };
        out.push((table.clone(), table.clone()));
        let mut k = i + 2;
        if words.get(k).map(String::as_str) == Some("as") {
            k += 1;
        }
        if let Some(alias) = words.get(k).filter(|a| !NOT_ALIAS.contains(&a.as_str())) {
            out.push((alias.clone(), table.clone()));
        }
    }
    out
}

/// The full scans of growing tables in a statement's plan. Reading a whole partial index (open
/// escalations, reviews whose AIS update is outstanding) is not one: it holds only open work.
fn full_scans(conn: &rusqlite::Connection, sql: &str) -> Vec<String> {
    let names = aliases(sql);
    let partial: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND sql LIKE '% WHERE %'")
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
        .unwrap_or_default();
    let Ok(mut stmt) = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")) else { return Vec::new() };
    let details: Vec<String> = stmt
        .query_map([], |r| r.get::<_, String>(3))
        .map(|rows| rows.filter_map(Result::ok).collect())
        .unwrap_or_default();
    details
        .into_iter()
        .filter(|d| {
            let Some(rest) = d.strip_prefix("SCAN ") else { return false };
            let words: Vec<&str> = rest.split_whitespace().collect();
            let target = words.first().unwrap_or(&"").to_ascii_lowercase();
            if words.last().is_some_and(|index| partial.iter().any(|p| p == index)) {
                return false;
            }
            names.iter().any(|(alias, table)| *alias == target && GROWING.contains(&table.as_str()))
        })
        .collect()
}

fn hcp(db: &std::path::Path, now: &str, args: &[&str]) {
    use clap::Parser;
    // The demo's clock, as its script sets it (this test alone reads HCP_NOW in-process).
    std::env::set_var("HCP_NOW", now);
    let mut argv = vec!["hcp", "--db", db.to_str().expect("path"), "--user", "plans"];
    argv.extend_from_slice(args);
    let cli = crate::cli::Cli::try_parse_from(&argv).unwrap_or_else(|e| panic!("{argv:?}: {e}"));
    if let Err(e) = crate::cli::run(cli) {
        panic!("hcp {}: {e:#}", args.join(" "));
    }
}

#[test]
fn hot_commands_never_scan_a_growing_table() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("plans.sqlite");
    let script = crate::cli::demo::parse_script(include_str!("../../examples/demo.hcp")).expect("demo script");
    for step in &script {
        let args: Vec<&str> = step.args.iter().map(String::as_str).collect();
        hcp(&db, &step.now, &args);
    }
    let now = crate::cli::demo::DEMO_NOW;
    RECORDED.with(|r| *r.borrow_mut() = Some(Vec::new()));
    for args in [
        &["due"][..],
        &["due", "--area", "Canterbury & Coastal"],
        &["due", "--mine"],
        &["referral", "list", "--area", "Canterbury & Coastal", "--rag", "red"],
        &["referral", "list", "--area", "Thanet"],
        &["referral", "show", "1"],
        &["offer", "1", "--explain"],
        &["history", "1"],
        &["escalate", "list", "--open"],
        &["report", "washup", "--week", "2026-W47", "--format", "json"],
        &["escalate"],
    ] {
        hcp(&db, now, args);
    }
    let recorded = RECORDED.with(|r| r.borrow_mut().take()).unwrap_or_default();
    assert!(recorded.len() > 50, "the trace recorded the commands' statements ({})", recorded.len());
    let conn = rusqlite::Connection::open(&db).expect("open");
    let mut seen = std::collections::BTreeSet::new();
    let mut scans = Vec::new();
    for sql in recorded {
        if !seen.insert(sql.clone()) {
            continue;
        }
        for s in full_scans(&conn, &sql) {
            scans.push(format!("{s}\n    in: {}", sql.split_whitespace().collect::<Vec<_>>().join(" ")));
        }
    }
    assert!(scans.is_empty(), "full scans of growing tables:\n{}", scans.join("\n"));
}

#[test]
fn a_scan_is_seen_through_its_alias() {
    let conn = rusqlite::Connection::open_in_memory().expect("memory");
    conn.execute_batch(
        "CREATE TABLE referrals (id INTEGER PRIMARY KEY, state TEXT); CREATE INDEX s ON referrals(state);",
    )
    .expect("schema");
    assert_eq!(full_scans(&conn, "SELECT * FROM referrals r WHERE r.id > 0 AND length(r.state) = 3").len(), 0);
    assert_eq!(full_scans(&conn, "SELECT * FROM referrals AS r WHERE length(r.state) = 3").len(), 1);
    assert_eq!(full_scans(&conn, "SELECT * FROM referrals WHERE state = 'waiting'").len(), 0);
    assert_eq!(full_scans(&conn, "SELECT count(*) FROM referrals").len(), 1);
    conn.execute_batch("CREATE INDEX open ON referrals(id) WHERE state = 'waiting'").expect("partial");
    assert_eq!(full_scans(&conn, "SELECT id FROM referrals WHERE state = 'waiting' ORDER BY id").len(), 0);
}
