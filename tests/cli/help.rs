//! The whole --help tree as a snapshot, so command meanings cannot drift unnoticed.
//! Refresh with `HCP_UPDATE_SNAPSHOTS=1 cargo test help` and read the diff before committing.

use clap::CommandFactory;

fn paths(cmd: &clap::Command, prefix: Vec<String>, out: &mut Vec<Vec<String>>) {
    out.push(prefix.clone());
    for sub in cmd.get_subcommands() {
        if sub.get_name() == "help" {
            continue;
        }
        let mut p = prefix.clone();
        p.push(sub.get_name().to_string());
        paths(sub, p, out);
    }
}

#[test]
fn help_tree_matches_the_snapshot() {
    let mut all = Vec::new();
    paths(&hcp::cli::Cli::command(), Vec::new(), &mut all);
    let mut text = String::new();
    for p in &all {
        let mut args: Vec<&str> = p.iter().map(String::as_str).collect();
        args.push("--help");
        let out =
            std::process::Command::new(env!("CARGO_BIN_EXE_hcp")).args(&args).env("COLUMNS", "100").output().unwrap();
        assert!(out.status.success(), "hcp {} --help failed", p.join(" "));
        let help = String::from_utf8(out.stdout).unwrap();
        // Every command's help carries an example, except the command groups.
        let sub = p.iter().fold(hcp::cli::Cli::command(), |c, name| c.find_subcommand(name).unwrap().clone());
        if sub.get_subcommands().next().is_none() || p.first().is_some_and(|n| n == "escalate") {
            assert!(help.contains("Example"), "hcp {} --help has no example:\n{help}", p.join(" "));
        }
        text.push_str(&format!("$ hcp {} --help\n{help}\n", p.join(" ")));
    }
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/snapshots/help.txt");
    if std::env::var_os("HCP_UPDATE_SNAPSHOTS").is_some() {
        std::fs::create_dir_all(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/snapshots")).unwrap();
        std::fs::write(path, &text).unwrap();
    }
    assert!(!text.contains("SPEC"), "the help speaks of the specification, not to the user");
    let want = std::fs::read_to_string(path).expect("snapshot missing: run HCP_UPDATE_SNAPSHOTS=1 cargo test help");
    if want != text {
        let first = want.lines().zip(text.lines()).position(|(a, b)| a != b).unwrap_or(0);
        panic!(
            "the --help tree changed (first difference at line {}):\n  snapshot: {:?}\n  now:      {:?}\nIf intended: HCP_UPDATE_SNAPSHOTS=1 cargo test help",
            first + 1,
            want.lines().nth(first),
            text.lines().nth(first)
        );
    }
}

/// Every command has a one-line description and every flag and argument says what it is for.
#[test]
fn every_command_and_flag_is_described() {
    fn walk(cmd: &clap::Command, path: &str, missing: &mut Vec<String>) {
        for sub in cmd.get_subcommands() {
            let p = format!("{path} {}", sub.get_name());
            if sub.get_about().is_none() {
                missing.push(format!("{p}: no description"));
            }
            for a in sub.get_arguments() {
                let global = ["db", "json", "user", "color", "help", "version"].contains(&a.get_id().as_str());
                if a.get_help().is_none() && !global {
                    missing.push(format!("{p} --{}: no help", a.get_id()));
                }
            }
            walk(sub, &p, missing);
        }
    }
    let mut missing = Vec::new();
    walk(&hcp::cli::Cli::command(), "hcp", &mut missing);
    assert!(missing.is_empty(), "undescribed:\n{}", missing.join("\n"));
}
