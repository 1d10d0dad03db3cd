//! Benchmark (not a test): native `check` time on the cost files of
//! `bench/cost_files.rs`, which try to make one file cost minutes. Prints each
//! file's size and time and the worst time. The per-file budget aims at < 1 s.
//! Usage: cargo run --release --example bench_cost [NAME-PART]   (or: bash bench/cost.sh)
//! With NAME-PART, only the cost files whose name holds it.
use std::time::Instant;

#[path = "../bench/cost_files.rs"]
mod cost_files;

fn main() {
    let only = std::env::args().nth(1).unwrap_or_default();
    let mut worst = (0.0f64, "");
    for (name, make) in cost_files::all().into_iter().filter(|(name, _)| name.contains(only.as_str())) {
        let bytes = make();
        let start = Instant::now();
        let report = thinktwice::check(&bytes, name, &thinktwice::CheckOptions::default());
        let secs = start.elapsed().as_secs_f64();
        let skipped = report.findings.iter().any(|f| f.id == thinktwice::FindingId::UnreadableData);
        println!(
            "{name:40} {:>9.1} KB  {:>8.3} s  {}",
            bytes.len() as f64 / 1024.0,
            secs,
            if skipped { "reports unread parts" } else { "nothing reported unread" }
        );
        if secs > worst.0 {
            worst = (secs, name);
        }
    }
    println!("worst: {:.3} s ({})", worst.0, worst.1);
}
