//! GIF walker: lists comment and application extensions (XMP, ICC, vendor data)
//! with their byte ranges, reads the logical screen size, and notes bytes after
//! the GIF trailer (0x3B).
//!
//! It owns GIF framing only: header, colour tables, extension blocks and image
//! data, all made of "sub-blocks" (`<len u8> <len bytes>` … `00`). Image data and
//! the rendering extensions (graphic control, plain text, NETSCAPE looping) are
//! skipped and never listed, so a cleaner dropping blocks never drops pixels.

use std::borrow::Cow;
use std::ops::Range;

use super::{limits, Block, BlockKind, Container, Format, WalkError};

const EXTENSION: u8 = 0x21;
const IMAGE: u8 = 0x2C;
const TRAILER: u8 = 0x3B;
const COMMENT_LABEL: u8 = 0xFE;
const APPLICATION_LABEL: u8 = 0xFF;

/// Walks a GIF file. Errors only when the GIF header is missing.
pub fn walk(bytes: &[u8]) -> Result<Container<'_>, WalkError> {
    if !(bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a")) {
        return Err(WalkError("This file does not start like a GIF image.".into()));
    }
    let mut c = Container::new(Format::Gif);
    let Some(screen) = bytes.get(6..13) else {
        c.warnings.push("GIF ends inside its header (the file may be cut short).".into());
        return Ok(c);
    };
    c.width = Some(u16::from_le_bytes([screen[0], screen[1]]) as u32);
    c.height = Some(u16::from_le_bytes([screen[2], screen[3]]) as u32);
    let mut pos = 13 + colour_table_len(screen[4]);
    // Every block moves `pos` forward by at least two bytes, so this loop ends.
    loop {
        let next = match bytes.get(pos) {
            Some(&TRAILER) => {
                push_trailer(&mut c, bytes, pos + 1);
                return Ok(c);
            }
            Some(&EXTENSION) => walk_extension(&mut c, bytes, pos),
            Some(&IMAGE) => skip_image(bytes, pos),
            Some(&other) => {
                c.warnings.push(format!("GIF has an unknown block 0x{other:02X} at offset {pos}; stopped walking."));
                return Ok(c);
            }
            None => None,
        };
        match next {
            Some(p) => pos = p,
            None => {
                c.warnings.push("GIF ends before its trailer byte (the file may be cut short).".into());
                return Ok(c);
            }
        }
    }
}

/// Size of a global/local colour table given the packed flags byte.
fn colour_table_len(packed: u8) -> usize {
    if packed & 0x80 != 0 {
        3 << ((packed & 0x07) + 1)
    } else {
        0
    }
}

/// Skips a chain of sub-blocks starting at `pos`; returns the offset after the 0 terminator.
fn skip_sub_blocks(bytes: &[u8], mut pos: usize) -> Option<usize> {
    loop {
        let len = *bytes.get(pos)? as usize;
        pos += 1;
        if len == 0 {
            return Some(pos);
        }
        pos += len;
        if pos > bytes.len() {
            return None;
        }
    }
}

/// Image descriptor (10 bytes incl. 0x2C), optional local colour table, LZW code size, sub-blocks.
fn skip_image(bytes: &[u8], pos: usize) -> Option<usize> {
    let packed = *bytes.get(pos + 9)?;
    let data = pos + 10 + colour_table_len(packed) + 1;
    skip_sub_blocks(bytes, data)
}

/// Lists one extension block if it holds metadata; returns the offset after it.
fn walk_extension<'a>(c: &mut Container<'a>, bytes: &'a [u8], pos: usize) -> Option<usize> {
    let label = *bytes.get(pos + 1)?;
    let end = skip_sub_blocks(bytes, pos + 2)?;
    let span = pos..end;
    match label {
        COMMENT_LABEL => push_block(c, BlockKind::Comment, span, join_sub_blocks(bytes, pos + 2)),
        APPLICATION_LABEL => walk_application(c, bytes, span),
        _ => {} // graphic control (0xF9), plain text (0x01): rendering, not metadata
    }
    Some(end)
}

/// Application extension: first sub-block is 11 bytes (8-byte id + 3-byte auth code).
fn walk_application<'a>(c: &mut Container<'a>, bytes: &'a [u8], span: Range<usize>) {
    let head = span.start + 2;
    if bytes.get(head) != Some(&11) {
        return;
    }
    let Some(id) = bytes.get(head + 1..head + 12) else { return };
    match id {
        // XMP is stored raw: its bytes double as sub-block lengths, and a 258-byte
        // "magic trailer" brings the sub-block chain back to a terminator.
        b"XMP DataXMP" => {
            let start = head + 12;
            let end = xmp_packet_end(&bytes[start..span.end]).map_or(span.end, |n| start + n);
            c.push(BlockKind::Xmp, span, bytes, start..end);
        }
        b"ICCRGBG1012" => push_block(c, BlockKind::Icc, span, join_sub_blocks(bytes, head + 12)),
        b"NETSCAPE2.0" | b"ANIMEXTS1.0" => {} // animation looping: rendering, not metadata
        _ => {
            let name: String = id.iter().map(|&b| if b.is_ascii_graphic() || b == b' ' { b as char } else { '?' }).collect();
            let data = head + 12..span.end;
            c.push(BlockKind::Other { label: format!("GIF application {}", name.trim_end()) }, span, bytes, data);
        }
    }
}

/// Length of the XMP packet at the start of `raw`: up to the end of `<?xpacket end…?>`
/// or, failing that, of `</x:xmpmeta>`.
fn xmp_packet_end(raw: &[u8]) -> Option<usize> {
    if let Some(i) = find(raw, b"<?xpacket end") {
        if let Some(j) = find(&raw[i..], b"?>") {
            return Some(i + j + 2);
        }
    }
    find(raw, b"</x:xmpmeta>").map(|i| i + b"</x:xmpmeta>".len())
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// The payload of a sub-block chain, borrowed when it is a single sub-block.
fn join_sub_blocks(bytes: &[u8], mut pos: usize) -> Cow<'_, [u8]> {
    let mut parts: Vec<Range<usize>> = Vec::new();
    while let Some(&len) = bytes.get(pos) {
        if len == 0 {
            break;
        }
        let end = (pos + 1 + len as usize).min(bytes.len());
        parts.push(pos + 1..end);
        pos = end;
    }
    match parts.as_slice() {
        [] => Cow::Borrowed(&[]),
        [one] => Cow::Borrowed(&bytes[one.clone()]),
        many => Cow::Owned(many.iter().flat_map(|r| bytes[r.clone()].iter().copied()).collect()),
    }
}

fn push_block<'a>(c: &mut Container<'a>, kind: BlockKind, span: Range<usize>, data: Cow<'a, [u8]>) {
    if c.blocks.len() < limits::MAX_BLOCKS {
        c.blocks.push(Block { kind, span, data });
    }
}

/// Records the bytes after the GIF trailer unless they are only padding.
fn push_trailer<'a>(c: &mut Container<'a>, bytes: &'a [u8], start: usize) {
    let rest = bytes.get(start..).unwrap_or(&[]);
    if rest.iter().filter(|&&b| b != 0).take(5).count() > 4 {
        c.push(BlockKind::Trailer, start..bytes.len(), bytes, start..bytes.len());
    }
}
