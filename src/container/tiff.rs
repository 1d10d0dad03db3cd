//! TIFF / DNG walker, plus a small bounds-checked TIFF IFD reader that the EXIF,
//! maker-note and MPF readers in `meta` reuse.
//!
//! The walker lists one `Exif` block covering the whole file (TIFF offsets are
//! absolute, so the EXIF reader needs every byte) and one block per embedded
//! metadata blob in IFD0 (XMP, IPTC, Photoshop resources, ICC profile, a C2PA
//! manifest store in tag 0xCD41, read by `meta::c2pa`). It also
//! finds the pixel size of the main image. It never interprets metadata values.
//!
//! Every offset is checked; IFD chains and SubIFD trees are bounded by
//! `limits::MAX_DEPTH` and a visited set, so hostile files cannot loop.

use super::{limits, BlockKind, Container, Format, WalkError};
use std::collections::HashSet;

/// Most entries read from one IFD (real files have a few hundred at most).
pub const MAX_IFD_ENTRIES: usize = 1000;
/// Most IFDs followed along one "next IFD" chain.
pub const MAX_IFD_CHAIN: usize = 64;

// TIFF tag numbers, one list for the walker and the cleaners (clean/tiff, clean/dng).
pub(crate) const TAG_NEW_SUBFILE_TYPE: u16 = 0x00FE;
pub(crate) const TAG_IMAGE_WIDTH: u16 = 0x0100;
pub(crate) const TAG_IMAGE_LENGTH: u16 = 0x0101;
#[cfg_attr(not(feature = "reencode"), allow(dead_code))] // read by clean::tiff
pub(crate) const TAG_BITS_PER_SAMPLE: u16 = 0x0102;
pub(crate) const TAG_COMPRESSION: u16 = 0x0103;
pub(crate) const TAG_PHOTOMETRIC: u16 = 0x0106;
pub(crate) const TAG_STRIP_OFFSETS: u16 = 0x0111;
#[cfg_attr(not(feature = "reencode"), allow(dead_code))] // read by clean::tiff
pub(crate) const TAG_SAMPLES_PER_PIXEL: u16 = 0x0115;
pub(crate) const TAG_STRIP_BYTE_COUNTS: u16 = 0x0117;
pub(crate) const TAG_SUB_IFDS: u16 = 0x014A;
pub(crate) const TAG_JPEG_OFFSET: u16 = 0x0201;
pub(crate) const TAG_JPEG_LENGTH: u16 = 0x0202;
pub(crate) const TAG_XMP: u16 = 700;
pub(crate) const TAG_IPTC: u16 = 33723;
pub(crate) const TAG_PHOTOSHOP: u16 = 34377;
pub(crate) const TAG_ICC: u16 = 34675;
/// Content Credentials: a whole C2PA manifest store (JUMBF), type UNDEFINED, in IFD0.
pub(crate) const TAG_C2PA: u16 = 0xCD41;
pub(crate) const TAG_DNG_VERSION: u16 = 50706;

/// A TIFF structure (a file, an EXIF block, an MPF index or a maker note with its
/// own header). Offsets inside it are relative to `data[0]`.
#[derive(Clone, Copy)]
pub struct Tiff<'a> {
    pub data: &'a [u8],
    pub little_endian: bool,
}

/// One IFD entry; `value_at` is where the value bytes start in `Tiff::data`
/// (inline in the entry when they fit in 4 bytes).
#[derive(Debug, Clone, Copy)]
pub struct Entry {
    pub tag: u16,
    pub typ: u16,
    pub count: u32,
    pub value_at: usize,
    pub byte_len: usize,
}

/// The entries of one IFD and the offset of the next IFD (0 = none).
#[derive(Debug, Clone, Default)]
pub struct Ifd {
    pub entries: Vec<Entry>,
    pub next: usize,
}

impl Ifd {
    pub fn get(&self, tag: u16) -> Option<&Entry> {
        self.entries.iter().find(|e| e.tag == tag)
    }
}

/// Size in bytes of one value of a TIFF field type (0 for unknown types).
pub fn type_size(typ: u16) -> usize {
    match typ {
        1 | 2 | 6 | 7 => 1,
        3 | 8 => 2,
        4 | 9 | 11 | 13 => 4,
        5 | 10 | 12 => 8,
        _ => 0,
    }
}

impl<'a> Tiff<'a> {
    /// Reads the 8-byte header; `None` when this is not TIFF.
    pub fn new(data: &'a [u8]) -> Option<(Tiff<'a>, usize)> {
        let little_endian = match data.get(0..4)? {
            b"II*\0" => true,
            b"MM\0*" => false,
            _ => return None,
        };
        let t = Tiff { data, little_endian };
        let first = t.u32(4)? as usize;
        Some((t, first))
    }

    /// A view with the byte order given explicitly (maker notes without a header).
    pub fn with_order(data: &'a [u8], little_endian: bool) -> Tiff<'a> {
        Tiff { data, little_endian }
    }

    pub fn u16(&self, at: usize) -> Option<u16> {
        let b: [u8; 2] = self.data.get(at..at.checked_add(2)?)?.try_into().ok()?;
        Some(if self.little_endian { u16::from_le_bytes(b) } else { u16::from_be_bytes(b) })
    }

    pub fn u32(&self, at: usize) -> Option<u32> {
        let b: [u8; 4] = self.data.get(at..at.checked_add(4)?)?.try_into().ok()?;
        Some(if self.little_endian { u32::from_le_bytes(b) } else { u32::from_be_bytes(b) })
    }

    /// Reads the IFD at `offset`. Entries whose value lies outside the data are dropped.
    pub fn ifd(&self, offset: usize) -> Option<Ifd> {
        let count = self.u16(offset)? as usize;
        let mut ifd = Ifd::default();
        for i in 0..count.min(MAX_IFD_ENTRIES) {
            let at = offset.checked_add(2 + i * 12)?;
            let (Some(tag), Some(typ), Some(n)) = (self.u16(at), self.u16(at + 2), self.u32(at + 4)) else {
                break; // truncated IFD: keep what we have
            };
            let Some(byte_len) = type_size(typ).checked_mul(n as usize) else { continue };
            let value_at = if byte_len <= 4 {
                at + 8
            } else {
                match self.u32(at + 8) {
                    Some(v) => v as usize,
                    None => continue,
                }
            };
            if value_at.checked_add(byte_len).is_none_or(|end| end > self.data.len()) {
                continue;
            }
            ifd.entries.push(Entry { tag, typ, count: n, value_at, byte_len });
        }
        ifd.next = self.u32(offset.checked_add(2 + count * 12)?).unwrap_or(0) as usize;
        Some(ifd)
    }

    /// The value bytes of an entry.
    pub fn bytes(&self, e: &Entry) -> &'a [u8] {
        self.data.get(e.value_at..e.value_at + e.byte_len).unwrap_or(&[])
    }

    /// The i-th value of an integer entry (BYTE, SHORT, LONG, or IFD type).
    pub fn uint(&self, e: &Entry, i: usize) -> Option<u32> {
        if i >= e.count as usize {
            return None;
        }
        match e.typ {
            1 | 7 => self.data.get(e.value_at + i).map(|b| *b as u32),
            3 | 8 => self.u16(e.value_at + i * 2).map(u32::from),
            4 | 9 | 13 => self.u32(e.value_at + i * 4),
            _ => None,
        }
    }

    /// An ASCII entry as text (up to the first NUL, lossy UTF-8).
    pub fn text(&self, e: &Entry) -> String {
        let b = self.bytes(e);
        let b = b.split(|c| *c == 0).next().unwrap_or(&[]);
        String::from_utf8_lossy(b).trim().to_string()
    }
}

/// DNG files are TIFF files whose IFD0 holds a DNGVersion tag.
pub fn sniff_dng(bytes: &[u8]) -> Format {
    let is_dng = Tiff::new(bytes)
        .and_then(|(t, first)| t.ifd(first))
        .is_some_and(|ifd| ifd.get(TAG_DNG_VERSION).is_some());
    if is_dng {
        Format::Dng
    } else {
        Format::Tiff
    }
}

pub fn walk(bytes: &[u8]) -> Result<Container<'_>, WalkError> {
    let Some((tiff, first)) = Tiff::new(bytes) else {
        return Err(WalkError::damaged("This TIFF file is damaged: its header is not readable."));
    };
    let mut c = Container::new(sniff_dng(bytes));
    c.push(BlockKind::Exif, 0..bytes.len(), bytes, 0..bytes.len());
    let Some(ifd0) = tiff.ifd(first) else {
        c.warnings.push("The first image directory points outside the file.".into());
        return Ok(c);
    };
    for (tag, kind) in [
        (TAG_XMP, BlockKind::Xmp),
        (TAG_IPTC, BlockKind::Iptc),
        (TAG_PHOTOSHOP, BlockKind::PhotoshopIrb),
        (TAG_ICC, BlockKind::Icc),
        (TAG_C2PA, BlockKind::Other { label: "C2PA".into() }),
    ] {
        if let Some(e) = ifd0.get(tag).filter(|e| e.byte_len > 0) {
            let range = e.value_at..e.value_at + e.byte_len;
            c.push(kind, range.clone(), bytes, range);
        }
    }
    let (w, h) = main_image_size(&tiff, &ifd0);
    c.width = w;
    c.height = h;
    Ok(c)
}

fn dims(t: &Tiff<'_>, ifd: &Ifd) -> (Option<u32>, Option<u32>) {
    let w = ifd.get(TAG_IMAGE_WIDTH).and_then(|e| t.uint(e, 0));
    let h = ifd.get(TAG_IMAGE_LENGTH).and_then(|e| t.uint(e, 0));
    (w, h)
}

/// IFD0's size, unless IFD0 is a reduced preview (NewSubfileType bit 0, as in DNG):
/// then the first full-resolution SubIFD (NewSubfileType 0) wins.
fn main_image_size(t: &Tiff<'_>, ifd0: &Ifd) -> (Option<u32>, Option<u32>) {
    let is_preview = |ifd: &Ifd| is_reduced(t, ifd);
    if !is_preview(ifd0) {
        return dims(t, ifd0);
    }
    let mut seen = HashSet::new();
    let mut stack: Vec<(usize, usize)> = sub_ifd_offsets(t, ifd0).into_iter().map(|o| (o, 1)).collect();
    while let Some((offset, depth)) = stack.pop() {
        if depth > limits::MAX_DEPTH || !seen.insert(offset) || seen.len() > MAX_IFD_CHAIN {
            continue;
        }
        let Some(ifd) = t.ifd(offset) else { continue };
        if !is_preview(&ifd) {
            let d = dims(t, &ifd);
            if d.0.is_some() && d.1.is_some() {
                return d;
            }
        }
        stack.extend(sub_ifd_offsets(t, &ifd).into_iter().map(|o| (o, depth + 1)));
    }
    dims(t, ifd0)
}

/// Whether an IFD holds a reduced-resolution copy (NewSubfileType bit 0): a preview, not the main picture.
pub(crate) fn is_reduced(t: &Tiff<'_>, ifd: &Ifd) -> bool {
    ifd.get(TAG_NEW_SUBFILE_TYPE).and_then(|e| t.uint(e, 0)).unwrap_or(0) & 1 == 1
}

/// The SubIFD offsets an IFD lists (bounded), last first: popped from a stack, they come in file order.
pub(crate) fn sub_ifd_offsets(t: &Tiff<'_>, ifd: &Ifd) -> Vec<usize> {
    let Some(e) = ifd.get(TAG_SUB_IFDS) else { return Vec::new() };
    (0..(e.count as usize).min(MAX_IFD_CHAIN)).filter_map(|i| t.uint(e, i)).map(|o| o as usize).rev().collect()
}

#[cfg(test)]
pub(crate) mod test_builder {
    //! A byte-level TIFF builder for tests (big-endian, values placed after the IFDs).

    /// One IFD entry to write: tag, type, count and raw big-endian value bytes.
    #[derive(Clone)]
    pub struct E {
        pub tag: u16,
        pub typ: u16,
        pub count: u32,
        pub value: Vec<u8>,
    }

    pub fn ascii(tag: u16, s: &str) -> E {
        let mut v = s.as_bytes().to_vec();
        v.push(0);
        E { tag, typ: 2, count: v.len() as u32, value: v }
    }
    pub fn short(tag: u16, n: u16) -> E {
        E { tag, typ: 3, count: 1, value: n.to_be_bytes().to_vec() }
    }
    pub fn long(tag: u16, n: u32) -> E {
        E { tag, typ: 4, count: 1, value: n.to_be_bytes().to_vec() }
    }
    pub fn undef(tag: u16, b: &[u8]) -> E {
        E { tag, typ: 7, count: b.len() as u32, value: b.to_vec() }
    }
    pub fn bytes(tag: u16, b: &[u8]) -> E {
        E { tag, typ: 1, count: b.len() as u32, value: b.to_vec() }
    }
    pub fn rationals(tag: u16, r: &[(u32, u32)]) -> E {
        let mut v = Vec::new();
        for (n, d) in r {
            v.extend(n.to_be_bytes());
            v.extend(d.to_be_bytes());
        }
        E { tag, typ: 5, count: r.len() as u32, value: v }
    }

    /// Child IFD links: (tag in parent, child index). Pointer tags are LONG.
    pub struct Doc {
        pub ifds: Vec<Vec<E>>,
        /// (parent ifd, pointer tag, child ifd)
        pub links: Vec<(usize, u16, usize)>,
        /// IFD chain: ifd i's next = chain[i]
        pub next: Vec<(usize, usize)>,
        /// Raw bytes appended at the end; entries can refer to them via `blob_offset`.
        pub tail: Vec<u8>,
    }

    /// Builds the TIFF. Returns bytes and the offset where `tail` starts.
    pub fn build(doc: &Doc) -> (Vec<u8>, usize) {
        // Layout: header, then IFDs, each followed by its out-of-line values.
        let mut ifd_off = Vec::new();
        let mut pos = 8usize;
        for entries in &doc.ifds {
            ifd_off.push(pos);
            let extra: usize = entries.iter().filter(|e| e.value.len() > 4).map(|e| e.value.len() + (e.value.len() & 1)).sum();
            let links = doc.links.iter().filter(|l| l.0 == ifd_off.len() - 1).count();
            pos += 2 + (entries.len() + links) * 12 + 4 + extra;
        }
        let tail_at = pos;
        let mut out = b"MM\0*".to_vec();
        out.extend((ifd_off.first().copied().unwrap_or(0) as u32).to_be_bytes());
        for (i, entries) in doc.ifds.iter().enumerate() {
            let mut all = entries.clone();
            for l in doc.links.iter().filter(|l| l.0 == i) {
                all.push(long(l.1, ifd_off[l.2] as u32));
            }
            crate::sort::by_key(&mut all, |e| u64::from(e.tag));
            let mut data_pos = ifd_off[i] + 2 + all.len() * 12 + 4;
            let mut values = Vec::new();
            out.extend((all.len() as u16).to_be_bytes());
            for e in &all {
                out.extend(e.tag.to_be_bytes());
                out.extend(e.typ.to_be_bytes());
                out.extend(e.count.to_be_bytes());
                if e.value.len() <= 4 {
                    let mut v = e.value.clone();
                    v.resize(4, 0);
                    out.extend(v);
                } else {
                    out.extend((data_pos as u32).to_be_bytes());
                    values.extend(&e.value);
                    if e.value.len() & 1 == 1 {
                        values.push(0);
                    }
                    data_pos += e.value.len() + (e.value.len() & 1);
                }
            }
            let next = doc.next.iter().find(|n| n.0 == i).map(|n| ifd_off[n.1] as u32).unwrap_or(0);
            out.extend(next.to_be_bytes());
            out.extend(values);
        }
        assert_eq!(out.len(), tail_at);
        out.extend(&doc.tail);
        (out, tail_at)
    }
}

#[cfg(test)]
mod tests {
    use super::test_builder::*;
    use super::*;

    #[test]
    fn walks_dng_blocks_and_full_size_subifd() {
        let xmp = b"<x:xmpmeta>hello</x:xmpmeta>";
        let doc = Doc {
            ifds: vec![
                vec![
                    long(TAG_NEW_SUBFILE_TYPE, 1),
                    short(TAG_IMAGE_WIDTH, 256),
                    short(TAG_IMAGE_LENGTH, 171),
                    bytes(TAG_DNG_VERSION, &[1, 4, 0, 0]),
                    undef(TAG_XMP, xmp),
                    ascii(0x010F, "Apple"),
                ],
                vec![long(TAG_NEW_SUBFILE_TYPE, 0), long(TAG_IMAGE_WIDTH, 4032), long(TAG_IMAGE_LENGTH, 3024)],
            ],
            links: vec![(0, TAG_SUB_IFDS, 1)],
            next: vec![],
            tail: vec![],
        };
        let (file, _) = build(&doc);
        assert_eq!(sniff_dng(&file), Format::Dng);
        let c = walk(&file).unwrap();
        assert_eq!(c.format, Format::Dng);
        assert_eq!((c.width, c.height), (Some(4032), Some(3024)));
        assert_eq!(c.blocks.len(), 2);
        assert_eq!(c.blocks[0].kind, BlockKind::Exif);
        assert_eq!(c.blocks[0].data.len(), file.len());
        assert_eq!(c.blocks[1].kind, BlockKind::Xmp);
        assert_eq!(&c.blocks[1].data[..], xmp);
    }

    #[test]
    fn plain_tiff_and_hostile_loops() {
        // IFD0 whose next pointer and SubIFD point at itself.
        let doc = Doc {
            ifds: vec![vec![long(TAG_NEW_SUBFILE_TYPE, 1), short(TAG_IMAGE_WIDTH, 10), short(TAG_IMAGE_LENGTH, 20)]],
            links: vec![(0, TAG_SUB_IFDS, 0)],
            next: vec![(0, 0)],
            tail: vec![],
        };
        let (file, _) = build(&doc);
        assert_eq!(sniff_dng(&file), Format::Tiff);
        let c = walk(&file).unwrap();
        assert_eq!((c.width, c.height), (Some(10), Some(20)));
        // Truncations never panic.
        for n in 0..file.len() {
            let _ = walk(&file[..n]);
        }
        assert!(walk(b"II*\0").is_err());
    }
}
