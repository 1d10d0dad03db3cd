//! Corpus test for the TIFF/DNG and HEIF/AVIF walkers and the EXIF reader,
//! against ExifTool's facts in /work/shared/corpus/metadata/expected.json.
//! EXIF inside JPEG / WebP / PNG is found with a tiny local scan (the real
//! walkers belong to other modules), so the EXIF reader is tested on every file.
//! Skips (with a message) when the corpus is absent.
#![cfg(not(target_arch = "wasm32"))] // native only: reads files, runs the CLI

use crate::common;

use serde_json::Value;
use std::path::PathBuf;
use thinktwice::container::{self, BlockKind, Format};
use thinktwice::meta::{self, Metadata};

fn corpus_dir() -> Option<PathBuf> {
    common::corpus_part("metadata", "expected.json")
}

/// The EXIF TIFF block of a JPEG (APP1 "Exif\0\0"), WebP (EXIF chunk) or PNG (eXIf).
fn local_exif(bytes: &[u8]) -> Option<&[u8]> {
    if bytes.starts_with(&[0xFF, 0xD8]) {
        let mut at = 2;
        while at + 4 <= bytes.len() && bytes[at] == 0xFF {
            let marker = bytes[at + 1];
            let len = u16::from_be_bytes([bytes[at + 2], bytes[at + 3]]) as usize;
            let seg = bytes.get(at + 4..at + 2 + len)?;
            if marker == 0xE1 && seg.starts_with(b"Exif\0") {
                return Some(&seg[6..]);
            }
            if marker == 0xDA {
                return None;
            }
            at += 2 + len;
        }
        return None;
    }
    if bytes.starts_with(b"RIFF") {
        let mut at = 12;
        while at + 8 <= bytes.len() {
            let len = u32::from_le_bytes(bytes[at + 4..at + 8].try_into().ok()?) as usize;
            let data = bytes.get(at + 8..at + 8 + len)?;
            if &bytes[at..at + 4] == b"EXIF" {
                return Some(strip(data));
            }
            at += 8 + len + (len & 1);
        }
        return None;
    }
    if bytes.starts_with(b"\x89PNG") {
        let mut at = 8;
        while at + 8 <= bytes.len() {
            let len = u32::from_be_bytes(bytes[at..at + 4].try_into().ok()?) as usize;
            let data = bytes.get(at + 8..at + 8 + len)?;
            if &bytes[at + 4..at + 8] == b"eXIf" {
                return Some(strip(data));
            }
            at += 12 + len;
        }
    }
    None
}

fn strip(d: &[u8]) -> &[u8] {
    d.strip_prefix(b"Exif\0\0").unwrap_or(d)
}

fn json_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.trim().to_string(),
        other => other.to_string(),
    }
}

/// Maker-note groups whose serials we promise to decode.
const DECODED_GROUPS: &[&str] = &["IFD0", "ExifIFD", "Canon", "Nikon", "Olympus", "Panasonic", "Sigma", "Pentax", "FujiFilm"];

#[derive(Default)]
struct Tally {
    passed: usize,
    failed: Vec<String>,
}

impl Tally {
    fn check(&mut self, ok: bool, what: String) {
        if ok {
            self.passed += 1;
        } else {
            self.failed.push(what);
        }
    }
}

#[test]
fn corpus_matches_exiftool() {
    let Some(dir) = corpus_dir() else {
        eprintln!("SKIP: metadata corpus not found (set THINKTWICE_CORPUS=/work/shared/corpus)");
        return;
    };
    let expected: serde_json::Map<String, Value> =
        serde_json::from_slice(&std::fs::read(dir.join("expected.json")).unwrap()).unwrap();
    let mut t = Tally::default();
    let mut files = 0;
    for (name, exp) in &expected {
        let Ok(bytes) = std::fs::read(dir.join("files").join(name)) else { continue };
        let format = container::sniff(&bytes);
        let ours = matches!(format, Format::Tiff | Format::Dng | Format::Heic | Format::Heif | Format::Avif);
        let mut m = Metadata::default();
        let mut thumb_item = false;
        if ours {
            let Ok(c) = container::walk(&bytes) else {
                t.check(exp["image_size"].is_null(), format!("{name}: walk failed"));
                continue;
            };
            thumb_item = c.blocks.iter().any(|b| b.kind == BlockKind::Thumbnail);
            m = meta::read(&c);
            if let Some(size) = exp["image_size"].as_array() {
                let want = (size[0].as_u64().map(|x| x as u32), size[1].as_u64().map(|x| x as u32));
                t.check((c.width, c.height) == want, format!("{name}: size {:?} vs {want:?}", (c.width, c.height)));
            }
        } else if let Some(exif) = local_exif(&bytes) {
            meta::exif::read(exif, &mut m);
        } else {
            continue;
        }
        files += 1;
        if exp["has_gps"] == true && exp["gps_source"] == "EXIF" {
            let (lat, lon) = (exp["lat"].as_f64().unwrap(), exp["lon"].as_f64().unwrap());
            let hit = m.positions.iter().any(|p| (p.lat - lat).abs() < 1e-4 && (p.lon - lon).abs() < 1e-4);
            t.check(hit, format!("{name}: position {lat},{lon} vs {:?}", m.positions));
        }
        if exp["gps_placeholder_only"] == true {
            let ok = !m.gps_placeholder.is_empty() && m.positions.is_empty();
            t.check(ok, format!("{name}: placeholder {:?} positions {:?}", m.gps_placeholder, m.positions));
        }
        if exp["gps_ifd_present"] == true && exp["has_gps"] == false && exp["gps_placeholder_only"] == false {
            t.check(m.positions.is_empty() && m.gps_placeholder.is_empty(), format!("{name}: GPS IFD without coordinates"));
        }
        for (key, value) in exp["serial_numbers"].as_object().into_iter().flatten() {
            let group = key.split(':').next().unwrap_or("");
            if !DECODED_GROUPS.contains(&group) {
                continue;
            }
            let want = json_text(value);
            let hit = m.fields.iter().any(|f| f.value.trim() == want);
            t.check(hit, format!("{name}: serial {key}={want}"));
        }
        for thumb in exp["embedded_thumbnails"].as_array().into_iter().flatten() {
            match thumb["tag"].as_str() {
                Some("IFD1:ThumbnailImage") if thumb["data_present"] == true => {
                    let ok = m.thumbnails.iter().any(|x| x.source == "EXIF IFD1");
                    t.check(ok, format!("{name}: IFD1 thumbnail"));
                }
                Some("HEIF:thmb-item") => t.check(thumb_item, format!("{name}: HEIF thumbnail item")),
                _ => {}
            }
        }
        // Samsung (trailer) and FLIR (APP1 segments) groups are not EXIF maker notes.
        let exif_note = exp["makernote_groups"].as_array().into_iter().flatten().any(|g| g != "Samsung" && g != "FLIR");
        if exif_note {
            t.check(!m.maker_notes.is_empty(), format!("{name}: maker note vendor"));
        }
    }
    eprintln!("corpus: {files} files with EXIF or TIFF/HEIF structure; {} facts passed, {} failed", t.passed, t.failed.len());
    for f in &t.failed {
        eprintln!("  FAIL {f}");
    }
    assert!(t.failed.is_empty(), "{} corpus facts failed", t.failed.len());
}

#[test]
fn every_corpus_file_walks_and_reads_without_panicking() {
    let Some(dir) = corpus_dir() else {
        eprintln!("SKIP: metadata corpus not found");
        return;
    };
    for entry in std::fs::read_dir(dir.join("files")).unwrap().flatten() {
        let bytes = std::fs::read(entry.path()).unwrap();
        if let Ok(c) = container::walk(&bytes) {
            let _ = meta::read(&c);
        }
        if let Some(exif) = local_exif(&bytes) {
            meta::exif::read(exif, &mut Metadata::default());
        }
    }
}
