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
const GRAPHIC_CONTROL_LABEL: u8 = 0xF9;
const PLAIN_TEXT_LABEL: u8 = 0x01;

/// Walks a GIF file. Errors only when the GIF header is missing.
pub fn walk(bytes: &[u8]) -> Result<Container<'_>, WalkError> {
    if !(bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a")) {
        return Err(WalkError::damaged("This file does not start like a GIF image."));
    }
    let mut c = Container::new(Format::Gif);
    let Some(screen) = bytes.get(6..13) else {
        c.warnings.push("GIF ends inside its header (the file may be cut short).".into());
        return Ok(c);
    };
    c.width = Some(u16::from_le_bytes([screen[0], screen[1]]) as u32);
    c.height = Some(u16::from_le_bytes([screen[2], screen[3]]) as u32);
    let mut pos = 13 + colour_table_len(screen[4]);
    // Every block moves `pos` forward by at least two bytes, so this loop ends; millions
    // of tiny blocks must not cost seconds: past the limit the rest is not read.
    let mut steps = 0usize;
    loop {
        steps += 1;
        if steps > 4 * limits::MAX_BLOCKS && pos < bytes.len() {
            c.warnings.push("GIF has too many blocks; stopped walking.".into());
            c.not_read(super::budget::SKIPPED_PLACE, &bytes[pos..]);
            return Ok(c);
        }
        let next = match bytes.get(pos) {
            Some(&TRAILER) => {
                push_trailer(&mut c, bytes, pos + 1);
                return Ok(c);
            }
            Some(&EXTENSION) => walk_extension(&mut c, bytes, pos),
            Some(&IMAGE) => skip_image(bytes, pos),
            Some(&other) => {
                c.warnings.push(format!("GIF has an unknown block 0x{other:02X} at offset {pos}; stopped walking."));
                c.not_read("from a place where the picture's structure breaks off, to the end of the file", &bytes[pos..]);
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
        // A comment larger than any text is read whole is not joined at all (millions of sub-blocks).
        COMMENT_LABEL if end - pos > limits::MAX_INFLATED_BYTES => c.not_read(super::budget::SKIPPED_PLACE, &bytes[span]),
        COMMENT_LABEL => push_block(c, BlockKind::Comment, span, join_sub_blocks(bytes, pos + 2)),
        APPLICATION_LABEL => walk_application(c, bytes, span),
        // Graphic control: one 4-byte sub-block (flags, delay, transparent colour).
        GRAPHIC_CONTROL_LABEL => note_extra_sub_blocks(c, bytes, pos + 2, end, 4, "inside an animation-timing block"),
        PLAIN_TEXT_LABEL => {
            let text = join_sub_blocks(bytes, pos + 2);
            c.not_read("in a text block that photo viewers do not show", &text);
        }
        _ => c.not_read("in a block of a kind GIF pictures do not use", &join_sub_blocks(bytes, pos + 2)),
    }
    Some(end)
}

/// Notes what a known extension holds beyond its first sub-block of `size` bytes.
fn note_extra_sub_blocks(c: &mut Container<'_>, bytes: &[u8], first: usize, end: usize, size: u8, place: &str) {
    let known = if bytes.get(first) == Some(&size) { first + 1 + size as usize } else { first };
    // The known sub-block, then the 0 terminator: anything between is extra.
    let extra = bytes.get(known..end.saturating_sub(1)).unwrap_or(&[]);
    c.not_read(place, extra);
}

/// Application extension: first sub-block is 11 bytes (8-byte id + 3-byte auth code).
fn walk_application<'a>(c: &mut Container<'a>, bytes: &'a [u8], span: Range<usize>) {
    let head = span.start + 2;
    if bytes.get(head) != Some(&11) {
        c.not_read("in a block of a kind GIF pictures do not use", bytes.get(head..span.end).unwrap_or(&[]));
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
        // Animation looping (sub-block 1, loop count): rendering, not metadata.
        b"NETSCAPE2.0" | b"ANIMEXTS1.0" => {
            note_extra_sub_blocks(c, bytes, head + 12, span.end, 3, "inside the block that makes an animation repeat")
        }
        _ => {
            let name: String =
                id.iter().map(|&b| if b.is_ascii_graphic() || b == b' ' { b as char } else { '?' }).collect();
            let data = head + 12..span.end;
            let label = format!("GIF application {}", name.trim_end());
            c.not_read(format!("in a block named “{}” that ThinkTwice does not know", name.trim_end()), &bytes[data.clone()]);
            c.push(BlockKind::Other { label }, span, bytes, data);
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
    // One sub-block is borrowed; more are joined as they come (no list of millions of ranges).
    let mut joined = Cow::Borrowed(&bytes[..0]);
    let mut first = true;
    while let Some(&len) = bytes.get(pos) {
        if len == 0 {
            break;
        }
        let end = (pos + 1 + len as usize).min(bytes.len());
        let part = &bytes[pos + 1..end];
        if first {
            joined = Cow::Borrowed(part);
            first = false;
        } else {
            joined.to_mut().extend_from_slice(part);
        }
        pos = end;
    }
    joined
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Sub-blocks of at most 255 bytes, then the 0 terminator.
    fn sub_blocks(data: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        for part in data.chunks(255) {
            out.push(part.len() as u8);
            out.extend_from_slice(part);
        }
        out.push(0);
        out
    }

    fn comment(text: &[u8]) -> Vec<u8> {
        [&[EXTENSION, COMMENT_LABEL][..], &sub_blocks(text)].concat()
    }

    /// XMP application extension as Adobe writes it: raw packet + 258-byte magic trailer.
    fn xmp_extension(packet: &[u8]) -> Vec<u8> {
        let mut e = vec![EXTENSION, APPLICATION_LABEL, 11];
        e.extend_from_slice(b"XMP DataXMP");
        e.extend_from_slice(packet);
        e.push(0x01);
        e.extend((0..=0xFFu8).rev()); // FF FE … 01 00
        e.push(0x00); // block terminator: 1 + 256 + 1 = 258 bytes
        e
    }

    fn image_block() -> Vec<u8> {
        let mut i = vec![IMAGE, 0, 0, 0, 0, 2, 0, 2, 0, 0x00, 2];
        i.extend(sub_blocks(&[0x44, 0x01]));
        i
    }

    /// GIF89a 300×200 with a 2-colour global table, `blocks`, an image, the trailer byte, `tail`.
    fn build(blocks: &[Vec<u8>], tail: &[u8]) -> Vec<u8> {
        let mut f = b"GIF89a".to_vec();
        f.extend_from_slice(&300u16.to_le_bytes());
        f.extend_from_slice(&200u16.to_le_bytes());
        f.extend_from_slice(&[0x80, 0, 0]);
        f.extend_from_slice(&[0, 0, 0, 255, 255, 255]);
        for b in blocks {
            f.extend_from_slice(b);
        }
        f.extend(image_block());
        f.push(TRAILER);
        f.extend_from_slice(tail);
        f
    }

    #[test]
    fn lists_comment_and_xmp_with_spans_and_payloads() {
        let long_comment: Vec<u8> = b"a long comment ".iter().cycle().take(400).copied().collect();
        let packet = b"<?xpacket begin='' id='W5M0MpCehiHzreSzNTczkc9d'?><x:xmpmeta xmlns:x='adobe:ns:meta/'/><?xpacket end='w'?>";
        let blocks = vec![
            vec![EXTENSION, 0xF9, 4, 0, 10, 0, 0, 0], // graphic control: not metadata
            comment(&long_comment),
            xmp_extension(packet),
            [&[EXTENSION, APPLICATION_LABEL, 11][..], b"NETSCAPE2.0", &[3, 1, 0, 0, 0]].concat(),
            [&[EXTENSION, APPLICATION_LABEL, 11][..], b"MGK8BIM0000", &sub_blocks(b"8BIM....")].concat(),
        ];
        let file = build(&blocks, &[]);
        let c = walk(&file).unwrap();
        assert_eq!((c.width, c.height), (Some(300), Some(200)));
        assert!(c.warnings.is_empty(), "{:?}", c.warnings);
        let kinds: Vec<BlockKind> = c.blocks.iter().map(|b| b.kind.clone()).collect();
        assert_eq!(
            kinds,
            vec![BlockKind::Comment, BlockKind::Xmp, BlockKind::Other { label: "GIF application MGK8BIM0000".into() }]
        );
        assert_eq!(&*c.blocks[0].data, &long_comment[..], "sub-blocks joined");
        assert_eq!(&*c.blocks[1].data, &packet[..], "packet without the magic trailer");
        let start = |i: usize| 19 + blocks[..i].iter().map(Vec::len).sum::<usize>();
        for (b, i) in c.blocks.iter().zip([1, 2, 4]) {
            assert_eq!(b.span, start(i)..start(i) + blocks[i].len());
        }
    }

    #[test]
    fn bytes_after_the_trailer_byte_are_a_trailer() {
        let file = build(&[], b"PK\x03\x04 a zip file");
        let c = walk(&file).unwrap();
        assert_eq!(c.blocks.len(), 1);
        assert_eq!(c.blocks[0].kind, BlockKind::Trailer);
        assert_eq!(&*c.blocks[0].data, b"PK\x03\x04 a zip file");
    }

    #[test]
    fn truncated_files_keep_what_was_found_and_warn() {
        let full = build(&[comment(b"first"), comment(b"second")], b"extra data");
        let c = walk(&full[..19 + 10 + 4]).unwrap();
        assert_eq!(c.blocks.len(), 1);
        assert_eq!(c.warnings.len(), 1);
        assert_eq!(walk(b"GIF89a\x01\0").unwrap().warnings.len(), 1);
        assert!(walk(b"GIF8").is_err());
        for n in 0..full.len() {
            let _ = walk(&full[..n]);
        }
        for i in 6..full.len() {
            for v in [0x00, 0xFF, 0x21, 0x2C, 0x3B] {
                let mut f = full.clone();
                f[i] = v;
                let _ = walk(&f);
            }
        }
    }

    #[test]
    fn walks_a_real_encoded_gif() {
        let img = image::RgbaImage::from_fn(11, 5, |x, _| image::Rgba([x as u8 * 20, 0, 0, 255]));
        let mut out = std::io::Cursor::new(Vec::new());
        img.write_to(&mut out, image::ImageFormat::Gif).unwrap();
        let c = walk(out.get_ref()).unwrap();
        assert_eq!((c.width, c.height), (Some(11), Some(5)));
        assert!(c.warnings.is_empty() && c.blocks.is_empty(), "{:?} {:?}", c.warnings, c.blocks);
    }
}
