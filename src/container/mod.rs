//! Container walkers: one module per file family. Each walker lists the metadata
//! blocks of a file with their byte ranges. `check` reads the blocks' data;
//! `clean` (a later module) rewrites the file around their spans, so there is
//! one parser with two uses. Walkers never interpret metadata themselves.

use crate::report::ErrorKind;
use std::borrow::Cow;
use std::ops::Range;

pub mod bmff;
pub mod budget;
pub mod gif;
pub mod jpeg;
pub mod png;
pub mod tiff;
pub(crate) mod vp8;
pub mod webp;

/// Hard limits every walker respects (hostile files must not exhaust time or memory).
pub mod limits {
    /// Largest file we agree to look at.
    pub const MAX_FILE_BYTES: usize = 200 * 1024 * 1024;
    /// Most blocks/segments/chunks/boxes listed for one file.
    pub const MAX_BLOCKS: usize = 10_000;
    /// Deepest nesting of boxes (ISO-BMFF) or IFDs (TIFF).
    pub const MAX_DEPTH: usize = 16;
    /// Largest decompressed text chunk (PNG zTXt/iTXt, iCCP).
    pub const MAX_INFLATED_BYTES: usize = 8 * 1024 * 1024;
    /// Largest XMP packet (after Extended XMP is joined).
    pub const MAX_XMP_BYTES: usize = 16 * 1024 * 1024;
}

/// The file family, shared with the report (its name, MIME type and extensions live there).
pub use crate::report::Format;

/// What a block holds. Payload conventions are documented per variant so that
/// readers in `meta` know exactly what bytes they get.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BlockKind {
    /// A TIFF-structured EXIF block: data starts at the TIFF header (`II*\0` / `MM\0*`).
    Exif,
    /// One XMP packet (UTF-8 XML).
    Xmp,
    /// One JPEG Extended XMP chunk: data = 32-byte GUID, u32 BE full length,
    /// u32 BE offset, then the chunk bytes.
    XmpExtended,
    /// An ICC profile (or, in JPEG, one APP2 chunk of it: data starts after the
    /// 2-byte sequence number/count header).
    Icc,
    /// Photoshop image resource blocks (`8BIM` …): IPTC, thumbnails, paths.
    PhotoshopIrb,
    /// Raw IPTC-IIM records (`0x1C` …), e.g. TIFF tag 33723.
    Iptc,
    /// Free text comment (JPEG COM, GIF comment extension), raw bytes.
    Comment,
    /// A PNG text chunk; `chunk` is `tEXt`, `zTXt` or `iTXt`; data is the raw chunk data.
    PngText { chunk: String },
    /// PNG `tIME` chunk (7 bytes).
    PngTime,
    /// JPEG APP2 MPF index (TIFF-structured, data starts at the TIFF header).
    Mpf,
    /// A stored preview image (e.g. a HEIC thumbnail item).
    Thumbnail,
    /// Extra images or video stored inside the file (MPF images, HEIC auxiliary
    /// items, motion-photo video); `what` says which in a few words.
    EmbeddedMedia { what: String },
    /// Bytes after the end of the image (JPEG after EOI, PNG after IEND, …).
    Trailer,
    /// Any other metadata block, e.g. a vendor APPn segment; `label` names it.
    Other { label: String },
}

/// One metadata block of a file.
#[derive(Debug, Clone)]
pub struct Block<'a> {
    pub kind: BlockKind,
    /// The whole on-disk extent (markers, headers, padding): what `clean` removes.
    pub span: Range<usize>,
    /// The payload, borrowed when contiguous, owned when joined from several extents.
    pub data: Cow<'a, [u8]>,
}

/// A walked file: its format, stored pixel size and metadata blocks.
#[derive(Debug, Clone)]
pub struct Container<'a> {
    pub format: Format,
    /// Pixel size as stored (before EXIF/irot orientation is applied).
    pub width: Option<u32>,
    pub height: Option<u32>,
    /// Rotation the container itself asks for, in degrees clockwise (HEIF `irot`).
    pub rotation: Option<u16>,
    pub blocks: Vec<Block<'a>>,
    /// Oddities met while walking (truncation, bad lengths). The walk still returns what it found.
    pub warnings: Vec<String>,
    /// Parts of the file the walker did not understand (unknown blocks, stray or
    /// extra bytes). `findings` reports them: what is not read cannot be vouched for.
    pub unread: Vec<Unread>,
    /// What is left of the file's work budget after the walk (the readers spend the rest).
    pub budget: budget::Budget,
}

/// A part of a file that ThinkTwice does not read, so it cannot say what it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unread {
    /// Where it sits, in plain words that finish "… bytes …": "in a block named “APP6”",
    /// "between two blocks", "after the end of the picture".
    pub place: String,
    pub bytes: usize,
    /// Whether it looks like words a person could read (more likely to say something).
    pub text_like: bool,
}

impl Unread {
    pub fn new(place: impl Into<String>, data: &[u8]) -> Self {
        Unread { place: place.into(), bytes: data.len(), text_like: looks_like_text(data) }
    }
}

/// True when `data` holds a run of at least 8 letters, digits or punctuation in a row
/// (ASCII or UTF-16), the way a name, phone number or e-mail address is stored.
pub fn looks_like_text(data: &[u8]) -> bool {
    const RUN: usize = 8;
    let printable = |b: u8| (0x20..0x7F).contains(&b);
    let ascii = data.split(|&b| !printable(b)).any(|run| run.len() >= RUN && run.iter().any(|b| b.is_ascii_alphanumeric()));
    let utf16 = |skip: usize| {
        let mut run = 0;
        for pair in data.get(skip..).unwrap_or(&[]).chunks_exact(2) {
            let (lo, hi) = (pair[0], pair[1]);
            // Either byte order: one zero byte and one printable byte.
            if (hi == 0 && printable(lo) && lo != b' ') || (lo == 0 && printable(hi) && hi != b' ') {
                run += 1;
                if run >= RUN {
                    return true;
                }
            } else {
                run = 0;
            }
        }
        false
    };
    ascii || utf16(0) || utf16(1)
}

impl<'a> Container<'a> {
    pub fn new(format: Format) -> Self {
        Container {
            format,
            width: None,
            height: None,
            rotation: None,
            blocks: Vec::new(),
            warnings: Vec::new(),
            unread: Vec::new(),
            budget: budget::Budget::default(),
        }
    }

    /// Notes a part of the file that was not read (`place` as in [`Unread::place`]).
    /// Empty parts are not worth a word.
    pub fn not_read(&mut self, place: impl Into<String>, data: &[u8]) {
        if !data.is_empty() && self.unread.len() < limits::MAX_BLOCKS {
            self.unread.push(Unread::new(place, data));
        }
    }

    /// Adds a block whose data is the contiguous range `data` of `bytes`.
    pub fn push(&mut self, kind: BlockKind, span: Range<usize>, bytes: &'a [u8], data: Range<usize>) {
        if self.blocks.len() < limits::MAX_BLOCKS {
            self.blocks.push(Block { kind, span, data: Cow::Borrowed(&bytes[data]) });
        } else {
            self.not_read(budget::SKIPPED_PLACE, &bytes[span]);
        }
    }
}

/// A file that could not be walked at all: a kind for front ends to translate,
/// and the English sentence for people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WalkError {
    pub kind: ErrorKind,
    pub message: String,
}

impl WalkError {
    /// A known format whose structure cannot be read.
    pub fn damaged(message: impl Into<String>) -> Self {
        WalkError { kind: ErrorKind::Damaged, message: message.into() }
    }
}

impl std::fmt::Display for WalkError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// Recognises the file family from its first bytes.
pub fn sniff(bytes: &[u8]) -> Format {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Format::Jpeg
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Format::Png
    } else if bytes.len() >= 12 && &bytes[0..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Format::Webp
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Format::Gif
    } else if bytes.starts_with(b"II*\0") || bytes.starts_with(b"MM\0*") {
        tiff::sniff_dng(bytes)
    } else if bytes.len() >= 12 && &bytes[4..8] == b"ftyp" {
        bmff::sniff_brand(bytes)
    } else {
        Format::Unknown
    }
}

/// Walks any supported file. Unknown formats get a plain-language error.
pub fn walk(bytes: &[u8]) -> Result<Container<'_>, WalkError> {
    if bytes.len() > limits::MAX_FILE_BYTES {
        return Err(WalkError {
            kind: ErrorKind::TooBig,
            message: format!(
                "This file is larger than {} MB, too big for ThinkTwice to check.",
                limits::MAX_FILE_BYTES / (1024 * 1024)
            ),
        });
    }
    match sniff(bytes) {
        Format::Jpeg => jpeg::walk(bytes),
        Format::Png => png::walk(bytes),
        Format::Webp => webp::walk(bytes),
        Format::Gif => gif::walk(bytes),
        Format::Tiff | Format::Dng => tiff::walk(bytes),
        Format::Heic | Format::Heif | Format::Avif => bmff::walk(bytes),
        Format::Unknown => Err(WalkError {
            kind: ErrorKind::UnknownFormat,
            message: "This is not a photo format ThinkTwice can read. It reads JPEG, PNG, WebP, GIF, TIFF, DNG, HEIC, HEIF and AVIF.".into(),
        }),
    }
}
