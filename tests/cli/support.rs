//! Running the real `hcp` binary against a private database with a pinned clock.
#![allow(dead_code)]

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

pub struct Hcp {
    pub dir: tempfile::TempDir,
    pub db: PathBuf,
    pub now: String,
    pub user: String,
}

#[derive(Debug)]
pub struct Out {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Out {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}\nstderr: {}", self.stdout, self.stderr))
    }
    /// Assert the exit code, showing the output when it is not what was expected.
    pub fn code(self, want: i32) -> Self {
        assert_eq!(self.code, want, "exit code\nstdout: {}\nstderr: {}", self.stdout, self.stderr);
        assert!(!self.stderr.contains("panicked"), "panic: {}", self.stderr);
        self
    }
    pub fn ok(self) -> Self {
        self.code(0)
    }
}

impl Hcp {
    pub fn new() -> Hcp {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = dir.path().join("hcp.sqlite");
        Hcp { dir, db, now: "2026-11-23T09:00".into(), user: "po.test".into() }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn command(&self, now: &str, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_hcp"));
        c.args(args).env("HCP_DB", &self.db).env("HCP_NOW", now).env("HCP_USER", &self.user).stdin(Stdio::null());
        c
    }

    pub fn run_at(&self, now: &str, args: &[&str]) -> Out {
        let out = self.command(now, args).output().expect("run hcp");
        Out {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    pub fn run(&self, args: &[&str]) -> Out {
        self.run_at(&self.now.clone(), args)
    }

    /// Run with --json and parse the output, asserting the exit code.
    pub fn json_at(&self, now: &str, args: &[&str], code: i32) -> Value {
        let mut a = args.to_vec();
        a.push("--json");
        self.run_at(now, &a).code(code).json()
    }

    pub fn json(&self, args: &[&str]) -> Value {
        self.json_at(&self.now.clone(), args, 0)
    }

    /// The contract's providers: clustered Alpha, Beta, Gamma in Canterbury; other contracted
    /// Delta; non-contracted Epsilon (good, exceptions list), Foxglove (outstanding), Grim
    /// (requires improvement).
    pub fn providers(&self) {
        let a = "Canterbury & Coastal";
        for args in [
            vec![
                "provider",
                "add",
                "Alpha Care",
                "--type",
                "contracted",
                "--area",
                a,
                "--email",
                "alpha@example.org",
                "--senior-email",
                "boss@alpha.example.org",
            ],
            vec!["provider", "add", "Beta Care", "--type", "contracted", "--area", a],
            vec!["provider", "add", "Gamma Care", "--type", "contracted", "--area", a],
            vec!["provider", "add", "Delta Care", "--type", "contracted", "--area", a],
            vec![
                "provider",
                "add",
                "Epsilon Homecare",
                "--type",
                "non-contracted",
                "--area",
                a,
                "--cqc-rating",
                "good",
                "--exceptions-list",
            ],
            vec![
                "provider",
                "add",
                "Foxglove Care",
                "--type",
                "non-contracted",
                "--area",
                a,
                "--cqc-rating",
                "outstanding",
            ],
            vec![
                "provider",
                "add",
                "Grim Care",
                "--type",
                "non-contracted",
                "--area",
                a,
                "--cqc-rating",
                "requires-improvement",
            ],
            vec!["cluster", "rank", "Canterbury", "--providers", "Alpha Care,Beta Care,Gamma Care"],
            vec!["area", "rank", a, "--providers", "Delta Care"],
        ] {
            self.run(&args).ok();
        }
    }

    /// A complete referral (STP, not known to ACT); returns its id.
    pub fn referral(&self, client: &str, postcode: &str, received: &str, start: &str, extra: &[&str]) -> i64 {
        self.referral_now(&self.now.clone(), client, postcode, received, start, extra)
    }

    /// A complete referral added at `now`; returns its id.
    pub fn referral_now(
        &self,
        now: &str,
        client: &str,
        postcode: &str,
        received: &str,
        start: &str,
        extra: &[&str],
    ) -> i64 {
        let mut a = vec![
            "referral",
            "add",
            "--client-id",
            client,
            "--name",
            "Test Client",
            "--postcode",
            postcode,
            "--team",
            "stp",
            "--referrer",
            "R Worker",
            "--referrer-email",
            "r.worker@example.org",
            "--received",
            received,
            "--start",
            start,
            "--calls-per-day",
            "2",
            "--minutes",
            "30",
            "--doc",
            "financial-authorisation,referral-form,charging-letter,ais-updated",
        ];
        a.extend_from_slice(extra);
        let v = self.json_at(now, &a, 0);
        assert_eq!(v["state"], "waiting", "{v}");
        v["id"].as_i64().expect("id")
    }

    /// A complete referral in CT1 2EH added at `now`; returns its id.
    pub fn referral_at(&self, now: &str, client: &str, received: &str, start: &str) -> i64 {
        self.referral_now(now, client, "CT1 2EH", received, start, &[])
    }

    /// A referral placed with the first provider of its cluster and active by Tuesday 17
    /// November 2026 (accepted, form sent, confirmed to start on `start`, SDO sent); its id.
    pub fn placed(&mut self, client: &str, postcode: &str, start: &str, extra: &[&str]) -> i64 {
        self.now = "2026-11-16T08:30".into();
        let r = self.referral(client, postcode, "2026-11-16 08:30", start, extra);
        let s = r.to_string();
        for (now, args) in [
            ("2026-11-16T09:05", vec!["offer", &s]),
            ("2026-11-16T09:30", vec!["respond", &s, "accept"]),
            ("2026-11-16T10:00", vec!["form-sent", &s]),
            ("2026-11-16T12:00", vec!["confirm", &s, "--start", start, "--call-times", "08:00,18:00"]),
            ("2026-11-17T09:00", vec!["sdo", &s, "--sent"]),
        ] {
            self.run_at(now, &args).ok();
        }
        r
    }

    pub fn show(&self, now: &str, id: i64) -> Value {
        self.json_at(now, &["referral", "show", &id.to_string()], 0)
    }
}

pub fn write(path: &Path, bytes: &[u8]) {
    std::fs::write(path, bytes).expect("write file");
}
