//! PNG walker: lists the metadata chunks of a PNG file with their byte ranges,
//! reads the pixel size from IHDR, and notes bytes after IEND.
//!
//! It owns PNG *framing* only (`<u32 BE length> <type> <data> <CRC>`), and the
//! one place where framing needs decoding: an `iCCP` profile is stored
//! deflated, so its block carries the inflated profile (bounded by
//! `limits::MAX_INFLATED_BYTES`). Text chunks are handed over raw; `meta::text`
//! reads them. Pixel data (IDAT, APNG fdAT) is skipped without being read or
//! checksummed, and APNG chunks are never listed, so a cleaner dropping blocks
//! never drops frames. Work is bounded per file: checksums over the first 32 MB
//! of chunk data only, and after 40,000 other chunks the rest is not walked
//! (said as skipped, so it counts as unread).

use std::borrow::Cow;

use super::{budget, limits, Block, BlockKind, Container, Format, WalkError};

/// Bytes of chunk data whose checksum is checked, in all (the check only warns).
const CRC_BYTES: usize = 32 * 1024 * 1024;

const SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

/// Walks a PNG file. Errors only when the signature is missing.
pub fn walk(bytes: &[u8]) -> Result<Container<'_>, WalkError> {
    if !bytes.starts_with(SIGNATURE) {
        return Err(WalkError::damaged("This file does not start like a PNG image."));
    }
    let mut c = Container::new(Format::Png);
    let mut pos = SIGNATURE.len();
    let mut bad_crc: Vec<String> = Vec::new();
    let (mut steps, mut crc_left) = (0usize, CRC_BYTES);
    loop {
        if pos == bytes.len() {
            c.warnings.push("PNG ends without its IEND chunk (the file may be cut short).".into());
            break;
        }
        let Some(chunk) = read_chunk(bytes, pos) else {
            c.warnings
                .push(format!("PNG chunk at offset {pos} runs past the end of the file (the file may be cut short)."));
            c.not_read("in a block that is cut short at the end of the file", &bytes[pos..]);
            break;
        };
        let is_image_data = matches!(&chunk.name, b"IDAT" | b"fdAT");
        if !is_image_data {
            // Millions of tiny chunks must not cost seconds: past the limit the rest is not read.
            steps += 1;
            if steps > 4 * limits::MAX_BLOCKS {
                c.warnings.push("PNG has too many chunks; stopped walking.".into());
                c.not_read(budget::SKIPPED_PLACE, &bytes[pos..]);
                break;
            }
            let checked = &bytes[chunk.span.start + 4..chunk.span.end - 4];
            if checked.len() <= crc_left {
                crc_left -= checked.len();
                if crc32(checked) != chunk.stored_crc {
                    bad_crc.push(chunk.name_str());
                }
            }
        }
        pos = chunk.span.end;
        if &chunk.name == b"IEND" {
            push_trailer(&mut c, bytes, pos);
            break;
        }
        classify_chunk(&mut c, bytes, &chunk);
    }
    if !bad_crc.is_empty() {
        c.warnings.push(format!("PNG chunks with a wrong checksum (read anyway): {}.", bad_crc.join(", ")));
    }
    Ok(c)
}

/// One framed chunk: `span` covers length, type, data and CRC.
struct Chunk {
    name: [u8; 4],
    span: std::ops::Range<usize>,
    data: std::ops::Range<usize>,
    stored_crc: u32,
}

impl Chunk {
    fn name_str(&self) -> String {
        self.name.iter().map(|&b| if b.is_ascii_graphic() || b == b' ' { b as char } else { '?' }).collect()
    }
}

fn read_chunk(bytes: &[u8], pos: usize) -> Option<Chunk> {
    let len = u32::from_be_bytes(bytes.get(pos..pos + 4)?.try_into().ok()?) as usize;
    let name: [u8; 4] = bytes.get(pos + 4..pos + 8)?.try_into().ok()?;
    let data_start = pos + 8;
    let data_end = data_start.checked_add(len)?;
    let crc_bytes = bytes.get(data_end..data_end.checked_add(4)?)?;
    let stored_crc = u32::from_be_bytes(crc_bytes.try_into().ok()?);
    Some(Chunk { name, span: pos..data_end + 4, data: data_start..data_end, stored_crc })
}

fn classify_chunk<'a>(c: &mut Container<'a>, bytes: &'a [u8], chunk: &Chunk) {
    let data = &bytes[chunk.data.clone()];
    let span = chunk.span.clone();
    match &chunk.name {
        b"IHDR" => {
            if data.len() >= 8 {
                c.width = Some(u32::from_be_bytes([data[0], data[1], data[2], data[3]]));
                c.height = Some(u32::from_be_bytes([data[4], data[5], data[6], data[7]]));
            }
            // Width, height (4 + 4), bit depth, colour type, compression, filter, interlace.
            if data.len() != 13 {
                c.not_read("in the block that gives the picture's size, which is not the size it should be", data);
            }
        }
        b"tEXt" | b"zTXt" | b"iTXt" => {
            c.push(BlockKind::PngText { chunk: chunk.name_str() }, span, bytes, chunk.data.clone())
        }
        b"eXIf" | b"exIf" => {
            // Some writers keep the JPEG-style "Exif\0\0" prefix; data must start at the TIFF header.
            let skip = if data.starts_with(b"Exif\0\0") { 6 } else { 0 };
            c.push(BlockKind::Exif, span, bytes, chunk.data.start + skip..chunk.data.end);
        }
        b"iCCP" => push_icc(c, bytes, chunk),
        b"tIME" => c.push(BlockKind::PngTime, span, bytes, chunk.data.clone()),
        // APNG animation control and frames are image data, never metadata.
        b"acTL" | b"fcTL" | b"fdAT" | b"IDAT" => {}
        // Content Credentials (JUMBF): read by `meta::c2pa`, which reports what it cannot read.
        b"caBX" => c.push(BlockKind::Other { label: "caBX".into() }, span, bytes, chunk.data.clone()),
        _ => {
            let label = chunk.name_str();
            match expected_len(&chunk.name) {
                Some(fits) if fits(data.len()) => {}
                Some(_) => c.not_read(format!("in a “{label}” block that is not the size it should be"), data),
                None => c.not_read(format!("in a block named “{label}” that ThinkTwice does not know"), data),
            }
            // Ancillary chunks have a lowercase first letter; critical ones (IHDR, PLTE) are image data.
            if chunk.name[0].is_ascii_lowercase() {
                c.push(BlockKind::Other { label }, span, bytes, chunk.data.clone())
            }
        }
    }
}

/// The data sizes the PNG specification allows for the picture and display
/// chunks ThinkTwice knows; None for a chunk it does not know.
fn expected_len(name: &[u8; 4]) -> Option<fn(usize) -> bool> {
    Some(match name {
        b"PLTE" => |n| n > 0 && n % 3 == 0 && n <= 768,
        b"tRNS" => |n| n <= 256,
        b"gAMA" => |n| n == 4,
        b"cHRM" => |n| n == 32,
        b"sRGB" => |n| n == 1,
        b"sBIT" => |n| (1..=4).contains(&n),
        b"bKGD" => |n| matches!(n, 1 | 2 | 6),
        b"pHYs" => |n| n == 9,
        b"cICP" => |n| n == 4,
        b"mDCV" | b"mDCv" => |n| n == 24,
        b"cLLI" | b"cLLi" => |n| n == 8,
        b"hIST" => |n| n <= 512 && n % 2 == 0,
        _ => return None,
    })
}

/// iCCP = profile name, NUL, compression method (0 = deflate), zlib stream.
fn push_icc<'a>(c: &mut Container<'a>, bytes: &'a [u8], chunk: &Chunk) {
    let data = &bytes[chunk.data.clone()];
    let limit = c.budget.inflate_limit();
    let profile = data
        .iter()
        .position(|&b| b == 0)
        .and_then(|nul| data.get(nul + 2..))
        .and_then(|z| miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(z, limit).ok());
    // The unpacking cost its output (or the whole allowance, when it ran over).
    c.budget.take_inflated(profile.as_ref().map_or(limit, |p| p.len()));
    if profile.is_none() && limit < limits::MAX_INFLATED_BYTES {
        c.not_read(super::budget::SKIPPED_PLACE, data);
        return;
    }
    match profile {
        Some(profile) if c.blocks.len() < limits::MAX_BLOCKS => {
            c.blocks.push(Block { kind: BlockKind::Icc, span: chunk.span.clone(), data: Cow::Owned(profile) })
        }
        Some(_) => {}
        None => {
            c.warnings.push("PNG colour profile (iCCP) could not be unpacked.".into());
            c.push(BlockKind::Other { label: "iCCP".into() }, chunk.span.clone(), bytes, chunk.data.clone());
        }
    }
}

/// Records the bytes after IEND as a trailer unless they are only zero padding.
fn push_trailer<'a>(c: &mut Container<'a>, bytes: &'a [u8], start: usize) {
    let rest = bytes.get(start..).unwrap_or(&[]);
    if rest.iter().filter(|&&b| b != 0).take(5).count() > 4 {
        c.push(BlockKind::Trailer, start..bytes.len(), bytes, start..bytes.len());
    }
}

/// CRC-32 (ISO 3309, as PNG uses), table-driven: checks metadata chunks here and
/// frames the chunks `clean::png` writes.
pub(crate) fn crc32(data: &[u8]) -> u32 {
    const TABLE: [u32; 256] = {
        let mut table = [0u32; 256];
        let mut n = 0;
        while n < 256 {
            let mut c = n as u32;
            let mut k = 0;
            while k < 8 {
                c = if c & 1 != 0 { 0xEDB8_8320 ^ (c >> 1) } else { c >> 1 };
                k += 1;
            }
            table[n] = c;
            n += 1;
        }
        table
    };
    !data.iter().fold(!0u32, |crc, &b| TABLE[((crc ^ b as u32) & 0xFF) as usize] ^ (crc >> 8))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunk(name: &[u8; 4], data: &[u8]) -> Vec<u8> {
        let mut c = (data.len() as u32).to_be_bytes().to_vec();
        c.extend_from_slice(name);
        c.extend_from_slice(data);
        let crc = crc32(&c[4..]);
        c.extend_from_slice(&crc.to_be_bytes());
        c
    }

    fn ihdr(w: u32, h: u32) -> Vec<u8> {
        let mut d = w.to_be_bytes().to_vec();
        d.extend_from_slice(&h.to_be_bytes());
        d.extend_from_slice(&[8, 2, 0, 0, 0]);
        chunk(b"IHDR", &d)
    }

    /// Signature, IHDR, `middle` chunks, an IDAT, IEND, then `tail`.
    fn build(middle: &[Vec<u8>], tail: &[u8]) -> Vec<u8> {
        let mut f = SIGNATURE.to_vec();
        f.extend(ihdr(640, 480));
        for c in middle {
            f.extend_from_slice(c);
        }
        f.extend(chunk(b"IDAT", &[0x78, 0x9C, 1, 2, 3]));
        f.extend(chunk(b"IEND", &[]));
        f.extend_from_slice(tail);
        f
    }

    #[test]
    fn crc_matches_the_png_reference_value() {
        // CRC of an empty IEND chunk, as every PNG ends with.
        assert_eq!(crc32(b"IEND"), 0xAE42_6082);
    }

    #[test]
    fn lists_metadata_chunks_with_spans_and_payloads() {
        let profile: Vec<u8> = (0..600u32).map(|i| (i % 7) as u8).collect();
        let mut iccp = b"ICC Profile\0\0".to_vec();
        iccp.extend(miniz_oxide::deflate::compress_to_vec_zlib(&profile, 6));
        let middle = vec![
            chunk(b"iCCP", &iccp),
            chunk(b"tEXt", b"Author\0Jo"),
            chunk(b"zTXt", b"Comment\0\0xyz"),
            chunk(b"iTXt", b"Title\0\0\0en\0\0Hi"),
            chunk(b"eXIf", b"MM\0*\0\0\0\x08"),
            chunk(b"eXIf", b"Exif\0\0II*\0\x08\0\0\0"),
            chunk(b"tIME", &[0x07, 0xE8, 1, 2, 3, 4, 5]),
            chunk(b"pHYs", &[0; 9]),
            chunk(b"PLTE", &[0; 3]),
            chunk(b"acTL", &[0; 8]),
        ];
        let file = build(&middle, &[]);
        let c = walk(&file).unwrap();
        assert_eq!((c.width, c.height), (Some(640), Some(480)));
        assert!(c.warnings.is_empty(), "{:?}", c.warnings);
        let kinds: Vec<BlockKind> = c.blocks.iter().map(|b| b.kind.clone()).collect();
        let text = |n: &str| BlockKind::PngText { chunk: n.into() };
        assert_eq!(
            kinds,
            vec![
                BlockKind::Icc,
                text("tEXt"),
                text("zTXt"),
                text("iTXt"),
                BlockKind::Exif,
                BlockKind::Exif,
                BlockKind::PngTime,
                BlockKind::Other { label: "pHYs".into() },
            ]
        );
        let mut at = SIGNATURE.len() + 25; // after IHDR
        for (b, raw) in c.blocks.iter().zip(&middle) {
            assert_eq!(b.span, at..at + raw.len());
            at += raw.len();
        }
        assert_eq!(&*c.blocks[0].data, &profile[..], "iCCP is inflated");
        assert_eq!(&*c.blocks[1].data, b"Author\0Jo");
        assert_eq!(&*c.blocks[4].data, b"MM\0*\0\0\0\x08");
        assert_eq!(&*c.blocks[5].data, b"II*\0\x08\0\0\0", "Exif prefix stripped");
        assert_eq!(c.blocks[6].data.len(), 7);
    }

    #[test]
    fn data_after_iend_is_a_trailer() {
        let file = build(&[], b"cropped-out pixels");
        let c = walk(&file).unwrap();
        assert_eq!(c.blocks.len(), 1);
        assert_eq!(c.blocks[0].kind, BlockKind::Trailer);
        assert_eq!(&*c.blocks[0].data, b"cropped-out pixels");
        assert_eq!(c.blocks[0].span.end, file.len());
        assert!(walk(&build(&[], &[0; 64])).unwrap().blocks.is_empty());
    }

    #[test]
    fn bad_crc_is_a_warning_not_an_error() {
        let mut bad = chunk(b"tEXt", b"Author\0Jo");
        let n = bad.len();
        bad[n - 1] ^= 0xFF;
        let file = build(&[bad], &[]);
        let c = walk(&file).unwrap();
        assert_eq!(c.blocks.len(), 1);
        assert_eq!(c.warnings.len(), 1);
        assert!(c.warnings[0].contains("tEXt"));
    }

    #[test]
    fn broken_iccp_is_kept_as_other_with_a_warning() {
        let file = build(&[chunk(b"iCCP", b"name\0\0not zlib")], &[]);
        let c = walk(&file).unwrap();
        assert_eq!(c.blocks[0].kind, BlockKind::Other { label: "iCCP".into() });
        assert_eq!(c.warnings.len(), 1);
    }

    #[test]
    fn truncated_files_keep_what_was_found_and_warn() {
        let full = build(&[chunk(b"tEXt", b"A\0b"), chunk(b"tEXt", b"C\0d")], b"trailing data");
        let cut = &full[..SIGNATURE.len() + 25 + 14 + 5];
        let c = walk(cut).unwrap();
        assert_eq!(c.blocks.len(), 1);
        assert_eq!(c.warnings.len(), 1);
        assert_eq!(walk(SIGNATURE).unwrap().warnings.len(), 1, "no IEND");
        assert!(walk(b"\x89PNG").is_err());
        for n in 0..full.len() {
            let _ = walk(&full[..n]);
        }
        for i in 8..full.len() {
            for v in [0x00, 0xFF, 0x7F] {
                let mut f = full.clone();
                f[i] = v;
                let _ = walk(&f);
            }
        }
    }

    #[test]
    fn walks_a_real_encoded_png() {
        let img = image::RgbaImage::from_fn(13, 9, |x, y| image::Rgba([x as u8, y as u8, 0, 255]));
        let mut out = std::io::Cursor::new(Vec::new());
        img.write_to(&mut out, image::ImageFormat::Png).unwrap();
        let c = walk(out.get_ref()).unwrap();
        assert_eq!((c.width, c.height), (Some(13), Some(9)));
        assert!(c.warnings.is_empty(), "{:?}", c.warnings);
    }
}
