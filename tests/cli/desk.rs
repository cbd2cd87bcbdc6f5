//! The purchasing officer's desk (issue 13): what a person sees and does, through the binary.

use crate::support::{write, Hcp};

#[test]
fn errors_under_json_are_one_json_object_and_version_too() {
    let h = Hcp::new();
    h.run(&["init"]).ok();
    let out = h.run(&["referral", "show", "99999", "--json"]).code(1);
    let e: serde_json::Value = serde_json::from_str(out.stderr.trim().lines().last().unwrap()).unwrap();
    assert_eq!((e["error"].as_str(), e["exit"].as_i64()), (Some("no referral with id 99999"), Some(1)));
    assert!(e["hints"].as_array().is_some_and(|h| !h.is_empty()));
    let out = h.run(&["referral", "show", "x", "--json"]).code(2);
    assert!(serde_json::from_str::<serde_json::Value>(out.stderr.trim()).is_ok(), "{}", out.stderr);
    let v = h.run(&["--version", "--json"]).ok().json();
    assert_eq!(v["version"], env!("CARGO_PKG_VERSION"));
}

#[test]
fn completions_and_the_manual_page() {
    let h = Hcp::new();
    assert!(h.run(&["completions", "zsh"]).ok().stdout.starts_with("#compdef hcp"));
    assert!(h.run(&["completions", "bash"]).ok().stdout.contains("_hcp()"));
    let man = h.run(&["man"]).ok().stdout;
    assert!(man.lines().any(|l| l.starts_with(".TH hcp")) && man.contains("referral"), "{}", &man[..200]);
    let dir = h.path("man");
    h.run(&["man", "--out-dir", dir.to_str().unwrap()]).ok();
    assert!(dir.join("hcp-referral-add.1").exists());
}

#[test]
fn the_export_is_the_sheet_the_team_knows() {
    let h = Hcp::new();
    h.run(&["init"]).ok();
    write(
        &h.path("k.csv"),
        "Swift ID,Service User,Postcode,Team,Referrer,Date Received,POC Start,Calls Per Day,Minutes Per Call,Current Status\n\
         800001,Zoë Ågren,CT1 2EH,ACT,A Worker,02/11/2026,16/11/2026,2,30,To be placed\n"
            .as_bytes(),
    );
    let out = h.run(&["import", "packages", h.path("k.csv").to_str().unwrap()]).ok();
    assert!(out.stdout.contains("1 new"), "{}", out.stdout);
    let out = h.run(&["export", "packages", "--output", h.path("k-out.csv").to_str().unwrap()]).ok();
    assert!(out.stdout.contains("1 package written"), "{}", out.stdout);
    let text = std::fs::read_to_string(h.path("k-out.csv")).unwrap();
    assert!(
        text.starts_with("\u{feff}Swift ID,Service User,Postcode,Team,Referrer,Date Received,POC Start,"),
        "{text}"
    );
    assert!(text.contains("800001,Zoë Ågren,CT1 2EH,ACT,A Worker,02/11/2026,16/11/2026,2,30,To be placed"), "{text}");
    // The cluster is filled; the documents the sheet did not list are not invented.
    assert!(text.contains(",Canterbury,"), "{text}");
    let show = h.run(&["referral", "show", "--client", "800001"]).ok().stdout;
    assert!(show.contains("taken as complete at import"), "{show}");
    // Re-importing hcp's own export changes nothing and warns about nothing.
    let out = h.run(&["import", "packages", h.path("k-out.csv").to_str().unwrap()]).ok();
    assert!(out.stdout.contains("0 new") && out.stdout.contains("1 unchanged"), "{}", out.stdout);
    assert!(out.stderr.trim().is_empty(), "{}", out.stderr);
}

#[test]
fn rejected_rows_are_named_by_client_and_kept_in_a_rejects_file() {
    let h = Hcp::new();
    h.run(&["init"]).ok();
    write(
        &h.path("r.csv"),
        "Client ID,Client Name,Postcode,Team,Referrer,Date Received,Requested Start,Calls Per Day,Minutes Per Call\n\
         004523,Ann,CT1 2EH,ACT,W,20/11/2026,30/11/2026,2,30\n\
         004524,Zoë Ågren,CT1 2EH,ACT,W,31/02/2026,30/11/2026,2,30\n"
            .as_bytes(),
    );
    let rejects = h.path("rejects.csv");
    let out = h
        .run(&["import", "packages", h.path("r.csv").to_str().unwrap(), "--rejects", rejects.to_str().unwrap()])
        .code(3);
    assert!(out.stderr.contains("row 3, Zoë Ågren (004524), column Date Received"), "{}", out.stderr);
    let r = std::fs::read_to_string(&rejects).unwrap();
    assert!(r.starts_with("Client ID,Client Name,Postcode,Team,Referrer,Date Received,Requested Start,Calls Per Day,Minutes Per Call,Rejected because"), "{r}");
    assert!(r.contains("004524,Zoë Ågren,CT1 2EH,ACT,W,31/02/2026") && r.contains("31/02/2026)"), "{r}");
    assert!(!r.contains("004523"));
}

#[test]
fn a_referral_is_shown_by_its_swift_id_and_missing_items_read_as_words() {
    let h = Hcp::new();
    let id = h.referral("777001", "CT1 2EH", "2026-11-23 08:30", "2026-12-07", &[]);
    let v = h.json(&["referral", "show", "--client", "777001"]);
    assert_eq!(v["id"], id);
    h.run(&["referral", "show", "--client", "nobody"]).code(1);
    let out = h.run(&["referral", "update", &id.to_string(), "--hours-per-week", "10"]).code(3);
    assert!(out.stdout.contains("hours don't add up to calls × minutes"), "{}", out.stdout);
}
