//! WebP: drops the EXIF and XMP chunks, unknown chunks and anything after the
//! RIFF container, then fixes the VP8X feature flags and the RIFF size so the
//! file stays valid. Image chunks (VP8/VP8L/ALPH/ANIM/ANMF) are never listed by
//! the walker, so they are copied unchanged. A new minimal EXIF chunk, when
//! there is something to keep, goes at the end (where the format puts it).

use super::{CleanError, CleanOptions};
use crate::container::{BlockKind, Container};

const FLAG_ICC: u8 = 0x20;
const FLAG_ALPHA: u8 = 0x10;
const FLAG_EXIF: u8 = 0x08;
const FLAG_XMP: u8 = 0x04;
/// Offset of the first chunk ("RIFF" size "WEBP").
const FIRST_CHUNK: usize = 12;

pub(super) fn strip(
    bytes: &[u8],
    walked: &Container<'_>,
    exif: Option<&[u8]>,
    options: &CleanOptions,
) -> Result<Vec<u8>, CleanError> {
    let keep_icc = options.keep_colour_profile;
    let drop: Vec<_> =
        walked.blocks.iter().filter(|b| !(keep_icc && b.kind == BlockKind::Icc)).map(|b| b.span.clone()).collect();
    let riff_size = u32::from_le_bytes([bytes[4], bytes[5], bytes[6], bytes[7]]) as usize;
    let riff_end = riff_size.saturating_add(8).min(bytes.len());
    let exif_chunk = exif.map(|tiff| riff_chunk(b"EXIF", tiff)).unwrap_or_default();
    let mut out = super::splice(bytes, &drop, riff_end, &exif_chunk);
    if riff_end % 2 == 1 && !exif_chunk.is_empty() {
        return Err(CleanError::Unsupported(
            "This WebP file has an odd size; ThinkTwice cannot clean it safely.".into(),
        ));
    }
    let has_icc = keep_icc && walked.blocks.iter().any(|b| b.kind == BlockKind::Icc);
    if out.get(FIRST_CHUNK..FIRST_CHUNK + 4) == Some(b"VP8X") {
        let flags = out.get_mut(FIRST_CHUNK + 8).ok_or_else(|| CleanError::Unreadable(crate::container::WalkError::damaged("WebP is cut short.")))?;
        *flags &= !(FLAG_EXIF | FLAG_XMP | FLAG_ICC);
        *flags |= if exif.is_some() { FLAG_EXIF } else { 0 } | if has_icc { FLAG_ICC } else { 0 };
    } else if exif.is_some() {
        // A simple WebP (no VP8X) cannot hold EXIF until it gets a VP8X header.
        let (w, h) = (walked.width.unwrap_or(1).max(1), walked.height.unwrap_or(1).max(1));
        let flags = FLAG_EXIF | if vp8l_has_alpha(&out) { FLAG_ALPHA } else { 0 };
        let mut data = vec![flags, 0, 0, 0];
        data.extend_from_slice(&(w - 1).to_le_bytes()[..3]);
        data.extend_from_slice(&(h - 1).to_le_bytes()[..3]);
        out.splice(FIRST_CHUNK..FIRST_CHUNK, riff_chunk(b"VP8X", &data));
    }
    let size =
        u32::try_from(out.len() - 8).map_err(|_| CleanError::Unsupported("This WebP file is too big.".into()))?;
    out[4..8].copy_from_slice(&size.to_le_bytes());
    Ok(out)
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

/// A lossless (VP8L) bitstream says in its header whether alpha is used.
fn vp8l_has_alpha(file: &[u8]) -> bool {
    match file.get(FIRST_CHUNK..FIRST_CHUNK + 13) {
        Some(h) if &h[0..4] == b"VP8L" && h[8] == 0x2F => h[12] & 0x10 != 0,
        _ => false,
    }
}
