//! PNG safer copy, rebuilt from an allow-list: IHDR written again from its
//! parsed fields; the display chunks that change how the picture looks and name
//! nobody (cHRM, gAMA, sRGB, sBIT, cICP, mDCV, cLLI, tRNS, bKGD, pHYs), each
//! only when its length is exactly what its colour type needs; the colour
//! profile (when kept, through `profile::profile_for_copy`, under a neutral
//! name); the palette with the entries no pixel uses set to zero; the image data
//! as exactly its zlib stream (re-chunked; deflated again when the stream holds
//! more than the picture), a new minimal eXIf when something is kept, and IEND.
//!
//! Everything else is dropped: text, time and EXIF chunks (reported by their
//! findings), and, counted as unread, unknown chunks, animation chunks (the copy
//! is the still picture), extra bytes inside chunks, chunks that run past the
//! end and bytes after the zlib stream. It never changes the input.

use super::{CleanError, Input, Rebuilt};
use crate::container::limits;
use miniz_oxide::inflate::core::{decompress, inflate_flags, DecompressorOxide};
use miniz_oxide::inflate::TINFLStatus;

const SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";
/// Largest IDAT chunk written.
const IDAT_CHUNK: usize = 1 << 20;
/// Neutral iCCP profile name (the original's name can be anything).
const PROFILE_NAME: &[u8] = b"ICC profile";
/// Chunks ThinkTwice reads as metadata: dropping them is reported by their findings.
const READ_METADATA: &[&[u8; 4]] = &[b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"exIf", b"tIME"];
/// Display chunks in the order they are written, before PLTE (the rest follow it).
const BEFORE_PLTE: &[&[u8; 4]] = &[b"cHRM", b"gAMA", b"iCCP", b"sRGB", b"sBIT", b"cICP", b"mDCV", b"cLLI"];
const AFTER_PLTE: &[&[u8; 4]] = &[b"tRNS", b"bKGD", b"pHYs"];

#[derive(Clone, Copy)]
struct Header {
    width: u32,
    height: u32,
    depth: u8,
    colour: u8,
    interlace: u8,
}

impl Header {
    fn channels(&self) -> u64 {
        match self.colour {
            2 => 3,
            4 => 2,
            6 => 4,
            _ => 1,
        }
    }
    fn bits_per_pixel(&self) -> u64 {
        self.channels() * self.depth as u64
    }
    fn valid(&self) -> bool {
        let depth_ok = match self.colour {
            0 => matches!(self.depth, 1 | 2 | 4 | 8 | 16),
            3 => matches!(self.depth, 1 | 2 | 4 | 8),
            2 | 4 | 6 => matches!(self.depth, 8 | 16),
            _ => false,
        };
        depth_ok && self.width > 0 && self.height > 0 && self.interlace <= 1
    }
    /// Passes as (width, height) in pixels: one, or Adam7's seven.
    fn passes(&self) -> Vec<(u64, u64)> {
        let (w, h) = (self.width as u64, self.height as u64);
        if self.interlace == 0 {
            return vec![(w, h)];
        }
        [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
            .iter()
            .map(|&(x0, y0, dx, dy)| ((w + dx - 1 - x0) / dx, (h + dy - 1 - y0) / dy))
            .map(|(pw, ph)| if pw == 0 || ph == 0 { (0, 0) } else { (pw, ph) })
            .collect()
    }
    fn row_bytes(&self, width: u64) -> u64 {
        (width * self.bits_per_pixel()).div_ceil(8)
    }
    /// Bytes of filtered scanlines the zlib stream must inflate to.
    fn raw_len(&self) -> u64 {
        self.passes().iter().filter(|p| p.0 > 0).map(|&(pw, ph)| ph * (1 + self.row_bytes(pw))).sum()
    }
    /// Exact data length of a display chunk for this colour type (None: any length is wrong).
    fn exact_len(&self, name: &[u8; 4], palette: usize) -> Option<std::ops::RangeInclusive<usize>> {
        let one = |n: usize| Some(n..=n);
        match name {
            b"gAMA" => one(4),
            b"cHRM" => one(32),
            b"sRGB" => one(1),
            b"pHYs" => one(9),
            b"cICP" => one(4),
            b"mDCV" => one(24),
            b"cLLI" => one(8),
            b"sBIT" => one(match self.colour {
                0 => 1,
                4 => 2,
                6 => 4,
                _ => 3,
            }),
            b"bKGD" => one(match self.colour {
                0 | 4 => 2,
                3 => 1,
                _ => 6,
            }),
            b"tRNS" => match self.colour {
                0 => one(2),
                2 => one(6),
                3 if palette > 0 => Some(1..=palette),
                _ => None,
            },
            _ => None,
        }
    }
}

pub(super) fn rebuild(input: &Input<'_>) -> Result<Rebuilt, CleanError> {
    let b = input.bytes;
    if !b.starts_with(SIGNATURE) {
        return Err(CleanError::Unreadable(crate::container::WalkError::damaged("This file does not start like a PNG image.")));
    }
    let mut unread = 0usize;
    let mut header: Option<Header> = None;
    let mut palette: Option<Vec<u8>> = None;
    let mut display: Vec<([u8; 4], Vec<u8>)> = Vec::new();
    let mut profile: Option<Vec<u8>> = None;
    let mut idat: Vec<u8> = Vec::new();
    let mut pos = SIGNATURE.len();
    let mut chunks = 0usize;
    loop {
        let Some(head) = b.get(pos..pos + 8) else {
            unread += b.len() - pos;
            break;
        };
        let len = u32::from_be_bytes(head[0..4].try_into().expect("4 bytes")) as usize;
        let name: [u8; 4] = head[4..8].try_into().expect("4 bytes");
        let Some(data) = (pos + 8).checked_add(len).filter(|e| e + 4 <= b.len()).map(|e| &b[pos + 8..e]) else {
            unread += b.len() - pos; // a chunk that runs past the end of the file
            break;
        };
        pos += 12 + len;
        chunks += 1;
        if chunks > limits::MAX_BLOCKS {
            return Err(CleanError::Unsupported("This PNG has too many chunks to copy safely.".into()));
        }
        match &name {
            b"IEND" => {
                unread += len;
                break; // bytes after IEND are the walker's trailer: reported there
            }
            b"IHDR" if header.is_none() && len >= 13 => {
                let h = Header {
                    width: u32::from_be_bytes(data[0..4].try_into().expect("4 bytes")),
                    height: u32::from_be_bytes(data[4..8].try_into().expect("4 bytes")),
                    depth: data[8],
                    colour: data[9],
                    interlace: data[12],
                };
                if !h.valid() || data[10] != 0 || data[11] != 0 {
                    return Err(CleanError::Image("This PNG's header describes an impossible picture.".into()));
                }
                header = Some(h);
                unread += len - 13;
            }
            b"PLTE" if palette.is_none() && header.is_some() => {
                let entries = (len / 3).min(256);
                palette = Some(data[..entries * 3].to_vec());
                unread += len - entries * 3;
            }
            b"IDAT" if header.is_some() => idat.extend_from_slice(data),
            b"iCCP" if profile.is_none() && !display.iter().any(|(n, _)| n == b"sRGB") => match inflate_profile(data) {
                Some(p) => profile = Some(p),
                None => unread += len + 12,
            },
            n if READ_METADATA.contains(&n) => {}
            n if (BEFORE_PLTE.contains(&n) || AFTER_PLTE.contains(&n)) && !display.iter().any(|(d, _)| d == n) => {
                let fits = header
                    .as_ref()
                    .and_then(|h| h.exact_len(n, palette.as_ref().map_or(0, |p| p.len() / 3)))
                    .is_some_and(|r| r.contains(&len));
                if fits {
                    display.push((name, data.to_vec()));
                } else {
                    unread += len + 12;
                }
            }
            _ => unread += len + 12,
        }
    }
    let header = header.ok_or_else(|| CleanError::Image("This PNG has no header chunk (IHDR).".into()))?;
    if header.colour == 3 && palette.is_none() {
        return Err(CleanError::Image("This PNG has no palette for its colours.".into()));
    }
    let expected = header.raw_len();
    let stream = zlib_stream(&idat, expected).ok_or_else(|| CleanError::Image("This PNG's picture data cannot be read.".into()))?;
    unread += idat.len() - stream.consumed;
    let mut image_data = idat[..stream.consumed].to_vec();
    let mut raw = None;
    if stream.inflated != expected || header.colour == 3 {
        // More inside the stream than the picture (or a palette to check): keep exactly the picture.
        let r = inflate_exact(&image_data, expected);
        if stream.inflated > expected {
            unread += (stream.inflated - expected) as usize;
            image_data = miniz_oxide::deflate::compress_to_vec_zlib(&r, 6);
        }
        raw = Some(r);
    }
    if let (Some(pal), Some(raw)) = (palette.as_mut(), raw.as_ref()) {
        unread += blank_unused_entries(&header, raw, pal, &mut display);
    }

    let mut out = SIGNATURE.to_vec();
    let mut ihdr = header.width.to_be_bytes().to_vec();
    ihdr.extend_from_slice(&header.height.to_be_bytes());
    ihdr.extend_from_slice(&[header.depth, header.colour, 0, 0, header.interlace]);
    out.extend(chunk(b"IHDR", &ihdr));
    for name in BEFORE_PLTE {
        if *name == b"iCCP" {
            if let Some(icc) = profile.as_deref().and_then(|p| super::profile::profile_for_copy(p, input.options.keep_colour_profile)) {
                let mut data = PROFILE_NAME.to_vec();
                data.extend_from_slice(&[0, 0]);
                data.extend(miniz_oxide::deflate::compress_to_vec_zlib(&icc, 6));
                out.extend(chunk(b"iCCP", &data));
            }
        }
        if let Some((_, d)) = display.iter().find(|(n, _)| n == *name) {
            out.extend(chunk(name, d));
        }
    }
    if let Some(tiff) = input.exif {
        out.extend(chunk(b"eXIf", tiff));
    }
    if let Some(p) = &palette {
        if header.colour != 0 && header.colour != 4 {
            out.extend(chunk(b"PLTE", p));
        }
    }
    for name in AFTER_PLTE {
        if let Some((_, d)) = display.iter().find(|(n, _)| n == *name) {
            out.extend(chunk(name, d));
        }
    }
    for part in image_data.chunks(IDAT_CHUNK) {
        out.extend(chunk(b"IDAT", part));
    }
    out.extend(chunk(b"IEND", &[]));
    Ok(Rebuilt { bytes: out, unread })
}

/// iCCP = name (1-79 bytes), NUL, method 0, zlib stream → the inflated profile.
fn inflate_profile(data: &[u8]) -> Option<Vec<u8>> {
    let nul = data.iter().take(80).position(|&b| b == 0)?;
    if data.get(nul + 1) != Some(&0) {
        return None;
    }
    miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(data.get(nul + 2..)?, limits::MAX_INFLATED_BYTES).ok()
}

struct Stream {
    /// Bytes of the input the zlib stream takes (header, deflate data, checksum).
    consumed: usize,
    /// Bytes it inflates to (counting stops a little past `expected`).
    inflated: u64,
}

/// Finds where the zlib stream at the start of `data` ends, inflating through a
/// small ring buffer (the picture is never held in memory here).
fn zlib_stream(data: &[u8], expected: u64) -> Option<Stream> {
    let mut state = DecompressorOxide::new();
    let mut ring = vec![0u8; 1 << 15];
    let (mut in_pos, mut out_pos, mut inflated) = (0usize, 0usize, 0u64);
    let flags = inflate_flags::TINFL_FLAG_PARSE_ZLIB_HEADER | inflate_flags::TINFL_FLAG_IGNORE_ADLER32;
    loop {
        let (status, used_in, used_out) = decompress(&mut state, &data[in_pos..], &mut ring, out_pos, flags);
        in_pos += used_in;
        inflated += used_out as u64;
        out_pos = (out_pos + used_out) & (ring.len() - 1);
        match status {
            TINFLStatus::Done => return Some(Stream { consumed: in_pos, inflated }),
            TINFLStatus::HasMoreOutput if inflated <= expected + (1 << 16) => continue,
            TINFLStatus::HasMoreOutput => return Some(Stream { consumed: in_pos, inflated }),
            // Cut short: keep what there is; the copy shows what the original shows.
            TINFLStatus::NeedsMoreInput | TINFLStatus::FailedCannotMakeProgress if in_pos > 2 => {
                return Some(Stream { consumed: data.len(), inflated })
            }
            _ => return None,
        }
    }
}

/// The first `expected` inflated bytes of a zlib stream (fewer when it is cut short).
fn inflate_exact(data: &[u8], expected: u64) -> Vec<u8> {
    let mut out = vec![0u8; expected as usize];
    let mut state = DecompressorOxide::new();
    let flags = inflate_flags::TINFL_FLAG_PARSE_ZLIB_HEADER
        | inflate_flags::TINFL_FLAG_IGNORE_ADLER32
        | inflate_flags::TINFL_FLAG_USING_NON_WRAPPING_OUTPUT_BUF;
    let (mut in_pos, mut out_pos) = (0, 0);
    while out_pos < out.len() {
        let (status, used_in, used_out) = decompress(&mut state, &data[in_pos..], &mut out, out_pos, flags);
        in_pos += used_in;
        out_pos += used_out;
        if status != TINFLStatus::HasMoreOutput || (used_in == 0 && used_out == 0) {
            break;
        }
    }
    out.truncate(out_pos);
    out
}

/// Sets palette (and palette transparency) entries that no pixel uses to zero, so they
/// cannot carry anything; returns how many bytes were blanked.
fn blank_unused_entries(header: &Header, raw: &[u8], palette: &mut [u8], display: &mut [([u8; 4], Vec<u8>)]) -> usize {
    let mut used = [false; 256];
    if header.colour == 3 {
        mark_used_indices(header, raw, &mut used);
        if let Some((_, bkgd)) = display.iter().find(|(n, _)| n == b"bKGD") {
            used[bkgd[0] as usize] = true;
        }
    } else {
        // A suggested palette in a true-colour picture is never needed to show it.
        used = [false; 256];
    }
    let mut blanked = 0;
    for (i, entry) in palette.chunks_mut(3).enumerate() {
        if !used[i] && entry.iter().any(|&v| v != 0) {
            entry.fill(0);
            blanked += 3;
        }
    }
    if let Some((_, trns)) = display.iter_mut().find(|(n, _)| n == b"tRNS") {
        if header.colour == 3 {
            for (i, a) in trns.iter_mut().enumerate() {
                if !used[i] && *a != 255 {
                    *a = 255;
                    blanked += 1;
                }
            }
        }
    }
    blanked
}

/// Undoes the scanline filters of a palette picture and marks every index used.
fn mark_used_indices(header: &Header, raw: &[u8], used: &mut [bool; 256]) {
    let depth = header.depth as usize;
    let mut at = 0usize;
    for (pw, ph) in header.passes() {
        if pw == 0 {
            continue;
        }
        let row = header.row_bytes(pw) as usize;
        let mut prior = vec![0u8; row];
        let mut line = vec![0u8; row];
        for _ in 0..ph {
            let Some(filter) = raw.get(at).copied() else { return };
            let Some(src) = raw.get(at + 1..at + 1 + row) else { return };
            at += 1 + row;
            for i in 0..row {
                let (a, b, c) = (if i > 0 { line[i - 1] } else { 0 }, prior[i], if i > 0 { prior[i - 1] } else { 0 });
                let predicted = match filter {
                    1 => a,
                    2 => b,
                    3 => ((a as u16 + b as u16) / 2) as u8,
                    4 => paeth(a, b, c),
                    _ => 0,
                };
                line[i] = src[i].wrapping_add(predicted);
            }
            for x in 0..pw as usize {
                let bit = x * depth;
                let byte = line[bit / 8];
                let index = if depth == 8 { byte } else { (byte >> (8 - depth - bit % 8)) & ((1 << depth) - 1) as u8 };
                used[index as usize] = true;
            }
            std::mem::swap(&mut prior, &mut line);
        }
    }
}

fn paeth(a: u8, b: u8, c: u8) -> u8 {
    let p = a as i16 + b as i16 - c as i16;
    let (pa, pb, pc) = ((p - a as i16).abs(), (p - b as i16).abs(), (p - c as i16).abs());
    if pa <= pb && pa <= pc {
        a
    } else if pb <= pc {
        b
    } else {
        c
    }
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

/// CRC-32 as PNG uses it: the walker's (one table, one place); the copy's
/// validator keeps its own on purpose, as an independent look.
pub(crate) use crate::container::png::crc32;

#[cfg(test)]
mod tests {
    #[test]
    fn crc_matches_the_png_specification_example() {
        // CRC of "IEND" with no data is AE 42 60 82 in every PNG file.
        assert_eq!(super::crc32(b"IEND"), 0xAE42_6082);
    }
}
