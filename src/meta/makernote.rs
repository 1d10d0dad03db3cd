//! Maker notes: the camera maker's private EXIF directory (tag 0x927C).
//!
//! Owns: recognising the vendor (from the note's signature or the Make tag) and
//! decoding the few fields that identify a person, a camera or a shot — serial
//! numbers, owner names and unique image ids — for Canon, Nikon, Olympus,
//! Panasonic, Leica, Sigma, Pentax, Fujifilm, Apple, Sony, Nintendo and Reconyx, plus
//! Nikon's preview image and Samsung's "SEFT" trailer (which ExifTool lists as a
//! Samsung maker note). Fields use ExifTool's -G1 group names (`Canon`, `Apple`, …)
//! and tag names. Everything else in a maker note is ignored. It never decides
//! what is risky.

use super::{Embedded, Metadata};
use crate::container::tiff::{Ifd, Tiff};

/// How a vendor lays out its note: where the IFD starts and what offsets are relative to.
struct Layout<'a> {
    vendor: &'static str,
    /// The TIFF view that value offsets are relative to.
    tiff: Tiff<'a>,
    /// Offset of the note's IFD inside `tiff`.
    ifd_at: usize,
}

/// Reads a maker note. `note` is the tag's bytes, `note_at` their offset inside
/// the outer EXIF TIFF `outer`, `make` and `model` the IFD0 Make and Model.
pub fn read(note: &[u8], note_at: usize, outer: Tiff<'_>, make: &str, model: &str, meta: &mut Metadata) {
    let vendor_from_make = vendor_name(make);
    if is_reconyx_hyperfire(note) {
        add_vendor(meta, "Reconyx");
        read_reconyx_hyperfire(note, meta);
        return;
    }
    let layout = layout(note, note_at, outer, make);
    let vendor = layout.as_ref().map(|l| l.vendor).or(vendor_from_make).unwrap_or("Unknown");
    add_vendor(meta, shown_vendor(vendor));
    let Some(l) = layout else { return };
    let Some(ifd) = l.tiff.ifd(l.ifd_at) else {
        meta.warnings.push(format!("The {vendor} maker note is damaged."));
        return;
    };
    match l.vendor {
        "Canon" => {
            add_uint(meta, &l.tiff, &ifd, 0x000C, "Canon", "SerialNumber");
            add_text(meta, &l.tiff, &ifd, 0x0096, "Canon", "InternalSerialNumber");
            add_text(meta, &l.tiff, &ifd, 0x0009, "Canon", "OwnerName");
            add_hex_id(meta, &l.tiff, &ifd, 0x0028, "Canon", "ImageUniqueID");
            read_canon_lens_serial(meta, &l.tiff, &ifd);
        }
        "Nikon" => {
            add_text(meta, &l.tiff, &ifd, 0x001D, "Nikon", "SerialNumber");
            add_text(meta, &l.tiff, &ifd, 0x00A0, "Nikon", "SerialNumber");
            read_nikon_preview(meta, &l.tiff, &ifd);
        }
        "Apple" => {
            for (tag, name) in APPLE_ID_TAGS {
                add_text(meta, &l.tiff, &ifd, *tag, "Apple", name);
            }
        }
        "Sony" => read_sony_9050(meta, &l.tiff, &ifd, model),
        "Nintendo" => read_nintendo(meta, &l.tiff, &ifd),
        "Olympus" => read_olympus(meta, &l.tiff, &ifd),
        "Panasonic" => add_text(meta, &l.tiff, &ifd, 0x0025, "Panasonic", "InternalSerialNumber"),
        "Sigma" => add_text(meta, &l.tiff, &ifd, 0x0002, "Sigma", "SerialNumber"),
        "Pentax" => add_text(meta, &l.tiff, &ifd, 0x0229, "Pentax", "SerialNumber"),
        "FujiFilm" => add_text(meta, &l.tiff, &ifd, 0x0010, "FujiFilm", "InternalSerialNumber"),
        "Leica2" => add_serial_number(meta, &l.tiff, &ifd, 0x0303, 7),
        "Leica4" => {
            // M9: the serial is in the directory stored as tag 0x3100's value.
            if let Some(sub) = ifd.get(0x3100).and_then(|e| l.tiff.ifd(e.value_at)) {
                add_text(meta, &l.tiff, &sub, 0x3103, "Leica", "SerialNumber");
            }
        }
        "Leica5" => {
            add_serial_number(meta, &l.tiff, &ifd, 0x0305, 0);
            add_text(meta, &l.tiff, &ifd, 0x0500, "Leica", "InternalSerialNumber");
        }
        _ => {}
    }
}

/// The vendor as people know it: ExifTool's Leica tables (`Leica2`, `Leica5`…) are all Leica.
fn shown_vendor(vendor: &'static str) -> &'static str {
    if vendor.starts_with("Leica") { "Leica" } else { vendor }
}

/// Leica's numeric SerialNumber (ExifTool group `Leica`), zero-padded to `width` digits.
fn add_serial_number(meta: &mut Metadata, t: &Tiff<'_>, ifd: &Ifd, tag: u16, width: usize) {
    if let Some(v) = ifd.get(tag).and_then(|e| t.uint(e, 0)).filter(|v| *v != 0) {
        meta.add("Leica", "SerialNumber", format!("{v:0width$}"));
    }
}

/// Leica notes may use either byte order (ExifTool: "ByteOrder => Unknown"):
/// the one where the entry count is sensible and the first entry has a real TIFF type.
fn guess_little_endian(data: &[u8], ifd_at: usize, default: bool) -> bool {
    let Some(b) = ifd_at.checked_add(6).and_then(|end| data.get(ifd_at..end)) else { return default };
    let plausible = |count: u16, typ: u16| (1..=512).contains(&count) && (1..=13).contains(&typ);
    let le = plausible(u16::from_le_bytes([b[0], b[1]]), u16::from_le_bytes([b[4], b[5]]));
    let be = plausible(u16::from_be_bytes([b[0], b[1]]), u16::from_be_bytes([b[4], b[5]]));
    match (le, be) {
        (true, false) => true,
        (false, true) => false,
        _ => default,
    }
}

/// Leica's maker notes (ExifTool `MakerNoteLeica` … `MakerNoteLeica10`), by header.
/// The Panasonic-built bodies (Make `LEICA`, D-Lux 7) use Panasonic's layout.
fn leica_layout<'a>(note: &'a [u8], note_at: usize, outer: Tiff<'a>, make: &str) -> Option<Layout<'a>> {
    let guess = |data: &[u8], at: usize| guess_little_endian(data, at, outer.little_endian);
    // Offsets relative to the outer EXIF TIFF header, the IFD `skip` bytes into the note.
    let outer_at = |vendor, skip: usize| {
        let ifd_at = note_at.checked_add(skip)?;
        Some(Layout { vendor, tiff: Tiff::with_order(outer.data, guess(outer.data, ifd_at)), ifd_at })
    };
    // Offsets relative to the start of the note, the IFD 8 bytes in.
    let own = |vendor| Some(Layout { vendor, tiff: Tiff::with_order(note, guess(note, 8)), ifd_at: 8 });
    if note.starts_with(b"LEICA CAMERA AG\0") {
        return outer_at("Panasonic", 18);
    }
    if note.starts_with(b"LEICA0") {
        return own("Leica4");
    }
    if !note.starts_with(b"LEICA\0") {
        return None;
    }
    match (note.get(6)?, note.get(7)?) {
        (0, 0) if make.trim() == "LEICA" => outer_at("Panasonic", 8),
        // M8: offsets relative to the IFD itself; only inline values are read.
        (0, 0) => {
            let ifd = note.get(8..)?;
            Some(Layout { vendor: "Leica2", tiff: Tiff::with_order(ifd, guess(ifd, 0)), ifd_at: 0 })
        }
        (0x01 | 0x04 | 0x05 | 0x06 | 0x07 | 0x10 | 0x1A, 0) => own("Leica5"),
        (0x08 | 0x09, 0) => outer_at("Leica5", 8),
        _ => Some(Layout { vendor: "Leica", tiff: outer, ifd_at: note_at.checked_add(8)? }),
    }
}

/// The vendor name ExifTool uses as a group, from the IFD0 Make.
fn vendor_name(make: &str) -> Option<&'static str> {
    let m = make.to_ascii_lowercase();
    let table: &[(&str, &'static str)] = &[
        ("canon", "Canon"),
        ("nikon", "Nikon"),
        ("olympus", "Olympus"),
        ("om digital", "Olympus"),
        ("panasonic", "Panasonic"),
        ("leica", "Leica"),
        ("sigma", "Sigma"),
        ("pentax", "Pentax"),
        ("ricoh", "Pentax"),
        ("fujifilm", "FujiFilm"),
        ("sony", "Sony"),
        ("apple", "Apple"),
        ("samsung", "Samsung"),
        ("reconyx", "Reconyx"),
        ("nintendo", "Nintendo"),
        ("flir", "FLIR"),
        ("dji", "DJI"),
        ("google", "Google"),
        ("kodak", "Kodak"),
        ("casio", "Casio"),
        ("minolta", "Minolta"),
    ];
    table.iter().find(|(k, _)| m.contains(k)).map(|(_, v)| *v)
}

/// Works out the vendor and IFD position from the note's signature (or Make).
fn layout<'a>(note: &'a [u8], note_at: usize, outer: Tiff<'a>, make: &str) -> Option<Layout<'a>> {
    let starts = |sig: &[u8]| note.starts_with(sig);
    // A note whose offsets are relative to its own start, with the given byte order.
    let own = |vendor, ifd_at, le| Some(Layout { vendor, tiff: Tiff::with_order(note, le), ifd_at });
    // A note whose offsets are relative to the outer EXIF TIFF header.
    let outer_at = |vendor, skip: usize| Some(Layout { vendor, tiff: outer, ifd_at: note_at.checked_add(skip)? });
    if starts(b"Nikon\0\x02") || starts(b"Nikon\0\x03") {
        // Type 2/3: an embedded TIFF header 10 bytes in.
        let (t, first) = Tiff::new(note.get(10..)?)?;
        return Some(Layout { vendor: "Nikon", tiff: t, ifd_at: first });
    }
    if starts(b"Nikon\0\x01") {
        return outer_at("Nikon", 8);
    }
    if starts(b"OLYMPUS\0") || starts(b"OM SYSTEM\0") {
        // New Olympus: "OLYMPUS\0" + byte order + version, IFD at 12 (16 for OM SYSTEM).
        let skip = if starts(b"OM SYSTEM") { 16 } else { 12 };
        let le = note.get(skip - 4..skip - 2)? == b"II";
        return own("Olympus", skip, le);
    }
    if starts(b"OLYMP\0") || starts(b"EPSON\0") {
        return outer_at("Olympus", 8);
    }
    if starts(b"LEICA") {
        return leica_layout(note, note_at, outer, make);
    }
    if starts(b"Panasonic\0") {
        return outer_at("Panasonic", 12);
    }
    if starts(b"SIGMA\0") || starts(b"FOVEON\0") {
        return outer_at("Sigma", 10);
    }
    if starts(b"AOC\0") {
        let le = note.get(4..6)? == b"II";
        // Pentax AOC notes use the outer TIFF's offsets but may flip the byte order.
        return Some(Layout { vendor: "Pentax", tiff: Tiff::with_order(outer.data, le), ifd_at: note_at.checked_add(6)? });
    }
    if starts(b"FUJIFILM") {
        let ifd_at = u32::from_le_bytes(note.get(8..12)?.try_into().ok()?) as usize;
        return own("FujiFilm", ifd_at, true);
    }
    if starts(b"SONY DSC \0") || starts(b"SONY CAM \0") {
        return outer_at("Sony", 12);
    }
    if starts(b"Apple iOS\0") {
        return own("Apple", 14, note.get(12..14)? == b"II");
    }
    match vendor_name(make)? {
        // Notes without a header: a plain IFD with outer offsets.
        v @ ("Canon" | "Nikon" | "Sony" | "Nintendo") => outer_at(v, 0),
        _ => None,
    }
}

fn add_vendor(meta: &mut Metadata, vendor: &str) {
    if !meta.maker_notes.iter().any(|v| v == vendor) {
        meta.maker_notes.push(vendor.to_string());
    }
}

/// Apple's per-shot identifiers (UUID strings), with ExifTool's names.
/// (ExifTool 12.57 spells 0x0020 "ImageCaptureReqestID" and leaves 0x002B unnamed;
/// later versions say ImageCaptureRequestID and PhotoIdentifier, used here.)
const APPLE_ID_TAGS: &[(u16, &str)] = &[
    (0x000B, "BurstUUID"),
    (0x0011, "MediaGroupUUID"),
    (0x0015, "ImageUniqueID"),
    (0x0020, "ImageCaptureRequestID"),
    (0x002B, "PhotoIdentifier"),
];

/// Nikon's PreviewIFD (tag 0x0011): a JPEG preview whose offset is relative to the
/// note's own TIFF header. Counted only when its bytes are inside the note.
fn read_nikon_preview(meta: &mut Metadata, t: &Tiff<'_>, ifd: &Ifd) {
    let Some(at) = ifd.get(0x0011).and_then(|e| t.uint(e, 0)) else { return };
    let Some(sub) = t.ifd(at as usize) else { return };
    let start = sub.get(0x0201).and_then(|e| t.uint(e, 0));
    let length = sub.get(0x0202).and_then(|e| t.uint(e, 0));
    let (Some(start), Some(length)) = (start, length) else { return };
    let (start, length) = (start as usize, length as usize);
    let Some(bytes) = start.checked_add(length).and_then(|end| t.data.get(start..end)) else {
        meta.warnings.push("The Nikon preview image points past the end of the maker note.".into());
        return;
    };
    if length == 0 {
        return;
    }
    let what = if bytes.starts_with(&[0xFF, 0xD8]) { "a JPEG preview image" } else { "a preview image" };
    meta.thumbnails.push(Embedded { source: "Maker notes (Nikon)".into(), what: what.into(), bytes: length });
}

/// Sony hides InternalSerialNumber in tag 0x9050, enciphered byte by byte
/// (ExifTool's Tag9050c layout, used by the models below; other models differ and are skipped).
fn read_sony_9050(meta: &mut Metadata, t: &Tiff<'_>, ifd: &Ifd, model: &str) {
    const TAG_9050C_MODELS: &[&str] = &["ILCE-1", "ILCE-7M4", "ILCE-7RM5", "ILCE-7SM3", "ILME-FX3", "ILME-FX30"];
    if !TAG_9050C_MODELS.contains(&model.trim()) {
        return;
    }
    let Some(e) = ifd.get(0x9050) else { return };
    let Some(raw) = t.bytes(e).get(0x8A..0x8A + 6) else { return };
    let serial: Vec<String> = raw.iter().map(|b| sony_decipher(*b).to_string()).collect();
    meta.add("Sony", "InternalSerialNumber", serial.join(" "));
}

/// Sony's cipher maps b → b³ mod 249 (for b < 249); this is its inverse.
fn sony_decipher(c: u8) -> u8 {
    if c >= 249 {
        return c;
    }
    (0u16..249).find(|b| (b * b % 249) * b % 249 == c as u16).map_or(c, |b| b as u8)
}

/// Nintendo CameraInfo (tag 0x1101): bytes 0x18..0x1C are the console's internal
/// serial, printed by ExifTool as "0x" + the bytes in hex.
fn read_nintendo(meta: &mut Metadata, t: &Tiff<'_>, ifd: &Ifd) {
    let Some(e) = ifd.get(0x1101) else { return };
    let Some(raw) = t.bytes(e).get(0x18..0x1C) else { return };
    if raw.iter().any(|b| *b != 0) {
        meta.add("Nintendo", "InternalSerialNumber", format!("0x{}", hex(raw)));
    }
}

/// Reconyx HyperFire trail cameras write a fixed binary block that starts 01 F1.
fn is_reconyx_hyperfire(note: &[u8]) -> bool {
    note.starts_with(&[0x01, 0xF1]) && note.len() >= 0x48
}

/// HyperFire layout: SerialNumber is 15 UTF-16LE characters at byte 0x2A.
fn read_reconyx_hyperfire(note: &[u8], meta: &mut Metadata) {
    let Some(raw) = note.get(0x2A..0x2A + 30) else { return };
    meta.add("Reconyx", "SerialNumber", super::until_nul(&super::utf16_lossy(raw, false)));
}

/// Samsung's trailer (after the image, or in a HEIF `sefd` box) ends with "SEFT";
/// ExifTool reports it as Samsung maker-note data.
pub fn read_samsung_trailer(data: &[u8], meta: &mut Metadata) {
    if data.ends_with(b"SEFT") {
        add_vendor(meta, "Samsung");
    }
}

/// Canon LensInfo (tag 0x4019): the first 5 bytes are the lens's internal serial,
/// printed as hex; ExifTool skips it when it starts with four zero bytes (older lenses).
fn read_canon_lens_serial(meta: &mut Metadata, t: &Tiff<'_>, ifd: &Ifd) {
    let Some(e) = ifd.get(0x4019) else { return };
    let Some(raw) = t.bytes(e).get(..5) else { return };
    if raw[..4] != [0, 0, 0, 0] {
        meta.add("Canon", "LensSerialNumber", hex(raw));
    }
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn read_olympus(meta: &mut Metadata, t: &Tiff<'_>, ifd: &Ifd) {
    add_text(meta, t, ifd, 0x0209, "Olympus", "CameraID");
    // Serials live in the Equipment sub-directory (tag 0x2010), offsets relative to the note.
    let Some(eq) = ifd.get(0x2010) else { return };
    let at = if eq.typ == 13 || eq.typ == 4 { t.uint(eq, 0).map(|x| x as usize) } else { Some(eq.value_at) };
    let Some(sub) = at.and_then(|a| t.ifd(a)) else { return };
    add_text(meta, t, &sub, 0x0101, "Olympus", "SerialNumber");
    add_text(meta, t, &sub, 0x0102, "Olympus", "InternalSerialNumber");
    add_text(meta, t, &sub, 0x0202, "Olympus", "LensSerialNumber");
}

fn add_text(meta: &mut Metadata, t: &Tiff<'_>, ifd: &Ifd, tag: u16, group: &str, name: &str) {
    let Some(e) = ifd.get(tag) else { return };
    let text = super::charset::decode_until_nul(t.bytes(e)).trim().to_string();
    if text.chars().any(|c| c.is_ascii_alphanumeric()) {
        meta.add(group, name, text);
    }
}

/// A binary id (Canon's 16-byte ImageUniqueID) as lowercase hex; all-zero ids are skipped.
fn add_hex_id(meta: &mut Metadata, t: &Tiff<'_>, ifd: &Ifd, tag: u16, group: &str, name: &str) {
    let Some(e) = ifd.get(tag) else { return };
    let b = t.bytes(e);
    if b.iter().any(|x| *x != 0) {
        meta.add(group, name, hex(b));
    }
}

fn add_uint(meta: &mut Metadata, t: &Tiff<'_>, ifd: &Ifd, tag: u16, group: &str, name: &str) {
    if let Some(v) = ifd.get(tag).and_then(|e| t.uint(e, 0)) {
        meta.add(group, name, v.to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::container::tiff::test_builder::{build, long, Doc};

    /// A big-endian IFD whose out-of-line values follow it; offsets are `base` + position,
    /// so the IFD can sit at `base` inside whatever its offsets are relative to.
    fn ifd_be(entries: &[(u16, u16, &[u8])], base: usize) -> Vec<u8> {
        let mut head = (entries.len() as u16).to_be_bytes().to_vec();
        let mut values = Vec::new();
        let values_at = base + 2 + entries.len() * 12 + 4;
        for (tag, typ, v) in entries {
            let count = v.len() / crate::container::tiff::type_size(*typ).max(1);
            head.extend(tag.to_be_bytes());
            head.extend(typ.to_be_bytes());
            head.extend((count as u32).to_be_bytes());
            if v.len() <= 4 {
                let mut inline = v.to_vec();
                inline.resize(4, 0);
                head.extend(inline);
            } else {
                head.extend(((values_at + values.len()) as u32).to_be_bytes());
                values.extend_from_slice(v);
            }
        }
        head.extend([0, 0, 0, 0]);
        head.extend(values);
        head
    }

    /// A note with outer-TIFF offsets: returns (outer TIFF bytes, note offset).
    fn outer_with(entries: &[(u16, u16, &[u8])]) -> (Vec<u8>, usize) {
        let mut outer = b"MM\0*\0\0\0\x08".to_vec();
        outer.extend(ifd_be(entries, 8));
        (outer, 8)
    }

    fn read_outer(entries: &[(u16, u16, &[u8])], make: &str, model: &str) -> Metadata {
        let (outer, at) = outer_with(entries);
        let mut m = Metadata::default();
        read(&outer[at..], at, Tiff::with_order(&outer, false), make, model, &mut m);
        m
    }

    fn read_own(note: &[u8], make: &str) -> Metadata {
        let mut m = Metadata::default();
        read(note, 0, Tiff::with_order(note, false), make, "", &mut m);
        m
    }

    fn value<'m>(m: &'m Metadata, group: &str, tag: &str) -> Option<&'m str> {
        m.fields.iter().find(|f| f.group == group && f.tag == tag).map(|f| f.value.as_str())
    }

    fn ascii0(s: &str) -> Vec<u8> {
        [s.as_bytes(), &[0]].concat()
    }

    #[test]
    fn canon_image_unique_id_is_hex_and_zero_ids_are_skipped() {
        let id: Vec<u8> = (0x10..0x20).collect();
        let m = read_outer(&[(0x0028, 7, &id)], "Canon", "Canon EOS R5");
        assert_eq!(value(&m, "Canon", "ImageUniqueID"), Some("101112131415161718191a1b1c1d1e1f"));
        assert_eq!(m.maker_notes, vec!["Canon".to_string()]);
        let m = read_outer(&[(0x0028, 7, &[0u8; 16])], "Canon", "");
        assert_eq!(value(&m, "Canon", "ImageUniqueID"), None);
    }

    #[test]
    fn apple_ids_use_exiftool_names() {
        let uuid = ascii0("9B4585D7-AE5A-4679-B098-C883D2289C22");
        let group = ascii0("1745E022-9712-43C7-B024-F308EC6413CB");
        let mut note = b"Apple iOS\0\0\x01MM".to_vec();
        note.extend(ifd_be(&[(0x0001, 3, &[0, 10]), (0x0011, 2, &group), (0x0015, 2, &uuid)], 14));
        let m = read_own(&note, "Apple");
        assert_eq!(value(&m, "Apple", "ImageUniqueID"), Some("9B4585D7-AE5A-4679-B098-C883D2289C22"));
        assert_eq!(value(&m, "Apple", "MediaGroupUUID"), Some("1745E022-9712-43C7-B024-F308EC6413CB"));
        assert_eq!(value(&m, "Apple", "BurstUUID"), None);
    }

    #[test]
    fn olympus_camera_id_from_main_directory() {
        let mut id = b"OLYMPUS DIGITAL CAMERA".to_vec();
        id.resize(32, b' ');
        let mut note = b"OLYMPUS\0MM\x03\0".to_vec();
        note.extend(ifd_be(&[(0x0209, 7, &id)], 12));
        let m = read_own(&note, "OLYMPUS IMAGING CORP.");
        assert_eq!(value(&m, "Olympus", "CameraID"), Some("OLYMPUS DIGITAL CAMERA"));
    }

    /// A Nikon type-3 note whose PreviewIFD points at a JPEG inside the note.
    fn nikon_note() -> Vec<u8> {
        let jpeg = [0xFF, 0xD8, 0xFF, 0xDB, 9, 9, 9, 0xFF, 0xD9];
        let doc = |tail_at: usize| Doc {
            ifds: vec![vec![], vec![long(0x0201, tail_at as u32), long(0x0202, jpeg.len() as u32)]],
            links: vec![(0, 0x0011, 1)],
            next: vec![],
            tail: jpeg.to_vec(),
        };
        let (_, tail_at) = build(&doc(0));
        [b"Nikon\0\x02\x10\0\0".as_slice(), &build(&doc(tail_at)).0].concat()
    }

    #[test]
    fn nikon_preview_counts_only_when_its_bytes_are_there() {
        let note = nikon_note();
        let m = read_own(&note, "NIKON CORPORATION");
        assert_eq!(m.thumbnails.len(), 1, "{:?}", m.warnings);
        assert_eq!(m.thumbnails[0].source, "Maker notes (Nikon)");
        assert_eq!(m.thumbnails[0].bytes, 9);
        let m = read_own(&note[..note.len() - 3], "NIKON CORPORATION");
        assert!(m.thumbnails.is_empty());
        assert!(!m.warnings.is_empty());
    }

    fn sony_encipher(b: u8) -> u8 {
        if b >= 249 { b } else { ((b as u32).pow(3) % 249) as u8 }
    }

    #[test]
    fn sony_cipher_round_trips() {
        for b in 0..=255u8 {
            assert_eq!(sony_decipher(sony_encipher(b)), b, "{b}");
        }
    }

    #[test]
    fn sony_internal_serial_from_tag_9050() {
        let mut block = vec![sony_encipher(0); 256];
        for (i, b) in [0u8, 0, 106, 13, 112, 15].into_iter().enumerate() {
            block[0x8A + i] = sony_encipher(b);
        }
        let mut note = b"SONY DSC \0\0\0".to_vec();
        note.extend(ifd_be(&[(0x9050, 7, &block)], 8 + 12));
        let mut outer = b"MM\0*\0\0\0\x08".to_vec();
        outer.extend(&note);
        let read_model = |model: &str| {
            let mut m = Metadata::default();
            read(&outer[8..], 8, Tiff::with_order(&outer, false), "SONY", model, &mut m);
            m
        };
        assert_eq!(value(&read_model("ILCE-1"), "Sony", "InternalSerialNumber"), Some("0 0 106 13 112 15"));
        // Other models lay tag 0x9050 out differently: nothing rather than a wrong value.
        assert_eq!(value(&read_model("DSC-HX5V"), "Sony", "InternalSerialNumber"), None);
    }

    #[test]
    fn nintendo_serial_is_hex_of_the_bytes() {
        let mut info = vec![0u8; 64];
        info[..4].copy_from_slice(b"3DS1");
        info[0x18..0x1C].copy_from_slice(&[0x57, 0x5B, 0xBD, 0xF3]);
        let m = read_outer(&[(0x1100, 7, &[1]), (0x1101, 7, &info)], "Nintendo", "3DS");
        assert_eq!(value(&m, "Nintendo", "InternalSerialNumber"), Some("0x575bbdf3"));
    }

    fn reconyx_note() -> Vec<u8> {
        let mut note = vec![0u8; 0x60];
        note[..2].copy_from_slice(&[0x01, 0xF1]);
        let serial: Vec<u8> = "H500HI11244984".encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        note[0x2A..0x2A + serial.len()].copy_from_slice(&serial);
        note
    }

    #[test]
    fn reconyx_hyperfire_serial() {
        let m = read_own(&reconyx_note(), "RECONYX");
        assert_eq!(value(&m, "Reconyx", "SerialNumber"), Some("H500HI11244984"));
        assert_eq!(m.maker_notes, vec!["Reconyx".to_string()]);
    }

    #[test]
    fn samsung_trailer_is_a_samsung_maker_note() {
        let mut m = Metadata::default();
        read_samsung_trailer(b"\0\0Image_UTC_Data1593487679058SEFH\x6a\0\0\0\x24\0\0\0SEFT", &mut m);
        read_samsung_trailer(b"just some bytes", &mut m);
        assert_eq!(m.maker_notes, vec!["Samsung".to_string()]);
    }

    /// A note with its own header whose IFD offsets are relative to the outer TIFF (note at 8).
    fn read_outer_note(header: &[u8], entries: &[(u16, u16, &[u8])], make: &str) -> Metadata {
        let mut outer = b"MM\0*\0\0\0\x08".to_vec();
        outer.extend(header);
        outer.extend(ifd_be(entries, 8 + header.len()));
        let mut m = Metadata::default();
        read(&outer[8..], 8, Tiff::with_order(&outer, false), make, "", &mut m);
        m
    }

    #[test]
    fn leica_notes_are_leica_and_their_serials_are_read() {
        // X2 / T / X-U (ExifTool Leica5): offsets relative to the note, IFD 8 bytes in.
        let mut note = b"LEICA\0\x05\0".to_vec();
        note.extend(ifd_be(&[(0x0305, 4, &4_512_345u32.to_be_bytes()), (0x0500, 7, b"K24120500123\0")], 8));
        let m = read_own(&note, "LEICA CAMERA AG");
        assert_eq!(value(&m, "Leica", "SerialNumber"), Some("4512345"));
        assert_eq!(value(&m, "Leica", "InternalSerialNumber"), Some("K24120500123"));
        assert_eq!(m.maker_notes, vec!["Leica".to_string()]);
        // Q / SL / CL (Leica8): the same tags, outer offsets.
        let m = read_outer_note(b"LEICA\0\x08\0", &[(0x0305, 4, &5_000_123u32.to_be_bytes())], "LEICA CAMERA AG");
        assert_eq!(value(&m, "Leica", "SerialNumber"), Some("5000123"));
        // M8 (Leica2): SerialNumber 0x0303, printed with 7 digits.
        let m = read_outer_note(b"LEICA\0\0\0", &[(0x0303, 4, &345_678u32.to_be_bytes())], "Leica Camera AG");
        assert_eq!(value(&m, "Leica", "SerialNumber"), Some("0345678"));
        assert_eq!(m.maker_notes, vec!["Leica".to_string()]);
        // M9 (Leica4): SerialNumber 0x3103 inside the directory stored in tag 0x3100.
        let sub = ifd_be(&[(0x3103, 2, b"4561234\0")], 26);
        let mut note = b"LEICA0\x03\0".to_vec();
        note.extend(ifd_be(&[(0x3100, 7, &sub)], 8));
        assert_eq!(value(&read_own(&note, "Leica Camera AG"), "Leica", "SerialNumber"), Some("4561234"));
        // D-Lux / V-Lux (Make "LEICA", built by Panasonic): Panasonic's layout and tags.
        let m = read_outer_note(b"LEICA\0\0\0", &[(0x0025, 7, b"F541003110034\0\0\0")], "LEICA");
        assert_eq!(value(&m, "Panasonic", "InternalSerialNumber"), Some("F541003110034"));
        // D-Lux 7: "LEICA CAMERA AG\0" header, Panasonic layout 18 bytes in.
        let m = read_outer_note(b"LEICA CAMERA AG\0\0\0", &[(0x0025, 7, b"WF8HA001234\0\0\0\0\0")], "LEICA CAMERA AG");
        assert_eq!(value(&m, "Panasonic", "InternalSerialNumber"), Some("WF8HA001234"));
    }

    #[test]
    fn leica_byte_order_is_guessed() {
        // A little-endian Leica5 IFD inside a big-endian file.
        let mut note = b"LEICA\0\x05\0".to_vec();
        note.extend([1, 0, 0x05, 0x03, 4, 0, 1, 0, 0, 0, 0x39, 0x30, 0, 0, 0, 0, 0, 0]);
        assert_eq!(value(&read_own(&note, "LEICA CAMERA AG"), "Leica", "SerialNumber"), Some("12345"));
    }

    #[test]
    fn canon_lens_serial_from_lens_info() {
        let m = read_outer(&[(0x4019, 7, &[0x00, 0x00, 0x21, 0x4E, 0x1C, 0, 0, 0])], "Canon", "Canon EOS 70D");
        assert_eq!(value(&m, "Canon", "LensSerialNumber"), Some("0000214e1c"));
        let m = read_outer(&[(0x4019, 7, &[0, 0, 0, 0, 0x1C, 0, 0, 0])], "Canon", "");
        assert_eq!(value(&m, "Canon", "LensSerialNumber"), None);
    }

    #[test]
    fn hostile_notes_never_panic() {
        let (canon, _) = outer_with(&[(0x0028, 7, &[7u8; 16]), (0x1101, 7, &[5u8; 64]), (0x9050, 7, &[3u8; 256])]);
        let mut leica = b"LEICA0\x03\0".to_vec();
        leica.extend(ifd_be(&[(0x3100, 7, &ifd_be(&[(0x3103, 2, b"4561234\0")], 26))], 8));
        let cases: Vec<(Vec<u8>, &str)> =
            vec![(nikon_note(), "NIKON"), (reconyx_note(), "RECONYX"), (canon, "Canon"), (leica, "Leica Camera AG")];
        for (bytes, make) in &cases {
            for n in 0..bytes.len() {
                for model in ["", "ILCE-1"] {
                    let mut m = Metadata::default();
                    let at = 8.min(n);
                    read(&bytes[at..n], at, Tiff::with_order(&bytes[..n], false), make, model, &mut m);
                    read(&bytes[..n], 0, Tiff::with_order(&bytes[..n], false), make, model, &mut m);
                }
            }
            let mut b = bytes.clone();
            for i in (0..b.len()).step_by(3) {
                b[i] = b[i].wrapping_add(0x61);
                read(&b, 0, Tiff::with_order(&b, false), make, "ILCE-1", &mut Metadata::default());
            }
        }
    }
}
