//! Lossy WebP (VP8) safer copies: the picture data is cut to the bytes a
//! decoder reads, so a marker hidden after any partition (the first one's
//! padding, between token partitions, after the last one, in a partition no
//! row uses) or after the transparency data does not survive, while both the
//! `image` crate and libwebp itself (the decoder in Chromium; both its plain and
//! its incremental decoder) show exactly the original's pixels.
//!
//! Fixtures: the photo the differential fuzz target found leaking (kept in
//! tests/regressions), pictures that libwebp encodes here with 1, 2, 4 and 8
//! token partitions, with and without transparency (through Pillow's libwebp,
//! tests/common/libwebp.py; skipped, saying so, without it), and the corpus's
//! lossy WebP files when ../shared/corpus is present.
#![cfg(not(target_arch = "wasm32"))]

use crate::common;
use crate::hostile::{leaks, MARKER, PIECES};
use std::path::Path;
use thinktwice::{clean, CleanOptions};

/// The lossy photo the `plant` fuzz target found a surviving marker in: its first two bytes
/// are the fuzz target's choices (where to plant, insert or overwrite), the rest is the photo.
fn fuzz_found() -> (Vec<u8>, Vec<u8>) {
    let input = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/regressions/plant-webp-vp8-insert.bin")).unwrap();
    (input[..2].to_vec(), input[2..].to_vec())
}

fn python() -> Option<String> {
    let py = common::python_with_lcms();
    if py.is_none() {
        common::tool_missing("lossy WebP through libwebp", "Python with Pillow (libwebp)", "apt-get install python3-pil");
    }
    py
}

fn script() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/common/libwebp.py").display().to_string()
}

/// A made-up picture encoded by libwebp with 2^`parts` token partitions; `alpha`: 0 opaque,
/// 1 compressed transparency, 2 raw transparency.
fn libwebp_encode(py: &str, w: u32, h: u32, parts: u32, alpha: u8) -> Vec<u8> {
    let out = std::process::Command::new(py)
        .args([script(), "encode".into(), w.to_string(), h.to_string(), parts.to_string(), alpha.to_string()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    out.stdout
}

/// libwebp's pixels (RGBA), or why it could not decode.
fn libwebp_decode(py: &str, bytes: &[u8]) -> Result<Vec<u8>, String> {
    use std::io::Write;
    let mut child = std::process::Command::new(py)
        .args([script(), "decode".into()])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(bytes).unwrap();
    let out = child.wait_with_output().unwrap();
    if out.status.success() {
        Ok(out.stdout)
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

fn pixels(bytes: &[u8]) -> Vec<u8> {
    image::load_from_memory(bytes).unwrap().to_rgba8().into_raw()
}

/// RIFF chunks of a WebP file: (fourcc, offset of the data, size).
fn chunks(file: &[u8]) -> Vec<([u8; 4], usize, usize)> {
    let mut out = Vec::new();
    let mut pos = 12;
    let end = (u32::from_le_bytes(file[4..8].try_into().unwrap()) as usize + 8).min(file.len());
    while pos + 8 <= end {
        let size = u32::from_le_bytes(file[pos + 4..pos + 8].try_into().unwrap()) as usize;
        if pos + 8 + size > end {
            break;
        }
        out.push((file[pos..pos + 4].try_into().unwrap(), pos + 8, size));
        pos += 8 + size + (size & 1);
    }
    out
}

/// The file with chunk `fourcc`'s data replaced (sizes and padding written again).
fn with_chunk(file: &[u8], fourcc: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, at, size) in chunks(file) {
        let d = if &name == fourcc { data } else { &file[at..at + size] };
        body.extend_from_slice(&name);
        body.extend_from_slice(&(d.len() as u32).to_le_bytes());
        body.extend_from_slice(d);
        if d.len() % 2 == 1 {
            body.push(0);
        }
    }
    let mut out = b"RIFF".to_vec();
    out.extend_from_slice(&((body.len() + 4) as u32).to_le_bytes());
    out.extend_from_slice(b"WEBP");
    out.extend(body);
    out
}

fn chunk<'a>(file: &'a [u8], fourcc: &[u8; 4]) -> &'a [u8] {
    let (_, at, size) = chunks(file).into_iter().find(|c| &c.0 == fourcc).unwrap();
    &file[at..at + size]
}

/// The VP8 frame's parts, read independently of the crate: the 10-byte header,
/// the first partition, and the `n` token partitions.
fn vp8_parts(vp8: &[u8], n: usize) -> (Vec<u8>, Vec<u8>, Vec<Vec<u8>>) {
    let first = (u32::from_le_bytes([vp8[0], vp8[1], vp8[2], 0]) >> 5) as usize;
    let mut at = 10 + first + 3 * (n - 1);
    let mut parts = Vec::new();
    for p in 0..n {
        let size = if p + 1 < n {
            let s = &vp8[10 + first + 3 * p..];
            usize::from(s[0]) | usize::from(s[1]) << 8 | usize::from(s[2]) << 16
        } else {
            vp8.len() - at
        };
        parts.push(vp8[at..at + size].to_vec());
        at += size;
    }
    (vp8[..10].to_vec(), vp8[10..10 + first].to_vec(), parts)
}

fn vp8_join(head: &[u8], first: &[u8], parts: &[Vec<u8>]) -> Vec<u8> {
    let mut out = head.to_vec();
    let tag = (u32::from_le_bytes([head[0], head[1], head[2], 0]) & 0x1F) | ((first.len() as u32) << 5);
    out[..3].copy_from_slice(&tag.to_le_bytes()[..3]);
    out.extend_from_slice(first);
    for p in &parts[..parts.len() - 1] {
        out.extend_from_slice(&(p.len() as u32).to_le_bytes()[..3]);
    }
    parts.iter().for_each(|p| out.extend_from_slice(p));
    out
}

/// Hostile variants of a lossy WebP with `n` token partitions: the marker after each part.
fn planted(file: &[u8], n: usize) -> Vec<(String, Vec<u8>)> {
    let (head, first, parts) = vp8_parts(chunk(file, b"VP8 "), n);
    let mut out = Vec::new();
    let first_planted = [first.clone(), MARKER.to_vec()].concat();
    out.push(("after the first partition".to_string(), with_chunk(file, b"VP8 ", &vp8_join(&head, &first_planted, &parts))));
    for p in 0..n {
        let mut parts = parts.clone();
        parts[p].extend_from_slice(MARKER);
        let place = if p + 1 == n { "after the last token partition".to_string() } else { format!("between token partitions {p} and {}", p + 1) };
        out.push((place, with_chunk(file, b"VP8 ", &vp8_join(&head, &first, &parts))));
    }
    if chunks(file).iter().any(|c| &c.0 == b"ALPH") {
        let alph = [chunk(file, b"ALPH"), MARKER].concat();
        out.push(("after the transparency data".to_string(), with_chunk(file, b"ALPH", &alph)));
    }
    out
}

fn raw_marker(bytes: &[u8]) -> Vec<String> {
    let found = PIECES.iter().any(|p| bytes.windows(p.len()).any(|w| w == *p));
    if found { vec!["raw bytes".to_string()] } else { vec![] }
}

/// The copy of `file` holds no marker and shows `want` (the `image` crate's pixels of the
/// clean picture); with Python, libwebp shows the copy exactly as it shows `clean`.
fn check_copy(name: &str, file: &[u8], clean_file: &[u8], py: Option<&str>) -> Result<(), String> {
    let copy = clean(file, &CleanOptions::default()).map_err(|e| format!("{name}: refused ({e})"))?;
    if !copy.lossless {
        return Err(format!("{name}: the copy is not lossless"));
    }
    // A WebP copy holds no zlib or deflate data; the full search (every offset) is for small files.
    let l = if copy.bytes.len() < 4096 { leaks(&copy.bytes) } else { raw_marker(&copy.bytes) };
    if !l.is_empty() {
        return Err(format!("{name}: the marker survived ({})", l.join(", ")));
    }
    if pixels(&copy.bytes) != pixels(clean_file) {
        return Err(format!("{name}: the image crate shows other pixels"));
    }
    if let Some(py) = py {
        let want = libwebp_decode(py, clean_file).map_err(|e| format!("{name}: libwebp cannot read the fixture: {e}"))?;
        match libwebp_decode(py, &copy.bytes) {
            Ok(got) if got == want => {}
            Ok(_) => return Err(format!("{name}: libwebp shows other pixels")),
            Err(e) => return Err(format!("{name}: libwebp cannot read the copy: {e}")),
        }
    }
    thinktwice::safer::validate(&copy.bytes).map_err(|e| format!("{name}: the validator rejects the copy: {e}"))
}

#[test]
fn the_fuzz_found_vp8_leak_stays_fixed() {
    // Replays the fuzz target's own planting on the input it found.
    let (choice, photo) = fuzz_found();
    let at = photo.len() * usize::from(choice[0]) / 255;
    let mut file = photo.clone();
    if choice[1] & 1 == 0 {
        file.splice(at..at, MARKER.iter().copied());
    } else {
        file.splice(at..(at + MARKER.len()).min(photo.len()), MARKER.iter().copied());
    }
    let copy = clean(&file, &CleanOptions::default()).unwrap();
    assert!(raw_marker(&copy.bytes).is_empty());
    assert_eq!(pixels(&copy.bytes), pixels(&clean(&photo, &CleanOptions::default()).unwrap().bytes));
    assert!(copy.unread_bytes_removed >= MARKER.len(), "the dropped marker is counted as unread");
}

#[test]
fn a_marker_after_any_vp8_partition_does_not_survive() {
    let py = python();
    // The fuzz-found photo as a well-formed file: its chunks only (it has junk inside the RIFF
    // end), and no EXIF flag (its EXIF chunk is gone), so the image crate reads it.
    let (_, photo) = fuzz_found();
    let mut photo = with_chunk(&photo, b"VP8 ", chunk(&photo, b"VP8 "));
    let flags = chunks(&photo)[0].1;
    photo[flags] &= !0x08;
    let mut fixtures = vec![("fuzz-found photo".to_string(), photo, 1)];
    if let Some(py) = &py {
        for (w, h, parts, alpha) in [(100, 70, 0, 0), (100, 70, 1, 1), (100, 70, 2, 2), (100, 70, 3, 1), (40, 20, 3, 0), (1, 1, 3, 1), (33, 17, 0, 2)] {
            let look = ["", ", transparent", ", transparent (raw)"][usize::from(alpha)];
            fixtures.push((format!("libwebp {w}×{h}, {} partitions{look}", 1 << parts), libwebp_encode(py, w, h, parts, alpha), 1 << parts));
        }
    }
    let mut failures = Vec::new();
    let mut n = 0;
    for (name, file, parts) in &fixtures {
        for (place, hostile) in std::iter::once(("as it is".to_string(), file.clone())).chain(planted(file, *parts)) {
            n += 1;
            if let Err(e) = check_copy(&format!("{name}, marker {place}"), &hostile, file, py.as_deref()) {
                failures.push(e);
            }
        }
    }
    eprintln!("lossy WebP: {n} files ({} fixtures), {} failures", fixtures.len(), failures.len());
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn corpus_lossy_webp_copies_show_the_same_pixels() {
    let Some(dir) = common::corpus_part("metadata/files", "no_metadata_photo.webp") else {
        eprintln!("SKIP corpus lossy WebP: ../shared/corpus not found");
        return;
    };
    let py = python();
    let mut n = 0;
    let mut failures = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "webp") {
            continue;
        }
        let file = std::fs::read(&path).unwrap();
        if !chunks(&file).iter().any(|c| &c.0 == b"VP8 ") || image::load_from_memory(&file).is_err() {
            continue;
        }
        n += 1;
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let before = chunk(&file, b"VP8 ").len();
        match check_copy(&name, &file, &file, py.as_deref()) {
            Ok(()) => {
                let copy = clean(&file, &CleanOptions::default()).unwrap();
                eprintln!("  {name}: VP8 {before} → {} bytes", chunk(&copy.bytes, b"VP8 ").len());
            }
            Err(e) => failures.push(e),
        }
    }
    eprintln!("corpus lossy WebP: {n} files, {} failures", failures.len());
    assert!(n > 0, "no lossy WebP in the corpus");
    assert!(failures.is_empty(), "{failures:#?}");
}

/// What the check of such a file says about bytes inside its picture data that no
/// decoder reads: the evidence rows of its unreadable-data finding that name them.
fn picture_data_warnings(file: &[u8]) -> usize {
    let report = thinktwice::check(file, "photo.webp", &Default::default());
    report
        .findings
        .iter()
        .filter(|f| f.id == thinktwice::FindingId::UnreadableData)
        .flat_map(|f| &f.evidence)
        .filter(|e| e.value.contains("inside the picture data"))
        .count()
}

#[test]
fn the_check_warns_about_a_marker_after_any_vp8_partition_and_not_about_an_encoders_flush() {
    let py = python();
    let (_, photo) = fuzz_found();
    // The fuzz-found photo is a fuzzer's file (junk inside its picture data too): markers only.
    let mut fixtures = vec![("fuzz-found photo".to_string(), with_chunk(&photo, b"VP8 ", chunk(&photo, b"VP8 ")), 1)];
    if let Some(py) = &py {
        for (w, h, parts) in [(100, 70, 0), (100, 70, 2), (40, 20, 3)] {
            fixtures.push((format!("libwebp {w}×{h}, {} partitions", 1 << parts), libwebp_encode(py, w, h, parts, 0), 1 << parts));
        }
    }
    if let Some(dir) = common::corpus_part("metadata/files", "no_metadata_photo.webp") {
        for name in ["webp_canon_7d_serial_xmp.webp", "webp_htc_desire_gps.webp", "webp_nikon_p7000_xmp_thumb.webp"] {
            if let Ok(file) = std::fs::read(dir.join(name)) {
                fixtures.push((name.to_string(), file, 1));
            }
        }
    } else {
        eprintln!("SKIP corpus part: ../shared/corpus not found");
    }
    let mut failures = Vec::new();
    for (name, file, parts) in &fixtures {
        if !name.starts_with("fuzz") && picture_data_warnings(file) != 0 {
            failures.push(format!("{name}: a false alarm on the file as its encoder wrote it"));
        }
        for (place, hostile) in planted(file, *parts).into_iter().filter(|(p, _)| !p.contains("transparency")) {
            if picture_data_warnings(&hostile) == 0 {
                failures.push(format!("{name}, marker {place}: the check is silent"));
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

/// A few bytes claiming a 16383 × 16383 lossy picture (a million macroblocks) are
/// refused as soon as their data runs out, not read to the end as zeros.
#[test]
fn a_tiny_vp8_claiming_a_huge_picture_is_refused_quickly() {
    let mut vp8 = Vec::new();
    let first = 4u32; // first partition: 4 bytes
    vp8.extend_from_slice(&(first << 5).to_le_bytes()[..3]); // key frame, version 0, shown... as a tag
    vp8[0] |= 0x10; // show_frame
    vp8.extend_from_slice(&[0x9D, 0x01, 0x2A]);
    vp8.extend_from_slice(&0x3FFFu16.to_le_bytes());
    vp8.extend_from_slice(&0x3FFFu16.to_le_bytes());
    vp8.extend_from_slice(&[0; 4]);
    vp8.extend_from_slice(&[0; 4]); // the one token partition
    let mut file = b"RIFF".to_vec();
    let body = [&b"WEBPVP8 "[..], &(vp8.len() as u32).to_le_bytes(), &vp8].concat();
    file.extend_from_slice(&(body.len() as u32).to_le_bytes());
    file.extend(body);
    // Its time is in the cost benchmark (bench/cost_files.rs: vp8-huge-frame-tiny-data).
    assert!(clean(&file, &CleanOptions::default()).is_err(), "no copy of a picture whose data ends at once");
}
