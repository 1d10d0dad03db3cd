//! Native timing of `thinktwice::check` over a folder of photos (used by
//! `bench/run.sh`; not a test). Prints median and p95 milliseconds per file.
//! Usage: cargo run --release --example bench_native -- DIR
use std::time::Instant;

/// Repeats a call until at least this long has passed, for a stable mean.
const MIN_MS_PER_FILE: f64 = 20.0;
const MAX_REPS: u32 = 200;

fn main() {
    let dir = std::env::args().nth(1).expect("usage: bench_native DIR");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("cannot read the folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    paths.sort();
    let mut times = Vec::new();
    for path in &paths {
        let bytes = std::fs::read(path).expect("cannot read a file");
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let options = thinktwice::CheckOptions::default();
        std::hint::black_box(thinktwice::check(&bytes, &name, &options)); // warm-up
        let start = Instant::now();
        let mut reps = 0;
        while reps < MAX_REPS && (reps == 0 || start.elapsed().as_secs_f64() * 1000.0 < MIN_MS_PER_FILE) {
            std::hint::black_box(thinktwice::check(std::hint::black_box(&bytes), &name, &options));
            reps += 1;
        }
        times.push(start.elapsed().as_secs_f64() * 1000.0 / reps as f64);
    }
    times.sort_by(|a, b| a.total_cmp(b));
    println!(
        "native  thinktwice::check  files {:>4}  median {:>9.4} ms  p95 {:>9.4} ms",
        times.len(),
        percentile(&times, 0.5),
        percentile(&times, 0.95)
    );
}

/// Nearest-rank percentile of sorted values.
fn percentile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}
