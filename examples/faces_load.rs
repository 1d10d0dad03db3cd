//! Native timing of loading face models (not a test): for each file, the median over 7 runs of
//! expanding a packed model (src/faces/packed.rs; 0 for plain ONNX), of the whole
//! `Detector::from_bytes` (expansion + rten parse), and of the first search on a 640×480 grey
//! picture (rten prepares its weights then). Used for bench/faces/README.md, "Packed weights".
//! Usage: RTEN_NUM_THREADS=1 cargo run --release --example faces_load -- MODEL...
use std::time::Instant;
use thinktwice::faces::{packed, Detector};

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn ms(start: Instant) -> f64 {
    start.elapsed().as_secs_f64() * 1000.0
}

fn main() {
    let grey = vec![128u8; 640 * 480 * 3];
    for path in std::env::args().skip(1) {
        let bytes = std::fs::read(&path).expect("cannot read the model");
        let (mut expand, mut load, mut first) = (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..7 {
            let start = Instant::now();
            if packed::is_packed(&bytes) {
                std::hint::black_box(packed::expand(&bytes).expect("model expands"));
            }
            expand.push(ms(start));
            let start = Instant::now();
            let det = Detector::from_bytes(bytes.clone()).expect("model loads");
            load.push(ms(start));
            let start = Instant::now();
            std::hint::black_box(det.detect_rgb(&grey, 640, 480).expect("search"));
            first.push(ms(start));
        }
        println!(
            "{path}: {} bytes; expand {:.1} ms, load (expand + parse) {:.1} ms, first search 640x480 {:.0} ms (medians of 7)",
            bytes.len(),
            median(expand),
            median(load),
            median(first)
        );
    }
}
