//! PNG: drops text chunks, eXIf, tIME, unknown ancillary chunks and anything
//! after IEND. Keeps the chunks that decide how the picture looks (colour:
//! iCCP, sRGB, gAMA, cHRM, cICP, sBIT, HDR levels; transparency tRNS; bKGD;
//! pixel size pHYs). Critical chunks and APNG frames are never listed by the
//! walker, so they are always copied. A new minimal eXIf goes right after IHDR.

use super::CleanOptions;
use crate::container::{BlockKind, Container};

/// Ancillary chunks that change how the picture looks and name nobody.
const DISPLAY_CHUNKS: &[&str] =
    &["tRNS", "sRGB", "gAMA", "cHRM", "cICP", "sBIT", "bKGD", "pHYs", "mDCV", "cLLI", "mDCv", "cLLi"];

fn needed_for_display(kind: &BlockKind, options: &CleanOptions) -> bool {
    match kind {
        BlockKind::Icc => options.keep_colour_profile,
        BlockKind::Other { label } => DISPLAY_CHUNKS.contains(&label.as_str()),
        _ => false,
    }
}

/// Signature (8) + IHDR chunk (4 + 4 + 13 + 4): IHDR must come first.
const AFTER_IHDR: usize = 33;

pub(super) fn strip(bytes: &[u8], walked: &Container<'_>, exif: Option<&[u8]>, options: &CleanOptions) -> Vec<u8> {
    let drop: Vec<_> =
        walked.blocks.iter().filter(|b| !needed_for_display(&b.kind, options)).map(|b| b.span.clone()).collect();
    let chunk = exif.map(|tiff| chunk(b"eXIf", tiff)).unwrap_or_default();
    super::splice(bytes, &drop, AFTER_IHDR, &chunk)
}

/// One framed chunk: length, type, data, CRC.
pub(super) fn chunk(name: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut c = Vec::with_capacity(data.len() + 12);
    c.extend_from_slice(&(data.len() as u32).to_be_bytes());
    c.extend_from_slice(name);
    c.extend_from_slice(data);
    let crc = crc32(&c[4..]);
    c.extend_from_slice(&crc.to_be_bytes());
    c
}

/// CRC-32 as PNG uses it (bitwise; only small chunks are written here).
fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in data {
        crc ^= b as u32;
        for _ in 0..8 {
            crc = if crc & 1 != 0 { 0xEDB8_8320 ^ (crc >> 1) } else { crc >> 1 };
        }
    }
    !crc
}

#[cfg(test)]
mod tests {
    #[test]
    fn crc_matches_the_png_specification_example() {
        // CRC of "IEND" with no data is AE 42 60 82 in every PNG file.
        assert_eq!(super::crc32(b"IEND"), 0xAE42_6082);
    }
}
