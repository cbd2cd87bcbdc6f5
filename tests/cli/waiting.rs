//! Issue 6: RAG, escalation rules, ASM decisions, the `due` worklist, capacity.

use crate::support::Hcp;
use serde_json::Value;

fn rag_days(h: &Hcp, now: &str, id: i64) -> (String, i64) {
    let v = h.show(now, id);
    (v["rag"].as_str().unwrap_or("").to_string(), v["working_days_waiting"].as_i64().unwrap_or(-1))
}

fn count(list: &Value, id: i64, rule: &str) -> usize {
    list.as_array().unwrap().iter().filter(|e| e["referral"] == id && e["rule"] == rule).count()
}

#[test]
fn christmas_2026_amber_on_29_december_red_on_6_january() {
    let mut h = Hcp::new();
    h.now = "2026-12-18T10:00".into();
    let id = h.referral("500001", "CT1 2EH", "2026-12-18 09:00", "2027-02-01", &[]);
    assert_eq!(rag_days(&h, "2026-12-24T10:00", id), ("green".into(), 4));
    assert_eq!(rag_days(&h, "2026-12-28T10:00", id), ("green".into(), 4));
    assert_eq!(rag_days(&h, "2026-12-29T10:00", id), ("amber".into(), 5));
    assert_eq!(rag_days(&h, "2027-01-05T10:00", id), ("amber".into(), 9));
    assert_eq!(rag_days(&h, "2027-01-06T10:00", id), ("red".into(), 10));
    h.json_at("2026-12-29T10:00", &["escalate"], 0);
    h.json_at("2026-12-29T11:00", &["escalate"], 0);
    let list = h.json(&["escalate", "list"]);
    assert_eq!(count(&list, id, "waiting-5"), 1);
    assert_eq!(count(&list, id, "waiting-10"), 0);
    for t in ["2027-01-06T11:00", "2027-01-06T12:00", "2027-01-06T13:00"] {
        h.json_at(t, &["escalate"], 0);
    }
    let list = h.json(&["escalate", "list"]);
    assert_eq!(count(&list, id, "waiting-5"), 1);
    assert_eq!(count(&list, id, "waiting-10"), 1);
    let w10 = list.as_array().unwrap().iter().find(|e| e["rule"] == "waiting-10").unwrap();
    assert_eq!(w10["to"], "tm");
    for k in ["id", "referral", "rule", "to", "raised_at", "resolved_at", "decision"] {
        assert!(w10.get(k).is_some(), "escalation JSON lacks {k}");
    }
    // The AMT list carries the client in detail.
    let amt = h.json_at("2027-01-06T13:00", &["escalate", "--amt"], 0);
    assert_eq!(amt.as_array().unwrap().len(), 1);
    assert_eq!(amt[0]["working_days_waiting"], 10);
    assert_eq!(amt[0]["package"], "2 calls a day × 30 min = 7 h/week");
    // Resolving records the decision in the referral's history.
    let esc_id = w10["id"].as_i64().unwrap().to_string();
    h.json_at(
        "2027-01-06T14:00",
        &["escalate", "resolve", &esc_id, "--decision", "noted", "--note", "TM reviewing"],
        0,
    );
    let out = h.run_at("2027-01-06T15:00", &["escalate", "resolve", &esc_id, "--decision", "noted"]).code(1);
    assert!(out.stderr.contains("already resolved"));
    let hist = h.json(&["history", &id.to_string()]);
    assert!(hist
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["event"] == "escalation resolved" && e["details"]["decision"] == "noted"));
    assert_eq!(
        h.json(&["escalate", "list", "--open"])
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["rule"] == "waiting-10")
            .count(),
        0
    );
}

#[test]
fn hospital_discharge_is_red_on_day_one_and_filters_by_rag() {
    let mut h = Hcp::new();
    h.now = "2026-12-18T10:00".into();
    let a = h.referral("1", "CT9 1XZ", "2026-12-18 09:30", "2027-02-01", &["--hospital-discharge"]);
    let b = h.referral("2", "CT9 1XZ", "2026-12-18 09:30", "2027-02-01", &[]);
    assert_eq!(rag_days(&h, "2026-12-18T10:00", a), ("red".into(), 0));
    assert_eq!(rag_days(&h, "2026-12-18T10:00", b), ("green".into(), 0));
    let red = h.json(&["referral", "list", "--rag", "red"]);
    assert_eq!(red.as_array().unwrap().len(), 1);
    assert_eq!(red[0]["id"], a);
}

#[test]
fn rag_thresholds_are_settings() {
    let h = Hcp::new();
    let id = h.referral("1", "CT1 2EH", "2026-11-23 08:00", "2027-02-01", &[]);
    assert_eq!(rag_days(&h, "2026-11-26T10:00", id).0, "green");
    h.json(&["settings", "set", "rag.amber_days", "3"]);
    assert_eq!(rag_days(&h, "2026-11-26T10:00", id).0, "amber");
}

#[test]
fn an_area_with_five_waiting_gets_one_teleconference_escalation() {
    let h = Hcp::new();
    for i in 0..5 {
        h.referral(&format!("{i}"), "CT9 1XZ", "2026-11-23 08:00", "2027-02-01", &[]);
    }
    h.referral("x", "CT1 2EH", "2026-11-23 08:00", "2027-02-01", &[]);
    h.json_at("2026-11-23T10:00", &["escalate"], 0);
    h.json_at("2026-11-23T11:00", &["escalate"], 0);
    let list = h.json(&["escalate", "list"]);
    let tc: Vec<&Value> = list.as_array().unwrap().iter().filter(|e| e["rule"] == "area-teleconference").collect();
    assert_eq!(tc.len(), 1);
    assert_eq!(tc[0]["area"], "Thanet");
    assert_eq!(tc[0]["to"], "asm");
}

#[test]
fn a_lapsed_offer_escalates_to_the_po_once() {
    let h = Hcp::new();
    h.providers();
    let id = h.referral("1", "CT1 2EH", "2026-11-23 08:00", "2027-02-01", &[]);
    h.json_at("2026-11-23T10:00", &["offer", &id.to_string()], 0);
    let v = h.json_at("2026-11-23T11:00", &["escalate"], 0);
    assert_eq!(v["raised"].as_array().unwrap().len(), 0);
    let v = h.json_at("2026-11-23T12:30", &["escalate"], 0);
    assert_eq!(v["raised"][0]["rule"], "lapsed");
    assert_eq!(v["raised"][0]["to"], "po");
    let v = h.json_at("2026-11-23T12:40", &["escalate"], 0);
    assert_eq!(v["raised"].as_array().unwrap().len(), 0);
}

#[test]
fn due_lists_deadlines_soonest_first_with_overdue_marked() {
    let h = Hcp::new();
    h.providers();
    let a = h.referral("1", "CT1 2EH", "2026-11-23 08:00", "2027-02-01", &[]);
    let b = h.referral("2", "CT1 2EH", "2026-11-23 08:00", "2027-02-01", &[]);
    let c = h.referral("3", "CT1 2EH", "2026-11-23 08:00", "2027-02-01", &[]);
    h.json_at("2026-11-23T09:00", &["offer", &a.to_string()], 0);
    h.json_at("2026-11-23T09:30", &["respond", &a.to_string(), "accept"], 0);
    h.json_at("2026-11-23T10:00", &["offer", &b.to_string()], 0);
    h.json_at("2026-11-23T10:05", &["respond", &b.to_string(), "considering", "--until", "2026-11-25 17:00"], 0);
    h.json_at("2026-11-23T10:30", &["offer", &c.to_string()], 0);
    let due = h.json_at("2026-11-23T11:45", &["due"], 0);
    let rows: Vec<(i64, bool)> = due
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["referral"].as_i64().unwrap(), d["overdue"].as_bool().unwrap()))
        .collect();
    // a: confirmation form due 11:30 (overdue); c: offer due 12:30; b: considering until Wednesday.
    assert_eq!(rows, vec![(a, true), (c, false), (b, false)]);
    assert_eq!(due[1]["minutes_left"], 45);
    for k in ["referral", "what", "due", "overdue"] {
        assert!(due[0].get(k).is_some());
    }
    let mine = h.json_at("2026-11-23T11:45", &["due", "--mine", "--user", "someone.else"], 0);
    assert_eq!(mine.as_array().unwrap().len(), 0);
    let area = h.json_at("2026-11-23T11:45", &["due", "--area", "Thanet"], 0);
    assert_eq!(area.as_array().unwrap().len(), 0);
}

#[test]
fn capacity_is_recorded_and_shown_next_to_the_provider() {
    let h = Hcp::new();
    h.providers();
    let id = h.referral("1", "CT1 2EH", "2026-11-23 08:00", "2027-02-01", &[]);
    h.json(&[
        "capacity",
        "add",
        "--provider",
        "Gamma Care",
        "--msoa",
        "E02006856",
        "--hours",
        "12.5",
        "--from",
        "2026-11-30",
    ]);
    h.json(&["capacity", "add", "--provider", "Delta Care", "--cluster", "Thanet", "--hours", "6"]);
    let list = h.json(&["capacity", "list", "--area", "Canterbury & Coastal"]);
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["hours"], 12.5);
    let e = h.json(&["offer", &id.to_string(), "--explain"]);
    assert_eq!(e["candidates"][2]["provider"], "Gamma Care");
    assert_eq!(e["candidates"][2]["capacity"], "reported 12.5 h/week free from 30/11/2026");
    assert!(e["candidates"][3]["capacity"].is_null());
    let out = h.run(&["capacity", "add", "--provider", "Gamma Care", "--msoa", "E0299", "--hours", "3"]).code(1);
    assert!(out.stderr.contains("E0299"));
    let out = h.run(&["capacity", "add", "--provider", "Gamma Care", "--msoa", "E02006856", "--hours", "lots"]).code(2);
    assert!(out.stderr.contains("lots"));
}

#[test]
fn escalations_by_hand_need_a_reason_and_a_known_referral() {
    let h = Hcp::new();
    let id = h.referral("1", "CT1 2EH", "2026-11-23 08:00", "2027-02-01", &[]);
    let out = h.run(&["escalate", &id.to_string(), "--to", "asm"]).code(2);
    assert!(out.stderr.contains("--reason"));
    let out = h.run(&["escalate", "77", "--to", "asm", "--reason", "x"]).code(1);
    assert!(out.stderr.contains("no referral with id 77"));
    let out = h.run(&["escalate", &id.to_string(), "--to", "king", "--reason", "x"]).code(2);
    assert!(out.stderr.contains("'king'"));
    let v = h.json(&["escalate", &id.to_string(), "--to", "tm", "--reason", "family complaint"]);
    assert_eq!(v["rule"], "manual");
    assert_eq!(v["to"], "tm");
    let out = h.run(&["escalate", "resolve", &v["id"].to_string(), "--decision", "shrug"]).code(2);
    assert!(out.stderr.contains("approve-non-contracted"));
}

#[test]
fn approaching_the_next_provider_closes_the_lapse_escalation() {
    let h = Hcp::new();
    h.providers();
    let id = h.referral("1", "CT1 2EH", "2026-11-23 08:00", "2027-02-01", &[]);
    h.json_at("2026-11-23T09:00", &["offer", &id.to_string()], 0);
    h.json_at("2026-11-23T11:30", &["escalate"], 0);
    let open = h.json(&["escalate", "list", "--open"]);
    assert_eq!(open.as_array().unwrap().iter().filter(|e| e["rule"] == "lapsed").count(), 1);
    h.json_at("2026-11-23T11:35", &["offer", &id.to_string()], 0);
    let open = h.json(&["escalate", "list", "--open"]);
    assert_eq!(open.as_array().unwrap().iter().filter(|e| e["rule"] == "lapsed").count(), 0);
    let all = h.json(&["escalate", "list"]);
    let lapsed = all.as_array().unwrap().iter().find(|e| e["rule"] == "lapsed").unwrap();
    assert_eq!(lapsed["decision"], "noted");
    assert_eq!(lapsed["decision_note"], "next provider approached");
}

#[test]
fn doing_what_an_escalation_asked_closes_it() {
    let h = Hcp::new();
    h.providers();
    let id = h.referral("1", "CT1 2EH", "2026-11-23 08:00", "2027-02-01", &[]);
    let ids = id.to_string();
    let open_rules = |h: &Hcp| -> Vec<String> {
        h.json(&["escalate", "list", "--open"])
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["rule"].as_str().unwrap().to_string())
            .collect()
    };
    h.json_at("2026-11-23T09:00", &["offer", &ids], 0);
    h.json_at("2026-11-23T09:10", &["respond", &ids, "considering", "--until", "2026-11-24 12:00"], 0);
    assert_eq!(open_rules(&h), vec!["considering"]);
    // The provider accepts before the ASM decides: the question is settled.
    h.json_at("2026-11-23T10:00", &["respond", &ids, "accept"], 0);
    assert!(open_rules(&h).is_empty());
    // The confirmation form is late (2 hours after acceptance), then arrives.
    h.json_at("2026-11-23T12:30", &["escalate"], 0);
    assert_eq!(open_rules(&h), vec!["confirmation-overdue"]);
    h.json_at("2026-11-23T13:00", &["confirm", &ids, "--start", "2026-12-07"], 0);
    assert!(open_rules(&h).is_empty());
    // SDO and financial assessment both late, then done.
    h.json_at("2026-11-26T09:00", &["escalate"], 0);
    assert_eq!(open_rules(&h), vec!["sdo-overdue", "financial-assessment-overdue"]);
    h.json_at("2026-11-26T09:30", &["sdo", &ids, "--sent"], 0);
    h.json_at("2026-11-26T09:40", &["financial-assessment", &ids, "--done"], 0);
    assert!(open_rules(&h).is_empty());
}
