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

/// The colour profile (iCCP) is written again from its colours only (`profile`), never copied.
fn needed_for_display(kind: &BlockKind) -> bool {
    matches!(kind, BlockKind::Other { label } if DISPLAY_CHUNKS.contains(&label.as_str()))
}

/// Signature (8) + IHDR chunk (4 + 4 + 13 + 4): IHDR must come first.
const AFTER_IHDR: usize = 33;

pub(super) fn strip(bytes: &[u8], walked: &Container<'_>, exif: Option<&[u8]>, options: &CleanOptions) -> Vec<u8> {
    let drop: Vec<_> =
        walked.blocks.iter().filter(|b| !needed_for_display(&b.kind)).map(|b| b.span.clone()).collect();
    let mut chunks = exif.map(|tiff| chunk(b"eXIf", tiff)).unwrap_or_default();
    // iCCP holds the (inflated) profile in the walker's block; only one is allowed.
    let profile = walked.blocks.iter().find(|b| b.kind == BlockKind::Icc);
    if let Some(p) = profile.and_then(|b| super::profile::profile_for_copy(&b.data, options.keep_colour_profile)) {
        chunks.extend(iccp(&p));
    }
    super::splice(bytes, &drop, AFTER_IHDR, &chunks)
}

/// `iCCP`: a generic profile name, NUL, compression method 0, the zlib-packed profile.
fn iccp(profile: &[u8]) -> Vec<u8> {
    let mut data = b"ICC profile\0\0".to_vec();
    data.extend(miniz_oxide::deflate::compress_to_vec_zlib(profile, 9));
    chunk(b"iCCP", &data)
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
