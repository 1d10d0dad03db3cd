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
        return Err(WalkError("This file does not start like a WebP image.".into()));
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
    while pos + 8 <= riff_end {
        if c.blocks.len() >= super::limits::MAX_BLOCKS {
            c.warnings.push("WebP has too many chunks; stopped walking.".into());
            break;
        }
        let fourcc: [u8; 4] = [bytes[pos], bytes[pos + 1], bytes[pos + 2], bytes[pos + 3]];
        let size = u32::from_le_bytes([bytes[pos + 4], bytes[pos + 5], bytes[pos + 6], bytes[pos + 7]]) as usize;
        let data_start = pos + 8;
        let Some(data_end) = data_start.checked_add(size).filter(|&e| e <= riff_end) else {
            c.warnings.push(format!("WebP chunk '{}' runs past the end of the file.", fourcc_str(&fourcc)));
            break;
        };
        let chunk_end = (data_end + (size & 1)).min(riff_end);
        let data = &bytes[data_start..data_end];
        match &fourcc {
            b"VP8X" => {
                if let Some((w, h)) = vp8x_dims(data) {
                    (c.width, c.height, dims_from_vp8x) = (Some(w), Some(h), true);
                }
            }
            b"VP8 " | b"VP8L" if !dims_from_vp8x && c.width.is_none() => {
                let dims = if &fourcc == b"VP8 " { vp8_dims(data) } else { vp8l_dims(data) };
                if let Some((w, h)) = dims {
                    (c.width, c.height) = (Some(w), Some(h));
                }
            }
            b"VP8 " | b"VP8L" | b"ALPH" | b"ANIM" | b"ANMF" => {}
            b"EXIF" => {
                // Some writers keep the JPEG-style "Exif\0\0" prefix; data must start at the TIFF header.
                let skip = if data.starts_with(b"Exif\0\0") { 6 } else { 0 };
                c.push(BlockKind::Exif, pos..chunk_end, bytes, data_start + skip..data_end);
            }
            b"XMP " => c.push(BlockKind::Xmp, pos..chunk_end, bytes, data_start..data_end),
            b"ICCP" => c.push(BlockKind::Icc, pos..chunk_end, bytes, data_start..data_end),
            _ => c.push(BlockKind::Other { label: fourcc_str(&fourcc) }, pos..chunk_end, bytes, data_start..data_end),
        }
        pos = chunk_end;
    }
    push_trailer(&mut c, bytes, declared_end);
    Ok(c)
}

fn fourcc_str(f: &[u8; 4]) -> String {
    f.iter().map(|&b| if b.is_ascii_graphic() || b == b' ' { b as char } else { '?' }).collect::<String>().trim_end().to_string()
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
