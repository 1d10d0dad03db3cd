//! TIFF: the picture is decoded and written again as PNG (lossless, every
//! pixel the same). Why not a trimmed TIFF: TIFF keeps pixels, previews and
//! metadata in one web of offsets (IFDs, SubIFDs, strips, tiles), so rewriting
//! it safely means a second TIFF writer; PNG keeps 8- and 16-bit pixels exactly,
//! carries the colour profile and a minimal EXIF, and every browser can show it.
//! The orientation is applied to the pixels. DNG (camera raw) is refused: its
//! main picture is raw sensor data the `image` crate cannot develop, and its
//! first image is only a preview.

use super::CleanError;
use crate::container::{Container, Format};
use image::DynamicImage;

/// What a cleaned TIFF becomes.
pub(super) const OUTPUT: Format = Format::Png;

/// Refuses a copy whose decoded picture is not the file's main picture (e.g. a preview in IFD0).
pub(super) fn check_main_picture(walked: &Container<'_>, img: &DynamicImage) -> Result<(), CleanError> {
    match (walked.width, walked.height) {
        (Some(w), Some(h)) if (w, h) != (img.width(), img.height()) => Err(CleanError::Unsupported(
            "ThinkTwice cannot make a safer copy of this TIFF file yet: its main picture is not the first one stored."
                .into(),
        )),
        _ => Ok(()),
    }
}
