//! The command line: JSON array in argument order, errors as reports, exit code 0.
#![cfg(not(target_arch = "wasm32"))] // native only: reads files, runs the CLI

use crate::common;
use std::process::Command;

fn run(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_thinktwice")).args(args).output().unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn check_json_prints_one_report_per_file_in_order() {
    let dir = std::env::temp_dir().join(format!("tt-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let photo = dir.join("camera.jpg");
    std::fs::write(&photo, common::camera_jpeg(23.2599, 77.4126)).unwrap();
    let text = dir.join("notes.txt");
    std::fs::write(&text, b"just some text, not a photo").unwrap();
    let missing = dir.join("missing.jpg");

    let (code, out) = run(&["check", "--json", "--no-faces", photo.to_str().unwrap(), text.to_str().unwrap(), missing.to_str().unwrap()]);
    assert_eq!(code, 0);
    let reports: serde_json::Value = serde_json::from_str(&out).unwrap();
    let reports = reports.as_array().unwrap();
    assert_eq!(reports.len(), 3);
    assert_eq!(reports[0]["file"], "camera.jpg");
    assert_eq!(reports[0]["format"], "JPEG");
    assert!(reports[0]["error"].is_null());
    assert!((reports[0]["location"]["lat"].as_f64().unwrap() - 23.2599).abs() < 1e-4);
    assert!((reports[0]["location"]["lon"].as_f64().unwrap() - 77.4126).abs() < 1e-4);
    let ids: Vec<&str> = reports[0]["findings"].as_array().unwrap().iter().map(|f| f["id"].as_str().unwrap()).collect();
    for id in ["gps-location", "person-name", "device-serial", "device-model", "capture-time"] {
        assert!(ids.contains(&id), "missing {id} in {ids:?}");
    }
    assert_eq!(reports[0]["risk"], "high");
    assert_eq!(reports[0]["image"]["width"], 16);
    assert_eq!(reports[1]["file"], "notes.txt");
    assert!(reports[1]["error"].as_str().unwrap().contains("not a photo format"));
    assert_eq!(reports[2]["file"], "missing.jpg");
    assert!(reports[2]["error"].as_str().unwrap().contains("Could not open"));
}

#[test]
fn bad_arguments_exit_with_2() {
    assert_eq!(run(&["check"]).0, 2);
    assert_eq!(run(&["frobnicate"]).0, 2);
    assert_eq!(run(&["check", "--bogus", "x"]).0, 2);
}

#[test]
fn readable_summary_names_what_was_found() {
    let dir = std::env::temp_dir().join(format!("tt-cli-sum-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let photo = dir.join("camera.jpg");
    std::fs::write(&photo, common::camera_jpeg(-33.5, 151.2)).unwrap();
    let (code, out) = run(&["check", photo.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert!(out.contains("camera.jpg (JPEG)"), "{out}");
    assert!(out.contains("-33.5"), "{out}");
}

/// The place table is loaded once the first photo with coordinates turns up;
/// that photo is then named too, and its evidence reads like any later one's.
#[test]
fn check_names_the_place_for_the_first_and_later_photos() {
    if !thinktwice::geo::default_path().exists() {
        let table = format!("place table {}", thinktwice::geo::default_path().display());
        common::tool_missing("cli places", &table, "bash scripts/build-geo.sh");
        return;
    }
    let dir = std::env::temp_dir().join(format!("tt-cli-places-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let first = dir.join("first.jpg");
    let second = dir.join("second.jpg");
    std::fs::write(&first, common::camera_jpeg(23.2599, 77.4126)).unwrap();
    std::fs::write(&second, common::camera_jpeg(23.2599, 77.4126)).unwrap();
    let (code, out) = run(&["check", "--json", "--no-faces", "--no-codes", first.to_str().unwrap(), second.to_str().unwrap()]);
    assert_eq!(code, 0);
    let reports: serde_json::Value = serde_json::from_str(&out).unwrap();
    for report in reports.as_array().unwrap() {
        assert_eq!(report["location"]["place"]["name"], "Bhopal", "{report}");
    }
    let evidence = |r: &serde_json::Value| {
        r["findings"].as_array().unwrap().iter().find(|f| f["id"] == "gps-location").unwrap()["evidence"].clone()
    };
    assert_eq!(evidence(&reports[0]), evidence(&reports[1]));
    std::fs::remove_dir_all(&dir).ok();
}
