//! ISO-BMFF walker for HEIC / HEIF / AVIF.
//!
//! Owns: the top-level box list, the `meta` box (hdlr, pitm, iinf/infe, iloc,
//! idat, iref, iprp/ipco/ipma) and the resolution of item data through `iloc`.
//! It lists blocks: EXIF items (data starting at the TIFF header), XMP mime
//! items, ICC profiles in `colr`, thumbnail items (`thmb` → primary), auxiliary
//! items (`auxl`: depth, alpha, gain maps), Samsung `mpvd` / `moov` video,
//! top-level `uuid` boxes holding XMP or a C2PA manifest store (and the newer
//! `c2pa` box; read by `meta::c2pa`) and bytes after the last box. It reads the primary item's size (`ispe`) and
//! rotation (`irot`). It never interprets metadata values.
//!
//! The box structure parsed here has a fixed shape (meta → iprp → ipco → property),
//! so there is no recursion; every count and length is bounded and checked.

use super::{limits, Block, BlockKind, Container, Format, WalkError};
use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;

/// Most items, extents, references or properties read from one table.
const MAX_TABLE: usize = 10_000;

/// A box: its four-character type, whole extent and body (after the header).
#[derive(Debug, Clone)]
struct BoxHdr {
    typ: [u8; 4],
    whole: Range<usize>,
    body: Range<usize>,
}

fn be(bytes: &[u8], at: usize, n: usize) -> Option<u64> {
    let b = bytes.get(at..at.checked_add(n)?)?;
    Some(b.iter().fold(0u64, |acc, x| (acc << 8) | *x as u64))
}

/// Reads one box header at `at`, bounded by `end`. `None` when there is no valid box.
fn read_box(bytes: &[u8], at: usize, end: usize) -> Option<BoxHdr> {
    let size32 = be(bytes, at, 4)?;
    let typ: [u8; 4] = bytes.get(at + 4..at + 8)?.try_into().ok()?;
    let (size, header) = match size32 {
        0 => ((end - at) as u64, 8),
        1 => (be(bytes, at + 8, 8)?, 16),
        s => (s, 8),
    };
    if size < header as u64 {
        return None;
    }
    let box_end = at.checked_add(usize::try_from(size).ok()?)?;
    if box_end > end {
        return None;
    }
    Some(BoxHdr { typ, whole: at..box_end, body: at + header..box_end })
}

/// The child boxes in `range` (stops at the first malformed one).
fn children(bytes: &[u8], range: Range<usize>) -> Vec<BoxHdr> {
    let mut out = Vec::new();
    let mut at = range.start;
    while at + 8 <= range.end && out.len() < MAX_TABLE {
        let Some(b) = read_box(bytes, at, range.end) else { break };
        at = b.whole.end;
        out.push(b);
    }
    out
}

fn brand_format(brand: &[u8]) -> Option<Format> {
    match brand {
        b"avif" | b"avis" => Some(Format::Avif),
        b"heic" | b"heix" | b"heim" | b"heis" | b"hevc" | b"hevx" => Some(Format::Heic),
        b"mif1" | b"msf1" => Some(Format::Heif),
        _ => None,
    }
}

/// HEIC, HEIF or AVIF from the `ftyp` brands: the major brand decides when it is
/// known, otherwise the first decisive compatible brand (AVIF before HEIC).
pub fn sniff_brand(bytes: &[u8]) -> Format {
    let Some(ftyp) = read_box(bytes, 0, bytes.len()).filter(|b| &b.typ == b"ftyp") else {
        return Format::Heif;
    };
    let major = bytes.get(ftyp.body.start..ftyp.body.start + 4).unwrap_or(&[]);
    if let Some(f) = brand_format(major).filter(|f| *f != Format::Heif) {
        return f;
    }
    let compat = bytes.get(ftyp.body.start + 8..ftyp.body.end).unwrap_or(&[]);
    let brands: Vec<Format> = compat.chunks_exact(4).filter_map(brand_format).collect();
    for wanted in [Format::Avif, Format::Heic] {
        if brands.contains(&wanted) {
            return wanted;
        }
    }
    Format::Heif
}

/// One extent of an item: offset/length in the file (method 0) or in `idat` (method 1).
#[derive(Debug, Clone)]
struct Location {
    construction_method: u8,
    base_offset: u64,
    extents: Vec<(u64, u64)>,
}

#[derive(Debug, Default)]
struct ItemInfo {
    item_type: [u8; 4],
    content_type: String,
}

/// Everything read from the `meta` box.
#[derive(Debug, Default)]
struct Meta {
    primary: Option<u32>,
    items: HashMap<u32, ItemInfo>,
    item_order: Vec<u32>,
    locations: HashMap<u32, Location>,
    idat: Option<Range<usize>>,
    /// (reference type, from item, to items)
    refs: Vec<([u8; 4], u32, Vec<u32>)>,
    /// ipco properties in order (1-based in ipma).
    properties: Vec<BoxHdr>,
    /// item → property indices (1-based).
    associations: HashMap<u32, Vec<usize>>,
}

pub fn walk(bytes: &[u8]) -> Result<Container<'_>, WalkError> {
    let mut c = Container::new(sniff_brand(bytes));
    let mut at = 0usize;
    let mut seen_meta = false;
    let mut steps = 0usize;
    while at < bytes.len() {
        steps += 1;
        // Millions of tiny boxes must not cost seconds: past the limit the rest is not read.
        if c.blocks.len() >= limits::MAX_BLOCKS || steps > 4 * limits::MAX_BLOCKS {
            c.warnings.push("This file has too many boxes; stopped walking.".into());
            c.not_read(super::budget::SKIPPED_PLACE, &bytes[at..]);
            break;
        }
        let Some(b) = read_box(bytes, at, bytes.len()).filter(|b| b.typ.iter().all(|x| x.is_ascii_graphic() || *x == b' ')) else {
            // Not a box: whatever follows the last box is a trailer.
            if at > 0 {
                c.push(BlockKind::Trailer, at..bytes.len(), bytes, at..bytes.len());
            }
            break;
        };
        match &b.typ {
            b"meta" if !seen_meta => {
                seen_meta = true;
                let meta = parse_meta(bytes, b.body.clone());
                emit_items(bytes, &meta, &mut c);
            }
            b"mpvd" => c.push(
                BlockKind::EmbeddedMedia { what: "a motion-photo video (Samsung)".into() },
                b.whole.clone(),
                bytes,
                b.body.clone(),
            ),
            // Samsung keeps its "SEFT" trailer (capture data, often a video) in a top-level box.
            b"sefd" => c.push(BlockKind::Trailer, b.whole.clone(), bytes, b.body.clone()),
            b"moov" => c.push(
                BlockKind::EmbeddedMedia { what: "a video track".into() },
                b.whole.clone(),
                bytes,
                b.body.clone(),
            ),
            b"uuid" | b"c2pa" => {
                if let Some((kind, data)) = uuid_block(bytes, &b) {
                    c.push(kind, b.whole.clone(), bytes, data);
                }
            }
            _ => {}
        }
        at = b.whole.end;
    }
    if !seen_meta {
        c.warnings.push("This HEIF file has no meta box, so its images could not be listed.".into());
    }
    Ok(c)
}

/// `uuid` box types (ISO 14496-12 extended types) that hold metadata.
const XMP_UUID: [u8; 16] = [0xBE, 0x7A, 0xCF, 0xCB, 0x97, 0xA9, 0x42, 0xE8, 0x9C, 0x71, 0x99, 0x94, 0x91, 0xE3, 0xAF, 0xAC];
const C2PA_UUID: [u8; 16] = [0xD8, 0xFE, 0xC3, 0xD6, 0x1B, 0x0E, 0x48, 0x3C, 0x92, 0x97, 0x58, 0x28, 0x87, 0x7E, 0xC4, 0x81];

/// The metadata in a top-level `uuid` box (XMP, or a C2PA manifest store) or a `c2pa` box.
/// A C2PA box is a full box: version and flags, a purpose (`manifest`, or `merkle` for
/// hash data, skipped), for a manifest an 8-byte offset, then the JUMBF store.
fn uuid_block(bytes: &[u8], b: &BoxHdr) -> Option<(BlockKind, Range<usize>)> {
    let mut at = b.body.start;
    if &b.typ == b"uuid" {
        let id = bytes.get(at..at + 16)?;
        at += 16;
        if id == XMP_UUID {
            return Some((BlockKind::Xmp, at..b.body.end));
        }
        if id != C2PA_UUID {
            return None;
        }
    }
    at += 4; // version and flags
    let (purpose, after) = c_string(bytes, at, b.body.end);
    let start = after.checked_add(8)?;
    (purpose == "manifest" && start <= b.body.end).then(|| (BlockKind::Other { label: "C2PA".into() }, start..b.body.end))
}

/// Version and flags of a full box, and where its fields start.
fn full_box(bytes: &[u8], body: &Range<usize>) -> Option<(u8, u32, usize)> {
    let vf = be(bytes, body.start, 4)? as u32;
    Some(((vf >> 24) as u8, vf & 0x00FF_FFFF, body.start + 4))
}

fn parse_meta(bytes: &[u8], body: Range<usize>) -> Meta {
    let mut m = Meta::default();
    let Some((_, _, start)) = full_box(bytes, &body) else { return m };
    for b in children(bytes, start..body.end) {
        match &b.typ {
            b"pitm" => m.primary = parse_pitm(bytes, &b),
            b"iinf" => parse_iinf(bytes, &b, &mut m),
            b"iloc" => parse_iloc(bytes, &b, &mut m),
            b"idat" => m.idat = Some(b.body.clone()),
            b"iref" => parse_iref(bytes, &b, &mut m),
            b"iprp" => parse_iprp(bytes, &b, &mut m),
            _ => {}
        }
    }
    m
}

fn parse_pitm(bytes: &[u8], b: &BoxHdr) -> Option<u32> {
    let (v, _, at) = full_box(bytes, &b.body)?;
    be(bytes, at, if v == 0 { 2 } else { 4 }).map(|x| x as u32)
}

fn c_string(bytes: &[u8], at: usize, end: usize) -> (String, usize) {
    let s = bytes.get(at..end).unwrap_or(&[]);
    let n = s.iter().position(|c| *c == 0).unwrap_or(s.len());
    (String::from_utf8_lossy(&s[..n]).into_owned(), (at + n + 1).min(end))
}

fn parse_iinf(bytes: &[u8], b: &BoxHdr, m: &mut Meta) {
    let Some((v, _, at)) = full_box(bytes, &b.body) else { return };
    let start = at + if v == 0 { 2 } else { 4 };
    for infe in children(bytes, start..b.body.end).iter().filter(|c| &c.typ == b"infe") {
        let Some((iv, _, p)) = full_box(bytes, &infe.body) else { continue };
        if iv < 2 {
            continue; // v0/v1 entries carry no item type (not used by HEIF)
        }
        let id_len = if iv == 2 { 2 } else { 4 };
        let Some(id) = be(bytes, p, id_len) else { continue };
        let p = p + id_len + 2; // skip item_protection_index
        let Some(item_type) = bytes.get(p..p + 4).and_then(|t| <[u8; 4]>::try_from(t).ok()) else { continue };
        let (_name, p) = c_string(bytes, p + 4, infe.body.end);
        let content_type = if &item_type == b"mime" { c_string(bytes, p, infe.body.end).0 } else { String::new() };
        let id = id as u32;
        if m.items.len() < MAX_TABLE && !m.items.contains_key(&id) {
            m.item_order.push(id);
        }
        m.items.insert(id, ItemInfo { item_type, content_type });
    }
}

fn parse_iloc(bytes: &[u8], b: &BoxHdr, m: &mut Meta) {
    let Some((v, _, mut p)) = full_box(bytes, &b.body) else { return };
    if v > 2 {
        return;
    }
    let (Some(s1), Some(s2)) = (bytes.get(p), bytes.get(p + 1)) else { return };
    let (offset_size, length_size) = ((s1 >> 4) as usize, (s1 & 15) as usize);
    let base_offset_size = (s2 >> 4) as usize;
    let index_size = if v >= 1 { (s2 & 15) as usize } else { 0 };
    p += 2;
    let count_len = if v < 2 { 2 } else { 4 };
    let Some(count) = be(bytes, p, count_len) else { return };
    p += count_len;
    // Reads an n-byte field (n may be 0 → value 0); `None` past the box end.
    let field = |p: &mut usize, n: usize| -> Option<u64> {
        if *p + n > b.body.end {
            return None;
        }
        let x = if n == 0 { 0 } else { be(bytes, *p, n)? };
        *p += n;
        Some(x)
    };
    for _ in 0..(count as usize).min(MAX_TABLE) {
        let Some(item) = field(&mut p, count_len) else { return };
        let method = if v >= 1 {
            match field(&mut p, 2) {
                Some(x) => (x & 15) as u8,
                None => return,
            }
        } else {
            0
        };
        let (Some(_dref), Some(base), Some(n_ext)) = (field(&mut p, 2), field(&mut p, base_offset_size), field(&mut p, 2)) else {
            return;
        };
        let mut extents = Vec::new();
        for _ in 0..n_ext {
            let (Some(_idx), Some(off), Some(len)) =
                (field(&mut p, index_size), field(&mut p, offset_size), field(&mut p, length_size))
            else {
                return;
            };
            extents.push((off, len));
        }
        m.locations.insert(item as u32, Location { construction_method: method, base_offset: base, extents });
    }
}

fn parse_iref(bytes: &[u8], b: &BoxHdr, m: &mut Meta) {
    let Some((v, _, at)) = full_box(bytes, &b.body) else { return };
    let id_len = if v == 0 { 2 } else { 4 };
    for r in children(bytes, at..b.body.end) {
        let p = r.body.start;
        let (Some(from), Some(n)) = (be(bytes, p, id_len), be(bytes, p + id_len, 2)) else { continue };
        let to: Vec<u32> = (0..n as usize)
            .map_while(|i| be(bytes, p + id_len + 2 + i * id_len, id_len).filter(|_| p + id_len + 2 + (i + 1) * id_len <= r.body.end))
            .map(|x| x as u32)
            .collect();
        if m.refs.len() < MAX_TABLE {
            m.refs.push((r.typ, from as u32, to));
        }
    }
}

fn parse_iprp(bytes: &[u8], b: &BoxHdr, m: &mut Meta) {
    for c in children(bytes, b.body.clone()) {
        match &c.typ {
            b"ipco" => m.properties = children(bytes, c.body.clone()),
            b"ipma" => parse_ipma(bytes, &c, m),
            _ => {}
        }
    }
}

fn parse_ipma(bytes: &[u8], b: &BoxHdr, m: &mut Meta) {
    let Some((v, flags, mut p)) = full_box(bytes, &b.body) else { return };
    let Some(count) = be(bytes, p, 4) else { return };
    p += 4;
    let id_len = if v < 1 { 2 } else { 4 };
    let idx_len = if flags & 1 == 1 { 2 } else { 1 };
    for _ in 0..(count as usize).min(MAX_TABLE) {
        let (Some(item), Some(n)) = (be(bytes, p, id_len), be(bytes, p + id_len, 1)) else { return };
        p += id_len + 1;
        let mut props = Vec::new();
        for _ in 0..n {
            let Some(x) = be(bytes, p, idx_len).filter(|_| p + idx_len <= b.body.end) else { return };
            p += idx_len;
            let mask = if idx_len == 2 { 0x7FFF } else { 0x7F };
            props.push((x & mask) as usize);
        }
        m.associations.entry(item as u32).or_default().extend(props);
    }
}

/// The properties associated with an item, as boxes.
fn item_properties<'m>(m: &'m Meta, item: u32) -> impl Iterator<Item = &'m BoxHdr> + 'm {
    m.associations
        .get(&item)
        .into_iter()
        .flatten()
        .filter_map(move |i| i.checked_sub(1).and_then(|i| m.properties.get(i)))
}

/// An item's bytes: borrowed when one extent, joined when several. Also the
/// on-disk extent covering it (for a cleaner) when it is stored in the file.
fn item_data<'a>(bytes: &'a [u8], m: &Meta, item: u32) -> Option<(Cow<'a, [u8]>, Range<usize>)> {
    let loc = m.locations.get(&item)?;
    let space: Range<usize> = match loc.construction_method {
        0 => 0..bytes.len(),
        1 => m.idat.clone()?,
        _ => return None, // method 2 (item references) is not used for metadata
    };
    let mut ranges = Vec::new();
    let mut total = 0usize;
    for (off, len) in loc.extents.iter().take(MAX_TABLE) {
        let start = space.start.checked_add(usize::try_from(loc.base_offset.checked_add(*off)?).ok()?)?;
        let end = if *len == 0 { space.end } else { start.checked_add(usize::try_from(*len).ok()?)? };
        if start > end || end > space.end {
            return None;
        }
        total = total.checked_add(end - start)?;
        if total > limits::MAX_FILE_BYTES {
            return None;
        }
        ranges.push(start..end);
    }
    let first = ranges.first()?.clone();
    if ranges.len() == 1 {
        return Some((Cow::Borrowed(&bytes[first.clone()]), first));
    }
    let span = ranges.iter().map(|r| r.start).min()?..ranges.iter().map(|r| r.end).max()?;
    let mut joined = Vec::with_capacity(total);
    for r in ranges {
        joined.extend_from_slice(&bytes[r]);
    }
    Some((Cow::Owned(joined), span))
}

fn push_block<'a>(c: &mut Container<'a>, kind: BlockKind, span: Range<usize>, data: Cow<'a, [u8]>) {
    if c.blocks.len() < limits::MAX_BLOCKS {
        c.blocks.push(Block { kind, span, data });
    }
}

/// The EXIF item payload starts with a 4-byte offset to the TIFF header (after
/// "Exif\0\0" usually). Falls back to searching the first bytes when it is wrong.
fn exif_tiff_start(data: &[u8]) -> Option<usize> {
    let is_tiff = |at: usize| matches!(data.get(at..at + 4), Some(b"II*\0") | Some(b"MM\0*"));
    let declared = be(data, 0, 4).and_then(|o| 4usize.checked_add(o as usize));
    if let Some(at) = declared.filter(|at| is_tiff(*at)) {
        return Some(at);
    }
    (0..data.len().min(64)).find(|at| is_tiff(*at))
}

const ALPHA: &str = "a transparency mask";

fn aux_kind(bytes: &[u8], m: &Meta, item: u32) -> String {
    let urn = item_properties(m, item)
        .find(|p| &p.typ == b"auxC")
        .map(|p| c_string(bytes, p.body.start + 4, p.body.end).0.to_ascii_lowercase())
        .unwrap_or_default();
    if urn.contains("depth") || urn.contains("disparity") {
        "a depth map".into()
    } else if urn.contains("alpha") || urn.ends_with("auxid:1") {
        ALPHA.into()
    } else if urn.contains("gainmap") || urn.contains("hdr") {
        "an HDR gain map".into()
    } else if urn.contains("matte") {
        "a portrait matte (outline of a person)".into()
    } else {
        "an extra hidden image".into()
    }
}

fn emit_items<'a>(bytes: &'a [u8], m: &Meta, c: &mut Container<'a>) {
    for &id in &m.item_order {
        let Some(info) = m.items.get(&id) else { continue };
        let kind = match &info.item_type {
            b"Exif" => BlockKind::Exif,
            b"mime" if info.content_type.eq_ignore_ascii_case("application/rdf+xml") => BlockKind::Xmp,
            _ => continue,
        };
        let Some((data, span)) = item_data(bytes, m, id) else {
            c.warnings.push(format!("Item {id} points outside the file."));
            continue;
        };
        let data = if kind == BlockKind::Exif {
            let Some(start) = exif_tiff_start(&data) else {
                c.warnings.push(format!("EXIF item {id} has no TIFF header."));
                continue;
            };
            match data {
                Cow::Borrowed(b) => Cow::Borrowed(&b[start..]),
                Cow::Owned(v) => Cow::Owned(v[start..].to_vec()),
            }
        } else {
            data
        };
        push_block(c, kind, span, data);
    }
    let Some(primary) = m.primary else { return };
    for (typ, from, to) in &m.refs {
        if !to.contains(&primary) || *from == primary {
            continue;
        }
        let kind = match typ {
            b"thmb" => BlockKind::Thumbnail,
            // An alpha plane is part of how the picture looks, not something hidden in it.
            b"auxl" if aux_kind(bytes, m, *from) == ALPHA => BlockKind::Other { label: "alpha".into() },
            b"auxl" => BlockKind::EmbeddedMedia { what: aux_kind(bytes, m, *from) },
            _ => continue,
        };
        // Grid images keep their pixels in tiles; the grid item itself is small.
        let (data, span) = item_data(bytes, m, *from).unwrap_or((Cow::Borrowed(&[][..]), 0..0));
        push_block(c, kind, span, data);
    }
    primary_geometry(bytes, m, primary, c);
}

fn primary_geometry<'a>(bytes: &'a [u8], m: &Meta, primary: u32, c: &mut Container<'a>) {
    for p in item_properties(m, primary) {
        match &p.typ {
            b"ispe" => {
                c.width = be(bytes, p.body.start + 4, 4).map(|x| x as u32);
                c.height = be(bytes, p.body.start + 8, 4).map(|x| x as u32);
            }
            // irot counts quarter turns anticlockwise; Container wants clockwise degrees.
            b"irot" => c.rotation = bytes.get(p.body.start).map(|a| ((4 - (*a as u16 & 3)) % 4) * 90),
            b"colr" => {
                let kind = bytes.get(p.body.start..p.body.start + 4);
                if matches!(kind, Some(b"prof") | Some(b"rICC")) && p.body.start + 4 < p.body.end {
                    let r = p.body.start + 4..p.body.end;
                    c.push(BlockKind::Icc, p.whole.clone(), bytes, r);
                }
            }
            _ => {}
        }
    }
}

// ---------------------------------------------------------------------------
// Rewriting view: a strict, complete reading of the item tables for a cleaner.
// The walker above is lenient (it lists what it can); this view refuses any
// table it cannot read to the last byte, so a rewriter never works from a
// partial picture of the file. It never interprets metadata values either.

/// Where an item's bytes are, as absolute ranges of the input file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemLocation {
    /// 0: in the file (usually `mdat`), 1: inside `idat`, 2: other items (extents not resolved).
    pub construction_method: u8,
    pub data_reference_index: u16,
    /// Absolute byte ranges in the file (for method 1 they lie inside `idat`), in order.
    pub extents: Vec<Range<usize>>,
}

/// One `infe` entry and its `iloc` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LayoutItem {
    pub id: u32,
    pub item_type: [u8; 4],
    /// MIME type for `mime` items, empty otherwise.
    pub content_type: String,
    /// infe flag 1: not meant to be shown on its own.
    pub hidden: bool,
    pub protection_index: u16,
    pub location: Option<ItemLocation>,
}

/// One `iref` entry: `from` refers to `to` with `typ` (`dimg`, `thmb`, `auxl`, `cdsc`…).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    pub typ: [u8; 4],
    pub from: u32,
    pub to: Vec<u32>,
}

/// One property box in `ipco` (1-based index in `ipma` = position + 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Property {
    pub typ: [u8; 4],
    /// The whole box (header included), to copy byte for byte.
    pub whole: Range<usize>,
    /// The box body (after the 8- or 16-byte header).
    pub body: Range<usize>,
}

/// One `ipma` association: property index (1-based) and whether it is essential.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Association {
    pub index: u16,
    pub essential: bool,
}

/// Everything a rewriter needs about a HEIF/AVIF file's structure.
#[derive(Debug, Clone, Default)]
pub struct Layout {
    /// Every top-level box: type and whole extent.
    pub top: Vec<([u8; 4], Range<usize>)>,
    /// The whole `ftyp` box (first box).
    pub ftyp: Range<usize>,
    /// The whole `meta` box and the position of each of its children.
    pub meta: Range<usize>,
    pub meta_children: Vec<([u8; 4], Range<usize>)>,
    pub handler: [u8; 4],
    pub primary: u32,
    /// Items in `iinf` order.
    pub items: Vec<LayoutItem>,
    /// Body of `idat`, when there is one.
    pub idat: Option<Range<usize>>,
    pub references: Vec<Reference>,
    pub properties: Vec<Property>,
    /// item id → associations, in `ipma` order.
    pub associations: Vec<(u32, Vec<Association>)>,
}

impl Layout {
    pub fn item(&self, id: u32) -> Option<&LayoutItem> {
        self.items.iter().find(|i| i.id == id)
    }
    pub fn associations_of(&self, id: u32) -> &[Association] {
        self.associations.iter().find(|(i, _)| *i == id).map(|(_, a)| a.as_slice()).unwrap_or(&[])
    }
}

/// Why the strict view could not be made (plain words, for a refusal message).
pub type LayoutError = String;

/// Reads the structure strictly. Errors on anything unexpected: no `ftyp` first,
/// several `meta` boxes, duplicated or truncated tables, counts that disagree.
pub fn layout(bytes: &[u8]) -> Result<Layout, LayoutError> {
    let mut l = Layout::default();
    let mut at = 0usize;
    while at + 8 <= bytes.len() && l.top.len() < limits::MAX_BLOCKS {
        let Some(b) = read_box(bytes, at, bytes.len()) else { break };
        l.top.push((b.typ, b.whole.clone()));
        at = b.whole.end;
    }
    match l.top.first() {
        Some((t, r)) if &t[..] == b"ftyp" => l.ftyp = r.clone(),
        _ => return Err("the file does not start with an ftyp box".into()),
    }
    let metas: Vec<&Range<usize>> = l.top.iter().filter(|(t, _)| t == b"meta").map(|(_, r)| r).collect();
    let meta = match metas.as_slice() {
        [one] => (*one).clone(),
        [] => return Err("the file has no meta box".into()),
        _ => return Err("the file has more than one meta box".into()),
    };
    let meta_box = read_box(bytes, meta.start, bytes.len()).ok_or("the meta box is damaged")?;
    l.meta = meta;
    let (_, _, start) = full_box(bytes, &meta_box.body).ok_or("the meta box is damaged")?;
    let kids = strict_children(bytes, start..meta_box.body.end).ok_or("a box inside meta is damaged")?;
    let mut seen: Vec<[u8; 4]> = Vec::new();
    let mut primary = None;
    for b in &kids {
        l.meta_children.push((b.typ, b.whole.clone()));
        if seen.contains(&b.typ) {
            return Err(format!("the meta box has two {} boxes", String::from_utf8_lossy(&b.typ)));
        }
        seen.push(b.typ);
        match &b.typ {
            b"hdlr" => l.handler = strict_hdlr(bytes, b).ok_or("the hdlr box is damaged")?,
            b"pitm" => primary = Some(parse_pitm(bytes, b).ok_or("the pitm box is damaged")?),
            b"iinf" => l.items = strict_iinf(bytes, b).ok_or("the item list (iinf) is damaged")?,
            b"idat" => l.idat = Some(b.body.clone()),
            b"iref" => l.references = strict_iref(bytes, b).ok_or("the item references (iref) are damaged")?,
            b"iprp" => strict_iprp(bytes, b, &mut l).ok_or("the item properties (iprp) are damaged")?,
            _ => {}
        }
    }
    l.primary = primary.ok_or("the meta box has no primary item (pitm)")?;
    // iloc is read last: method 1 extents need idat.
    if let Some(b) = kids.iter().find(|b| &b.typ == b"iloc") {
        let locations = strict_iloc(bytes, b, l.idat.clone()).ok_or("the item locations (iloc) are damaged")?;
        for (id, loc) in locations {
            let item = l.items.iter_mut().find(|i| i.id == id).ok_or("iloc lists an item that iinf does not")?;
            if item.location.replace(loc).is_some() {
                return Err("iloc lists an item twice".into());
            }
        }
    }
    Ok(l)
}

/// Child boxes that must fill `range` exactly.
fn strict_children(bytes: &[u8], range: Range<usize>) -> Option<Vec<BoxHdr>> {
    let mut out = Vec::new();
    let mut at = range.start;
    while at < range.end {
        if out.len() >= MAX_TABLE {
            return None;
        }
        let b = read_box(bytes, at, range.end)?;
        at = b.whole.end;
        out.push(b);
    }
    Some(out)
}

fn strict_hdlr(bytes: &[u8], b: &BoxHdr) -> Option<[u8; 4]> {
    let (_, _, at) = full_box(bytes, &b.body)?;
    bytes.get(at + 4..at + 8).filter(|_| at + 8 <= b.body.end)?.try_into().ok()
}

fn strict_iinf(bytes: &[u8], b: &BoxHdr) -> Option<Vec<LayoutItem>> {
    let (v, _, at) = full_box(bytes, &b.body)?;
    let count_len = if v == 0 { 2 } else { 4 };
    let count = be(bytes, at, count_len)? as usize;
    let entries = strict_children(bytes, at + count_len..b.body.end)?;
    if entries.len() != count {
        return None;
    }
    let mut items: Vec<LayoutItem> = Vec::new();
    for e in &entries {
        if &e.typ != b"infe" {
            return None;
        }
        let (iv, flags, p) = full_box(bytes, &e.body)?;
        if !(2..=3).contains(&iv) {
            return None;
        }
        let id_len = if iv == 2 { 2 } else { 4 };
        let id = be(bytes, p, id_len)? as u32;
        let protection_index = be(bytes, p + id_len, 2)? as u16;
        let p = p + id_len + 2;
        let item_type: [u8; 4] = bytes.get(p..p + 4).filter(|_| p + 4 <= e.body.end)?.try_into().ok()?;
        let (_name, p) = c_string(bytes, p + 4, e.body.end);
        let content_type = if &item_type == b"mime" { c_string(bytes, p, e.body.end).0 } else { String::new() };
        if items.iter().any(|i| i.id == id) {
            return None;
        }
        items.push(LayoutItem { id, item_type, content_type, hidden: flags & 1 == 1, protection_index, location: None });
    }
    Some(items)
}

fn strict_iloc(bytes: &[u8], b: &BoxHdr, idat: Option<Range<usize>>) -> Option<Vec<(u32, ItemLocation)>> {
    let (v, _, mut p) = full_box(bytes, &b.body)?;
    if v > 2 {
        return None;
    }
    let (s1, s2) = (*bytes.get(p)?, *bytes.get(p + 1)?);
    let (offset_size, length_size) = ((s1 >> 4) as usize, (s1 & 15) as usize);
    let base_offset_size = (s2 >> 4) as usize;
    let index_size = if v >= 1 { (s2 & 15) as usize } else { 0 };
    if [offset_size, length_size, base_offset_size, index_size].iter().any(|s| ![0, 4, 8].contains(s)) {
        return None;
    }
    p += 2;
    let count_len = if v < 2 { 2 } else { 4 };
    let field = |p: &mut usize, n: usize| -> Option<u64> {
        if p.checked_add(n)? > b.body.end {
            return None;
        }
        let x = if n == 0 { 0 } else { be(bytes, *p, n)? };
        *p += n;
        Some(x)
    };
    let count = field(&mut p, count_len)? as usize;
    if count > MAX_TABLE {
        return None;
    }
    let mut out = Vec::new();
    for _ in 0..count {
        let id = field(&mut p, count_len)? as u32;
        let method = if v >= 1 { (field(&mut p, 2)? & 15) as u8 } else { 0 };
        let dref = field(&mut p, 2)? as u16;
        let base = field(&mut p, base_offset_size)?;
        let n_ext = field(&mut p, 2)? as usize;
        let space = match method {
            0 => Some(0..bytes.len()),
            1 => Some(idat.clone()?),
            _ => None,
        };
        let mut extents = Vec::new();
        for _ in 0..n_ext {
            let _index = field(&mut p, index_size)?;
            let (off, len) = (field(&mut p, offset_size)?, field(&mut p, length_size)?);
            if let Some(space) = &space {
                let start = space.start.checked_add(usize::try_from(base.checked_add(off)?).ok()?)?;
                let end = if len == 0 { space.end } else { start.checked_add(usize::try_from(len).ok()?)? };
                if start > end || end > space.end {
                    return None;
                }
                extents.push(start..end);
            }
        }
        out.push((id, ItemLocation { construction_method: method, data_reference_index: dref, extents }));
    }
    (p == b.body.end).then_some(out)
}

fn strict_iref(bytes: &[u8], b: &BoxHdr) -> Option<Vec<Reference>> {
    let (v, _, at) = full_box(bytes, &b.body)?;
    let id_len = if v == 0 { 2 } else { 4 };
    let mut out = Vec::new();
    for r in strict_children(bytes, at..b.body.end)? {
        let p = r.body.start;
        let from = be(bytes, p, id_len)? as u32;
        let n = be(bytes, p + id_len, 2)? as usize;
        if p + id_len + 2 + n * id_len != r.body.end {
            return None;
        }
        let to = (0..n).map(|i| be(bytes, p + id_len + 2 + i * id_len, id_len).map(|x| x as u32)).collect::<Option<_>>()?;
        out.push(Reference { typ: r.typ, from, to });
    }
    Some(out)
}

fn strict_iprp(bytes: &[u8], b: &BoxHdr, l: &mut Layout) -> Option<()> {
    let kids = strict_children(bytes, b.body.clone())?;
    let ipco: Vec<&BoxHdr> = kids.iter().filter(|c| &c.typ == b"ipco").collect();
    let ipma: Vec<&BoxHdr> = kids.iter().filter(|c| &c.typ == b"ipma").collect();
    let ([ipco], [ipma]) = (ipco.as_slice(), ipma.as_slice()) else { return None };
    l.properties = strict_children(bytes, ipco.body.clone())?
        .into_iter()
        .map(|p| Property { typ: p.typ, whole: p.whole, body: p.body })
        .collect();
    let (v, flags, mut p) = full_box(bytes, &ipma.body)?;
    let count = be(bytes, p, 4)? as usize;
    p += 4;
    if count > MAX_TABLE {
        return None;
    }
    let id_len = if v < 1 { 2 } else { 4 };
    let idx_len = if flags & 1 == 1 { 2 } else { 1 };
    for _ in 0..count {
        let item = be(bytes, p, id_len)? as u32;
        let n = *bytes.get(p + id_len)? as usize;
        p += id_len + 1;
        let mut list = Vec::with_capacity(n);
        for _ in 0..n {
            let x = be(bytes, p, idx_len)?;
            p += idx_len;
            let top = 1u64 << (idx_len * 8 - 1);
            list.push(Association { index: (x & (top - 1)) as u16, essential: x & top != 0 });
        }
        if l.associations.iter().any(|(i, _)| *i == item) {
            return None;
        }
        l.associations.push((item, list));
    }
    (p <= ipma.body.end).then_some(())
}

#[cfg(test)]
pub(crate) mod test_builder {
    //! A tiny ISO-BMFF box builder for tests.

    pub fn bx(typ: &[u8; 4], body: &[u8]) -> Vec<u8> {
        let mut v = ((body.len() + 8) as u32).to_be_bytes().to_vec();
        v.extend(typ);
        v.extend(body);
        v
    }
    pub fn full(typ: &[u8; 4], version: u8, flags: u32, body: &[u8]) -> Vec<u8> {
        let mut b = (((version as u32) << 24) | flags).to_be_bytes().to_vec();
        b.extend(body);
        bx(typ, &b)
    }
    pub fn infe(id: u16, typ: &[u8; 4], content_type: &str) -> Vec<u8> {
        let mut b = id.to_be_bytes().to_vec();
        b.extend([0, 0]);
        b.extend(typ);
        b.push(0); // empty name
        if typ == b"mime" {
            b.extend(content_type.as_bytes());
            b.push(0);
        }
        full(b"infe", 2, 0, &b)
    }
    pub fn cat(parts: &[Vec<u8>]) -> Vec<u8> {
        parts.concat()
    }
}

#[cfg(test)]
mod tests {
    use super::test_builder::*;
    use super::*;

    #[test]
    fn top_level_uuid_and_c2pa_boxes_hand_over_xmp_and_the_manifest_store() {
        let store = bx(b"jumb", b"store");
        let c2pa = |purpose: &str| [&C2PA_UUID[..], &[0; 4], purpose.as_bytes(), &[0], &[0; 8], &store].concat();
        let file = [
            bx(b"ftyp", b"heic\0\0\0\0mif1heic"),
            bx(b"uuid", &[&XMP_UUID[..], b"<x:xmpmeta/>"].concat()),
            bx(b"uuid", &c2pa("manifest")),
            bx(b"uuid", &c2pa("merkle")),                          // hash data: not a store
            bx(b"uuid", &[&[7u8; 16][..], b"other"].concat()),     // someone else's uuid
            bx(b"c2pa", &[&[0u8; 4][..], b"manifest\0", &[0; 8], &store].concat()),
            bx(b"uuid", &[&C2PA_UUID[..], &[0; 4], b"manifest\0", &[0; 3]].concat()), // cut short
        ]
        .concat();
        let c = walk(&file).unwrap();
        let got: Vec<(String, &[u8])> = c
            .blocks
            .iter()
            .map(|b| (match &b.kind { BlockKind::Other { label } => label.clone(), k => format!("{k:?}") }, &b.data[..]))
            .collect();
        let want: Vec<(String, &[u8])> =
            vec![("Xmp".into(), b"<x:xmpmeta/>"), ("C2PA".into(), &store), ("C2PA".into(), &store)];
        assert_eq!(got, want);
    }

    /// iloc v1: offset_size 4, length_size 4, base 0, index 0; (item, method, extents).
    fn iloc(entries: &[(u16, u8, Vec<(u32, u32)>)]) -> Vec<u8> {
        let mut b = vec![0x44, 0x00];
        b.extend((entries.len() as u16).to_be_bytes());
        for (id, method, ext) in entries {
            b.extend(id.to_be_bytes());
            b.extend((*method as u16).to_be_bytes());
            b.extend([0, 0]); // data_reference_index
            b.extend((ext.len() as u16).to_be_bytes());
            for (o, l) in ext {
                b.extend(o.to_be_bytes());
                b.extend(l.to_be_bytes());
            }
        }
        full(b"iloc", 1, 0, &b)
    }

    fn sample(exif_tiff: &[u8]) -> Vec<u8> {
        let ftyp = bx(b"ftyp", b"mif1\0\0\0\0mif1heic");
        let xmp = b"<x:xmpmeta/>".to_vec();
        let mut exif_payload = 6u32.to_be_bytes().to_vec();
        exif_payload.extend(b"Exif\0\0");
        exif_payload.extend(exif_tiff);
        let thumb = vec![0xAB; 40];
        let depth = vec![0xCD; 30];
        let iinf = full(
            b"iinf",
            0,
            0,
            &cat(&[
                5u16.to_be_bytes().to_vec(),
                infe(1, b"hvc1", ""),
                infe(2, b"Exif", ""),
                infe(3, b"mime", "application/rdf+xml"),
                infe(4, b"hvc1", ""),
                infe(5, b"hvc1", ""),
            ]),
        );
        let iref = full(
            b"iref",
            0,
            0,
            &cat(&[
                bx(b"thmb", &[0, 4, 0, 1, 0, 1]),
                bx(b"auxl", &[0, 5, 0, 1, 0, 1]),
                bx(b"cdsc", &[0, 2, 0, 1, 0, 1]),
            ]),
        );
        let mut ispe = 4032u32.to_be_bytes().to_vec();
        ispe.extend(3024u32.to_be_bytes());
        let mut colr = b"prof".to_vec();
        colr.extend(b"ICCDATA");
        let ipco = bx(
            b"ipco",
            &cat(&[
                full(b"ispe", 0, 0, &ispe),
                bx(b"irot", &[1]),
                bx(b"colr", &colr),
                full(b"auxC", 0, 0, b"urn:com:apple:photo:2020:aux:hdrgainmap\0"),
            ]),
        );
        let ipma = full(b"ipma", 0, 0, &[0, 0, 0, 2, 0, 1, 3, 0x81, 2, 3, 0, 5, 1, 4]);
        let iprp = bx(b"iprp", &cat(&[ipco, ipma]));
        let idat = bx(b"idat", &xmp);
        let pitm = full(b"pitm", 0, 0, &[0, 1]);
        // Meta size does not depend on offsets (fixed-width fields), so lay out twice.
        let layout = |mdat_at: u32, exif_at: u32| {
            let loc = iloc(&[
                (1, 0, vec![(mdat_at, 4)]),
                (2, 0, vec![(exif_at, 10), (exif_at + 10, exif_payload.len() as u32 - 10)]),
                (3, 1, vec![(0, xmp.len() as u32)]),
                (4, 0, vec![(mdat_at + 4, thumb.len() as u32)]),
                (5, 0, vec![(mdat_at + 4 + thumb.len() as u32, depth.len() as u32)]),
            ]);
            let meta = full(
                b"meta",
                0,
                0,
                &cat(&[full(b"hdlr", 0, 0, &[0; 21]), pitm.clone(), iinf.clone(), loc, iref.clone(), iprp.clone(), idat.clone()]),
            );
            let mdat = bx(b"mdat", &cat(&[vec![1, 2, 3, 4], thumb.clone(), depth.clone()]));
            (meta, mdat)
        };
        let (meta, mdat) = layout(0, 0);
        let mdat_at = (ftyp.len() + meta.len() + 8) as u32;
        let exif_at = (ftyp.len() + meta.len() + mdat.len()) as u32 + 8;
        let (meta, mdat) = layout(mdat_at, exif_at);
        // EXIF item at the end of the file, in its own box (like some iPhones).
        cat(&[ftyp, meta, mdat, bx(b"free", &exif_payload), b"junk".to_vec()])
    }

    #[test]
    fn sniffs_brands() {
        assert_eq!(sniff_brand(&bx(b"ftyp", b"avif\0\0\0\0mif1")), Format::Avif);
        assert_eq!(sniff_brand(&bx(b"ftyp", b"heic\0\0\0\0mif1")), Format::Heic);
        assert_eq!(sniff_brand(&bx(b"ftyp", b"mif1\0\0\0\0mif1heic")), Format::Heic);
        assert_eq!(sniff_brand(&bx(b"ftyp", b"mif1\0\0\0\0mif1")), Format::Heif);
    }

    #[test]
    fn walks_items_properties_and_trailer() {
        let tiff = b"MM\0*\0\0\0\x08\0\0\0\0\0\0";
        let file = sample(tiff);
        let c = walk(&file).unwrap();
        assert_eq!(c.format, Format::Heic);
        assert_eq!((c.width, c.height, c.rotation), (Some(4032), Some(3024), Some(270)));
        let kinds: Vec<&BlockKind> = c.blocks.iter().map(|b| &b.kind).collect();
        let exif = c.blocks.iter().find(|b| b.kind == BlockKind::Exif).expect("exif");
        assert_eq!(&exif.data[..], tiff, "exif data starts at the TIFF header, joined from 2 extents");
        let xmp = c.blocks.iter().find(|b| b.kind == BlockKind::Xmp).expect("xmp");
        assert_eq!(&xmp.data[..], b"<x:xmpmeta/>");
        let thumb = c.blocks.iter().find(|b| b.kind == BlockKind::Thumbnail).expect("thumb");
        assert_eq!(thumb.data.len(), 40);
        let aux = c.blocks.iter().find(|b| matches!(b.kind, BlockKind::EmbeddedMedia { .. })).expect("aux");
        assert_eq!(aux.kind, BlockKind::EmbeddedMedia { what: "an HDR gain map".into() });
        assert_eq!(aux.data.len(), 30);
        let icc = c.blocks.iter().find(|b| b.kind == BlockKind::Icc).expect("icc");
        assert_eq!(&icc.data[..], b"ICCDATA");
        let trailer = c.blocks.iter().find(|b| b.kind == BlockKind::Trailer).unwrap_or_else(|| panic!("trailer missing: {kinds:?}"));
        assert_eq!(&trailer.data[..], b"junk");
    }

    #[test]
    fn truncated_and_garbled_never_panic() {
        let file = sample(b"II*\0\x08\0\0\0\0\0");
        for n in 0..file.len() {
            let _ = walk(&file[..n]);
        }
        let mut f = file.clone();
        for i in (0..f.len()).step_by(7) {
            f[i] ^= 0xFF;
            let _ = walk(&f);
        }
    }
}
