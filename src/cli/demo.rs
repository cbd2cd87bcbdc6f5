//! `hcp demo`: build a fictional demo database (fictional providers and clients, real Kent
//! postcodes) and show what hcp does with it: the packages-to-be-placed list, an explained
//! offer, escalations and the PO's deadlines.
//!
//! The demo drives hcp's own commands, one process each, exactly as a PO would type them, with
//! the clock fixed by HCP_NOW: it is a script of a fortnight at the desk ending Monday
//! 23 November 2026 09:00, so its output is the same every time.

use super::ctx::Ctx;
use super::{Exit, Outcome};
use crate::error::UserError;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Build a fictional demo database and print the waiting list, an explained offer, the
/// escalations due and the PO's deadlines.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Example:\n  hcp demo\n  hcp demo --output /tmp/demo.sqlite   then explore: HCP_DB=/tmp/demo.sqlite HCP_NOW=2026-11-23T09:00 hcp referral show 10"
)]
pub struct Args {
    /// Where to build the demo database (default: a new file in the temporary folder).
    #[arg(long, value_name = "PATH")]
    pub output: Option<PathBuf>,
}

/// The demo's "now": Monday 23 November 2026, 09:00.
pub const DEMO_NOW: &str = "2026-11-23T09:00";

const CC: &str = "Canterbury & Coastal";
const DOCS: &str = "financial-authorisation,referral-form,charging-letter,ais-updated";

struct Runner {
    exe: PathBuf,
    db: PathBuf,
}

impl Runner {
    fn cmd(&self, now: &str, args: &[&str]) -> Command {
        let mut c = Command::new(&self.exe);
        c.args(args).env("HCP_DB", &self.db).env("HCP_NOW", now).env("HCP_USER", "demo.po").stdin(Stdio::null());
        c
    }

    /// A step of the script: it must succeed (exit 0, or 3 for a referral saved incomplete).
    fn step(&self, now: &str, args: &[&str]) -> anyhow::Result<()> {
        let out = self.cmd(now, args).stdout(Stdio::null()).stderr(Stdio::piped()).output()?;
        match out.status.code() {
            Some(0) | Some(3) => Ok(()),
            _ => Err(UserError::new(format!(
                "the demo step `hcp {}` failed: {}",
                args.join(" "),
                String::from_utf8_lossy(&out.stderr).trim()
            ))
            .into()),
        }
    }

    fn show(&self, title: &str, args: &[&str]) -> anyhow::Result<()> {
        println!("\n== {title} ==   $ hcp {}\n", args.join(" "));
        self.cmd(DEMO_NOW, args).status()?;
        Ok(())
    }
}

#[allow(clippy::too_many_arguments)]
fn referral<'a>(
    id: &'a str,
    name: &'a str,
    pc: &'a str,
    team: &'a str,
    received: &'a str,
    start: &'a str,
    calls: &'a str,
    mins: &'a str,
    extra: &[&'a str],
) -> Vec<&'a str> {
    let mut v = vec![
        "referral",
        "add",
        "--client-id",
        id,
        "--name",
        name,
        "--postcode",
        pc,
        "--team",
        team,
        "--referrer",
        "Sam Worker",
        "--referrer-email",
        "sam.worker@example.org",
        "--received",
        received,
        "--start",
        start,
        "--calls-per-day",
        calls,
        "--minutes",
        mins,
    ];
    v.extend_from_slice(extra);
    v
}

fn build(r: &Runner) -> anyhow::Result<()> {
    let t0 = "2026-11-02T08:30";
    r.step(t0, &["init"])?;
    for (name, kind, area, extra) in [
        (
            "Oakleaf Care",
            "contracted",
            CC,
            vec!["--email", "offers@oakleaf.example.org", "--senior-email", "director@oakleaf.example.org"],
        ),
        ("Harbour Homecare", "contracted", CC, vec!["--email", "team@harbour.example.org"]),
        ("Downs Domiciliary", "contracted", CC, vec![]),
        ("Stour Valley Care", "contracted", CC, vec![]),
        ("Kingfisher Home Support", "non-contracted", CC, vec!["--cqc-rating", "good", "--exceptions-list"]),
        ("Meadowsweet Care", "non-contracted", CC, vec!["--cqc-rating", "outstanding"]),
        ("Saltmarsh Care", "non-contracted", CC, vec!["--cqc-rating", "requires-improvement"]),
        ("Isle Care Partners", "contracted", "Thanet", vec![]),
        ("Viking Coast Care", "contracted", "Thanet", vec![]),
        ("Weald Homecare", "contracted", "West Kent", vec![]),
        ("Medway Valley Care", "contracted", "West Kent", vec![]),
        ("Ashford Community Care", "contracted", "Ashford", vec![]),
    ] {
        let mut a = vec!["provider", "add", name, "--type", kind, "--area", area];
        a.extend(extra);
        r.step(t0, &a)?;
    }
    r.step(t0, &["cluster", "rank", "Canterbury", "--providers", "Oakleaf Care,Harbour Homecare,Downs Domiciliary"])?;
    r.step(t0, &["area", "rank", CC, "--providers", "Stour Valley Care"])?;
    r.step(t0, &["cluster", "rank", "Thanet", "--providers", "Isle Care Partners,Viking Coast Care"])?;
    r.step(t0, &["cluster", "rank", "Maidstone", "--providers", "Weald Homecare,Medway Valley Care"])?;
    r.step(t0, &["cluster", "rank", "Ashford", "--providers", "Ashford Community Care"])?;

    let bica = format!("{DOCS},bica");
    let keah = format!("{DOCS},final-review");
    let steps: Vec<(&str, Vec<&str>)> = vec![
        (
            "2026-11-02T09:10",
            referral(
                "200101",
                "Margaret Hollis",
                "CT2 7AA",
                "act",
                "2026-11-02 09:10",
                "2026-11-09",
                "3",
                "30",
                &["--known-to-act", "--lives-alone", "--doc", &bica],
            ),
        ),
        (
            "2026-11-13T11:00",
            referral(
                "200102",
                "Dennis Okafor",
                "CT9 2AA",
                "stp",
                "2026-11-13 11:00",
                "2026-11-23",
                "2",
                "45",
                &["--doc", DOCS],
            ),
        ),
        (
            "2026-11-20T15:20",
            referral(
                "200103",
                "Eileen Marsh",
                "ME15 6AA",
                "keah",
                "2026-11-20 15:20",
                "2026-11-24",
                "4",
                "30",
                &["--hospital-discharge", "--doc", &keah],
            ),
        ),
        (
            "2026-11-19T10:05",
            referral(
                "200104",
                "Tomasz Wiśniewski",
                "TN24 8AA",
                "stp",
                "2026-11-19 10:05",
                "2026-11-30",
                "2",
                "30",
                &["--doc", DOCS],
            ),
        ),
        (
            "2026-11-20T09:40",
            referral(
                "200105",
                "Zoë O'Brien",
                "CT1 2EH",
                "act",
                "2026-11-20 09:40",
                "2026-11-30",
                "4",
                "30",
                &["--known-to-act", "--doc", DOCS],
            ),
        ),
        (
            "2026-11-20T14:00",
            referral(
                "200106",
                "Ronald Pike",
                "CT16 1AA",
                "stp",
                "2026-11-20 14:00",
                "2026-11-27",
                "1",
                "60",
                &["--doc", "financial-authorisation,referral-form,ais-updated"],
            ),
        ),
        (
            "2026-11-21T10:30",
            referral(
                "200107",
                "Priya Raman",
                "DA1 1AA",
                "act",
                "2026-11-21 10:30",
                "2026-12-01",
                "2",
                "30",
                &["--risk", "dog in the property", "--doc", DOCS],
            ),
        ),
        (
            "2026-11-18T13:15",
            referral(
                "200108",
                "Gwen Adeyemi",
                "ME10 4AA",
                "stp",
                "2026-11-18 13:15",
                "2026-11-25",
                "3",
                "30",
                &["--doc", DOCS],
            ),
        ),
        (
            "2026-11-16T16:00",
            referral(
                "200109",
                "Harold Finch",
                "TN1 1AA",
                "act",
                "2026-11-16 16:00",
                "2026-11-23",
                "4",
                "45",
                &["--double-handed", "--dementia", "--doc", DOCS],
            ),
        ),
        (
            "2026-11-17T09:20",
            referral(
                "200110",
                "Agnes Kowalczyk",
                "CT5 1AA",
                "stp",
                "2026-11-17 09:20",
                "2026-11-30",
                "2",
                "30",
                &["--lives-alone", "--doc", DOCS],
            ),
        ),
        (
            "2026-11-16T11:45",
            referral(
                "200111",
                "Stanley Brooks",
                "CT6 5AA",
                "act",
                "2026-11-16 11:45",
                "2026-11-23",
                "2",
                "30",
                &["--doc", DOCS],
            ),
        ),
        (
            "2026-11-19T12:00",
            referral(
                "200112",
                "Łukasz Wójcik",
                "CT11 9AA",
                "stp",
                "2026-11-19 12:00",
                "2026-12-07",
                "3",
                "30",
                &["--doc", DOCS],
            ),
        ),
        (
            "2026-11-20T16:30",
            referral(
                "200113",
                "Iris Delaney",
                "SW1A 1AA",
                "stp",
                "2026-11-20 16:30",
                "2026-12-01",
                "2",
                "30",
                &["--doc", DOCS],
            ),
        ),
    ];
    for (now, args) in &steps {
        r.step(now, args)?;
    }
    // Referral 10, Agnes: Oakleaf declines, Harbour lets the offer lapse, Downs is asked this morning.
    r.step("2026-11-20T10:00", &["offer", "10"])?;
    r.step("2026-11-20T10:40", &["respond", "10", "decline", "--reason", "no-capacity"])?;
    r.step("2026-11-20T11:00", &["offer", "10"])?;
    r.step("2026-11-23T08:30", &["offer", "10"])?;
    // Referral 11, Stanley: placed with Oakleaf, confirmed, SDO sent.
    r.step("2026-11-17T10:00", &["offer", "11"])?;
    r.step("2026-11-17T10:30", &["respond", "11", "accept"])?;
    r.step(
        "2026-11-17T14:00",
        &["confirm", "11", "--start", "2026-11-23", "--call-times", "08:00,18:00", "--provider-ref", "OAK-4471"],
    )?;
    r.step("2026-11-18T09:30", &["sdo", "11", "--sent"])?;
    // Referral 12, Łukasz: Isle Care Partners is considering until Tuesday noon.
    r.step("2026-11-20T09:00", &["offer", "12"])?;
    r.step("2026-11-20T09:45", &["respond", "12", "considering", "--until", "2026-11-24 12:00"])?;
    // Referral 9, Harold: Weald accepted this morning; the confirmation form is due by 10:15.
    r.step("2026-11-23T08:00", &["offer", "9"])?;
    r.step("2026-11-23T08:15", &["respond", "9", "accept"])?;
    Ok(())
}

pub fn run(ctx: &mut Ctx, args: Args) -> Outcome {
    let db =
        args.output.clone().unwrap_or_else(|| ctx.temp_dir().join(format!("hcp-demo-{}.sqlite", std::process::id())));
    if db.exists() {
        return Err(UserError::new(format!("{} already exists; the demo builds a new database", db.display()))
            .hint("choose another --output, or leave it out for a new file in the temporary folder")
            .into());
    }
    let exe = std::env::current_exe()?;
    let r = Runner { exe, db: db.clone() };
    build(&r)?;
    if ctx.json {
        super::output::json(&serde_json::json!({ "db": db.display().to_string(), "now": DEMO_NOW }));
        return Ok(Exit::Done);
    }
    println!("hcp demo: fictional providers and clients, real Kent postcodes. Now is Monday 23 November 2026, 09:00.");
    println!("Database: {}", db.display());
    r.show("Packages to be placed (and incomplete referrals), longest waiting first", &["referral", "list"])?;
    r.show("Whom to approach next for referral 10", &["offer", "10", "--explain"])?;
    r.show("Escalations due this morning", &["escalate"])?;
    r.show("The PO's deadlines", &["due"])?;
    println!("\nExplore it: HCP_DB={} HCP_NOW={DEMO_NOW} hcp referral show 10", display(&db));
    Ok(Exit::Done)
}

fn display(p: &Path) -> String {
    p.display().to_string()
}
