//! The wash-up report (SPEC §11): a hand-built week counted by hand, and the report's promises
//! (a past week never changes, the same bytes every run, five formats from the same figures).

use super::support::Hcp;
use serde_json::Value;

/// The hand-built week 2026-W48 in Canterbury & Coastal. Returns the ids
/// (listed Friday before, listed three weeks before, incomplete, cancelled, still waiting).
fn week48(h: &Hcp) -> [i64; 5] {
    h.providers();
    let a = h.referral_at("2026-11-20T10:00", "700001", "2026-11-20 10:00", "2026-12-07");
    let b = h.referral_at("2026-11-02T10:00", "700002", "2026-11-02 10:00", "2026-12-07");
    // New in the week: one from ACT without its BICA (incomplete), one cancelled, one waiting.
    let c = h
        .run_at(
            "2026-11-23T09:00",
            &[
                "referral",
                "add",
                "--client-id",
                "700003",
                "--name",
                "Łukasz Nowak",
                "--postcode",
                "CT1 2EH",
                "--team",
                "act",
                "--known-to-act",
                "--referrer",
                "A Worker",
                "--referrer-email",
                "a.w@example.org",
                "--received",
                "2026-11-23 09:00",
                "--start",
                "2026-12-07",
                "--calls-per-day",
                "2",
                "--minutes",
                "30",
                "--doc",
                "financial-authorisation,referral-form,charging-letter,ais-updated",
                "--json",
            ],
        )
        .code(3)
        .json()["id"]
        .as_i64()
        .unwrap();
    let d = h.referral_at("2026-11-23T09:02", "700004", "2026-11-23 09:02", "2026-12-07");
    let e = h.referral_at("2026-11-23T09:05", "700005", "2026-11-23 09:05", "2026-12-07");
    let (sa, sb) = (a.to_string(), b.to_string());
    for (now, args) in [
        ("2026-11-23T10:00", vec!["offer", &sa]),
        ("2026-11-23T10:30", vec!["respond", &sa, "decline", "--reason", "no-capacity"]),
        ("2026-11-23T10:40", vec!["offer", &sa]),
        // Beta does not answer within 2 hours: lapsed; Gamma accepts in 20 minutes.
        ("2026-11-23T13:00", vec!["offer", &sa]),
        ("2026-11-23T13:20", vec!["respond", &sa, "accept"]),
        ("2026-11-24T09:00", vec!["offer", &sb]),
        ("2026-11-24T09:50", vec!["respond", &sb, "decline", "--reason", "geography"]),
        ("2026-11-24T10:00", vec!["offer", &sb]),
        ("2026-11-24T10:10", vec!["respond", &sb, "accept"]),
        ("2026-11-24T11:00", vec!["referral", "cancel", &d.to_string(), "--reason", "client died"]),
    ] {
        h.run_at(now, &args).ok();
    }
    [a, b, c, d, e]
}

fn washup(h: &Hcp, now: &str) -> Value {
    h.json_at(now, &["report", "washup", "--area", "Canterbury & Coastal", "--week", "2026-W48"], 0)
}

fn provider<'a>(w: &'a Value, name: &str) -> &'a Value {
    w["providers"].as_array().unwrap().iter().find(|p| p["provider"] == name).unwrap_or_else(|| panic!("{name}: {w}"))
}

#[test]
fn the_hand_built_week_is_counted_as_by_hand() {
    let h = Hcp::new();
    let [a, b, _, _, e] = week48(&h);
    let w = washup(&h, "2026-11-30T07:00");
    let s = &w["summary"];
    assert_eq!((s["on_list_start"].as_i64(), s["on_list_end"].as_i64()), (Some(2), Some(1)), "{s}");
    assert_eq!((s["new"].as_i64(), s["returned_incomplete"].as_i64()), (Some(3), Some(1)), "{s}");
    assert_eq!((s["placed"].as_i64(), s["cancelled"].as_i64(), s["handed_back"].as_i64()), (Some(2), Some(1), Some(0)));
    // a: listed Fri 20, accepted Mon 23 = 1 working day; b: listed Mon 2, accepted Tue 24 = 16.
    assert_eq!(s["median_wd_to_accept"].as_f64(), Some(8.5), "{s}");
    assert_eq!(s["p90_wd_to_accept"].as_i64(), Some(16), "{s}");
    let alpha = provider(&w, "Alpha Care");
    assert_eq!((alpha["offers"].as_i64(), alpha["declined"].as_i64()), (Some(2), Some(2)));
    assert_eq!(alpha["declines_by_reason"]["no-capacity"], 1);
    assert_eq!(alpha["declines_by_reason"]["geography"], 1);
    assert_eq!(alpha["median_response_minutes"].as_f64(), Some(40.0));
    // Cut by the rurality of the clients' MSOA (both in urban Canterbury).
    let class = h.show("2026-11-30T07:00", a)["rurality"].as_str().unwrap().to_string();
    assert_eq!(alpha["by_rurality"][&class]["declined"], 2, "{alpha}");
    let beta = provider(&w, "Beta Care");
    assert_eq!(
        (beta["offers"].as_i64(), beta["lapsed"].as_i64(), beta["accepted"].as_i64()),
        (Some(2), Some(1), Some(1))
    );
    assert_eq!(beta["median_response_minutes"].as_f64(), Some(10.0));
    assert_eq!(provider(&w, "Gamma Care")["median_response_minutes"].as_f64(), Some(20.0));
    assert_eq!(w["referral_quality"]["by_item"]["bica"], 1);
    assert_eq!(w["referral_quality"]["by_team"]["act"], 1);
    // The list at the end: only e, waiting since Monday (green); nobody for AMT.
    assert_eq!(w["rag"]["green"]["count"], 1, "{}", w["rag"]);
    assert_eq!(w["rag"]["green"]["hours"].as_f64(), Some(7.0));
    assert_eq!(w["amt"], serde_json::json!([]));
    // The chart's days: b was red (16 working days) until placed on Tuesday.
    let days = w["list_by_day"].as_array().unwrap();
    assert_eq!(days.len(), 7);
    assert_eq!((days[0]["red"].as_i64(), days[1]["red"].as_i64()), (Some(1), Some(0)), "{days:?}");
    let _ = (a, b, e);
}

#[test]
fn a_past_week_never_changes_and_reruns_are_byte_identical() {
    let h = Hcp::new();
    let [_, _, _, _, e] = week48(&h);
    let before = washup(&h, "2026-11-30T07:00");
    // The next week: e is offered and accepted, a new referral arrives.
    h.run_at("2026-11-30T09:00", &["offer", &e.to_string()]).ok();
    h.run_at("2026-11-30T09:30", &["respond", &e.to_string(), "accept"]).ok();
    h.referral_at("2026-11-30T10:00", "700006", "2026-11-30 10:00", "2026-12-14");
    let after = washup(&h, "2026-12-07T07:00");
    assert_eq!(before, after, "W48 changed after events in W49");
    // The next week's report sees them.
    let w49 =
        h.json_at("2026-12-07T07:00", &["report", "washup", "--area", "Canterbury & Coastal", "--week", "2026-W49"], 0);
    assert_eq!((w49["summary"]["on_list_start"].as_i64(), w49["summary"]["placed"].as_i64()), (Some(1), Some(1)));
    assert_eq!(w49["summary"]["new"], 1);
    for format in ["html", "csv", "markdown", "table"] {
        let run = || {
            h.run_at(
                "2026-11-30T07:00",
                &["report", "washup", "--area", "Canterbury & Coastal", "--week", "2026-W48", "--format", format],
            )
            .ok()
            .stdout
        };
        assert_eq!(run(), run(), "{format} differs between runs");
    }
}

#[test]
fn html_is_self_contained_with_charts_and_written_privately() {
    let h = Hcp::new();
    week48(&h);
    let path = h.path("w48.html");
    let p = path.to_str().unwrap();
    let args = ["report", "washup", "--week", "2026-W48", "--format", "html", "--output", p];
    h.run_at("2026-11-30T07:00", &args).ok();
    let html = std::fs::read_to_string(&path).unwrap();
    assert!(html.matches("<svg").count() >= 3, "charts");
    for banned in ["<script", "http://", "https://", "<link", "src="] {
        assert!(!html.contains(banned), "{banned} in the HTML");
    }
    // Client ids, never names: the report is mailed round the meeting.
    assert!(!html.contains("Łukasz") && !html.contains("Test Client"), "a client name in the report");
    assert!(html.contains("Canterbury &amp; Coastal"));
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
    // Not over an existing file without --force.
    let again = h.run_at("2026-11-30T07:00", &args).code(1);
    assert!(again.stderr.contains("--force"), "{}", again.stderr);
    let mut forced = args.to_vec();
    forced.push("--force");
    h.run_at("2026-11-30T07:00", &forced).ok();
}

#[test]
fn every_area_has_a_section_and_formats_agree() {
    let h = Hcp::new();
    week48(&h);
    let all = h.json_at("2026-11-30T07:00", &["report", "washup", "--week", "2026-W48"], 0);
    let areas = all["areas"].as_array().unwrap();
    assert!(areas.len() >= 4, "one section per area: {}", areas.len());
    let cc = areas.iter().find(|a| a["area"] == "Canterbury & Coastal").unwrap();
    assert_eq!(cc["summary"]["placed"], 2);
    assert_eq!(all["from"], "2026-11-23");
    assert_eq!(all["to"], "2026-11-29");
    let csv = h
        .run_at(
            "2026-11-30T07:00",
            &["report", "washup", "--area", "Canterbury & Coastal", "--week", "2026-W48", "--format", "csv"],
        )
        .ok()
        .stdout;
    assert!(csv.lines().any(|l| l == "summary,Canterbury & Coastal,placed,2"), "{csv}");
    assert!(csv.lines().any(|l| l.starts_with("provider responses,Canterbury & Coastal,Alpha Care,2,0,0,2,")), "{csv}");
    let md = h
        .run_at(
            "2026-11-30T07:00",
            &["report", "washup", "--area", "Canterbury & Coastal", "--week", "2026-W48", "--format", "markdown"],
        )
        .ok()
        .stdout;
    assert!(md.contains("| placed | 2 |"), "{md}");
    assert!(md.contains("| Alpha Care | 2 | 0 | 0 | 2 | geography 1, no-capacity 1 | 0 | 40 |"), "{md}");
}

#[test]
fn the_default_period_is_the_last_complete_week_and_bad_periods_are_refused() {
    let h = Hcp::new();
    week48(&h);
    // Wednesday 2 December: the last complete week is W48.
    let w = h.json_at("2026-12-02T12:00", &["report", "washup", "--area", "Canterbury & Coastal"], 0);
    assert_eq!((w["from"].as_str(), w["to"].as_str()), (Some("2026-11-23"), Some("2026-11-29")));
    let bad = h.run_at("2026-12-02T12:00", &["report", "washup", "--week", "2026-48"]).code(2);
    assert!(bad.stderr.contains("2026-48") && bad.stderr.contains("2026-W48"), "{}", bad.stderr);
    let back =
        h.run_at("2026-12-02T12:00", &["report", "washup", "--from", "2026-11-30", "--to", "2026-11-01"]).code(2);
    assert!(back.stderr.contains("before"), "{}", back.stderr);
    let area = h.run_at("2026-12-02T12:00", &["report", "washup", "--area", "Atlantis"]).code(1);
    assert!(area.stderr.contains("Atlantis"), "{}", area.stderr);
}

#[test]
fn the_monthly_report_counts_the_month_and_the_provider_report_one_providers_record() {
    let h = Hcp::new();
    week48(&h);
    let m = h.json_at(
        "2026-12-02T09:00",
        &["report", "monthly", "--area", "Canterbury & Coastal", "--month", "2026-11"],
        0,
    );
    assert_eq!((m["from"].as_str(), m["to"].as_str()), (Some("2026-11-01"), Some("2026-11-30")));
    // The month holds both placements and all five referrals' arrivals.
    assert_eq!(m["summary"]["placed"], 2);
    assert_eq!(m["summary"]["new"], 5, "{}", m["summary"]);
    h.run_at("2026-12-02T09:00", &["report", "monthly", "--area", "Canterbury & Coastal", "--month", "Nov"]).code(2);
    let p = h.json_at(
        "2026-12-02T09:00",
        &["report", "provider", "beta care", "--from", "2026-11-23", "--to", "2026-11-29"],
        0,
    );
    assert_eq!(p["provider"], "Beta Care");
    assert_eq!(
        (p["offers"].as_i64(), p["lapsed"].as_i64(), p["accepted"].as_i64()),
        (Some(2), Some(1), Some(1)),
        "{p}"
    );
    assert_eq!(p["median_response_minutes"].as_f64(), Some(10.0));
    let answers: Vec<&str> =
        p["offer_list"].as_array().unwrap().iter().map(|o| o["answer"].as_str().unwrap()).collect();
    assert_eq!(answers, vec!["lapsed", "accept"]);
    h.run_at("2026-12-02T09:00", &["report", "provider", "Nobody Care"]).code(1);
}

#[test]
fn the_waiting_report_is_the_list_and_bypass_shows_approval() {
    let h = Hcp::new();
    let [_, _, _, _, e] = week48(&h);
    let w = h.json_at("2026-11-30T09:00", &["report", "waiting"], 0);
    let ids: Vec<i64> = w.as_array().unwrap().iter().map(|v| v["id"].as_i64().unwrap()).collect();
    assert_eq!(ids, vec![e], "only the referral still waiting");
    let csv = h.run_at("2026-11-30T09:00", &["report", "waiting", "--format", "csv"]).ok().stdout;
    assert!(csv.starts_with("section,area,referral,client id,name,"), "{csv}");
    assert!(csv.contains("700005"));
    // A referral bypassing KEaH, without and then with the Team Manager's approval.
    let b = h.referral_at("2026-11-30T10:00", "700010", "2026-11-30 10:00", "2026-12-14");
    let bs = b.to_string();
    h.run_at("2026-11-30T10:01", &["referral", "update", &bs, "--bypass-keah"]).code(3);
    let by = h.json_at("2026-11-30T10:02", &["report", "bypass"], 0);
    assert_eq!(by[0]["referral"], b);
    assert_eq!(by[0]["tm_approved"], false);
    h.run_at("2026-11-30T10:03", &["referral", "update", &bs, "--doc", "tm-approval"]).ok();
    let by = h.json_at("2026-11-30T10:04", &["report", "bypass"], 0);
    assert_eq!(by[0]["tm_approved"], true);
    let md = h.run_at("2026-11-30T10:04", &["report", "bypass", "--format", "markdown"]).ok().stdout;
    assert!(md.contains("| approved |"), "{md}");
}
