//! JPEG: drops every metadata segment the walker lists except the ones the
//! decoder needs to show the same picture (JFIF APP0, Adobe APP14 colour
//! transform, ICC profile chunks), and everything after the end-of-image marker
//! (MPF images, motion-photo video). The coded picture is copied unchanged.
//! A new minimal EXIF, when there is something to keep, goes right after SOI/JFIF.
//!
//! It also encodes covered pictures (`encode`), for the re-encoding path in `cover`.

use super::{cover::JPEG_QUALITY, CleanError, CleanOptions};
use crate::container::{BlockKind, Container};

/// Segments that change how the picture looks, so they stay.
fn needed_for_display(kind: &BlockKind, options: &CleanOptions) -> bool {
    match kind {
        BlockKind::Icc => options.keep_colour_profile,
        BlockKind::Other { label } => label == "JFIF" || label == "Adobe",
        _ => false,
    }
}

pub(super) fn strip(bytes: &[u8], walked: &Container<'_>, exif: Option<&[u8]>, options: &CleanOptions) -> Vec<u8> {
    let drop: Vec<_> =
        walked.blocks.iter().filter(|b| !needed_for_display(&b.kind, options)).map(|b| b.span.clone()).collect();
    // EXIF goes after a leading JFIF segment (JFIF must stay first), otherwise right after SOI.
    let jfif_end = walked
        .blocks
        .iter()
        .find(|b| b.span.start == 2 && matches!(&b.kind, BlockKind::Other { label } if label == "JFIF"))
        .map(|b| b.span.end);
    let at = jfif_end.unwrap_or(2);
    let segment = exif.and_then(app1_exif).unwrap_or_default();
    super::splice(bytes, &drop, at, &segment)
}

/// `FF E1 <len> "Exif\0\0" <tiff>`; None when it would not fit in one segment.
fn app1_exif(tiff: &[u8]) -> Option<Vec<u8>> {
    let len = u16::try_from(2 + 6 + tiff.len()).ok()?;
    let mut s = vec![0xFF, 0xE1];
    s.extend_from_slice(&len.to_be_bytes());
    s.extend_from_slice(b"Exif\0\0");
    s.extend_from_slice(tiff);
    Some(s)
}

/// Encodes 8-bit grey (1 byte a pixel) or RGB (3) pixels as a baseline JPEG at
/// [`JPEG_QUALITY`], with the colour profile when there is one. At this quality the
/// colours are not subsampled (4:4:4), so edges of the covered boxes stay sharp.
pub(super) fn encode(pixels: &[u8], width: u32, height: u32, icc: Option<&[u8]>) -> Result<Vec<u8>, CleanError> {
    let too_big = || CleanError::Image("This picture is too large to be saved as a JPEG.".into());
    let (w, h) = (u16::try_from(width).map_err(|_| too_big())?, u16::try_from(height).map_err(|_| too_big())?);
    let colour = match pixels.len() / (width as usize * height as usize).max(1) {
        1 => jpeg_encoder::ColorType::Luma,
        _ => jpeg_encoder::ColorType::Rgb,
    };
    let mut out = Vec::with_capacity(pixels.len() / 4);
    let mut encoder = jpeg_encoder::Encoder::new(&mut out, JPEG_QUALITY);
    if let Some(icc) = icc {
        let _ = encoder.add_icc_profile(icc); // a profile too big for JPEG is left out, colours stay close
    }
    encoder.encode(pixels, w, h, colour).map_err(|e| CleanError::Image(format!("The new JPEG could not be written ({e}).")))?;
    Ok(out)
}
