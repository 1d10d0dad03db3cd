//! Content Credentials (C2PA) on the shared samples, judged by ExifTool's output:
//! every file with a JUMBF manifest store gets the `content-credentials` finding with
//! a signer read from the file and ExifTool's author names; files without one get no
//! signer; a remote manifest link (XMP dcterms:provenance) is reported as a link (the
//! core has no network code, so nothing can be fetched); the safer copy holds no
//! JUMBF/C2PA box (ExifTool on the copy). The same manifest store, moved into every
//! other place the C2PA specification puts one (PNG `caBX`, WebP `C2PA`, TIFF tag
//! 0xCD41, a HEIF/AVIF `uuid` box) in corpus photos of those kinds, gives the same
//! signer and author, and the safer copy of each holds none of it.
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
        assert_copy_holds_no_credentials(&s.bytes, &s.name, has_manifest(&s));
    }
}

/// ExifTool's `-j -G1 -a` output for `bytes` (written to a temporary file named like `name`).
fn exiftool_json(bytes: &[u8], name: &str) -> String {
    let path = std::env::temp_dir().join(format!("thinktwice-c2pa-{}-{name}", std::process::id()));
    std::fs::write(&path, bytes).unwrap();
    let out = Command::new("exiftool").args(["-j", "-G1", "-a"]).arg(&path).output().expect("exiftool");
    let _ = std::fs::remove_file(&path);
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The safer copy of `bytes`: ThinkTwice's own check and ExifTool find no manifest, no
/// JUMBF box and no link to one; when the original had one, the copy says it removed it.
fn assert_copy_holds_no_credentials(bytes: &[u8], name: &str, had_manifest: bool) {
    let copy = clean(bytes, &CleanOptions::default()).unwrap_or_else(|e| panic!("{name}: {e:?}"));
    let again = check(&copy.bytes, name, &CheckOptions::default());
    assert!(credentials(&again).is_none(), "{name}: copy still has credentials");
    let text = exiftool_json(&copy.bytes, name);
    for group in ["\"JUMBF:", "\"CBOR:", "\"JSON:", "\"Jpeg2000:", "\"XMP-dcterms:Provenance"] {
        assert!(!text.contains(group), "{name}: the copy still holds {group}");
    }
    assert!(!copy.bytes.windows(4).any(|w| w == b"jumb" || w == b"jumd"), "{name}: a JUMBF box header is in the copy");
    if had_manifest {
        assert!(copy.removed.iter().any(|id| *id == thinktwice::FindingId::ContentCredentials), "{name}: removed {:?}", copy.removed);
    }
}

// ---- The same store in every container (corpus photos with a manifest added) ----

/// The manifest store of a JPEG: its APP11 JUMBF segments (`JP`, instance, sequence, box
/// bytes) joined in order; later segments repeat the 8-byte superbox header, which is dropped.
fn store_of_jpeg(jpeg: &[u8]) -> Vec<u8> {
    let mut store = Vec::new();
    let mut at = 2;
    while at + 4 <= jpeg.len() && jpeg[at] == 0xFF && jpeg[at + 1] != 0xDA {
        let len = u16::from_be_bytes([jpeg[at + 2], jpeg[at + 3]]) as usize;
        let payload = &jpeg[at + 4..at + 2 + len];
        if jpeg[at + 1] == 0xEB && payload.starts_with(b"JP") {
            let seq = u32::from_be_bytes(payload[4..8].try_into().unwrap());
            store.extend_from_slice(&payload[if seq == 1 { 8 } else { 16 }..]);
        }
        at += 2 + len;
    }
    assert!(store.len() > 16 && &store[4..8] == b"jumb", "no manifest store found");
    store
}

/// PNG: a `caBX` chunk right before IEND.
fn png_with_store(png: &[u8], store: &[u8]) -> Vec<u8> {
    let iend = png.len() - 12;
    assert_eq!(&png[iend + 4..iend + 8], b"IEND");
    [&png[..iend], &common::png_chunk(b"caBX", store), &png[iend..]].concat()
}

/// WebP: a `C2PA` RIFF chunk at the end, the RIFF size fixed.
fn webp_with_store(webp: &[u8], store: &[u8]) -> Vec<u8> {
    let mut out = webp.to_vec();
    out.extend_from_slice(b"C2PA");
    out.extend_from_slice(&(store.len() as u32).to_le_bytes());
    out.extend_from_slice(store);
    if store.len() % 2 == 1 {
        out.push(0);
    }
    let riff = (out.len() - 8) as u32;
    out[4..8].copy_from_slice(&riff.to_le_bytes());
    out
}

/// TIFF: IFD0 written again at the end of the file with one more entry, tag 0xCD41
/// (UNDEFINED, the store's bytes after it); the header points at the new IFD0. Values
/// stored elsewhere keep their offsets, so the rest of the file is untouched.
fn tiff_with_store(tiff: &[u8], store: &[u8]) -> Vec<u8> {
    let le = &tiff[..2] == b"II";
    let u16_at = |at: usize| if le { u16::from_le_bytes([tiff[at], tiff[at + 1]]) } else { u16::from_be_bytes([tiff[at], tiff[at + 1]]) };
    let u32_at = |at: usize| {
        let b: [u8; 4] = tiff[at..at + 4].try_into().unwrap();
        if le { u32::from_le_bytes(b) } else { u32::from_be_bytes(b) }
    };
    let w16 = |v: u16| if le { v.to_le_bytes() } else { v.to_be_bytes() };
    let w32 = |v: u32| if le { v.to_le_bytes() } else { v.to_be_bytes() };
    let ifd0 = u32_at(4) as usize;
    let n = u16_at(ifd0) as usize;
    let mut entries: Vec<Vec<u8>> = (0..n).map(|i| tiff[ifd0 + 2 + 12 * i..ifd0 + 14 + 12 * i].to_vec()).collect();
    let next = u32_at(ifd0 + 2 + 12 * n);
    let mut out = tiff.to_vec();
    if out.len() % 2 == 1 {
        out.push(0);
    }
    let data_at = out.len() as u32;
    out.extend_from_slice(store);
    if out.len() % 2 == 1 {
        out.push(0);
    }
    entries.push([&w16(0xCD41)[..], &w16(7), &w32(store.len() as u32), &w32(data_at)].concat());
    entries.sort_by_key(|e| if le { u16::from_le_bytes([e[0], e[1]]) } else { u16::from_be_bytes([e[0], e[1]]) });
    let new_ifd0 = out.len() as u32;
    out.extend_from_slice(&w16(entries.len() as u16));
    entries.iter().for_each(|e| out.extend_from_slice(e));
    out.extend_from_slice(&w32(next));
    out[4..8].copy_from_slice(&w32(new_ifd0));
    out
}

/// HEIF/AVIF: a top-level box at the end (item offsets stay valid): the C2PA `uuid` box
/// (full box, purpose `manifest`, 8-byte offset, store) or, with `c2pa_box`, the same
/// fields in a box of type `c2pa`.
fn bmff_with_store(heif: &[u8], store: &[u8], c2pa_box: bool) -> Vec<u8> {
    const C2PA_UUID: [u8; 16] = [0xD8, 0xFE, 0xC3, 0xD6, 0x1B, 0x0E, 0x48, 0x3C, 0x92, 0x97, 0x58, 0x28, 0x87, 0x7E, 0xC4, 0x81];
    let uuid: &[u8] = if c2pa_box { &[] } else { &C2PA_UUID };
    let body = [uuid, &[0, 0, 0, 0], b"manifest\0", &[0; 8], store].concat();
    let kind: &[u8; 4] = if c2pa_box { b"c2pa" } else { b"uuid" };
    [heif, &((body.len() + 8) as u32).to_be_bytes(), kind, &body].concat()
}

#[test]
fn a_manifest_in_every_container_is_read_and_removed() {
    let Some(dir) = corpus() else { return };
    let Some(photos) = common::corpus_part("metadata", "files") else {
        eprintln!("SKIP: no metadata corpus for the container photos");
        return;
    };
    if !common::exiftool_available() {
        return;
    }
    let source = samples(&dir).into_iter().find(|s| s.name == "CA.jpg").expect("CA.jpg");
    let store = store_of_jpeg(&source.bytes);
    let reference = check(&source.bytes, &source.name, &CheckOptions::default());
    let signers = rows(credentials(&reference).expect("CA.jpg has credentials"), "Signed by").join(" | ");
    let mut authors = exif_values(&source.exiftool, "JSON:AuthorName");
    authors.dedup();
    assert!(!signers.is_empty() && !authors.is_empty(), "CA.jpg names a signer and an author");
    let read = |name: &str| std::fs::read(photos.join("files").join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    let built: Vec<(&str, Vec<u8>)> = vec![
        ("built.png", png_with_store(&common::png_with(&[]), &store)),
        ("no_metadata_photo.webp", webp_with_store(&read("no_metadata_photo.webp"), &store)),
        ("webp_htc_desire_gps.webp", webp_with_store(&read("webp_htc_desire_gps.webp"), &store)),
        ("tiff_parrot_gps_serial.tif", tiff_with_store(&read("tiff_parrot_gps_serial.tif"), &store)),
        ("tiff_reagan_iptc_xmp.tiff", tiff_with_store(&read("tiff_reagan_iptc_xmp.tiff"), &store)),
        ("apple_iphone7_gps.heic", bmff_with_store(&read("apple_iphone7_gps.heic"), &store, false)),
        ("avif_gps_artist_xmp.avif", bmff_with_store(&read("avif_gps_artist_xmp.avif"), &store, false)),
        ("nokia83_gps.heif", bmff_with_store(&read("nokia83_gps.heif"), &store, true)),
    ];
    for (name, bytes) in built {
        // The photo itself still reads as before: every finding of the original is there.
        let base = if name == "built.png" { common::png_with(&[]) } else { read(name) };
        let before = check(&base, name, &CheckOptions::default());
        let report = check(&bytes, name, &CheckOptions::default());
        assert!(report.error.is_none(), "{name}: {:?}", report.error);
        for f in &before.findings {
            assert!(report.findings.iter().any(|g| g.id == f.id), "{name}: lost {} with a manifest added", f.id);
        }
        let f = credentials(&report).unwrap_or_else(|| panic!("{name}: no content-credentials finding"));
        assert_eq!(rows(f, "Signed by").join(" | "), signers, "{name}: signer");
        let mut got = rows(f, "Author");
        got.dedup();
        assert_eq!(got, authors, "{name}: authors (ExifTool's, from the JPEG)");
        let names = report.findings.iter().find(|f| f.id == thinktwice::FindingId::PersonName).expect("person-name");
        assert!(authors.iter().all(|a| names.evidence.iter().any(|e| &e.value == a && e.source == "Content Credentials")), "{name}");
        assert!(!report.findings.iter().any(|f| f.id == thinktwice::FindingId::UnreadableData && f.evidence.iter().any(|e| e.value.contains("Content Credentials"))),
            "{name}: the store was not read");
        // Where ExifTool reads this carrier, it sees the same store.
        let seen = exiftool_json(&bytes, name);
        if seen.contains("\"JUMBF:JUMDLabel\"") {
            assert!(exif_values(&seen, "JUMBF:JUMDLabel").iter().any(|l| l == "c2pa"), "{name}");
        } else {
            eprintln!("note: this ExifTool does not read manifests in {name}'s container (12.57 reads JPEG and PNG ones)");
        }
        assert_copy_holds_no_credentials(&bytes, name, true);
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
fn a_split_manifest_with_gps_author_date_and_device_is_read_and_removed() {
    let exif = br#"{"exif:GPSLatitude":"23,15.6N","exif:GPSLongitude":"77,24.6E","exif:DateTimeOriginal":"2026-01-26T09:30:00+05:30","tiff:Make":"DemoCam","tiff:Model":"X1"}"#;
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
    // The date and the device in `stds.exif` feed the usual time and device rules.
    let from_manifest = |id: thinktwice::FindingId| -> Vec<String> {
        let f = report.findings.iter().find(|f| f.id == id).unwrap_or_else(|| panic!("no {id}"));
        f.evidence.iter().filter(|e| e.source == "Content Credentials").map(|e| e.value.clone()).collect()
    };
    assert_eq!(from_manifest(thinktwice::FindingId::CaptureTime), vec!["2026-01-26T09:30:00+05:30"]);
    assert_eq!(from_manifest(thinktwice::FindingId::DeviceModel), vec!["DemoCam X1"]);
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
