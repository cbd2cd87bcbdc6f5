//! PIR reviews (SPEC §10) through the real binary: windows, booking with its three files,
//! re-booking, recording and the AIS deadline.

use super::support::Hcp;

fn setup() -> Hcp {
    let h = Hcp::new();
    h.run_at("2026-11-16T08:00", &["init"]).ok();
    h.providers();
    h
}

fn book(h: &Hcp, now: &str, id: i64, date: &str, extra: &[&str]) -> super::support::Out {
    let (id, dir) = (id.to_string(), h.dir.path().to_str().unwrap().to_string());
    let mut a = vec!["pir", "schedule", &id, "--date", date, "--time", "10:00", "--worker", "Sam Case"];
    a.extend_from_slice(&["--output-dir", &dir, "--json"]);
    a.extend_from_slice(extra);
    h.run_at(now, &a)
}

#[test]
fn the_list_shows_each_placements_window_soonest_first_and_skips_minor_changes() {
    let mut h = setup();
    let new = h.placed("910001", "CT1 2EH", "2026-12-01", &[]);
    let known = h.placed("910002", "CT1 2EH", "2026-12-01", &["--known-to-act", "--doc", "bica"]);
    h.placed("910003", "CT1 2EH", "2026-12-01", &["--minor-change"]);
    let v = h.json_at("2026-11-25T09:00", &["pir", "schedule"], 0);
    let rows = v.as_array().unwrap();
    assert_eq!(rows.len(), 2, "the minor change needs no review: {v}");
    // Known to ACT (29/12) is due before the new client's target (12/01).
    assert_eq!(rows[0]["referral"], known);
    assert_eq!(
        (rows[0]["window_from"].as_str(), rows[0]["window_to"].as_str()),
        (Some("2026-12-29"), Some("2026-12-29"))
    );
    assert_eq!(rows[1]["referral"], new);
    assert_eq!(rows[1]["target"], "2027-01-12");
    assert_eq!(rows[1]["booked_for"], serde_json::Value::Null);
}

#[test]
fn a_booking_outside_the_window_changes_nothing_unless_forced_with_a_reason() {
    let mut h = setup();
    let r = h.placed("920001", "CT1 2EH", "2026-12-01", &[]);
    let out = book(&h, "2026-11-25T10:00", r, "2027-01-27", &[]).code(1);
    assert!(out.stderr.contains("27/01/2027") && out.stderr.contains("26/01/2027"), "{}", out.stderr);
    let files = std::fs::read_dir(h.dir.path())
        .unwrap()
        .filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().starts_with("pir-"))
        .count();
    assert_eq!(files, 0, "no files for a refused booking");
    let v = h.json_at("2026-11-25T10:01", &["pir", "schedule"], 0);
    assert_eq!(v[0]["booked_for"], serde_json::Value::Null);
    // --force alone is not enough: it needs a reason.
    book(&h, "2026-11-25T10:02", r, "2027-01-27", &["--force"]).code(1);
    let forced = book(&h, "2026-11-25T10:03", r, "2027-01-27", &["--force", "--reason", "family away until February"])
        .ok()
        .json();
    assert_eq!(forced["sequence"], 0);
    let hist = h.run_at("2026-11-25T10:04", &["history", &r.to_string(), "--json"]).ok().stdout;
    assert!(hist.contains("family away until February"), "the reason is on the audit log: {hist}");
}

#[test]
fn booking_writes_three_private_files_and_rebooking_updates_the_same_event() {
    let mut h = setup();
    let r = h.placed("930001", "CT1 2EH", "2026-12-01", &[]);
    let first = book(&h, "2026-11-25T10:00", r, "2027-01-12", &["--worker-email", "sam.case@example.org"]).ok().json();
    let ics1 = std::fs::read_to_string(first["files"]["ics"].as_str().unwrap()).unwrap();
    assert!(ics1.contains("DTSTART;TZID=Europe/London:20270112T100000"), "{ics1}");
    assert!(ics1.contains("SEQUENCE:0"));
    use std::os::unix::fs::PermissionsExt;
    for k in ["email", "letter", "letter_html", "ics"] {
        let p = first["files"][k].as_str().unwrap();
        assert_eq!(std::fs::metadata(p).unwrap().permissions().mode() & 0o777, 0o600, "{k}");
    }
    let email = std::fs::read_to_string(first["files"]["email"].as_str().unwrap()).unwrap();
    assert!(email.starts_with("To: sam.case@example.org\nSubject: PIR booked: client 930001"), "{email}");
    let letter = std::fs::read_to_string(first["files"]["letter"].as_str().unwrap()).unwrap();
    assert!(letter.contains("Tuesday 12 January 2027 at 10:00"), "{letter}");
    let second = book(&h, "2026-11-26T09:00", r, "2027-01-13", &[]).ok().json();
    let ics2 = std::fs::read_to_string(second["files"]["ics"].as_str().unwrap()).unwrap();
    let uid = |s: &str| s.lines().find(|l| l.starts_with("UID:")).unwrap().to_string();
    assert_eq!(uid(&ics1), uid(&ics2), "the same event");
    assert!(ics2.contains("SEQUENCE:1") && ics2.contains("20270113T100000"));
    assert!(
        std::path::Path::new(first["files"]["ics"].as_str().unwrap()).exists(),
        "the first booking's files are kept"
    );
    let v = h.json_at("2026-11-26T09:01", &["pir", "schedule"], 0);
    assert!(v[0]["booked_for"].as_str().unwrap().starts_with("2027-01-13T10:00"), "{v}");
    assert_eq!(v[0]["worker"], "Sam Case");
}

#[test]
fn recording_a_review_sets_the_ais_deadline_and_closes_it() {
    let mut h = setup();
    let k = h.placed("940001", "CT1 2EH", "2026-12-01", &["--known-to-act", "--doc", "bica"]);
    let s = k.to_string();
    let v =
        h.json_at("2026-12-17T16:00", &["pir", "record", &s, "--reviewed", "2026-12-17", "--outcome", "continue"], 0);
    // Thursday 17 December: Fri 18, Mon 21, Tue 22, Wed 23, Thu 24.
    assert_eq!(v["ais_due"], "2026-12-24");
    let again = h
        .run_at("2026-12-17T16:05", &["pir", "record", &s, "--reviewed", "2026-12-17", "--outcome", "continue"])
        .code(1);
    assert!(again.stderr.contains("already recorded"), "{}", again.stderr);
    assert_eq!(h.json_at("2026-12-17T16:06", &["pir", "schedule"], 0), serde_json::json!([]));
    // The paperwork's arrival starts the clock when given: Wednesday 23 → Monday 4 January.
    let n = h.placed("940002", "CT1 2EH", "2026-12-01", &[]);
    let v = h.json_at(
        "2026-12-23T16:00",
        &[
            "pir",
            "record",
            &n.to_string(),
            "--reviewed",
            "2026-12-22",
            "--outcome",
            "change",
            "--paperwork",
            "2026-12-23",
        ],
        0,
    );
    assert_eq!(v["ais_due"], "2027-01-04");
    // A review in the future has not happened; a bad outcome is a usage error.
    h.run_at("2026-12-23T16:00", &["pir", "record", &n.to_string(), "--reviewed", "2027-01-05", "--outcome", "end"])
        .code(2);
    h.run_at("2026-12-23T16:00", &["pir", "record", &n.to_string(), "--reviewed", "2026-12-22", "--outcome", "maybe"])
        .code(2);
}

#[test]
fn only_a_confirmed_placement_is_booked_and_times_must_read() {
    let mut h = setup();
    h.now = "2026-11-16T08:30".into();
    let waiting = h.referral("950001", "CT1 2EH", "2026-11-16 08:30", "2026-12-01", &[]);
    let out = book(&h, "2026-11-25T10:00", waiting, "2027-01-12", &[]).code(1);
    assert!(out.stderr.contains("waiting"), "{}", out.stderr);
    let r = h.placed("950002", "CT1 2EH", "2026-12-01", &[]);
    let s = r.to_string();
    let bad = h
        .run_at(
            "2026-11-25T10:00",
            &["pir", "schedule", &s, "--date", "2027-01-12", "--time", "ten", "--worker", "Sam"],
        )
        .code(2);
    assert!(bad.stderr.contains("'ten'"), "{}", bad.stderr);
    h.run_at(
        "2026-11-25T10:00",
        &["pir", "schedule", "9999", "--date", "2027-01-12", "--time", "10:00", "--worker", "Sam"],
    )
    .code(1);
}

#[test]
fn due_shows_a_review_to_book_until_it_is_booked_and_the_washup_counts_it() {
    let mut h = setup();
    let r = h.placed("960001", "CT1 2EH", "2026-12-01", &[]);
    let due = |now: &str| {
        let v = h.json_at(now, &["due"], 0);
        v.as_array().unwrap().iter().find(|i| i["what"] == "pir-booking" && i["referral"] == r).cloned()
    };
    assert!(due("2026-11-25T09:00").is_none(), "the window opens on 15/12: not yet shown");
    let item = due("2026-12-05T09:00").expect("shown a fortnight before the window opens");
    assert_eq!(item["overdue"], false);
    assert!(item["due"].as_str().unwrap().starts_with("2027-01-26T23:59"), "{item}");
    assert_eq!(due("2027-01-27T09:00").expect("still to book")["overdue"], true);
    book(&h, "2026-12-07T10:00", r, "2027-01-12", &[]).ok();
    assert!(due("2026-12-08T09:00").is_none(), "booked");
    let w =
        h.json_at("2026-12-14T07:00", &["report", "washup", "--area", "Canterbury & Coastal", "--week", "2026-W50"], 0);
    assert_eq!(w["reviews"]["booked"], 1, "{}", w["reviews"]);
}

#[test]
fn the_ais_update_is_due_until_done_and_counted_overdue_in_the_washup() {
    let mut h = setup();
    let k = h.placed("970001", "CT1 2EH", "2026-12-01", &["--known-to-act", "--doc", "bica"]);
    let s = k.to_string();
    h.run_at("2026-12-17T16:00", &["pir", "record", &s, "--reviewed", "2026-12-17", "--outcome", "continue"]).ok();
    let ais = |now: &str| {
        let v = h.json_at(now, &["due"], 0);
        v.as_array().unwrap().iter().find(|i| i["what"] == "ais-update" && i["referral"] == k).cloned()
    };
    assert!(ais("2026-12-18T09:00").expect("due")["due"].as_str().unwrap().starts_with("2026-12-24T23:59"));
    // Not done by Sunday 3 January: overdue in week 53.
    let w =
        h.json_at("2027-01-04T07:00", &["report", "washup", "--area", "Canterbury & Coastal", "--week", "2026-W53"], 0);
    assert_eq!(w["reviews"]["ais_overdue"], 1, "{}", w["reviews"]);
    h.run_at("2027-01-04T09:00", &["pir", "ais-updated", &s, "--on", "2027-01-04"]).ok();
    assert!(ais("2027-01-04T09:01").is_none(), "done");
    // That week's report is unchanged (the update came after it); the next week's sees it done.
    let again =
        h.json_at("2027-01-04T09:02", &["report", "washup", "--area", "Canterbury & Coastal", "--week", "2026-W53"], 0);
    assert_eq!(again["reviews"]["ais_overdue"], 1);
    let next =
        h.json_at("2027-01-11T07:00", &["report", "washup", "--area", "Canterbury & Coastal", "--week", "2027-W01"], 0);
    assert_eq!(next["reviews"]["ais_overdue"], 0);
    h.run_at("2027-01-04T09:00", &["pir", "ais-updated", "9999"]).code(1);
}
