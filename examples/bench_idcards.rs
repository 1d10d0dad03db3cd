//! Benchmark (not a test): what reading an Aadhaar card's code adds to a photo's
//! code check. Times `find_codes` on the same picture with UIDAI's Secure QR
//! sample and with a QR of the same size holding a long number that is not a
//! card (same version, same module size), and `classify` alone on both texts.
//! Usage: cargo run --release --example bench_idcards [-- PATH/TO/uidai_secure_qr_sample.txt]
use rxing::{BarcodeFormat, EncodeHints, MultiFormatWriter, Writer};
use std::time::Instant;

fn main() {
    let path = std::env::args().nth(1).map(std::path::PathBuf::from).unwrap_or_else(|| {
        let corpus = std::env::var_os("THINKTWICE_CORPUS")
            .map(std::path::PathBuf::from)
            .unwrap_or_else(|| std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"));
        corpus.join("ids/uidai_secure_qr_sample.txt")
    });
    let Ok(card) = std::fs::read_to_string(&path) else {
        eprintln!("no sample at {} (pass its path, or set THINKTWICE_CORPUS)", path.display());
        std::process::exit(2);
    };
    let card = card.trim().to_string();
    // Same length, all digits, but not a compressed card payload.
    let other: String = card.bytes().rev().map(|b| char::from(b'0' + (b - b'0' + 3) % 10)).collect();

    println!("{:<28} {:>12} {:>14}", "QR content", "classify µs", "find_codes ms");
    let mut rows = Vec::new();
    for (label, text) in [("Aadhaar Secure QR (sample)", &card), ("other number, same length", &other)] {
        let (pixels, w, h) = render(text, 5);
        let runs = 200;
        let start = Instant::now();
        for _ in 0..runs {
            std::hint::black_box(thinktwice::codes::classify(text));
        }
        let classify_us = start.elapsed().as_secs_f64() * 1e6 / runs as f64;
        let mut best = f64::MAX;
        let mut found = Vec::new();
        for _ in 0..3 {
            let start = Instant::now();
            found = thinktwice::codes::find_codes(&pixels, w, h);
            best = best.min(start.elapsed().as_secs_f64() * 1000.0);
        }
        let kind = found.first().map(|c| format!("{:?}", c.kind)).unwrap_or_else(|| "none read".into());
        println!("{label:<28} {classify_us:>12.1} {best:>14.1}   ({w}×{h}, read as {kind})");
        rows.push(best);
    }
    println!("card code adds {:+.1} ms to the code check of this photo", rows[0] - rows[1]);
}

/// The text as a QR at level L, `px` pixels a module, on a light grey picture with a margin.
fn render(text: &str, px: usize) -> (Vec<u8>, u32, u32) {
    let hints = EncodeHints { Margin: Some("4".into()), ErrorCorrection: Some("L".into()), ..Default::default() };
    let m = MultiFormatWriter.encode_with_hints(text, &BarcodeFormat::QR_CODE, 1, 1, &hints).expect("encodes");
    let n = m.width() as usize;
    let side = n * px + 200;
    let mut gray = vec![200u8; side * side];
    for y in 0..n * px {
        for x in 0..n * px {
            if m.get((x / px) as u32, (y / px) as u32) {
                gray[(y + 100) * side + x + 100] = 30;
            }
        }
    }
    (gray, side as u32, side as u32)
}
