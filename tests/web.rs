//! Browser unit tests: the library compiled to wasm32 and run in headless
//! Chromium (`wasm-pack test --headless --chrome --mode no-install`). They
//! check that `check` behaves in wasm as it does natively and that bad input
//! never leaves the module unusable. Native `cargo test` skips this file.
#![cfg(target_arch = "wasm32")]

#[path = "fixtures/mod.rs"]
mod fixtures;

use thinktwice::{check, CheckOptions, Report};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn run(bytes: &[u8], name: &str) -> Report {
    check(bytes, name, &CheckOptions::default())
}

#[wasm_bindgen_test]
fn gps_jpeg_reports_format() {
    let report = run(&fixtures::gps_jpeg(), "gps.jpg");
    assert_eq!(report.file, "gps.jpg");
    assert_eq!(report.format.name(), "JPEG");
    assert!(report.error.is_none(), "unexpected error: {:?}", report.error);
}

// Needs the JPEG walker (image size from SOF).
#[wasm_bindgen_test]
fn gps_jpeg_reports_image_size() {
    let report = run(&fixtures::gps_jpeg(), "gps.jpg");
    let size = report.image.expect("image size");
    assert_eq!((size.width, size.height), (64, 48));
}

// Needs the JPEG walker, the EXIF reader and the gps-location rule.
#[wasm_bindgen_test]
fn gps_jpeg_reports_location() {
    let report = run(&fixtures::gps_jpeg(), "gps.jpg");
    let ids: Vec<&str> = report.findings.iter().map(|f| f.id.as_str()).collect();
    assert!(ids.contains(&"gps-location"), "findings: {ids:?}");
    let loc = report.location.expect("location");
    assert!((loc.lat - fixtures::GPS_LAT).abs() < 1e-5, "lat {}", loc.lat);
    assert!((loc.lon - fixtures::GPS_LON).abs() < 1e-5, "lon {}", loc.lon);
}

#[wasm_bindgen_test]
fn bad_input_then_good_input() {
    let garbage = run(&fixtures::garbage(), "garbage.bin");
    assert!(garbage.error.is_some(), "garbage must get a plain error");
    assert!(garbage.findings.is_empty());

    let empty = run(&[], "empty.jpg");
    assert!(empty.error.is_some(), "an empty file must get a plain error");

    // Truncated JPEG: every prefix must come back without a trap.
    let good = fixtures::gps_jpeg();
    for cut in [3, 4, 20, 100, good.len() / 2, good.len() - 1] {
        let _ = run(&good[..cut], "cut.jpg");
    }

    let again = run(&good, "gps.jpg");
    assert_eq!(again.format.name(), "JPEG");
    assert!(again.error.is_none(), "unexpected error: {:?}", again.error);
}

/// The exported JS entry point returns a plain, JSON-safe object (not a Map).
#[wasm_bindgen_test]
fn js_entry_point_returns_plain_object() {
    use wasm_bindgen::JsCast;
    let value = thinktwice::wasm::core::check(&fixtures::plain_jpeg(8, 8), "plain.jpg").expect("a report");
    let object: js_sys::Object = value.dyn_into().expect("a plain object");
    let format = js_sys::Reflect::get(&object, &"format".into()).expect("format key");
    assert_eq!(format.as_string().as_deref(), Some("JPEG"));
    let json = js_sys::JSON::stringify(&object).expect("JSON-safe").as_string().unwrap_or_default();
    assert!(json.contains("\"file\":\"plain.jpg\""), "{json}");
    assert!(json.contains("\"findings\":["), "{json}");
}

#[wasm_bindgen_test]
fn version_is_the_crate_version() {
    assert_eq!(thinktwice::wasm::core::version(), env!("CARGO_PKG_VERSION"));
}
