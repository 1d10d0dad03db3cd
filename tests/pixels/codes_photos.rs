//! Codes in photos: encode a code of every kind with rxing's encoders, place it
//! in a generated photo-like picture (scaled, rotated up to 30°, perspective-
//! skewed, JPEG-compressed) and check that the code finder reads it with the
//! right format and kind and exactly the encoded text, that nothing else is
//! read (no wrong text, no code that is not there), and that its box (the
//! page outlines it) holds the code. The default run covers every format on
//! a small deterministic sample; the `#[ignore]`d sweep runs many more on
//! bigger photos.
#![cfg(feature = "codes")]

use crate::common;

use image::{codecs::jpeg::JpegEncoder, RgbImage};
use rxing::{BarcodeFormat, EncodeHints, MultiFormatWriter, Writer};
use std::collections::BTreeMap;
use thinktwice::codes::{find_codes_with_texts, find_in_file};
use thinktwice::Code;
use thinktwice::CodeKind;

use common::Rng;

const BOARDING: &str = "M1SHARMA/SUNITA MS    EABC123 DELBOMAI 0101 123Y012A0042 100";

/// Content of every kind, and the formats such content is printed in.
fn payloads() -> Vec<(CodeKind, &'static str, Vec<BarcodeFormat>)> {
    use BarcodeFormat::*;
    vec![
        (CodeKind::BoardingPass, BOARDING, vec![PDF_417, AZTEC, QR_CODE]),
        (CodeKind::Wifi, "WIFI:T:WPA;S:Sharma Home;P:mango2024!;;", vec![QR_CODE]),
        (CodeKind::Payment, "upi://pay?pa=9876543210@ybl&pn=Sunita%20Sharma&cu=INR", vec![QR_CODE]),
        (
            CodeKind::Contact,
            "BEGIN:VCARD\nVERSION:3.0\nFN:Sunita Sharma\nTEL:+919876543210\nEMAIL:sunita@example.com\nEND:VCARD",
            vec![QR_CODE, DATA_MATRIX],
        ),
        (CodeKind::Contact, "MECARD:N:Sharma,Sunita;TEL:9876543210;;", vec![QR_CODE]),
        (CodeKind::Phone, "tel:+919876543210", vec![QR_CODE, CODE_128, DATA_MATRIX]),
        // 1-D codes are wide (11 modules a character): short content only.
        (CodeKind::Url, "https://ex.co/8f3", vec![CODE_128]),
        (CodeKind::Text, "LOCKER 42-7781", vec![CODE_128]),
        (CodeKind::Email, "mailto:sunita@example.com", vec![QR_CODE, AZTEC]),
        (CodeKind::Geo, "geo:19.0760,72.8777", vec![QR_CODE, CODE_128]),
        (CodeKind::Url, "https://example.com/t/8f3k2", vec![QR_CODE, DATA_MATRIX]),
        (CodeKind::Text, "Locker 42 code 7781", vec![QR_CODE, AZTEC, PDF_417]),
    ]
}

fn format_id(f: BarcodeFormat) -> &'static str {
    match f {
        BarcodeFormat::QR_CODE => "qr",
        BarcodeFormat::AZTEC => "aztec",
        BarcodeFormat::PDF_417 => "pdf417",
        BarcodeFormat::DATA_MATRIX => "data-matrix",
        _ => "code-128",
    }
}

/// The code as a grid of modules (true = dark), with a 4-module quiet zone.
struct Symbol {
    dark: Vec<bool>,
    w: usize,
    h: usize,
}

fn encode(text: &str, format: BarcodeFormat) -> Symbol {
    let hints = EncodeHints { Margin: Some("0".into()), ..Default::default() };
    let m = MultiFormatWriter.encode_with_hints(text, &format, 1, 1, &hints).expect("encodes");
    let (mw, mh) = (m.width() as usize, m.height() as usize);
    // A 1-D code is one row of bars; print it about a third as tall as wide.
    let rows = if format == BarcodeFormat::CODE_128 { mw * 35 / 100 } else { mh };
    let q = 4;
    let (w, h) = (mw + 2 * q, rows + 2 * q);
    let mut dark = vec![false; w * h];
    for y in 0..rows {
        for x in 0..mw {
            let src_y = if format == BarcodeFormat::CODE_128 { 0 } else { y };
            dark[(y + q) * w + x + q] = m.get(x as u32, src_y as u32);
        }
    }
    Symbol { dark, w, h }
}

/// A photo-like background: soft colour gradients, a few "objects", sensor noise.
fn background(rng: &mut Rng, w: u32, h: u32) -> RgbImage {
    let waves: Vec<[f64; 4]> =
        (0..6).map(|_| [rng.range(0.5, 4.0), rng.range(0.5, 4.0), rng.range(0.0, 6.3), rng.range(20.0, 50.0)]).collect();
    let base = [rng.range(60.0, 180.0), rng.range(60.0, 180.0), rng.range(60.0, 180.0)];
    let rects: Vec<[f64; 7]> = (0..12)
        .map(|_| {
            let (x, y) = (rng.range(0.0, w as f64), rng.range(0.0, h as f64));
            let (rw, rh) = (rng.range(30.0, w as f64 / 3.0), rng.range(30.0, h as f64 / 3.0));
            [x, y, x + rw, y + rh, rng.range(0.0, 255.0), rng.range(0.0, 255.0), rng.range(0.0, 255.0)]
        })
        .collect();
    let mut img = RgbImage::new(w, h);
    for (x, y, px) in img.enumerate_pixels_mut() {
        let (u, v) = (x as f64 / w as f64, y as f64 / h as f64);
        let mut c = base;
        for (i, wv) in waves.iter().enumerate() {
            let d = (wv[0] * u * 6.28 + wv[1] * v * 6.28 + wv[2]).sin() * wv[3];
            c[i % 3] += d;
        }
        for r in &rects {
            if (x as f64) >= r[0] && (x as f64) < r[2] && (y as f64) >= r[1] && (y as f64) < r[3] {
                c = [c[0] * 0.4 + r[4] * 0.6, c[1] * 0.4 + r[5] * 0.6, c[2] * 0.4 + r[6] * 0.6];
            }
        }
        let noise = (rng.next() % 13) as f64 - 6.0;
        *px = image::Rgb(c.map(|v| (v + noise).clamp(0.0, 255.0) as u8));
    }
    img
}

/// 3×3 projective map from the unit square to a quad (Heckbert), as a row-major matrix.
fn square_to_quad(q: [(f64, f64); 4]) -> [f64; 9] {
    let [(x0, y0), (x1, y1), (x2, y2), (x3, y3)] = q; // (0,0) (1,0) (1,1) (0,1)
    let (sx, sy) = (x0 - x1 + x2 - x3, y0 - y1 + y2 - y3);
    let (dx1, dx2, dy1, dy2) = (x1 - x2, x3 - x2, y1 - y2, y3 - y2);
    let den = dx1 * dy2 - dx2 * dy1;
    let g = (sx * dy2 - dx2 * sy) / den;
    let h = (dx1 * sy - sx * dy1) / den;
    [x1 - x0 + g * x1, x3 - x0 + h * x3, x0, y1 - y0 + g * y1, y3 - y0 + h * y3, y0, g, h, 1.0]
}

fn invert(m: [f64; 9]) -> [f64; 9] {
    let [a, b, c, d, e, f, g, h, i] = m;
    let det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
    [
        (e * i - f * h) / det,
        (c * h - b * i) / det,
        (b * f - c * e) / det,
        (f * g - d * i) / det,
        (a * i - c * g) / det,
        (c * d - a * f) / det,
        (d * h - e * g) / det,
        (b * g - a * h) / det,
        (a * e - b * d) / det,
    ]
}

/// Draws the symbol into `img` on the quad `q`, 3×3 supersampled, with uneven light.
fn draw(img: &mut RgbImage, sym: &Symbol, q: [(f64, f64); 4], rng: &mut Rng) {
    let inv = invert(square_to_quad(q));
    let (ink, paper) = (rng.range(10.0, 60.0), rng.range(190.0, 250.0));
    let shade = rng.range(0.75, 1.0);
    let xs = q.iter().map(|p| p.0);
    let ys = q.iter().map(|p| p.1);
    let x0 = xs.clone().fold(f64::MAX, f64::min).max(0.0) as u32;
    let x1 = (xs.fold(f64::MIN, f64::max).ceil() as u32).min(img.width() - 1);
    let y0 = ys.clone().fold(f64::MAX, f64::min).max(0.0) as u32;
    let y1 = (ys.fold(f64::MIN, f64::max).ceil() as u32).min(img.height() - 1);
    for y in y0..=y1 {
        for x in x0..=x1 {
            let (mut inside, mut value) = (0, 0.0);
            for sy in 0..3 {
                for sx in 0..3 {
                    let (px, py) = (x as f64 + (sx as f64 + 0.5) / 3.0, y as f64 + (sy as f64 + 0.5) / 3.0);
                    let wz = inv[6] * px + inv[7] * py + inv[8];
                    let u = (inv[0] * px + inv[1] * py + inv[2]) / wz;
                    let v = (inv[3] * px + inv[4] * py + inv[5]) / wz;
                    if !(0.0..1.0).contains(&u) || !(0.0..1.0).contains(&v) {
                        continue;
                    }
                    inside += 1;
                    let (mx, my) = ((u * sym.w as f64) as usize, (v * sym.h as f64) as usize);
                    let light = paper * (shade + (1.0 - shade) * u);
                    value += if sym.dark[my * sym.w + mx] { ink } else { light };
                }
            }
            if inside > 0 {
                let old = img.get_pixel(x, y).0;
                let a = inside as f64 / 9.0;
                let v = value / inside as f64;
                let mixed = old.map(|o| (o as f64 * (1.0 - a) + v * a).round() as u8);
                img.put_pixel(x, y, image::Rgb(mixed));
            }
        }
    }
}

/// Where the code goes: a rotated, skewed quad of width `side` around a random centre.
fn placement(rng: &mut Rng, img_w: f64, img_h: f64, side: f64, aspect: f64) -> [(f64, f64); 4] {
    let (hw, hh) = (side / 2.0, side * aspect / 2.0);
    let reach = (hw * hw + hh * hh).sqrt() * 1.2;
    let cx = rng.range(reach, (img_w - reach).max(reach + 1.0));
    let cy = rng.range(reach, (img_h - reach).max(reach + 1.0));
    let angle = rng.range(-30.0, 30.0).to_radians();
    let skew = side * 0.05; // each corner moves up to 5% of the width: a tilted camera
    let corners = [(-hw, -hh), (hw, -hh), (hw, hh), (-hw, hh)];
    corners.map(|(x, y)| {
        let (x, y) = (x + rng.range(-skew, skew), y + rng.range(-skew, skew));
        (cx + x * angle.cos() - y * angle.sin(), cy + x * angle.sin() + y * angle.cos())
    })
}

/// How one photo went: read with the right format and exactly the encoded
/// text, whether the box the page outlines holds the code, and how many codes
/// came back that are not the one drawn (a wrong text or a code that is not there).
struct Outcome {
    read: bool,
    box_fits: bool,
    wrong: usize,
}

/// One photo with one code, `fraction` of the photo's width wide.
fn run_case(rng: &mut Rng, kind: CodeKind, text: &str, format: BarcodeFormat, (img_w, img_h): (u32, u32), fraction: f64) -> Outcome {
    let sym = encode(text, format);
    // Never under 2.5 px a module: smaller is unreadable by any reader.
    let side = (fraction * img_w as f64).max(2.5 * sym.w as f64);
    let mut img = background(rng, img_w, img_h);
    let quad = placement(rng, img_w as f64, img_h as f64, side, sym.h as f64 / sym.w as f64);
    draw(&mut img, &sym, quad, rng);
    let mut jpeg = Vec::new();
    let quality = 70 + (rng.next() % 21) as u8;
    JpegEncoder::new_with_quality(&mut jpeg, quality).encode_image(&img).expect("jpeg");
    // Read the JPEG back as the app would (no EXIF orientation here), with
    // the raw texts: the report's summary is masked, so only the raw text can
    // show that what was read is exactly what was encoded.
    let gray = image::load_from_memory(&jpeg).expect("decodes").into_luma8();
    let found_with_texts = find_codes_with_texts(gray.as_raw(), gray.width(), gray.height());
    let right = |(c, t): &&(Code, String)| c.format == format_id(format) && c.kind == kind && t == text;
    let hit = found_with_texts.iter().find(right).map(|(c, _)| c);
    let wrong: Vec<_> = found_with_texts.iter().filter(|ct| !right(ct)).collect();
    for (c, t) in &wrong {
        eprintln!("WRONG read for {kind:?} {text:?} as {}: got {} {:?} {t:?}", format_id(format), c.format, c.kind);
    }
    let found: Vec<&Code> = found_with_texts.iter().map(|(c, _)| c).collect();
    let box_fits = hit.is_some_and(|c| box_fits(c, quad));
    if hit.is_none() || !box_fits || !wrong.is_empty() {
        if let Ok(dir) = std::env::var("CODES_DUMP") {
            let name = format!("{dir}/miss_{}_{:?}_{}.jpg", format_id(format), kind, jpeg.len());
            let _ = std::fs::write(name, &jpeg);
        }
        eprintln!(
            "{} {kind:?} as {} at {:.0}px ({:.1}% of width, {} modules), quad {quad:.0?}: found {:?}",
            if hit.is_none() { "missed" } else if box_fits { "wrong read beside" } else { "bad box for" },
            format_id(format),
            side,
            side * 100.0 / img_w as f64,
            sym.w,
            found.iter().map(|c| (&c.format, c.kind, c.x, c.y, c.w, c.h)).collect::<Vec<_>>()
        );
    }
    Outcome { read: hit.is_some(), box_fits, wrong: wrong.len() }
}

/// The page outlines a code with its box: the box must hold the code's centre
/// and be at most twice the code's own upright box each way.
fn box_fits(code: &Code, quad: [(f64, f64); 4]) -> bool {
    let (cx, cy) = (quad.iter().map(|p| p.0).sum::<f64>() / 4.0, quad.iter().map(|p| p.1).sum::<f64>() / 4.0);
    let span = |f: fn(&(f64, f64)) -> f64| {
        let values = quad.iter().map(f);
        values.clone().fold(f64::MIN, f64::max) - values.fold(f64::MAX, f64::min)
    };
    let (qw, qh) = (span(|p| p.0), span(|p| p.1));
    let (x, y, w, h) = (code.x as f64, code.y as f64, code.w as f64, code.h as f64);
    let holds_centre = cx >= x && cx <= x + w && cy >= y && cy <= y + h;
    holds_centre && w <= 2.0 * qw && h <= 2.0 * qh
}

/// Per format: codes read right, boxes that fit, photos, wrong reads.
type Tally = BTreeMap<&'static str, (usize, usize, usize, usize)>;

fn sweep(seed: u64, rounds: usize, img_w: u32, img_h: u32, only: &[BarcodeFormat]) -> Tally {
    let mut rng = Rng(seed);
    let mut by_kind: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut by_format = Tally::new();
    for _ in 0..rounds {
        for (kind, text, formats) in payloads() {
            for &format in formats.iter().filter(|f| only.contains(f)) {
                let fraction = rng.range(0.05, 0.20);
                let outcome = run_case(&mut rng, kind, text, format, (img_w, img_h), fraction);
                let entry = by_kind.entry(format!("{kind:?}")).or_default();
                (entry.0, entry.1) = (entry.0 + outcome.read as usize, entry.1 + 1);
                let entry = by_format.entry(format_id(format)).or_default();
                entry.0 += outcome.read as usize;
                entry.1 += outcome.box_fits as usize;
                entry.2 += 1;
                entry.3 += outcome.wrong;
            }
        }
    }
    let (read, total) = by_format.values().fold((0, 0), |(r, t), (a, _, c, _)| (r + a, t + c));
    println!("read {read}/{total} codes ({:.1}%)", read as f64 * 100.0 / total as f64);
    println!("by kind (read, total): {by_kind:?}");
    println!("by format (read, box fits, total, wrong reads): {by_format:?}");
    by_format
}

/// At least 95% read with exactly the encoded text, for every format, every
/// read code's box around the code, and not one wrong read: telling the user
/// a code says something it does not is worse than missing it.
fn assert_rate(by_format: &Tally) {
    for (format, &(read, boxes, total, wrong)) in by_format {
        assert_eq!(wrong, 0, "{format}: {wrong} wrong reads");
        assert!(read * 100 >= total * 95, "{format}: read only {read} of {total}");
        assert_eq!(boxes, read, "{format}: {} read codes have a box that misses the code", read - boxes);
    }
}

use BarcodeFormat::{AZTEC, CODE_128, DATA_MATRIX, PDF_417, QR_CODE};

const ALL_FORMATS: &[BarcodeFormat] = &[QR_CODE, DATA_MATRIX, AZTEC, PDF_417, CODE_128];

/// Every kind in every format it is printed in, three times over (66 photos,
/// ~40 s in the debug test profile).
#[test]
fn reads_codes_of_every_kind_and_format_in_photos() {
    assert_rate(&sweep(0x5eed_c0de, 3, 1600, 1200, ALL_FORMATS));
}

/// A bar code photographed close up (a third of the width and more), tilted
/// like the others. Known gap, not yet met: from ~40% of the width on, the
/// wide bars leave cells without edges, the code splits into several
/// patches, none holds all of it and the read fails; one such photo gave a
/// UPC-E read of part of a Code 128 (a wrong read).
#[test]
#[ignore = "known gap: close-up tilted bar codes; cargo test --release --test pixels codes_photos::close_up -- --ignored --nocapture"]
fn reads_close_up_bar_codes() {
    let mut rng = Rng(0xc105e);
    let mut failures = Vec::new();
    for fraction in [0.3, 0.4, 0.45, 0.6] {
        for (kind, text) in [(CodeKind::Phone, "tel:+919876543210"), (CodeKind::Text, "LOCKER 42-7781")] {
            let outcome = run_case(&mut rng, kind, text, CODE_128, (1600, 1200), fraction);
            if !(outcome.read && outcome.box_fits && outcome.wrong == 0) {
                failures.push(format!("{text} at {fraction}: read {}, {} wrong", outcome.read, outcome.wrong));
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
#[ignore = "bigger sweep, several minutes: cargo test --release --test pixels codes_photos:: -- --ignored --nocapture"]
fn reads_codes_sweep() {
    assert_rate(&sweep(0xfeed_beef, 8, 2400, 1800, ALL_FORMATS));
}

#[test]
#[ignore]
fn probe_transforms() {
    for format in [BarcodeFormat::AZTEC, BarcodeFormat::PDF_417, BarcodeFormat::QR_CODE] {
        let sym = encode("Locker 42 code 7781", format);
        for skew in [0.0, 0.04, 0.08] {
            let mut line = String::new();
            for angle in [0.0f64, 5.0, 10.0, 20.0, 30.0] {
                let mut img = RgbImage::from_pixel(800, 600, image::Rgb([120, 120, 120]));
                let (hw, hh) = (150.0, 150.0 * sym.h as f64 / sym.w as f64);
                let mut rng = Rng(7);
                let a = angle.to_radians();
                let corners = [(-hw, -hh), (hw, -hh), (hw, hh), (-hw, hh)];
                let sk = [(1.0, 1.0), (-1.0, 1.0), (1.0, -1.0), (-1.0, -1.0)];
                let mut i = 0;
                let quad = corners.map(|(x, y)| {
                    let (x, y) = (x + sk[i].0 * skew * 300.0, y + sk[i].1 * skew * 0.0);
                    i += 1;
                    (400.0 + x * a.cos() - y * a.sin(), 300.0 + x * a.sin() + y * a.cos())
                });
                draw(&mut img, &sym, quad, &mut rng);
                let g = image::DynamicImage::ImageRgb8(img).into_luma8();
                let found = thinktwice::codes::find_codes(g.as_raw(), 800, 600);
                line.push_str(if found.is_empty() { " -" } else { " +" });
            }
            println!("{format:?} skew {skew}: {line}");
        }
    }
}

/// Speed on a 12 MP photo (4000 × 3000 JPEG with a Wi-Fi QR at 6% of the width).
#[test]
#[ignore = "timing: cargo test --release --test pixels codes_photos::twelve -- --ignored --nocapture"]
fn twelve_megapixel_timing() {
    let mut rng = Rng(12);
    let (w, h) = (4000, 3000);
    let mut img = background(&mut rng, w, h);
    let sym = encode("WIFI:T:WPA;S:Sharma Home;P:mango2024!;;", QR_CODE);
    let quad = placement(&mut rng, w as f64, h as f64, 240.0, 1.0);
    draw(&mut img, &sym, quad, &mut rng);
    let mut jpeg = Vec::new();
    JpegEncoder::new_with_quality(&mut jpeg, 85).encode_image(&img).expect("jpeg");
    let mut times = Vec::new();
    for _ in 0..3 {
        let start = std::time::Instant::now();
        let found = find_in_file(&jpeg).expect("decodes");
        times.push(start.elapsed().as_millis());
        assert!(found.iter().any(|c| c.kind == CodeKind::Wifi), "{found:?}");
    }
    let mut luma_times = Vec::new();
    let gray = image::load_from_memory(&jpeg).expect("jpeg").into_luma8();
    for _ in 0..3 {
        let start = std::time::Instant::now();
        let _ = thinktwice::codes::find_codes(gray.as_raw(), w, h);
        luma_times.push(start.elapsed().as_millis());
    }
    println!("12 MP: find_in_file {times:?} ms (JPEG decode included), find_codes on grey {luma_times:?} ms");
}
