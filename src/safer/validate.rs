//! The independent second look at a safer copy: a deliberately small structural
//! validator that walks the copy and proves every byte belongs to a part that is
//! allowed in a copy (JPEG, PNG, WebP, GIF), each with its exact length, and
//! that nothing follows the end of the picture.
//!
//! It must stay independent of the code it checks: it shares no parser with the
//! container walkers or the rewriters in `clean` (only the zlib inflater, a
//! library), so a blind spot in those cannot hide here too. It reads, never writes.
//! HEIF-family copies are not covered here (their rewrite keeps an allow-list of
//! boxes and items itself); they pass through unchanged.

/// Why a copy failed the second look, in a few words (for the "not offered" message).
pub type Why = String;

/// Checks a copy's structure. `Ok` when every byte is accounted for.
pub fn validate(bytes: &[u8]) -> Result<(), Why> {
    if bytes.starts_with(&[0xFF, 0xD8]) {
        jpeg(bytes)
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        png(bytes)
    } else if bytes.len() >= 12 && &bytes[0..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        webp(bytes)
    } else if bytes.starts_with(b"GIF89a") || bytes.starts_with(b"GIF87a") {
        gif(bytes)
    } else if bytes.len() >= 12 && &bytes[4..8] == b"ftyp" {
        Ok(())
    } else {
        Err("not a kind of picture a copy is written as".into())
    }
}

fn u16be(b: &[u8], at: usize) -> Option<usize> {
    Some(u16::from_be_bytes([*b.get(at)?, *b.get(at + 1)?]) as usize)
}

fn jpeg(b: &[u8]) -> Result<(), Why> {
    let mut pos = 2;
    loop {
        if b.get(pos) != Some(&0xFF) {
            return Err(format!("JPEG: a byte outside any segment at {pos}"));
        }
        let marker = *b.get(pos + 1).ok_or("JPEG: no end marker")?;
        if marker == 0xD9 {
            return if pos + 2 == b.len() { Ok(()) } else { Err("JPEG: bytes after the end marker".into()) };
        }
        let len = u16be(b, pos + 2).ok_or("JPEG: cut short")?;
        let end = pos + 2 + len;
        if len < 2 || end > b.len() {
            return Err("JPEG: a segment runs past the end".into());
        }
        let p = &b[pos + 4..end];
        let ok = match marker {
            0xE0 => p.len() == 14 && p.starts_with(b"JFIF\0") && p[12] == 0 && p[13] == 0,
            0xE1 => p.starts_with(b"Exif\0\0MM\0*") || p.starts_with(b"Exif\0\0II*\0"),
            0xE2 => p.starts_with(b"ICC_PROFILE\0") && p.len() > 14,
            0xEE => p.len() == 12 && p.starts_with(b"Adobe"),
            0xDB => tables(p, |t| 1 + 64 * (1 + (t[0] >> 4) as usize)),
            0xC4 => tables(p, |t| 17 + t.get(1..17).map_or(usize::MAX / 2, |c| c.iter().map(|&n| n as usize).sum())),
            0xDD => p.len() == 2,
            0xC0..=0xC2 => p.len() >= 6 && p.len() == 6 + 3 * p[5] as usize,
            0xDA => !p.is_empty() && p.len() == 4 + 2 * p[0] as usize,
            _ => false,
        };
        if !ok {
            return Err(format!("JPEG: segment FF{marker:02X} is not allowed or has the wrong length"));
        }
        pos = end;
        if marker == 0xDA {
            pos = entropy_end(b, pos)?;
        }
    }
}

/// A segment made of whole tables, each `size(rest)` bytes long, and nothing else.
fn tables(mut p: &[u8], size: impl Fn(&[u8]) -> usize) -> bool {
    while !p.is_empty() {
        let n = size(p);
        if n > p.len() {
            return false;
        }
        p = &p[n..];
    }
    true
}

/// Coded data: any byte, FF only as FF 00 or a restart marker; returns the next marker's offset.
fn entropy_end(b: &[u8], mut pos: usize) -> Result<usize, Why> {
    loop {
        let at = pos + memchr::memchr(0xFF, &b[pos..]).ok_or("JPEG: picture data without an end")?;
        match b.get(at + 1) {
            Some(0x00) | Some(0xD0..=0xD7) => pos = at + 2,
            Some(_) => return Ok(at),
            None => return Err("JPEG: picture data without an end".into()),
        }
    }
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in data {
        crc ^= byte as u32;
        for _ in 0..8 {
            crc = (crc >> 1) ^ (0xEDB8_8320 & (crc & 1).wrapping_neg());
        }
    }
    !crc
}

fn png(b: &[u8]) -> Result<(), Why> {
    let mut pos = 8;
    let mut idat = Vec::new();
    let mut idat_done = false;
    let mut first = true;
    loop {
        let len = b.get(pos..pos + 4).map(|l| u32::from_be_bytes(l.try_into().expect("4 bytes")) as usize).ok_or("PNG: no IEND")?;
        let end = (pos + 12).checked_add(len).filter(|&e| e <= b.len()).ok_or("PNG: a chunk runs past the end")?;
        let name: [u8; 4] = b[pos + 4..pos + 8].try_into().expect("4 bytes");
        let data = &b[pos + 8..end - 4];
        if crc32(&b[pos + 4..end - 4]).to_be_bytes() != b[end - 4..end] {
            return Err(format!("PNG: chunk {} has a wrong checksum", String::from_utf8_lossy(&name)));
        }
        if first != (&name == b"IHDR") {
            return Err("PNG: IHDR is not first".into());
        }
        first = false;
        if &name != b"IDAT" && !idat.is_empty() {
            idat_done = true;
        }
        let ok = match &name {
            b"IHDR" => len == 13,
            b"PLTE" => len % 3 == 0 && (3..=768).contains(&len),
            b"IDAT" if !idat_done => {
                idat.extend_from_slice(data);
                true
            }
            b"IEND" => {
                return match (len, end == b.len()) {
                    (0, true) => zlib_exact(&idat),
                    _ => Err("PNG: bytes after IEND".into()),
                }
            }
            b"gAMA" | b"cICP" => len == 4,
            b"cHRM" => len == 32,
            b"sRGB" => len == 1,
            b"sBIT" => (1..=4).contains(&len),
            b"bKGD" => matches!(len, 1 | 2 | 6),
            b"tRNS" => (1..=256).contains(&len),
            b"pHYs" => len == 9,
            b"mDCV" => len == 24,
            b"cLLI" => len == 8,
            b"iCCP" => data.starts_with(b"ICC profile\0\0") && zlib_exact(&data[13..]).is_ok(),
            b"eXIf" => data.starts_with(b"MM\0*") || data.starts_with(b"II*\0"),
            _ => false,
        };
        if !ok {
            return Err(format!("PNG: chunk {} is not allowed here or has the wrong length", String::from_utf8_lossy(&name)));
        }
        pos = end;
    }
}

/// The bytes are exactly one zlib stream: nothing before, nothing after.
fn zlib_exact(data: &[u8]) -> Result<(), Why> {
    use miniz_oxide::inflate::core::{decompress, inflate_flags, DecompressorOxide};
    use miniz_oxide::inflate::TINFLStatus;
    let mut state = DecompressorOxide::new();
    let mut window = vec![0u8; 1 << 15];
    let (mut read, mut at) = (0usize, 0usize);
    loop {
        let (status, used_in, used_out) =
            decompress(&mut state, &data[read..], &mut window, at, inflate_flags::TINFL_FLAG_PARSE_ZLIB_HEADER);
        read += used_in;
        at = (at + used_out) & (window.len() - 1);
        match status {
            TINFLStatus::HasMoreOutput => continue,
            TINFLStatus::Done if read == data.len() => return Ok(()),
            TINFLStatus::Done => return Err("PNG: bytes after the compressed data".into()),
            _ => return Err("PNG: compressed data that does not unpack".into()),
        }
    }
}

fn riff_chunks(b: &[u8], allowed: &[&[u8; 4]]) -> Result<Vec<([u8; 4], std::ops::Range<usize>)>, Why> {
    let mut out = Vec::new();
    let mut pos = 0;
    while pos < b.len() {
        let head = b.get(pos..pos + 8).ok_or("WebP: a chunk header is cut short")?;
        let name: [u8; 4] = head[0..4].try_into().expect("4 bytes");
        let size = u32::from_le_bytes(head[4..8].try_into().expect("4 bytes")) as usize;
        if !allowed.contains(&&name) {
            return Err(format!("WebP: chunk {} is not allowed", String::from_utf8_lossy(&name)));
        }
        let end = (pos + 8).checked_add(size).filter(|&e| e + (size & 1) <= b.len()).ok_or("WebP: a chunk runs past the end")?;
        if size & 1 == 1 && b[end] != 0 {
            return Err("WebP: a padding byte that is not zero".into());
        }
        out.push((name, pos + 8..end));
        pos = end + (size & 1);
    }
    Ok(out)
}

fn webp(b: &[u8]) -> Result<(), Why> {
    let size = u32::from_le_bytes(b[4..8].try_into().expect("4 bytes")) as usize;
    if size + 8 != b.len() {
        return Err("WebP: the file size does not match its header".into());
    }
    let body = &b[12..];
    let chunks = riff_chunks(body, &[b"VP8X", b"ICCP", b"ANIM", b"ANMF", b"ALPH", b"VP8 ", b"VP8L", b"EXIF"])?;
    let pictures = chunks.iter().filter(|(n, _)| n == b"VP8 " || n == b"VP8L").count();
    for (i, (name, r)) in chunks.iter().enumerate() {
        let d = &body[r.clone()];
        let ok = match name {
            b"VP8X" => i == 0 && d.len() == 10 && d[0] & 0xC1 == 0 && d[1..4] == [0, 0, 0],
            b"ANIM" => d.len() == 6,
            b"ANMF" => d.len() > 16 && riff_chunks(&d[16..], &[b"ALPH", b"VP8 ", b"VP8L"]).is_ok(),
            b"EXIF" => d.starts_with(b"MM\0*") || d.starts_with(b"II*\0"),
            _ => true,
        };
        if !ok {
            return Err(format!("WebP: chunk {} has the wrong shape", String::from_utf8_lossy(name)));
        }
    }
    if pictures > 1 {
        return Err("WebP: more than one picture chunk".into());
    }
    Ok(())
}

fn gif(b: &[u8]) -> Result<(), Why> {
    let screen = b.get(6..13).ok_or("GIF: cut short")?;
    if screen[6] != 0 {
        return Err("GIF: a pixel shape byte".into());
    }
    let table = |packed: u8| if packed & 0x80 != 0 { 3usize << ((packed & 7) + 1) } else { 0 };
    let mut pos = 13 + table(screen[4]);
    loop {
        match b.get(pos) {
            Some(0x3B) => return if pos + 1 == b.len() { Ok(()) } else { Err("GIF: bytes after the end".into()) },
            Some(0x21) => {
                let rest = &b[pos..];
                let n = if rest.starts_with(&[0x21, 0xF9, 4]) && rest.get(7) == Some(&0) {
                    8
                } else if rest.starts_with(b"\x21\xFF\x0BNETSCAPE2.0\x03\x01") && rest.get(18) == Some(&0) {
                    19
                } else {
                    return Err("GIF: an extension that is not allowed".into());
                };
                pos += n;
            }
            Some(0x2C) => {
                let packed = *b.get(pos + 9).ok_or("GIF: cut short")?;
                pos += 10 + table(packed);
                if !(2..=8).contains(b.get(pos).ok_or("GIF: cut short")?) {
                    return Err("GIF: an impossible code size".into());
                }
                pos += 1;
                loop {
                    let n = *b.get(pos).ok_or("GIF: picture data runs past the end")? as usize;
                    pos += 1 + n;
                    if n == 0 {
                        break;
                    }
                }
            }
            _ => return Err(format!("GIF: a byte outside any block at {pos}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc_matches_the_png_reference() {
        assert_eq!(crc32(b"IEND"), 0xAE42_6082);
    }

    #[test]
    fn anything_extra_is_refused() {
        let mut gif = b"GIF89a\x01\0\x01\0\0\0\0".to_vec();
        gif.extend_from_slice(&[0x2C, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 2, 0x4C, 0x01, 0, 0x3B]);
        assert_eq!(validate(&gif), Ok(()));
        let mut extra = gif.clone();
        extra.push(b'x');
        assert!(validate(&extra).is_err());
        let mut comment = gif[..13].to_vec();
        comment.extend_from_slice(&[0x21, 0xFE, 1, b'x', 0]);
        comment.extend_from_slice(&gif[13..]);
        assert!(validate(&comment).is_err());
        assert!(validate(b"\xFF\xD8\xFF\xFE\x00\x04hi\xFF\xD9").is_err(), "a comment segment");
        assert!(validate(b"hello").is_err());
    }
}
