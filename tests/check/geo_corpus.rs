//! Sanity check over the real photo corpus: every file with GPS gets a place
//! name, printed for a human to eyeball. Asserted: the place is within 50 km
//! (except listed remote spots), and the country matches the IPTC country
//! where the file has one.
//! Skips with a message when the corpus or the place table is missing.
#![cfg(not(target_arch = "wasm32"))] // native only: reads files, runs the CLI

use crate::common;

use std::path::PathBuf;
use thinktwice::geo::{default_path, PlaceTable};

fn corpus_dir() -> PathBuf {
    match std::env::var_os("THINKTWICE_CORPUS") {
        Some(p) if !p.is_empty() => PathBuf::from(p),
        _ => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"),
    }
}

/// Coordinates with no town within 50 km, each with the reason.
const REMOTE: &[(&str, &str)] = &[
    ("avif_gps_artist_xmp.avif", "7 N 0 E is open sea in the Gulf of Guinea"),
    ("canon_s5is_gps_xmp_iptc_owner.jpg", "Death Valley: no town of 1000+ people within 50 km"),
];

#[test]
fn every_gps_photo_gets_a_nearby_place() {
    let expected_path = corpus_dir().join("metadata/expected.json");
    let Ok(text) = std::fs::read_to_string(&expected_path) else {
        eprintln!("SKIP: {} not found (set THINKTWICE_CORPUS)", expected_path.display());
        return;
    };
    let table_path = default_path();
    let Ok(bytes) = std::fs::read(&table_path) else {
        common::tool_missing("geo_corpus", &format!("place table {}", table_path.display()), "bash scripts/build-geo.sh");
        return;
    };
    let table = PlaceTable::from_bytes(&bytes).expect("valid place table");
    let expected: serde_json::Value = serde_json::from_str(&text).expect("expected.json parses");
    let files = expected.as_object().expect("expected.json is an object");

    let mut checked = 0;
    for (name, facts) in files {
        if facts["has_gps"] != true {
            continue;
        }
        let (Some(lat), Some(lon)) = (facts["lat"].as_f64(), facts["lon"].as_f64()) else {
            panic!("{name}: has_gps without lat/lon");
        };
        let place = table.nearest(lat, lon).unwrap_or_else(|| panic!("{name}: no place for {lat},{lon}"));
        println!(
            "{name:45} {lat:>11.5} {lon:>11.5} -> {}, {}, {} ({:.1} km)",
            place.name, place.admin1, place.country_code, place.distance_km
        );
        if !REMOTE.iter().any(|(r, _)| r == name) {
            assert!(place.distance_km < 50.0, "{name}: nearest place {place:?} is far away");
        }
        check_against_iptc(name, &facts["location_text"], &place);
        checked += 1;
    }
    assert!(checked >= 30, "only {checked} files with GPS in expected.json");
}

/// Where the photographer typed the country in, it must agree with ours. Only
/// the country: typed city/state can be wrong (thompson_springs_*.jpg says
/// Utah while its GPS points at Palisade, Colorado, 110 km away).
fn check_against_iptc(name: &str, location: &serde_json::Value, place: &thinktwice::geo::Place) {
    let country = location["IPTC:Country-PrimaryLocationName"].as_str().unwrap_or("");
    let want_cc = match country {
        "United Kingdom" => Some("GB"),
        "United States" => Some("US"),
        _ => None,
    };
    if let Some(cc) = want_cc {
        assert_eq!(place.country_code, cc, "{name}: {place:?} vs IPTC country {country}");
    }
}
