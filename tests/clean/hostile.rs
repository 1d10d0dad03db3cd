//! Hostile families: small hand-made JPEG, PNG, WebP and GIF files that hide a
//! name, a phone number and an e-mail address where a careless copier keeps
//! bytes (inside standard segments, between them, after the picture data, in
//! tables nothing uses, in chunks that run past the end, deflated inside a
//! compressed stream, …). Each one is built from a clean picture by planting
//! the marker in one place.
//!
//! For every family the safer copy must
//! - hold no marker anywhere: raw, or inside any zlib/deflate stream found in it;
//! - decode to the clean picture's pixels (the hiding place never touched them);
//! - pass the independent structural validator (`thinktwice::safer::validate`).
//!
//! A copy may also be refused (never offered), but only for the few families
//! listed in `MAY_REFUSE`; every other family must get a copy.
#![cfg(not(target_arch = "wasm32"))]

use crate::common;

use common::{crc32, png_chunk};
use image::ImageEncoder;
use thinktwice::{clean, CleanOptions};

/// What an attacker (or a careless app) hides.
pub(crate) const MARKER: &[u8] = b"Ravi Kumar 9876543210 ravi@example.com";

/// Pieces of the marker: any one of them in a copy is a leak.
pub(crate) const PIECES: &[&[u8]] = &[b"9876543210", b"ravi@example", b"Ravi Kumar"];

/// Families that may be refused instead of copied: a GIF block that is not a GIF block ends what
/// any reader can follow, so the picture after it cannot be found; a JPEG whose SOI is not followed
/// by a marker is not recognised as a JPEG at all (the file is refused as unreadable).
const MAY_REFUSE: &[&str] = &["gif: stray bytes between blocks", "jpeg: stray bytes right after SOI"];

struct Family {
    name: &'static str,
    /// The file with the hidden marker.
    file: Vec<u8>,
    /// The clean picture it was made from: the copy must show exactly these pixels.
    clean: Vec<u8>,
}

fn fam(name: &'static str, file: Vec<u8>, clean: &[u8]) -> Family {
    Family { name, file, clean: clean.to_vec() }
}

fn deflated(data: &[u8]) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec_zlib(data, 6)
}

// ---------------------------------------------------------------- JPEG

fn picture(w: u32, h: u32) -> image::RgbImage {
    image::RgbImage::from_fn(w, h, |x, y| image::Rgb([(x * 13) as u8, (y * 17) as u8, ((x ^ y) * 9) as u8]))
}

/// A baseline JPEG from the `image` crate (JFIF, DQT, SOF0, DHT, SOS, EOI).
fn base_jpeg() -> Vec<u8> {
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85).encode_image(&picture(24, 16)).unwrap();
    out
}

/// A JPEG from `jpeg-encoder` with options (restart intervals, progressive scans).
fn encoded_jpeg(progressive: bool, restart: u16) -> Vec<u8> {
    let img = picture(40, 24);
    let mut out = Vec::new();
    let mut enc = jpeg_encoder::Encoder::new(&mut out, 85);
    enc.set_progressive(progressive);
    if restart > 0 {
        enc.set_restart_interval(restart);
    }
    enc.encode(img.as_raw(), 40, 24, jpeg_encoder::ColorType::Rgb).unwrap();
    out
}

fn segment(marker: u8, payload: &[u8]) -> Vec<u8> {
    let mut s = vec![0xFF, marker];
    s.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
    s.extend_from_slice(payload);
    s
}

/// Offset of the first `FF <marker>` in the header part of a JPEG.
fn find_marker(jpeg: &[u8], marker: u8) -> usize {
    jpeg.windows(2).position(|w| w == [0xFF, marker]).unwrap_or_else(|| panic!("no FF{marker:02X}"))
}

fn insert(file: &[u8], at: usize, what: &[u8]) -> Vec<u8> {
    [&file[..at], what, &file[at..]].concat()
}

/// The segment starting at `at`: (start, end).
fn segment_at(jpeg: &[u8], at: usize) -> (usize, usize) {
    let len = u16::from_be_bytes([jpeg[at + 2], jpeg[at + 3]]) as usize;
    (at, at + 2 + len)
}

/// Replaces the segment at `at` by `FF marker` + `payload`.
fn replace_segment(jpeg: &[u8], at: usize, marker: u8, payload: &[u8]) -> Vec<u8> {
    let (s, e) = segment_at(jpeg, at);
    [&jpeg[..s], &segment(marker, payload)[..], &jpeg[e..]].concat()
}

/// The payload of the segment at `at`.
fn payload_at(jpeg: &[u8], at: usize) -> Vec<u8> {
    let (s, e) = segment_at(jpeg, at);
    jpeg[s + 4..e].to_vec()
}

fn jfif(thumb: Option<(u8, u8, &[u8])>) -> Vec<u8> {
    let mut p = b"JFIF\0\x01\x01\x00\x00\x01\x00\x01".to_vec();
    match thumb {
        Some((w, h, rgb)) => {
            p.extend_from_slice(&[w, h]);
            p.extend_from_slice(rgb);
        }
        None => p.extend_from_slice(&[0, 0]),
    }
    p
}

fn jpeg_families() -> Vec<Family> {
    let base = base_jpeg();
    let sof = find_marker(&base, 0xC0);
    let sos = find_marker(&base, 0xDA);
    let dqt = find_marker(&base, 0xDB);
    let eoi = base.len() - 2;
    let mut f = Vec::new();
    let app0 = find_marker(&base, 0xE0);
    f.push(fam("jpeg: bytes after the JFIF header", replace_segment(&base, app0, 0xE0, &[&jfif(None)[..], MARKER].concat()), &base));
    let mut thumb = MARKER.to_vec();
    thumb.resize(3 * 4 * 4, b'.');
    f.push(fam("jpeg: JFIF thumbnail pixels", replace_segment(&base, app0, 0xE0, &jfif(Some((4, 4, &thumb)))), &base));
    f.push(fam("jpeg: a second JFIF segment later", insert(&base, sof, &segment(0xE0, &[&jfif(None)[..], MARKER].concat())), &base));
    f.push(fam("jpeg: JFXX extension thumbnail", insert(&base, app0 + 18, &segment(0xE0, &[b"JFXX\0\x13", MARKER].concat())), &base));
    f.push(fam(
        "jpeg: bytes after the Adobe header",
        insert(&base, sof, &segment(0xEE, &[b"Adobe\0\x64\0\0\0\0\x01", MARKER].concat())),
        &base,
    ));
    f.push(fam("jpeg: stray bytes between segments", insert(&base, sof, MARKER), &base));
    f.push(fam("jpeg: stray bytes right after SOI", insert(&base, 2, MARKER), &base));
    f.push(fam("jpeg: bytes after the last MCU before EOI", insert(&base, eoi, MARKER), &base));
    f.push(fam("jpeg: missing EOI, bytes appended", [&base[..eoi], MARKER].concat(), &base));
    let mut past_end = base[..eoi].to_vec();
    past_end.extend_from_slice(&[0xFF, 0xE3, 0xFF, 0xF0]);
    past_end.extend_from_slice(MARKER);
    f.push(fam("jpeg: a segment that runs past the end", past_end, &base));
    f.push(fam("jpeg: reserved JPGn marker segment", insert(&base, sof, &segment(0xF5, MARKER)), &base));
    f.push(fam("jpeg: reserved RES marker segment", insert(&base, sof, &segment(0x02, MARKER)), &base));
    f.push(fam("jpeg: unknown APP5 segment", insert(&base, sof, &segment(0xE5, MARKER)), &base));
    f.push(fam("jpeg: comment between scans' tables", insert(&base, sos, &segment(0xFE, MARKER)), &base));
    f.push(fam("jpeg: APP9 with the marker deflated", insert(&base, sof, &segment(0xE9, &deflated(MARKER))), &base));
    // A Huffman table nothing uses (class 1, id 3): the marker as its symbol values.
    let mut dht = vec![0x13];
    let mut counts = [0u8; 16];
    counts[7] = MARKER.len() as u8; // 38 codes of 8 bits fit in the code space
    dht.extend_from_slice(&counts);
    dht.extend_from_slice(MARKER);
    f.push(fam("jpeg: unused Huffman table", insert(&base, sos, &segment(0xC4, &dht)), &base));
    // A quantisation table nothing uses (id 3, 8-bit).
    let mut dqt3 = vec![0x03];
    let mut q = MARKER.to_vec();
    q.resize(64, 1);
    dqt3.extend_from_slice(&q);
    f.push(fam("jpeg: unused quantisation table", insert(&base, sof, &segment(0xDB, &dqt3)), &base));
    // The tables' own segment with extra bytes after its tables.
    let dqt_payload = payload_at(&base, dqt);
    f.push(fam("jpeg: bytes after the tables in DQT", replace_segment(&base, dqt, 0xDB, &[&dqt_payload[..], MARKER].concat()), &base));
    let sof_payload = payload_at(&base, sof);
    f.push(fam("jpeg: bytes after the frame header", replace_segment(&base, sof, 0xC0, &[&sof_payload[..], MARKER].concat()), &base));
    f.push(fam("jpeg: DRI with extra bytes", insert(&base, sof, &segment(0xDD, &[&[0u8, 0][..], MARKER].concat())), &base));
    f.push(fam("jpeg: an EXIF block", insert(&base, 2, &segment(0xE1, &[b"Exif\0\0MM\0*\0\0\0\x08", MARKER].concat())), &base));
    f.push(fam("jpeg: an ICC-like APP2 without the signature", insert(&base, sof, &segment(0xE2, MARKER)), &base));
    f.push(fam("jpeg: bytes after EOI", [&base[..], MARKER].concat(), &base));
    f.push(fam("jpeg: a second image after EOI", [&base[..], &base[..eoi], MARKER, &[0xFF, 0xD9]].concat(), &base));
    // Restart intervals: bytes hidden after an interval's last MCU, before its RST marker.
    let rst = encoded_jpeg(false, 2);
    let rst_at = rst.windows(2).position(|w| w[0] == 0xFF && (0xD0..=0xD7).contains(&w[1])).expect("a restart marker");
    f.push(fam("jpeg: bytes before a restart marker", insert(&rst, rst_at, MARKER), &rst));
    let rst_eoi = rst.len() - 2;
    f.push(fam("jpeg: bytes after the last restart interval", insert(&rst, rst_eoi, MARKER), &rst));
    // Progressive scans: bytes after the last scan's data, and between scans.
    let prog = encoded_jpeg(true, 0);
    let prog_eoi = prog.len() - 2;
    f.push(fam("jpeg: progressive, bytes after the last scan", insert(&prog, prog_eoi, MARKER), &prog));
    let second_sos = prog.windows(2).enumerate().filter(|(_, w)| *w == [0xFF, 0xDA]).nth(1).expect("two scans").0;
    f.push(fam("jpeg: progressive, bytes at the end of the first scan", insert(&prog, second_sos, MARKER), &prog));
    f
}

// ---------------------------------------------------------------- PNG

fn base_png() -> Vec<u8> {
    let img = image::RgbaImage::from_fn(9, 7, |x, y| image::Rgba([(x * 25) as u8, (y * 30) as u8, 77, 200 + x as u8]));
    let mut out = Vec::new();
    image::codecs::png::PngEncoder::new(&mut out).write_image(img.as_raw(), 9, 7, image::ExtendedColorType::Rgba8).unwrap();
    out
}

/// The chunks of a PNG: (type, data).
fn png_chunks(png: &[u8]) -> Vec<([u8; 4], Vec<u8>)> {
    let mut pos = 8;
    let mut out = Vec::new();
    while pos + 12 <= png.len() {
        let len = u32::from_be_bytes(png[pos..pos + 4].try_into().unwrap()) as usize;
        let name: [u8; 4] = png[pos + 4..pos + 8].try_into().unwrap();
        out.push((name, png[pos + 8..pos + 8 + len].to_vec()));
        pos += 12 + len;
    }
    out
}

fn png_from(chunks: &[([u8; 4], Vec<u8>)]) -> Vec<u8> {
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    for (name, data) in chunks {
        out.extend(png_chunk(name, data));
    }
    out
}

/// Inserts `extra` chunks before the chunk named `before`.
fn png_insert(png: &[u8], before: &[u8; 4], extra: &[([u8; 4], Vec<u8>)]) -> Vec<u8> {
    let mut chunks = png_chunks(png);
    let at = chunks.iter().position(|(n, _)| n == before).unwrap();
    for (i, c) in extra.iter().enumerate() {
        chunks.insert(at + i, c.clone());
    }
    png_from(&chunks)
}

fn png_families() -> Vec<Family> {
    let base = base_png();
    let chunks = png_chunks(&base);
    let m = MARKER.to_vec();
    let mut f = Vec::new();
    f.push(fam("png: unknown ancillary chunk", png_insert(&base, b"IDAT", &[(*b"ruSt", m.clone())]), &base));
    f.push(fam("png: unknown critical chunk", png_insert(&base, b"IDAT", &[(*b"RUST", m.clone())]), &base));
    f.push(fam("png: a private chunk between IDATs", {
        let mut c = chunks.clone();
        let i = c.iter().position(|(n, _)| n == b"IDAT").unwrap();
        let data = c[i].1.clone();
        c[i].1 = data[..data.len() / 2].to_vec();
        c.insert(i + 1, (*b"prVt", m.clone()));
        c.insert(i + 2, (*b"IDAT", data[data.len() / 2..].to_vec()));
        png_from(&c)
    }, &base));
    let mut fctl = vec![0, 0, 0, 0];
    fctl.extend_from_slice(&9u32.to_be_bytes());
    fctl.extend_from_slice(&7u32.to_be_bytes());
    fctl.extend_from_slice(&[0; 8]);
    fctl.extend_from_slice(&[0, 1, 0, 1, 0, 0]);
    f.push(fam(
        "png: animation chunks in a still",
        png_insert(
            &base,
            b"IEND",
            &[(*b"acTL", vec![0, 0, 0, 1, 0, 0, 0, 0]), (*b"fcTL", fctl), (*b"fdAT", [&[0u8, 0, 0, 1][..], &deflated(MARKER)].concat())],
        ),
        &base,
    ));
    f.push(fam("png: bytes after the zlib stream inside IDAT", {
        let mut c = chunks.clone();
        let i = c.iter().position(|(n, _)| n == b"IDAT").unwrap();
        c[i].1.extend_from_slice(MARKER);
        png_from(&c)
    }, &base));
    f.push(fam("png: an extra IDAT after the stream ended", {
        let mut c = chunks.clone();
        let i = c.iter().position(|(n, _)| n == b"IDAT").unwrap();
        c.insert(i + 1, (*b"IDAT", deflated(MARKER)));
        png_from(&c)
    }, &base));
    for (name, good) in [
        (*b"pHYs", vec![0, 0, 0x0B, 0x13, 0, 0, 0x0B, 0x13, 1]),
        (*b"gAMA", 45455u32.to_be_bytes().to_vec()),
        (*b"sRGB", vec![0]),
        (*b"cHRM", [31270u32, 32900, 64000, 33000, 30000, 60000, 15000, 6000].iter().flat_map(|v| v.to_be_bytes()).collect()),
        (*b"bKGD", vec![0, 1, 0, 2, 0, 3]),
        (*b"tRNS", vec![0, 1, 0, 2, 0, 3]),
        (*b"sBIT", vec![8, 8, 8, 8]),
    ] {
        let name_s: &'static str = Box::leak(format!("png: {} with the wrong length", String::from_utf8_lossy(&name)).into_boxed_str());
        f.push(fam(name_s, png_insert(&base, b"IDAT", &[(name, [&good[..], MARKER].concat())]), &base));
    }
    f.push(fam("png: IHDR with extra bytes", {
        let mut c = chunks.clone();
        c[0].1.extend_from_slice(MARKER);
        png_from(&c)
    }, &base));
    f.push(fam("png: IEND with data", {
        let mut c = chunks.clone();
        let n = c.len() - 1;
        c[n].1 = m.clone();
        png_from(&c)
    }, &base));
    let mut past = base[..base.len() - 12].to_vec();
    past.extend_from_slice(&0x7FFF_0000u32.to_be_bytes());
    past.extend_from_slice(b"ruSt");
    past.extend_from_slice(MARKER);
    f.push(fam("png: a chunk that runs past the end", past, &base));
    let mut iccp = MARKER.to_vec();
    iccp.extend_from_slice(&[0, 0]);
    iccp.extend(deflated(&srgb_like_profile()));
    f.push(fam("png: colour profile name", png_insert(&base, b"IDAT", &[(*b"iCCP", iccp)]), &base));
    f.push(fam("png: zTXt with the marker deflated", png_insert(&base, b"IDAT", &[(*b"zTXt", [b"Comment\0\0", &deflated(MARKER)[..]].concat())]), &base));
    f.push(fam("png: sPLT named palette", png_insert(&base, b"IDAT", &[(*b"sPLT", [MARKER, b"\0\x08\x01\x02\x03\x04\x00\x05"].concat())]), &base));
    f.push(fam("png: bytes after IEND", [&base[..], MARKER].concat(), &base));
    f.push(fam("png: a wrong CRC on an ancillary chunk", {
        let mut file = png_insert(&base, b"IDAT", &[(*b"teXt", m.clone())]);
        let i = file.windows(4).position(|w| w == b"teXt").unwrap() + 4 + MARKER.len();
        file[i] ^= 0x55;
        file
    }, &base));
    // A palette image whose palette has entries no pixel uses, holding the marker.
    let (pal, pal_clean) = palette_png();
    f.push(fam("png: unused palette entries", pal, &pal_clean));
    f
}

/// A small, valid ICC-shaped profile (header + empty tag table); its bytes carry no text.
fn srgb_like_profile() -> Vec<u8> {
    let mut p = vec![0u8; 132];
    p[0..4].copy_from_slice(&132u32.to_be_bytes());
    p[12..16].copy_from_slice(b"mntr");
    p[16..20].copy_from_slice(b"RGB ");
    p[20..24].copy_from_slice(b"XYZ ");
    p[36..40].copy_from_slice(b"acsp");
    p
}

/// A 4×2 palette PNG using colours 0..3 of a 16-entry palette; entries 4.. hold the marker.
/// Returns (hostile, clean) where clean has those entries zeroed.
fn palette_png() -> (Vec<u8>, Vec<u8>) {
    let mut ihdr = 4u32.to_be_bytes().to_vec();
    ihdr.extend_from_slice(&2u32.to_be_bytes());
    ihdr.extend_from_slice(&[8, 3, 0, 0, 0]);
    let raw = [0u8, 0, 1, 2, 3, 0, 3, 2, 1, 0];
    let idat = deflated(&raw);
    let mut plte: Vec<u8> = vec![10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120];
    let mut clean = plte.clone();
    plte.extend_from_slice(&MARKER[..36]);
    clean.extend_from_slice(&[0; 36]);
    let build = |plte: Vec<u8>| png_from(&[(*b"IHDR", ihdr.clone()), (*b"PLTE", plte), (*b"IDAT", idat.clone()), (*b"IEND", vec![])]);
    (build(plte), build(clean))
}

// ---------------------------------------------------------------- WebP

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

/// A lossless VP8L bitstream (its chunk data) from the `image` crate.
fn vp8l_data() -> Vec<u8> {
    let img = image::RgbaImage::from_fn(6, 5, |x, y| image::Rgba([x as u8 * 40, y as u8 * 50, 7, 255]));
    let mut out = Vec::new();
    image::codecs::webp::WebPEncoder::new_lossless(&mut out).encode(img.as_raw(), 6, 5, image::ExtendedColorType::Rgba8).unwrap();
    assert_eq!(&out[12..16], b"VP8L");
    let len = u32::from_le_bytes(out[16..20].try_into().unwrap()) as usize;
    out[20..20 + len].to_vec()
}

fn vp8x(flags: u8) -> Vec<u8> {
    riff_chunk(b"VP8X", &[flags, 0, 0, 0, 5, 0, 0, 4, 0, 0])
}

fn webp_families() -> Vec<Family> {
    let v = vp8l_data();
    let simple = webp(&[riff_chunk(b"VP8L", &v)], b"");
    let extended = webp(&[vp8x(0x10), riff_chunk(b"VP8L", &v)], b"");
    let mut f = Vec::new();
    f.push(fam("webp: bytes after the VP8L bitstream", webp(&[riff_chunk(b"VP8L", &[&v[..], MARKER].concat())], b""), &simple));
    f.push(fam("webp: unknown chunk", webp(&[vp8x(0x10), riff_chunk(b"VP8L", &v), riff_chunk(b"ZZZZ", MARKER)], b""), &extended));
    f.push(fam("webp: bytes after the RIFF end", webp(&[riff_chunk(b"VP8L", &v)], MARKER), &simple));
    f.push(fam("webp: a chunk after the RIFF end", webp(&[riff_chunk(b"VP8L", &v)], &riff_chunk(b"XMP ", MARKER)), &simple));
    let mut past = webp(&[riff_chunk(b"VP8L", &v)], b"");
    let body = [b"ZZZZ".as_slice(), &0x7000_0000u32.to_le_bytes(), MARKER].concat();
    past.extend_from_slice(&body);
    let size = (past.len() - 8) as u32;
    past[4..8].copy_from_slice(&size.to_le_bytes());
    f.push(fam("webp: a chunk that runs past the RIFF end", past, &simple));
    let mut short = webp(&[riff_chunk(b"VP8L", &v)], b"");
    short[4..8].copy_from_slice(&0x7FFF_FFF0u32.to_le_bytes());
    short.extend_from_slice(MARKER);
    f.push(fam("webp: RIFF size beyond the file, bytes appended", short, &simple));
    f.push(fam("webp: VP8X with extra bytes", webp(&[riff_chunk(b"VP8X", &[&[0x10u8, 0, 0, 0, 5, 0, 0, 4, 0, 0][..], MARKER].concat()), riff_chunk(b"VP8L", &v)], b""), &extended));
    f.push(fam("webp: animation header in a still", webp(&[vp8x(0x10), riff_chunk(b"ANIM", &[&[0u8; 6][..], MARKER].concat()), riff_chunk(b"VP8L", &v)], b""), &extended));
    f.push(fam("webp: alpha chunk next to a lossless picture", webp(&[vp8x(0x10), riff_chunk(b"ALPH", MARKER), riff_chunk(b"VP8L", &v)], b""), &extended));
    f.push(fam("webp: a second picture chunk", webp(&[riff_chunk(b"VP8L", &v), riff_chunk(b"VP8L", &[&v[..], MARKER].concat())], b""), &simple));
    f.push(fam("webp: EXIF and XMP", webp(&[vp8x(0x18), riff_chunk(b"VP8L", &v), riff_chunk(b"EXIF", &[b"MM\0*\0\0\0\x08", MARKER].concat()), riff_chunk(b"XMP ", MARKER)], b""), &extended));
    f.push(fam("webp: unknown chunk with the marker deflated", webp(&[vp8x(0x10), riff_chunk(b"VP8L", &v), riff_chunk(b"zzzz", &deflated(MARKER))], b""), &extended));
    f
}

// ---------------------------------------------------------------- GIF

/// A 6×4 GIF using 4 colours of an 8-entry global palette (entries 4..7 unused).
fn base_gif(palette_tail: &[u8; 12], blocks_before_image: &[Vec<u8>], image_extra: &[u8], after: &[u8]) -> Vec<u8> {
    let mut g = b"GIF89a".to_vec();
    g.extend_from_slice(&6u16.to_le_bytes());
    g.extend_from_slice(&4u16.to_le_bytes());
    g.extend_from_slice(&[0xF2, 0, 0]); // global table, 8 entries
    g.extend_from_slice(&[0, 0, 0, 255, 0, 0, 0, 255, 0, 0, 0, 255]);
    g.extend_from_slice(palette_tail);
    for b in blocks_before_image {
        g.extend_from_slice(b);
    }
    g.extend_from_slice(&[0x2C, 0, 0, 0, 0, 6, 0, 4, 0, 0]);
    let indices: Vec<u8> = (0..24u8).map(|i| (i * 7 / 3) % 4).collect();
    let lzw = weezl::encode::Encoder::new(weezl::BitOrder::Lsb, 3).encode(&indices).unwrap();
    g.push(3);
    let mut data = lzw;
    data.extend_from_slice(image_extra);
    for part in data.chunks(255) {
        g.push(part.len() as u8);
        g.extend_from_slice(part);
    }
    g.push(0);
    g.push(0x3B);
    g.extend_from_slice(after);
    g
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

fn gif_families() -> Vec<Family> {
    let zero = [0u8; 12];
    let base = base_gif(&zero, &[], &[], &[]);
    let netscape = [&[0x21u8, 0xFF, 11][..], b"NETSCAPE2.0", &[3, 1, 0, 0, 0]].concat();
    let looping = base_gif(&zero, &[netscape.clone()], &[], &[]);
    let mut f = Vec::new();
    f.push(fam("gif: comment extension", base_gif(&zero, &[[&[0x21u8, 0xFE][..], &sub_blocks(MARKER)].concat()], &[], &[]), &base));
    f.push(fam("gif: unknown application extension", base_gif(&zero, &[[&[0x21u8, 0xFF, 11][..], b"RAVIAPP1.00", &sub_blocks(MARKER)].concat()], &[], &[]), &base));
    let mut text = vec![0x21, 0x01, 12, 0, 0, 0, 0, 6, 0, 4, 0, 1, 1, 0, 1];
    text.extend(sub_blocks(MARKER));
    f.push(fam("gif: plain text extension", base_gif(&zero, &[text], &[], &[]), &base));
    f.push(fam("gif: bytes after the trailer", base_gif(&zero, &[], &[], MARKER), &base));
    f.push(fam(
        "gif: loop extension with extra sub-blocks",
        base_gif(&zero, &[[&[0x21u8, 0xFF, 11][..], b"NETSCAPE2.0", &[3, 1, 0, 0], &sub_blocks(MARKER)].concat()], &[], &[]),
        &looping,
    ));
    f.push(fam(
        "gif: graphic control with extra sub-blocks",
        base_gif(&zero, &[[&[0x21u8, 0xF9, 4, 0, 0, 0, 0][..], &sub_blocks(MARKER)].concat()], &[], &[]),
        &base,
    ));
    f.push(fam("gif: bytes after the LZW end code", base_gif(&zero, &[], MARKER, &[]), &base));
    let mut tail = [0u8; 12];
    tail.copy_from_slice(&MARKER[..12]);
    f.push(fam("gif: unused palette entries", base_gif(&tail, &[], &[], &[]), &base));
    // XMP is stored raw, then a 258-byte "magic trailer" brings any sub-block reading back to a terminator.
    let magic: Vec<u8> = std::iter::once(1u8).chain((0..=0xFFu8).rev()).chain(std::iter::once(0)).collect();
    f.push(fam("gif: XMP application extension", base_gif(&zero, &[[&[0x21u8, 0xFF, 11][..], b"XMP DataXMP", MARKER, &magic].concat()], &[], &[]), &base));
    f.push(fam("gif: unknown extension label", base_gif(&zero, &[[&[0x21u8, 0x7A][..], &sub_blocks(MARKER)].concat()], &[], &[]), &base));
    f.push(fam("gif: stray bytes between blocks", base_gif(&zero, &[MARKER.to_vec()], &[], &[]), &base));
    f.push(fam("gif: missing trailer, bytes appended", {
        let mut g = base_gif(&zero, &[], &[], &[]);
        g.pop();
        g.extend_from_slice(&[0x21, 0xFE]);
        g.extend_from_slice(&sub_blocks(MARKER)[..20]);
        g
    }, &base));
    f
}

// ---------------------------------------------------------------- checks

/// Every place the marker can be read from a copy: the bytes, and every zlib or raw
/// deflate stream that starts anywhere in them.
pub(crate) fn leaks(copy: &[u8]) -> Vec<String> {
    let mut found = Vec::new();
    let has = |hay: &[u8]| PIECES.iter().any(|p| hay.windows(p.len()).any(|w| w == *p));
    if has(copy) {
        found.push("raw bytes".to_string());
    }
    for at in 0..copy.len() {
        use miniz_oxide::inflate::{decompress_to_vec_with_limit, decompress_to_vec_zlib_with_limit};
        for (kind, out) in [
            ("zlib", decompress_to_vec_zlib_with_limit(&copy[at..], 1 << 16)),
            ("deflate", decompress_to_vec_with_limit(&copy[at..], 1 << 16)),
        ] {
            // A stream cut short still gives what it inflated so far.
            let data = match out {
                Ok(d) => d,
                Err(e) => e.output,
            };
            if has(&data) {
                found.push(format!("{kind} stream at {at}"));
            }
        }
    }
    found
}

fn pixels(bytes: &[u8]) -> Result<(u32, u32, Vec<u8>), String> {
    let img = image::load_from_memory(bytes).map_err(|e| e.to_string())?;
    Ok((img.width(), img.height(), img.to_rgba8().into_raw()))
}

#[derive(Default)]
struct Tally {
    offered: usize,
    refused: usize,
    leaked: Vec<String>,
    wrong_pixels: Vec<String>,
    invalid: Vec<String>,
    refused_unexpectedly: Vec<String>,
}

fn run(families: &[Family]) -> Tally {
    let mut t = Tally::default();
    for fam in families {
        match clean(&fam.file, &CleanOptions::default()) {
            Err(e) => {
                t.refused += 1;
                if !MAY_REFUSE.contains(&fam.name) {
                    t.refused_unexpectedly.push(format!("{}: {e}", fam.name));
                }
            }
            Ok(copy) => {
                t.offered += 1;
                let l = leaks(&copy.bytes);
                if !l.is_empty() {
                    t.leaked.push(format!("{} ({})", fam.name, l.join(", ")));
                }
                match (pixels(&fam.clean), pixels(&copy.bytes)) {
                    (Ok(a), Ok(b)) if a == b => {}
                    (Ok(_), Ok(_)) => t.wrong_pixels.push(format!("{}: pixels differ", fam.name)),
                    (_, Err(e)) => t.wrong_pixels.push(format!("{}: copy does not decode ({e})", fam.name)),
                    (Err(e), _) => panic!("{}: the clean fixture does not decode ({e})", fam.name),
                }
                if let Err(e) = thinktwice::safer::validate(&copy.bytes) {
                    t.invalid.push(format!("{}: {e}", fam.name));
                }
            }
        }
    }
    t
}

fn report(format: &str, families: &[Family]) {
    let t = run(families);
    eprintln!(
        "{format}: {} families, {} copies offered, {} refused, markers surviving in {} copies",
        families.len(),
        t.offered,
        t.refused,
        t.leaked.len()
    );
    for l in &t.leaked {
        eprintln!("  SURVIVED: {l}");
    }
    for r in &t.refused_unexpectedly {
        eprintln!("  REFUSED: {r}");
    }
    assert!(t.leaked.is_empty(), "{format}: the marker survived in {:#?}", t.leaked);
    assert!(t.wrong_pixels.is_empty(), "{format}: {:#?}", t.wrong_pixels);
    assert!(t.invalid.is_empty(), "{format}: copies the validator rejects were offered: {:#?}", t.invalid);
    assert!(t.refused_unexpectedly.is_empty(), "{format}: refused: {:#?}", t.refused_unexpectedly);
}

#[test]
fn jpeg_families_leave_no_marker() {
    report("JPEG", &jpeg_families());
}

#[test]
fn png_families_leave_no_marker() {
    report("PNG", &png_families());
}

#[test]
fn webp_families_leave_no_marker() {
    report("WebP", &webp_families());
}

#[test]
fn gif_families_leave_no_marker() {
    report("GIF", &gif_families());
}

#[test]
fn the_fixtures_are_what_they_claim() {
    // The clean pictures decode, and every hostile file really holds the marker.
    for fam in jpeg_families().iter().chain(&png_families()).chain(&webp_families()).chain(&gif_families()) {
        assert!(!leaks(&fam.file).is_empty(), "{}: no marker planted", fam.name);
        assert!(pixels(&fam.clean).is_ok(), "{}", fam.name);
    }
    // The leak finder sees a marker hidden only inside a deflate stream.
    assert!(!leaks(&[b"xx".as_slice(), &deflated(MARKER)].concat()).is_empty());
    let _ = crc32(b"");
}
