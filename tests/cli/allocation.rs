//! Issue 5: the allocation protocol, offers, responses, the 2-hour clock, confirmation and SDO.

use crate::support::Hcp;
use serde_json::Value;

fn offer(h: &Hcp, now: &str, id: i64) -> Value {
    h.json_at(now, &["offer", &id.to_string()], 0)
}

fn respond(h: &Hcp, now: &str, id: i64, args: &[&str]) -> Value {
    let ids = id.to_string();
    let mut a = vec!["respond", ids.as_str()];
    a.extend_from_slice(args);
    h.json_at(now, &a, 0)
}

fn setup() -> (Hcp, i64) {
    let h = Hcp::new();
    h.providers();
    let id = h.referral("300001", "CT1 2EH", "2026-11-23 08:30", "2026-12-07", &[]);
    (h, id)
}

#[test]
fn offers_go_down_the_ladder_then_need_asm_permission() {
    let (h, id) = setup();
    for (i, want) in ["Alpha Care", "Beta Care", "Gamma Care", "Delta Care"].iter().enumerate() {
        let t = format!("2026-11-23T1{i}:00");
        let o = offer(&h, &t, id);
        assert_eq!(o["provider"], *want);
        assert_eq!(o["tier"], if i < 3 { "clustered" } else { "other_contracted" });
        let d = respond(&h, &format!("2026-11-23T1{i}:10"), id, &["decline", "--reason", "no-capacity"]);
        // Clustered providers get the decline email, copied to their senior representative; others none.
        if i == 0 {
            let e = d["decline_email"].as_str().unwrap();
            assert!(e.contains("To:      alpha@example.org") && e.contains("Cc:      boss@alpha.example.org"), "{e}");
        }
        assert_eq!(d["decline_email"].is_null(), i == 3);
    }
    let out = h.run_at("2026-11-23T19:00", &["offer", &id.to_string()]).code(1);
    assert!(out.stderr.contains("needs the ASM's permission to approach non-contracted providers"), "{}", out.stderr);
    let e = h.json_at("2026-11-23T19:00", &["offer", &id.to_string(), "--explain"], 0);
    assert_eq!(e["needs"], "asm-permission-non-contracted");
    assert!(e["next"].is_null());
    assert_eq!(e["candidates"][0]["reason"], "declined 23/11 10:10: no capacity");
    assert_eq!(e["candidates"][6]["reason"], "CQC rating requires improvement (good or outstanding needed)");
    for k in ["provider", "provider_id", "tier", "rank", "eligible", "reason"] {
        assert!(e["candidates"][0].get(k).is_some());
    }
    // The ASM is asked, decides, and the next offer goes to a CQC-Good non-contracted provider.
    let esc = h.json_at("2026-11-23T19:05", &["escalate"], 0);
    let perm: Vec<&Value> =
        esc["raised"].as_array().unwrap().iter().filter(|e| e["rule"] == "non-contracted-permission").collect();
    assert_eq!(perm.len(), 1);
    assert_eq!(perm[0]["to"], "asm");
    let esc_id = perm[0]["id"].as_i64().unwrap().to_string();
    h.json_at(
        "2026-11-23T19:10",
        &["escalate", "resolve", &esc_id, "--decision", "approve-non-contracted", "--note", "AD agreed"],
        0,
    );
    let o = offer(&h, "2026-11-23T19:15", id);
    assert_eq!(o["provider"], "Epsilon Homecare");
    assert_eq!(o["tier"], "non_contracted");
    assert_eq!(o["placement_type"], "exception");
    respond(&h, "2026-11-23T19:20", id, &["decline", "--reason", "geography"]);
    let o = offer(&h, "2026-11-23T19:25", id);
    assert_eq!(o["provider"], "Foxglove Care");
    assert_eq!(o["placement_type"], "indi");
    let hist = h.json(&["history", &id.to_string()]);
    assert!(hist
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["event"] == "escalation resolved" && e["details"]["decision"] == "approve-non-contracted"));
}

#[test]
fn an_offer_lapses_after_two_hours_without_anyone_recording_it() {
    let (h, id) = setup();
    let o = offer(&h, "2026-11-23T10:00", id);
    assert_eq!(o["deadline"], "2026-11-23T12:00:00+00:00");
    let at = |t: &str| h.show(t, id);
    assert!(at("2026-11-23T11:59")["offers"][0]["response"].is_null());
    assert_eq!(at("2026-11-23T11:59")["state"], "offered");
    assert_eq!(at("2026-11-23T12:01")["offers"][0]["response"], "lapsed");
    assert_eq!(at("2026-11-23T12:01")["state"], "waiting");
    // The next offer goes to Beta; a late answer from Alpha is kept and marked late.
    let o = offer(&h, "2026-11-23T12:05", id);
    assert_eq!(o["provider"], "Beta Care");
    let out = h.run_at("2026-11-23T12:30", &["respond", &id.to_string(), "accept", "--provider", "Alpha Care"]).code(1);
    assert!(out.stderr.contains("Beta Care") && out.stderr.contains("--force"), "{}", out.stderr);
    let v = h.json_at(
        "2026-11-23T12:31",
        &["respond", &id.to_string(), "accept", "--provider", "Alpha Care", "--force"],
        0,
    );
    assert_eq!(v["late"], true);
    assert_eq!(v["response"], "accept");
    assert_eq!(v["referral_state"], "accepted");
}

#[test]
fn a_sanctioned_provider_is_skipped_with_the_reason() {
    let (h, id) = setup();
    h.json(&["provider", "sanction", "Beta Care", "--on", "--note", "contract breach"]);
    assert_eq!(offer(&h, "2026-11-23T13:00", id)["provider"], "Alpha Care");
    respond(&h, "2026-11-23T13:05", id, &["decline", "--reason", "no-capacity"]);
    let e = h.json_at("2026-11-23T13:06", &["offer", &id.to_string(), "--explain"], 0);
    assert_eq!(e["candidates"][1]["reason"], "sanctioned; no joint decision");
    assert_eq!(e["next"]["provider"], "Gamma Care");
    let out = h
        .run_at("2026-11-23T13:07", &["offer", &id.to_string(), "--provider", "Beta Care", "--reason", "family asked"])
        .code(1);
    assert!(out.stderr.contains("sanctioned"), "{}", out.stderr);
    // A joint decision allows Beta for this referral.
    let esc = h.json_at(
        "2026-11-23T13:08",
        &[
            "escalate",
            &id.to_string(),
            "--to",
            "asm",
            "--rule",
            "sanctioned",
            "--provider",
            "Beta Care",
            "--reason",
            "only provider with capacity",
        ],
        0,
    );
    assert_eq!(esc["rule"], "sanctioned");
    let esc_id = esc["id"].as_i64().unwrap().to_string();
    h.json_at("2026-11-23T13:09", &["escalate", "resolve", &esc_id, "--decision", "allow-sanctioned"], 0);
    assert_eq!(offer(&h, "2026-11-23T13:10", id)["provider"], "Beta Care");
}

#[test]
fn the_offer_message_carries_no_personal_identifiers() {
    let h = Hcp::new();
    h.providers();
    let v = h.json(&[
        "referral",
        "add",
        "--client-id",
        "300009",
        "--name",
        "Agnieszka Kowalczyk",
        "--postcode",
        "CT1 2EH",
        "--address",
        "12 Fictional Street",
        "--dob",
        "1941-03-02",
        "--team",
        "stp",
        "--referrer",
        "R",
        "--received",
        "2026-11-23 08:30",
        "--start",
        "2026-12-07",
        "--calls-per-day",
        "2",
        "--minutes",
        "30",
        "--double-handed",
        "--doc",
        "financial-authorisation,referral-form,charging-letter,ais-updated",
    ]);
    let id = v["id"].as_i64().unwrap().to_string();
    let out = h.run_at("2026-11-23T10:00", &["offer", &id]).ok();
    for secret in ["Kowalczyk", "Agnieszka", "300009", "CT1 2EH", "Fictional Street", "1941"] {
        assert!(!out.stdout.contains(secret), "offer message leaks {secret}:\n{}", out.stdout);
    }
    for shown in [
        "Canterbury & Coastal",
        "E02006856",
        "Urban city and town",
        "CT1",
        "2 a day × 30 minutes",
        "Hours per week:    7",
        "Double-handed:     yes",
        "07/12/2026",
        "To: alpha@example.org",
        "23/11/2026 12:00 GMT",
    ] {
        assert!(out.stdout.contains(shown), "offer message lacks {shown}:\n{}", out.stdout);
    }
}

#[test]
fn the_two_hour_window_is_elapsed_time_across_clock_changes() {
    let (h, id) = setup();
    let o = offer(&h, "2026-10-25T00:30", id);
    // 00:30 BST is 23:30 UTC; two hours later is 01:30 UTC, which is 01:30 GMT.
    assert_eq!(o["offered_at"], "2026-10-25T00:30:00+01:00");
    assert_eq!(o["deadline"], "2026-10-25T01:30:00+00:00");
    let h2 = Hcp::new();
    h2.providers();
    let id2 = h2.referral("2", "CT1 2EH", "2026-03-28 08:30", "2026-04-07", &[]);
    let o = h2.json_at("2026-03-29T00:30", &["offer", &id2.to_string()], 0);
    assert_eq!(o["deadline"], "2026-03-29T03:30:00+01:00");
    let _ = id;
}

#[test]
fn offers_are_refused_clearly() {
    let (h, id) = setup();
    let ids = id.to_string();
    offer(&h, "2026-11-23T10:00", id);
    let out = h.run_at("2026-11-23T10:30", &["offer", &ids]).code(1);
    assert!(out.stderr.contains("outstanding offer to Alpha Care"), "{}", out.stderr);
    let out = h.run_at("2026-11-23T10:30", &["offer", &ids, "--provider", "Gamma Care"]).code(2);
    assert!(out.stderr.contains("--reason"), "{}", out.stderr);
    let v = h.json_at(
        "2026-11-23T09:30",
        &[
            "referral",
            "add",
            "--client-id",
            "9",
            "--name",
            "N",
            "--postcode",
            "CT1 2EH",
            "--team",
            "stp",
            "--referrer",
            "R",
            "--start",
            "2026-12-01",
            "--calls-per-day",
            "1",
            "--minutes",
            "30",
        ],
        3,
    );
    let out = h.run(&["offer", &v["id"].as_i64().unwrap().to_string()]).code(1);
    assert!(out.stderr.contains("incomplete"), "{}", out.stderr);
    let out = h.run(&["respond", &ids, "decline"]).code(2);
    assert!(out.stderr.contains("--reason"));
    let out = h.run(&["respond", &ids, "decline", "--reason", "bored"]).code(2);
    assert!(out.stderr.contains("'bored'") && out.stderr.contains("no-capacity"));
}

#[test]
fn overriding_the_order_needs_a_reason_that_is_logged() {
    let (h, id) = setup();
    let o = h.json_at(
        "2026-11-23T10:00",
        &["offer", &id.to_string(), "--provider", "Gamma Care", "--reason", "family preference"],
        0,
    );
    assert_eq!(o["provider"], "Gamma Care");
    assert_eq!(o["override_reason"], "family preference");
    let hist = h.json(&["history", &id.to_string()]);
    assert!(hist
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["event"] == "offer made" && e["details"]["override_reason"] == "family preference"));
}

#[test]
fn considering_needs_an_answer_by_time_and_the_asm_decides() {
    let (h, id) = setup();
    let ids = id.to_string();
    offer(&h, "2026-11-23T10:00", id);
    let out = h.run_at("2026-11-23T10:30", &["respond", &ids, "considering"]).code(2);
    assert!(out.stderr.contains("--until"));
    let out = h.run_at("2026-11-23T10:30", &["respond", &ids, "considering", "--until", "2026-11-23 10:00"]).code(2);
    assert!(out.stderr.contains("not after"), "{}", out.stderr);
    let out = h.run_at("2026-11-23T10:30", &["respond", &ids, "considering", "--until", "2026-12-08 10:00"]).code(2);
    assert!(out.stderr.contains("requested start"), "{}", out.stderr);
    let v = respond(&h, "2026-11-23T10:30", id, &["considering", "--until", "2026-11-24 12:00"]);
    let e = h.json_at("2026-11-23T10:31", &["offer", &ids, "--explain"], 0);
    assert!(e["next"].is_null());
    assert_eq!(e["candidates"][0]["reason"], "considering until 24/11 12:00");
    assert_eq!(v["referral_state"], "considering");
    let e = h.json_at("2026-11-23T10:35", &["offer", &ids, "--explain"], 0);
    assert_eq!(e["needs"], "asm-decision-considering");
    let open = h.json(&["escalate", "list", "--open"]);
    let c: Vec<&Value> = open.as_array().unwrap().iter().filter(|e| e["rule"] == "considering").collect();
    assert_eq!(c.len(), 1);
    assert_eq!(c[0]["to"], "asm");
    h.json_at(
        "2026-11-23T10:40",
        &["escalate", "resolve", &c[0]["id"].as_i64().unwrap().to_string(), "--decision", "approach-next"],
        0,
    );
    assert_eq!(offer(&h, "2026-11-23T10:45", id)["provider"], "Beta Care");
    // Beta accepts: confirmation form due within 2 hours; confirm sets the 2-working-day deadlines.
    let out = h.run_at("2026-11-23T11:00", &["respond", &ids, "accept"]).ok();
    assert!(
        out.stdout.contains("Provider Confirmation Form") && out.stdout.contains("23/11/2026 13:00 GMT"),
        "{}",
        out.stdout
    );
    let due = h.json_at("2026-11-23T11:05", &["due"], 0);
    assert!(due
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["referral"] == id && d["what"] == "form-sent" && d["due"] == "2026-11-23T13:00:00+00:00"));
    let out = h.run_at("2026-11-27T10:00", &["sdo", &ids, "--sent"]).code(1);
    assert!(out.stderr.contains("confirm"), "{}", out.stderr);
    // Confirmed on Friday 27 November: SDO and financial assessment due Tuesday 1 December.
    let v =
        h.json_at("2026-11-27T10:00", &["confirm", &ids, "--start", "2026-12-07", "--call-times", "08:00,18:00"], 0);
    assert_eq!(v["state"], "confirmed");
    assert_eq!(v["sdo_due"], "2026-12-01");
    assert_eq!(v["financial_assessment_due"], "2026-12-01");
    let esc = h.json_at("2026-12-02T09:00", &["escalate"], 0);
    let rules: Vec<&str> = esc["raised"].as_array().unwrap().iter().map(|e| e["rule"].as_str().unwrap()).collect();
    assert!(rules.contains(&"sdo-overdue") && rules.contains(&"financial-assessment-overdue"), "{rules:?}");
    let e = h.json_at("2026-12-02T09:20", &["offer", &ids, "--explain"], 0);
    assert!(e["next"].is_null(), "a confirmed referral has no next provider: {e}");
    assert!(e["why_none"].as_str().unwrap().contains("confirmed"));
    let v = h.json_at("2026-12-02T09:30", &["sdo", &ids, "--sent"], 0);
    assert_eq!(v["state"], "active");
    assert_eq!(h.show("2026-12-02T09:31", id)["state"], "active");
}

#[test]
fn partial_acceptance_leaves_the_rest_on_the_list() {
    let h = Hcp::new();
    h.providers();
    let v = h.json(&[
        "referral",
        "add",
        "--client-id",
        "4",
        "--name",
        "P",
        "--postcode",
        "CT1 2EH",
        "--team",
        "stp",
        "--referrer",
        "R",
        "--received",
        "2026-11-23 08:00",
        "--start",
        "2026-12-07",
        "--calls-per-day",
        "4",
        "--minutes",
        "30",
        "--doc",
        "financial-authorisation,referral-form,charging-letter,ais-updated",
    ]);
    let id = v["id"].as_i64().unwrap();
    offer(&h, "2026-11-23T10:00", id);
    let out = h.run_at("2026-11-23T10:10", &["respond", &id.to_string(), "partial", "--calls", "4"]).code(2);
    assert!(out.stderr.contains("between 1 and 3"), "{}", out.stderr);
    let r = respond(&h, "2026-11-23T10:10", id, &["partial", "--calls", "2"]);
    let rest = r["linked_referral"].as_i64().unwrap();
    let placed = h.show("2026-11-23T10:20", id);
    assert_eq!(placed["state"], "accepted");
    assert_eq!(placed["calls_per_day"], 2);
    assert_eq!(placed["hours_per_week"], 7.0);
    let remainder = h.show("2026-11-23T10:20", rest);
    assert_eq!(remainder["state"], "waiting");
    assert_eq!(remainder["calls_per_day"], 2);
    assert_eq!(remainder["parent_id"], id);
    assert_eq!(remainder["list_date"], placed["list_date"]);
    // The remainder is offered afresh from the top of the ladder.
    assert_eq!(offer(&h, "2026-11-23T10:30", rest)["provider"], "Alpha Care");
}

#[test]
fn tentative_leaves_the_list_and_a_decline_puts_it_back() {
    let (h, id) = setup();
    offer(&h, "2026-11-23T10:00", id);
    respond(&h, "2026-11-23T10:10", id, &["tentative"]);
    assert_eq!(h.show("2026-11-23T10:20", id)["state"], "tentative");
    assert_eq!(h.json(&["referral", "list", "--state", "waiting"]).as_array().unwrap().len(), 0);
    let v = respond(&h, "2026-11-23T11:00", id, &["decline", "--reason", "call-times", "--future-start", "2026-12-14"]);
    assert_eq!(v["referral_state"], "waiting");
    let open = h.json(&["escalate", "list", "--open"]);
    let fs = open.as_array().unwrap().iter().find(|e| e["rule"] == "future-start").expect("future-start escalation");
    h.json_at(
        "2026-11-23T11:05",
        &["escalate", "resolve", &fs["id"].as_i64().unwrap().to_string(), "--decision", "accept-future-start"],
        0,
    );
    assert_eq!(h.show("2026-11-23T11:10", id)["start"], "2026-12-14");
}

#[test]
fn two_officers_offering_at_once_make_one_offer() {
    let (h, id) = setup();
    let ids = id.to_string();
    let children: Vec<_> = (0..6)
        .map(|_| {
            h.command("2026-11-23T10:00", &["offer", &ids])
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    let codes: Vec<i32> = children.into_iter().map(|c| c.wait_with_output().unwrap().status.code().unwrap()).collect();
    assert_eq!(codes.iter().filter(|c| **c == 0).count(), 1, "{codes:?}");
    assert!(codes.iter().all(|c| *c == 0 || *c == 1), "{codes:?}");
    assert_eq!(h.show("2026-11-23T10:01", id)["offers"].as_array().unwrap().len(), 1);
}
