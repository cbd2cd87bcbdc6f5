//! Rates and the estimated weekly cost (SPEC §15): the rate in force on the requested start,
//! the rurality uplift of the client's MSOA, amounts only with --show-rates.

use super::support::Hcp;

fn setup() -> Hcp {
    let h = Hcp::new();
    for args in [
        vec!["init"],
        vec![
            "rate",
            "set",
            "--type",
            "standard",
            "--amount",
            "22.50",
            "--cluster",
            "Canterbury",
            "--from",
            "2026-04-01",
        ],
        vec!["rate", "set", "--type", "standard", "--amount", "20.00", "--from", "2026-04-01"],
        vec![
            "rate",
            "uplift",
            "--cluster",
            "Canterbury",
            "--rurality",
            "rural village and dispersed",
            "--percent",
            "10",
            "--from",
            "2026-04-01",
        ],
        // From next April the cluster's rate rises; packages starting before then keep today's.
        vec![
            "rate",
            "set",
            "--type",
            "standard",
            "--amount",
            "24.00",
            "--cluster",
            "Canterbury",
            "--from",
            "2027-04-01",
        ],
    ] {
        h.run_at("2026-11-23T08:00", &args).ok();
    }
    h
}

fn estimate(h: &Hcp, id: i64) -> Option<i64> {
    h.json_at("2026-11-23T09:00", &["referral", "show", &id.to_string(), "--show-rates"], 0)["estimated_weekly_pence"]
        .as_i64()
}

#[test]
fn the_estimate_uses_the_rate_in_force_the_uplift_and_carers() {
    let mut h = setup();
    h.now = "2026-11-23T08:30".into();
    let rural = h.referral("660101", "CT3 1XB", "2026-11-23 08:30", "2026-12-07", &[]);
    assert_eq!(estimate(&h, rural), Some(17325), "7 h × £22.50 × 1.10");
    let double = h.referral("660102", "CT3 1XB", "2026-11-23 08:30", "2026-12-07", &["--double-handed"]);
    assert_eq!(estimate(&h, double), Some(34650));
    // Urban Canterbury: no uplift. Starting after April 2027: the new rate.
    let urban = h.referral("660103", "CT1 2EH", "2026-11-23 08:30", "2026-12-07", &[]);
    assert_eq!(estimate(&h, urban), Some(15750));
    let later = h.referral("660104", "CT1 2EH", "2026-11-23 08:30", "2027-04-05", &[]);
    assert_eq!(estimate(&h, later), Some(16800));
    // Elsewhere in Kent: the county-wide rate.
    let thanet = h.referral("660105", "CT9 1XZ", "2026-11-23 08:30", "2026-12-07", &[]);
    assert_eq!(estimate(&h, thanet), Some(14000));
}

#[test]
fn amounts_appear_only_with_show_rates() {
    let mut h = setup();
    h.now = "2026-11-23T08:30".into();
    let r = h.referral("660201", "CT3 1XB", "2026-11-23 08:30", "2026-12-07", &[]);
    let plain = h.run_at("2026-11-23T09:00", &["referral", "show", &r.to_string()]).ok().stdout;
    assert!(!plain.contains('£') && !plain.contains("173"), "{plain}");
    let json = h.run_at("2026-11-23T09:00", &["referral", "show", &r.to_string(), "--json"]).ok().stdout;
    assert!(!json.contains("estimated_weekly_pence"), "{json}");
    let list = h.run_at("2026-11-23T09:00", &["rate", "list"]).ok().stdout;
    assert!(!list.contains("22.50") && list.contains("hidden"), "{list}");
    let shown = h.run_at("2026-11-23T09:00", &["rate", "list", "--show-rates"]).ok().stdout;
    assert!(shown.contains("£22.50") && shown.contains("10.00%"), "{shown}");
    // Nor in the audit log: it says a rate was set, not what it is.
    let conn = rusqlite::Connection::open(&h.db).unwrap();
    let details: Vec<String> = conn
        .prepare("SELECT details FROM events WHERE entity = 'rate'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(details.len(), 4, "every rate and uplift is logged");
    assert!(details.iter().all(|d| !d.contains("2250") && !d.contains("22.5")), "{details:?}");
}

#[test]
fn bad_rates_are_refused_with_the_value() {
    let h = setup();
    let bad = h.run_at("2026-11-23T09:00", &["rate", "set", "--type", "standard", "--amount", "lots"]).code(2);
    assert!(bad.stderr.contains("'lots'"), "{}", bad.stderr);
    let bad = h
        .run_at(
            "2026-11-23T09:00",
            &["rate", "uplift", "--cluster", "Canterbury", "--rurality", "Moon", "--percent", "5"],
        )
        .code(2);
    assert!(bad.stderr.contains("'Moon'") && bad.stderr.contains("Rural village"), "{}", bad.stderr);
    let bad = h
        .run_at(
            "2026-11-23T09:00",
            &["rate", "uplift", "--cluster", "Canterbury", "--rurality", "Urban city and town", "--percent", "150"],
        )
        .code(2);
    assert!(bad.stderr.contains("'150'"), "{}", bad.stderr);
    h.run_at("2026-11-23T09:00", &["rate", "set", "--type", "standard", "--amount", "20", "--cluster", "Narnia"])
        .code(1);
}

#[test]
fn the_authorised_amount_must_cover_the_estimate_from_the_rates() {
    let h = setup();
    let add = |client: &str, authorised: &str| {
        let a = [
            "referral",
            "add",
            "--client-id",
            client,
            "--name",
            "Test Client",
            "--postcode",
            "CT3 1XB",
            "--team",
            "stp",
            "--referrer",
            "R Worker",
            "--referrer-email",
            "r.worker@example.org",
            "--start",
            "2026-12-07",
            "--calls-per-day",
            "2",
            "--minutes",
            "30",
            "--authorised-weekly",
            authorised,
            "--doc",
            "financial-authorisation,referral-form,charging-letter,ais-updated",
            "--json",
        ];
        h.run_at("2026-11-23T09:00", &a)
    };
    // £150 authorised against a £173.25 estimate: financial authorisation is missing.
    let low = add("660301", "150").code(3).json();
    assert_eq!(low["missing"], serde_json::json!(["financial-authorisation"]), "{low}");
    let ok = add("660302", "180").ok().json();
    assert_eq!(ok["state"], "waiting");
}
