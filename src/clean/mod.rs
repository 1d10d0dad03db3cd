//! Clean: makes a safer copy of a photo. It returns new bytes with the hidden
//! details removed, plus what was removed and what was kept, in the finding
//! vocabulary (`gps-location`, `person-name`, …).
//!
//! It owns the *rewriting*: dropping the blocks that the container walkers list
//! (their `span`s), writing a small new EXIF for what the person chose to keep,
//! and covering areas of the picture. It must not parse containers itself (the
//! walkers in `container` do that, once) and must never change the input slice.
//!
//! Two paths:
//! - **lossless** (JPEG, PNG, WebP): the coded picture is copied byte for byte;
//!   only metadata blocks are dropped, so the pixels are exactly the same.
//! - **re-encoded** (areas to cover, and TIFF input): decode with the `image`
//!   crate, turn the picture upright, cover, and encode again (see `cover`).
//!   Lab TIFFs are converted to sRGB on the way (see `tiff`), so not lossless.
//!
//! A DNG (camera raw) is shared as the camera's own JPEG preview (see `dng`),
//! which then takes the JPEG path.
//!
//! Every copy is checked again with [`crate::check`] before it is returned: if
//! anything identifying is still there that the person did not choose to keep,
//! `clean` returns an error instead of bytes.

use crate::container::{self, BlockKind, Container, Format, WalkError};
use crate::meta::{self, Metadata};
use crate::report::{ErrorKind, FindingId, Kept, Report};

mod cover;
mod dng;
mod heif;
mod jpeg;
mod keep;
mod margin;
mod png;
pub(crate) mod stages;
mod tiff;
mod webp;

pub use cover::{CoverBox, CoverStyle};
pub use margin::{grown_box, CODE_MARGIN, FACE_MARGIN};
pub use stages::last_stage_times;

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

/// A safer copy and what happened to make it.
#[derive(Debug, Clone)]
pub struct Cleaned {
    pub bytes: Vec<u8>,
    /// Format of the new bytes (TIFF input becomes PNG; see `tiff`).
    pub format: Format,
    /// Findings that were in the original and are gone now.
    pub removed: Vec<FindingId>,
    /// Findings kept by choice, plus plain items kept on purpose (`orientation`, `colour-profile`).
    pub kept: Vec<Kept>,
    /// True when the coded picture was copied unchanged (no pixel touched).
    pub lossless: bool,
    /// ThinkTwice's check of the new bytes.
    pub verified_report: Report,
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
        }
    }
}

impl std::error::Error for CleanError {}

impl CleanError {
    /// The kind, for front ends that say it in the user's language ([`ErrorKind::catalog_key`]).
    pub fn kind(&self) -> ErrorKind {
        match self {
            CleanError::Unreadable(e) => e.kind,
            CleanError::Unsupported(_) => ErrorKind::CopyUnsupported,
            CleanError::Image(_) => ErrorKind::Picture,
            CleanError::BadBox(_) => ErrorKind::BadBox,
            CleanError::NotSafe(_) => ErrorKind::NotSafe,
        }
    }
}

/// Findings that a choice allows to stay.
fn allowed_ids(options: &CleanOptions) -> Vec<Kept> {
    let mut ids = Vec::new();
    if options.keep_date {
        ids.push(Kept::CaptureTime);
    }
    if options.town_only {
        ids.push(Kept::GpsLocation);
    }
    if options.keep_author {
        ids.push(Kept::PersonName);
    }
    ids
}

/// Makes one small covered copy of a made-up picture and says whether it worked.
/// The browser compiles WebAssembly in tiers: the first covered copy of a real
/// photo is ~300 ms slower unless the decode/cover/encode paths already ran once,
/// so the page calls this while the user is still reading the first verdict.
pub fn warm_up() -> bool {
    let (width, height) = (512u32, 384u32);
    let pixels = image::RgbImage::from_fn(width, height, |x, y| image::Rgb([(x % 251) as u8, (y % 241) as u8, ((x ^ y) & 0xFF) as u8]));
    let Ok(photo) = jpeg::encode(&image::DynamicImage::ImageRgb8(pixels), jpeg::ChromaSampling::FULL, None) else {
        return false;
    };
    let options = CleanOptions { cover: vec![CoverBox { x: 64, y: 64, w: 160, h: 120 }], ..Default::default() };
    clean(&photo, &options).is_ok_and(|copy| !copy.lossless)
}

/// Makes a safer copy of `bytes`. The input is never modified; the copy is
/// checked again before it is returned.
pub fn clean(bytes: &[u8], options: &CleanOptions) -> Result<Cleaned, CleanError> {
    stages::start();
    let walked = container::walk(bytes).map_err(CleanError::Unreadable)?;
    let meta = meta::read(&walked);
    let original = crate::check::report_from("original", &walked, &meta, &crate::CheckOptions::default());
    let kept_exif = keep::Kept::choose(&meta, options);
    stages::mark("check original");
    let (out, format, lossless) = if walked.format == Format::Dng {
        // The DNG's own values (orientation, what is kept) apply to its preview.
        let preview = dng::upright_preview(bytes, meta.orientation, options)?;
        let walked_preview = container::walk(&preview).map_err(CleanError::Unreadable)?;
        rewrite(&preview, &walked_preview, &meta::read(&walked_preview), &kept_exif, options)?
    } else {
        rewrite(bytes, &walked, &meta, &kept_exif, options)?
    };
    // Whatever the path (lossless, re-encoded, Lab converted, DNG preview), the copy itself says
    // whether it carries a colour profile.
    let has_colour_profile = container::walk(&out).is_ok_and(|c| has_icc(&c));
    stages::mark("write copy"); // after a re-encode: only the new metadata is written here
    let verified = crate::check(&out, "safer copy", &crate::CheckOptions::default());
    verify(&verified, options)?;
    stages::mark("re-check copy");

    let mut kept: Vec<Kept> = Vec::new();
    for item in allowed_ids(options) {
        if verified.findings.iter().any(|f| Some(f.id) == item.finding()) {
            kept.push(item);
        }
    }
    if options.keep_orientation && matches!(meta.orientation, Some(2..=8)) {
        kept.push(Kept::Orientation);
    }
    if options.keep_colour_profile && has_colour_profile {
        kept.push(Kept::ColourProfile);
    }
    if walked.format == Format::Dng {
        kept.push(dng::KEPT_ITEM);
    }
    let removed = original
        .findings
        .iter()
        .filter(|f| !verified.findings.iter().any(|v| v.id == f.id))
        .map(|f| f.id)
        .collect();
    Ok(Cleaned { bytes: out, format, removed, kept, lossless, verified_report: verified })
}

/// Whether the file carries a colour profile (ICC block).
fn has_icc(walked: &Container<'_>) -> bool {
    walked.blocks.iter().any(|b| b.kind == BlockKind::Icc)
}

/// Picks the path for this file: lossless block dropping, or decode + re-encode.
fn rewrite(
    bytes: &[u8],
    walked: &Container<'_>,
    meta: &Metadata,
    kept: &keep::Kept,
    options: &CleanOptions,
) -> Result<(Vec<u8>, Format, bool), CleanError> {
    let reencode = !options.cover.is_empty() || matches!(walked.format, Format::Tiff);
    if reencode {
        return cover::reencode(bytes, walked, meta, kept, options);
    }
    if matches!(walked.format, Format::Heic | Format::Heif | Format::Avif) {
        // Orientation lives in the irot/imir properties here, not in EXIF.
        return Ok((heif::rebuild(bytes, kept.exif(None).as_deref(), options)?, walked.format, true));
    }
    let exif = kept.exif(options.keep_orientation.then_some(meta.orientation).flatten());
    let out = match walked.format {
        Format::Jpeg => jpeg::strip(bytes, walked, exif.as_deref(), options),
        Format::Png => png::strip(bytes, walked, exif.as_deref(), options),
        Format::Webp => webp::strip(bytes, walked, exif.as_deref(), options)?,
        other => return Err(unsupported(other)),
    };
    Ok((out, walked.format, true))
}

pub(crate) fn unsupported(format: Format) -> CleanError {
    CleanError::Unsupported(format!(
        "ThinkTwice cannot make a safer copy of this {} file yet. You can open it in a photo app and save or \
         share a copy as JPEG or PNG, then check that copy here.",
        format.name()
    ))
}

/// Refuses a copy that still gives away something the person did not choose to keep.
fn verify(report: &Report, options: &CleanOptions) -> Result<(), CleanError> {
    if let Some(err) = &report.error {
        return Err(CleanError::NotSafe(format!("The new copy could not be checked again: {err}")));
    }
    let allowed: Vec<FindingId> = allowed_ids(options).iter().filter_map(|k| k.finding()).collect();
    let left: Vec<&str> = report
        .findings
        .iter()
        .filter(|f| !allowed.contains(&f.id) || (f.id == FindingId::GpsLocation && !is_rounded(f)))
        .map(|f| f.id.as_str())
        .collect();
    if left.is_empty() {
        return Ok(());
    }
    Err(CleanError::NotSafe(format!(
        "ThinkTwice made a copy but it still gives away something ({}), so it is not offered. \
         Please tell us about this file.",
        left.join(", ")
    )))
}

/// A town-only location: every coordinate is a multiple of the rounding step.
fn is_rounded(f: &crate::report::Finding) -> bool {
    let coordinates = f.evidence.iter().filter(|e| e.field == "GPSLatitude" || e.field == "GPSLongitude");
    coordinates.clone().count() > 0 && coordinates.into_iter().all(|e| match e.value.parse::<f64>() {
        Ok(v) => ((v / keep::TOWN_STEP) - (v / keep::TOWN_STEP).round()).abs() < 1e-4,
        Err(_) => false,
    })
}

/// Copies `bytes` without the byte ranges in `drop` and with `insert` placed at
/// offset `at` (an offset in the original). Ranges may be in any order.
pub(crate) fn splice(bytes: &[u8], drop: &[std::ops::Range<usize>], at: usize, insert: &[u8]) -> Vec<u8> {
    let mut drop: Vec<std::ops::Range<usize>> = drop.iter().filter(|r| r.start < r.end).cloned().collect();
    drop.sort_by_key(|r| r.start);
    let mut out = Vec::with_capacity(bytes.len() + insert.len());
    let mut pos = 0;
    let mut inserted = false;
    for r in drop {
        let start = r.start.max(pos).min(bytes.len());
        if !inserted && at <= start {
            out.extend_from_slice(&bytes[pos..at.max(pos)]);
            out.extend_from_slice(insert);
            pos = at.max(pos);
            inserted = true;
        }
        out.extend_from_slice(&bytes[pos..start]);
        pos = r.end.max(pos).min(bytes.len());
    }
    if !inserted {
        let at = at.clamp(pos, bytes.len());
        out.extend_from_slice(&bytes[pos..at]);
        out.extend_from_slice(insert);
        pos = at;
    }
    out.extend_from_slice(&bytes[pos..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warm_up_makes_a_covered_copy() {
        assert!(warm_up());
    }

    #[test]
    fn splice_drops_ranges_and_inserts_once() {
        let b = b"0123456789";
        assert_eq!(splice(b, &[2..4, 6..7], 5, b"X"), b"014X5789".to_vec());
        assert_eq!(splice(b, &[6..7, 2..4], 0, b"X"), b"X0145789".to_vec());
        assert_eq!(splice(b, &[], 10, b"X"), b"0123456789X".to_vec());
        assert_eq!(splice(b, &[0..b.len()], 3, b"X"), b"X".to_vec());
        // Overlapping and out-of-range drops never panic.
        assert_eq!(splice(b, &[1..5, 3..8, 9..50], 2, b""), b"08".to_vec());
    }
}
