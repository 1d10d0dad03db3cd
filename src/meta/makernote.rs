//! Maker notes: the camera maker's private EXIF directory (tag 0x927C).
//!
//! Owns: recognising the vendor (from the note's signature or the Make tag) and
//! decoding the few fields that identify a person or a camera — serial numbers
//! and owner names — for Canon, Nikon, Olympus, Panasonic, Sigma, Pentax and
//! Fujifilm. Fields use ExifTool's -G1 group names (`Canon`, `Nikon`, …).
//! Everything else in a maker note is ignored. It never decides what is risky.

use super::Metadata;
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
/// the outer EXIF TIFF `outer`, `make` the IFD0 Make.
pub fn read(note: &[u8], note_at: usize, outer: Tiff<'_>, make: &str, meta: &mut Metadata) {
    let vendor_from_make = vendor_name(make);
    let layout = layout(note, note_at, outer, make);
    let vendor = layout.as_ref().map(|l| l.vendor).or(vendor_from_make).unwrap_or("Unknown");
    if !meta.maker_notes.iter().any(|v| v == vendor) {
        meta.maker_notes.push(vendor.to_string());
    }
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
        }
        "Nikon" => {
            add_text(meta, &l.tiff, &ifd, 0x001D, "Nikon", "SerialNumber");
            add_text(meta, &l.tiff, &ifd, 0x00A0, "Nikon", "SerialNumber");
        }
        "Olympus" => read_olympus(meta, &l.tiff, &ifd),
        "Panasonic" => add_text(meta, &l.tiff, &ifd, 0x0025, "Panasonic", "InternalSerialNumber"),
        "Sigma" => add_text(meta, &l.tiff, &ifd, 0x0002, "Sigma", "SerialNumber"),
        "Pentax" => add_text(meta, &l.tiff, &ifd, 0x0229, "Pentax", "SerialNumber"),
        "FujiFilm" => add_text(meta, &l.tiff, &ifd, 0x0010, "FujiFilm", "InternalSerialNumber"),
        _ => {}
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
        ("leica", "Panasonic"),
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

fn read_olympus(meta: &mut Metadata, t: &Tiff<'_>, ifd: &Ifd) {
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
    let text = t.text(e);
    if text.chars().any(|c| c.is_ascii_alphanumeric()) {
        meta.add(group, name, text);
    }
}

fn add_uint(meta: &mut Metadata, t: &Tiff<'_>, ifd: &Ifd, tag: u16, group: &str, name: &str) {
    if let Some(v) = ifd.get(tag).and_then(|e| t.uint(e, 0)) {
        meta.add(group, name, v.to_string());
    }
}
