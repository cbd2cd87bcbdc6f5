//! The hostile suite (issue 12): hcp under hostile input and careless hands. Each test is an
//! attack from the reliability trial, driven through the real binary; each failed before its fix.

#[path = "../cli/support.rs"]
mod support;

use support::{write, Hcp};

/// Everything the database holds, as text, to show that a refused command changed nothing.
fn dump(h: &Hcp) -> String {
    let conn = rusqlite::Connection::open(&h.db).unwrap();
    let mut out = String::new();
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for t in tables {
        let mut stmt = conn.prepare(&format!("SELECT * FROM \"{t}\"")).unwrap();
        let n = stmt.column_count();
        let rows = stmt
            .query_map([], |r| Ok((0..n).map(|i| format!("{:?}", r.get_ref(i).unwrap())).collect::<Vec<_>>().join("|")))
            .unwrap();
        for row in rows {
            out.push_str(&format!("{t}: {}\n", row.unwrap()));
        }
    }
    out
}

fn with_referral() -> (Hcp, i64) {
    let h = Hcp::new();
    h.providers();
    let id = h.referral("620001", "CT1 2EH", "2026-11-23 08:30", "2026-12-07", &[]);
    (h, id)
}

#[cfg(unix)]
fn mode(p: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

#[test]
fn output_never_overwrites_the_database_or_a_file_without_force() {
    let (h, _) = with_referral();
    let before = std::fs::read(&h.db).unwrap();
    for target in [h.db.clone(), h.db.with_extension("sqlite-wal")] {
        let out = h.run(&["export", "packages", "--output", target.to_str().unwrap(), "--force"]).code(1);
        assert!(out.stderr.contains("database"), "{}", out.stderr);
    }
    assert_eq!(std::fs::read(&h.db).unwrap(), before);
    let f = h.path("x.csv");
    std::fs::write(&f, "keep me").unwrap();
    let out = h.run(&["export", "packages", "--output", f.to_str().unwrap()]).code(1);
    assert!(out.stderr.contains("--force"), "{}", out.stderr);
    assert_eq!(std::fs::read_to_string(&f).unwrap(), "keep me");
    h.run(&["export", "packages", "--output", f.to_str().unwrap(), "--force"]).ok();
    assert!(std::fs::read_to_string(&f).unwrap().starts_with("\u{feff}Client ID"));
    // --email-to is checked before anything is saved.
    let before = dump(&h);
    let mut a = vec!["referral", "add", "--client-id", "9", "--name", "N", "--postcode", "CT1 2EH", "--team", "stp"];
    a.extend(["--referrer", "R", "--start", "2026-12-07", "--calls-per-day", "2", "--minutes", "30"]);
    let db = h.db.to_str().unwrap().to_string();
    let dir = h.dir.path().to_str().unwrap().to_string();
    for target in [db.as_str(), dir.as_str()] {
        let mut b = a.clone();
        b.extend(["--email-to", target]);
        h.run(&b).code(1);
    }
    assert_eq!(dump(&h), before);
}

#[cfg(unix)]
#[test]
fn files_of_personal_data_are_private_from_the_first_byte_under_any_umask() {
    let (h, id) = with_referral();
    let run_umask = |args: &str| {
        let status = std::process::Command::new("sh")
            .arg("-c")
            .arg(format!("umask 000; exec \"$HCP\" {args}"))
            .env("HCP", env!("CARGO_BIN_EXE_hcp"))
            .env("HCP_DB", &h.db)
            .env("HCP_NOW", "2026-11-23T09:30")
            .env("HCP_USER", "po.test")
            .status()
            .unwrap();
        assert!(status.success() || status.code() == Some(3), "{args}: {status}");
    };
    let (csv, email, backup) = (h.path("x.csv"), h.path("email.txt"), h.path("b.sqlite"));
    run_umask(&format!("export packages --output {}", csv.display()));
    run_umask(&format!("referral update {id} --clear referral-form --email-to {}", email.display()));
    run_umask(&format!("backup {}", backup.display()));
    for p in [&csv, &email, &backup] {
        assert_eq!(mode(p), 0o600, "{}", p.display());
    }
    // An existing empty file made by someone else becomes private when hcp takes it as its database.
    let empty = h.path("empty.sqlite");
    std::fs::write(&empty, "").unwrap();
    std::fs::set_permissions(&empty, std::os::unix::fs::PermissionsExt::from_mode(0o644)).unwrap();
    let out = h.command("2026-11-23T09:00", &["init"]).env("HCP_DB", &empty).output().unwrap();
    assert!(out.status.success());
    assert_eq!(mode(&empty), 0o600);
}

#[test]
fn another_programs_sqlite_file_is_refused_and_left_as_it_was() {
    let h = Hcp::new();
    let other = h.path("other.sqlite");
    rusqlite::Connection::open(&other).unwrap().execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);").unwrap();
    let before = std::fs::read(&other).unwrap();
    let out = h.command("2026-11-23T09:00", &["referral", "list"]).env("HCP_DB", &other).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("another program"));
    assert_eq!(std::fs::read(&other).unwrap(), before);
    // A damaged file says so.
    let damaged = h.path("damaged.sqlite");
    std::fs::write(&damaged, "SQLite format 3\0 but then nothing sensible at all, just words and words").unwrap();
    let out = h.command("2026-11-23T09:00", &["referral", "list"]).env("HCP_DB", &damaged).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("damaged"), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn many_first_uses_at_once_all_succeed() {
    let h = Hcp::new();
    let children: Vec<_> = (0..16)
        .map(|_| h.command("2026-11-23T09:00", &["init"]).stdout(std::process::Stdio::null()).spawn().unwrap())
        .collect();
    for c in children {
        assert!(c.wait_with_output().unwrap().status.success());
    }
    assert_eq!(h.json(&["cluster", "list"]).as_array().unwrap().len(), 12);
}

#[test]
fn a_calendar_file_cannot_wipe_the_bank_holidays() {
    let h = Hcp::new();
    h.run(&["init"]).ok();
    let f = h.path("bh.json");
    write(&f, br#"{"england-and-wales":{"division":"england-and-wales","events":[{"title":"x","date":"1900-01-01","notes":"","bunting":true},{"title":"y","date":"2200-12-25","notes":"","bunting":true}]}}"#);
    let before = dump(&h);
    h.run(&["calendar", "update", f.to_str().unwrap()]).code(1);
    assert_eq!(dump(&h), before);
    let v = h.json(&["calendar", "show", "--from", "2026-12-01", "--to", "2026-12-31"]);
    assert!(v.to_string().contains("2026-12-25"));
}

#[test]
fn numbers_out_of_range_are_usage_errors_and_change_nothing() {
    let (h, id) = with_referral();
    let ids = id.to_string();
    let before = dump(&h);
    for (flag, v) in [
        ("--calls-per-day", "-1"),
        ("--calls-per-day", "9223372036854775807"),
        ("--minutes", "0"),
        ("--minutes", "241"),
        ("--days-per-week", "8"),
        ("--hours-per-week", "169"),
        ("--hours-per-week", "-3"),
        ("--authorised-weekly", "£100,000"),
        ("--estimated-weekly", "-5"),
        ("--sleep-nights", "8"),
    ] {
        let arg = format!("{flag}={v}");
        let out = h.run(&["referral", "update", &ids, &arg]).code(2);
        assert!(out.stderr.contains(flag) || out.stderr.contains(v), "{flag} {v}: {}", out.stderr);
    }
    let out = h
        .run(&[
            "capacity",
            "add",
            "--provider",
            "Alpha Care",
            "--cluster",
            "Canterbury",
            "--hours",
            "153722867280912930",
        ])
        .code(2);
    assert!(out.stderr.contains("--hours"), "{}", out.stderr);
    assert_eq!(dump(&h), before);
    h.json(&["offer", &ids, "--explain"]);
    // A capacity report can be withdrawn (kept, never deleted).
    let c = h.json(&["capacity", "add", "--provider", "Alpha Care", "--cluster", "Canterbury", "--hours", "10"]);
    h.run(&["capacity", "remove", &c["id"].to_string()]).ok();
    assert_eq!(h.json(&["capacity", "list"]).as_array().unwrap().len(), 0);
    h.run(&["capacity", "remove", &c["id"].to_string()]).code(1);
}

#[test]
fn times_that_cannot_be_are_refused() {
    let (h, id) = with_referral();
    let ids = id.to_string();
    let out = h.run_at("2026-11-23T10:00", &["offer", &ids, "--at", "2026-11-23 11:00"]).code(2);
    assert!(out.stderr.contains("future"), "{}", out.stderr);
    h.run_at("2026-11-23T10:00", &["offer", &ids]).ok();
    let out = h.run_at("2026-11-23T10:30", &["respond", &ids, "accept", "--at", "2026-11-23 09:59"]).code(2);
    assert!(out.stderr.contains("before the offer"), "{}", out.stderr);
    h.run_at("2026-11-23T10:30", &["respond", &ids, "accept"]).ok();
    let out = h.run_at("2026-11-23T11:00", &["confirm", &ids, "--start", "2026-11-01"]).code(2);
    assert!(out.stderr.contains("before the referral was received"), "{}", out.stderr);
    let out = h
        .run_at("2026-11-23T11:00", &["confirm", &ids, "--start", "2026-12-07", "--call-times", "07:30,lunch"])
        .code(2);
    assert!(out.stderr.contains("lunch"), "{}", out.stderr);
    let e = h.json_at("2026-11-23T11:00", &["escalate", &ids, "--to", "asm", "--reason", "x"], 0);
    let out = h
        .run_at(
            "2026-11-23T11:05",
            &["escalate", "resolve", &e["id"].to_string(), "--decision", "noted", "--at", "2026-11-23 10:00"],
        )
        .code(2);
    assert!(out.stderr.contains("before escalation"), "{}", out.stderr);
}

#[test]
fn the_audit_log_cannot_be_rewritten_unnoticed() {
    let (h, _) = with_referral();
    let conn = rusqlite::Connection::open(&h.db).unwrap();
    assert!(conn.execute_batch("REPLACE INTO events SELECT * FROM events WHERE id = 1").is_err());
    assert!(conn.execute_batch("UPDATE events SET user = 'x'").is_err());
    assert!(conn.execute_batch("DELETE FROM events").is_err());
    let v = h.json(&["audit", "verify"]);
    assert!(v["problem"].is_null() && v["events"].as_i64().unwrap() > 5, "{v}");
    // An edited user, with the guard dropped first: named.
    let edited =
        Hcp { dir: tempfile::tempdir().unwrap(), db: h.path("copy1.sqlite"), now: h.now.clone(), user: h.user.clone() };
    std::fs::copy(&h.db, &edited.db).unwrap();
    rusqlite::Connection::open(&edited.db)
        .unwrap()
        .execute_batch("DROP TRIGGER events_no_update; UPDATE events SET user = 'mallory' WHERE id = 3; CREATE TRIGGER events_no_update BEFORE UPDATE ON events BEGIN SELECT RAISE(ABORT, 'x'); END;")
        .unwrap();
    let out = edited.run(&["audit", "verify"]).code(1);
    assert!(out.stderr.contains("event 3"), "{}", out.stderr);
    // The last event deleted: the head no longer matches.
    let cut =
        Hcp { dir: tempfile::tempdir().unwrap(), db: h.path("copy2.sqlite"), now: h.now.clone(), user: h.user.clone() };
    std::fs::copy(&h.db, &cut.db).unwrap();
    rusqlite::Connection::open(&cut.db)
        .unwrap()
        .execute_batch("DROP TRIGGER events_no_delete; DELETE FROM events WHERE id = (SELECT MAX(id) FROM events); CREATE TRIGGER events_no_delete BEFORE DELETE ON events BEGIN SELECT RAISE(ABORT, 'x'); END;")
        .unwrap();
    let out = cut.run(&["audit", "verify"]).code(1);
    assert!(out.stderr.contains("removed"), "{}", out.stderr);
    // Dropped and rebuilt from a copy: its guards are gone.
    let rebuilt =
        Hcp { dir: tempfile::tempdir().unwrap(), db: h.path("copy3.sqlite"), now: h.now.clone(), user: h.user.clone() };
    std::fs::copy(&h.db, &rebuilt.db).unwrap();
    rusqlite::Connection::open(&rebuilt.db)
        .unwrap()
        .execute_batch("CREATE TABLE e2 AS SELECT * FROM events; DROP TABLE events; ALTER TABLE e2 RENAME TO events;")
        .unwrap();
    let out = rebuilt.run(&["audit", "verify"]).code(1);
    assert!(out.stderr.contains("guard"), "{}", out.stderr);
}

#[test]
fn the_user_on_the_log_is_a_real_name() {
    let (h, _) = with_referral();
    for u in ["", "   ", "po\u{1b}[31m"] {
        let out = h.run(&["--user", u, "referral", "list"]).code(2);
        assert!(out.stderr.contains("--user"), "{}", out.stderr);
    }
    let out = h
        .command("2026-11-23T09:00", &["referral", "cancel", "1", "--reason", "test"])
        .env_remove("HCP_USER")
        .env_remove("USER")
        .output()
        .unwrap();
    assert!(out.status.success());
    let conn = rusqlite::Connection::open(&h.db).unwrap();
    let user: String = conn.query_row("SELECT user FROM events ORDER BY id DESC LIMIT 1", [], |r| r.get(0)).unwrap();
    assert_ne!(user, "unknown");
    assert!(!user.is_empty());
}

#[test]
fn control_characters_and_formulas_never_reach_a_terminal_or_a_spreadsheet_raw() {
    let h = Hcp::new();
    let csv =
        "Client ID,Client Name,Postcode,Team,Referrer,Received,Requested Start,Calls Per Day,Minutes Per Call,Notes\n\
               1,\"Evil\u{1b}[2J Name\",CT1 2EH,STP,R,20/11/2026,30/11/2026,2,30,=HYPERLINK(\"http://x\")\n";
    write(&h.path("p.csv"), csv.as_bytes());
    h.json(&["import", "packages", h.path("p.csv").to_str().unwrap()]);
    let out = h.run(&["referral", "list"]).ok();
    assert!(!out.stdout.contains('\u{1b}') && out.stdout.contains("\\u{1b}"), "{}", out.stdout);
    let out = h.run(&["export", "packages"]).ok();
    assert!(out.stdout.contains("'=HYPERLINK"), "{}", out.stdout);
    let out = h.run(&["export", "packages", "--raw"]).ok();
    assert!(out.stdout.contains("\"=HYPERLINK"), "{}", out.stdout);
    let out = h
        .run(&[
            "provider",
            "add",
            "Sneaky Care",
            "--type",
            "contracted",
            "--email",
            "x@example.org\r\nBcc: y@example.org",
        ])
        .code(2);
    assert!(out.stderr.contains("--email"), "{}", out.stderr);
}

#[test]
fn look_alike_provider_names_are_the_same_provider() {
    let h = Hcp::new();
    h.run(&["provider", "add", "Oakleaf Care", "--type", "contracted"]).ok();
    for n in ["Oakleaf-Care", "Oakleaf  Care", "oakleaf care"] {
        let out = h.run(&["provider", "add", n, "--type", "contracted"]).code(1);
        assert!(out.stderr.contains("already exists"), "{n}: {}", out.stderr);
    }
    assert_eq!(h.json(&["provider", "list"]).as_array().unwrap().len(), 1);
}

#[test]
fn hostile_csv_files_get_clear_errors() {
    let h = Hcp::new();
    h.run(&["init"]).ok();
    let header =
        "Client ID,Client Name,Postcode,Team,Referrer,Received,Requested Start,Calls Per Day,Minutes Per Call\n";
    // An unclosed quote swallowing the next rows: named by the row where it opened.
    let f = h.path("quote.csv");
    write(&f, format!("{header}1,\"Ann,CT1 2EH,STP,R,20/11/2026,30/11/2026,2,30\n2,Bob,CT1 2EH,STP,R,20/11/2026,30/11/2026,2,30\n").as_bytes());
    let out = h.run(&["import", "packages", f.to_str().unwrap()]).code(1);
    assert!(out.stderr.contains("row 2") && out.stderr.contains("quote"), "{}", out.stderr);
    // UTF-16 with a BOM (Excel's "Unicode text") is read.
    let text = format!("{header}1,Zoë Ågren,CT1 2EH,STP,R,20/11/2026,30/11/2026,2,30\n");
    let mut bytes = vec![0xFF, 0xFE];
    for u in text.encode_utf16() {
        bytes.extend(u.to_le_bytes());
    }
    write(&h.path("u16.csv"), &bytes);
    let v = h.json_at("2026-11-23T09:00", &["import", "packages", h.path("u16.csv").to_str().unwrap()], 0);
    assert_eq!(v["new"], 1);
    assert_eq!(h.show("2026-11-23T09:00", 1)["name"], "Zoë Ågren");
    // Endless input stops at once; a huge cell is refused.
    #[cfg(unix)]
    {
        let out = h.run(&["import", "packages", "/dev/zero"]).code(1);
        assert!(out.stderr.contains("binary"), "{}", out.stderr);
    }
    let big = "x".repeat(200_000);
    write(&h.path("big.csv"), format!("{header}2,{big},CT1 2EH,STP,R,20/11/2026,30/11/2026,2,30\n").as_bytes());
    let out = h.run(&["import", "packages", h.path("big.csv").to_str().unwrap()]).code(1);
    assert!(out.stderr.contains("row 2"), "{}", out.stderr);
    // Every row rejected: exit 1, nothing imported.
    write(&h.path("bad.csv"), format!("{header}3,Cy,CT1 2EH,STP,R,31/02/2026,30/11/2026,2,30\n").as_bytes());
    h.run(&["import", "packages", h.path("bad.csv").to_str().unwrap()]).code(1);
}
