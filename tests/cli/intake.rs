//! Issue 4: referral intake, completeness, the missing-information email, update, cancel, history.

use crate::support::Hcp;

const DOCS: &str = "financial-authorisation,referral-form,charging-letter,ais-updated";

/// Replace a flag's value in an argument list.
fn set<'a>(args: &mut [&'a str], flag: &str, value: &'a str) {
    let i = args.iter().position(|a| *a == flag).expect("flag present");
    args[i + 1] = value;
}

fn add<'a>(client: &'a str, name: &'a str, postcode: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut a = vec![
        "referral",
        "add",
        "--client-id",
        client,
        "--name",
        name,
        "--postcode",
        postcode,
        "--team",
        "act",
        "--referrer",
        "A Worker",
        "--referrer-email",
        "a.worker@example.org",
        "--received",
        "2026-11-23 09:15",
        "--start",
        "2026-11-30",
        "--calls-per-day",
        "4",
        "--minutes",
        "30",
    ];
    a.extend_from_slice(extra);
    a
}

#[test]
fn known_to_act_without_bica_is_incomplete_then_complete() {
    let h = Hcp::new();
    let v =
        h.json_at("2026-11-23T09:30", &add("100234", "Zoë O'Brien", "ct1 2eh", &["--known-to-act", "--doc", DOCS]), 3);
    assert_eq!(v["missing"], serde_json::json!(["bica"]));
    assert_eq!(v["state"], "incomplete");
    assert!(v["list_date"].is_null());
    let email = v["email"].as_str().unwrap();
    assert!(email.starts_with("To: a.worker@example.org\nSubject: Purchasing referral for client 100234"), "{email}");
    assert!(!email.lines().nth(1).unwrap().contains("Zoë"), "the subject names the id, not the client");
    assert!(email.contains("BICA") && email.contains("[free text]"));
    let id = v["id"].as_i64().unwrap();
    let v = h.json_at("2026-11-23T10:00", &["referral", "update", &id.to_string(), "--doc", "bica"], 0);
    assert_eq!(v["state"], "waiting");
    assert_eq!(v["list_date"], "2026-11-23T10:00:00+00:00");
    assert_eq!(v["missing"], serde_json::json!([]));
    assert_eq!(v["msoa"], "E02006856");
    assert_eq!(v["area"], "Canterbury & Coastal");
    assert_eq!(v["cluster"], "Canterbury");
    assert_eq!(v["rurality"], "Urban city and town");
    assert_eq!(v["hours_per_week"], 14.0);
    assert_eq!(v["name"], "Zoë O'Brien");
    assert_eq!(v["postcode"], "CT1 2EH");
    assert_eq!(v["rag"], "green");
    assert_eq!(v["working_days_waiting"], 0);
    for k in [
        "id",
        "client_id",
        "name",
        "state",
        "rag",
        "postcode",
        "msoa",
        "cluster",
        "area",
        "rurality",
        "received",
        "start",
        "list_date",
        "working_days_waiting",
        "hours_per_week",
        "missing",
        "offers",
    ] {
        assert!(v.get(k).is_some(), "referral JSON lacks {k}");
    }
    let hist = h.json(&["history", &id.to_string()]);
    let events: Vec<&str> = hist.as_array().unwrap().iter().map(|e| e["event"].as_str().unwrap()).collect();
    assert_eq!(events, vec!["referral added", "referral complete: listed"]);
    assert_eq!(hist[0]["user"], "po.test");
    assert_eq!(hist[1]["details"]["before"]["state"], "incomplete");
    assert_eq!(hist[1]["details"]["after"]["state"], "waiting");
}

#[test]
fn the_email_can_go_to_a_file() {
    let h = Hcp::new();
    let f = h.path("email.txt");
    let out =
        h.run(&add("7", "Ann Lee", "CT1 2EH", &["--doc", "referral-form", "--email-to", f.to_str().unwrap()])).code(3);
    assert!(out.stdout.contains("missing-information email is in"), "{}", out.stdout);
    let text = std::fs::read_to_string(&f).unwrap();
    assert!(!text.contains("BICA"), "not known to ACT: no BICA asked for");
    assert!(text.contains("Financial authorisation for the package"));
    assert!(text.contains("The client's signed charging letter."));
    assert!(text.contains("Swift/AIS updated"));
}

#[test]
fn every_kind_of_incomplete_referral_names_its_items() {
    let h = Hcp::new();
    let cases: Vec<(Vec<&str>, Vec<&str>)> = vec![
        (vec!["--doc", DOCS, "--risk", "aggressive dog"], vec!["risk-assessment"]),
        (vec!["--doc", DOCS, "--time-critical", "insulin at 08:00"], vec!["tm-approval"]),
        (vec!["--doc", DOCS, "--bypass-keah"], vec!["tm-approval"]),
        (vec!["--doc", DOCS, "--recent-keah"], vec!["final-review"]),
        (vec!["--doc", DOCS, "--hours-per-week", "10"], vec!["hours-mismatch"]),
        (
            vec!["--doc", DOCS, "--authorised-weekly", "£150", "--estimated-weekly", "£210.50"],
            vec!["financial-authorisation"],
        ),
        (vec!["--doc", "referral-form,ais-updated"], vec!["financial-authorisation", "charging-letter"]),
    ];
    for (i, (extra, want)) in cases.iter().enumerate() {
        let id = format!("90{i}");
        let mut a = add(&id, "Case", "CT1 2EH", extra);
        set(&mut a, "--team", "stp");
        let v = h.json_at("2026-11-23T09:30", &a, 3);
        assert_eq!(v["missing"], serde_json::json!(want), "case {i}: {extra:?}");
    }
    let mut a = add("999", "Case", "CT1 2EH", &["--doc", DOCS]);
    set(&mut a, "--team", "keah");
    let v = h.json_at("2026-11-23T09:30", &a, 3);
    assert_eq!(v["missing"], serde_json::json!(["final-review"]));
    let mut a = add("998", "Case", "CT1 2EH", &["--doc", DOCS]);
    set(&mut a, "--start", "2026-11-20");
    set(&mut a, "--team", "stp");
    let v = h.json_at("2026-11-23T09:30", &a, 3);
    assert_eq!(v["missing"], serde_json::json!(["start-before-received"]));
}

#[test]
fn a_postcode_outside_kent_is_saved_incomplete_with_a_hint() {
    let h = Hcp::new();
    let out = h.run(&add("5", "Iris", "SW1A 1AA", &["--doc", DOCS])).code(3);
    assert!(out.stdout.contains("postcode given is not in Kent"), "{}", out.stdout);
    let v = h.show("2026-11-23T09:30", 1);
    assert_eq!(v["missing"], serde_json::json!(["postcode"]));
    assert!(v["msoa"].is_null());
    // Placing it by hand in a cluster completes it.
    let v = h.json(&["referral", "update", "1", "--cluster", "Thanet"]);
    assert_eq!(v["state"], "waiting");
    assert_eq!(v["area"], "Thanet");
}

#[test]
fn names_and_hostile_text_are_stored_exactly() {
    let h = Hcp::new();
    for (i, name) in ["O'Brien", "Zoë Ågren", "Łukasz Wójcik", "Robert'); DROP TABLE referrals;--"].iter().enumerate()
    {
        let client = format!("77{i}");
        let mut a = add(&client, name, "CT1 2EH", &["--doc", DOCS]);
        set(&mut a, "--team", "stp");
        let v = h.json_at("2026-11-23T09:30", &a, 0);
        let shown = h.show("2026-11-23T09:30", v["id"].as_i64().unwrap());
        assert_eq!(shown["name"], *name);
    }
    assert_eq!(h.json(&["referral", "list"]).as_array().unwrap().len(), 4);
}

#[test]
fn bad_input_is_a_clear_error_and_changes_nothing() {
    let h = Hcp::new();
    let mut a = add("1", "X", "CT1 2EH", &[]);
    set(&mut a, "--start", "31/02/2026");
    let out = h.run(&a).code(2);
    assert!(out.stderr.contains("'31/02/2026'") && out.stderr.contains("accepted forms"), "{}", out.stderr);
    let mut a = add("1", "X", "CT1 2EH", &[]);
    set(&mut a, "--calls-per-day", "four");
    let out = h.run(&a).code(2);
    assert!(out.stderr.contains("four"), "{}", out.stderr);
    let out = h.run(&add("1", "X", "CT1 2EH", &["--doc", "passport"])).code(2);
    assert!(out.stderr.contains("'passport'") && out.stderr.contains("bica"), "{}", out.stderr);
    let out = h.run(&add("1", "X", "CT1 2EH", &["--authorised-weekly", "lots"])).code(2);
    assert!(out.stderr.contains("'lots'"), "{}", out.stderr);
    let out = h.run(&["referral", "add", "--client-id", "1", "--name", "X"]).code(2);
    // Every missing flag is named in one error, not one per run.
    assert!(
        out.stderr.contains("--postcode, --team, --referrer, --start, --calls-per-day, --minutes"),
        "{}",
        out.stderr
    );
    let out = h.run(&["referral", "show", "42"]).code(1);
    assert!(out.stderr.contains("no referral with id 42") && out.stderr.contains("Hint:"), "{}", out.stderr);
    let out = h.run(&["referral", "show", "forty-two"]).code(2);
    assert!(out.stderr.contains("forty-two"));
    assert_eq!(h.json(&["referral", "list", "--state", "incomplete"]).as_array().unwrap().len(), 0);
}

#[test]
fn update_cancel_and_their_guards() {
    let h = Hcp::new();
    let v = h.json_at("2026-11-23T09:30", &add("1", "Ann", "CT1 2EH", &["--doc", "referral-form"]), 3);
    let id = v["id"].as_i64().unwrap().to_string();
    let v = h.json_at(
        "2026-11-23T09:40",
        &["referral", "update", &id, "--doc", "financial-authorisation,charging-letter"],
        3,
    );
    assert_eq!(v["missing"], serde_json::json!(["ais-updated"]));
    let out = h.run(&["referral", "cancel", &id, "--reason", "  "]).code(2);
    assert!(out.stderr.contains("--reason"));
    let v = h.json(&["referral", "cancel", &id, "--reason", "moved to residential care"]);
    assert_eq!(v["state"], "cancelled");
    let out = h.run(&["referral", "update", &id, "--doc", "ais-updated"]).code(1);
    assert!(out.stderr.contains("cancelled"), "{}", out.stderr);
    let out = h.run(&["referral", "cancel", &id, "--reason", "again"]).code(1);
    assert!(out.stderr.contains("cancelled"));
    let hist = h.json(&["history", &id]);
    let events: Vec<&str> = hist.as_array().unwrap().iter().map(|e| e["event"].as_str().unwrap()).collect();
    assert_eq!(events, vec!["referral added", "referral updated", "referral cancelled"]);
    assert_eq!(hist[2]["details"]["reason"], "moved to residential care");
}

#[test]
fn list_filters_and_orders_by_waiting_days() {
    let h = Hcp::new();
    let a = h.referral("1", "CT1 2EH", "2026-11-10 09:00", "2026-12-07", &[]);
    let b = h.referral("2", "CT9 1XZ", "2026-11-20 09:00", "2026-12-07", &[]);
    let c = h.referral("3", "ME14 1XQ", "2026-11-02 09:00", "2026-12-07", &[]);
    // Complete on arrival, each is listed from when it was received (SPEC §5): longest waiting first.
    let v = h.json(&["referral", "list"]);
    let ids: Vec<i64> = v.as_array().unwrap().iter().map(|r| r["id"].as_i64().unwrap()).collect();
    assert_eq!(ids, vec![c, a, b]);
    let v = h.json(&["referral", "list", "--area", "thanet"]);
    assert_eq!(v.as_array().unwrap().len(), 1);
    assert_eq!(v[0]["id"], b);
    // From Mon 02/11 to Mon 07/12 2026: 20 working days in November after the 2nd, 5 in December.
    let later = h.json_at("2026-12-07T09:00", &["referral", "list"], 0);
    assert_eq!((later[0]["id"].as_i64(), later[0]["working_days_waiting"].as_i64()), (Some(c), Some(25)));
    let out = h.run(&["referral", "list", "--rag", "purple"]).code(2);
    assert!(out.stderr.contains("purple"));
}

#[test]
fn a_keah_self_funder_referred_inside_the_grace_period_is_incomplete() {
    let h = Hcp::new();
    let args = |received: &'static str| {
        vec![
            "referral",
            "add",
            "--client-id",
            "41",
            "--name",
            "Self Funder",
            "--postcode",
            "CT1 2EH",
            "--team",
            "keah",
            "--funding",
            "self",
            "--enablement-ended",
            "18/12/2026",
            "--referrer",
            "LO",
            "--received",
            received,
            "--start",
            "2027-01-11",
            "--calls-per-day",
            "2",
            "--minutes",
            "30",
            "--doc",
            DOCS,
            "--doc",
            "final-review",
        ]
    };
    // Enablement ended Friday 18 December 2026: the grace period runs to Tuesday 29 December.
    let v = h.json_at("2026-12-29T12:00", &args("2026-12-29 11:00"), 3);
    assert_eq!(v["missing"], serde_json::json!(["self-funder-grace"]));
    assert!(v["email"].as_str().unwrap().contains("29/12/2026"));
    let h2 = Hcp::new();
    let v = h2.json_at("2026-12-30T12:00", &args("2026-12-30 09:00"), 0);
    assert_eq!(v["state"], "waiting");
}

#[test]
fn update_can_clear_what_was_given_by_mistake() {
    let h = Hcp::new();
    let v = h.json_at(
        "2026-11-23T09:30",
        &add("1", "Ann", "CT1 2EH", &["--doc", DOCS, "--risk", "dog", "--hospital-discharge", "--known-to-act"]),
        3,
    );
    assert_eq!(v["missing"], serde_json::json!(["bica", "risk-assessment"]));
    let id = v["id"].as_i64().unwrap().to_string();
    let v = h.json_at(
        "2026-11-23T09:40",
        &["referral", "update", &id, "--clear", "risk,known-to-act,hospital-discharge"],
        0,
    );
    assert_eq!(v["state"], "waiting");
    assert_eq!(v["hospital_discharge"], false);
    let v = h.json_at("2026-11-23T09:50", &["referral", "update", &id, "--clear", "charging-letter"], 3);
    assert_eq!(v["missing"], serde_json::json!(["charging-letter"]));
    assert_eq!(v["state"], "incomplete");
    let out = h.run(&["referral", "update", &id, "--clear", "name"]).code(2);
    assert!(out.stderr.contains("'name'"), "{}", out.stderr);
}
