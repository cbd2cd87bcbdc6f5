//! Issue 7: the Packages spreadsheet in and out.

use crate::support::{write, Hcp};

const HEADER: &str = "Client ID,Client Name,Postcode,Team,Referrer,Received,Requested Start,Calls Per Day,Minutes Per Call,Hours Per Week,Status\n";

fn three_good_one_bad() -> String {
    format!(
        "{HEADER}0451,Ann Lee,CT1 2EH,ACT,W One,20/11/2026,01/12/2026,2,30,7,Waiting\n\
0452,Bo Ng,ME14 1XQ,STP,W Two,21/11/2026,02/12/2026,1,60,7,Waiting\n\
0453,Cy Dee,TN23 1PL,KEaH,W Three,22/11/2026,03/12/2026,3,30,10.5,Waiting\n\
0454,Di Fox,CT9 1XZ,ACT,W Four,31/02/2026,04/12/2026,2,30,7,Waiting\n"
    )
}

fn import(h: &Hcp, file: &str, extra: &[&str], code: i32) -> serde_json::Value {
    let p = h.path(file);
    let mut a = vec!["import", "packages", p.to_str().unwrap()];
    a.extend_from_slice(extra);
    h.json_at(&h.now.clone(), &a, code)
}

#[test]
fn good_rows_import_bad_rows_are_reported_and_reimport_changes_nothing() {
    let mut h = Hcp::new();
    h.now = "2026-11-24T09:00".into();
    write(&h.path("p.csv"), three_good_one_bad().as_bytes());
    let v = import(&h, "p.csv", &[], 3);
    assert_eq!((v["new"].as_i64(), v["rejected"].as_i64(), v["unchanged"].as_i64()), (Some(3), Some(1), Some(0)));
    assert_eq!(v["errors"][0]["row"], 5);
    assert_eq!(v["errors"][0]["column"], "Received");
    assert_eq!(v["errors"][0]["value"], "31/02/2026");
    let list = h.json(&["referral", "list"]);
    let ids: Vec<&str> = list.as_array().unwrap().iter().map(|r| r["client_id"].as_str().unwrap()).collect();
    assert!(ids.contains(&"0451"), "leading zeros kept: {ids:?}");
    // KEaH without a Final Review column: the documents count as complete.
    assert!(list.as_array().unwrap().iter().all(|r| r["state"] == "waiting"));
    // Imported referrals keep the received date as their list date.
    let ann = list.as_array().unwrap().iter().find(|r| r["client_id"] == "0451").unwrap();
    assert_eq!(ann["working_days_waiting"], 2);
    let hist = h.json(&["history", &ann["id"].to_string()]);
    assert_eq!(hist[0]["event"], "referral imported");
    assert!(hist[0]["details"]["file"].as_str().unwrap().ends_with("p.csv"));
    let events_before = h.json(&["history", &ann["id"].to_string()]).as_array().unwrap().len();
    let v = import(&h, "p.csv", &[], 3);
    assert_eq!((v["new"].as_i64(), v["unchanged"].as_i64(), v["updated"].as_i64()), (Some(0), Some(3), Some(0)));
    assert_eq!(
        h.json(&["history", &ann["id"].to_string()]).as_array().unwrap().len(),
        events_before,
        "no events for unchanged rows"
    );
}

#[test]
fn a_changed_row_updates_the_referral_and_logs_the_change() {
    let h = Hcp::new();
    write(
        &h.path("p.csv"),
        format!("{HEADER}0451,Ann Lee,CT1 2EH,ACT,W One,20/11/2026,01/12/2026,2,30,7,Waiting\n").as_bytes(),
    );
    import(&h, "p.csv", &[], 0);
    write(
        &h.path("p.csv"),
        format!("{HEADER}0451,Ann Lee,CT1 2EH,ACT,W One,20/11/2026,01/12/2026,3,30,10.5,Waiting\n").as_bytes(),
    );
    let v = import(&h, "p.csv", &[], 0);
    assert_eq!((v["updated"].as_i64(), v["new"].as_i64()), (Some(1), Some(0)));
    let hist = h.json(&["history", "1"]);
    let last = hist.as_array().unwrap().last().unwrap();
    assert_eq!(last["event"], "referral updated by import");
    assert_eq!(last["details"]["before"]["calls_per_day"], 2);
    assert_eq!(last["details"]["after"]["calls_per_day"], 3);
}

#[test]
fn strict_imports_nothing_and_dry_run_writes_nothing() {
    let h = Hcp::new();
    write(&h.path("p.csv"), three_good_one_bad().as_bytes());
    let out = h.run(&["import", "packages", h.path("p.csv").to_str().unwrap(), "--strict"]).code(1);
    // The message names the row, the client and the column.
    assert!(
        out.stderr.contains("row 5, ") && out.stderr.contains("column Received") && out.stderr.contains("31/02/2026"),
        "{}",
        out.stderr
    );
    assert_eq!(h.json(&["referral", "list"]).as_array().unwrap().len(), 0);
    let v = import(&h, "p.csv", &["--dry-run"], 3);
    assert_eq!(v["new"], 3);
    assert_eq!(v["dry_run"], true);
    assert_eq!(h.json(&["referral", "list"]).as_array().unwrap().len(), 0);
}

#[test]
fn windows_1252_and_bom_and_semicolons_are_read() {
    let h = Hcp::new();
    let mut cp1252 =
        b"Client ID,Client Name,Postcode,Team,Referrer,Received,Requested Start,Calls Per Day,Minutes Per Call,Notes\n"
            .to_vec();
    cp1252
        .extend_from_slice(b"0099,Zo\xEB Andr\xE9,CT1 2EH,STP,W,23/11/2026,30/11/2026,2,30,Top-up \xA312.50 agreed\n");
    write(&h.path("w.csv"), &cp1252);
    let v = import(&h, "w.csv", &[], 0);
    assert_eq!(v["new"], 1);
    let r = h.show("2026-11-23T09:00", 1);
    assert_eq!(r["name"], "Zoë André");
    assert_eq!(r["notes"], "Top-up £12.50 agreed");
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice("Swift ID;Service User;Post Code;Referring Team;Case Worker;Date Received;POC Start;Calls;Mins;Hrs p/w;Double Up\n0100;Łukasz Wójcik; me14 1xq ;stp;W;2026-11-22;23-Nov-2026;2;30 mins;7:00;Y\n".as_bytes());
    write(&h.path("b.csv"), &bom);
    let v = import(&h, "b.csv", &[], 0);
    assert_eq!(v["new"], 1);
    let r = h.show("2026-11-23T09:00", 2);
    assert_eq!(r["name"], "Łukasz Wójcik");
    assert_eq!(r["postcode"], "ME14 1XQ");
    assert_eq!(r["double_handed"], true);
    assert_eq!(r["start"], "2026-11-23");
}

#[test]
fn unmapped_columns_go_to_notes_and_a_map_file_names_others() {
    let h = Hcp::new();
    write(&h.path("m.csv"), b"Service User Ref,Client Name,Postcode,Team,Received,Requested Start,Calls Per Day,Minutes Per Call,Key Safe\nA1,Ann,CT1 2EH,ACT,23/11/2026,30/11/2026,1,30,1234\n");
    write(&h.path("map.toml"), b"[columns]\n\"Service User Ref\" = \"Client ID\"\n");
    let p = h.path("m.csv");
    let m = h.path("map.toml");
    let v = h.json(&["import", "packages", p.to_str().unwrap(), "--map", m.to_str().unwrap()]);
    assert_eq!(v["new"], 1);
    assert_eq!(v["unmapped_columns"], serde_json::json!(["Key Safe"]));
    let r = h.show("2026-11-23T09:00", 1);
    assert_eq!(r["client_id"], "A1");
    assert_eq!(r["notes"], "[Key Safe] 1234");
    write(&h.path("bad.toml"), b"[columns]\n\"X\" = \"Shoe Size\"\n");
    let b = h.path("bad.toml");
    let out = h.run(&["import", "packages", p.to_str().unwrap(), "--map", b.to_str().unwrap()]).code(1);
    assert!(out.stderr.contains("Shoe Size"));
}

#[test]
fn files_that_are_not_csv_get_one_clear_error() {
    let h = Hcp::new();
    write(&h.path("empty.csv"), b"");
    write(&h.path("bin.csv"), b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR");
    write(&h.path("header.csv"), HEADER.as_bytes());
    write(&h.path("other.csv"), b"a,b,c\n1,2,3\n");
    for (f, says) in [
        ("empty.csv", "is empty"),
        ("bin.csv", "not a CSV file"),
        ("header.csv", "no packages"),
        ("other.csv", "does not look like a Packages spreadsheet"),
        ("missing.csv", "cannot read"),
    ] {
        let out = h.run(&["import", "packages", h.path(f).to_str().unwrap()]).code(1);
        assert!(out.stderr.contains(says), "{f}: {}", out.stderr);
    }
}

#[test]
fn bad_values_name_row_column_and_value() {
    let h = Hcp::new();
    h.providers();
    let csv = format!(
        "{HEADER}1,A,CT1 2EH,ACT,W,20/11/2026,01/12/2026,two,30,7,Waiting\n\
2,B,CT1 2EH,Social,W,20/11/2026,01/12/2026,2,30,7,Waiting\n\
3,C,CT1 2EH,ACT,W,20/11/2026,01/12/2026,2,30,7,Pending Moon\n\
4,D,CT1 2EH,ACT,W,20/11/2026,01/12/2026,2,30,lots,Waiting\n\
5,E,SW1A 1AA,ACT,W,20/11/2026,01/12/2026,2,30,7,Waiting\n\
6,F,CT1 2EH,ACT,W,20/11/2026,01/12/2026,2,30,9,Waiting\n"
    );
    write(&h.path("x.csv"), csv.as_bytes());
    let v = import(&h, "x.csv", &[], 3);
    assert_eq!(v["rejected"], 4);
    assert_eq!(v["new"], 2);
    assert_eq!(v["incomplete"], 2);
    let errs: Vec<(i64, String, String)> = v["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["row"].as_i64().unwrap(),
                e["column"].as_str().unwrap().to_string(),
                e["value"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        errs,
        vec![
            (2, "Calls Per Day".into(), "two".into()),
            (3, "Team".into(), "Social".into()),
            (4, "Status".into(), "Pending Moon".into()),
            (5, "Hours Per Week".into(), "lots".into()),
        ]
    );
    let inc = h.json(&["referral", "list", "--state", "incomplete"]);
    let missing: Vec<&serde_json::Value> = inc.as_array().unwrap().iter().map(|r| &r["missing"]).collect();
    assert_eq!(missing, vec![&serde_json::json!(["postcode"]), &serde_json::json!(["hours-mismatch"])]);
}

#[test]
fn placed_packages_are_really_placed_and_export_round_trips_byte_identical() {
    let h = Hcp::new();
    h.providers();
    let csv = "Client ID,Client Name,Postcode,Team,Referrer,Received,Requested Start,Calls Per Day,Minutes Per Call,Hours Per Week,Double Handed,Known To ACT,Funding,Status,Provider,Offered At,Start Date,Notes\n\
0001,Ann O'Neill,CT1 2EH,ACT,W One,2026-11-02 09:15,2026-11-09,2,30,7,No,No,KCC,Active,alpha care,2026-11-03 10:00,2026-11-10,\"Keys, with neighbour\"\n\
0002,Bob Zoë,CT1 2EH,STP,W Two,16/11/2026,23/11/2026,4,45,21,Yes,No,Self Funder,Accepted,Beta Care,17/11/2026 11:00,,\n\
0003,Cy,CT1 2EH,KEaH,W Three,20/11/2026,30/11/2026,1,30,3.5,No,No,,Waiting,,,,\n\
0004,Di,SW1A 1AA,ACT,W Four,20/11/2026,30/11/2026,1,30,3.5,No,No,,Waiting,,,,\n\
0005,Ed,CT1 2EH,STP,W Five,20/11/2026,30/11/2026,1,30,3.5,No,No,,Cancelled,,,,client died\n\
0006,Flo,CT1 2EH,STP,W Six,19/11/2026,30/11/2026,1,30,3.5,No,No,,Offered,Gamma Care,23/11/2026 08:30,,\n";
    write(&h.path("p.csv"), csv.as_bytes());
    let v = import(&h, "p.csv", &[], 0);
    assert_eq!(v["new"], 6);
    let ann = h.show("2026-11-23T09:00", 1);
    assert_eq!(ann["state"], "active");
    assert_eq!(ann["provider"], "Alpha Care");
    assert_eq!(ann["offers"][0]["response"], "accept");
    let flo = h.show("2026-11-23T09:00", 6);
    assert_eq!(flo["state"], "offered");
    assert_eq!(flo["offers"][0]["provider"], "Gamma Care");
    let unknown = h.path("u.csv");
    write(
        &unknown,
        format!("{HEADER}9,Z,CT1 2EH,ACT,W,20/11/2026,01/12/2026,2,30,7,Active\n")
            .replace("Status\n", "Status,Provider\n")
            .replace("Active\n", "Active,Nobody Care\n")
            .as_bytes(),
    );
    // Its only row is rejected: nothing imported, exit 1 (the summary still names the error).
    let v = h.json_at("2026-11-23T09:00", &["import", "packages", unknown.to_str().unwrap()], 1);
    assert_eq!(v["errors"][0]["column"], "Provider");
    assert_eq!(v["errors"][0]["value"], "Nobody Care");

    let e1 = h.path("e1.csv");
    h.run(&["export", "packages", "--output", e1.to_str().unwrap()]).ok();
    let h2 = Hcp::new();
    h2.providers();
    let v = h2.json(&["import", "packages", e1.to_str().unwrap()]);
    assert_eq!(v["new"], 6);
    let e2 = h.path("e2.csv");
    h2.run(&["export", "packages", "--output", e2.to_str().unwrap()]).ok();
    let (a, b) = (std::fs::read_to_string(&e1).unwrap(), std::fs::read_to_string(&e2).unwrap());
    assert_eq!(a, b);
    assert!(a.contains("\"Keys, with neighbour\""));
    // The sheet the team knows: a BOM for Excel, its columns in its order, then hcp's own.
    assert!(a.starts_with("\u{feff}Client ID,Client Name,Postcode,Team,Referrer,Received,Requested Start,Calls Per Day,Minutes Per Call,Hours Per Week,Double Handed,Known To ACT,Funding,Status,Provider,Offered At,Start Date,Notes,Lives Alone,Hospital Discharge,Review Date"), "{}", &a[..300]);
    assert!(a.contains("Ann O'Neill,CT1 2EH,ACT,W One,02/11/2026 09:15,09/11/2026"), "UK dates");
    assert!(a.contains(",Placed,Alpha Care,"), "statuses in the sheet's words");
    let canonical = h.run(&["export", "packages", "--canonical", "--no-bom"]).ok();
    assert!(canonical.stdout.starts_with("Client ID,Client Name,Postcode,Team,Referrer,Received,Requested Start,Calls Per Day,Minutes Per Call,Hours Per Week,Double Handed,Lives Alone,Known To ACT,Funding,Hospital Discharge,Status,Provider,Offered At,Start Date,Review Date,Notes"));
    // And importing the export into the first database changes nothing.
    let v = h.json(&["import", "packages", e1.to_str().unwrap()]);
    assert_eq!((v["unchanged"].as_i64(), v["new"].as_i64(), v["updated"].as_i64()), (Some(6), Some(0), Some(0)));
    let j = h.run(&["export", "packages", "--format", "json"]).ok();
    let j: serde_json::Value = serde_json::from_str(&j.stdout).unwrap();
    assert_eq!(j[1]["client_name"], "Bob Zoë");
}

#[test]
fn the_shipped_example_imports() {
    let h = Hcp::new();
    let example = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/packages.csv");
    let v = h.json_at("2026-11-23T09:00", &["import", "packages", example], 3);
    assert!(v["new"].as_i64().unwrap() >= 10, "{v}");
    assert!(v["rejected"].as_i64().unwrap() >= 1, "the example shows a rejected row too: {v}");
}

#[test]
fn an_interrupted_import_leaves_the_database_as_it_was() {
    let h = Hcp::new();
    h.run(&["init"]).ok();
    let mut csv = String::from(HEADER);
    for i in 0..30_000 {
        csv.push_str(&format!("{i:06},Person {i},CT1 2EH,STP,W,20/11/2026,01/12/2026,2,30,7,Waiting\n"));
    }
    write(&h.path("big.csv"), csv.as_bytes());
    let p = h.path("big.csv");
    let mut child = h
        .command("2026-11-23T09:00", &["import", "packages", p.to_str().unwrap()])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(150));
    let _ = child.kill();
    let status = child.wait().unwrap();
    let n: i64 = rusqlite::Connection::open(&h.db)
        .unwrap()
        .query_row("SELECT COUNT(*) FROM referrals", [], |r| r.get(0))
        .unwrap();
    // Killed mid-way: nothing; if it finished first: everything. Never a part.
    assert!(n == 0 || (n == 30_000 && status.success()), "{n} referrals after a kill ({status})");
}
