//! Issue 3: the database, Kent's reference data, the calendar, providers and clusters.

use crate::support::Hcp;

#[test]
fn init_creates_a_private_database_and_is_idempotent() {
    let h = Hcp::new();
    let v = h.json(&["init"]);
    assert_eq!(v["schema_version"], 3);
    assert!(v["db"].as_str().unwrap().ends_with("hcp.sqlite"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&h.db).unwrap().permissions().mode() & 0o777, 0o600);
    }
    let count = |h: &Hcp| {
        let c = rusqlite::Connection::open(&h.db).unwrap();
        let n: i64 = c.query_row("SELECT (SELECT COUNT(*) FROM postcodes) + (SELECT COUNT(*) FROM events) + (SELECT COUNT(*) FROM clusters)", [], |r| r.get(0)).unwrap();
        n
    };
    let before = count(&h);
    h.json(&["init"]);
    assert_eq!(count(&h), before, "a second init changes nothing");
}

#[test]
fn a_newer_database_is_refused_naming_both_versions() {
    let h = Hcp::new();
    h.run(&["init"]).ok();
    rusqlite::Connection::open(&h.db).unwrap().pragma_update(None, "user_version", 99).unwrap();
    let out = h.run(&["cluster", "list"]).code(1);
    assert!(out.stderr.contains("99") && out.stderr.contains("version 3"), "{}", out.stderr);
}

#[test]
fn read_commands_never_create_a_database_setting_up_does_and_says_where() {
    let h = Hcp::new();
    let out = h.run(&["referral", "list"]).code(1);
    assert!(out.stderr.contains(h.db.to_str().unwrap()) && out.stderr.contains("hcp init"), "{}", out.stderr);
    assert!(!h.db.exists());
    h.run(&["import", "packages", concat!(env!("CARGO_MANIFEST_DIR"), "/examples/packages.csv"), "--dry-run"]).code(1);
    assert!(!h.db.exists());
    let out = h.run(&["provider", "add", "Alpha Care", "--type", "contracted"]).ok();
    assert!(out.stderr.contains("created a new hcp database at"), "{}", out.stderr);
    assert_eq!(h.json(&["cluster", "list"]).as_array().unwrap().len(), 12);
}

#[test]
fn clusters_cover_all_182_msoas_one_per_district() {
    let h = Hcp::new();
    h.run(&["init"]).ok();
    let v = h.json(&["cluster", "list"]);
    let clusters = v.as_array().unwrap();
    let mut msoas: Vec<&str> =
        clusters.iter().flat_map(|c| c["msoas"].as_array().unwrap().iter().map(|m| m.as_str().unwrap())).collect();
    msoas.sort();
    msoas.dedup();
    assert_eq!(msoas.len(), 182);
    let sevenoaks = clusters.iter().find(|c| c["name"] == "Sevenoaks").unwrap();
    assert_eq!(sevenoaks["area"], "West Kent");
    let canterbury = h.json(&["cluster", "show", "canterbury"]);
    assert_eq!(canterbury["area"], "Canterbury & Coastal");
    assert!(canterbury["msoas"]
        .as_array()
        .unwrap()
        .iter()
        .any(|m| m["msoa"] == "E02006856" && m["rurality"] == "Urban city and town"));
}

#[test]
fn unknown_names_list_close_matches() {
    let h = Hcp::new();
    h.run(&["init"]).ok();
    let out = h.run(&["cluster", "show", "Canterbery"]).code(1);
    assert!(out.stderr.contains("unknown cluster 'Canterbery'"), "{}", out.stderr);
    assert!(out.stderr.contains("Hint: did you mean: Canterbury"), "{}", out.stderr);
    h.providers();
    let out = h.run(&["provider", "show", "Alpha"]).code(1);
    assert!(out.stderr.contains("did you mean: Alpha Care"), "{}", out.stderr);
    let out = h.run(&["area", "rank", "Thanett", "--providers", "Alpha Care"]).code(1);
    assert!(out.stderr.contains("Thanet"), "{}", out.stderr);
}

#[test]
fn providers_have_the_contract_json_keys() {
    let h = Hcp::new();
    h.providers();
    let v = h.json(&["provider", "show", "epsilon homecare"]);
    for k in ["id", "name", "type", "areas", "cqc_rating", "exceptions_list", "sanctioned", "status"] {
        assert!(v.get(k).is_some(), "missing {k}: {v}");
    }
    assert_eq!(v["type"], "non-contracted");
    assert_eq!(v["areas"][0], "Canterbury & Coastal");
    assert_eq!(v["exceptions_list"], true);
    assert_eq!(v["cqc_rating"], "good");
    let list = h.json(&["provider", "list"]);
    assert_eq!(list.as_array().unwrap().len(), 7);
    let out = h.run(&["provider", "add", "ALPHA CARE", "--type", "contracted"]).code(1);
    assert!(out.stderr.contains("already exists"), "{}", out.stderr);
    let out = h.run(&["provider", "add", "X", "--type", "sometimes"]).code(2);
    assert!(out.stderr.contains("'sometimes'"), "{}", out.stderr);
    let v = h.json(&["provider", "sanction", "Beta Care", "--on", "--note", "breach"]);
    assert_eq!(v["sanctioned"], true);
}

#[test]
fn cluster_and_provider_files_import() {
    let h = Hcp::new();
    h.providers();
    let clusters = h.path("clusters.csv");
    std::fs::write(&clusters, "cluster,area,msoa_code\nCanterbury City,Canterbury & Coastal,E02006856\nCanterbury City,Canterbury & Coastal,E02005022\nNowhere,Atlantis,E02005022\n").unwrap();
    let v = h.json_at(&h.now.clone(), &["import", "clusters", clusters.to_str().unwrap()], 3);
    assert_eq!(v["imported"], 2);
    assert_eq!(v["errors"][0]["row"], 4);
    assert_eq!(v["errors"][0]["column"], "area");
    let ranks = h.path("ranks.csv");
    std::fs::write(&ranks, "cluster,rank,provider\nCanterbury City,2,Beta Care\nCanterbury City,1,Gamma Care\n")
        .unwrap();
    h.json(&["import", "cluster-providers", ranks.to_str().unwrap()]);
    let c = h.json(&["cluster", "show", "Canterbury City"]);
    assert_eq!(c["providers"][0]["provider"], "Gamma Care");
    assert_eq!(c["providers"][1]["provider"], "Beta Care");
    assert_eq!(c["msoas"].as_array().unwrap().len(), 2);
    // A referral in CT1 2EH now lands in the new cluster.
    let id = h.referral("1", "CT1 2EH", "2026-11-23 08:00", "2026-11-30", &[]);
    assert_eq!(h.show("2026-11-23T09:00", id)["cluster"], "Canterbury City");
}

#[test]
fn calendar_shows_bank_holidays_and_loads_gov_uk_json() {
    let h = Hcp::new();
    h.run(&["init"]).ok();
    let v = h.json(&["calendar", "show", "--from", "2026-12-01", "--to", "2027-01-31"]);
    let dates: Vec<&str> = v["bank_holidays"].as_array().unwrap().iter().map(|d| d["date"].as_str().unwrap()).collect();
    assert_eq!(dates, vec!["2026-12-25", "2026-12-28", "2027-01-01"]);
    let f = h.path("bank-holidays.json");
    std::fs::write(&f, r#"{"england-and-wales":{"division":"england-and-wales","events":[{"title":"Christmas Day","date":"2028-12-25","notes":"","bunting":true},{"title":"Extra day","date":"2028-06-05","notes":"","bunting":true}]}}"#).unwrap();
    // The file speaks for 2028 (beyond the shipped table): both dates are added.
    let v = h.json(&["calendar", "update", f.to_str().unwrap()]);
    assert_eq!(v["added"], serde_json::json!(["2028-06-05", "2028-12-25"]));
    assert_eq!((v["years"].clone(), v["removed"].clone()), (serde_json::json!([2028]), serde_json::json!([])));
    // A past year may be corrected: the file is the truth for 2025.
    std::fs::write(&f, r#"{"england-and-wales":{"division":"england-and-wales","events":[{"title":"Christmas Day","date":"2025-12-25","notes":"","bunting":true}]}}"#).unwrap();
    let v = h.json(&["calendar", "update", f.to_str().unwrap()]);
    assert!(v["removed"].as_array().unwrap().iter().any(|d| d == "2025-12-26"), "{v}");
    let v = h.json(&["calendar", "show", "--from", "2028-01-01", "--to", "2028-12-31"]);
    assert_eq!(v["bank_holidays"].as_array().unwrap().len(), 2);
    // A file for this year without Christmas would remove it: refused, nothing changed.
    std::fs::write(&f, r#"{"england-and-wales":{"division":"england-and-wales","events":[{"title":"Boxing Day","date":"2026-12-28","notes":"","bunting":true}]}}"#).unwrap();
    let out = h.run(&["calendar", "update", f.to_str().unwrap()]).code(1);
    assert!(out.stderr.contains("25/12/2026") && out.stderr.contains("--replace"), "{}", out.stderr);
    let v = h.json(&["calendar", "show", "--from", "2026-12-01", "--to", "2026-12-31"]);
    assert_eq!(v["bank_holidays"].as_array().unwrap().len(), 2);
    let bad = h.path("bad.json");
    std::fs::write(&bad, "not json").unwrap();
    let out = h.run(&["calendar", "update", bad.to_str().unwrap()]).code(1);
    assert!(out.stderr.contains("not a gov.uk bank-holidays.json"), "{}", out.stderr);
}

#[test]
fn bad_hcp_now_is_a_clear_usage_error() {
    let h = Hcp::new();
    let out = h.run_at("yesterday-ish", &["cluster", "list"]).code(2);
    assert!(out.stderr.contains("HCP_NOW") && out.stderr.contains("yesterday-ish"), "{}", out.stderr);
}

#[test]
fn settings_change_and_are_audited() {
    let h = Hcp::new();
    h.json(&["settings", "set", "rag.red_days", "8"]);
    let v = h.json(&["settings", "list"]);
    assert!(v.as_array().unwrap().iter().any(|s| s["key"] == "rag.red_days" && s["value"] == "8"));
    let out = h.run(&["settings", "set", "rag.purple_days", "3"]).code(2);
    assert!(out.stderr.contains("rag.purple_days"));
    let out = h.run(&["settings", "set", "rag.red_days", "ten"]).code(2);
    assert!(out.stderr.contains("'ten'"));
}

#[test]
fn backup_makes_a_private_consistent_copy_and_never_overwrites() {
    let h = Hcp::new();
    let id = h.referral("1", "CT1 2EH", "2026-11-23 08:00", "2026-12-07", &[]);
    let f = h.path("copy.sqlite");
    h.json(&["backup", f.to_str().unwrap()]);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&f).unwrap().permissions().mode() & 0o777, 0o600);
    }
    let copy = Hcp { db: f.clone(), ..Hcp::new() };
    assert_eq!(copy.show("2026-11-23T09:00", id)["client_id"], "1");
    let out = h.run(&["backup", f.to_str().unwrap()]).code(1);
    assert!(out.stderr.contains("already exists"), "{}", out.stderr);
}
