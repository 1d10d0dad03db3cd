//! HEIC / HEIF / AVIF: rebuilds the file around the picture, from the strict
//! structure view in `container::bmff::layout`.
//!
//! It owns deciding which items stay and writing the new boxes. Only what is
//! needed to show the picture is kept: the primary item, the items it is built
//! from (`dimg`: grid tiles, derived images) and a transparency mask (alpha
//! `auxl`). Everything else goes: EXIF and XMP items, thumbnails, depth maps,
//! HDR gain maps, unknown items, and every top-level box except `ftyp` (so
//! `mpvd`/`moov` videos, Samsung `sefd`, `free` and trailers too).
//!
//! The new file is `ftyp` (copied), a new `meta` (hdlr, dinf, pitm, iloc, iinf,
//! iref, iprp, idat) and one new `mdat` holding the kept items' bytes, copied
//! byte for byte. Properties (hvcC/av1C, ispe, colr, irot/imir, …) are copied
//! byte for byte too; only the ones kept items use, from a known list.
//!
//! It refuses, with a plain message, anything it does not fully understand
//! (several meta boxes, items built from other items' bytes, protected items,
//! unknown essential properties…): a broken file must never be offered.

use super::{CleanError, CleanOptions};
use crate::container::bmff::{self, Association, Layout, LayoutItem};
use crate::container::limits;
use std::collections::HashSet;

/// Properties that only say how to decode and show the picture.
const DISPLAY_PROPERTIES: &[&[u8; 4]] = &[
    b"hvcC", b"av1C", b"vvcC", b"jpgC", b"ispe", b"pixi", b"colr", b"irot", b"imir", b"clap",
    b"pasp", b"auxC", b"rloc", b"lsel", b"a1op", b"a1lx", b"clli", b"mdcv", b"cclv", b"amve",
];
/// Item types that hold pictures (never metadata).
const PICTURE_ITEMS: &[&[u8; 4]] = &[
    b"hvc1", b"av01", b"vvc1", b"jpeg", b"grid", b"iden", b"iovl", b"unci",
];
/// Meta children that are rebuilt or safely left out.
const KNOWN_META_CHILDREN: &[&[u8; 4]] = &[
    b"hdlr", b"dinf", b"pitm", b"iloc", b"iinf", b"iref", b"iprp", b"idat", b"uuid", b"free",
    b"skip", b"grpl",
];
/// Brands that promise an image sequence (a `moov` track) we would drop.
const SEQUENCE_BRANDS: &[&[u8; 4]] = &[b"avis", b"msf1", b"hevs"];
const ALPHA_URNS: &[&str] = &[
    "urn:mpeg:mpegB:cicp:systems:auxiliary:alpha",
    "urn:mpeg:hevc:2015:auxid:1",
];

fn refuse(why: &str) -> CleanError {
    CleanError::Unsupported(format!(
        "ThinkTwice cannot make a safer copy of this file: {why}. You can open it in a photo app and save or \
         share a copy as JPEG, then check that copy here."
    ))
}

/// Makes the safer copy. `exif` is a minimal EXIF (TIFF header first) to add as
/// a new item, when the person chose to keep something.
pub(super) fn rebuild(
    bytes: &[u8],
    exif: Option<&[u8]>,
    options: &CleanOptions,
) -> Result<Vec<u8>, CleanError> {
    let layout = bmff::layout(bytes).map_err(|e| refuse(&e))?;
    check_supported(bytes, &layout)?;
    let kept = kept_items(bytes, &layout)?;
    let properties = PropertyPlan::new(bytes, &layout, &kept, options)?;
    let mut plan = Plan::new(bytes, &layout, &kept)?;
    if let Some(tiff) = exif {
        plan.add_exif(tiff, &layout)?;
    }
    let ftyp = bytes
        .get(layout.ftyp.clone())
        .ok_or_else(|| refuse("the ftyp box is damaged"))?;
    // Offsets in iloc depend on where mdat starts, which depends on meta's size:
    // meta uses fixed-width fields, so its size does not change between passes.
    let draft = plan.meta(bytes, &layout, &properties, 0)?;
    let mdat_data_start = ftyp.len() + draft.len() + 8;
    let meta = plan.meta(bytes, &layout, &properties, mdat_data_start)?;
    if meta.len() != draft.len() {
        return Err(refuse("the new item table changed size"));
    }
    let mut out = Vec::with_capacity(mdat_data_start + plan.mdat.len());
    out.extend_from_slice(ftyp);
    out.extend_from_slice(&meta);
    out.extend_from_slice(&box_header(b"mdat", plan.mdat.len())?);
    out.extend_from_slice(&plan.mdat);
    Ok(out)
}

fn check_supported(bytes: &[u8], layout: &Layout) -> Result<(), CleanError> {
    let major = bytes
        .get(layout.ftyp.start + 8..layout.ftyp.start + 12)
        .unwrap_or(&[]);
    if SEQUENCE_BRANDS.iter().any(|b| &b[..] == major) {
        return Err(refuse("it is an animation or image sequence"));
    }
    if layout.handler != *b"pict" {
        return Err(refuse("its main item table is not for pictures"));
    }
    if let Some((t, _)) = layout
        .meta_children
        .iter()
        .find(|(t, _)| !KNOWN_META_CHILDREN.contains(&t))
    {
        return Err(refuse(&format!(
            "it has a part ThinkTwice does not know ({})",
            String::from_utf8_lossy(t)
        )));
    }
    Ok(())
}

/// The primary item, what it is built from (`dimg`), and its transparency mask.
fn kept_items(bytes: &[u8], layout: &Layout) -> Result<HashSet<u32>, CleanError> {
    let mut kept: HashSet<u32> = HashSet::from([layout.primary]);
    loop {
        let before = kept.len();
        for r in &layout.references {
            if &r.typ == b"dimg" && kept.contains(&r.from) {
                kept.extend(r.to.iter().copied());
            }
            if &r.typ == b"auxl"
                && r.to.iter().any(|t| kept.contains(t))
                && is_alpha(bytes, layout, r.from)
            {
                kept.insert(r.from);
            }
        }
        if kept.len() == before {
            break;
        }
    }
    for id in &kept {
        let item = layout
            .item(*id)
            .ok_or_else(|| refuse("the picture uses an item that is not listed"))?;
        check_item(item)?;
    }
    Ok(kept)
}

fn check_item(item: &LayoutItem) -> Result<(), CleanError> {
    if !PICTURE_ITEMS.contains(&&item.item_type) {
        return Err(refuse(&format!(
            "its picture is of a kind ThinkTwice does not know ({})",
            fourcc(&item.item_type)
        )));
    }
    if item.protection_index != 0 {
        return Err(refuse("its picture is protected"));
    }
    match &item.location {
        Some(loc) if loc.data_reference_index != 0 => {
            Err(refuse("its picture is stored in another file"))
        }
        Some(loc) if loc.construction_method > 1 => {
            Err(refuse("its picture is built from other items' bytes"))
        }
        None if item.item_type != *b"iden" => Err(refuse("a part of its picture has no data")),
        _ => Ok(()),
    }
}

fn is_alpha(bytes: &[u8], layout: &Layout, item: u32) -> bool {
    layout.associations_of(item).iter().any(|a| {
        let Some(p) = (a.index as usize)
            .checked_sub(1)
            .and_then(|i| layout.properties.get(i))
        else {
            return false;
        };
        // auxC: version/flags (4 bytes), then a NUL-terminated URN.
        let urn = bytes
            .get(p.body.start.saturating_add(4)..p.body.end)
            .unwrap_or(&[]);
        let urn = &urn[..urn.iter().position(|c| *c == 0).unwrap_or(urn.len())];
        &p.typ == b"auxC" && ALPHA_URNS.iter().any(|u| u.as_bytes() == urn)
    })
}

fn fourcc(t: &[u8; 4]) -> String {
    String::from_utf8_lossy(t).into_owned()
}

/// Which properties stay, and their new 1-based indices.
struct PropertyPlan {
    /// Original 1-based indices, in original order.
    used: Vec<u16>,
    /// Properties written again instead of copied (a `colr` profile made neutral), by original index.
    rebuilt: Vec<(u16, Vec<u8>)>,
}

impl PropertyPlan {
    fn new(
        bytes: &[u8],
        layout: &Layout,
        kept: &HashSet<u32>,
        options: &CleanOptions,
    ) -> Result<Self, CleanError> {
        let mut used = Vec::new();
        for (item, assoc) in &layout.associations {
            if !kept.contains(item) {
                continue;
            }
            for a in assoc {
                match keep_property(bytes, layout, a, options) {
                    Some(true) if !used.contains(&a.index) => used.push(a.index),
                    Some(_) => {}
                    None => {
                        return Err(refuse(
                            "its picture needs a property ThinkTwice does not know",
                        ))
                    }
                }
            }
        }
        crate::sort::by_key(&mut used, |&i| u64::from(i));
        let mut rebuilt = Vec::new();
        for &index in &used {
            let p = layout.properties.get(index as usize - 1).ok_or_else(|| refuse("a property is missing"))?;
            if let Some(Some(colr)) = neutral_colr(bytes, p, options) {
                rebuilt.push((index, colr));
            }
        }
        Ok(PropertyPlan { used, rebuilt })
    }

    fn new_index(&self, original: u16) -> Option<u16> {
        self.used
            .iter()
            .position(|i| *i == original)
            .and_then(|p| u16::try_from(p + 1).ok())
    }
}

/// Some(true): keep; Some(false): leave out; None: cannot leave out (unknown essential property).
fn keep_property(
    bytes: &[u8],
    layout: &Layout,
    a: &Association,
    options: &CleanOptions,
) -> Option<bool> {
    if a.index == 0 {
        return Some(false); // index 0 means "no property"
    }
    let p = layout.properties.get(a.index as usize - 1)?;
    if !DISPLAY_PROPERTIES.contains(&&p.typ) {
        return if a.essential { None } else { Some(false) };
    }
    // colr is either an ICC profile ("prof"/"rICC") or four numbers ("nclx").
    let icc = neutral_colr(bytes, p, options);
    let turn = &p.typ == b"irot" || &p.typ == b"imir";
    Some(icc.as_ref().is_none_or(|kept| kept.is_some()) && (!turn || options.keep_orientation))
}

/// For a `colr` box holding an ICC profile: Some(the box rebuilt around the
/// neutral profile, or None to leave it out). None for any other property.
fn neutral_colr(bytes: &[u8], p: &crate::container::bmff::Property, options: &CleanOptions) -> Option<Option<Vec<u8>>> {
    let colour_type = bytes.get(p.body.start..p.body.start.saturating_add(4));
    if &p.typ != b"colr" || !matches!(colour_type, Some(b"prof") | Some(b"rICC")) {
        return None;
    }
    let original = bytes.get(p.body.start + 4..p.body.end).unwrap_or(&[]);
    Some(super::profile::profile_for_copy(original, options.keep_colour_profile).and_then(|profile| {
        let mut colr = box_header(b"colr", 4 + profile.len()).ok()?;
        colr.extend_from_slice(b"prof");
        colr.extend(profile);
        Some(colr)
    }))
}

/// The new item table and data.
struct Plan {
    items: Vec<NewItem>,
    mdat: Vec<u8>,
    idat: Vec<u8>,
}

struct NewItem {
    id: u32,
    item_type: [u8; 4],
    hidden: bool,
    /// (method, offset within the new mdat or idat, length) per extent.
    extents: Vec<(u8, usize, usize)>,
    has_location: bool,
    /// A reference added for this item (the new EXIF item describes the primary).
    describes: Option<u32>,
}

impl Plan {
    fn new(bytes: &[u8], layout: &Layout, kept: &HashSet<u32>) -> Result<Self, CleanError> {
        let mut plan = Plan {
            items: Vec::new(),
            mdat: Vec::new(),
            idat: Vec::new(),
        };
        for item in layout.items.iter().filter(|i| kept.contains(&i.id)) {
            let mut extents = Vec::new();
            for r in item.location.iter().flat_map(|l| l.extents.iter()) {
                let method = item.location.as_ref().map_or(0, |l| l.construction_method);
                let data = bytes
                    .get(r.clone())
                    .ok_or_else(|| refuse("a part of the picture is outside the file"))?;
                let target = if method == 1 {
                    &mut plan.idat
                } else {
                    &mut plan.mdat
                };
                if target.len() + data.len() > limits::MAX_FILE_BYTES {
                    return Err(refuse("it is too big"));
                }
                extents.push((method, target.len(), data.len()));
                target.extend_from_slice(data);
            }
            plan.items.push(NewItem {
                id: item.id,
                item_type: item.item_type,
                hidden: item.hidden,
                extents,
                has_location: item.location.is_some(),
                describes: None,
            });
        }
        Ok(plan)
    }

    /// Adds the minimal EXIF as a new hidden item describing the primary item.
    fn add_exif(&mut self, tiff: &[u8], layout: &Layout) -> Result<(), CleanError> {
        // A fresh id after every original one: reusing a removed item's id would
        // bring back the references that pointed at it.
        let last = layout.items.iter().map(|i| i.id).max().unwrap_or(0);
        let id = last
            .checked_add(1)
            .ok_or_else(|| refuse("too many items"))?;
        // HEIF EXIF items start with the offset to the TIFF header, after "Exif\0\0".
        let mut data = 6u32.to_be_bytes().to_vec();
        data.extend_from_slice(b"Exif\0\0");
        data.extend_from_slice(tiff);
        let ext = (0, self.mdat.len(), data.len());
        self.mdat.extend_from_slice(&data);
        self.items.push(NewItem {
            id,
            item_type: *b"Exif",
            hidden: true,
            extents: vec![ext],
            has_location: true,
            describes: Some(layout.primary),
        });
        Ok(())
    }

    fn wide_ids(&self) -> bool {
        self.items.iter().any(|i| i.id > 0xFFFF)
    }

    /// The new meta box; `mdat_data_start` is where the new mdat's data begins.
    fn meta(
        &self,
        bytes: &[u8],
        layout: &Layout,
        properties: &PropertyPlan,
        mdat_data_start: usize,
    ) -> Result<Vec<u8>, CleanError> {
        let mut body = Vec::new();
        body.extend(full_box(
            b"hdlr",
            0,
            0,
            &[&[0; 4][..], b"pict", &[0; 12], &[0]].concat(),
        )?);
        body.extend(dinf()?);
        let wide = self.wide_ids();
        let primary = if wide {
            layout.primary.to_be_bytes().to_vec()
        } else {
            (layout.primary as u16).to_be_bytes().to_vec()
        };
        body.extend(full_box(b"pitm", u8::from(wide), 0, &primary)?);
        body.extend(self.iloc(mdat_data_start)?);
        body.extend(self.iinf()?);
        body.extend(self.iref(layout)?);
        body.extend(self.iprp(bytes, layout, properties)?);
        if !self.idat.is_empty() {
            body.extend(box_header(b"idat", self.idat.len())?);
            body.extend_from_slice(&self.idat);
        }
        full_box(b"meta", 0, 0, &body)
    }

    fn iloc(&self, mdat_data_start: usize) -> Result<Vec<u8>, CleanError> {
        let wide = self.wide_ids();
        let version = if wide { 2 } else { 1 };
        let mut b = vec![0x44, 0x00]; // offset_size 4, length_size 4, base_offset_size 0, index_size 0
        let located: Vec<&NewItem> = self.items.iter().filter(|i| i.has_location).collect();
        push_id(&mut b, located.len() as u32, wide);
        for item in located {
            push_id(&mut b, item.id, wide);
            let method = item.extents.first().map_or(0, |e| e.0);
            b.extend((method as u16).to_be_bytes());
            b.extend([0, 0]); // data_reference_index: this file
            b.extend(
                u16::try_from(item.extents.len())
                    .map_err(|_| refuse("an item has too many parts"))?
                    .to_be_bytes(),
            );
            for (method, offset, len) in &item.extents {
                let offset = if *method == 0 {
                    mdat_data_start + offset
                } else {
                    *offset
                };
                b.extend(
                    u32::try_from(offset)
                        .map_err(|_| refuse("it is too big"))?
                        .to_be_bytes(),
                );
                b.extend(
                    u32::try_from(*len)
                        .map_err(|_| refuse("it is too big"))?
                        .to_be_bytes(),
                );
            }
        }
        full_box(b"iloc", version, 0, &b)
    }

    fn iinf(&self) -> Result<Vec<u8>, CleanError> {
        let wide = self.wide_ids();
        let mut b = Vec::new();
        push_id(&mut b, self.items.len() as u32, wide);
        for item in &self.items {
            // A fresh entry: no item name (names can say anything), no protection.
            let mut e = Vec::new();
            push_id(&mut e, item.id, wide);
            e.extend([0, 0]);
            e.extend(item.item_type);
            e.push(0);
            b.extend(full_box(
                b"infe",
                if wide { 3 } else { 2 },
                u32::from(item.hidden),
                &e,
            )?);
        }
        full_box(b"iinf", u8::from(wide), 0, &b)
    }

    /// References between kept items only; plus `cdsc` for a new EXIF item.
    fn iref(&self, layout: &Layout) -> Result<Vec<u8>, CleanError> {
        // Original references only between kept original items (new items have none).
        let ids: HashSet<u32> = self
            .items
            .iter()
            .filter(|i| i.describes.is_none())
            .map(|i| i.id)
            .collect();
        let mut refs: Vec<([u8; 4], u32, Vec<u32>)> = Vec::new();
        for r in layout.references.iter().filter(|r| ids.contains(&r.from)) {
            let to: Vec<u32> = r.to.iter().copied().filter(|t| ids.contains(t)).collect();
            if &r.typ == b"dimg" && to.len() != r.to.len() {
                return Err(refuse("its picture is built from parts that are missing"));
            }
            if !to.is_empty() {
                refs.push((r.typ, r.from, to));
            }
        }
        for item in &self.items {
            if let Some(target) = item.describes {
                refs.push((*b"cdsc", item.id, vec![target]));
            }
        }
        if refs.is_empty() {
            return Ok(Vec::new());
        }
        let wide = self.wide_ids();
        let mut b = Vec::new();
        for (typ, from, to) in refs {
            let mut e = Vec::new();
            push_id(&mut e, from, wide);
            e.extend(
                u16::try_from(to.len())
                    .map_err(|_| refuse("too many references"))?
                    .to_be_bytes(),
            );
            to.iter().for_each(|t| push_id(&mut e, *t, wide));
            b.extend(box_header(&typ, e.len())?);
            b.extend(e);
        }
        full_box(b"iref", u8::from(wide), 0, &b)
    }

    fn iprp(
        &self,
        bytes: &[u8],
        layout: &Layout,
        plan: &PropertyPlan,
    ) -> Result<Vec<u8>, CleanError> {
        let mut ipco = Vec::new();
        for index in &plan.used {
            let p = layout
                .properties
                .get(*index as usize - 1)
                .ok_or_else(|| refuse("a property is missing"))?;
            match plan.rebuilt.iter().find(|(i, _)| i == index) {
                Some((_, colr)) => ipco.extend_from_slice(colr),
                None => ipco.extend_from_slice(
                    bytes
                        .get(p.whole.clone())
                        .ok_or_else(|| refuse("a property is damaged"))?,
                ),
            }
        }
        let wide_index = plan.used.len() > 127;
        let wide = self.wide_ids();
        let mut b = Vec::new();
        let mut entries = 0u32;
        for item in &self.items {
            let assoc: Vec<(u16, bool)> = layout
                .associations_of(item.id)
                .iter()
                .filter_map(|a| plan.new_index(a.index).map(|n| (n, a.essential)))
                .collect();
            if assoc.is_empty() {
                continue;
            }
            entries += 1;
            push_id(&mut b, item.id, wide);
            b.push(
                u8::try_from(assoc.len()).map_err(|_| refuse("an item has too many properties"))?,
            );
            for (n, essential) in assoc {
                if wide_index {
                    b.extend((n | if essential { 0x8000 } else { 0 }).to_be_bytes());
                } else {
                    b.push(n as u8 | if essential { 0x80 } else { 0 });
                }
            }
        }
        let mut ipma = entries.to_be_bytes().to_vec();
        ipma.extend(b);
        let ipma = full_box(b"ipma", u8::from(wide), u32::from(wide_index), &ipma)?;
        let mut body = box_header(b"ipco", ipco.len())?;
        body.extend(ipco);
        body.extend(ipma);
        let mut out = box_header(b"iprp", body.len())?;
        out.extend(body);
        Ok(out)
    }
}

fn push_id(b: &mut Vec<u8>, id: u32, wide: bool) {
    if wide {
        b.extend(id.to_be_bytes());
    } else {
        b.extend((id as u16).to_be_bytes());
    }
}

/// A data-information box saying "the data is in this file".
fn dinf() -> Result<Vec<u8>, CleanError> {
    let url = full_box(b"url ", 0, 1, &[])?;
    let dref = full_box(b"dref", 0, 0, &[&1u32.to_be_bytes()[..], &url].concat())?;
    let mut out = box_header(b"dinf", dref.len())?;
    out.extend(dref);
    Ok(out)
}

fn box_header(typ: &[u8; 4], body_len: usize) -> Result<Vec<u8>, CleanError> {
    let size = u32::try_from(body_len + 8).map_err(|_| refuse("it is too big"))?;
    let mut v = size.to_be_bytes().to_vec();
    v.extend(typ);
    Ok(v)
}

fn full_box(typ: &[u8; 4], version: u8, flags: u32, body: &[u8]) -> Result<Vec<u8>, CleanError> {
    let mut v = box_header(typ, body.len() + 4)?;
    v.extend((((version as u32) << 24) | (flags & 0xFF_FFFF)).to_be_bytes());
    v.extend_from_slice(body);
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::container::bmff::test_builder::*;

    /// Primary (1), its alpha mask (2), a depth map (3); all data in mdat.
    fn with_alpha_and_depth() -> Vec<u8> {
        let ftyp = bx(b"ftyp", b"avif\0\0\0\0avifmif1");
        let iinf = full(
            b"iinf",
            0,
            0,
            &cat(&[
                3u16.to_be_bytes().to_vec(),
                infe(1, b"av01", ""),
                infe(2, b"av01", ""),
                infe(3, b"av01", ""),
            ]),
        );
        let iref = full(
            b"iref",
            0,
            0,
            &cat(&[
                bx(b"auxl", &[0, 2, 0, 1, 0, 1]),
                bx(b"auxl", &[0, 3, 0, 1, 0, 1]),
            ]),
        );
        let ipco = bx(
            b"ipco",
            &cat(&[
                bx(b"av1C", &[0x81, 0, 0, 0]),
                full(
                    b"auxC",
                    0,
                    0,
                    b"urn:mpeg:mpegB:cicp:systems:auxiliary:alpha\0",
                ),
                full(b"auxC", 0, 0, b"urn:com:apple:photo:2020:aux:depth\0"),
            ]),
        );
        let ipma = full(
            b"ipma",
            0,
            0,
            &[
                0, 0, 0, 3, 0, 1, 1, 0x81, 0, 2, 2, 0x81, 0x82, 0, 3, 2, 0x81, 0x83,
            ],
        );
        let meta_for = |at: u32| {
            let mut iloc = vec![0x44, 0x00, 0, 3];
            for (id, off, len) in [(1u16, at, 10u32), (2, at + 10, 6), (3, at + 16, 8)] {
                iloc.extend(id.to_be_bytes());
                iloc.extend([0, 0, 0, 0, 0, 1]);
                iloc.extend(off.to_be_bytes());
                iloc.extend(len.to_be_bytes());
            }
            let mut hdlr = vec![0; 4];
            hdlr.extend(b"pict");
            hdlr.extend([0; 13]);
            full(
                b"meta",
                0,
                0,
                &cat(&[
                    full(b"hdlr", 0, 0, &hdlr),
                    full(b"pitm", 0, 0, &[0, 1]),
                    iinf.clone(),
                    full(b"iloc", 1, 0, &iloc),
                    iref.clone(),
                    bx(b"iprp", &cat(&[ipco.clone(), ipma.clone()])),
                ]),
            )
        };
        let at = (ftyp.len() + meta_for(0).len() + 8) as u32;
        let mdat = bx(b"mdat", &cat(&[vec![1; 10], vec![2; 6], vec![3; 8]]));
        cat(&[ftyp, meta_for(at), mdat])
    }

    #[test]
    fn keeps_the_alpha_mask_and_drops_the_depth_map() {
        let file = with_alpha_and_depth();
        let out = rebuild(&file, None, &CleanOptions::default()).expect("rebuilt");
        let l = bmff::layout(&out).expect("well formed");
        assert_eq!(l.items.iter().map(|i| i.id).collect::<Vec<_>>(), vec![1, 2]);
        let data = |id: u32| -> Vec<u8> {
            l.item(id)
                .unwrap()
                .location
                .as_ref()
                .unwrap()
                .extents
                .iter()
                .flat_map(|r| out[r.clone()].to_vec())
                .collect()
        };
        assert_eq!((data(1), data(2)), (vec![1; 10], vec![2; 6]));
        assert_eq!(l.references.len(), 1);
        assert_eq!(
            (l.references[0].from, l.references[0].to.clone()),
            (2, vec![1])
        );
        assert_eq!(l.properties.len(), 2, "av1C and the alpha auxC only");
        assert!(!out.windows(5).any(|w| w == b"depth"));
    }

    #[test]
    fn truncated_input_is_refused_never_panics() {
        let file = with_alpha_and_depth();
        for n in 0..file.len() {
            let _ = rebuild(&file[..n], None, &CleanOptions::default());
        }
    }
}
