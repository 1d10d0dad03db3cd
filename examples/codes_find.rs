//! Finds the codes in picture files and prints them with the time
//! `find_codes` took on the grey pixels (decoding the file not counted).
//! Usage: cargo run --release --no-default-features --features codes --example codes_find -- FILE...
use std::time::Instant;

/// Runs per file; the fastest is printed (the first pays for cold caches).
const REPEATS: usize = 3;

fn main() {
    let paths: Vec<String> = std::env::args().skip(1).collect();
    if paths.is_empty() {
        eprintln!("usage: codes_find FILE...");
        std::process::exit(2);
    }
    for path in &paths {
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("{path}: {e}");
                continue;
            }
        };
        let gray = match image::load_from_memory(&bytes) {
            Ok(i) => i.into_luma8(),
            Err(e) => {
                eprintln!("{path}: {e}");
                continue;
            }
        };
        let (w, h) = gray.dimensions();
        let mut best = f64::MAX;
        let mut codes = Vec::new();
        for _ in 0..REPEATS {
            let start = Instant::now();
            codes = thinktwice::codes::find_codes(gray.as_raw(), w, h);
            best = best.min(start.elapsed().as_secs_f64() * 1000.0);
        }
        println!("{path}: {w}×{h}, {best:.1} ms, {} code(s)", codes.len());
        for c in &codes {
            println!("  {} {:?} at ({:.0}, {:.0}) {:.0}×{:.0}: {}", c.format, c.kind, c.x, c.y, c.w, c.h, c.summary);
        }
    }
}
