//! `bench national [N]`: a national-sized database (default 1,000,000 referrals over five
//! years) built through hcp's own commands (`provider add`, `import cluster-providers`,
//! `import packages`), then five years of offers, answers, lapses and audit events added in
//! one transaction, and every interactive command timed (median of 5) with the peak memory of
//! the big readers and writers.

use super::*;
use std::collections::HashMap;

/// Statuses as the Packages sheet writes them, with their share per 10,000 rows.
const STATUSES: &[(&str, u64)] =
    &[("To be placed", 100), ("Offered", 100), ("Placed", 3000), ("Ended", 4800), ("Cancelled", 2000)];

/// One command's wall time and its peak resident memory (the child's own, from `wait4`).
pub struct Measured {
    pub time: Duration,
    pub peak_kb: i64,
}

/// Run hcp once and measure it; its output goes to `out` (or nowhere). The peak memory is read
/// by a small helper process (this program's `measure` mode): a child forked straight from this
/// bench, which holds the generated data, would inherit the bench's own peak.
pub fn measured(db: &Path, args: &[&str], out: Option<&Path>) -> Result<Measured> {
    let stdout = match out {
        Some(p) => Stdio::from(std::fs::File::create(p)?),
        None => Stdio::null(),
    };
    let report = tempfile::NamedTempFile::new()?;
    let t = Instant::now();
    let done = Command::new(std::env::current_exe()?)
        .arg("measure")
        .arg(report.path())
        .args(args)
        .env("HCP_DB", db)
        .env("HCP_NOW", NOW)
        .env("HCP_USER", "bench")
        .stdout(stdout)
        .stderr(Stdio::piped())
        .output()?;
    let time = t.elapsed();
    let code = done.status.code().unwrap_or(-1);
    if code != 0 && code != 3 {
        anyhow::bail!("hcp {} failed ({code}): {}", args.join(" "), String::from_utf8_lossy(&done.stderr));
    }
    let peak_kb = std::fs::read_to_string(report.path())?.trim().parse().context("the helper's report")?;
    Ok(Measured { time, peak_kb })
}

/// The helper: run hcp with these arguments, wait for it with `wait4` and write its peak
/// resident memory (KB) to `report`; exit with hcp's exit code.
pub fn measure_child(report: &Path, args: &[String]) -> Result<()> {
    let child = Command::new(hcp_bin()).args(args).spawn()?;
    let mut status = 0;
    // SAFETY: rusage is plain data; wait4 fills it for this child, which std never waits for.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    anyhow::ensure!(pid > 0, "wait4 failed");
    std::fs::write(report, usage.ru_maxrss.to_string())?;
    std::process::exit(if libc::WIFEXITED(status) { libc::WEXITSTATUS(status) } else { 101 })
}

fn hcp(db: &Path, args: &[&str]) -> Result<()> {
    measured(db, args, None).map(|_| ())
}

/// The bench's clock as a UTC instant.
fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::NaiveDateTime::parse_from_str(NOW, "%Y-%m-%dT%H:%M").expect("NOW").and_utc()
}

/// Providers (60: six contracted per area, the rest non-contracted) and each cluster's ranks.
fn providers(dir: &Path, db: &Path) -> Result<HashMap<i64, Vec<String>>> {
    let conn = rusqlite::Connection::open(db)?;
    let areas: Vec<(i64, String)> = conn
        .prepare("SELECT id, name FROM areas ORDER BY id")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    let clusters: Vec<(i64, String, i64)> = conn
        .prepare("SELECT id, name, area_id FROM clusters ORDER BY id")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<Result<_, _>>()?;
    let mut by_area: HashMap<i64, Vec<String>> = HashMap::new();
    for i in 0..60 {
        let (area_id, area) = &areas[i % areas.len()];
        let name = format!("Provider {i:02}");
        let kind = if i < 6 * areas.len() { "contracted" } else { "non-contracted" };
        hcp(db, &["provider", "add", &name, "--type", kind, "--area", area, "--cqc-rating", "good"])?;
        if kind == "contracted" {
            by_area.entry(*area_id).or_default().push(name);
        }
    }
    let ranks = dir.join("national-ranks.csv");
    let mut w = std::io::BufWriter::new(std::fs::File::create(&ranks)?);
    writeln!(w, "cluster,rank,provider")?;
    let mut ladder: HashMap<i64, Vec<String>> = HashMap::new();
    for (k, (cid, cname, aid)) in clusters.iter().enumerate() {
        let ps = &by_area[aid];
        for rank in 0..4 {
            let p = &ps[(k + rank) % ps.len()];
            writeln!(w, "\"{cname}\",{},{p}", rank + 1)?;
            ladder.entry(*cid).or_default().push(p.clone());
        }
    }
    drop(w);
    hcp(db, &["import", "cluster-providers", ranks.to_str().unwrap_or_default()])?;
    Ok(ladder)
}

/// A Packages CSV of `n` fictional people at real Kent postcodes: 1% waiting, 1% with a
/// provider now, the rest placed, ended or cancelled over five years.
fn sheet(path: &Path, db: &Path, n: usize, ladder: &HashMap<i64, Vec<String>>) -> Result<u64> {
    let conn = rusqlite::Connection::open(db)?;
    let places: Vec<(String, i64)> = conn
        .prepare(
            "SELECT p.postcode, cm.cluster_id FROM postcodes p JOIN cluster_msoas cm ON cm.msoa_code = p.msoa_code",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    let mut rng = Rng(0x0a71_0a11_5ca1);
    let now = now().with_timezone(&chrono_tz::Europe::London);
    let mut w = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(path)?);
    writeln!(w, "Client ID,Client Name,Postcode,Team,Referrer,Received,Requested Start,Calls Per Day,Minutes Per Call,Hours Per Week,Double Handed,Lives Alone,Known To ACT,Funding,Hospital Discharge,Status,Provider,Offered At,Start Date,Documents,Notes")?;
    // Each row's status and age first; the sheet is then written oldest first, as a sheet kept
    // over five years is (and as hcp's own ids run): the open work is the newest.
    let mut rows: Vec<(u64, usize, &str)> = (0..n)
        .map(|i| {
            let mut pick = rng.below(10_000);
            let status = STATUSES
                .iter()
                .find(|(_, share)| {
                    let hit = pick < *share;
                    pick = pick.saturating_sub(*share);
                    hit
                })
                .map_or("Ended", |s| s.0);
            let open = matches!(status, "To be placed" | "Offered");
            // Open referrals arrived in the last five weeks; the rest over five years.
            let age = if open { rng.below(35 * 24 * 60) } else { 36 * 24 * 60 + rng.below(5 * 365 * 24 * 60) };
            (age, i, status)
        })
        .collect();
    rows.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for (age_minutes, i, status) in rows {
        let mut rng = Rng(0x0a71_0a11_5ca1 ^ (i as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15));
        let received = now - chrono::Duration::minutes(age_minutes as i64);
        let (postcode, cluster) = &places[rng.below(places.len() as u64) as usize];
        let provider = match status {
            "Offered" | "Placed" | "Ended" => ladder[cluster][rng.below(4) as usize].as_str(),
            _ => "",
        };
        // Half of today's offers are still inside their 2 hours; the rest have lapsed.
        let offered_at = match status {
            "Offered" if i % 2 == 0 => now - chrono::Duration::minutes(rng.below(110) as i64),
            "" | "To be placed" | "Cancelled" => received,
            _ => received + chrono::Duration::hours(20),
        };
        let offered = if provider.is_empty() { String::new() } else { offered_at.format("%d/%m/%Y %H:%M").to_string() };
        let start = (received + chrono::Duration::days(7)).format("%d/%m/%Y").to_string();
        let started = if matches!(status, "Placed" | "Ended") { start.clone() } else { String::new() };
        let calls = 1 + rng.below(4);
        writeln!(
            w,
            "{:07},{} {},{postcode},{},Worker {},{},{start},{calls},30,{},{},{},No,KCC,{},{status},{provider},{offered},{started},\"financial-authorisation, referral-form, charging-letter, ais-updated\",\"national bench row {i}\"",
            i,
            FIRST[rng.below(FIRST.len() as u64) as usize],
            LAST[rng.below(LAST.len() as u64) as usize],
            ["ACT", "STP", "KEaH"][rng.below(3) as usize],
            rng.below(500),
            received.format("%d/%m/%Y %H:%M"),
            calls as f64 * 3.5,
            if rng.below(5) == 0 { "Yes" } else { "No" },
            if rng.below(3) == 0 { "Yes" } else { "No" },
            if rng.below(4) == 0 { "Yes" } else { "No" },
        )?;
    }
    w.flush()?;
    Ok(std::fs::metadata(path)?.len())
}

/// Five years of work behind the imported rows, in one transaction: each referral's arrival
/// dated when it arrived and last touched when it last changed, declined offers before each
/// placement, lapsed offers on some of the list, and an audit event for each (hash-chained
/// through hcp's own `Event::append`).
fn history(db: &Path) -> Result<(u64, u64)> {
    use hcp::store::events::Event;
    let mut store = hcp::store::Store::open(db)?;
    let now = now();
    let fmt = |t: chrono::DateTime<chrono::Utc>| t.format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let mut rng = Rng(0x1157_0e1e);
    let (mut offers, mut events) = (0u64, 0u64);
    store.write(|tx| {
        tx.execute_batch("PRAGMA cache_size = -131072")?;
        let ladder: HashMap<i64, Vec<i64>> = {
            let mut m: HashMap<i64, Vec<i64>> = HashMap::new();
            let mut s = tx.prepare("SELECT cluster_id, provider_id FROM cluster_providers ORDER BY rank")?;
            for r in s.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))? {
                let (c, p) = r?;
                m.entry(c).or_default().push(p);
            }
            m
        };
        let rows: Vec<(i64, String, String, i64)> = tx
            .prepare("SELECT id, received_at, state, IFNULL(cluster_id, 0) FROM referrals ORDER BY id")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
            .collect::<Result<_, _>>()?;
        let mut offer = tx.prepare(
            "INSERT INTO offers (referral_id, provider_id, tier, placement_type, offered_at, deadline, response, responded_at, reason, offered_by)
             VALUES (?1, ?2, 'clustered', 'contract', ?3, ?4, ?5, ?6, ?7, 'bench')",
        )?;
        let mut touch = tx.prepare("UPDATE referrals SET created_at = ?2, updated_at = ?3 WHERE id = ?1")?;
        let mut review = tx.prepare(
            "INSERT INTO pir_reviews (referral_id, reviewed, outcome, ais_due, ais_updated, recorded_at, recorded_by)
             VALUES (?1, ?2, 'continue', ?3, ?3, ?4, 'bench')",
        )?;
        for (id, received, state, cluster) in rows {
            let received_at = chrono::DateTime::parse_from_rfc3339(&received)?.with_timezone(&chrono::Utc);
            let (r_s, n_s) = (fmt(received_at), fmt(now));
            Event::new("referral added", "referral", &r_s, &r_s, "bench").on(Some(id), Some(id)).append(tx)?;
            events += 1;
            let ps = ladder.get(&cluster).cloned().unwrap_or_default();
            let declined = match state.as_str() {
                "waiting" => rng.below(3),
                "cancelled" => rng.below(2),
                _ => 1 + rng.below(3),
            };
            let mut last = received_at;
            for k in 0..declined {
                let at = received_at + chrono::Duration::hours(1 + 3 * k as i64);
                // On the list: the last approach lapsed (no answer in 2 hours); else declined.
                let lapsed = state == "waiting" && k + 1 == declined;
                let answered = at + chrono::Duration::minutes(20 + rng.below(90) as i64);
                let provider = ps.get(k as usize % ps.len().max(1)).copied().unwrap_or(1);
                offer.execute(params![
                    id,
                    provider,
                    fmt(at),
                    fmt(at + chrono::Duration::hours(2)),
                    (!lapsed).then_some("decline"),
                    (!lapsed).then(|| fmt(answered)),
                    (!lapsed).then_some("no-capacity"),
                ])?;
                let oid = tx.last_insert_rowid();
                let a_s = fmt(at);
                Event::new("offer made", "offer", &a_s, &a_s, "bench")
                    .on(Some(oid), Some(id))
                    .details(serde_json::json!({ "provider_id": provider, "tier": "clustered" }))
                    .append(tx)?;
                events += 1;
                if !lapsed {
                    let d_s = fmt(answered);
                    Event::new("provider declined", "offer", &d_s, &d_s, "bench")
                        .on(Some(oid), Some(id))
                        .details(serde_json::json!({ "reason": "no-capacity" }))
                        .append(tx)?;
                    events += 1;
                }
                offers += 1;
                last = answered;
            }
            // Placed packages more than three months old had their first review (SPEC §10).
            if matches!(state.as_str(), "active" | "ended") && now - received_at > chrono::Duration::days(90) {
                let reviewed = (received_at + chrono::Duration::days(49)).date_naive();
                let at = fmt(received_at + chrono::Duration::days(49));
                review.execute(params![id, reviewed.to_string(), (reviewed + chrono::Duration::days(7)).to_string(), at])?;
                Event::new("PIR recorded", "pir", &at, &at, "bench").on(Some(id), Some(id)).append(tx)?;
                events += 1;
            }
            // Closed packages were last touched long ago; open ones today.
            let updated = if matches!(state.as_str(), "ended" | "cancelled" | "active") {
                received_at + chrono::Duration::days(3)
            } else {
                last.max(received_at)
            };
            touch.execute(params![id, r_s, if updated > now { n_s } else { fmt(updated) }])?;
        }
        Ok(())
    })?;
    Ok((offers, events))
}

fn row(what: &str, m: &Measured, bar: &str) {
    println!("{what:<58} {:>9.1} ms {:>8.0} MB   {bar}", m.time.as_secs_f64() * 1e3, m.peak_kb as f64 / 1024.0);
}

/// The median of five runs (and the largest peak memory of them).
fn median(db: &Path, args: &[&str]) -> Result<Measured> {
    let mut runs: Vec<Measured> = (0..5).map(|_| measured(db, args, None)).collect::<Result<_>>()?;
    let peak = runs.iter().map(|m| m.peak_kb).max().unwrap_or(0);
    runs.sort_by_key(|m| m.time);
    Ok(Measured { time: runs[2].time, peak_kb: peak })
}

pub fn national(dir: &Path, n: usize, reuse: bool) -> Result<()> {
    let db = dir.join("national.sqlite");
    if reuse && db.exists() {
        println!("timing the national database already built: {}", db.display());
        println!("{:<58} {:>12} {:>11}   bar", "", "time", "peak memory");
        return times(&db);
    }
    build(dir, &db, n)?;
    times(&db)
}

/// Build the database: providers, the sheet, hcp's import (timed, with its peak memory, against
/// the sqlite3 shell's own `.import`), then five years of history.
fn build(dir: &Path, db: &Path, n: usize) -> Result<()> {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
    let t = Instant::now();
    hcp(db, &["init"])?;
    let ladder = providers(dir, db)?;
    let csv = dir.join("national-packages.csv");
    let size = sheet(&csv, db, n, &ladder)?;
    println!("Packages sheet: {n} rows, {:.0} MB ({:.1} s)", size as f64 / 1e6, t.elapsed().as_secs_f64());
    println!("{:<58} {:>12} {:>11}   bar", "", "time", "peak memory");
    let import = measured(db, &["import", "packages", csv.to_str().unwrap_or_default(), "--json"], None)?;
    row(&format!("hcp import packages ({n} rows)"), &import, "< 300 MB");
    let base = sqlite3_disk_import(&dir.join("national-sqlite3.sqlite"), &csv, 21)?;
    println!(
        "  rate {:.0} rows/s; sqlite3 .import into a WAL file with 3 indexes {:.0} rows/s: ratio {:.2} (bar: at least 0.50)",
        n as f64 / import.time.as_secs_f64(),
        n as f64 / base.as_secs_f64(),
        base.as_secs_f64() / import.time.as_secs_f64()
    );
    let t = Instant::now();
    let (offers, events) = history(db)?;
    println!(
        "  then five years of history: {offers} offers, {events} audit events ({:.1} s)",
        t.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Time every interactive command, the big readers' memory and the wash-up.
fn times(db: &Path) -> Result<()> {
    let db = db.to_path_buf();
    // The first escalate records everything already due; the timed runs are the steady state.
    let first = measured(&db, &["escalate", "--json"], None)?;
    row("hcp escalate (first run: records what is due)", &first, "");
    let export = measured(&db, &["export", "packages"], None)?;
    row("hcp export packages (to stdout)", &export, "< 200 MB");
    let list = measured(&db, &["referral", "list", "--json"], None)?;
    row("hcp referral list --json", &list, "< 200 MB");
    let some = {
        let conn = rusqlite::Connection::open(&db)?;
        conn.query_row("SELECT id FROM referrals WHERE state = 'waiting' ORDER BY id LIMIT 1", [], |r| {
            r.get::<_, i64>(0)
        })?
        .to_string()
    };
    for (args, bar) in [
        (vec!["due", "--area", "Thanet"], "< 100 ms"),
        (vec!["referral", "list", "--area", "Thanet", "--rag", "red"], "< 100 ms"),
        (vec!["due"], "< 100 ms"),
        (vec!["escalate"], "< 200 ms"),
        (vec!["referral", "list"], ""),
        (vec!["referral", "show", &some], "< 100 ms"),
        (vec!["offer", &some, "--explain"], "< 100 ms"),
        (vec!["history", &some], "< 100 ms"),
        (vec!["report", "washup", "--area", "Thanet", "--week", "2026-W47", "--format", "json"], "< 2 s"),
        (vec!["report", "washup", "--week", "2026-W47", "--format", "json"], "< 2 s"),
        (vec!["report", "washup", "--week", "2026-W47", "--format", "html"], "< 2 s"),
    ] {
        let m = median(&db, &args)?;
        row(&format!("hcp {}", args.join(" ")), &m, bar);
    }
    Ok(())
}
