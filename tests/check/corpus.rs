//! Compares ThinkTwice's reports on the shared metadata corpus with the facts
//! ExifTool found (`expected.json`), fact by fact. Skips, saying so, when the
//! corpus is not beside the project.
#![cfg(not(target_arch = "wasm32"))] // native only: reads files, runs the CLI

use crate::common;

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::PathBuf;
use thinktwice::{check, CheckOptions, Report};

fn corpus_dir() -> Option<PathBuf> {
    common::corpus_part("metadata", "expected.json")
}

/// The formats the foundation promises to read (others need only an answer).
const READ_FORMATS: &[&str] = &["JPEG", "PNG", "WEBP", "Extended WEBP", "HEIC", "HEIF", "AVIF", "TIFF", "DNG", "GIF", "MPO"];

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.trim().to_string(),
        other => other.to_string(),
    }
}

/// The expected values of a fact: ExifTool gives lists for repeated values.
fn texts(v: &Value) -> Vec<String> {
    match v {
        Value::Array(items) => items.iter().map(text).collect(),
        other => vec![text(other)],
    }
}

fn evidence_values<'r>(r: &'r Report, ids: &[&str]) -> Vec<&'r str> {
    r.findings.iter().filter(|f| ids.contains(&f.id.as_str())).flat_map(|f| f.evidence.iter().map(|e| e.value.as_str())).collect()
}

fn has(r: &Report, id: &str) -> bool {
    r.findings.iter().any(|f| f.id.as_str() == id)
}

fn normalise(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// True when some evidence value contains the expected value (whitespace folded).
/// ExifTool prints undecodable characters as '?', so only ASCII is compared.
fn found_in(values: &[&str], expected: &str) -> bool {
    let ascii = |s: &str| normalise(&s.chars().filter(|c| c.is_ascii() && *c != '?').collect::<String>());
    let want = ascii(expected);
    values.iter().any(|v| ascii(v).contains(&want))
}

/// Camera defaults such as an owner name of "unknown" name nobody; ThinkTwice
/// deliberately does not show them as a person's name.
fn names_nobody(value: &str) -> bool {
    matches!(value.trim().to_ascii_lowercase().as_str(), "unknown" | "" | "none")
}

#[derive(Default)]
struct Tally {
    checked: BTreeMap<&'static str, usize>,
    failures: Vec<String>,
}

impl Tally {
    fn fact(&mut self, kind: &'static str, ok: bool, file: &str, detail: String) {
        *self.checked.entry(kind).or_default() += 1;
        if !ok {
            self.failures.push(format!("{file}: {kind}: {detail}"));
        }
    }
}

#[test]
fn corpus_facts_match_exiftool() {
    let Some(dir) = corpus_dir() else {
        eprintln!("SKIPPED corpus_facts_match_exiftool: ../shared/corpus/metadata not found (set THINKTWICE_CORPUS)");
        return;
    };
    let expected: BTreeMap<String, Value> =
        serde_json::from_str(&std::fs::read_to_string(dir.join("expected.json")).unwrap()).unwrap();
    let mut t = Tally::default();
    for (name, exp) in &expected {
        let bytes = std::fs::read(dir.join("files").join(name)).unwrap();
        let r = check(&bytes, name, &CheckOptions::default());
        let file_type = exp["file_type"].as_str().unwrap_or("");
        if name.starts_with("malformed_") || !READ_FORMATS.contains(&file_type) {
            continue; // only needs an answer, which check() always gives
        }
        t.fact("readable", r.error.is_none(), name, format!("error {:?}", r.error));

        if exp["has_gps"] == Value::Bool(true) {
            let (lat, lon) = (exp["lat"].as_f64().unwrap(), exp["lon"].as_f64().unwrap());
            let ok = r.location.as_ref().is_some_and(|l| (l.lat - lat).abs() <= 1e-4 && (l.lon - lon).abs() <= 1e-4);
            t.fact("gps position", ok && has(&r, "gps-location"), name, format!("want {lat},{lon} got {:?}", r.location));
        } else {
            t.fact("no position", r.location.is_none(), name, format!("got {:?}", r.location));
        }
        if exp["gps_placeholder_only"] == Value::Bool(true) {
            t.fact("gps hidden", has(&r, "gps-hidden"), name, "no gps-hidden".into());
        }
        let serials = evidence_values(&r, &["device-serial"]);
        for (tag, v) in exp["serial_numbers"].as_object().unwrap() {
            for v in texts(v) {
                t.fact("serial", found_in(&serials, &v), name, format!("{tag}={v}"));
            }
        }
        let people = evidence_values(&r, &["person-name", "contact-info"]);
        for (tag, v) in exp["names"].as_object().unwrap() {
            for v in texts(v).into_iter().filter(|v| !names_nobody(v)) {
                t.fact("name", found_in(&people, &v), name, format!("{tag}={v}"));
            }
        }
        let contact = evidence_values(&r, &["contact-info"]);
        for (tag, v) in exp["creator_contact"].as_object().unwrap() {
            for v in texts(v) {
                t.fact("contact", found_in(&contact, &v), name, format!("{tag}={v}"));
            }
        }
        let tagged = evidence_values(&r, &["tagged-people"]);
        for v in exp["xmp_region_person_names"].as_array().unwrap() {
            t.fact("tagged person", found_in(&tagged, &text(v)), name, text(v));
        }
        let thumbs_present = exp["embedded_thumbnails"].as_array().unwrap().iter().any(|e| e["data_present"] == Value::Bool(true));
        if thumbs_present {
            t.fact("thumbnail", has(&r, "embedded-thumbnail"), name, "no embedded-thumbnail".into());
        }
        let places = evidence_values(&r, &["place-name"]);
        for (tag, v) in exp["location_text"].as_object().unwrap() {
            if tag.ends_with("City") {
                for v in texts(v) {
                    t.fact("city", found_in(&places, &v), name, format!("{tag}={v}"));
                }
            }
        }
        if !exp["datetime_original"].is_null() {
            t.fact("capture time", has(&r, "capture-time"), name, "no capture-time".into());
        }
        if !exp["comments"].as_object().unwrap().is_empty() {
            t.fact("comment", has(&r, "comment") || has(&r, "text-data"), name, format!("{}", exp["comments"]));
        }
        if exp["has_makernote"] == Value::Bool(true) {
            t.fact("maker notes", has(&r, "maker-notes"), name, "no maker-notes".into());
        }
        if exp["has_secondary_images"] == Value::Bool(true) {
            t.fact("hidden media", has(&r, "hidden-media"), name, "no hidden-media".into());
        }
        if !exp["unique_ids"].as_object().unwrap().is_empty() {
            t.fact("unique id", has(&r, "unique-id"), name, "no unique-id".into());
        }
        let fields: Vec<&str> = r.findings.iter().flat_map(|f| f.evidence.iter().map(|e| e.field.as_str())).collect();
        for k in exp["png_text_keys"].as_array().unwrap() {
            let k = text(k);
            if k == "XML:com.adobe.xmp" || k.starts_with("Raw profile type") {
                continue;
            }
            t.fact("png keyword", fields.contains(&k.as_str()), name, k.clone());
        }
    }
    println!("facts checked, by kind:");
    for (kind, n) in &t.checked {
        let failed = t.failures.iter().filter(|f| f.contains(&format!(": {kind}: "))).count();
        println!("  {kind:15} {:4} checked {:4} failed", n, failed);
    }
    for f in &t.failures {
        println!("FAIL {f}");
    }
    assert!(t.failures.is_empty(), "{} corpus facts failed (listed above)", t.failures.len());
}

#[test]
fn every_corpus_file_gets_an_answer() {
    let Some(dir) = corpus_dir() else {
        eprintln!("SKIPPED every_corpus_file_gets_an_answer: corpus not found");
        return;
    };
    for entry in std::fs::read_dir(dir.join("files")).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let r = check(&bytes, &name, &CheckOptions::default());
        // Either a report or a plain error: the JSON must always serialise.
        assert!(serde_json::to_string(&r).is_ok(), "{name}");
        if let Some(e) = &r.error {
            assert!(!e.is_empty() && !e.contains("panicked"), "{name}: {e}");
        }
    }
}
