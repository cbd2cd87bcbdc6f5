//! trycmd stories: transcripts of a day at the desk, in tests/cmd/*.trycmd. Each story runs
//! with its own new database and the clock pinned at Monday 23 November 2026, 09:00 (a step
//! moves it with `HCP_NOW=… hcp …`). Refresh with `TRYCMD=overwrite cargo test stories`.

#[test]
fn stories() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/cmd");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "trycmd"))
        .collect();
    files.sort();
    assert!(!files.is_empty());
    // trycmd lets TestCases defaults override a step's own `VAR=value`, so the default clock is
    // set in this process's environment instead, where a step's HCP_NOW=… still wins. Every
    // other test passes HCP_NOW explicitly, so this does not leak into them.
    std::env::set_var("HCP_NOW", "2026-11-23T09:00");
    for file in files {
        let tmp = tempfile::tempdir().unwrap();
        trycmd::TestCases::new()
            .case(&file)
            .env("HCP_DB", tmp.path().join("hcp.sqlite").to_str().unwrap())
            .env("HCP_USER", "po.story")
            .env("COLUMNS", "200")
            .run();
    }
}
