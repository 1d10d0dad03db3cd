//! Metadata readers: raw blocks from a container walk become typed, named values.
//! Every value is named the way ExifTool names it (`group` + `tag`, e.g.
//! `ExifIFD` / `SerialNumber`, `XMP-dc` / `Creator`, `IPTC` / `City`) so that
//! findings rules are simple tables and tests compare with ExifTool directly.
//! Readers never decide what is risky; that is `findings`' job.

use crate::container::{BlockKind, Container};

pub mod c2pa;
pub mod charset;
pub mod exif;
mod exif_names;
pub mod flir;
pub mod icc;
pub mod iptc;
pub mod makernote;
pub mod irb;
pub mod text;
pub mod xmp;

/// One value read from a file.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// ExifTool-style group: `IFD0`, `ExifIFD`, `GPS`, `IFD1`, `XMP-dc`, `XMP-iptcCore`,
    /// `IPTC`, `Photoshop`, `ICC_Profile`, `PNG`, `File` (comments), `MakerNotes`, …
    pub group: String,
    /// ExifTool-style tag name: `Artist`, `SerialNumber`, `City`, `RegionName`, …
    pub tag: String,
    /// The value as readable text (numbers formatted, binary summarised).
    pub value: String,
}

/// A coordinate pair found in the file.
#[derive(Debug, Clone, PartialEq)]
pub struct GeoPoint {
    pub lat: f64,
    pub lon: f64,
    /// Where it came from, for people: `EXIF GPS`, `XMP`, `IPTC Extension`, `Maker notes`.
    pub source: String,
}

/// An image, video or other data hidden inside the file.
#[derive(Debug, Clone, PartialEq)]
pub struct Embedded {
    /// Where it sits: `EXIF IFD1`, `Photoshop`, `HEIF thumbnail item`, `MPF`, `After the end of the image`, …
    pub source: String,
    /// What it is, in a few words: `JPEG thumbnail 160×120`, `MP4 video`, …
    pub what: String,
    pub bytes: usize,
}

/// Everything the readers learnt about one file.
#[derive(Debug, Clone, Default)]
pub struct Metadata {
    pub fields: Vec<Field>,
    /// Real coordinates (not 0/0, not empty), in the order found; EXIF first.
    pub positions: Vec<GeoPoint>,
    /// Coordinate tags exist but hold 0/0 or nothing: the location was hidden or never known.
    pub gps_placeholder: Vec<Field>,
    /// Preview images whose data is actually in the file.
    pub thumbnails: Vec<Embedded>,
    /// Extra images, video or data after the end.
    pub hidden_media: Vec<Embedded>,
    /// Maker-note vendors present (`Canon`, `Nikon`, `Apple`, …).
    pub maker_notes: Vec<String>,
    /// Content Credentials (C2PA) manifests embedded in the file, active one last.
    pub credentials: Vec<c2pa::Manifest>,
    /// EXIF orientation (1–8) when present.
    pub orientation: Option<u16>,
    /// Problems met while reading (kept for the curious; never fatal).
    pub warnings: Vec<String>,
    /// Parts the readers skipped (the per-file work budget ran out, a block too big
    /// to unpack): reported like the parts the walkers did not understand.
    pub unread: Vec<crate::container::Unread>,
    /// What is left of the file's work budget (started by the walker).
    pub budget: crate::container::budget::Budget,
}

impl Metadata {
    pub fn add(&mut self, group: &str, tag: &str, value: impl Into<String>) {
        let value = value.into();
        let value = value.trim_matches(|c: char| c == '\0' || c.is_whitespace()).to_string();
        if value.is_empty() || self.fields.len() >= 50_000 {
            return;
        }
        self.fields.push(Field { group: group.to_string(), tag: tag.to_string(), value });
    }

    /// Notes `bytes` bytes skipped because the file's work budget ran out.
    pub(crate) fn skipped_for_budget(&mut self, bytes: usize) {
        self.unread.push(crate::container::Unread {
            place: crate::container::budget::SKIPPED_PLACE.into(),
            bytes,
            text_like: false,
        });
    }

    /// All values of a tag, in any group.
    pub fn values<'s>(&'s self, tag: &'s str) -> impl Iterator<Item = &'s Field> + 's {
        self.fields.iter().filter(move |f| f.tag == tag)
    }
}

/// UTF-16 text, big- or little-endian; unpaired surrogates become U+FFFD and an odd last byte is ignored.
pub(crate) fn utf16_lossy(bytes: &[u8], big_endian: bool) -> String {
    let units = bytes.chunks_exact(2).map(|p| {
        if big_endian {
            u16::from_be_bytes([p[0], p[1]])
        } else {
            u16::from_le_bytes([p[0], p[1]])
        }
    });
    char::decode_utf16(units).map(|r| r.unwrap_or('\u{FFFD}')).collect()
}

/// The text before the first NUL (fixed-size fields hold C-style strings).
pub(crate) fn until_nul(s: &str) -> &str {
    s.split('\0').next().unwrap_or("")
}

/// Reads every block of a walked container.
pub fn read(container: &Container<'_>) -> Metadata {
    let mut meta = Metadata { budget: container.budget, ..Metadata::default() };
    let mut extended_xmp: Vec<&[u8]> = Vec::new();
    let mut icc_chunks: Vec<&[u8]> = Vec::new();
    let mut flir_chunks: Vec<&[u8]> = Vec::new();
    let mut jumbf_segments: Vec<&[u8]> = Vec::new();
    for block in &container.blocks {
        let data: &[u8] = &block.data;
        match &block.kind {
            BlockKind::Exif => exif::read(data, &mut meta),
            BlockKind::Xmp => xmp::read(data, &mut meta),
            BlockKind::XmpExtended => extended_xmp.push(data),
            BlockKind::Icc => icc_chunks.push(data),
            BlockKind::PhotoshopIrb => irb::read(data, &mut meta),
            BlockKind::Iptc => iptc::read(data, &mut meta),
            BlockKind::Comment => text::read_comment(data, container.format, &mut meta),
            BlockKind::PngText { chunk } => text::read_png_text(chunk, data, &mut meta),
            BlockKind::PngTime => text::read_png_time(data, &mut meta),
            BlockKind::Mpf => exif::read_mpf(data, block.span.clone(), container, &mut meta),
            BlockKind::Thumbnail => meta.thumbnails.push(Embedded {
                source: match container.format {
                    // JFIF / JFXX header blocks carry a preview; HEIF has thumbnail items.
                    crate::container::Format::Jpeg => "JFIF header".into(),
                    f => format!("{} thumbnail item", f.name()),
                },
                what: "a small preview image".into(),
                bytes: data.len(),
            }),
            BlockKind::EmbeddedMedia { what } => meta.hidden_media.push(Embedded {
                source: container.format.name().to_string(),
                what: what.clone(),
                bytes: data.len(),
            }),
            BlockKind::Trailer => {
                text::read_trailer(data, &mut meta);
                makernote::read_samsung_trailer(data, &mut meta);
            }
            BlockKind::Other { label } if label == "APP1 FLIR" => flir_chunks.push(data),
            BlockKind::Other { label } if label == "APP11 JUMBF" => jumbf_segments.push(data),
            // PNG `caBX`, WebP `C2PA`, TIFF tag 0xCD41 and the HEIF/AVIF C2PA box hold one whole manifest store.
            BlockKind::Other { label } if label == "caBX" || label == "C2PA" => read_credentials(data, &mut meta),
            BlockKind::Other { .. } => {}
        }
    }
    if !extended_xmp.is_empty() {
        xmp::read_extended(&extended_xmp, &mut meta);
    }
    for store in c2pa::join_jpeg_segments(&jumbf_segments) {
        read_credentials(&store, &mut meta);
    }
    if !flir_chunks.is_empty() {
        flir::read_chunks(&flir_chunks, &mut meta);
    }
    if !icc_chunks.is_empty() {
        icc::read_chunks(&icc_chunks, container.format, &mut meta);
    }
    meta
}

/// Reads one C2PA manifest store and files what it holds where the other readers
/// file the same facts (names, GPS, previews), each marked as from Content Credentials.
fn read_credentials(store: &[u8], meta: &mut Metadata) {
    const SOURCE: &str = "Content Credentials";
    let manifests = c2pa::read_store(store, &mut meta.warnings);
    if manifests.is_empty() && meta.unread.len() < 10_000 {
        // Not a manifest store ThinkTwice can read: unknown, and reported as such.
        meta.unread.push(crate::container::Unread::new("in Content Credentials that ThinkTwice could not read", store));
    }
    for m in manifests {
        for name in &m.authors {
            meta.add(c2pa::GROUP, "Author", name.as_str());
        }
        for name in &m.identities {
            meta.add(c2pa::GROUP, "IdentityName", name.as_str());
        }
        if let Some(device) = &m.device {
            meta.add(c2pa::GROUP, "Model", device.as_str());
        }
        if let Some(time) = &m.time {
            meta.add(c2pa::GROUP, "DateTimeOriginal", time.as_str());
        }
        if let Some((lat, lon)) = m.gps {
            meta.positions.push(GeoPoint { lat, lon, source: SOURCE.into() });
        }
        for &bytes in &m.ingredient_thumbnails {
            let what = "a preview of an earlier version of the picture".to_string();
            meta.thumbnails.push(Embedded { source: SOURCE.into(), what, bytes });
        }
        if meta.credentials.len() < 64 {
            meta.credentials.push(m);
        }
    }
}
