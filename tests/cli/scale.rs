//! Issue 18: national scale. Large files are streamed (read on a second thread in batches), so
//! these tests check the streamed path gives the same answers as the small one; and the hot
//! queries are checked to read through indexes. Nothing here is timed.

use crate::support::{write, Hcp};

const HEADER: &str =
    "Client ID,Client Name,Postcode,Team,Referrer,Received,Requested Start,Calls Per Day,Minutes Per Call,Notes\n";

/// `n` rows in Windows-1252 (Zoë's ë is one byte), over the streaming threshold when `n` is in
/// the thousands; rows in `bad` have an impossible received date; the last row repeats the first.
fn sheet(n: usize, bad: &[usize]) -> Vec<u8> {
    let mut out = HEADER.as_bytes().to_vec();
    for i in 0..n {
        let day = if bad.contains(&i) { "31/02/2026".to_string() } else { format!("{:02}/11/2026", 1 + i % 20) };
        out.extend_from_slice(format!("{:06},Zo", 500_000 + i).as_bytes());
        out.push(0xEB);
        out.extend_from_slice(
            format!(",CT1 2EH,STP,W {i},{day},30/11/2026,2,30,\"row {i}: a note long enough to make the file large, with a comma\"\n")
                .as_bytes(),
        );
    }
    // The first row again: the same referral, unchanged.
    let first = out.iter().position(|b| *b == b'\n').unwrap() + 1;
    let second = first + out[first..].iter().position(|b| *b == b'\n').unwrap() + 1;
    let again = out[first..second].to_vec();
    out.extend_from_slice(&again);
    out
}

#[test]
fn a_large_sheet_is_streamed_with_the_same_outcome_as_a_small_one() {
    let mut h = Hcp::new();
    h.now = "2026-11-24T09:00".into();
    let big = sheet(3000, &[4, 1500, 2998]);
    assert!(big.len() > 256 * 1024, "the test sheet must be over the streaming threshold");
    write(&h.path("big.csv"), &big);
    let rejects = h.path("rejects.csv");
    let v = h.json_at(
        "2026-11-24T09:00",
        &["import", "packages", h.path("big.csv").to_str().unwrap(), "--rejects", rejects.to_str().unwrap()],
        3,
    );
    assert_eq!((v["new"].as_i64(), v["rejected"].as_i64(), v["unchanged"].as_i64()), (Some(2997), Some(3), Some(1)));
    let rows: Vec<i64> = v["errors"].as_array().unwrap().iter().map(|e| e["row"].as_i64().unwrap()).collect();
    assert_eq!(rows, [6, 1502, 3000], "rows count as a spreadsheet does: header is row 1");
    // The rejected rows come back as they were, decoded, with why.
    let text = std::fs::read_to_string(&rejects).unwrap();
    assert_eq!(text.lines().count(), 4, "{text}");
    assert!(text.contains("501500,Zoë,") && text.contains("31/02/2026") && text.contains("Rejected because"), "{text}");
    // Every row's text is decoded the same way across the batches.
    let conn = rusqlite::Connection::open(&h.db).unwrap();
    let zoe: i64 = conn.query_row("SELECT count(*) FROM referrals WHERE name = 'Zoë'", [], |r| r.get(0)).unwrap();
    assert_eq!(zoe, 2997);
    let last: String =
        conn.query_row("SELECT notes FROM referrals ORDER BY id DESC LIMIT 1", [], |r| r.get(0)).unwrap();
    assert_eq!(last, "row 2999: a note long enough to make the file large, with a comma");
    // The same rows in a small file read inline give the same referral.
    let h2 = Hcp::new();
    let small: Vec<u8> = big.split(|b| *b == b'\n').take(3).flat_map(|l| l.iter().copied().chain([b'\n'])).collect();
    write(&h2.path("small.csv"), &small);
    h2.json_at("2026-11-24T09:00", &["import", "packages", h2.path("small.csv").to_str().unwrap()], 0);
    let a = h.show("2026-11-24T09:00", 2);
    let b = h2.show("2026-11-24T09:00", 2);
    for k in ["client_id", "name", "postcode", "received", "start", "notes", "state"] {
        assert_eq!(a[k], b[k], "{k}");
    }
}

#[test]
fn a_large_sheet_with_a_broken_row_imports_nothing() {
    let h = Hcp::new();
    let mut big = sheet(3000, &[]);
    // A cell no Packages sheet has, two thirds of the way in (after batches were written).
    let at = big.len() * 2 / 3;
    let line_end = at + big[at..].iter().position(|b| *b == b'\n').unwrap() + 1;
    let huge = format!("999999,Big,CT1 2EH,STP,W,01/11/2026,30/11/2026,2,30,{}\n", "x".repeat(70 * 1024));
    big.splice(line_end..line_end, huge.into_bytes());
    write(&h.path("big.csv"), &big);
    let out = h.run(&["import", "packages", h.path("big.csv").to_str().unwrap()]).code(1);
    assert!(out.stderr.contains("a cell of 70 KB"), "{}", out.stderr);
    let conn = rusqlite::Connection::open(&h.db).unwrap();
    let n: i64 = conn.query_row("SELECT count(*) FROM referrals", [], |r| r.get(0)).unwrap();
    assert_eq!(n, 0, "one transaction: nothing of the file is kept");
}

#[test]
fn utf16_and_forced_utf8_are_read_as_a_stream() {
    let h = Hcp::new();
    let text = format!("{HEADER}0101,Łukasz Wójcik,CT1 2EH,STP,W,20/11/2026,30/11/2026,2,30,x\n");
    let mut utf16 = vec![0xFF, 0xFE];
    for u in text.encode_utf16() {
        utf16.extend_from_slice(&u.to_le_bytes());
    }
    write(&h.path("u16.csv"), &utf16);
    let v = h.json_at("2026-11-23T09:00", &["import", "packages", h.path("u16.csv").to_str().unwrap()], 0);
    assert_eq!(v["new"], 1);
    assert_eq!(h.show("2026-11-23T09:00", 1)["name"], "Łukasz Wójcik");
    write(&h.path("w.csv"), &sheet(2, &[]));
    let out = h.run(&["import", "packages", h.path("w.csv").to_str().unwrap(), "--encoding", "utf-8"]).code(1);
    let at = HEADER.len() + "500000,Zo".len();
    assert!(out.stderr.contains(&format!("byte {at} is not valid")), "{}", out.stderr);
    // A stream cannot be read twice: it is refused in words, not imported half.
    #[cfg(unix)]
    {
        let out = h.run(&["import", "packages", "/dev/null"]).code(1);
        assert!(out.stderr.contains("not a regular file"), "{}", out.stderr);
    }
}

/// `escalate` remembers what it last saw (a watermark) and then evaluates only referrals with
/// something new or whose next check has come. Run side by side with a copy whose watermark is
/// removed before every run (so every run evaluates everything), over three days of 50-minute
/// steps with an offer made and a provider added along the way, it raises exactly the same.
#[test]
fn escalate_with_a_watermark_raises_what_a_full_run_raises() {
    let a = Hcp::new();
    a.run(&["demo", "--output", a.db.to_str().unwrap()]).ok();
    let b = Hcp::new();
    rusqlite::Connection::open(&a.db).unwrap().execute("VACUUM INTO ?1", [b.db.to_str().unwrap()]).unwrap();
    let listed = a.json(&["referral", "list", "--state", "waiting"]);
    let waiting = listed[0]["id"].as_i64().expect("a referral waiting in the demo").to_string();
    let cancelled = listed[1]["id"].as_i64().expect("a second referral waiting in the demo").to_string();
    let rows = |h: &Hcp| -> Vec<(String, i64, i64, String, String)> {
        let c = rusqlite::Connection::open(&h.db).unwrap();
        let mut s = c
            .prepare("SELECT rule, IFNULL(referral_id, 0), IFNULL(area_id, 0), trigger_key, raised_at FROM escalations ORDER BY 1, 2, 3, 4")
            .unwrap();
        let v = s.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))).unwrap();
        v.map(Result::unwrap).collect()
    };
    let before = rows(&a).len();
    let mut t = chrono::NaiveDateTime::parse_from_str("2026-11-23T09:00", "%Y-%m-%dT%H:%M").unwrap();
    for step in 0..90 {
        t += chrono::Duration::minutes(50);
        let now = t.format("%Y-%m-%dT%H:%M").to_string();
        for h in [&a, &b] {
            if step == 3 {
                h.run_at(&now, &["offer", &waiting]).ok();
            }
            if step == 5 {
                h.run_at(&now, &["referral", "cancel", &cancelled, "--reason", "moved away"]).ok();
            }
            if step == 40 {
                h.run_at(&now, &["provider", "add", "Late Care", "--type", "contracted", "--area", "Thanet"]).ok();
            }
        }
        rusqlite::Connection::open(&b.db).unwrap().execute("DELETE FROM escalate_watermark", []).unwrap();
        let (x, y) = (a.run_at(&now, &["escalate"]).ok(), b.run_at(&now, &["escalate"]).ok());
        assert_eq!(x.stdout, y.stdout, "at {now}");
    }
    let (got, want) = (rows(&a), rows(&b));
    assert!(want.len() > before + 3, "the three days raise escalations ({} then {})", before, want.len());
    assert!(want.iter().any(|r| r.0 == "lapsed" && r.1.to_string() == waiting), "the offer lapsed");
    assert_eq!(got, want);
    // Every referral's next check lies ahead of the last run: those still open were looked at,
    // and the cancelled one is set aside rather than read again on every run.
    let c = rusqlite::Connection::open(&a.db).unwrap();
    let checks: i64 = c.query_row("SELECT COUNT(*) FROM escalate_checks", [], |r| r.get(0)).unwrap();
    assert!(checks > 0);
    let last = (t.and_utc()).format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let stale: i64 =
        c.query_row("SELECT COUNT(*) FROM escalate_checks WHERE next_at <= ?1", [&last], |r| r.get(0)).unwrap();
    assert_eq!(stale, 0, "checks due by {last} left behind");
}

/// A migration brings in every package ever placed. One whose first review's window had closed
/// before it came into hcp had its review under the old process and is not put on `due`; one
/// placed ten days before the import is, and recording its review takes it off.
#[test]
fn packages_placed_before_hcp_are_reviewed_only_while_their_window_is_open() {
    let h = Hcp::new();
    h.providers();
    let csv = "Client ID,Client Name,Postcode,Team,Referrer,Received,Requested Start,Calls Per Day,Minutes Per Call,Status,Provider,Start Date\n\
               OLD1,Ann Old,CT1 2EH,ACT,R,01/10/2024,01/11/2024,2,30,Placed,Alpha Care,01/11/2024\n\
               NEW1,Bo New,CT1 2EH,ACT,R,01/11/2026,13/11/2026,2,30,Placed,Alpha Care,13/11/2026\n";
    write(&h.path("placed.csv"), csv.as_bytes());
    let v = h.json_at("2026-11-23T09:00", &["import", "packages", h.path("placed.csv").to_str().unwrap()], 0);
    assert_eq!(v["new"], 2);
    let to_book = |h: &Hcp| -> Vec<i64> {
        let due = h.json_at("2026-11-23T09:00", &["due"], 0);
        due.as_array()
            .unwrap()
            .iter()
            .filter(|d| d["what"] == "pir-booking")
            .map(|d| d["referral"].as_i64().unwrap())
            .collect()
    };
    assert_eq!(to_book(&h), [2], "only the package whose window is still open");
    h.json_at("2026-11-23T09:00", &["pir", "record", "2", "--reviewed", "2026-11-23", "--outcome", "continue"], 0);
    assert!(to_book(&h).is_empty(), "a recorded review leaves the list");
}
