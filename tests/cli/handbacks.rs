//! Handbacks and provider exits (SPEC §9) through the real binary: the package's way back onto
//! the list, the ASM told, the multiple-handback notice and the exit tracker's RAG, and the
//! handbacks counted in that week's wash-up.

use super::support::Hcp;

fn placed_hcp() -> Hcp {
    let h = Hcp::new();
    h.run_at("2026-11-16T08:00", &["init"]).ok();
    h.providers();
    h
}

#[test]
fn a_capacity_handback_goes_back_on_the_list_and_the_asm_is_told() {
    let mut h = placed_hcp();
    let r = h.placed("810001", "CT1 2EH", "2026-11-23", &[]);
    let args =
        ["handback", &r.to_string(), "--reason", "capacity", "--end", "2026-11-27", "--notified", "2026-11-23 08:45"];
    let v = h.json_at("2026-11-23T09:00", &args, 0);
    assert_eq!((v["state"].as_str(), v["handback"].as_bool()), (Some("waiting"), Some(true)), "{v}");
    let show = h.show("2026-11-23T09:05", r);
    // Care ends in 4 days: red straight away, whatever the waiting days.
    assert_eq!(show["rag"], "red", "{show}");
    let esc = h.json_at("2026-11-23T09:05", &["escalate", "list", "--open"], 0);
    let to_asm = esc.to_string().contains("\"handback\"") && esc.to_string().contains("\"asm\"");
    assert!(to_asm, "{esc}");
    // A second handback of the same package is refused: it is no longer placed.
    let again = h.run_at("2026-11-23T09:10", &args).code(1);
    assert!(again.stderr.contains("waiting"), "{}", again.stderr);
    // The week's wash-up counts it, re-added, with its provider and reason.
    let w =
        h.json_at("2026-11-30T07:00", &["report", "washup", "--area", "Canterbury & Coastal", "--week", "2026-W48"], 0);
    assert_eq!(w["summary"]["handed_back"], 1, "{}", w["summary"]);
    let line = &w["handbacks"][0];
    assert_eq!((line["reason"].as_str(), line["re_added"].as_bool()), (Some("capacity"), Some(true)), "{line}");
    assert_eq!(line["provider"], "Alpha Care");
    assert_eq!(w["summary"]["on_list_end"], 1);
}

#[test]
fn a_client_choice_handback_ends_the_package() {
    let mut h = placed_hcp();
    let r = h.placed("810002", "CT1 2EH", "2026-11-23", &[]);
    let v = h.json_at(
        "2026-11-23T09:00",
        &["handback", &r.to_string(), "--reason", "client-choice", "--end", "2026-11-30"],
        0,
    );
    assert_ne!(v["state"], "waiting", "{v}");
    let list = h.json_at("2026-11-23T09:05", &["referral", "list"], 0);
    assert!(!list.to_string().contains("810002"), "not on the list: {list}");
}

#[test]
fn a_multiple_handback_on_short_notice_tracks_every_client() {
    let mut h = placed_hcp();
    let plain = h.placed("820001", "CT1 2EH", "2026-11-23", &[]);
    let risky = h.placed("820002", "CT1 2EH", "2026-11-23", &["--lives-alone", "--dementia"]);
    let v = h.json_at(
        "2026-11-23T10:00",
        &[
            "handback",
            "multiple",
            "--provider",
            "Alpha Care",
            "--notified",
            "2026-11-23 09:30",
            "--end",
            "2026-11-27",
            "--all",
            "--exit",
            "planned",
        ],
        0,
    );
    assert_eq!(v["short_notice"], true, "{v}");
    assert!(v["teleconference_due"].as_str().unwrap_or("").starts_with("2026-11-24T09:30"), "{v}");
    let st = h.json_at("2026-11-23T10:05", &["exit", "status", "Alpha Care"], 0);
    let rag =
        |id: i64| st["clients"].as_array().unwrap().iter().find(|c| c["referral"] == id).map(|c| c["rag"].clone());
    assert_eq!(rag(risky), Some("red".into()), "{st}");
    assert_ne!(rag(plain), Some("red".into()), "{st}");
    // Alpha takes no new packages while it exits.
    h.now = "2026-11-23T10:10".into();
    let fresh = h.referral("820003", "CT1 2EH", "2026-11-23 10:10", "2026-12-07", &[]);
    let o = h.json_at("2026-11-23T10:15", &["offer", &fresh.to_string()], 0);
    assert_ne!(o["provider"], "Alpha Care", "{o}");
    // The tracker takes the mobilisation team's updates, and an unknown client is refused.
    let s = plain.to_string();
    h.run_at(
        "2026-11-24T10:00",
        &[
            "exit",
            "update",
            "Alpha Care",
            "--referral",
            &s,
            "--incoming",
            "Beta Care",
            "--contacted",
            "2026-11-24 10:00",
        ],
    )
    .ok();
    let bad = h.run_at("2026-11-24T10:00", &["exit", "update", "Alpha Care", "--referral", "9999"]).code(1);
    assert!(bad.stderr.contains("9999"), "{}", bad.stderr);
}
