//! Covering areas: irreversible (solid or coarse blocks), only inside the box,
//! with orientation applied and the old metadata gone. Also times a 12 MP JPEG
//! (printed, not asserted). Fixtures are made here with the `image` crate.
#![cfg(not(target_arch = "wasm32"))] // native only: reads files, runs the CLI

use crate::common;

use std::time::Instant;
use thinktwice::{clean, CleanError, CleanOptions, CoverBox, CoverStyle};

/// Busy but photo-like pixels (so that averaging visibly changes them), deterministic.
fn busy_rgb(w: u32, h: u32) -> image::RgbImage {
    image::RgbImage::from_fn(w, h, |x, y| {
        let wave = 128.0 + 100.0 * (x as f64 / 5.0).sin() * (y as f64 / 7.0).cos();
        image::Rgb([(x * 255 / w) as u8, (y * 255 / h) as u8, wave as u8])
    })
}

fn png_bytes(img: &image::RgbImage) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

fn jpeg_bytes(img: &image::RgbImage, quality: u8) -> Vec<u8> {
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality).encode_image(img).unwrap();
    out
}

/// Inserts an APP1 EXIF segment (TIFF `tiff`) after SOI.
fn with_exif(jpeg: &[u8], tiff: &[u8]) -> Vec<u8> {
    let (marker, payload) = common::exif_app1(tiff);
    let mut out = vec![0xFF, 0xD8, 0xFF, marker];
    out.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
    out.extend_from_slice(&payload);
    out.extend_from_slice(&jpeg[2..]);
    out
}

/// EXIF with Orientation, an Artist and a GPS position.
fn exif_orientation_artist_gps(orientation: u16) -> Vec<u8> {
    let ifd0 = vec![common::short(0x0112, orientation), common::ascii(0x013B, "Jane Doe")];
    common::tiff(ifd0, vec![], common::gps_entries(48.8583, 2.2945))
}

#[test]
fn png_cover_is_blocky_inside_and_exact_outside() {
    let img = busy_rgb(200, 150);
    let b = CoverBox { x: 40, y: 30, w: 96, h: 64 };
    let options = CleanOptions { cover: vec![b], ..Default::default() };
    let copy = clean(&png_bytes(&img), &options).expect("covered copy");
    assert!(!copy.lossless);
    let out = image::load_from_memory(&copy.bytes).unwrap().to_rgb8();
    assert_eq!(out.dimensions(), img.dimensions());
    let block = 12; // max(96, 64) / 8 = 12, also the minimum
    let mut changed = 0;
    for y in 0..150 {
        for x in 0..200 {
            let inside = x >= b.x && x < b.x + b.w && y >= b.y && y < b.y + b.h;
            if !inside {
                assert_eq!(out.get_pixel(x, y), img.get_pixel(x, y), "outside changed at {x},{y}");
                continue;
            }
            // Every pixel equals the top-left pixel of its block.
            let (bx, by) = (b.x + (x - b.x) / block * block, b.y + (y - b.y) / block * block);
            assert_eq!(out.get_pixel(x, y), out.get_pixel(bx, by), "block not uniform at {x},{y}");
            changed += (out.get_pixel(x, y) != img.get_pixel(x, y)) as usize;
        }
    }
    assert!(changed > (b.w * b.h) as usize * 9 / 10, "only {changed} pixels changed");
}

#[test]
fn solid_cover_fills_one_colour() {
    let img = busy_rgb(64, 64);
    let b = CoverBox { x: 10, y: 10, w: 30, h: 20 };
    let options = CleanOptions { cover: vec![b], cover_style: CoverStyle::Solid, ..Default::default() };
    let out = image::load_from_memory(&clean(&png_bytes(&img), &options).unwrap().bytes).unwrap().to_rgb8();
    let fill = *out.get_pixel(10, 10);
    for y in 10..30 {
        for x in 10..40 {
            assert_eq!(*out.get_pixel(x, y), fill);
        }
    }
    assert_eq!(out.get_pixel(9, 9), img.get_pixel(9, 9));
}

#[test]
fn jpeg_cover_turns_upright_drops_metadata_and_stays_close_outside() {
    let (w, h) = (320u32, 240u32);
    let img = busy_rgb(w, h);
    // Orientation 6: viewers turn the stored picture 90° clockwise, so it shows as 240×320.
    let file = with_exif(&jpeg_bytes(&img, 95), &exif_orientation_artist_gps(6));
    let before = thinktwice::check(&file, "x.jpg", &Default::default());
    assert!(before.findings.iter().any(|f| f.id == thinktwice::FindingId::GpsLocation), "fixture has GPS");
    let b = CoverBox { x: 50, y: 100, w: 120, h: 96 }; // upright coordinates
    let copy = clean(&file, &CleanOptions { cover: vec![b], ..Default::default() }).expect("covered copy");
    assert!(copy.verified_report.findings.is_empty(), "{:?}", copy.verified_report.findings);
    assert!(copy.removed.contains(&thinktwice::FindingId::GpsLocation) && copy.removed.contains(&thinktwice::FindingId::PersonName));
    let out = image::load_from_memory(&copy.bytes).unwrap().to_rgb8();
    assert_eq!(out.dimensions(), (h, w), "orientation applied to the pixels");
    let mut upright = image::DynamicImage::ImageRgb8(image::load_from_memory(&file).unwrap().to_rgb8());
    upright.apply_orientation(image::metadata::Orientation::Rotate90);
    let upright = upright.to_rgb8();
    let diff = |p: &image::Rgb<u8>, q: &image::Rgb<u8>| {
        p.0.iter().zip(q.0).map(|(a, b)| (*a as i32 - b as i32).abs()).max().unwrap_or(0)
    };
    let (mut outside_sum, mut outside_n) = (0f64, 0f64);
    let block = 15; // 120 / 8
    let (mut dev_sum, mut dev_n, mut changed) = (0f64, 0f64, 0usize);
    for y in 0..w {
        for x in 0..h {
            let inside = x >= b.x && x < b.x + b.w && y >= b.y && y < b.y + b.h;
            let d = diff(out.get_pixel(x, y), upright.get_pixel(x, y));
            if inside {
                let cx = (b.x + (x - b.x) / block * block + block / 2).min(b.x + b.w - 1);
                let cy = (b.y + (y - b.y) / block * block + block / 2).min(b.y + b.h - 1);
                dev_sum += diff(out.get_pixel(x, y), out.get_pixel(cx, cy)) as f64;
                dev_n += 1.0;
                changed += (d > 8) as usize;
            } else {
                outside_sum += d as f64;
                outside_n += 1.0;
            }
        }
    }
    let outside_mean = outside_sum / outside_n;
    let block_dev = dev_sum / dev_n;
    eprintln!("jpeg cover: mean difference outside {outside_mean:.2}, mean deviation inside a block {block_dev:.2}");
    assert!(outside_mean < 3.0, "outside changed too much: {outside_mean}");
    assert!(block_dev < 4.0, "blocks not uniform: {block_dev}");
    assert!(changed > (b.w * b.h) as usize / 2, "the covered area hardly changed: {changed}");
}

/// A JPEG written with the given colour sampling and a tiny (opaque) colour profile.
fn jpeg_sampled(img: &image::RgbImage, sampling: jpeg_encoder::SamplingFactor, icc: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = jpeg_encoder::Encoder::new(&mut out, 90);
    encoder.set_sampling_factor(sampling);
    encoder.add_icc_profile(icc).unwrap();
    encoder.encode(img.as_raw(), img.width() as u16, img.height() as u16, jpeg_encoder::ColorType::Rgb).unwrap();
    out
}

/// The colour sampling and colour profile a JPEG was written with, as its decoder reads them.
fn sampling_and_icc(jpeg: &[u8]) -> (zune_jpeg::SampleRatios, Option<Vec<u8>>) {
    let mut decoder = zune_jpeg::JpegDecoder::new(zune_jpeg::zune_core::bytestream::ZCursor::new(jpeg));
    decoder.decode_headers().unwrap();
    (decoder.info().unwrap().sample_ratio, decoder.icc_profile())
}

#[test]
fn a_covered_jpeg_keeps_its_colour_sampling_and_profile() {
    use jpeg_encoder::SamplingFactor;
    use zune_jpeg::SampleRatios;
    let icc = display_profile_named("Ravi's laptop screen");
    let red_colorant = xyz_tag(28564, 14688, 1016);
    let img = busy_rgb(160, 96);
    // (written with, EXIF orientation, expected in the copy): a quarter turn swaps across and down.
    let cases = [
        (SamplingFactor::F_1_1, 1, SampleRatios::None),
        (SamplingFactor::F_2_2, 1, SampleRatios::HV),
        (SamplingFactor::F_2_1, 1, SampleRatios::H),
        (SamplingFactor::F_2_1, 6, SampleRatios::V),
        (SamplingFactor::F_2_2, 8, SampleRatios::HV),
    ];
    for (sampling, orientation, expected) in cases {
        let file = with_exif(&jpeg_sampled(&img, sampling, &icc), &exif_orientation_artist_gps(orientation));
        let (before, _) = sampling_and_icc(&file);
        let options = CleanOptions { cover: vec![CoverBox { x: 10, y: 10, w: 40, h: 40 }], ..Default::default() };
        let copy = clean(&file, &options).expect("covered copy");
        let (after, copy_icc) = sampling_and_icc(&copy.bytes);
        assert_eq!(after, expected, "{before:?} with orientation {orientation}");
        // The copy keeps the profile's colours, rebuilt without its name (clean::profile).
        let copy_icc = copy_icc.expect("colour profile kept");
        assert!(copy_icc.windows(red_colorant.len()).any(|w| w == red_colorant), "colours kept");
        assert!(!copy_icc.windows(4).any(|w| w == b"Ravi"), "the profile's name is gone");
        assert!(copy.kept.contains(&thinktwice::Kept::ColourProfile));
        let without = CleanOptions { keep_colour_profile: false, ..options };
        assert_eq!(sampling_and_icc(&clean(&file, &without).unwrap().bytes).1, None, "profile dropped on request");
    }
}

/// The data of one tag of an ICC profile, by signature.
fn icc_tag<'p>(profile: &'p [u8], sig: &[u8; 4]) -> Option<&'p [u8]> {
    let be = |at: usize| Some(u32::from_be_bytes(profile.get(at..at + 4)?.try_into().ok()?) as usize);
    (0..be(128)?).find_map(|i| {
        let entry = 132 + 12 * i;
        (profile.get(entry..entry + 4)? == sig).then(|| profile.get(be(entry + 4)?..be(entry + 4)? + be(entry + 8)?)).flatten()
    })
}

/// An `XYZ ` tag: one XYZ number in s15Fixed16.
fn xyz_tag(x: i32, y: i32, z: i32) -> Vec<u8> {
    let mut t = b"XYZ \0\0\0\0".to_vec();
    for v in [x, y, z] {
        t.extend_from_slice(&v.to_be_bytes());
    }
    t
}

/// A small RGB display profile (v2, "mntr", RGB → XYZ) whose description names someone.
fn display_profile_named(name: &str) -> Vec<u8> {
    let mut desc = b"desc\0\0\0\0".to_vec();
    desc.extend_from_slice(&(name.len() as u32 + 1).to_be_bytes());
    desc.extend_from_slice(name.as_bytes());
    desc.extend_from_slice(&[0; 1 + 4 + 4 + 2 + 1 + 67]);
    let gamma = b"curv\0\0\0\0\0\0\0\x01\x02\x33".to_vec();
    let tags: Vec<(&[u8; 4], Vec<u8>)> = vec![
        (b"desc", desc),
        (b"wtpt", xyz_tag(63190, 65536, 54061)),
        (b"rXYZ", xyz_tag(28564, 14688, 1016)),
        (b"gXYZ", xyz_tag(21578, 45182, 4633)),
        (b"bXYZ", xyz_tag(9862, 5666, 47049)),
        (b"rTRC", gamma.clone()),
        (b"gTRC", gamma.clone()),
        (b"bTRC", gamma),
    ];
    let mut table = (tags.len() as u32).to_be_bytes().to_vec();
    let mut data = Vec::new();
    let first = 128 + 4 + 12 * tags.len();
    for (sig, body) in &tags {
        table.extend_from_slice(*sig);
        table.extend_from_slice(&((first + data.len()) as u32).to_be_bytes());
        table.extend_from_slice(&(body.len() as u32).to_be_bytes());
        data.extend_from_slice(body);
        while data.len() % 4 != 0 {
            data.push(0);
        }
    }
    let mut p = vec![0u8; 128];
    let size = (128 + table.len() + data.len()) as u32;
    p[..4].copy_from_slice(&size.to_be_bytes());
    p[8..12].copy_from_slice(&[2, 0x10, 0, 0]);
    p[12..24].copy_from_slice(b"mntrRGB XYZ ");
    p[36..40].copy_from_slice(b"acsp");
    p[68..80].copy_from_slice(&[0, 0, 0xF6, 0xD6, 0, 1, 0, 0, 0, 0, 0xD3, 0x2D]); // D50 illuminant
    p.extend(table);
    p.extend(data);
    p
}

/// How many JPEG start-of-image markers a file holds: the main picture, plus one per embedded
/// thumbnail or preview (FF D8 never occurs inside entropy-coded data).
fn start_of_image_count(bytes: &[u8]) -> usize {
    bytes.windows(2).filter(|w| w == &[0xFF, 0xD8]).count()
}

/// Real camera photos: a covered copy holds no thumbnail or preview, keeps the sRGB
/// profile byte for byte, and its re-check finds nothing.
#[test]
fn covered_camera_photos_lose_thumbnails_and_keep_their_profile() {
    let Some(dir) = common::corpus_part("metadata/files", "") else {
        eprintln!("skipped: the shared corpus is absent (set THINKTWICE_CORPUS)");
        return;
    };
    // IFD1 thumbnail; Nikon maker-note preview; sRGB ICC profile.
    for name in ["apple_iphone6_gps_makernote.jpg", "nikon_d70s_gps_serial_iptc.jpg", "olympus_fe230_gps_xmp_iptc.jpg"] {
        let file = std::fs::read(dir.join(name)).unwrap();
        let options = CleanOptions { cover: vec![CoverBox { x: 200, y: 200, w: 300, h: 300 }], ..Default::default() };
        let copy = clean(&file, &options).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(start_of_image_count(&copy.bytes), 1, "{name}: a thumbnail or preview is left");
        assert!(copy.verified_report.findings.is_empty(), "{name}: {:?}", copy.verified_report.findings);
        let (_, icc_before) = sampling_and_icc(&file);
        let icc_after = sampling_and_icc(&copy.bytes).1;
        assert_eq!(icc_after.is_some(), icc_before.is_some(), "{name}: colour profile kept");
        if let (Some(before), Some(after)) = (&icc_before, &icc_after) {
            // Its colours are kept exactly; its name, maker and date are not (clean::profile).
            for tag in [b"rXYZ", b"gXYZ", b"bXYZ", b"wtpt", b"rTRC"] {
                assert_eq!(icc_tag(after, tag), icc_tag(before, tag), "{name}: {}", String::from_utf8_lossy(tag));
            }
            assert!(!after.windows(7).any(|w| w == b"Hewlett"), "{name}: the profile's maker is gone");
        }
        if name.starts_with("olympus") {
            assert!(icc_before.is_some(), "the fixture has a profile");
        } else {
            assert!(start_of_image_count(&file) > 1, "{name}: the fixture has a thumbnail or preview");
        }
    }
}

#[test]
fn a_box_outside_the_picture_is_refused() {
    let img = busy_rgb(40, 30);
    let options = CleanOptions { cover: vec![CoverBox { x: 100, y: 100, w: 10, h: 10 }], ..Default::default() };
    assert!(matches!(clean(&png_bytes(&img), &options), Err(CleanError::BadBox(_))));
}

#[test]
fn the_input_is_never_changed() {
    let file = with_exif(&jpeg_bytes(&busy_rgb(64, 48), 90), &exif_orientation_artist_gps(1));
    let before = file.clone();
    let copy = clean(&file, &CleanOptions::default()).unwrap();
    assert_eq!(file, before);
    assert!(copy.bytes.len() < file.len());
    let a = image::load_from_memory(&file).unwrap();
    let b = image::load_from_memory(&copy.bytes).unwrap();
    assert_eq!(a.as_bytes(), b.as_bytes(), "lossless path keeps every pixel");
}

/// Prints how long a 12 MP JPEG takes (lossless, and with one face covered).
#[test]
fn timing_12_megapixel_jpeg() {
    let (w, h) = (4000u32, 3000u32);
    let file = with_exif(&jpeg_bytes(&busy_rgb(w, h), 90), &exif_orientation_artist_gps(1));
    let t = Instant::now();
    let lossless = clean(&file, &CleanOptions::default()).expect("lossless copy");
    let t_lossless = t.elapsed();
    let options = CleanOptions { cover: vec![CoverBox { x: 1500, y: 1000, w: 600, h: 700 }], ..Default::default() };
    let t = Instant::now();
    let covered = clean(&file, &options).expect("covered copy");
    let t_cover = t.elapsed();
    let stages: Vec<String> =
        thinktwice::clean::last_stage_times().iter().map(|(stage, ms)| format!("{stage} {ms:.1}")).collect();
    eprintln!(
        "12 MP JPEG ({} bytes): lossless {:?} → {} bytes; with covering {:?} → {} bytes (quality {}; ms: {})",
        file.len(),
        t_lossless,
        lossless.bytes.len(),
        t_cover,
        covered.bytes.len(),
        92,
        stages.join(" | ")
    );
}
