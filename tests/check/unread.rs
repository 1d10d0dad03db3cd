//! "The check accounts for every byte": hostile files hide a name, a phone
//! number and an e-mail address where ThinkTwice reads nothing (unknown blocks,
//! extra bytes inside known blocks, stray bytes between blocks, blocks cut
//! short). Each must get the `unreadable-data` finding (a JFIF preview gets
//! `embedded-thumbnail`), and a safer copy, when one is offered, must not hold
//! the marker. Ordinary files made by encoders must not get the finding.

use crate::common;

use thinktwice::{check, clean, CheckOptions, CleanOptions, Report, Severity};

const MARKER: &[u8] = b"Asha Rao +91 98765 43210 asha@example.com";

fn report(bytes: &[u8]) -> Report {
    check(bytes, "hostile", &CheckOptions::default())
}

fn finding<'r>(r: &'r Report, id: &str) -> Option<&'r thinktwice::Finding> {
    r.findings.iter().find(|f| f.id.as_str() == id)
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// The file gets `id` and any safer copy offered holds no marker.
fn assert_caught(name: &str, bytes: &[u8], id: &str) {
    assert!(contains(bytes, MARKER) || id == "embedded-thumbnail", "{name}: marker not planted");
    let r = report(bytes);
    assert!(r.error.is_none(), "{name}: {:?}", r.error);
    let f = finding(&r, id).unwrap_or_else(|| panic!("{name}: no {id}; findings {:?}", ids(&r)));
    assert!(!f.evidence.is_empty(), "{name}");
    for e in &f.evidence {
        // Plain words: no hex, no offsets, no codes.
        assert!(!e.value.contains("0x") && !e.value.contains("offset"), "{name}: {}", e.value);
    }
    if id == "unreadable-data" && contains(bytes, MARKER) {
        assert_eq!(f.severity, Severity::Medium, "{name}: words hidden should be medium");
        assert!(f.evidence.iter().any(|e| e.value.contains("looks like it holds words")), "{name}: {:?}", f.evidence);
    }
    if let Ok(copy) = clean(bytes, &CleanOptions::default()) {
        assert!(!contains(&copy.bytes, MARKER), "{name}: the safer copy kept the marker");
        assert!(finding(&copy.verified_report, id).is_none(), "{name}: the copy still has {id}");
    }
}

fn ids(r: &Report) -> Vec<&str> {
    r.findings.iter().map(|f| f.id.as_str()).collect()
}

fn segment(marker: u8, payload: &[u8]) -> Vec<u8> {
    let mut s = vec![0xFF, marker];
    s.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
    s.extend_from_slice(payload);
    s
}

/// A real JPEG with `extra` spliced in right after SOI.
fn jpeg_after_soi(extra: &[u8]) -> Vec<u8> {
    let base = common::base_jpeg(16, 16);
    [&base[..2], extra, &base[2..]].concat()
}

/// A real JPEG whose first segment with `marker` gets `extra` appended to its payload.
fn jpeg_grown_segment(marker: u8, extra: &[u8]) -> Vec<u8> {
    let f = common::base_jpeg(16, 16);
    let mut at = 2;
    while f[at + 1] != marker {
        at += 2 + u16::from_be_bytes([f[at + 2], f[at + 3]]) as usize;
    }
    let len = u16::from_be_bytes([f[at + 2], f[at + 3]]) as usize;
    let mut out = f[..at + 2].to_vec();
    out.extend_from_slice(&((len + extra.len()) as u16).to_be_bytes());
    out.extend_from_slice(&f[at + 4..at + 2 + len]);
    out.extend_from_slice(extra);
    out.extend_from_slice(&f[at + 2 + len..]);
    out
}

fn jfif(thumb: (u8, u8), extra: &[u8]) -> Vec<u8> {
    let mut p = b"JFIF\0\x01\x02\0\0\x01\0\x01".to_vec();
    p.extend_from_slice(&[thumb.0, thumb.1]);
    p.extend(std::iter::repeat_n(0x80, thumb.0 as usize * thumb.1 as usize * 3));
    p.extend_from_slice(extra);
    segment(0xE0, &p)
}

#[test]
fn jpeg_hiding_places_are_reported() {
    let mut adobe = b"Adobe\0\x64\0\0\0\0\x01".to_vec();
    adobe.extend_from_slice(MARKER);
    let mut cut_short = jpeg_after_soi(&[]);
    cut_short.truncate(cut_short.len() - 2); // no EOI …
    let cut_short = [&cut_short[..], &[0xFF, 0xE7, 0x40, 0x00], MARKER].concat(); // … and an APP7 that runs past the end
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("unknown APP5", jpeg_after_soi(&segment(0xE5, MARKER)), "unreadable-data"),
        ("JFIF extra bytes", jpeg_after_soi(&jfif((0, 0), MARKER)), "unreadable-data"),
        ("JFIF preview", jpeg_after_soi(&jfif((4, 3), b"")), "embedded-thumbnail"),
        ("Adobe extra bytes", jpeg_after_soi(&segment(0xEE, &adobe)), "unreadable-data"),
        ("stray bytes between segments", jpeg_after_soi(&[jfif((0, 0), b""), MARKER.to_vec()].concat()), "unreadable-data"),
        ("reserved marker", jpeg_after_soi(&segment(0xF3, MARKER)), "unreadable-data"),
        ("extra bytes in DQT", jpeg_grown_segment(0xDB, MARKER), "unreadable-data"),
        ("extra bytes in DHT", jpeg_grown_segment(0xC4, MARKER), "unreadable-data"),
        ("extra bytes in SOF", jpeg_grown_segment(0xC0, MARKER), "unreadable-data"),
        ("segment past the end", cut_short, "unreadable-data"),
    ];
    for (name, bytes, id) in cases {
        assert_caught(name, &bytes, id);
    }
}

/// A real PNG with `chunks` (already framed) placed after IHDR, and `tail` replacing IEND.
fn png_custom(chunks: &[Vec<u8>], cut_end: Option<Vec<u8>>) -> Vec<u8> {
    let base = common::png_with(&[]);
    let mut out = base[..33].to_vec();
    chunks.iter().for_each(|c| out.extend_from_slice(c));
    let rest = &base[33..];
    match cut_end {
        Some(tail) => {
            out.extend_from_slice(&rest[..rest.len() - 12]); // without IEND
            out.extend(tail);
        }
        None => out.extend_from_slice(rest),
    }
    out
}

#[test]
fn png_hiding_places_are_reported() {
    let mut gama = 45455u32.to_be_bytes().to_vec();
    gama.extend_from_slice(MARKER);
    let mut past_end = 5000u32.to_be_bytes().to_vec();
    past_end.extend_from_slice(b"prVt");
    past_end.extend_from_slice(MARKER);
    let cases = vec![
        ("unknown ancillary chunk", png_custom(&[common::png_chunk(b"prVt", MARKER)], None)),
        ("unknown critical chunk", png_custom(&[common::png_chunk(b"SECR", MARKER)], None)),
        ("gAMA of the wrong size", png_custom(&[common::png_chunk(b"gAMA", &gama)], None)),
        ("chunk past the end", png_custom(&[], Some(past_end))),
    ];
    for (name, bytes) in cases {
        assert_caught(name, &bytes, "unreadable-data");
    }
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

fn webp_with(extra: &[u8], declared_extra: usize) -> Vec<u8> {
    let img = image::RgbaImage::from_pixel(8, 8, image::Rgba([10, 20, 30, 255]));
    let mut base = Vec::new();
    image::codecs::webp::WebPEncoder::new_lossless(&mut base)
        .encode(img.as_raw(), 8, 8, image::ExtendedColorType::Rgba8)
        .unwrap();
    let mut out = [&base[..], extra].concat();
    let size = (out.len() - 8 + declared_extra) as u32;
    out[4..8].copy_from_slice(&size.to_le_bytes());
    out
}

#[test]
fn webp_hiding_places_are_reported() {
    let mut past_end = b"SECR".to_vec();
    past_end.extend_from_slice(&9000u32.to_le_bytes());
    past_end.extend_from_slice(MARKER);
    assert_caught("unknown chunk", &webp_with(&riff_chunk(b"SECR", MARKER), 0), "unreadable-data");
    assert_caught("chunk past the RIFF end", &webp_with(&past_end, 0), "unreadable-data");
}

fn sub_blocks(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    for part in data.chunks(255) {
        out.push(part.len() as u8);
        out.extend_from_slice(part);
    }
    out.push(0);
    out
}

/// A real GIF with `extension` inserted before its first image.
fn gif_with(extension: &[u8]) -> Vec<u8> {
    let img = image::RgbaImage::from_pixel(4, 4, image::Rgba([200, 10, 10, 255]));
    let mut base = Vec::new();
    image::codecs::gif::GifEncoder::new(&mut base).encode(img.as_raw(), 4, 4, image::ExtendedColorType::Rgba8).unwrap();
    let image_at = base.iter().enumerate().skip(13).position(|(i, &b)| b == 0x2C && base[i - 1] == 0).unwrap() + 13;
    [&base[..image_at], extension, &base[image_at..]].concat()
}

#[test]
fn gif_hiding_places_are_reported() {
    let app = |id: &[u8; 11], data: &[u8]| [&[0x21, 0xFF, 11][..], id, &sub_blocks(data)].concat();
    let mut netscape = vec![0x21, 0xFF, 11];
    netscape.extend_from_slice(b"NETSCAPE2.0");
    netscape.extend_from_slice(&[3, 1, 0, 0]);
    netscape.extend(sub_blocks(MARKER));
    let mut plain_text = vec![0x21, 0x01, 12];
    plain_text.extend_from_slice(&[0; 12]);
    plain_text.extend(sub_blocks(MARKER));
    assert_caught("unknown application extension", &gif_with(&app(b"SECRETAPP10", MARKER)), "unreadable-data");
    assert_caught("extra sub-blocks in the loop extension", &gif_with(&netscape), "unreadable-data");
    assert_caught("plain-text extension", &gif_with(&plain_text), "unreadable-data");
}

#[test]
fn files_straight_from_encoders_have_nothing_unread() {
    let rgb = image::RgbImage::from_fn(16, 16, |x, y| image::Rgb([(x * 9) as u8, (y * 13) as u8, 90]));
    let mut files: Vec<(&str, Vec<u8>)> = vec![("jpeg", common::base_jpeg(33, 17)), ("png", common::png_with(&[]))];
    files.push(("webp", webp_with(&[], 0)));
    files.push(("gif", gif_with(&[])));
    let mut progressive = Vec::new();
    image::DynamicImage::ImageRgb8(rgb).write_to(&mut std::io::Cursor::new(&mut progressive), image::ImageFormat::Jpeg).unwrap();
    files.push(("jpeg 2", progressive));
    for (name, bytes) in files {
        let r = report(&bytes);
        assert!(finding(&r, "unreadable-data").is_none(), "{name}: {:?}", finding(&r, "unreadable-data"));
    }
}
