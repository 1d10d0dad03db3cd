//! Content Credentials (C2PA) on the shared samples, judged by ExifTool's output:
//! every file with a JUMBF manifest store gets the `content-credentials` finding with
//! a signer read from the file and ExifTool's author names; files without one get no
//! signer; a remote manifest link (XMP dcterms:provenance) is reported as a link (the
//! core has no network code, so nothing can be fetched); the safer copy holds no
//! JUMBF/C2PA box (ExifTool on the copy).
//!
//! Skips with a message when the corpus (or, for the copy check, exiftool) is absent.
//! Set THINKTWICE_CORPUS=/work/shared/corpus when the worktree is not next to it.
#![cfg(not(target_arch = "wasm32"))]

use crate::common;

use std::path::PathBuf;
use std::process::Command;
use thinktwice::report::Finding;
use thinktwice::{check, clean, CheckOptions, CleanOptions};

fn corpus() -> Option<PathBuf> {
    let dir = common::corpus_part("c2pa", "README.md");
    if dir.is_none() {
        eprintln!("SKIP: no C2PA corpus (../shared/corpus/c2pa or THINKTWICE_CORPUS)");
    }
    dir
}

struct Sample {
    name: String,
    bytes: Vec<u8>,
    /// ExifTool's JSON as text (it repeats keys with -a, so values are read from lines).
    exiftool: String,
}

fn samples(dir: &PathBuf) -> Vec<Sample> {
    let mut out: Vec<Sample> = std::fs::read_dir(dir.join("files"))
        .expect("files/")
        .map(|e| e.unwrap().path())
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            let exiftool = std::fs::read_to_string(dir.join("exiftool").join(format!("{name}.json"))).expect("exiftool json");
            Sample { bytes: std::fs::read(&p).unwrap(), name, exiftool }
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    assert!(out.len() >= 10, "expected the ten samples");
    out
}

/// All string values of a key (`"Group:Tag"`) in ExifTool's JSON text, arrays flattened.
fn exif_values(json: &str, key: &str) -> Vec<String> {
    let prefix = format!("\"{key}\": ");
    json.lines()
        .filter_map(|l| l.trim().strip_prefix(&prefix))
        .flat_map(|v| match serde_json::from_str::<serde_json::Value>(v.trim_end_matches(',')) {
            Ok(serde_json::Value::Array(a)) => a.iter().filter_map(|x| x.as_str().map(String::from)).collect(),
            Ok(serde_json::Value::String(s)) => vec![s],
            _ => vec![],
        })
        .collect()
}

fn has_manifest(s: &Sample) -> bool {
    exif_values(&s.exiftool, "JUMBF:JUMDLabel").iter().any(|l| l == "c2pa")
}

fn credentials(report: &thinktwice::report::Report) -> Option<&Finding> {
    report.findings.iter().find(|f| f.id == thinktwice::FindingId::ContentCredentials)
}

fn rows<'f>(f: &'f Finding, field: &str) -> Vec<&'f str> {
    f.evidence.iter().filter(|e| e.field == field).map(|e| e.value.as_str()).collect()
}

#[test]
fn manifests_are_reported_with_signer_and_author() {
    let Some(dir) = corpus() else { return };
    let mut with = 0;
    for s in samples(&dir) {
        let report = check(&s.bytes, &s.name, &CheckOptions::default());
        let summary: Vec<String> = report.findings.iter().map(|f| format!("{} {:?}", f.id, f.evidence)).collect();
        if has_manifest(&s) {
            with += 1;
            let f = credentials(&report).unwrap_or_else(|| panic!("{}: no content-credentials finding: {summary:?}", s.name));
            // The signer's certificate subject: its common name is written in the file as text.
            let signers = rows(f, "Signed by");
            assert!(!signers.is_empty(), "{}: no signer", s.name);
            for signer in signers {
                let cn = signer.split(" (").next().unwrap();
                assert!(s.bytes.windows(cn.len()).any(|w| w == cn.as_bytes()), "{}: signer {cn:?} not in the file", s.name);
            }
            // Authors: exactly ExifTool's CreativeWork author names.
            let mut expected = exif_values(&s.exiftool, "JSON:AuthorName");
            expected.dedup();
            let mut authors: Vec<&str> = rows(f, "Author");
            authors.dedup();
            assert_eq!(authors, expected, "{}", s.name);
            // A named author makes the photo risky (person-name), never "none".
            if !expected.is_empty() {
                assert_ne!(format!("{:?}", report.risk).to_lowercase(), "none", "{}", s.name);
                let names = report.findings.iter().find(|f| f.id == thinktwice::FindingId::PersonName).expect("person-name");
                assert!(expected.iter().all(|a| names.evidence.iter().any(|e| &e.value == a && e.source == "Content Credentials")));
            }
            // Ingredient thumbnails, each an embedded-thumbnail row: as many as there are JUMBF
            // description labels `c2pa.thumbnail.ingredient…` in the bytes (a label follows the
            // jumd toggles byte; references to it in claims follow a `/`). ExifTool 12.57 lists
            // only one manifest's boxes, so its count is a floor.
            let label = b"c2pa.thumbnail.ingredient";
            let thumbs = (1..s.bytes.len().saturating_sub(label.len()))
                .filter(|&i| s.bytes[i..].starts_with(label) && s.bytes[i - 1] != b'/')
                .count();
            let exiftool_thumbs =
                s.exiftool.lines().filter(|l| l.contains("C2paThumbnailIngredient") && l.contains("Data\"")).count();
            assert!(thumbs >= exiftool_thumbs, "{}", s.name);
            let ours = report
                .findings
                .iter()
                .filter(|f| f.id == thinktwice::FindingId::EmbeddedThumbnail)
                .flat_map(|f| &f.evidence)
                .filter(|e| e.source == "Content Credentials")
                .count();
            assert_eq!(ours, thumbs, "{}: ingredient thumbnails", s.name);
            let severity = format!("{:?}", f.severity).to_lowercase();
            assert_eq!(severity, if expected.is_empty() && rows(f, "Identity").is_empty() { "low" } else { "medium" }, "{}", s.name);
        } else {
            // No manifest: no signer, author or history; at most a web link to one.
            let links: Vec<String> = exif_values(&s.exiftool, "XMP-dcterms:Provenance")
                .into_iter()
                .filter(|l| l.starts_with("http"))
                .collect();
            match credentials(&report) {
                None => assert!(links.is_empty(), "{}: link {links:?} not reported", s.name),
                Some(f) => {
                    let shown: Vec<&str> = f.evidence.iter().map(|e| e.value.as_str()).collect();
                    assert_eq!(shown, links, "{}: only the online link", s.name);
                    assert!(f.evidence.iter().all(|e| e.field.contains("does not open it")), "{}", s.name);
                }
            }
        }
    }
    assert_eq!(with, 7, "seven samples carry a manifest");
}

#[test]
fn remote_manifest_link_is_reported_not_fetched() {
    let Some(dir) = corpus() else { return };
    let s = samples(&dir).into_iter().find(|s| s.name == "libpng-test_with_url.png").expect("sample");
    let url = exif_values(&s.exiftool, "XMP-dcterms:Provenance").pop().expect("ExifTool sees the link");
    let report = check(&s.bytes, &s.name, &CheckOptions::default());
    let f = credentials(&report).expect("content-credentials finding");
    let row = f.evidence.iter().find(|e| e.value == url).expect("the link is shown");
    assert!(row.field.contains("does not open it"), "{:?}", row.field);
}

#[test]
fn ai_source_types_are_said_in_plain_words() {
    let Some(dir) = corpus() else { return };
    for s in samples(&dir).iter().filter(|s| has_manifest(s)) {
        let report = check(&s.bytes, &s.name, &CheckOptions::default());
        let said = rows(credentials(&report).unwrap(), "How the picture was made").join(" | ");
        for uri in exif_values(&s.exiftool, "CBOR:ActionsDigitalSourceType") {
            let ai = uri.ends_with("/trainedAlgorithmicMedia");
            assert!(!said.contains("digitalsourcetype"), "{}: a code shown: {said}", s.name);
            if ai {
                assert!(said.contains("Made by AI"), "{}: {said}", s.name);
            }
        }
    }
}

#[test]
fn safer_copies_hold_no_content_credentials() {
    let Some(dir) = corpus() else { return };
    if Command::new("exiftool").arg("-ver").output().is_err() {
        eprintln!("SKIP: exiftool not installed");
        return;
    }
    for s in samples(&dir) {
        let copy = clean(&s.bytes, &CleanOptions::default()).unwrap_or_else(|e| panic!("{}: {e:?}", s.name));
        let again = check(&copy.bytes, &s.name, &CheckOptions::default());
        assert!(credentials(&again).is_none(), "{}: copy still has credentials", s.name);
        let path = std::env::temp_dir().join(format!("thinktwice-c2pa-{}-{}", std::process::id(), s.name));
        std::fs::write(&path, &copy.bytes).unwrap();
        let out = Command::new("exiftool").args(["-j", "-G1", "-a"]).arg(&path).output().expect("exiftool");
        let _ = std::fs::remove_file(&path);
        let text = String::from_utf8_lossy(&out.stdout);
        for group in ["\"JUMBF:", "\"CBOR:", "\"JSON:", "\"Jpeg2000:", "\"XMP-dcterms:Provenance"] {
            assert!(!text.contains(group), "{}: the copy still holds {group}", s.name);
        }
        if has_manifest(&s) {
            assert!(copy.removed.iter().any(|id| *id == thinktwice::FindingId::ContentCredentials), "{}: removed {:?}", s.name, copy.removed);
        }
    }
}

// ---- Built fixtures (no corpus needed) ----

fn jumbf_box(kind: &[u8; 4], payload: &[u8]) -> Vec<u8> {
    [&((payload.len() + 8) as u32).to_be_bytes()[..], kind, payload].concat()
}

fn superbox(label: &str, children: &[Vec<u8>]) -> Vec<u8> {
    let desc = [&[0u8; 16][..], &[0x03], label.as_bytes(), &[0]].concat();
    jumbf_box(b"jumb", &[jumbf_box(b"jumd", &desc), children.concat()].concat())
}

/// APP11 segments carrying `store`, split in two (the second repeats the superbox header).
fn app11_segments(store: &[u8]) -> Vec<(u8, Vec<u8>)> {
    let (a, b) = store.split_at(store.len() / 2);
    let first = [&b"JP\0\x01\0\0\0\x01"[..], a].concat();
    let second = [&b"JP\0\x01\0\0\0\x02"[..], &store[..8], b].concat();
    vec![(0xEB, first), (0xEB, second)]
}

#[test]
fn a_split_manifest_with_gps_and_author_is_read_and_removed() {
    let exif = br#"{"exif:GPSLatitude":"23,15.6N","exif:GPSLongitude":"77,24.6E"}"#;
    let author = br#"{"author":{"@type":"Person","name":"Meera Iyer"}}"#;
    let assertions = superbox(
        "c2pa.assertions",
        &[
            superbox("stds.exif", &[jumbf_box(b"json", exif)]),
            superbox("stds.schema-org.CreativeWork", &[jumbf_box(b"json", author)]),
        ],
    );
    let store = superbox("c2pa", &[superbox("urn:uuid:test", &[assertions])]);
    let photo = common::jpeg_with(&app11_segments(&store), 16, 16);
    let report = check(&photo, "built.jpg", &CheckOptions::default());
    let gps = report.findings.iter().find(|f| f.id == thinktwice::FindingId::GpsLocation).expect("gps-location");
    let lat = gps.evidence.iter().find(|e| e.source == "Content Credentials" && e.field == "GPSLatitude").expect("lat");
    assert_eq!(lat.value, "23.260000");
    let f = credentials(&report).expect("content-credentials");
    assert_eq!(rows(f, "Author"), vec!["Meera Iyer"]);
    assert_eq!(format!("{:?}", f.severity).to_lowercase(), "medium");
    assert!(!report.findings.iter().any(|f| f.id == thinktwice::FindingId::UnreadableData), "a read manifest is not unknown");
    let copy = clean(&photo, &CleanOptions::default()).expect("copy");
    assert!(!copy.bytes.windows(4).any(|w| w == b"jumb"), "the copy holds no JUMBF box");
    assert!(copy.removed.iter().any(|id| *id == thinktwice::FindingId::ContentCredentials));
}

#[test]
fn an_unreadable_jumbf_block_is_reported_as_unknown() {
    let photo = common::jpeg_with(&[(0xEB, b"JP\0\x01\0\0\0\x01not a box at all".to_vec())], 16, 16);
    let report = check(&photo, "odd.jpg", &CheckOptions::default());
    assert!(credentials(&report).is_none());
    let unread = report.findings.iter().find(|f| f.id == thinktwice::FindingId::UnreadableData).expect("reported as unknown");
    assert!(unread.evidence.iter().any(|e| e.value.contains("Content Credentials")), "{:?}", unread.evidence);
}
