//! Location in words: the report names the nearest place from the shipped
//! GeoNames table. Truth is a brute-force scan of the same table with an
//! independent haversine. Skips (saying so) when the table is not built.
#![cfg(not(target_arch = "wasm32"))] // native only: reads files, runs the CLI

use crate::common;
use std::sync::Arc;
use thinktwice::geo::PlaceTable;
use thinktwice::{check, CheckOptions};

fn options() -> Option<CheckOptions> {
    match PlaceTable::load_default() {
        Ok(t) => Some(CheckOptions { places: Some(Arc::new(t)) }),
        Err(e) => {
            common::tool_missing("location", &format!("place table ({e})"), "bash scripts/build-geo.sh");
            None
        }
    }
}

#[test]
fn bhopal_is_named_in_words() {
    let Some(opts) = options() else { return };
    let r = check(&common::camera_jpeg(23.2599, 77.4126), "bhopal.jpg", &opts);
    let loc = r.location.expect("location");
    let place = loc.place.expect("place");
    assert_eq!(place.name, "Bhopal");
    assert_eq!(place.admin1, "Madhya Pradesh");
    assert_eq!(place.country_code, "IN");
    let gps = r.findings.iter().find(|f| f.id == thinktwice::FindingId::GpsLocation).unwrap();
    assert!(gps.evidence.iter().any(|e| e.value.contains("Bhopal")), "{:?}", gps.evidence);
}

#[test]
fn zeroed_gps_is_hidden_and_has_no_place() {
    let Some(opts) = options() else { return };
    let t = common::tiff(vec![common::ascii(0x010F, "Phone")], vec![], common::gps_entries(0.0, 0.0));
    let r = check(&common::jpeg_with(&[common::exif_app1(&t)], 8, 8), "zero.jpg", &opts);
    assert!(r.location.is_none());
    assert!(r.findings.iter().any(|f| f.id == thinktwice::FindingId::GpsHidden));
    assert!(!r.findings.iter().any(|f| f.id == thinktwice::FindingId::GpsLocation));
}

#[test]
fn corpus_places_are_the_nearest_in_the_table() {
    let Some(opts) = options() else { return };
    let Some(dir) = common::corpus_part("metadata", "expected.json") else {
        eprintln!("SKIPPED: ../shared/corpus not found");
        return;
    };
    let table = opts.places.clone().unwrap();
    let all: Vec<(f64, f64)> = table.coordinates().collect();
    let expected: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(dir.join("expected.json")).unwrap()).unwrap();
    let mut n = 0;
    for (name, exp) in expected.as_object().unwrap() {
        if exp["has_gps"] != true {
            continue;
        }
        let bytes = std::fs::read(dir.join("files").join(name)).unwrap();
        let r = check(&bytes, name, &opts);
        let Some(loc) = r.location else { continue };
        let place = loc.place.expect("a place for every position");
        let best = all.iter().map(|&p| common::independent_haversine_km(loc.lat, loc.lon, p.0, p.1)).fold(f64::INFINITY, f64::min);
        assert!(place.distance_km <= best + 0.1, "{name}: {} at {} km, nearest is {best} km", place.name, place.distance_km);
        assert!((place.distance_km - best).abs() <= best * 0.01 + 0.1, "{name}: distance {} vs {best}", place.distance_km);
        println!("{name}: {}, {}, {} ({:.2} km)", place.name, place.admin1, place.country_code, place.distance_km);
        n += 1;
    }
    assert!(n >= 30, "only {n} corpus positions checked");
}
