//! JPEG: drops every metadata segment the walker lists except the ones the
//! decoder needs to show the same picture (JFIF APP0, Adobe APP14 colour
//! transform, ICC profile chunks), and everything after the end-of-image marker
//! (MPF images, motion-photo video). The coded picture is copied unchanged.
//! A new minimal EXIF, when there is something to keep, goes right after SOI/JFIF.

use super::CleanOptions;
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
