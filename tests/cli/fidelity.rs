//! The protocol as the guidance writes it (issue 11): gates, clocks and records. Each test is
//! named after the defect it guards and failed before its fix.

use crate::support::Hcp;
use serde_json::Value;

/// `referral add` for a complete referral, with each default replaceable by `over`.
fn add_args(client: &str, over: &[(&str, &str)]) -> Vec<String> {
    let mut flags: Vec<(&str, String)> = vec![
        ("--name", "Test Client".into()),
        ("--postcode", "CT1 2EH".into()),
        ("--team", "stp".into()),
        ("--referrer", "R".into()),
        ("--received", "2026-11-23 08:30".into()),
        ("--start", "2026-12-07".into()),
        ("--calls-per-day", "2".into()),
        ("--minutes", "30".into()),
        ("--authorised-weekly", "400".into()),
        ("--estimated-weekly", "200".into()),
        ("--doc", "financial-authorisation,referral-form,charging-letter,ais-updated".into()),
    ];
    for (k, v) in over {
        match flags.iter_mut().find(|(f, _)| f == k) {
            Some(f) => f.1 = v.to_string(),
            None => flags.push((k, v.to_string())),
        }
    }
    let mut out = vec!["referral".to_string(), "add".into(), "--client-id".into(), client.into()];
    for (k, v) in flags {
        out.push(k.into());
        if !v.is_empty() {
            out.push(v);
        }
    }
    out
}

fn add(h: &Hcp, now: &str, client: &str, over: &[(&str, &str)], code: i32) -> Value {
    let args = add_args(client, over);
    h.json_at(now, &args.iter().map(String::as_str).collect::<Vec<_>>(), code)
}

fn setup() -> (Hcp, i64) {
    let h = Hcp::new();
    h.providers();
    let id = h.referral("610001", "CT1 2EH", "2026-11-23 08:30", "2026-12-07", &[]);
    (h, id)
}

fn rules_open(h: &Hcp, now: &str, referral: i64) -> Vec<String> {
    let v = h.json_at(now, &["escalate", "list", "--open"], 0);
    v.as_array()
        .unwrap()
        .iter()
        .filter(|e| e["referral"] == referral)
        .map(|e| e["rule"].as_str().unwrap().to_string())
        .collect()
}

fn raised(v: &Value, referral: i64, rule: &str) -> bool {
    v["raised"]
        .as_array()
        .unwrap()
        .iter()
        .chain(v["open"].as_array().unwrap())
        .any(|e| e["referral"] == referral && e["rule"] == rule)
}

#[test]
fn a_manual_offer_changes_the_order_never_the_gates() {
    let (h, id) = setup();
    let ids = id.to_string();
    // Non-contracted, rated requires improvement, and no ASM permission: refused, nothing recorded.
    let out = h.run(&["offer", &ids, "--provider", "Grim Care", "--reason", "family asked"]).code(1);
    assert!(out.stderr.contains("Grim Care") && out.stderr.contains("requires improvement"), "{}", out.stderr);
    // Rated good, but no permission yet.
    let out = h.run(&["offer", &ids, "--provider", "Foxglove Care", "--reason", "family asked"]).code(1);
    assert!(out.stderr.contains("ASM's permission"), "{}", out.stderr);
    // A contracted provider that covers neither the cluster nor the area.
    h.run(&["provider", "add", "Thanet Only Care", "--type", "contracted", "--area", "Thanet"]).ok();
    let out = h.run(&["offer", &ids, "--provider", "Thanet Only Care", "--reason", "x"]).code(1);
    assert!(out.stderr.contains("does not cover"), "{}", out.stderr);
    assert_eq!(h.show("2026-11-23T09:00", id)["offers"].as_array().unwrap().len(), 0);
    // Changing the order within the gates is allowed, with the reason kept.
    let o = h.json(&["offer", &ids, "--provider", "Gamma Care", "--reason", "family asked"]);
    assert_eq!((o["provider"].as_str(), o["override_reason"].as_str()), (Some("Gamma Care"), Some("family asked")));
}

#[test]
fn only_contracted_providers_are_ranked() {
    let (h, _) = setup();
    let out = h.run(&["cluster", "rank", "Canterbury", "--providers", "Alpha Care,Grim Care"]).code(1);
    assert!(out.stderr.contains("Grim Care") && out.stderr.contains("not contracted"), "{}", out.stderr);
    let c = h.json(&["cluster", "show", "Canterbury"]);
    let names: Vec<&str> = c["providers"].as_array().unwrap().iter().map(|p| p["provider"].as_str().unwrap()).collect();
    assert_eq!(names, vec!["Alpha Care", "Beta Care", "Gamma Care"]);
    assert_eq!(h.run(&["area", "rank", "Canterbury & Coastal", "--providers", "Foxglove Care"]).code, 1);
}

#[test]
fn ranked_in_an_area_counts_as_covering_it() {
    let h = Hcp::new();
    h.run(&["provider", "add", "Kent Wide Care", "--type", "contracted"]).ok();
    h.run(&["area", "rank", "Canterbury & Coastal", "--providers", "Kent Wide Care"]).ok();
    let id = h.referral("610002", "CT1 2EH", "2026-11-23 08:30", "2026-12-07", &[]);
    let e = h.json(&["offer", &id.to_string(), "--explain"]);
    assert_eq!(e["next"]["provider"], "Kent Wide Care");
    assert_eq!(e["next"]["tier"], "other_contracted");
}

#[test]
fn a_cluster_with_no_contracted_provider_asks_the_asm_at_once() {
    let h = Hcp::new();
    let id = h.referral("610003", "ME10 4AA", "2026-11-23 08:30", "2026-12-07", &[]);
    let v = h.json(&["escalate"]);
    assert!(raised(&v, id, "non-contracted-permission"), "{v}");
}

#[test]
fn a_suspended_or_exited_provider_is_never_offered() {
    let (h, id) = setup();
    let p = h.json(&["provider", "update", "Alpha Care", "--status", "suspended"]);
    assert_eq!(p["status"], "suspended");
    assert_eq!(h.json(&["offer", &id.to_string(), "--explain"])["next"]["provider"], "Beta Care");
    let out = h.run(&["offer", &id.to_string(), "--provider", "Alpha Care", "--reason", "x"]).code(1);
    assert!(out.stderr.contains("suspended"), "{}", out.stderr);
    // Every change to a provider is in the audit log.
    h.run(&["provider", "update", "Alpha Care", "--status", "active", "--cqc-id", "1-000"]).ok();
    let p = h.json(&["provider", "show", "Alpha Care"]);
    assert_eq!((p["status"].as_str(), p["cqc_id"].as_str()), (Some("active"), Some("1-000")));
    let conn = rusqlite::Connection::open(&h.db).unwrap();
    let n: i64 =
        conn.query_row("SELECT COUNT(*) FROM events WHERE event = 'provider updated'", [], |r| r.get(0)).unwrap();
    assert_eq!(n, 2);
}

#[test]
fn the_pos_two_hour_step_is_the_form_sent_not_the_providers_form() {
    let (h, id) = setup();
    let ids = id.to_string();
    h.run_at("2026-11-23T10:00", &["offer", &ids]).ok();
    h.run_at("2026-11-23T10:30", &["respond", &ids, "accept"]).ok();
    h.run_at("2026-11-23T11:30", &["form-sent", &ids]).ok();
    let v = h.json_at("2026-11-23T13:00", &["escalate"], 0);
    assert!(!raised(&v, id, "confirmation-overdue"), "{v}");
    let due = h.json_at("2026-11-23T13:00", &["due"], 0);
    assert!(due.as_array().unwrap().iter().all(|d| d["what"] != "form-sent"));
    // Without it, raised once 2 hours after the acceptance.
    let id2 = h.referral("610004", "CT1 2EH", "2026-11-23 08:30", "2026-12-07", &[]);
    let ids2 = id2.to_string();
    h.run_at("2026-11-23T10:05", &["offer", &ids2]).ok();
    h.run_at("2026-11-23T10:30", &["respond", &ids2, "accept"]).ok();
    assert!(!raised(&h.json_at("2026-11-23T12:29", &["escalate"], 0), id2, "confirmation-overdue"));
    assert!(raised(&h.json_at("2026-11-23T12:31", &["escalate"], 0), id2, "confirmation-overdue"));
    // Recording it closes the escalation.
    h.run_at("2026-11-23T12:40", &["form-sent", &ids2]).ok();
    assert!(!rules_open(&h, "2026-11-23T12:41", id2).contains(&"confirmation-overdue".to_string()));
}

#[test]
fn an_indi_placement_waits_for_its_contract_then_the_sdo_is_due() {
    let (h, id) = setup();
    let ids = id.to_string();
    // Down the contracted ladder, then the ASM's permission, then Foxglove (Indi: not on the exceptions list).
    for (t, p) in [("10", "Alpha Care"), ("11", "Beta Care"), ("12", "Gamma Care"), ("13", "Delta Care")] {
        h.run_at(&format!("2026-11-23T{t}:00"), &["offer", &ids, "--provider", p, "--reason", "test"]).ok();
        h.run_at(&format!("2026-11-23T{t}:10"), &["respond", &ids, "decline", "--reason", "no-capacity"]).ok();
    }
    let v = h.json_at("2026-11-23T14:00", &["escalate"], 0);
    let esc = v["raised"].as_array().unwrap().iter().find(|e| e["rule"] == "non-contracted-permission").unwrap();
    h.run_at(
        "2026-11-23T14:05",
        &["escalate", "resolve", &esc["id"].to_string(), "--decision", "approve-non-contracted"],
    )
    .ok();
    h.run_at("2026-11-23T14:10", &["offer", &ids, "--provider", "Foxglove Care", "--reason", "best rated"]).ok();
    h.run_at("2026-11-23T14:20", &["respond", &ids, "accept"]).ok();
    h.run_at("2026-11-23T14:30", &["form-sent", &ids]).ok();
    let v = h.json_at("2026-11-24T09:00", &["confirm", &ids, "--start", "2026-12-07"], 0);
    assert!(v["sdo_due"].is_null());
    let due = h.json_at("2026-11-24T09:05", &["due"], 0);
    assert!(due.as_array().unwrap().iter().any(|d| d["referral"] == id && d["what"] == "indi"), "{due}");
    let v = h.json_at("2026-11-27T10:00", &["indi", &ids, "--completed"], 0);
    assert_eq!(v["sdo_due"], "2026-12-01");
    let due = h.json_at("2026-11-27T10:05", &["due"], 0);
    assert!(due.as_array().unwrap().iter().any(|d| d["referral"] == id && d["what"] == "sdo"), "{due}");
}

#[test]
fn no_sdo_the_day_before_care_starts_is_escalated() {
    let (h, id) = setup();
    let ids = id.to_string();
    h.run_at("2026-11-23T10:00", &["offer", &ids]).ok();
    h.run_at("2026-11-23T10:30", &["respond", &ids, "accept"]).ok();
    // Confirmed Monday with a start on Wednesday: the SDO is due Wednesday, but before care starts.
    h.run_at("2026-11-23T11:00", &["confirm", &ids, "--start", "2026-11-25"]).ok();
    assert!(!raised(&h.json_at("2026-11-23T12:00", &["escalate"], 0), id, "sdo-overdue"));
    let v = h.json_at("2026-11-24T09:00", &["escalate"], 0);
    assert!(raised(&v, id, "sdo-overdue"), "{v}");
    let due = h.json_at("2026-11-24T09:00", &["due"], 0);
    let sdo = due.as_array().unwrap().iter().find(|d| d["what"] == "sdo").unwrap();
    assert_eq!(sdo["due"], "2026-11-25T00:00:00+00:00");
}

#[test]
fn a_later_start_offered_with_an_acceptance_waits_for_the_asm() {
    let (h, id) = setup();
    let ids = id.to_string();
    h.run_at("2026-11-23T10:00", &["offer", &ids]).ok();
    let v = h.json_at("2026-11-23T10:20", &["respond", &ids, "accept", "--future-start", "2026-12-14"], 0);
    assert_eq!(v["referral_state"], "tentative");
    let fs = rules_open(&h, "2026-11-23T10:21", id);
    assert!(fs.contains(&"future-start".to_string()), "{fs:?}");
    // Refused: back on the list, and the next provider is approached.
    let open = h.json(&["escalate", "list", "--open"]);
    let e = open.as_array().unwrap().iter().find(|e| e["rule"] == "future-start").unwrap();
    h.run_at("2026-11-23T10:30", &["escalate", "resolve", &e["id"].to_string(), "--decision", "refuse-future-start"])
        .ok();
    assert_eq!(h.show("2026-11-23T10:31", id)["state"], "waiting");
    assert_eq!(h.json_at("2026-11-23T10:31", &["offer", &ids, "--explain"], 0)["next"]["provider"], "Beta Care");
    // Accepted by the ASM: placed with that provider from the later date, the move audited.
    h.run_at("2026-11-23T11:00", &["offer", &ids]).ok();
    h.run_at("2026-11-23T11:10", &["respond", &ids, "accept", "--future-start", "2026-12-21"]).ok();
    let open = h.json(&["escalate", "list", "--open"]);
    let e = open.as_array().unwrap().iter().find(|e| e["rule"] == "future-start").unwrap();
    h.run_at("2026-11-23T11:20", &["escalate", "resolve", &e["id"].to_string(), "--decision", "accept-future-start"])
        .ok();
    let r = h.show("2026-11-23T11:21", id);
    assert_eq!(
        (r["state"].as_str(), r["start"].as_str(), r["provider"].as_str()),
        (Some("accepted"), Some("2026-12-21"), Some("Beta Care"))
    );
    let hist = h.json(&["history", &ids]).to_string();
    assert!(hist.contains("2026-12-07") && hist.contains("2026-12-21"), "{hist}");
}

#[test]
fn an_overstayer_in_keah_goes_to_the_team_manager() {
    let h = Hcp::new();
    let docs = "financial-authorisation,referral-form,charging-letter,ais-updated,final-review";
    let id = add(&h, "2026-11-23T09:00", "610005", &[("--in-keah", ""), ("--doc", docs)], 0)["id"].as_i64().unwrap();
    let v = h.json(&["escalate"]);
    let e = v["raised"].as_array().unwrap().iter().find(|e| e["rule"] == "keah-overstayer" && e["referral"] == id);
    assert_eq!(e.expect("keah-overstayer raised")["to"], "tm");
}

#[test]
fn waiting_escalations_close_when_the_package_is_placed() {
    let (h, id) = setup();
    let ids = id.to_string();
    h.run_at("2026-12-07T09:00", &["escalate"]).ok();
    let open = rules_open(&h, "2026-12-07T09:00", id);
    assert!(open.contains(&"waiting-5".to_string()) && open.contains(&"waiting-10".to_string()), "{open:?}");
    h.run_at("2026-12-07T10:00", &["offer", &ids]).ok();
    h.run_at("2026-12-07T10:30", &["respond", &ids, "accept"]).ok();
    let open = rules_open(&h, "2026-12-07T10:31", id);
    assert!(!open.iter().any(|r| r.starts_with("waiting")), "{open:?}");
}

#[test]
fn the_list_date_is_when_the_complete_referral_arrived() {
    let h = Hcp::new();
    // Received complete on Monday 21/12/2026 but keyed in on Tuesday 05/01/2027: 8 working days
    // (22, 23, 24, 29, 30, 31 December, 4 and 5 January; Christmas, the substitute Boxing Day and New Year skipped).
    let v = add(&h, "2027-01-05T10:00", "610010", &[("--received", "2026-12-21 09:00"), ("--start", "2027-01-11")], 0);
    assert_eq!((v["working_days_waiting"].as_i64(), v["rag"].as_str()), (Some(8), Some("amber")));
    // Incomplete, then completed: listed when the last piece arrived; back to incomplete and
    // complete again keeps the first list date.
    let docs = ("--doc", "referral-form,charging-letter,ais-updated");
    let v = add(
        &h,
        "2027-01-05T10:00",
        "610011",
        &[("--received", "2027-01-04 09:00"), ("--start", "2027-01-11"), docs],
        3,
    );
    let id = v["id"].to_string();
    let v = h.json_at(
        "2027-01-05T10:00",
        &["referral", "update", &id, "--doc", "financial-authorisation", "--at", "2027-01-05 08:00"],
        0,
    );
    assert_eq!(v["list_date"], "2027-01-05T08:00:00+00:00");
    h.json_at("2027-01-06T10:00", &["referral", "update", &id, "--clear", "charging-letter"], 3);
    let v = h.json_at("2027-01-07T10:00", &["referral", "update", &id, "--doc", "charging-letter"], 0);
    assert_eq!(v["list_date"], "2027-01-05T08:00:00+00:00");
}

#[test]
fn days_a_week_and_carer_hours_are_consistent() {
    let h = Hcp::new();
    // 2 calls of 30 minutes on 5 days: 5 hours.
    h.referral(
        "610020",
        "CT1 2EH",
        "2026-11-23 08:30",
        "2026-12-07",
        &["--days-per-week", "5", "--hours-per-week", "5"],
    );
    // Double-handed, given as carer hours: 2 × 30 × 7 × 2 carers = 14 hours.
    h.referral("610021", "CT1 2EH", "2026-11-23 08:30", "2026-12-07", &["--double-handed", "--hours-per-week", "14"]);
    // Not double-handed: 14 hours for 7 is a mismatch.
    let out = h.run(&["referral", "update", "2", "--clear", "double-handed"]).code(3);
    assert!(out.stdout.contains("Hours per week"), "{}", out.stdout);
}

#[test]
fn an_answer_is_not_overwritten_without_amend() {
    let (h, id) = setup();
    let ids = id.to_string();
    h.run_at("2026-11-23T10:10", &["offer", &ids]).ok();
    h.run_at("2026-11-23T10:20", &["respond", &ids, "decline", "--reason", "no-capacity"]).ok();
    let out = h.run_at("2026-11-23T10:21", &["respond", &ids, "accept"]).code(1);
    assert!(out.stderr.contains("already has an answer") && out.stderr.contains("--amend"), "{}", out.stderr);
    let out = h.run_at("2026-11-23T10:21", &["respond", &ids, "considering", "--until", "2026-11-24 12:00"]).code(1);
    assert!(out.stderr.contains("declined"), "{}", out.stderr);
    let v = h.json_at("2026-11-23T10:22", &["respond", &ids, "accept", "--amend"], 0);
    assert_eq!(v["referral_state"], "accepted");
    let hist = h.json(&["history", &ids]);
    let events: Vec<&str> = hist.as_array().unwrap().iter().map(|e| e["event"].as_str().unwrap()).collect();
    assert!(events.contains(&"response: decline") && events.contains(&"response amended"), "{events:?}");
    // Amended back to a decline: the placement is taken back.
    let v = h.json_at("2026-11-23T10:30", &["respond", &ids, "decline", "--reason", "call-times", "--amend"], 0);
    assert_eq!(v["referral_state"], "waiting");
    assert!(h.show("2026-11-23T10:31", id)["provider"].is_null());
}

#[test]
fn a_second_open_referral_for_a_client_needs_allow_duplicate_and_find_finds_by_name() {
    let h = Hcp::new();
    let zoe = [("--name", "Zoë Ågren")];
    let first = add(&h, "2026-11-23T09:00", "004524", &zoe, 0)["id"].as_i64().unwrap();
    let args = add_args("004524", &zoe);
    let out = h.run(&args.iter().map(String::as_str).collect::<Vec<_>>()).code(1);
    assert!(out.stderr.contains(&format!("open referral: {first}")), "{}", out.stderr);
    add(&h, "2026-11-23T09:00", "004524", &[zoe[0], ("--allow-duplicate", "")], 0);
    let found = h.json(&["referral", "find", "zoe agren"]);
    assert_eq!(found.as_array().unwrap().len(), 2);
    assert_eq!(h.json(&["referral", "find", "004524"]).as_array().unwrap().len(), 2);
    assert_eq!(h.json(&["referral", "find", "ZOË"]).as_array().unwrap().len(), 2);
    assert_eq!(h.json(&["referral", "find", "nobody"]).as_array().unwrap().len(), 0);
}

#[test]
fn a_partial_acceptance_keeps_every_minute() {
    let (h, _) = setup();
    // 10:35 a week over 3 calls of 30 minutes (within the 15-minute tolerance of 10:30): the
    // parts must add up to all 635 minutes (integer division lost one).
    let over = [("--calls-per-day", "3"), ("--hours-per-week", "10:35")];
    let id = add(&h, "2026-11-23T09:00", "610030", &over, 0)["id"].as_i64().unwrap();
    let ids = id.to_string();
    let whole = h.show("2026-11-23T09:00", id)["weekly_minutes"].as_i64().unwrap();
    h.run_at("2026-11-23T10:00", &["offer", &ids]).ok();
    let v = h.json_at("2026-11-23T10:10", &["respond", &ids, "partial", "--calls", "1"], 0);
    let rest = v["linked_referral"].as_i64().unwrap();
    let a = h.show("2026-11-23T10:11", id)["weekly_minutes"].as_i64().unwrap();
    let b = h.show("2026-11-23T10:11", rest)["weekly_minutes"].as_i64().unwrap();
    assert_eq!(a + b, whole);
}
