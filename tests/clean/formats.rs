//! Lossless safer copies of byte-built JPEG, PNG and WebP files: what goes,
//! what stays, that the file stays valid (WebP flags and sizes) and that the
//! pixels are identical. Also the `clean` subcommand.
#![cfg(not(target_arch = "wasm32"))] // native only: reads files, runs the CLI

use crate::common;

use common::*;
use std::process::Command;
use thinktwice::{clean, CleanOptions};

fn same_pixels(a: &[u8], b: &[u8]) {
    let (a, b) = (image::load_from_memory(a).unwrap(), image::load_from_memory(b).unwrap());
    assert_eq!((a.color(), a.width(), a.height()), (b.color(), b.width(), b.height()));
    assert_eq!(a.as_bytes(), b.as_bytes());
}

fn ids(c: &thinktwice::Cleaned) -> Vec<&str> {
    c.verified_report.findings.iter().map(|f| f.id.as_str()).collect()
}

#[test]
fn jpeg_loses_exif_xmp_comment_and_trailer_and_keeps_the_picture() {
    let t = tiff(vec![ascii(0x013B, "Asha Verma"), short(0x0112, 8)], vec![], gps_entries(12.97, 77.59));
    let mut file = jpeg_with(&[exif_app1(&t), xmp_app1("<x:xmpmeta/>"), com("call 0123 456789")], 24, 16);
    file.extend_from_slice(b"SECRET-VIDEO-BYTES-AFTER-EOI");
    let copy = clean(&file, &CleanOptions::default()).unwrap();
    assert!(copy.lossless && ids(&copy).is_empty(), "{:?}", ids(&copy));
    assert!(copy.removed.contains(&thinktwice::FindingId::GpsLocation) && copy.removed.contains(&thinktwice::FindingId::PersonName));
    assert_eq!(copy.kept, vec![thinktwice::Kept::Orientation]);
    assert!(!copy.bytes.windows(6).any(|w| w == b"SECRET") && !copy.bytes.windows(4).any(|w| w == b"Asha"));
    // Orientation 8 survives in a minimal EXIF, so the photo is shown the same way.
    let walked = thinktwice::container::walk(&copy.bytes).unwrap();
    assert_eq!(thinktwice::meta::read(&walked).orientation, Some(8));
    same_pixels(&file, &copy.bytes);
}

#[test]
fn png_loses_text_time_exif_and_trailer_and_keeps_colour_chunks() {
    let t = tiff(vec![ascii(0x013B, "Asha Verma")], vec![], vec![]);
    let mut file = png_with(&[
        (b"gAMA", 45455u32.to_be_bytes().to_vec()),
        (b"tEXt", b"Author\0Asha Verma".to_vec()),
        (b"tIME", vec![7, 234, 1, 26, 9, 30, 0]),
        (b"eXIf", t),
        (b"zzZz", b"vendor".to_vec()),
    ]);
    file.extend_from_slice(b"TRAILING-SECRET");
    let copy = clean(&file, &CleanOptions::default()).unwrap();
    assert!(ids(&copy).is_empty(), "{:?}", ids(&copy));
    let has = |name: &[u8]| copy.bytes.windows(4).any(|w| w == name);
    assert!(has(b"gAMA") && has(b"IHDR") && has(b"IDAT") && has(b"IEND"));
    assert!(!has(b"tEXt") && !has(b"tIME") && !has(b"eXIf") && !has(b"zzZz") && !has(b"TRAI"));
    assert!(copy.bytes.ends_with(&png_chunk(b"IEND", &[])));
    same_pixels(&file, &copy.bytes);
}

/// A real lossless WebP bitstream from the `image` crate, as its VP8L chunk.
fn vp8l_chunk() -> Vec<u8> {
    let img = image::RgbaImage::from_fn(5, 3, |x, y| image::Rgba([x as u8 * 40, y as u8 * 80, 7, 255]));
    let mut out = Vec::new();
    image::codecs::webp::WebPEncoder::new_lossless(&mut out)
        .encode(img.as_raw(), 5, 3, image::ExtendedColorType::Rgba8)
        .unwrap();
    out[12..].to_vec()
}

fn riff_chunk(fourcc: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut c = fourcc.to_vec();
    c.extend_from_slice(&(data.len() as u32).to_le_bytes());
    c.extend_from_slice(data);
    if data.len() % 2 == 1 {
        c.push(0);
    }
    c
}

fn webp(chunks: &[Vec<u8>], tail: &[u8]) -> Vec<u8> {
    let body = chunks.concat();
    let mut f = b"RIFF".to_vec();
    f.extend_from_slice(&((body.len() + 4) as u32).to_le_bytes());
    f.extend_from_slice(b"WEBP");
    f.extend(body);
    f.extend_from_slice(tail);
    f
}

#[test]
fn webp_loses_exif_and_xmp_and_gets_correct_flags_and_size() {
    let vp8x = |flags: u8| riff_chunk(b"VP8X", &[flags, 0, 0, 0, 4, 0, 0, 2, 0, 0]);
    let t = tiff(vec![ascii(0x013B, "Asha Verma"), short(0x0112, 3)], vec![], gps_entries(1.0, 2.0));
    let file = webp(
        &[vp8x(0x08 | 0x04 | 0x10), vp8l_chunk(), riff_chunk(b"EXIF", &t), riff_chunk(b"XMP ", b"<x:xmpmeta/>")],
        b"TRAILING-SECRET",
    );
    let copy = clean(&file, &CleanOptions::default()).unwrap();
    assert!(ids(&copy).is_empty(), "{:?}", ids(&copy));
    let out = &copy.bytes;
    assert_eq!(u32::from_le_bytes(out[4..8].try_into().unwrap()) as usize, out.len() - 8, "RIFF size");
    // Alpha stays; XMP gone; EXIF is back only as the minimal orientation block.
    assert_eq!(out[20], 0x10 | 0x08);
    assert!(!out.windows(4).any(|w| w == b"XMP ") && !out.windows(4).any(|w| w == b"Asha"));
    let walked = thinktwice::container::walk(out).unwrap();
    assert_eq!(thinktwice::meta::read(&walked).orientation, Some(3));
    same_pixels(&file, out);

    // Nothing to keep at all: the EXIF flag is cleared too.
    let upright = tiff(vec![ascii(0x013B, "Asha Verma")], vec![], vec![]);
    let file = webp(&[vp8x(0x08 | 0x10), vp8l_chunk(), riff_chunk(b"EXIF", &upright)], b"");
    let copy = clean(&file, &CleanOptions::default()).unwrap();
    assert_eq!(copy.bytes[20], 0x10);
    assert!(!copy.bytes.windows(4).any(|w| w == b"EXIF"));
    same_pixels(&file, &copy.bytes);
}

#[test]
fn keep_options_write_only_the_chosen_values() {
    let file = camera_jpeg(48.858_37, 2.294_48);
    let copy = clean(&file, &CleanOptions { keep_date: true, ..Default::default() }).unwrap();
    assert_eq!(ids(&copy), vec!["capture-time"]);
    let copy = clean(&file, &CleanOptions { keep_author: true, ..Default::default() }).unwrap();
    assert_eq!(ids(&copy), vec!["person-name"]);
    let copy = clean(&file, &CleanOptions { town_only: true, ..Default::default() }).unwrap();
    assert_eq!(ids(&copy), vec!["gps-location"]);
    let loc = copy.verified_report.location.unwrap();
    assert!((loc.lat - 48.9).abs() < 1e-6 && (loc.lon - 2.3).abs() < 1e-6, "{loc:?}");
    assert!(copy.removed.contains(&thinktwice::FindingId::DeviceSerial));
}

#[test]
fn cli_clean_writes_the_copy_and_says_what_was_removed() {
    let dir = std::env::temp_dir().join(format!("thinktwice-clean-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (input, output) = (dir.join("in.jpg"), dir.join("out.jpg"));
    std::fs::write(&input, camera_jpeg(10.0, 20.0)).unwrap();
    let run = Command::new(env!("CARGO_BIN_EXE_thinktwice"))
        .arg("clean")
        .arg(&input)
        .arg("-o")
        .arg(&output)
        .arg("--keep-date")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(run.status.success(), "{stdout} {}", String::from_utf8_lossy(&run.stderr));
    assert!(stdout.contains("Removed:") && stdout.contains("gps-location"), "{stdout}");
    assert!(stdout.contains("Kept: capture-time"), "{stdout}");
    let report = thinktwice::check(&std::fs::read(&output).unwrap(), "out.jpg", &Default::default());
    assert!(report.findings.iter().all(|f| f.id == thinktwice::FindingId::CaptureTime));
    let bad =
        Command::new(env!("CARGO_BIN_EXE_thinktwice")).args(["clean", "x.jpg", "--cover", "1,2"]).output().unwrap();
    assert_eq!(bad.status.code(), Some(2));
    let _ = std::fs::remove_dir_all(&dir);
}

/// A DNG whose IFD0 (with GPS, a name and Orientation 6) points at a JPEG preview of
/// `width`×`height` that carries its own EXIF with GPS and a comment, as a single strip.
fn dng_with_preview(width: u32, height: u32) -> (Vec<u8>, Vec<u8>) {
    let preview_exif = tiff(vec![ascii(0x013B, "Asha Verma")], vec![], gps_entries(12.97, 77.59));
    let preview = jpeg_with(&[exif_app1(&preview_exif), com("SECRET note")], width, height);
    let long = |tag: u16, v: u32| Entry { tag, typ: 4, count: 1, data: v.to_be_bytes().to_vec() };
    let build = |preview_at: u32| {
        let ifd0 = vec![
            long(0x00FE, 1), // NewSubfileType: reduced-resolution (a preview)
            short(0x0103, 7), // Compression: JPEG
            short(0x0106, 6), // PhotometricInterpretation: YCbCr
            long(0x0111, preview_at),
            long(0x0117, preview.len() as u32),
            short(0x0112, 6),
            ascii(0x010F, "Apple"),
            ascii(0x013B, "Asha Verma"),
            Entry { tag: 50706, typ: 1, count: 4, data: vec![1, 4, 0, 0] }, // DNGVersion
        ];
        tiff(ifd0, vec![], gps_entries(48.85, 2.29))
    };
    // The TIFF's size does not depend on the offset values: build once to learn where the preview goes.
    let mut file = build(0);
    file = build(file.len() as u32);
    file.extend_from_slice(&preview);
    (file, preview)
}

#[test]
fn dng_becomes_the_cameras_preview_upright_with_nothing_else() {
    let (file, preview) = dng_with_preview(1200, 800);
    assert_eq!(thinktwice::container::sniff(&file), thinktwice::container::Format::Dng);
    let copy = clean(&file, &CleanOptions::default()).unwrap();
    assert_eq!(copy.format, thinktwice::container::Format::Jpeg);
    assert!(copy.lossless && ids(&copy).is_empty(), "{:?}", ids(&copy));
    assert_eq!(copy.kept, vec![thinktwice::Kept::Orientation, thinktwice::Kept::CameraPreview]);
    assert!(copy.removed.contains(&thinktwice::FindingId::GpsLocation) && copy.removed.contains(&thinktwice::FindingId::PersonName));
    assert!(!copy.bytes.windows(4).any(|w| w == b"Asha") && !copy.bytes.windows(6).any(|w| w == b"SECRET"));
    // The DNG's orientation is the copy's only EXIF value; the pixels are the preview's own.
    let walked = thinktwice::container::walk(&copy.bytes).unwrap();
    assert_eq!(thinktwice::meta::read(&walked).orientation, Some(6));
    same_pixels(&preview, &copy.bytes);
    // ExifTool reads the same preview out of the synthetic DNG (the fixture is what it claims to be).
    let path = std::env::temp_dir().join(format!("thinktwice-dng-fixture-{}.dng", std::process::id()));
    std::fs::write(&path, &file).unwrap();
    if common::exiftool_available() {
        let out = Command::new("exiftool").args(["-b", "-PreviewImage"]).arg(&path).output().expect("run exiftool");
        assert!(out.status.success() && out.stdout == preview, "exiftool sees another preview");
    }
    let _ = std::fs::remove_file(&path);
}

#[test]
fn dng_with_only_a_thumbnail_is_refused_in_plain_words() {
    let (file, _) = dng_with_preview(256, 171);
    let err = clean(&file, &CleanOptions::default()).unwrap_err();
    assert!(matches!(err, thinktwice::CleanError::Unsupported(_)), "{err:?}");
    assert!(err.to_string().contains("small preview (256×171 pixels)"), "{err}");
    // Cut short before the preview: nothing to share at all.
    let (file, preview) = dng_with_preview(1200, 800);
    let err = clean(&file[..file.len() - preview.len() / 2], &CleanOptions::default()).unwrap_err();
    assert!(err.to_string().contains("no finished picture"), "{err}");
}
