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

/// The core's `withFaces` / `withCodes` (which read the page's report by hand, as data) join faces
/// and codes exactly as the crate's `add_faces` / `add_codes` do: same findings in the same order,
/// same risk, people count and lists. Checked on a report with a high finding (GPS) and one with
/// only a low one, with faces clear and tiny, and codes of a high and a lower kind.
#[wasm_bindgen_test]
fn core_joins_faces_and_codes_as_the_crate_does() {
    use thinktwice::{add_codes, add_faces, Code, CodeKind, Face};
    let faces = vec![
        Face { x: 10.0, y: 12.0, w: 300.0, h: 320.0, score: 0.9 },
        Face { x: 400.0, y: 20.0, w: 9.0, h: 9.0, score: 0.3 },
    ];
    let code = |kind, summary: &str| Code { format: "qr".into(), kind, x: 1.0, y: 2.0, w: 30.0, h: 30.0, summary: summary.into() };
    let codes = vec![code(CodeKind::Url, "example.org/…"), code(CodeKind::Wifi, "Wi-Fi “home”, password ••••")];
    fn json<T: serde::Serialize>(value: &T) -> String {
        serde_json::to_string(value).unwrap()
    }
    // The report as data, its position compared apart: serde_json reads decimals to the nearest
    // double or one next to it (no `float_roundtrip`), so a coordinate may move by 1e-16 on the
    // way through the core. Everything else must be the same to the letter.
    fn same(joined: &str, native: &thinktwice::Report, what: &str) -> serde_json::Value {
        let mut parsed: serde_json::Value = serde_json::from_str(joined).unwrap();
        let mut expected = serde_json::to_value(native).unwrap();
        let keys: &[&str] = if expected["location"].is_object() { &["lat", "lon"] } else { &[] };
        for &key in keys {
            let (a, b) = (parsed["location"][key].as_f64(), expected["location"][key].as_f64());
            assert!(a.zip(b).is_none_or(|(a, b)| (a - b).abs() < 1e-12), "{what}: {key} {a:?} {b:?}");
            parsed["location"][key].take();
            expected["location"][key].take();
        }
        assert_eq!(parsed, expected, "{what}");
        parsed
    }
    for (bytes, name) in [(fixtures::gps_jpeg(), "gps.jpg"), (fixtures::plain_jpeg(640, 480), "plain.jpg")] {
        let report = run(&bytes, name);
        let mut native = report.clone();
        add_faces(&mut native, faces.clone());
        let joined = thinktwice::wasm::core::with_faces(&json(&report), &json(&faces)).unwrap_or_else(|_| panic!("{name}: faces refused"));
        let parsed = same(&joined, &native, &format!("{name}: faces"));
        assert_eq!(parsed["findings"].as_array().unwrap().iter().filter(|f| f["id"] == "faces").count(), 1);

        add_codes(&mut native, codes.clone());
        let joined = thinktwice::wasm::core::with_codes(&joined, &json(&codes)).unwrap_or_else(|_| panic!("{name}: codes refused"));
        let parsed = same(&joined, &native, &format!("{name}: codes"));
        assert_eq!(parsed["risk"], "high", "{name}: a Wi-Fi password is high");
    }
    // No faces: the list is set, no finding, no count.
    let report = run(&fixtures::plain_jpeg(64, 48), "plain.jpg");
    let joined = thinktwice::wasm::core::with_faces(&json(&report), "[]").unwrap_or_else(|_| panic!("no faces refused"));
    let parsed: serde_json::Value = serde_json::from_str(&joined).unwrap();
    assert_eq!(parsed["faces"], serde_json::json!([]));
    assert!(parsed.get("people").is_none());
    // What is not a report or a list is refused with a sentence, not a trap.
    assert!(thinktwice::wasm::core::with_faces("[1]", "[]").is_err());
    assert!(thinktwice::wasm::core::with_codes(&json(&report), r#"[{"kind":"nonsense"}]"#).is_err());
}


/// geo::trig is libm's sin/cos without the huge-angle code; on wasm32 `f64::sin`/`cos` *are*
/// libm's, so here the bits must be the same for every angle a position can give and beyond
/// (random angles up to 1e6, and numbers a few ulps from multiples of π/2).
#[wasm_bindgen_test]
fn trig_is_the_standard_librarys_on_wasm() {
    use thinktwice::geo::trig::{cos, sin};
    let mut angles = Vec::new();
    for k in 1..=40 {
        let base = f64::from(k) * std::f64::consts::FRAC_PI_2;
        for d in -3i64..=3 {
            let x = f64::from_bits((base.to_bits() as i64 + d) as u64);
            angles.extend([x, -x]);
        }
    }
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    for i in 0..50_000 {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let unit = (state >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0;
        angles.push(unit * [0.8, 3.2, 7.0, 1e6][i % 4]);
    }
    for i in -3600..=3600 {
        angles.push((f64::from(i) / 20.0 + 0.0071).to_radians());
    }
    for x in angles {
        assert_eq!(sin(x).to_bits(), x.sin().to_bits(), "sin({x:e})");
        assert_eq!(cos(x).to_bits(), x.cos().to_bits(), "cos({x:e})");
    }
}
