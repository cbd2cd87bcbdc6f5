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

const DIRECTORY: &str = "Care directory with ratings\nData as at 01 November 2026\n\n\
Name,Also known as,Address,Postcode,Phone number,Service's website (if available),Service types,Date of latest check,Specialisms/services,Provider name,Local Authority,Region,Location URL,CQC Location (for office use only,CQC Provider ID (for office use only)\n\
Alpha Care Canterbury,,1 High St,CT1 2EH,01227 000000,,Homecare agencies,12/03/2025,Dementia,Alpha Care Ltd,Kent,South East,,1-111,1-900\n\
Alpha Care Thanet,,9 Sea Rd,CT9 1XZ,,,Homecare agencies,01/06/2026,,Alpha Care Ltd,Kent,South East,,1-112,1-900\n\
Beta Care,,2 Mill Ln,CT2 7AA,,,\"Homecare agencies, Supported living\",05/05/2026,,Beta Care Ltd,Kent,South East,,1-113,1-950\n\
Nobody Homecare,,3 Elm Rd,ME15 6AA,,,Homecare agencies,01/02/2026,,Nobody Ltd,Kent,South East,,1-114,1-999\n\
Some Care Home,,2 Low St,ME1 1AA,,,Residential homes,01/01/2024,,Homes Ltd,Medway,South East,,1-222,1-901\n";

const RATINGS: &str = "Location ID,Location Name,Provider ID,Domain,Latest Rating,Publication Date\n\
1-111,Alpha Care Canterbury,1-900,Safe,Good,2025-03-12\n\
1-111,Alpha Care Canterbury,1-900,Overall,Requires improvement,2025-03-12\n\
1-112,Alpha Care Thanet,1-900,Overall,Good,2026-06-01\n\
1-113,Beta Care,1-950,Overall,Outstanding,2025-05-05\n";

#[test]
fn providers_take_their_cqc_checks_and_ratings_from_cqcs_own_files() {
    let h = placed_hcp();
    h.run_at("2026-11-23T09:00", &["provider", "update", "Alpha Care", "--cqc-id", "1-900"]).ok();
    let (dir, rat) = (h.path("directory.csv"), h.path("ratings.csv"));
    super::support::write(&dir, DIRECTORY.as_bytes());
    super::support::write(&rat, RATINGS.as_bytes());
    let v = h.json_at("2026-11-23T09:01", &["import", "cqc-directory", dir.to_str().unwrap(), "--unmatched"], 0);
    // Five rows; four Kent homecare; Alpha's two by CQC provider id, Beta by name; Nobody unmatched.
    assert_eq!((v["rows"].as_i64(), v["kent_homecare"].as_i64()), (Some(5), Some(4)), "{v}");
    assert_eq!((v["matched"].as_i64(), v["unmatched"].as_i64()), (Some(3), Some(1)), "{v}");
    assert_eq!(v["unmatched_locations"][0]["name"], "Nobody Homecare");
    h.json_at("2026-11-23T09:02", &["import", "cqc-ratings", rat.to_str().unwrap()], 0);
    // Alpha: the most recent overall rating of its locations (Thanet, June 2026: good).
    let alpha = h.json_at("2026-11-23T09:03", &["provider", "show", "Alpha Care"], 0);
    assert_eq!(alpha["cqc_rating"], "good", "{alpha}");
    assert!(alpha["cqc_checked"].as_str().unwrap_or("").starts_with("2026-06-01"), "{alpha}");
    // Beta's outstanding rating is 18 months old: provider show warns.
    let beta = h.run_at("2026-11-23T09:04", &["provider", "show", "Beta Care"]).ok();
    assert!(beta.stdout.to_lowercase().contains("outstanding"), "{}", beta.stdout);
    let said = beta.stdout.clone() + &beta.stderr;
    assert!(said.contains("18 months ago") && said.contains("check CQC for a newer inspection"), "{said}");
    let a = h.run_at("2026-11-23T09:04", &["provider", "show", "Alpha Care"]).ok();
    assert!(!(a.stdout.clone() + &a.stderr).contains("check CQC"), "Alpha's rating is 5 months old");
    // A file that is not CQC's directory is refused naming what is missing; nothing changes.
    let bad = h.path("bad.csv");
    super::support::write(&bad, b"Name,Postcode\nX,CT1 2EH\n");
    let out = h.run_at("2026-11-23T09:05", &["import", "cqc-directory", bad.to_str().unwrap()]).code(1);
    assert!(out.stderr.contains("bad.csv"), "{}", out.stderr);
}
