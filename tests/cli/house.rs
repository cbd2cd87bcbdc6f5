//! The house issue: a typed model read strictly, migration 2, SQL only in src/store, and the
//! re-import that kept hcp's own fields.

use crate::support::Hcp;

/// A damaged row (a state the CHECK constraint would refuse, written past it) is an error that
/// names the value, never shown as some other state.
#[test]
fn a_stored_state_that_does_not_read_is_an_error_naming_it() {
    let h = Hcp::new();
    let id = h.referral("500001", "CT1 2EH", "2026-11-23 08:30", "2026-12-07", &[]);
    let conn = rusqlite::Connection::open(&h.db).unwrap();
    // The CHECK constraint refuses it...
    assert!(conn.execute("UPDATE referrals SET state = 'Waitng' WHERE id = ?1", [id]).is_err());
    // ...so corrupt it past the constraint, as a hand-edited file would be.
    conn.execute_batch("PRAGMA ignore_check_constraints=ON").unwrap();
    conn.execute("UPDATE referrals SET state = 'Waitng' WHERE id = ?1", [id]).unwrap();
    for args in [vec!["referral", "show", "1"], vec!["offer", "1", "--explain"], vec!["respond", "1", "accept"]] {
        let out = h.run(&args).code(1);
        assert!(out.stderr.contains("'Waitng'") && out.stderr.contains("referral 1"), "{args:?}: {}", out.stderr);
        assert!(!out.stderr.contains("panicked"));
    }
}

#[test]
fn hours_in_json_are_rounded_to_two_decimals_with_exact_minutes_beside_them() {
    let h = Hcp::new();
    let v = h.json_at(
        "2026-11-23T09:00",
        &["referral", "add", "--client-id", "5", "--name", "A", "--postcode", "CT1 2EH", "--team", "stp"]
            .into_iter()
            .chain(["--referrer", "R", "--start", "2026-12-07", "--calls-per-day", "3", "--minutes", "30"])
            .chain(["--hours-per-week", "10:35"])
            .collect::<Vec<_>>(),
        3,
    );
    assert_eq!(v["hours_per_week"].to_string(), "10.58");
    assert_eq!(v["weekly_minutes"], 635);
}

/// A database made by migration 1 (comma-joined lists, no CHECKs) is migrated with its data kept.
#[test]
fn migrations_keep_the_data_of_a_version_1_database() {
    let h = Hcp::new();
    {
        let conn = rusqlite::Connection::open(&h.db).unwrap();
        conn.execute_batch(include_str!("../../schema.sql")).unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
        conn.execute(
            "INSERT INTO referrals (client_id, name, team, referrer, received_at, start_date, calls_per_day,
             minutes_per_call, weekly_minutes, docs, state, missing, call_times, created_at, updated_at)
             VALUES ('007', 'Zoë O''Brien', 'act', 'R', '2026-11-23T09:00:00Z', '2026-12-07', 2, 30, 420,
             'referral-form,charging-letter', 'incomplete', 'bica,ais-updated', '07:30, 12:00', '2026-11-23T09:00:00Z',
             '2026-11-23T09:00:00Z')",
            [],
        )
        .unwrap();
    }
    let v = h.show("2026-11-23T09:00", 1);
    assert_eq!(v["name"], "Zoë O'Brien");
    assert_eq!(v["docs"], serde_json::json!(["referral-form", "charging-letter"]));
    assert_eq!(v["missing"], serde_json::json!(["bica", "ais-updated"]));
    assert_eq!(v["call_times"], serde_json::json!(["07:30", "12:00"]));
    let conn = rusqlite::Connection::open(&h.db).unwrap();
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(version, 3);
    // Migration 3 wrote the CHECK lists as OR chains (the same constraints, cheaper writes).
    let sql: String =
        conn.query_row("SELECT sql FROM sqlite_schema WHERE name = 'referrals'", [], |r| r.get(0)).unwrap();
    assert!(!sql.contains(" IN ('") && sql.contains("funding = 'kcc' OR"), "{sql}");
    let done: i64 = conn.query_row("SELECT pir_done FROM referrals WHERE client_id = '007'", [], |r| r.get(0)).unwrap();
    assert_eq!(done, 0);
    assert!(conn.execute("UPDATE referrals SET funding = 'lottery'", []).is_err());
    assert!(conn.execute("UPDATE referrals SET docs = 'bica'", []).is_err());
}

/// SQL text lives in src/store only.
#[test]
fn no_sql_outside_the_store() {
    let pattern = ["SELECT ", "INSERT INTO", "INSERT OR ", "DELETE FROM"];
    let mut found = Vec::new();
    for dir in ["src/cli", "src/io", "src/domain"] {
        let mut stack = vec![std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir)];
        while let Some(p) = stack.pop() {
            for e in std::fs::read_dir(&p).unwrap() {
                let path = e.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap();
                for (n, line) in text.lines().enumerate() {
                    let update = line.contains("UPDATE ") && line.contains(" SET ");
                    if update || pattern.iter().any(|p| line.contains(p)) {
                        found.push(format!("{}:{}: {line}", path.display(), n + 1));
                    }
                }
            }
        }
    }
    assert!(found.is_empty(), "SQL outside src/store:\n{}", found.join("\n"));
}

/// Regression: a re-import of the unchanged sheet after `--minor-change` reported "1 updated"
/// and cleared the flag (the merge started from the sheet row).
#[test]
fn a_reimport_keeps_what_only_hcp_records() {
    let h = Hcp::new();
    let sheet = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/packages.csv");
    // The sample sheet has a row that is rejected on purpose (exit 3).
    let first = h.json_at("2026-11-23T09:00", &["import", "packages", sheet], 3);
    assert!(first["new"].as_u64().unwrap() > 0);
    h.run(&["referral", "update", "1", "--minor-change"]).ok();
    let again = h.json_at("2026-11-23T09:00", &["import", "packages", sheet], 3);
    assert_eq!(again["updated"], 0, "{again}");
    let conn = rusqlite::Connection::open(&h.db).unwrap();
    let flag: bool = conn.query_row("SELECT minor_change FROM referrals WHERE id = 1", [], |r| r.get(0)).unwrap();
    assert!(flag);
}
