//! EXIF reader: a TIFF-structured EXIF block (data starts at the TIFF header) →
//! named fields (ExifTool -G1 groups and tag names), GPS positions or
//! placeholders, orientation, the IFD1 thumbnail and the maker-note vendor.
//! Also reads the JPEG MPF index (extra images stored after the main one).
//!
//! The IFD walking is kamadak-exif's (IFD0, ExifIFD, GPS, InteropIFD, IFD1…);
//! this module only names and formats values. Maker notes are in `makernote`.
//! It never decides what is risky.

use super::{makernote, Embedded, Field, GeoPoint, Metadata};
use crate::container::tiff::Tiff;
use crate::container::Container;
use exif::{Context, In, Tag, Value};
use std::ops::Range;

const TAG_MAKER_NOTE: u16 = 0x927C;
const TAG_USER_COMMENT: u16 = 0x9286;
const TAG_ORIENTATION: u16 = 0x0112;
const TAG_THUMB_OFFSET: u16 = 0x0201;
const TAG_THUMB_LENGTH: u16 = 0x0202;

/// Tags whose value is a blob read elsewhere (or pixels) rather than a field.
const BLOB_TAGS: &[u16] = &[
    700,            // XMP packet (read as an Xmp block)
    33723,          // IPTC-IIM
    34377,          // Photoshop image resources
    34675,          // ICC profile
    TAG_MAKER_NOTE, // decoded in `makernote`
    0x0111, 0x0117, 0x0144, 0x0145, // strip/tile offsets and sizes (pixels)
    0x014A,         // SubIFD pointers
    0xC634,         // DNGPrivateData
];

/// ExifTool names for IFD0/ExifIFD/IFD1 tags that kamadak names differently or not at all.
fn exiftool_tiff_name(n: u16) -> Option<&'static str> {
    Some(match n {
        0x000B => "ProcessingSoftware",
        0x00FE => "SubfileType",
        0x0101 => "ImageHeight",
        0x010D => "DocumentName",
        0x0118 => "MinSampleValue",
        0x0119 => "MaxSampleValue",
        0x0129 => "PageNumber",
        0x0132 => "ModifyDate",
        0x013C => "HostComputer",
        0x0142 => "TileWidth",
        0x0143 => "TileLength",
        0x0152 => "ExtraSamples",
        0x0153 => "SampleFormat",
        0x0201 => "ThumbnailOffset",
        0x0202 => "ThumbnailLength",
        0x4746 => "Rating",
        0x4749 => "RatingPercent",
        0x8827 => "ISO",
        0x9004 => "CreateDate",
        0x9204 => "ExposureCompensation",
        0x9211 => "ImageNumber",
        0x9C9B => "XPTitle",
        0x9C9C => "XPComment",
        0x9C9D => "XPAuthor",
        0x9C9E => "XPKeywords",
        0x9C9F => "XPSubject",
        0xA002 => "ExifImageWidth",
        0xA003 => "ExifImageHeight",
        0xA405 => "FocalLengthIn35mmFormat",
        0xA430 => "OwnerName",
        0xA431 => "SerialNumber",
        0xA432 => "LensInfo",
        0xA433 => "LensMake",
        0xA434 => "LensModel",
        0xA435 => "LensSerialNumber",
        0xC612 => "DNGVersion",
        0xC613 => "DNGBackwardVersion",
        0xC614 => "UniqueCameraModel",
        0xC62F => "CameraSerialNumber",
        0xC68B => "OriginalRawFileName",
        0xEA1C => "Padding",
        0xEA1D => "OffsetSchema",
        _ => return None,
    })
}

fn exiftool_interop_name(n: u16) -> Option<&'static str> {
    Some(match n {
        0x0001 => "InteropIndex",
        0x0002 => "InteropVersion",
        0x1000 => "RelatedImageFileFormat",
        0x1001 => "RelatedImageWidth",
        0x1002 => "RelatedImageHeight",
        _ => return None,
    })
}

/// The ExifTool tag name of a kamadak field.
fn tag_name(tag: Tag) -> String {
    let n = tag.number();
    let special = match tag.context() {
        Context::Gps => None,
        Context::Interop => exiftool_interop_name(n),
        _ => exiftool_tiff_name(n),
    };
    if let Some(s) = special {
        return s.to_string();
    }
    // kamadak knows some tags only in one context (e.g. Exif tags found in IFD0).
    for ctx in [tag.context(), Context::Exif, Context::Tiff] {
        if let Some(name) = super::exif_names::name(ctx, n) {
            return name.to_string();
        }
    }
    format!("Exif_0x{n:04x}")
}

/// The ExifTool -G1 group of a field.
fn group_name(tag: Tag, ifd: In) -> String {
    match tag.context() {
        Context::Exif => "ExifIFD".into(),
        Context::Gps => "GPS".into(),
        Context::Interop => "InteropIFD".into(),
        _ => format!("IFD{}", ifd.index()),
    }
}

/// Formats a number the way ExifTool -n does (no trailing zeros).
pub(crate) fn num(x: f64) -> String {
    if !x.is_finite() {
        return String::new();
    }
    if x.fract() == 0.0 && x.abs() < 1e15 {
        return format!("{}", x as i64);
    }
    let s = crate::decimal::fixed(x, 10);
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn join<T>(v: &[T], f: impl Fn(&T) -> String) -> String {
    if v.len() > 64 {
        return format!("({} values)", v.len());
    }
    v.iter().map(f).collect::<Vec<_>>().join(" ")
}

fn printable_text(b: &[u8]) -> Option<String> {
    let b = b.split(|c| *c == 0).next().unwrap_or(&[]);
    let s = std::str::from_utf8(b).ok()?;
    (!s.is_empty() && s.chars().all(|c| !c.is_control() || c == '\n' || c == '\t')).then(|| s.trim().to_string())
}

/// A kamadak value as readable text (ExifTool -n style).
pub(crate) fn format_value(v: &Value) -> String {
    match v {
        Value::Ascii(parts) => {
            let texts: Vec<String> = parts.iter().map(|p| super::charset::decode(p).trim().to_string()).collect();
            texts.into_iter().filter(|t| !t.is_empty()).collect::<Vec<_>>().join(", ")
        }
        Value::Byte(x) => join(x, |n| n.to_string()),
        Value::Short(x) => join(x, |n| n.to_string()),
        Value::Long(x) => join(x, |n| n.to_string()),
        Value::SByte(x) => join(x, |n| n.to_string()),
        Value::SShort(x) => join(x, |n| n.to_string()),
        Value::SLong(x) => join(x, |n| n.to_string()),
        // A zero denominator means "not recorded" (ExifTool prints "undef"); all
        // unrecorded is no value at all, never the word "undef".
        Value::Rational(x) if x.iter().all(|r| r.denom == 0) => String::new(),
        Value::SRational(x) if x.iter().all(|r| r.denom == 0) => String::new(),
        Value::Rational(x) => join(x, |r| if r.denom == 0 { "undef".into() } else { num(r.to_f64()) }),
        Value::SRational(x) => join(x, |r| if r.denom == 0 { "undef".into() } else { num(r.to_f64()) }),
        Value::Float(x) => join(x, |n| num(*n as f64)),
        Value::Double(x) => join(x, |n| num(*n)),
        Value::Undefined(b, _) => match printable_text(b) {
            Some(s) => s,
            None if b.len() <= 16 => join(b, |n| n.to_string()),
            None => format!("(Binary data {} bytes)", b.len()),
        },
        Value::Unknown(..) => String::new(),
    }
}

/// Windows XP* tags: UCS-2 little-endian text in a BYTE array.
fn decode_ucs2_le(b: &[u8]) -> String {
    super::until_nul(&super::utf16_lossy(b, false)).to_string()
}

/// UserComment: 8-byte character-code header, then the text.
fn decode_user_comment(b: &[u8], little_endian: bool) -> String {
    let (head, body) = b.split_at(b.len().min(8));
    if head.starts_with(b"UNICODE") {
        return super::until_nul(&super::utf16_lossy(body, !little_endian)).trim().to_string();
    }
    let body = if head.starts_with(b"ASCII") || head.starts_with(b"JIS") || head.iter().all(|c| *c == 0 || *c == b' ') {
        body
    } else {
        b // no header: take everything
    };
    super::charset::decode_until_nul(body).trim().to_string()
}

/// GPSTimeStamp (hours, minutes, seconds as rationals, UTC) as `HH:MM:SS`, the
/// way ExifTool prints it but without the fraction of a second; nothing when a
/// part is missing, not recorded (zero denominator) or out of range.
fn gps_time(v: &Value) -> String {
    let Some(r) = rational_list(v) else { return String::new() };
    match r[..] {
        [h, m, s] if [h, m, s].iter().all(|x| x.is_finite() && *x >= 0.0) && h < 24.0 && m < 60.0 && s < 61.0 => {
            format!("{:02}:{:02}:{:02}", h as u32, m as u32, s as u32)
        }
        _ => String::new(),
    }
}

fn rational_list(v: &Value) -> Option<Vec<f64>> {
    match v {
        Value::Rational(x) => Some(x.iter().map(|r| if r.denom == 0 { f64::NAN } else { r.to_f64() }).collect()),
        Value::SRational(x) => Some(x.iter().map(|r| if r.denom == 0 { f64::NAN } else { r.to_f64() }).collect()),
        _ => None,
    }
}

/// Degrees/minutes/seconds → decimal degrees (NaN when missing/undefined).
fn dms(v: &Value) -> f64 {
    let Some(r) = rational_list(v) else { return f64::NAN };
    let part = |i: usize| r.get(i).copied().unwrap_or(0.0);
    if r.is_empty() {
        return f64::NAN;
    }
    part(0) + part(1) / 60.0 + part(2) / 3600.0
}

/// GPS tags collected while reading, decided at the end.
#[derive(Default)]
struct Gps {
    fields: Vec<Field>,
    lat: Option<f64>,
    lon: Option<f64>,
    lat_ref: String,
    lon_ref: String,
    has_coordinate_tags: bool,
}

impl Gps {
    fn take(&mut self, tag: u16, v: &Value, field: &Field) {
        self.fields.push(field.clone());
        match tag {
            1 => self.lat_ref = format_value(v),
            3 => self.lon_ref = format_value(v),
            2 => self.lat = Some(dms(v)),
            4 => self.lon = Some(dms(v)),
            _ => return,
        }
        self.has_coordinate_tags = true;
    }

    fn finish(self, meta: &mut Metadata) {
        if !self.has_coordinate_tags {
            return; // e.g. a GPS IFD with only GPSVersionID: nothing was recorded
        }
        let sign = |r: &str, neg: char| if r.trim().starts_with(neg) { -1.0 } else { 1.0 };
        let (lat, lon) = (self.lat.unwrap_or(f64::NAN), self.lon.unwrap_or(f64::NAN));
        let real = lat.is_finite() && lon.is_finite() && (lat != 0.0 || lon != 0.0) && lat.abs() <= 90.0 && lon.abs() <= 180.0;
        if real {
            meta.positions.push(GeoPoint {
                lat: lat * sign(&self.lat_ref, 'S'),
                lon: lon * sign(&self.lon_ref, 'W'),
                source: "EXIF GPS".into(),
            });
        } else {
            let wanted = ["GPSLatitudeRef", "GPSLatitude", "GPSLongitudeRef", "GPSLongitude"];
            meta.gps_placeholder.extend(self.fields.into_iter().filter(|f| wanted.contains(&f.tag.as_str())));
        }
    }
}

/// Bytes of values the EXIF reader copies out when it reads every field of `data`
/// (the IFD chain, at most 8 IFDs as the reader follows, and the Exif, GPS and
/// Interop IFDs): IFDs may point thousands of fields at one huge value.
fn value_bytes(data: &[u8]) -> usize {
    const POINTERS: [u16; 3] = [0x8769, 0x8825, 0xA005];
    let Some((t, first)) = Tiff::new(data) else { return 0 };
    let mut total = 0usize;
    let mut seen = std::collections::HashSet::new();
    let mut todo = vec![(first, true)];
    let mut chain = 0;
    while let Some((offset, in_chain)) = todo.pop() {
        if offset == 0 || !seen.insert(offset) || seen.len() > 64 {
            continue;
        }
        let Some(count) = t.u16(offset) else { continue };
        for i in 0..usize::from(count) {
            let at = offset + 2 + i * 12;
            let (Some(tag), Some(typ), Some(n)) = (t.u16(at), t.u16(at + 2), t.u32(at + 4)) else { break };
            let len = crate::container::tiff::type_size(typ).saturating_mul(n as usize);
            if len > 4 && t.u32(at + 8).is_some_and(|v| (v as usize).saturating_add(len) <= data.len()) {
                total = total.saturating_add(len);
            }
            if POINTERS.contains(&tag) {
                todo.extend(t.u32(at + 8).map(|v| (v as usize, false)));
            }
        }
        if in_chain && chain < 8 {
            chain += 1;
            todo.extend(t.u32(offset + 2 + usize::from(count) * 12).map(|v| (v as usize, true)));
        }
    }
    total
}

/// What kamadak-exif's `Display` says for the errors its TIFF parser gives: each a fixed text.
/// Written out here so that its formatting code for the others (an I/O error, a partial result,
/// which reading bytes in memory never gives) stays out of the core wasm module.
fn error_text(e: &exif::Error) -> String {
    use exif::Error::*;
    match e {
        InvalidFormat(m) | BlankValue(m) | TooBig(m) | NotSupported(m) | UnexpectedValue(m) => (*m).to_string(),
        NotFound(container) => format!("No Exif data found in {container}"),
        Io(_) => "I/O error".to_string(),
        PartialResult(_) => "partial result".to_string(),
        _ => "unknown error".to_string(),
    }
}

/// Reads one EXIF block (data starts at the TIFF header).
pub fn read(data: &[u8], meta: &mut Metadata) {
    // Every value is copied out before it is looked at: charged first, against the file's budget.
    if !meta.budget.take_inflated(value_bytes(data)) {
        meta.skipped_for_budget(data.len());
        return;
    }
    let parsed = exif::Reader::new().continue_on_error(true).read_raw(with_long_pointers(data)).or_else(|e| {
        e.distill_partial_result(|errors| {
            if let Some(first) = errors.first() {
                meta.warnings.push(format!("EXIF is partly damaged ({}).", error_text(first)));
            }
        })
    });
    let exif = match parsed {
        Ok(x) => x,
        Err(e) => {
            meta.warnings.push(format!("EXIF could not be read ({}).", error_text(&e)));
            return;
        }
    };
    let little_endian = exif.little_endian();
    let mut gps = Gps::default();
    let mut thumb_offset = None;
    let mut thumb_length = None;
    let mut make = String::new();
    let mut model = String::new();
    let mut maker_note: Option<(Vec<u8>, u32)> = None;
    for f in exif.fields() {
        let n = f.tag.number();
        let ctx = f.tag.context();
        let in_tiff = matches!(ctx, Context::Tiff);
        let in_ifd1 = in_tiff && f.ifd_num == In::THUMBNAIL;
        if in_ifd1 && n == TAG_THUMB_OFFSET {
            thumb_offset = f.value.get_uint(0);
        }
        if in_ifd1 && n == TAG_THUMB_LENGTH {
            thumb_length = f.value.get_uint(0);
        }
        if ctx != Context::Gps && n == TAG_MAKER_NOTE {
            if let Value::Undefined(b, at) = &f.value {
                maker_note = Some((b.clone(), *at));
            }
        }
        if ctx != Context::Gps && BLOB_TAGS.contains(&n) {
            continue;
        }
        let group = group_name(f.tag, f.ifd_num);
        let tag = tag_name(f.tag);
        let value = match (&f.value, n) {
            (Value::Undefined(b, _), TAG_USER_COMMENT) if ctx == Context::Exif => decode_user_comment(b, little_endian),
            (Value::Byte(b), 0x9C9B..=0x9C9F) if in_tiff => decode_ucs2_le(b),
            (v, 2 | 4 | 0x14 | 0x16) if ctx == Context::Gps => {
                let d = dms(v);
                if d.is_finite() { num(d) } else { String::new() }
            }
            (v, 7) if ctx == Context::Gps => gps_time(v),
            (v, _) => format_value(v),
        };
        if in_tiff && f.ifd_num == In::PRIMARY {
            if n == TAG_ORIENTATION {
                meta.orientation = f.value.get_uint(0).and_then(|o| u16::try_from(o).ok()).filter(|o| (1..=8).contains(o));
            }
            if n == 0x010F {
                make = value.clone();
            }
            if n == 0x0110 {
                model = value.clone();
            }
        }
        let field = Field { group: group.clone(), tag: tag.clone(), value: value.clone() };
        if ctx == Context::Gps {
            gps.take(n, &f.value, &field);
        }
        meta.add(&group, &tag, value);
    }
    gps.finish(meta);
    push_ifd1_thumbnail(data, thumb_offset, thumb_length, meta);
    if let Some((note, at)) = maker_note {
        let tiff = Tiff::with_order(data, little_endian);
        makernote::read(&note, at as usize, tiff, &make, &model, meta);
    }
}

/// A copy of the block where sub-IFD pointers (Exif, GPS, Interop) typed SLONG or
/// IFD (types 9/13, seen in real files) are retyped LONG, which kamadak requires.
fn with_long_pointers(data: &[u8]) -> Vec<u8> {
    let mut out = data.to_vec();
    let Some((t, first)) = Tiff::new(data) else { return out };
    let mut ifds = vec![first];
    let mut done = 0;
    while let Some(ifd_at) = ifds.pop() {
        done += 1;
        if done > 4 {
            break; // IFD0 and ExifIFD are the only parents of pointer tags
        }
        let count = t.u16(ifd_at).unwrap_or(0) as usize;
        for i in 0..count.min(crate::container::tiff::MAX_IFD_ENTRIES) {
            let at = ifd_at + 2 + i * 12;
            let (Some(tag), Some(typ), Some(value)) = (t.u16(at), t.u16(at + 2), t.u32(at + 8)) else { break };
            if matches!(tag, 0x8769 | 0x8825 | 0xA005) && matches!(typ, 9 | 13) {
                let long: [u8; 2] = if t.little_endian { [4, 0] } else { [0, 4] };
                out[at + 2..at + 4].copy_from_slice(&long);
            }
            if tag == 0x8769 {
                ifds.push(value as usize);
            }
        }
    }
    out
}

/// IFD1's JPEG thumbnail, counted only when its bytes are really in the block.
fn push_ifd1_thumbnail(data: &[u8], offset: Option<u32>, length: Option<u32>, meta: &mut Metadata) {
    let (Some(off), Some(len)) = (offset, length) else { return };
    let (off, len) = (off as usize, len as usize);
    let present = len > 0 && off.checked_add(len).is_some_and(|end| end <= data.len());
    if present {
        let what = if data.get(off..off + 2) == Some(&[0xFF, 0xD8]) { "a JPEG thumbnail" } else { "a thumbnail" };
        meta.thumbnails.push(Embedded { source: "EXIF IFD1".into(), what: what.into(), bytes: len });
    } else {
        meta.warnings.push("The EXIF thumbnail points past the end of the data (it was cut off).".into());
    }
}

/// MP Index IFD (JPEG APP2 "MPF"): one 16-byte entry per image; every entry but
/// the primary (offset 0) is an extra image hidden after the main one.
/// `data` starts at the MPF TIFF header, which sits at `span.start + 8` in the file.
pub fn read_mpf(data: &[u8], span: Range<usize>, container: &Container<'_>, meta: &mut Metadata) {
    // Offsets in the index are relative to the MPF TIFF header (file offset span.start + 8);
    // only sizes are reported here, so neither the span nor the container is needed yet.
    let _ = (span, container);
    let Some((t, first)) = Tiff::new(data) else {
        meta.warnings.push("The MPF index is not readable.".into());
        return;
    };
    let Some(entry) = t.ifd(first).and_then(|ifd| ifd.get(0xB002).copied()) else { return };
    for i in 0..(entry.byte_len / 16).min(256) {
        let at = entry.value_at + i * 16;
        let (Some(attr), Some(size), Some(offset)) = (t.u32(at), t.u32(at + 4), t.u32(at + 8)) else { break };
        if offset == 0 {
            continue; // the primary image itself (always stored at offset 0)
        }
        let what = match attr & 0x00FF_FFFF {
            0x01_0001 | 0x01_0002 => "an extra large preview image",
            0x02_0001 => "an extra panorama frame",
            0x02_0002 => "an extra image (stereo pair)",
            0x02_0003 => "an extra image (another angle)",
            _ => "an extra image (large preview / gain map / stereo pair…)",
        };
        meta.hidden_media.push(Embedded { source: "MPF".into(), what: what.into(), bytes: size as usize });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::container::tiff::test_builder::*;

    /// `error_text` says what kamadak-exif's own `Display` says, for every error its parser gives
    /// on damaged blocks (cut at every length, bytes changed) and for each fixed-text kind.
    #[test]
    fn error_text_is_the_crates_display() {
        let good = exif_block((51, 30, 0), "N", true);
        let mut blocks: Vec<Vec<u8>> = (0..good.len()).map(|n| good[..n].to_vec()).collect();
        for at in (0..good.len()).step_by(3) {
            let mut b = good.clone();
            b[at] ^= 0xA5;
            blocks.push(b);
        }
        let mut seen = 0;
        for block in blocks {
            let errors = match exif::Reader::new().continue_on_error(true).read_raw(block) {
                Ok(_) => continue,
                Err(exif::Error::PartialResult(p)) => p.into_inner().1,
                Err(e) => vec![e],
            };
            for e in errors {
                assert_eq!(error_text(&e), e.to_string());
                seen += 1;
            }
        }
        assert!(seen > 20, "only {seen} errors");
        for e in [exif::Error::InvalidFormat("x"), exif::Error::NotFound("PNG"), exif::Error::BlankValue("b"), exif::Error::TooBig("t")] {
            assert_eq!(error_text(&e), e.to_string());
        }
    }

    /// IFD0 (Make, Artist, XPAuthor, Orientation) → ExifIFD (owner, serial, comment) and
    /// GPS; IFD1 with a JPEG thumbnail stored in the tail.
    fn exif_block(lat: (u32, u32, u32), lat_ref: &str, with_thumb_bytes: bool) -> Vec<u8> {
        let thumb = [0xFF, 0xD8, 0xFF, 0xDB, 1, 2, 3, 4, 0xFF, 0xD9];
        let xp: Vec<u8> = "Ann".encode_utf16().flat_map(|u| u.to_le_bytes()).chain([0, 0]).collect();
        let mut comment = b"ASCII\0\0\0".to_vec();
        comment.extend(b"hello there");
        let mk = |tail_at: usize| Doc {
            ifds: vec![
                vec![ascii(0x010F, "Canon"), ascii(0x013B, "Jane Doe"), short(0x0112, 6), bytes(0x9C9D, &xp), ascii(0x0132, "2020:01:02 03:04:05")],
                vec![ascii(0xA430, "Jane"), ascii(0xA431, "12345"), undef(0x9286, &comment), ascii(0x9004, "2020:01:02 03:04:05")],
                vec![
                    bytes(0, &[2, 3, 0, 0]),
                    ascii(1, lat_ref),
                    rationals(2, &[(lat.0, 1), (lat.1, 1), (lat.2, 1)]),
                    ascii(3, "W"),
                    rationals(4, &[(lat.0, 1), (lat.1 * 2, 1), (lat.2, 1)]),
                ],
                vec![short(0x0103, 6), long(0x0201, tail_at as u32), long(0x0202, thumb.len() as u32)],
            ],
            links: vec![(0, 0x8769, 1), (0, 0x8825, 2)],
            next: vec![(0, 3)],
            tail: if with_thumb_bytes { thumb.to_vec() } else { vec![] },
        };
        let (_, tail_at) = build(&mk(0));
        build(&mk(tail_at)).0
    }

    fn value<'m>(m: &'m Metadata, group: &str, tag: &str) -> Option<&'m str> {
        m.fields.iter().find(|f| f.group == group && f.tag == tag).map(|f| f.value.as_str())
    }

    #[test]
    fn reads_fields_gps_and_thumbnail() {
        let mut m = Metadata::default();
        read(&exif_block((12, 15, 36), "S", true), &mut m);
        assert_eq!(value(&m, "IFD0", "Make"), Some("Canon"));
        assert_eq!(value(&m, "IFD0", "Artist"), Some("Jane Doe"));
        assert_eq!(value(&m, "IFD0", "XPAuthor"), Some("Ann"));
        assert_eq!(value(&m, "IFD0", "ModifyDate"), Some("2020:01:02 03:04:05"));
        assert_eq!(value(&m, "ExifIFD", "OwnerName"), Some("Jane"));
        assert_eq!(value(&m, "ExifIFD", "SerialNumber"), Some("12345"));
        assert_eq!(value(&m, "ExifIFD", "CreateDate"), Some("2020:01:02 03:04:05"));
        assert_eq!(value(&m, "ExifIFD", "UserComment"), Some("hello there"));
        assert_eq!(value(&m, "GPS", "GPSLatitudeRef"), Some("S"));
        assert_eq!(m.orientation, Some(6));
        assert_eq!(m.positions.len(), 1);
        let p = &m.positions[0];
        assert!((p.lat - -12.26).abs() < 1e-9, "{p:?}");
        assert!((p.lon - -12.51).abs() < 1e-9, "{p:?}");
        assert_eq!(p.source, "EXIF GPS");
        assert!(m.gps_placeholder.is_empty());
        assert_eq!(m.thumbnails.len(), 1);
        assert_eq!(m.thumbnails[0].source, "EXIF IFD1");
        assert_eq!(m.thumbnails[0].bytes, 10);
    }

    #[test]
    fn zero_gps_is_placeholder_and_cut_thumbnail_is_not_counted() {
        let mut m = Metadata::default();
        read(&exif_block((0, 0, 0), "N", false), &mut m);
        assert!(m.positions.is_empty());
        assert!(!m.gps_placeholder.is_empty());
        assert!(m.thumbnails.is_empty());
    }

    #[test]
    fn hostile_exif_never_panics() {
        let block = exif_block((1, 2, 3), "N", true);
        for n in 0..block.len() {
            read(&block[..n], &mut Metadata::default());
        }
        let mut b = block.clone();
        for i in (8..b.len()).step_by(5) {
            b[i] = b[i].wrapping_add(0x55);
            read(&b, &mut Metadata::default());
        }
    }

    #[test]
    fn mpf_lists_extra_images() {
        let mut table = Vec::new();
        for (attr, size, off) in [(0x2003_0000u32, 5000u32, 0u32), (0x0001_0001, 1200, 6000), (0, 800, 7000)] {
            table.extend(attr.to_be_bytes());
            table.extend(size.to_be_bytes());
            table.extend(off.to_be_bytes());
            table.extend([0, 0, 0, 0]);
        }
        let (mpf, _) = build(&Doc {
            ifds: vec![vec![undef(0xB000, b"0100"), long(0xB001, 3), undef(0xB002, &table)]],
            links: vec![],
            next: vec![],
            tail: vec![],
        });
        let mut m = Metadata::default();
        read_mpf(&mpf, 100..200, &Container::new(crate::container::Format::Jpeg), &mut m);
        assert_eq!(m.hidden_media.len(), 2);
        assert_eq!(m.hidden_media[0].bytes, 1200);
        assert_eq!(m.hidden_media[1].source, "MPF");
    }
}
