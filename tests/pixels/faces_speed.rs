//! Times the face detector on a 12 MP JPEG (4000×3000, made here by upscaling a corpus group
//! photo), split into decode and search. `#[ignore]`d: meaningful only in an optimised build:
//! `cargo test --release --test pixels -- --ignored --nocapture faces_speed::`.
//! Skips with a message when the corpus or model is absent.
#![cfg(not(target_arch = "wasm32"))] // native only: reads files, runs the CLI
#![cfg(feature = "faces")]

use crate::common;

use std::path::PathBuf;
use std::time::Instant;
use thinktwice::faces::{self, Detector};

#[test]
#[ignore = "timing: run in release"]
fn twelve_megapixel_jpeg_decode_and_search() {
    let corpus = std::env::var_os("THINKTWICE_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"));
    let Ok(src) = std::fs::read(corpus.join("faces/images/dlib_2007_007763.jpg")) else {
        eprintln!("skipped: face corpus not found (set THINKTWICE_CORPUS)");
        return;
    };
    let Ok(model) = std::fs::read(faces::default_model_path()) else {
        common::tool_missing("faces_speed", "face model", "bash scripts/fetch-models.sh");
        return;
    };
    let det = Detector::from_bytes(model).expect("model loads");
    let big = image::load_from_memory(&src).unwrap().resize_exact(
        4000,
        3000,
        image::imageops::FilterType::Triangle,
    );
    let mut jpeg = Vec::new();
    big.write_to(
        &mut std::io::Cursor::new(&mut jpeg),
        image::ImageFormat::Jpeg,
    )
    .unwrap();

    let mut decode_ms = Vec::new();
    let mut search_ms = Vec::new();
    let mut found = 0;
    for _ in 0..3 {
        let t = Instant::now();
        let rgb = faces::decode_upright(&jpeg, 1).unwrap();
        decode_ms.push(t.elapsed().as_secs_f64() * 1e3);
        let t = Instant::now();
        found = det
            .detect_rgb(rgb.as_raw(), rgb.width(), rgb.height())
            .unwrap()
            .len();
        search_ms.push(t.elapsed().as_secs_f64() * 1e3);
    }
    // What the browser path hands over: a bitmap already scaled to the detector size.
    let small = image::load_from_memory(&jpeg)
        .unwrap()
        .resize(640, 640, image::imageops::FilterType::Triangle)
        .into_rgb8();
    if let Some(path) = std::env::var_os("THINKTWICE_FACE_WRITE_RGBA") {
        // Input for bench/faces/wasm-bench.mjs (node has no image decoder).
        let rgba = image::DynamicImage::ImageRgb8(small.clone()).into_rgba8();
        std::fs::write(&path, rgba.as_raw()).unwrap();
        println!(
            "wrote {}x{} RGBA to {:?}",
            small.width(),
            small.height(),
            path
        );
    }
    let mut small_ms = Vec::new();
    for _ in 0..3 {
        let t = Instant::now();
        det.detect_rgb(small.as_raw(), small.width(), small.height())
            .unwrap();
        small_ms.push(t.elapsed().as_secs_f64() * 1e3);
    }
    let min = |v: &[f64]| v.iter().cloned().fold(f64::INFINITY, f64::min);
    println!(
        "search on a {}x{} bitmap: {:.0} ms",
        small.width(),
        small.height(),
        min(&small_ms)
    );
    println!(
        "12 MP JPEG ({} KB): decode {:.0} ms, search (resize + {:?} {} px + NMS) {:.0} ms, {} faces (7 labelled)",
        jpeg.len() / 1024,
        min(&decode_ms),
        det.kind(),
        det.settings.long_side,
        min(&search_ms),
        found
    );
    // The same photo with one look only (the detector before issue #22), side by side.
    let shipped = det.settings;
    let mut det = det;
    det.settings.mirrored_look = false;
    det.settings.crowd_long_side = None;
    let rgb = faces::decode_upright(&jpeg, 1).unwrap();
    let mut one_ms = Vec::new();
    for _ in 0..3 {
        let t = Instant::now();
        det.detect_rgb(rgb.as_raw(), rgb.width(), rgb.height()).unwrap();
        one_ms.push(t.elapsed().as_secs_f64() * 1e3);
    }
    println!(
        "12 MP search, one look (before #22) → as shipped (mirrored look {}, crowd look {:?}): {:.0} → {:.0} ms",
        shipped.mirrored_look,
        shipped.crowd_long_side,
        min(&one_ms),
        min(&search_ms)
    );
    assert!(
        found >= 6,
        "faces found in the upscaled group photo: {found}"
    );
}
