//! WebP walker: lists the metadata chunks of a WebP (RIFF) file with their byte
//! ranges, reads the pixel size from VP8X, VP8 or VP8L, and notes bytes after the
//! end of the RIFF container.
//!
//! It owns RIFF framing only (`<fourcc> <u32 LE size> <data> [pad byte if size is odd]`).
//! Image chunks (VP8X, VP8, VP8L, ALPH, ANIM, ANMF) are not listed as blocks, so a
//! cleaner dropping blocks never drops pixels. It never interprets metadata.

use super::{BlockKind, Container, Format, WalkError};

/// Walks a WebP file. Errors only when the RIFF/WEBP header is missing.
pub fn walk(bytes: &[u8]) -> Result<Container<'_>, WalkError> {
    if bytes.len() < 12 || &bytes[0..4] != b"RIFF" || &bytes[8..12] != b"WEBP" {
        return Err(WalkError::damaged("This file does not start like a WebP image."));
    }
    let mut c = Container::new(Format::Webp);
    let riff_size = u32::from_le_bytes([bytes[4], bytes[5], bytes[6], bytes[7]]) as usize;
    let declared_end = riff_size.saturating_add(8);
    let riff_end = declared_end.min(bytes.len());
    if declared_end > bytes.len() {
        c.warnings.push("WebP file is shorter than its header says (the file may be cut short).".into());
    }
    let mut pos = 12;
    let mut dims_from_vp8x = false;
    let mut steps = 0usize;
    while pos + 8 <= riff_end {
        steps += 1;
        if steps > 4 * super::limits::MAX_BLOCKS {
            c.warnings.push("WebP has too many chunks; stopped walking.".into());
            c.not_read(super::budget::SKIPPED_PLACE, &bytes[pos..riff_end]);
            pos = riff_end;
            break;
        }
        let fourcc: [u8; 4] = [bytes[pos], bytes[pos + 1], bytes[pos + 2], bytes[pos + 3]];
        let size = u32::from_le_bytes([bytes[pos + 4], bytes[pos + 5], bytes[pos + 6], bytes[pos + 7]]) as usize;
        let data_start = pos + 8;
        let Some(data_end) = data_start.checked_add(size).filter(|&e| e <= riff_end) else {
            c.warnings.push(format!("WebP chunk '{}' runs past the end of the file.", fourcc_str(&fourcc)));
            c.not_read("in a block that runs past the end of the picture's container", &bytes[pos..]);
            pos = bytes.len();
            break;
        };
        let chunk_end = (data_end + (size & 1)).min(riff_end);
        let data = &bytes[data_start..data_end];
        match &fourcc {
            b"VP8X" => {
                if let Some((w, h)) = vp8x_dims(data) {
                    (c.width, c.height, dims_from_vp8x) = (Some(w), Some(h), true);
                }
                // Flags (1), reserved (3), canvas width and height (3 + 3).
                c.not_read("inside the block that gives the picture's size, after its settings", data.get(10..).unwrap_or(&[]));
            }
            b"VP8 " | b"VP8L" => {
                if !dims_from_vp8x && c.width.is_none() {
                    let dims = if &fourcc == b"VP8 " { vp8_dims(data) } else { vp8l_dims(data) };
                    if let Some((w, h)) = dims {
                        (c.width, c.height) = (Some(w), Some(h));
                    }
                }
                if &fourcc == b"VP8 " {
                    note_vp8_unread(&mut c, data);
                }
            }
            b"ALPH" | b"ANIM" | b"ANMF" => {}
            b"EXIF" => {
                // Some writers keep the JPEG-style "Exif\0\0" prefix; data must start at the TIFF header.
                let skip = if data.starts_with(b"Exif\0\0") { 6 } else { 0 };
                c.push(BlockKind::Exif, pos..chunk_end, bytes, data_start + skip..data_end);
            }
            b"XMP " => c.push(BlockKind::Xmp, pos..chunk_end, bytes, data_start..data_end),
            b"ICCP" => c.push(BlockKind::Icc, pos..chunk_end, bytes, data_start..data_end),
            // Content Credentials (JUMBF): read by `meta::c2pa`, which reports what it cannot read.
            b"C2PA" => c.push(BlockKind::Other { label: "C2PA".into() }, pos..chunk_end, bytes, data_start..data_end),
            _ => {
                let label = fourcc_str(&fourcc);
                c.not_read(format!("in a block named “{label}” that ThinkTwice does not know"), data);
                c.push(BlockKind::Other { label }, pos..chunk_end, bytes, data_start..data_end)
            }
        }
        pos = chunk_end;
    }
    // Fewer than 8 bytes left inside the container cannot even be a block header.
    if pos < riff_end {
        c.not_read("at the end of the picture's container, too short to be a block", &bytes[pos..riff_end]);
    }
    push_trailer(&mut c, bytes, declared_end);
    Ok(c)
}

/// Encoders end each partition with a few flush bytes no decoder needs (2–4 seen
/// in every corpus WebP): that many is normal, not worth a warning.
const VP8_FLUSH_BYTES: usize = 8;

/// Lossy picture data followed to its end by the check, at most: every token is
/// read (a 31 MB frame of noise took 1.1 s natively). Phone WebPs hold a few MB;
/// past this the data is said to be skipped (the copy still follows it all).
const VP8_CHECK_BYTES: usize = 16 << 20;

/// Bytes inside a lossy picture that no decoder reads (after a partition's read
/// part) change nothing on screen and can hide anything: more than an encoder's
/// flush, or anything that looks like text, counts as unread. (The copy drops
/// them all either way.) A frame that cannot be followed is left to the copy,
/// which refuses it in words.
fn note_vp8_unread(c: &mut Container<'_>, data: &[u8]) {
    if data.len() > VP8_CHECK_BYTES {
        c.not_read(super::budget::SKIPPED_PLACE, data);
        return;
    }
    // Only where the reading ends is needed here, not the frame written again.
    if let Ok(reading) = super::vp8::read(data) {
        let tails: Vec<&[u8]> = reading.tails().collect();
        let more_than_flush = tails.iter().any(|t| t.len() > VP8_FLUSH_BYTES);
        let unread = tails.concat();
        if more_than_flush || super::looks_like_text(&unread) {
            c.not_read("inside the picture data, after the part a picture viewer reads", &unread);
        }
    }
}

fn fourcc_str(f: &[u8; 4]) -> String {
    f.iter()
        .map(|&b| if b.is_ascii_graphic() || b == b' ' { b as char } else { '?' })
        .collect::<String>()
        .trim_end()
        .to_string()
}

fn u24_le(b: &[u8]) -> u32 {
    b[0] as u32 | (b[1] as u32) << 8 | (b[2] as u32) << 16
}

/// VP8X: flags (1), reserved (3), canvas width − 1 (u24 LE), canvas height − 1 (u24 LE).
fn vp8x_dims(d: &[u8]) -> Option<(u32, u32)> {
    let d = d.get(4..10)?;
    Some((u24_le(&d[0..3]) + 1, u24_le(&d[3..6]) + 1))
}

/// VP8 (lossy) key frame: 3-byte frame tag, start code 9D 01 2A, then 14-bit width and height.
fn vp8_dims(d: &[u8]) -> Option<(u32, u32)> {
    let d = d.get(0..10)?;
    if d[3..6] != [0x9D, 0x01, 0x2A] {
        return None;
    }
    let w = u16::from_le_bytes([d[6], d[7]]) & 0x3FFF;
    let h = u16::from_le_bytes([d[8], d[9]]) & 0x3FFF;
    Some((w as u32, h as u32))
}

/// VP8L (lossless): signature 0x2F, then width − 1 and height − 1 as 14-bit fields.
fn vp8l_dims(d: &[u8]) -> Option<(u32, u32)> {
    let d = d.get(0..5)?;
    if d[0] != 0x2F {
        return None;
    }
    let bits = u32::from_le_bytes([d[1], d[2], d[3], d[4]]);
    Some(((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1))
}

/// Records the bytes after the RIFF container as a trailer unless they are only padding.
fn push_trailer<'a>(c: &mut Container<'a>, bytes: &'a [u8], start: usize) {
    let Some(rest) = bytes.get(start..) else { return };
    if rest.iter().filter(|&&b| b != 0).take(5).count() > 4 {
        c.push(BlockKind::Trailer, start..bytes.len(), bytes, start..bytes.len());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunk(fourcc: &[u8; 4], data: &[u8]) -> Vec<u8> {
        let mut c = fourcc.to_vec();
        c.extend_from_slice(&(data.len() as u32).to_le_bytes());
        c.extend_from_slice(data);
        if data.len() % 2 == 1 {
            c.push(0); // RIFF pad byte
        }
        c
    }

    fn riff(chunks: &[Vec<u8>], tail: &[u8]) -> Vec<u8> {
        let body: Vec<u8> = chunks.concat();
        let mut f = b"RIFF".to_vec();
        f.extend_from_slice(&((body.len() + 4) as u32).to_le_bytes());
        f.extend_from_slice(b"WEBP");
        f.extend(body);
        f.extend_from_slice(tail);
        f
    }

    fn vp8x(w: u32, h: u32) -> Vec<u8> {
        let mut d = vec![0x08, 0, 0, 0];
        d.extend_from_slice(&(w - 1).to_le_bytes()[..3]);
        d.extend_from_slice(&(h - 1).to_le_bytes()[..3]);
        chunk(b"VP8X", &d)
    }

    fn vp8(w: u16, h: u16) -> Vec<u8> {
        let mut d = vec![0x10, 0x02, 0x00, 0x9D, 0x01, 0x2A];
        d.extend_from_slice(&w.to_le_bytes());
        d.extend_from_slice(&h.to_le_bytes());
        d.extend_from_slice(&[0; 7]);
        chunk(b"VP8 ", &d)
    }

    #[test]
    fn lists_metadata_chunks_and_reads_vp8x_size() {
        let chunks = vec![
            vp8x(4000, 3000),
            chunk(b"ICCP", b"icc-bytes"),
            vp8(100, 50),
            chunk(b"EXIF", b"Exif\0\0II*\0\x08\0\0\0"),
            chunk(b"XMP ", b"<x:xmpmeta/>"),
            chunk(b"ABCD", b"odd"),
        ];
        let file = riff(&chunks, &[]);
        let c = walk(&file).unwrap();
        assert_eq!((c.width, c.height), (Some(4000), Some(3000)), "VP8X canvas wins");
        assert!(c.warnings.is_empty(), "{:?}", c.warnings);
        let kinds: Vec<BlockKind> = c.blocks.iter().map(|b| b.kind.clone()).collect();
        assert_eq!(
            kinds,
            vec![BlockKind::Icc, BlockKind::Exif, BlockKind::Xmp, BlockKind::Other { label: "ABCD".into() }]
        );
        assert_eq!(&*c.blocks[0].data, b"icc-bytes");
        assert_eq!(&*c.blocks[1].data, b"II*\0\x08\0\0\0", "Exif prefix stripped");
        assert_eq!(&*c.blocks[2].data, b"<x:xmpmeta/>");
        assert_eq!(&*c.blocks[3].data, b"odd");
        // Spans include the pad byte of odd-sized chunks.
        let offset = |i: usize| 12 + chunks[..i].iter().map(Vec::len).sum::<usize>();
        for (b, i) in c.blocks.iter().zip([1, 3, 4, 5]) {
            assert_eq!(b.span, offset(i)..offset(i) + chunks[i].len());
        }
        assert_eq!(c.blocks[3].span.end, file.len());
    }

    #[test]
    fn reads_size_from_vp8_and_vp8l() {
        let file = riff(&[vp8(321, 123)], &[]);
        let c = walk(&file).unwrap();
        assert_eq!((c.width, c.height), (Some(321), Some(123)));
        // VP8L: 0x2F, then (w-1) in 14 bits, (h-1) in 14 bits.
        let bits: u32 = (200 - 1) | ((77 - 1) << 14);
        let mut d = vec![0x2F];
        d.extend_from_slice(&bits.to_le_bytes());
        let file = riff(&[chunk(b"VP8L", &d)], &[]);
        let c = walk(&file).unwrap();
        assert_eq!((c.width, c.height), (Some(200), Some(77)));
    }

    #[test]
    fn bytes_after_the_riff_are_a_trailer() {
        let file = riff(&[vp8(8, 8)], b"hidden bytes");
        let c = walk(&file).unwrap();
        assert_eq!(c.blocks.len(), 1);
        assert_eq!(c.blocks[0].kind, BlockKind::Trailer);
        assert_eq!(&*c.blocks[0].data, b"hidden bytes");
    }

    #[test]
    fn truncated_files_keep_what_was_found_and_warn() {
        let full = riff(&[chunk(b"EXIF", b"II*\0\x08\0\0\0"), chunk(b"XMP ", b"<x/>")], b"tail data!");
        let c = walk(&full[..full.len() - 10 - 3]).unwrap();
        assert_eq!(c.blocks.len(), 1);
        assert_eq!(c.warnings.len(), 2, "{:?}", c.warnings); // file shorter than header; chunk cut
        assert!(walk(b"RIFF\0\0\0\0WEB").is_err());
        for n in 0..full.len() {
            let _ = walk(&full[..n]);
        }
        for i in 4..full.len() {
            for v in [0x00, 0xFF, 0x01] {
                let mut f = full.clone();
                f[i] = v;
                let _ = walk(&f);
            }
        }
    }

    #[test]
    fn walks_a_real_encoded_webp() {
        let img = image::RgbaImage::from_fn(19, 7, |x, y| image::Rgba([x as u8, y as u8, 9, 255]));
        let mut out = std::io::Cursor::new(Vec::new());
        img.write_to(&mut out, image::ImageFormat::WebP).unwrap();
        let c = walk(out.get_ref()).unwrap();
        assert_eq!((c.width, c.height), (Some(19), Some(7)));
        assert!(c.warnings.is_empty() && c.blocks.is_empty(), "{:?} {:?}", c.warnings, c.blocks);
    }
}
