//! JPEG walker: lists the metadata segments of a JPEG (or MPO) file with their
//! byte ranges, finds the stored pixel size in the first SOFn header, and notes
//! any bytes after the end-of-image marker.
//!
//! It owns the JPEG *structure* only: segment framing, the entropy-coded data
//! between scans, and which APPn signature means which [`BlockKind`]. It must not
//! interpret metadata (EXIF, XMP, IRB… are read in `meta`), and it must never
//! copy the file: blocks borrow their bytes.
//!
//! Layout reminder: `FFD8` (SOI), then segments `FF xx <u16 BE length incl. itself>
//! <payload>`, then `FFDA` (SOS) followed by entropy-coded data in which a real
//! `FF` byte is written `FF 00` and `FF D0`–`FF D7` are restart markers. Progressive
//! files have several scans (more DHT/SOS segments after the first scan). `FFD9`
//! (EOI) ends the image; anything after it is a trailer (MPF images, motion-photo
//! video, leftovers).

use super::{BlockKind, Container, Format, WalkError};

const SOI: u8 = 0xD8;
const EOI: u8 = 0xD9;
const SOS: u8 = 0xDA;
const COM: u8 = 0xFE;
const TEM: u8 = 0x01;

const EXIF_SIG: &[u8] = b"Exif\0";
const XMP_SIG: &[u8] = b"http://ns.adobe.com/xap/1.0/\0";
const XMP_EXT_SIG: &[u8] = b"http://ns.adobe.com/xmp/extension/\0";
const ICC_SIG: &[u8] = b"ICC_PROFILE\0";
const MPF_SIG: &[u8] = b"MPF\0";
const IRB_SIG: &[u8] = b"Photoshop 3.0\0";

const TRUNCATED_IN_SCAN: &str =
    "JPEG ends inside the image data, before its end-of-image marker (the file may be cut short).";

/// Trailers with this many non-zero bytes or fewer are treated as harmless padding.
const TRAILER_MIN_NONZERO: usize = 4;

/// Walks a JPEG file. Errors only when the file does not even start with SOI.
pub fn walk(bytes: &[u8]) -> Result<Container<'_>, WalkError> {
    if !bytes.starts_with(&[0xFF, SOI]) {
        return Err(WalkError::damaged("This file does not start like a JPEG image."));
    }
    let mut c = Container::new(Format::Jpeg);
    let mut pos = 2;
    let mut steps = 0usize;
    let mut in_image_data = false; // true once the first SOS was seen
    let mut warned_stray = false;
    loop {
        steps += 1;
        if steps > 4 * super::limits::MAX_BLOCKS {
            c.warnings.push("JPEG has too many segments; stopped walking.".into());
            c.not_read(super::budget::SKIPPED_PLACE, &bytes[pos.min(bytes.len())..]);
            return Ok(c);
        }
        let Some((marker, marker_pos)) = next_marker(bytes, pos, &mut c, &mut warned_stray) else {
            c.warnings.push("JPEG ends before its end-of-image marker (the file may be cut short).".into());
            return Ok(c);
        };
        pos = marker_pos + 2;
        match marker {
            EOI => {
                push_trailer(&mut c, bytes, pos);
                return Ok(c);
            }
            // A restart marker here means we lost sync inside scan data: resume the scan.
            0xD0..=0xD7 if in_image_data => {
                match skip_entropy_data(bytes, pos) {
                    Some(next) => pos = next,
                    None => {
                        c.warnings.push(TRUNCATED_IN_SCAN.into());
                        return Ok(c);
                    }
                }
                continue;
            }
            SOI | TEM | 0xD0..=0xD7 => continue, // standalone markers, no length
            _ => {}
        }
        let Some(len) = read_u16(bytes, pos) else {
            c.warnings.push("JPEG ends inside a segment header (the file may be cut short).".into());
            return Ok(c);
        };
        let len = len as usize;
        if len < 2 {
            c.warnings.push(format!("JPEG segment FF{marker:02X} has an impossible length {len}; stopped walking."));
            return Ok(c);
        }
        let end = pos + len;
        if end > bytes.len() {
            c.warnings.push(format!(
                "JPEG segment FF{marker:02X} runs past the end of the file (the file may be cut short)."
            ));
            c.not_read("in a block that is cut short at the end of the file", &bytes[marker_pos..]);
            return Ok(c);
        }
        let payload = pos + 2..end;
        classify_segment(&mut c, bytes, marker, marker_pos..end, payload);
        pos = end;
        if marker == SOS {
            // Entropy-coded data follows the scan header; skip to the next real marker.
            in_image_data = true;
            match skip_entropy_data(bytes, pos) {
                Some(next) => pos = next,
                None => {
                    c.warnings.push(TRUNCATED_IN_SCAN.into());
                    return Ok(c);
                }
            }
        }
    }
}

/// Finds the next marker at or after `pos`: returns (marker byte, offset of its 0xFF).
/// Fill bytes (repeated 0xFF) are skipped; stray bytes are skipped with one warning
/// and listed as not read.
fn next_marker<'a>(bytes: &'a [u8], pos: usize, c: &mut Container<'a>, warned: &mut bool) -> Option<(u8, usize)> {
    let found = find_marker(bytes, pos, c, warned);
    let stop = found.map_or(bytes.len(), |(_, at)| at);
    let between = bytes.get(pos..stop).unwrap_or(&[]);
    // 0xFF fill bytes are allowed before a marker and say nothing; anything else is stray.
    if between.iter().any(|&b| b != 0xFF) {
        let place = if found.is_some() { "between two blocks" } else { "at the end of the file, where a block should start" };
        c.not_read(place, between);
    }
    found
}

fn find_marker(bytes: &[u8], pos: usize, c: &mut Container<'_>, warned: &mut bool) -> Option<(u8, usize)> {
    let mut p = pos;
    loop {
        if bytes.get(p) != Some(&0xFF) {
            // Garbage between segments: resynchronise on the next 0xFF, as decoders do.
            let skip = find_ff(bytes.get(p..)?)?;
            if !*warned {
                c.warnings.push(format!("JPEG has stray bytes at offset {p} (damaged file?); skipped them."));
                *warned = true;
            }
            p += skip;
        }
        while bytes.get(p + 1) == Some(&0xFF) {
            p += 1; // fill bytes
        }
        match *bytes.get(p + 1)? {
            0x00 => p += 2, // "FF 00" is not a marker outside entropy data; keep looking
            marker => return Some((marker, p)),
        }
    }
}

/// Skips entropy-coded data starting at `pos`. Returns the offset of the 0xFF of
/// the next marker that can follow a scan (see [`can_follow_scan`]), or None when
/// the file ends first.
fn skip_entropy_data(bytes: &[u8], pos: usize) -> Option<usize> {
    let mut p = pos;
    loop {
        p += find_ff(bytes.get(p..)?)?;
        // Fill bytes: a run of 0xFF belongs to the following marker.
        let mut q = p;
        while bytes.get(q + 1) == Some(&0xFF) {
            q += 1;
        }
        if can_follow_scan(*bytes.get(q + 1)?) {
            return Some(q);
        }
        // FF 00 (stuffed byte), RSTn, or an impossible marker in damaged data: keep scanning.
        p = q + 2;
    }
}

/// Markers that may end a scan: SOFn/DHT/DAC, EOI, SOS, DQT, DNL, DRI, DHP, EXP, APPn, COM.
/// Anything else after an FF inside scan data is damage, not structure.
fn can_follow_scan(marker: u8) -> bool {
    matches!(marker, 0xC0..=0xCF | 0xD9..=0xDF | 0xE0..=0xEF | COM)
}

/// Offset of the first 0xFF in `hay`. JPEG entropy data is most of the file, so
/// this is the walker's hot path: `memchr` searches with SIMD (SSE2/AVX2 natively,
/// simd128 in the browser build).
fn find_ff(hay: &[u8]) -> Option<usize> {
    memchr::memchr(0xFF, hay)
}

fn read_u16(bytes: &[u8], pos: usize) -> Option<u16> {
    let b = bytes.get(pos..pos.checked_add(2)?)?;
    Some(u16::from_be_bytes([b[0], b[1]]))
}

/// Turns one length-framed segment into a block (or dims), by marker and signature.
fn classify_segment<'a>(
    c: &mut Container<'a>,
    bytes: &'a [u8],
    marker: u8,
    span: std::ops::Range<usize>,
    payload: std::ops::Range<usize>,
) {
    let p = &bytes[payload.clone()];
    let at = |skip: usize| payload.start + skip.min(p.len())..payload.end;
    match marker {
        // SOFn (not DHT C4, JPG C8, DAC CC): precision, height, width. The first one is the image.
        0xC0..=0xCF if !matches!(marker, 0xC4 | 0xC8 | 0xCC) => {
            if c.width.is_none() && p.len() >= 5 {
                c.height = Some(u16::from_be_bytes([p[1], p[2]]) as u32);
                c.width = Some(u16::from_be_bytes([p[3], p[4]]) as u32);
            }
            // Precision, height, width, component count, then 3 bytes per component.
            let used = p.get(5).map_or(p.len(), |&n| 6 + 3 * n as usize);
            note_extra(c, "inside the block that gives the picture's size", p, used);
        }
        0xC4 => note_extra(c, "inside a block of decoding tables", p, huffman_tables_len(p)),
        0xDB => note_extra(c, "inside a block of decoding tables", p, quant_tables_len(p)),
        0xDD => note_extra(c, "inside a block of decoding settings", p, 2),
        SOS => {
            let used = p.first().map_or(p.len(), |&n| 1 + 2 * n as usize + 3);
            note_extra(c, "inside the block that starts the picture data", p, used);
        }
        COM => c.push(BlockKind::Comment, span, bytes, payload),
        0xE0 if p.starts_with(b"JFIF\0") => jfif(c, bytes, span, payload),
        0xE0 if p.starts_with(b"JFXX\0") => {
            // JFIF extension: a preview image (JPEG, palette or RGB) after a 1-byte kind.
            c.push(BlockKind::Thumbnail, span.clone(), bytes, at(6));
            c.push(BlockKind::Other { label: "JFXX".into() }, span, bytes, payload);
        }
        0xEE if p.starts_with(b"Adobe") => {
            // "Adobe", version (2), flags (2 + 2), colour transform (1).
            note_extra(c, "inside the Adobe colour block, after its settings", p, ADOBE_LEN);
            c.push(BlockKind::Other { label: "Adobe".into() }, span, bytes, payload);
        }
        // Read by `meta::flir`.
        0xE1 if p.starts_with(b"FLIR\0") => c.push(BlockKind::Other { label: "APP1 FLIR".into() }, span, bytes, payload),
        0xE1 if p.starts_with(EXIF_SIG) && p.len() >= 6 => c.push(BlockKind::Exif, span, bytes, at(6)),
        0xE1 if p.starts_with(XMP_SIG) => c.push(BlockKind::Xmp, span, bytes, at(XMP_SIG.len())),
        0xE1 if p.starts_with(XMP_EXT_SIG) => c.push(BlockKind::XmpExtended, span, bytes, at(XMP_EXT_SIG.len())),
        0xE2 if p.starts_with(ICC_SIG) => c.push(BlockKind::Icc, span, bytes, at(ICC_SIG.len() + 2)),
        0xE2 if p.starts_with(MPF_SIG) => c.push(BlockKind::Mpf, span, bytes, at(MPF_SIG.len())),
        0xED if p.starts_with(IRB_SIG) => c.push(BlockKind::PhotoshopIrb, span, bytes, at(IRB_SIG.len())),
        // Content Credentials (JUMBF): read by `meta::c2pa`, which reports what it cannot read.
        0xEB if p.starts_with(b"JP") => c.push(BlockKind::Other { label: "APP11 JUMBF".into() }, span, bytes, payload),
        0xE0..=0xEF => {
            let label = app_label(marker, p);
            c.not_read(format!("in a block named “{label}” that ThinkTwice does not know"), p);
            c.push(BlockKind::Other { label }, span, bytes, payload);
        }
        // DAC, DNL, DHP, EXP: rare but part of the standard; the picture decoder reads them.
        0xCC | 0xC8 | 0xDC | 0xDE | 0xDF => {}
        // Reserved and extension markers (JPGn, RESn): nothing ThinkTwice or a normal viewer reads.
        _ => c.not_read("in a block of a kind that is not used by normal photos", p),
    }
}

/// Bytes in an Adobe APP14 segment: "Adobe", version (2), flags0 (2), flags1 (2), transform (1).
const ADOBE_LEN: usize = 12;

/// Notes the bytes of a known segment past the `used` bytes its fields take.
fn note_extra(c: &mut Container<'_>, place: &str, payload: &[u8], used: usize) {
    if let Some(extra) = payload.get(used..) {
        c.not_read(place, extra);
    }
}

/// Length of the Huffman tables at the start of a DHT payload: each is a class/id
/// byte, 16 code counts, then that many symbols.
fn huffman_tables_len(p: &[u8]) -> usize {
    let mut at = 0;
    while let Some(counts) = p.get(at + 1..at + 17) {
        let symbols: usize = counts.iter().map(|&n| n as usize).sum();
        // A table that does not fit, or is not a valid class/id, is not a table: the rest is extra.
        if at + 17 + symbols > p.len() || p[at] & 0xEC != 0 {
            return at;
        }
        at += 17 + symbols;
    }
    at
}

/// Length of the quantisation tables at the start of a DQT payload: each is a
/// precision/id byte, then 64 values of 1 or 2 bytes.
fn quant_tables_len(p: &[u8]) -> usize {
    let mut at = 0;
    while let Some(&pq) = p.get(at) {
        let size = 1 + if pq >> 4 == 0 { 64 } else { 128 };
        if at + size > p.len() || pq >> 4 > 1 || pq & 0x0F > 3 {
            return at;
        }
        at += size;
    }
    at
}

/// JFIF APP0: "JFIF\0", version (2), units (1), densities (2 + 2), preview width and
/// height (1 + 1), then width × height × 3 bytes of preview pixels.
fn jfif<'a>(c: &mut Container<'a>, bytes: &'a [u8], span: std::ops::Range<usize>, payload: std::ops::Range<usize>) {
    const FIELDS: usize = 14;
    let p = &bytes[payload.clone()];
    let preview = p.get(12..14).map_or(0, |wh| wh[0] as usize * wh[1] as usize * 3);
    let preview_end = (FIELDS + preview).min(p.len());
    if preview > 0 && p.len() > FIELDS {
        c.push(BlockKind::Thumbnail, span.clone(), bytes, payload.start + FIELDS..payload.start + preview_end);
    }
    note_extra(c, "inside the JFIF header block, after its settings", p, FIELDS + preview);
    c.push(BlockKind::Other { label: "JFIF".into() }, span, bytes, payload);
}

/// A short name for an APPn segment that has no dedicated kind: "JFIF", "Adobe",
/// "APP1 FLIR", "APP11 JUMBF", or just "APP5" when it has no readable signature.
fn app_label(marker: u8, payload: &[u8]) -> String {
    let n = marker - 0xE0;
    if n == 0 && payload.starts_with(b"JFIF\0") {
        return "JFIF".into();
    }
    if n == 14 && payload.starts_with(b"Adobe") {
        return "Adobe".into();
    }
    if n == 11 && payload.starts_with(b"JP") {
        return "APP11 JUMBF".into();
    }
    // Signature: printable ASCII up to the first NUL (or non-printable byte).
    let sig: String = payload.iter().take(32).take_while(|&&b| (0x20..0x7F).contains(&b)).map(|&b| b as char).collect();
    let sig = sig.trim();
    if sig.len() >= 2 {
        format!("APP{n} {sig}")
    } else {
        format!("APP{n}")
    }
}

/// Records the bytes after EOI as a trailer unless they are only padding.
fn push_trailer<'a>(c: &mut Container<'a>, bytes: &'a [u8], start: usize) {
    let rest = bytes.get(start..).unwrap_or(&[]);
    if rest.iter().filter(|&&b| b != 0).take(TRAILER_MIN_NONZERO + 1).count() > TRAILER_MIN_NONZERO {
        c.push(BlockKind::Trailer, start..bytes.len(), bytes, start..bytes.len());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One length-framed segment: FF <marker> <len> <payload>.
    fn segment(marker: u8, payload: &[u8]) -> Vec<u8> {
        let mut s = vec![0xFF, marker];
        s.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
        s.extend_from_slice(payload);
        s
    }

    fn sof(marker: u8, width: u16, height: u16) -> Vec<u8> {
        let mut p = vec![8];
        p.extend_from_slice(&height.to_be_bytes());
        p.extend_from_slice(&width.to_be_bytes());
        p.extend_from_slice(&[1, 1, 0x11, 0]);
        segment(marker, &p)
    }

    /// A structurally valid JPEG: SOI, `head` segments, SOF0, DHT, SOS, `scan`, EOI, `tail`.
    fn build(head: &[Vec<u8>], scan: &[u8], tail: &[u8]) -> Vec<u8> {
        let mut f = vec![0xFF, SOI];
        for s in head {
            f.extend_from_slice(s);
        }
        f.extend(sof(0xC0, 320, 200));
        f.extend(segment(0xC4, &[0; 20]));
        f.extend(segment(SOS, &[1, 1, 0, 0, 63, 0]));
        f.extend_from_slice(scan);
        f.extend_from_slice(&[0xFF, EOI]);
        f.extend_from_slice(tail);
        f
    }

    fn with_sig(sig: &[u8], body: &[u8]) -> Vec<u8> {
        [sig, body].concat()
    }

    #[test]
    fn lists_each_app_segment_with_its_kind_span_and_payload() {
        let tiff = b"II*\0\x08\0\0\0".to_vec();
        let segs = vec![
            segment(0xE0, b"JFIF\0\x01\x02\0\0\x01\0\x01\0\0"),
            segment(0xE1, &with_sig(b"Exif\0\0", &tiff)),
            segment(0xE1, &with_sig(XMP_SIG, b"<x:xmpmeta/>")),
            segment(0xE1, &with_sig(XMP_EXT_SIG, b"GUIDGUIDGUIDGUIDGUIDGUIDGUIDGUID\0\0\0\x05\0\0\0\0hello")),
            segment(0xE2, &with_sig(ICC_SIG, b"\x01\x01ICCDATA")),
            segment(0xE2, &with_sig(MPF_SIG, b"MM\0*\0\0\0\x08")),
            segment(0xED, &with_sig(IRB_SIG, b"8BIM\x04\x04")),
            segment(0xFE, b"hello comment"),
            segment(0xE1, b"FLIR\0\x01\x02"),
            segment(0xEB, b"JP\0\x01jumb"),
            segment(0xE5, b"\x01\x02\x03"),
            segment(0xEE, b"Adobe\0\x64\0\0\0\0\x01"),
        ];
        let file = build(&segs, &[0x12, 0x34], &[]);
        let c = walk(&file).unwrap();
        assert_eq!((c.width, c.height), (Some(320), Some(200)));
        assert!(c.warnings.is_empty(), "{:?}", c.warnings);
        let kinds: Vec<BlockKind> = c.blocks.iter().map(|b| b.kind.clone()).collect();
        let other = |l: &str| BlockKind::Other { label: l.into() };
        assert_eq!(
            kinds,
            vec![
                other("JFIF"),
                BlockKind::Exif,
                BlockKind::Xmp,
                BlockKind::XmpExtended,
                BlockKind::Icc,
                BlockKind::Mpf,
                BlockKind::PhotoshopIrb,
                BlockKind::Comment,
                other("APP1 FLIR"),
                other("APP11 JUMBF"),
                other("APP5"),
                other("Adobe"),
            ]
        );
        // Spans cover whole segments back to back, starting right after SOI.
        let mut at = 2;
        for (b, s) in c.blocks.iter().zip(&segs) {
            assert_eq!(b.span, at..at + s.len());
            assert_eq!(&file[b.span.clone()], &s[..]);
            at += s.len();
        }
        assert_eq!(&*c.blocks[1].data, &tiff[..]);
        assert_eq!(&*c.blocks[2].data, b"<x:xmpmeta/>");
        assert!(c.blocks[3].data.starts_with(b"GUIDGUID"));
        assert_eq!(&*c.blocks[4].data, b"ICCDATA");
        assert_eq!(&*c.blocks[5].data, b"MM\0*\0\0\0\x08");
        assert_eq!(&*c.blocks[6].data, b"8BIM\x04\x04");
        assert_eq!(&*c.blocks[7].data, b"hello comment");
    }

    #[test]
    fn skips_stuffed_bytes_restarts_and_progressive_scans() {
        // Scan 1 holds FF00, RST0..RST7 and fill bytes; then a COM, DHT and a second scan.
        let mut scan = vec![0x11, 0xFF, 0x00, 0x22, 0xFF, 0xD0, 0x33, 0xFF, 0xFF, 0xD7, 0x44, 0xFF, 0x00];
        scan.extend(segment(0xFE, b"between scans"));
        scan.extend(segment(0xC4, &[0; 4]));
        scan.extend(segment(SOS, &[1, 1, 0, 1, 63, 0]));
        scan.extend([0x55, 0xFF, 0x00, 0xFF, 0xD3, 0x66]);
        let file = build(&[], &scan, b"APPENDED-DATA");
        let c = walk(&file).unwrap();
        assert!(c.warnings.is_empty(), "{:?}", c.warnings);
        assert_eq!(c.blocks.len(), 2);
        assert_eq!(c.blocks[0].kind, BlockKind::Comment);
        assert_eq!(&*c.blocks[0].data, b"between scans");
        assert_eq!(c.blocks[1].kind, BlockKind::Trailer);
        assert_eq!(c.blocks[1].span, file.len() - 13..file.len());
        assert_eq!(&*c.blocks[1].data, b"APPENDED-DATA");
    }

    #[test]
    fn zero_padding_after_eoi_is_not_a_trailer() {
        let zeros = build(&[], &[1], &[0; 100]);
        assert!(walk(&zeros).unwrap().blocks.is_empty());
        let few = build(&[], &[1], &[0, 7, 0, 0]);
        assert!(walk(&few).unwrap().blocks.is_empty(), "a few stray bytes are padding");
    }

    #[test]
    fn dims_come_from_sofn_not_dht_dac_or_jpg_markers() {
        let mut f = vec![0xFF, SOI];
        f.extend(segment(0xC4, &[0, 9, 9, 9, 9])); // DHT looks like a SOF by number
        f.extend(segment(0xCC, &[0, 8, 8, 8, 8])); // DAC
        f.extend(sof(0xC2, 640, 480)); // progressive SOF
        f.extend(segment(SOS, &[0]));
        f.extend([0xFF, EOI]);
        let c = walk(&f).unwrap();
        assert_eq!((c.width, c.height), (Some(640), Some(480)));
    }

    #[test]
    fn truncated_files_keep_what_was_found_and_warn() {
        let segs = vec![segment(0xFE, b"first"), segment(0xE1, &with_sig(b"Exif\0\0", b"II*\0\x08\0\0\0"))];
        let full = build(&segs, &[1, 2, 3], &[]);
        // Cut inside the second segment: the comment survives, with a warning.
        let c = walk(&full[..2 + segs[0].len() + 5]).unwrap();
        assert_eq!(c.blocks.len(), 1);
        assert_eq!(c.warnings.len(), 1);
        // Cut inside the scan data.
        let c = walk(&full[..full.len() - 2]).unwrap();
        assert_eq!(c.blocks.len(), 2);
        assert!(c.warnings[0].contains("image data"));
        // Only SOI: fine, one warning. Not even SOI: an error.
        assert_eq!(walk(&[0xFF, 0xD8]).unwrap().warnings.len(), 1);
        assert!(walk(&[0xFF, 0xD9]).is_err());
        assert!(walk(&[]).is_err());
        // Every prefix and a batch of corrupted copies walk without panicking.
        for n in 0..full.len() {
            let _ = walk(&full[..n]);
        }
        for i in 0..full.len() {
            for v in [0x00, 0xFF, 0xD9, 0xDA] {
                let mut f = full.clone();
                f[i] = v;
                let _ = walk(&f);
            }
        }
    }

    #[test]
    fn walks_a_real_encoded_jpeg() {
        let img = image::RgbImage::from_fn(37, 21, |x, y| image::Rgb([(x * 7) as u8, (y * 11) as u8, (x ^ y) as u8]));
        let mut out = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90).encode_image(&img).unwrap();
        let c = walk(&out).unwrap();
        assert_eq!((c.width, c.height), (Some(37), Some(21)));
        assert!(c.warnings.is_empty(), "{:?}", c.warnings);
        assert!(!c.blocks.iter().any(|b| b.kind == BlockKind::Trailer));
    }

    #[test]
    fn find_ff_matches_a_plain_search() {
        let mut hay: Vec<u8> = (0..200u32).map(|i| (i * 37 % 251) as u8).collect();
        for at in [0usize, 1, 7, 8, 9, 63, 150, 199] {
            hay.iter_mut().for_each(|b| {
                if *b == 0xFF {
                    *b = 0
                }
            });
            hay[at] = 0xFF;
            assert_eq!(find_ff(&hay), Some(at));
            assert_eq!(find_ff(&hay[..at]), None);
        }
        // A 0xFE/0x7F neighbour must not fool the word test.
        assert_eq!(find_ff(&[0xFE, 0x7F, 0xFE, 0xFE, 0x01, 0x80, 0xFE, 0xFE, 0xFF]), Some(8));
    }
}
