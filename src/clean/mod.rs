//! Clean: rewrites a photo into a safer copy. It returns new bytes with the
//! hidden details removed, plus what was kept on purpose and how many bytes it
//! dropped without being able to read them.
//!
//! It owns the *rewriting*, from an allow-list: each format module (`jpeg`,
//! `png`, `webp`, `gif`; one signature, [`Input`] → [`Rebuilt`]) writes the copy
//! again from the parts it parsed and knows the picture needs, with exact lengths;
//! everything else is dropped. What is kept on purpose is written fresh (`keep`:
//! a minimal EXIF; `profile`: the colour profile). It never changes the input.
//!
//! Paths:
//! - **lossless** (JPEG, PNG, WebP, GIF): the coded picture is kept (or, for a
//!   lossless WebP or a GIF, decoded and encoded again losslessly), so the pixels
//!   are exactly the same.
//! - **re-encoded** (areas to cover, and TIFF input; only with the `reencode`
//!   feature, which brings the image codecs): `codec` decodes, turns the
//!   picture upright, `cover` covers, `codec` encodes again; the result is
//!   rebuilt like any other copy. Lab TIFFs are converted to sRGB (see `tiff`).
//!   A build without it (the core wasm) answers [`CleanError::NeedsReencode`]
//!   for such a copy (and for a still lossless WebP, whose codec comes with it),
//!   and the page asks the picture module, which has it.
//! - HEIC/HEIF/AVIF: `heif` rebuilds the boxes it keeps.
//! - A DNG (camera raw) is shared as the camera's own JPEG preview (see `dng`).
//!
//! It does not decide whether a copy may be offered: `crate::safer` checks
//! every copy twice (a separate structural validator, then the reader) first.

use crate::container::{Container, Format, WalkError};
use crate::meta::Metadata;
use crate::report::{ErrorKind, Kept};

#[cfg(feature = "reencode")]
mod codec;
mod cover;
mod dng;
mod gif;
mod heif;
mod jpeg;
mod keep;
mod lzw;
mod name;
mod png;
pub(crate) mod profile;
mod scan;
pub(crate) mod stages;
#[cfg(feature = "reencode")]
mod tiff;
mod webp;

pub use cover::{CoverBox, CoverStyle};
pub use name::safer_copy_name;
pub use stages::last_stage_times;
pub(crate) use keep::TOWN_STEP;

/// What to keep and what to cover. The default removes everything that can
/// identify someone and keeps what makes the picture look the same.
#[derive(Debug, Clone)]
pub struct CleanOptions {
    /// Keep the date and time the photo was taken, so albums still sort it in the right place.
    pub keep_date: bool,
    /// Replace the exact location by a rough one (rounded to 0.1°, about 10 km), enough to name the town but not the street or house.
    pub town_only: bool,
    /// Keep the photographer's name and copyright notice, for people who want credit for their work.
    pub keep_author: bool,
    /// Keep which way up the photo is shown (on by default), so it does not appear on its side.
    pub keep_orientation: bool,
    /// Keep the colour profile (on by default), so colours look the same; it says nothing about anyone.
    pub keep_colour_profile: bool,
    /// Areas to cover for good (faces, name tags, house numbers), in upright pixel coordinates.
    pub cover: Vec<CoverBox>,
    /// How covered areas look: big blocks of average colour, or one solid colour.
    pub cover_style: CoverStyle,
}

impl Default for CleanOptions {
    fn default() -> Self {
        CleanOptions {
            keep_date: false,
            town_only: false,
            keep_author: false,
            keep_orientation: true,
            keep_colour_profile: true,
            cover: Vec::new(),
            cover_style: CoverStyle::Pixelate,
        }
    }
}

/// Why no safer copy was made. Messages are for people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CleanError {
    /// The file could not be read at all (its walk error says why, and which kind).
    Unreadable(WalkError),
    /// This kind of file cannot be cleaned (yet).
    Unsupported(String),
    /// The pixels could not be decoded or encoded again.
    Image(String),
    /// A box to cover lies outside the picture.
    BadBox(String),
    /// The copy must decode the picture and encode it again (areas to cover, a TIFF, a lossless WebP), and this
    /// build has no image codecs (feature `reencode`): the core wasm hands such a copy to the
    /// picture module. Never seen by people when both are there.
    NeedsReencode,
    /// The new copy still gives something away; it is not offered.
    NotSafe(String),
}

impl std::fmt::Display for CleanError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CleanError::Unreadable(e) => f.write_str(&e.message),
            CleanError::Unsupported(m)
            | CleanError::Image(m)
            | CleanError::BadBox(m)
            | CleanError::NotSafe(m) => f.write_str(m),
            CleanError::NeedsReencode => f.write_str(
                "This copy has to draw the picture again (to cover areas, or to turn a TIFF into a PNG), \
                 and that part of ThinkTwice is not loaded.",
            ),
        }
    }
}

impl std::error::Error for CleanError {}

impl CleanError {
    /// The kind, for front ends that say it in the user's language ([`ErrorKind::catalog_key`]).
    pub fn kind(&self) -> ErrorKind {
        match self {
            CleanError::Unreadable(e) => e.kind,
            CleanError::Unsupported(_) | CleanError::NeedsReencode => ErrorKind::CopyUnsupported,
            CleanError::Image(_) => ErrorKind::Picture,
            CleanError::BadBox(_) => ErrorKind::BadBox,
            CleanError::NotSafe(_) => ErrorKind::NotSafe,
        }
    }
}

/// What a format's rebuild gets: the original bytes, the new minimal EXIF to
/// write (when something is kept) and the person's choices.
pub(crate) struct Input<'a> {
    pub bytes: &'a [u8],
    pub exif: Option<&'a [u8]>,
    pub options: &'a CleanOptions,
}

/// A format's rebuild: the new bytes and how many bytes of the original it
/// dropped without reading them (unknown blocks, stray bytes, extra bytes).
pub(crate) struct Rebuilt {
    pub bytes: Vec<u8>,
    pub unread: usize,
}

/// The copy as written, before it is checked (`crate::safer` checks it).
#[derive(Debug, Clone)]
pub struct Rewritten {
    pub bytes: Vec<u8>,
    /// Format of the new bytes (TIFF input and covered GIFs become PNG; DNG becomes JPEG).
    pub format: Format,
    /// True when no pixel changed.
    pub lossless: bool,
    /// Items kept on purpose that are not findings (`orientation`, `camera-preview`).
    pub kept_items: Vec<Kept>,
    /// Bytes of the original dropped without ThinkTwice reading them.
    pub unread_bytes: usize,
}

/// Writes the safer copy of a file already walked and read.
pub fn rewrite(bytes: &[u8], walked: &Container<'_>, meta: &Metadata, options: &CleanOptions) -> Result<Rewritten, CleanError> {
    let kept = keep::Kept::choose(meta, options);
    let (source, format) = match walked.format {
        // The DNG's own values (orientation, what is kept) apply to its preview.
        Format::Dng => (dng::preview(bytes)?, Format::Jpeg),
        other => (bytes, other),
    };
    let mut kept_items = Vec::new();
    if options.keep_orientation && matches!(meta.orientation, Some(2..=8)) {
        kept_items.push(Kept::Orientation);
    }
    if walked.format == Format::Dng {
        kept_items.push(dng::KEPT_ITEM);
    }
    if !options.cover.is_empty() || format == Format::Tiff {
        return redrawn(source, format, walked, meta, &kept, options, kept_items);
    }
    if matches!(format, Format::Heic | Format::Heif | Format::Avif) {
        // Orientation lives in the irot/imir properties here, not in EXIF.
        let bytes = heif::rebuild(source, kept.exif(None).as_deref(), options)?;
        return Ok(Rewritten { bytes, format, lossless: true, kept_items, unread_bytes: 0 });
    }
    let exif = kept.exif(options.keep_orientation.then_some(meta.orientation).flatten());
    let rebuilt = rebuild(format, &Input { bytes: source, exif: exif.as_deref(), options })?;
    stages::mark("write copy");
    Ok(Rewritten { bytes: rebuilt.bytes, format, lossless: true, kept_items, unread_bytes: rebuilt.unread })
}

/// The copy that decodes the picture and encodes it again (areas to cover, TIFF input).
#[cfg(feature = "reencode")]
fn redrawn(
    source: &[u8],
    format: Format,
    walked: &Container<'_>,
    meta: &Metadata,
    kept: &keep::Kept,
    options: &CleanOptions,
    kept_items: Vec<Kept>,
) -> Result<Rewritten, CleanError> {
    let new = codec::reencode(source, format, walked, meta.orientation, options)?;
    let exif = kept.exif(None);
    let input = Input { bytes: &new.bytes, exif: exif.as_deref(), options };
    let rebuilt = rebuild(new.format, &input)?;
    stages::mark("write copy");
    // Only decoded pixels reach a re-encoded copy: nothing unread can ride along.
    Ok(Rewritten { bytes: rebuilt.bytes, format: new.format, lossless: new.lossless, kept_items, unread_bytes: 0 })
}

/// Without the image codecs no picture is drawn again: the caller hands the copy on (see the module header).
#[cfg(not(feature = "reencode"))]
fn redrawn(
    _: &[u8],
    _: Format,
    _: &Container<'_>,
    _: &Metadata,
    _: &keep::Kept,
    _: &CleanOptions,
    _: Vec<Kept>,
) -> Result<Rewritten, CleanError> {
    Err(CleanError::NeedsReencode)
}

/// The one place a format picks its rebuild.
fn rebuild(format: Format, input: &Input<'_>) -> Result<Rebuilt, CleanError> {
    match format {
        Format::Jpeg => jpeg::rebuild(input),
        Format::Png => png::rebuild(input),
        Format::Webp => webp::rebuild(input),
        Format::Gif => gif::rebuild(input),
        other => Err(unsupported(other)),
    }
}

/// Largest decoded picture, in bytes (the same budget as the `image` crate's default limit).
#[cfg(feature = "reencode")]
pub(crate) const MAX_DECODED_BYTES: u64 = 512 << 20;

/// The pixels could not be decoded or encoded again (`e` says why, for the curious).
#[cfg(feature = "reencode")]
pub(crate) fn image_error(e: impl std::fmt::Display) -> CleanError {
    CleanError::Image(format!("ThinkTwice could not read the picture itself to make a new copy ({e})."))
}

pub(crate) fn unsupported(format: Format) -> CleanError {
    CleanError::Unsupported(format!(
        "ThinkTwice cannot make a safer copy of this {} file yet. You can open it in a photo app and save or \
         share a copy as JPEG or PNG, then check that copy here.",
        format.name()
    ))
}

/// Makes one small JPEG of a made-up picture (for `crate::safer::warm_up`).
#[cfg(feature = "reencode")]
pub(crate) fn warm_up_photo() -> Option<Vec<u8>> {
    let (width, height) = (512u32, 384u32);
    let pixels = image::RgbImage::from_fn(width, height, |x, y| image::Rgb([(x % 251) as u8, (y % 241) as u8, ((x ^ y) & 0xFF) as u8]));
    codec::encode_jpeg(&image::DynamicImage::ImageRgb8(pixels), codec::ChromaSampling::FULL, None).ok()
}
