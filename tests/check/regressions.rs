//! Replays every file in tests/regressions/ (crashes once found by fuzzing):
//! each must now get a report or a plain error, and a safer copy or a plain refusal.
#![cfg(not(target_arch = "wasm32"))] // native only: reads files, runs the CLI

#[test]
fn regression_files_get_an_answer() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/regressions");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "md") {
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
        let report = thinktwice::check(&bytes, "regression", &thinktwice::CheckOptions::default());
        assert!(serde_json::to_string(&report).is_ok(), "{}", path.display());
        // A safer copy, plain and with a box covered: a copy or a plain refusal, never a panic.
        let mut options = thinktwice::CleanOptions::default();
        let _ = thinktwice::clean(&bytes, &options);
        options.cover.push(thinktwice::CoverBox { x: 1, y: 1, w: 24, h: 16 });
        let _ = thinktwice::clean(&bytes, &options);
        n += 1;
    }
    println!("{n} regression files replayed");
}
