//! The real place table (www/geo/places.bin, built by scripts/build-geo.sh)
//! against independent truth: a linear scan with a separately written
//! haversine. Skips with a message when the table has not been built.
#![cfg(not(target_arch = "wasm32"))] // native only: reads files, runs the CLI

use crate::common;

use std::time::Instant;
use thinktwice::geo::{default_path, PlaceTable};

fn load() -> Option<PlaceTable> {
    let path = default_path();
    if !path.exists() {
        common::tool_missing("geo_table", &format!("place table {}", path.display()), "bash scripts/build-geo.sh");
        return None;
    }
    let bytes = std::fs::read(&path).expect("read place table");
    let started = Instant::now();
    let table = PlaceTable::from_bytes(&bytes).expect("valid place table");
    println!(
        "place table: {} places, {} bytes, parsed + indexed in {:.1} ms",
        table.len(),
        bytes.len(),
        started.elapsed().as_secs_f64() * 1e3
    );
    Some(table)
}

use common::{independent_haversine_km, Rng};

/// Points spread evenly over the sphere, plus points a few km from real places
/// (where nearest-neighbour mistakes would actually show).
fn test_points(table: &PlaceTable, n: usize) -> Vec<(f64, f64)> {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let coords: Vec<(f64, f64)> = table.coordinates().collect();
    let mut pts = Vec::with_capacity(n);
    for i in 0..n {
        if i % 2 == 0 {
            let lat = (2.0 * rng.unit() - 1.0).asin().to_degrees();
            pts.push((lat, 360.0 * rng.unit() - 180.0));
        } else {
            let (lat, lon) = coords[(rng.unit() * coords.len() as f64) as usize % coords.len()];
            let lat = (lat + 0.1 * (rng.unit() - 0.5)).clamp(-90.0, 90.0);
            let mut lon = lon + 0.1 * (rng.unit() - 0.5);
            if lon > 180.0 {
                lon -= 360.0;
            } else if lon < -180.0 {
                lon += 360.0;
            }
            pts.push((lat, lon));
        }
    }
    // Edge cases: poles, the date line, null island.
    pts.extend([(90.0, 0.0), (-90.0, 0.0), (0.0, 180.0), (0.0, -180.0), (0.0, 0.0), (51.9, 179.99)]);
    pts
}

#[test]
fn nearest_equals_brute_force() {
    let Some(table) = load() else { return };
    let coords: Vec<(f64, f64)> = table.coordinates().collect();
    let points = test_points(&table, 400);
    for &(lat, lon) in &points {
        let got = table.nearest(lat, lon).expect("valid point has a nearest place");
        let (mut best_d, mut best_i) = (f64::INFINITY, 0);
        for (i, &(plat, plon)) in coords.iter().enumerate() {
            let d = independent_haversine_km(lat, lon, plat, plon);
            if d < best_d {
                (best_d, best_i) = (d, i);
            }
        }
        let got_d = independent_haversine_km(lat, lon, got.lat, got.lon);
        // Same distance (ties between places at equal distance are fine).
        assert!(
            (got_d - best_d).abs() <= 1e-6 + 1e-9 * best_d,
            "({lat}, {lon}): got {got:?} at {got_d} km, brute force {:?} at {best_d} km",
            table.place(best_i, best_d)
        );
        // The reported distance agrees with the independent haversine.
        assert!(
            (got.distance_km - got_d).abs() <= 0.01 * got_d.max(0.001),
            "distance {} vs independent {got_d}",
            got.distance_km
        );
    }
    println!("nearest == brute force for {} points", points.len());
}

#[test]
fn bhopal() {
    let Some(table) = load() else { return };
    let p = table.nearest(23.2599, 77.4126).unwrap();
    println!("23.2599 N 77.4126 E -> {} ({}, {}) {:.2} km", p.name, p.admin1, p.country_code, p.distance_km);
    assert_eq!(p.country_code, "IN");
    assert_eq!(p.admin1, "Madhya Pradesh");
    assert!(p.name.contains("Bhopal"), "{p:?}");
    assert!(p.distance_km < 5.0);
    assert!(table.info().contains("GeoNames") && table.info().contains("CC BY"));
}

#[test]
fn lookup_time() {
    let Some(table) = load() else { return };
    let points = test_points(&table, 20_000);
    let started = Instant::now();
    let mut total = 0.0;
    for &(lat, lon) in &points {
        total += table.nearest(lat, lon).map_or(0.0, |p| p.distance_km);
    }
    let per = started.elapsed().as_secs_f64() / points.len() as f64;
    // Printed, not asserted: this build may be unoptimised and the machine shared.
    println!("lookup: {:.1} µs per nearest() over {} points (checksum {total:.0})", per * 1e6, points.len());
}
