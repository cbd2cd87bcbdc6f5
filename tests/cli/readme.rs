//! The README's "A day at the desk" runs exactly as written, top to bottom, on a fresh database:
//! every command exits 0, or 3 where its comment says so.

/// The ```sh block under "## A day at the desk", as logical lines (continuations joined).
fn desk_block() -> Vec<String> {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let section = readme.split("## A day at the desk").nth(1).expect("the README has the section");
    let block = section.split("```sh\n").nth(1).and_then(|b| b.split("```").next()).expect("a sh block");
    let mut lines: Vec<String> = Vec::new();
    let mut continuing = false;
    for line in block.lines() {
        let t = line.trim();
        if t.starts_with('#') {
            // A comment line belongs to the command above it (e.g. "exit 3").
            if let Some(last) = lines.last_mut() {
                last.push_str("  ");
                last.push_str(t);
            }
            continue;
        }
        if t.is_empty() {
            continue;
        }
        match (continuing, lines.last_mut()) {
            (true, Some(last)) => {
                last.pop();
                last.push(' ');
                last.push_str(t);
            }
            _ => lines.push(t.to_string()),
        }
        continuing = t.ends_with('\\');
    }
    lines
}

#[test]
fn a_day_at_the_desk_runs_as_written() {
    let lines = desk_block();
    assert!(lines.len() > 20, "{lines:?}");
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("examples")).unwrap();
    std::fs::copy(
        concat!(env!("CARGO_MANIFEST_DIR"), "/examples/packages.csv"),
        dir.path().join("examples/packages.csv"),
    )
    .unwrap();
    let mut script = String::from("set -u\n");
    for (n, line) in lines.iter().enumerate() {
        // A comment starts at " #" (no command in the block holds a #).
        let command = line.split(" #").next().unwrap().trim();
        assert!(!command.contains('#'), "{command}");
        let want = if line.contains("exit 3") { 3 } else { 0 };
        script.push_str(&format!(
            "{command} > out{n}.txt 2>&1; rc=$?; if [ $rc -ne {want} ]; then echo \"line {n}: exit $rc, wanted {want}: {}\"; cat out{n}.txt; exit 1; fi\n",
            command.replace('"', "'").replace('$', "\\$")
        ));
    }
    let bin = std::path::Path::new(env!("CARGO_BIN_EXE_hcp")).parent().unwrap().to_path_buf();
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default());
    let out = std::process::Command::new("bash")
        .arg("-c")
        .arg(&script)
        .current_dir(dir.path())
        .env("PATH", path)
        .env_remove("HCP_DB")
        .env_remove("HCP_NOW")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    // It really did the day: the referral is placed and the log is whole.
    let shown = std::fs::read_to_string(dir.path().join(format!("out{}.txt", lines.len() - 1))).unwrap();
    assert!(shown.contains("The audit log is whole"), "{shown}");
    assert!(dir.path().join("desk-packages.csv").exists());
    let all: String =
        (0..lines.len()).map(|n| std::fs::read_to_string(dir.path().join(format!("out{n}.txt"))).unwrap()).collect();
    for step in
        ["Offer 1 to Alpha Care", "Offer 2 to Beta Care", "Offer 3 to Gamma Care", "Gamma Care accepted referral 1"]
    {
        assert!(all.contains(step), "the day did not go as the README says: {step}");
    }
}
