//! Corpus check for the XMP, IPTC, Photoshop IRB and ICC readers against the
//! ExifTool-derived facts in `metadata/expected.json`.
//!
//! The real JPEG walker lives on another branch, so this test carries a tiny
//! APPn scan of its own and only looks at JPEG files. It skips (with a message)
//! when the corpus is absent; set THINKTWICE_CORPUS=/work/shared/corpus.
#![cfg(not(target_arch = "wasm32"))] // native only: reads files, runs the CLI

use crate::common;

use serde_json::Value;
use std::collections::BTreeSet;
use std::path::PathBuf;
use thinktwice::meta::{icc, irb, xmp, Metadata};

fn corpus_dir() -> Option<PathBuf> {
    common::corpus_part("metadata", "expected.json")
}

/// Payloads of the JPEG APPn segments these readers care about.
#[derive(Default)]
struct Payloads<'a> {
    xmp: Vec<&'a [u8]>,
    xmp_ext: Vec<&'a [u8]>,
    irb: Vec<&'a [u8]>,
    icc: Vec<&'a [u8]>,
}

fn scan_jpeg(bytes: &[u8]) -> Payloads<'_> {
    let mut out = Payloads::default();
    let mut pos = 2;
    while pos + 4 <= bytes.len() && bytes[pos] == 0xFF {
        let marker = bytes[pos + 1];
        if marker == 0xFF {
            pos += 1;
            continue;
        }
        if marker == 0xDA || marker == 0xD9 {
            break;
        }
        let len = u16::from_be_bytes([bytes[pos + 2], bytes[pos + 3]]) as usize;
        let Some(seg) = bytes.get(pos + 4..pos + 2 + len) else {
            break;
        };
        if len < 2 {
            break;
        }
        match marker {
            0xE1 => {
                if let Some(x) = seg.strip_prefix(b"http://ns.adobe.com/xap/1.0/\0") {
                    out.xmp.push(x);
                } else if let Some(x) = seg.strip_prefix(b"http://ns.adobe.com/xmp/extension/\0") {
                    out.xmp_ext.push(x);
                }
            }
            0xED => {
                if let Some(x) = seg.strip_prefix(b"Photoshop 3.0\0") {
                    out.irb.push(x);
                }
            }
            0xE2 => {
                if let Some(x) = seg.strip_prefix(b"ICC_PROFILE\0") {
                    out.icc.push(x.get(2..).unwrap_or_default());
                }
            }
            _ => {}
        }
        pos += 2 + len;
    }
    out
}

fn read_payloads(p: &Payloads<'_>) -> Metadata {
    let mut meta = Metadata::default();
    for x in &p.xmp {
        xmp::read(x, &mut meta);
    }
    if !p.xmp_ext.is_empty() {
        xmp::read_extended(&p.xmp_ext, &mut meta);
    }
    for x in &p.irb {
        irb::read(x, &mut meta);
    }
    if !p.icc.is_empty() {
        icc::read_chunks(&p.icc, thinktwice::container::Format::Jpeg, &mut meta);
    }
    meta
}

fn as_texts(v: &Value) -> Vec<String> {
    match v {
        Value::Array(items) => items.iter().flat_map(as_texts).collect(),
        Value::String(s) => vec![s.trim().to_string()],
        Value::Null => vec![],
        other => vec![other.to_string()],
    }
}

/// Our group for an ExifTool group (ExifTool numbers a second IPTC block `IPTC2`).
fn our_group(group: &str) -> &str {
    if group.starts_with("IPTC") {
        "IPTC"
    } else {
        group
    }
}

fn is_ours(group: &str) -> bool {
    group.starts_with("XMP") || group.starts_with("IPTC")
}

/// True when every expected text is one of the values of `group:tag` (lists are joined with ", ").
fn has_value(meta: &Metadata, group: Option<&str>, tag: Option<&str>, want: &[String]) -> bool {
    want.iter().all(|w| {
        meta.fields.iter().any(|f| {
            group.is_none_or(|g| f.group == g)
                && tag.is_none_or(|t| f.tag == t)
                && (f.value == *w
                    || f.value.split(", ").any(|part| part == w)
                    || f.value.contains(w.as_str()))
        })
    })
}

/// Robustness: damaged copies of real payloads (bytes overwritten, cut short)
/// must read without panicking.
fn mutate_and_read(p: &Payloads<'_>) {
    let mut seed = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let all: Vec<(usize, &[u8])> = [(0, &p.xmp), (1, &p.irb), (2, &p.icc)]
        .into_iter()
        .flat_map(|(k, v)| v.iter().map(move |d| (k, *d)))
        .collect();
    for (kind, data) in all {
        for _ in 0..8 {
            let mut copy = data.to_vec();
            if copy.is_empty() {
                continue;
            }
            for _ in 0..1 + next() % 8 {
                let at = (next() as usize) % copy.len();
                copy[at] = next() as u8;
            }
            copy.truncate(1 + (next() as usize) % copy.len());
            let mut meta = Metadata::default();
            match kind {
                0 => xmp::read(&copy, &mut meta),
                1 => irb::read(&copy, &mut meta),
                _ => icc::read_chunks(&[&copy], thinktwice::container::Format::Jpeg, &mut meta),
            }
        }
    }
}

/// Loose equality for the informational value comparison: numbers compare as numbers.
fn same_value(ours: &str, theirs: &str) -> bool {
    let ours = ours.trim();
    let theirs = theirs.trim();
    if ours == theirs {
        return true;
    }
    match (ours.parse::<f64>(), theirs.parse::<f64>()) {
        (Ok(a), Ok(b)) => (a - b).abs() < 1e-6,
        _ => false,
    }
}

/// ICC fields compared with ExifTool.
const ICC_KEYS: &[&str] = &[
    "ICC_Profile:ProfileDescription",
    "ICC_Profile:ProfileCopyright",
    "ICC_Profile:DeviceMfgDesc",
    "ICC_Profile:DeviceModelDesc",
    "ICC-header:ProfileCreator",
    "ICC-header:DeviceManufacturer",
    "ICC-header:DeviceModel",
    "ICC-header:ProfileDateTime",
];

#[derive(Default)]
struct Tally {
    checked: usize,
    passed: usize,
    failures: Vec<String>,
}

impl Tally {
    fn check(&mut self, ok: bool, what: impl FnOnce() -> String) {
        self.checked += 1;
        if ok {
            self.passed += 1;
        } else {
            self.failures.push(what());
        }
    }
}

#[test]
fn corpus_xmp_iptc_irb_facts() {
    let Some(dir) = corpus_dir() else {
        eprintln!("SKIP: corpus not found (set THINKTWICE_CORPUS=/work/shared/corpus)");
        return;
    };
    let expected: Value =
        serde_json::from_slice(&std::fs::read(dir.join("expected.json")).unwrap()).unwrap();
    let mut tally = Tally::default();
    let (mut files, mut tags_expected, mut tags_found) = (0, 0, 0);
    let (mut values_compared, mut values_equal, mut value_diffs) = (0, 0, Vec::new());
    let mut missing_names: BTreeSet<String> = BTreeSet::new();
    let mut extra_names: BTreeSet<String> = BTreeSet::new();
    for (name, facts) in expected.as_object().unwrap() {
        if !name.ends_with(".jpg") {
            continue;
        }
        let bytes = std::fs::read(dir.join("files").join(name)).unwrap();
        let payloads = scan_jpeg(&bytes);
        let meta = read_payloads(&payloads);
        files += 1;
        mutate_and_read(&payloads);
        for w in &meta.warnings {
            println!("warning in {name}: {w}");
        }

        // Group:Tag → value facts.
        for section in [
            "names",
            "creator_contact",
            "location_text",
            "serial_numbers",
            "unique_ids",
        ] {
            for (key, value) in facts[section].as_object().into_iter().flatten() {
                let (group, tag) = key.split_once(':').unwrap();
                if !is_ours(group) {
                    continue;
                }
                let want = as_texts(value);
                let ok = has_value(&meta, Some(our_group(group)), Some(tag), &want);
                tally.check(ok, || format!("{name}: {section} {key} = {want:?}"));
            }
        }
        // Person names in regions / PersonInImage, anywhere in XMP.
        for section in ["xmp_region_person_names", "person_in_image"] {
            for person in facts[section]
                .as_array()
                .into_iter()
                .flatten()
                .flat_map(as_texts)
            {
                let ok = meta
                    .fields
                    .iter()
                    .any(|f| f.group.starts_with("XMP") && f.value.contains(&person));
                tally.check(ok, || format!("{name}: {section} {person:?}"));
            }
        }
        // Photoshop thumbnails: size in bytes and pixel size.
        for thumb in facts["embedded_thumbnails"]
            .as_array()
            .into_iter()
            .flatten()
        {
            if thumb["tag"] != "Photoshop:PhotoshopThumbnail" {
                continue;
            }
            let bytes = thumb["bytes"].as_u64().unwrap_or(0) as usize;
            let size = format!("{}×{}", thumb["width"], thumb["height"]);
            let ok = meta
                .thumbnails
                .iter()
                .any(|t| t.source == "Photoshop" && t.bytes == bytes && t.what.ends_with(&size));
            tally.check(ok, || {
                format!(
                    "{name}: Photoshop thumbnail {bytes} bytes {size} not in {:?}",
                    meta.thumbnails
                )
            });
        }
        // XMP coordinates.
        for src in facts["gps_all_sources"].as_array().into_iter().flatten() {
            if src["source"] != "XMP" {
                continue;
            }
            let (Some(lat), Some(lon)) = (src["lat"].as_f64(), src["lon"].as_f64()) else {
                continue;
            };
            let ok = meta.positions.iter().any(|p| {
                (p.lat - lat).abs() <= 1e-4 && (p.lon - lon).abs() <= 1e-4 && p.source == "XMP"
            });
            tally.check(ok, || {
                format!("{name}: XMP GPS {lat},{lon} not in {:?}", meta.positions)
            });
        }

        let oracle: Value = serde_json::from_slice(
            &std::fs::read(dir.join("exiftool").join(format!("{name}.json"))).unwrap(),
        )
        .unwrap();
        // ICC text and header fields, straight from ExifTool's output.
        for key in ICC_KEYS {
            let Some(theirs) = oracle[0].get(*key) else {
                continue;
            };
            let (group, tag) = key.split_once(':').unwrap();
            let want = as_texts(theirs).join(", ");
            if want.is_empty() {
                continue; // empty values are never stored as fields
            }
            let ours = meta
                .fields
                .iter()
                .find(|f| f.group == group && f.tag == tag)
                .map(|f| f.value.clone());
            tally.check(
                ours.as_deref().is_some_and(|v| same_value(v, &want)),
                || format!("{name}: {key} = {want:?}, ours {ours:?}"),
            );
        }

        // Informational: which ExifTool XMP/IPTC tag names we do not produce.
        for key in oracle[0].as_object().into_iter().flatten().map(|(k, _)| k) {
            let Some((group, tag)) = key.split_once(':') else {
                continue;
            };
            if !is_ours(group) || group == "XMP" {
                continue;
            }
            tags_expected += 1;
            if let Some(ours) = meta
                .fields
                .iter()
                .find(|f| f.group == our_group(group) && f.tag == tag)
            {
                tags_found += 1;
                let theirs = as_texts(&oracle[0][key.as_str()]).join(", ");
                if !theirs.contains("(Binary data") {
                    values_compared += 1;
                    if same_value(&ours.value, &theirs) {
                        values_equal += 1;
                    } else if value_diffs.len() < 40 {
                        value_diffs.push(format!(
                            "{name}: {key}: ours {:?} exiftool {:?}",
                            ours.value, theirs
                        ));
                    }
                }
            } else {
                missing_names.insert(format!("{}:{tag}", our_group(group)));
            }
        }
        let oracle_keys: BTreeSet<String> = oracle[0]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(k, _)| k.replace("IPTC2:", "IPTC:"))
            .collect();
        for f in &meta.fields {
            let key = format!("{}:{}", f.group, f.tag);
            if is_ours(&f.group) && !oracle_keys.contains(&key) {
                extra_names.insert(key);
            }
        }
    }
    println!(
        "XMP/IPTC/IRB corpus: {files} JPEG files, {} facts checked, {} passed",
        tally.checked, tally.passed
    );
    println!("ExifTool XMP/IPTC tag names also produced: {tags_found}/{tags_expected}");
    println!("Values equal to ExifTool's (-n) for those names: {values_equal}/{values_compared}");
    for d in &value_diffs {
        println!("  differs: {d}");
    }
    println!("Names not produced: {missing_names:?}");
    println!("Names ExifTool does not report: {extra_names:?}");
    for f in &tally.failures {
        println!("FAIL {f}");
    }
    assert!(
        tally.checked > 50,
        "too few facts checked: {}",
        tally.checked
    );
    assert!(
        tally.failures.is_empty(),
        "{} of {} facts failed",
        tally.failures.len(),
        tally.checked
    );
}
