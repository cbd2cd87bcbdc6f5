//! Flexible domiciliary care (SPEC §16) through the real binary: who may flex, the day-7
//! review on `escalate` and `due`, the end with its outcome, and the wash-up's monitoring.

use super::support::Hcp;

/// Tern Care (contracted, Thanet, signed up to flex) delivering an active package to an older
/// person in Margate; returns the referral id.
fn setup() -> Hcp {
    let h = Hcp::new();
    for args in [
        vec!["init"],
        vec!["provider", "add", "Tern Care", "--type", "contracted", "--area", "Thanet"],
        vec!["cluster", "rank", "Thanet", "--providers", "Tern Care"],
        vec!["provider", "update", "Tern Care", "--flex"],
    ] {
        h.run_at("2026-11-16T08:00", &args).ok();
    }
    h
}

fn active(h: &mut Hcp, client: &str, extra: &[&str]) -> i64 {
    let mut e = extra.to_vec();
    if !extra.contains(&"--client-group") {
        e.extend_from_slice(&["--client-group", "older-people"]);
    }
    h.placed(client, "CT9 1XZ", "2026-11-23", &e)
}

fn start(h: &Hcp, now: &str, id: i64, from: &str, hours: &str) -> super::support::Out {
    let id = id.to_string();
    let a = [
        "flex",
        "start",
        &id,
        "--from",
        from,
        "--hours-per-day",
        hours,
        "--reason",
        "fall at home",
        "--raised-by",
        "gp",
        "--json",
    ];
    h.run_at(now, &a)
}

#[test]
fn an_episode_runs_to_its_day_7_review_and_ends_with_its_outcome() {
    let mut h = setup();
    let r = active(&mut h, "660001", &[]);
    let v = start(&h, "2026-11-23T14:30", r, "2026-11-23 14:00", "24").ok().json();
    assert!(v["day7_due"].as_str().unwrap().starts_with("2026-11-30T14:00"), "{v}");
    assert_eq!(v["provider"], "Tern Care");
    // A second, overlapping episode is refused and nothing is recorded.
    let again = start(&h, "2026-11-24T09:00", r, "2026-11-24 08:00", "10").code(1);
    assert!(again.stderr.contains("already has"), "{}", again.stderr);
    assert_eq!(h.json_at("2026-11-24T09:01", &["flex", "list"], 0).as_array().unwrap().len(), 1);
    // `due` shows the day-7 review; `escalate` raises it once, on the day, to the case manager.
    let due = h.json_at("2026-11-25T09:00", &["due"], 0);
    assert!(due.as_array().unwrap().iter().any(|i| i["what"] == "flex-day-7" && i["referral"] == r), "{due}");
    let early = h.json_at("2026-11-30T13:59", &["escalate"], 0).to_string();
    assert!(!early.contains("flex-day-7"), "not before the 7 days: {early}");
    h.json_at("2026-11-30T14:01", &["escalate"], 0);
    h.json_at("2026-11-30T15:00", &["escalate"], 0);
    let list = h.json_at("2026-11-30T15:01", &["escalate", "list"], 0).to_string();
    assert_eq!(list.matches("flex-day-7").count(), 1, "{list}");
    assert!(list.contains("\"cm\""), "to the case manager: {list}");
    let end = h.json_at(
        "2026-11-30T16:00",
        &["flex", "end", &r.to_string(), "--at", "2026-11-30 15:30", "--outcome", "admission-avoided"],
        0,
    );
    assert_eq!(end["outcome"], "admission-avoided");
    assert_eq!(h.json_at("2026-11-30T16:01", &["flex", "list", "--open"], 0), serde_json::json!([]));
    // Week 48: started Monday 23 at 14:00, still open at the week's end: 7 days × 24 hours.
    let w = h.json_at("2026-12-07T07:00", &["report", "washup", "--area", "Thanet", "--week", "2026-W48"], 0);
    assert_eq!((w["flex"]["started"].as_i64(), w["flex"]["ended"].as_i64()), (Some(1), Some(0)), "{}", w["flex"]);
    assert_eq!((w["flex"]["days"].as_i64(), w["flex"]["extra_hours"].as_f64()), (Some(7), Some(168.0)));
    let w49 = h.json_at("2026-12-07T07:00", &["report", "washup", "--area", "Thanet", "--week", "2026-W49"], 0);
    assert_eq!(w49["flex"]["ended"], 1);
    assert_eq!(w49["flex"]["outcomes"]["admission-avoided"], 1);
}

#[test]
fn who_may_not_flex_is_refused_with_the_reason() {
    let mut h = setup();
    let ok = active(&mut h, "660002", &[]);
    let out = start(&h, "2026-11-23T14:30", ok, "2026-11-23 14:00", "25").code(1);
    assert!(out.stderr.contains("25 hours a day"), "{}", out.stderr);
    for (client, extra, words) in [
        ("660003", vec!["--funding", "self"], "Self Funder"),
        ("660004", vec!["--direct-payment"], "direct payments"),
        ("660005", vec!["--client-group", "mental-health"], "mental-health"),
        ("660006", vec!["--enablement-eligible"], "enablement"),
    ] {
        let r = active(&mut h, client, &extra);
        let out = start(&h, "2026-11-23T14:32", r, "2026-11-23 14:00", "24").code(1);
        assert!(out.stderr.contains(words), "{client}: {}", out.stderr);
    }
    h.run_at("2026-11-23T14:36", &["provider", "update", "Tern Care", "--no-flex"]).ok();
    let out = start(&h, "2026-11-23T14:37", ok, "2026-11-23 14:00", "24").code(1);
    assert!(out.stderr.contains("not signed up"), "{}", out.stderr);
    assert_eq!(h.json_at("2026-11-23T14:38", &["flex", "list"], 0), serde_json::json!([]), "nothing recorded");
    h.run_at("2026-11-23T14:39", &["provider", "update", "Tern Care", "--flex"]).ok();
    // Bad input: words for hours, a time in the future.
    start(&h, "2026-11-23T14:41", ok, "2026-11-23 14:00", "lots").code(2);
    start(&h, "2026-11-23T14:41", ok, "2026-11-24 14:00", "8").code(2);
    // With rates recorded, 24 hours a day at £20 is £3,360 a week: above the TDM limit, so a
    // named authoriser is needed; 12.5 hours a day (£1,750) is not.
    h.run_at("2026-11-23T14:40", &["rate", "set", "--type", "standard", "--amount", "20", "--from", "2026-04-01"]).ok();
    let out = start(&h, "2026-11-23T14:41", ok, "2026-11-23 14:00", "24").code(1);
    assert!(out.stderr.contains("TDM") && out.stderr.contains("£3,360.00"), "{}", out.stderr);
    let v = start(&h, "2026-11-23T14:42", ok, "2026-11-23 14:00", "12.5").ok().json();
    assert_eq!(v["hours_per_day"].as_f64(), Some(12.5));
}
