//! DNG (camera raw): the safer copy is the camera's own finished picture, the
//! largest JPEG preview stored inside the DNG, as a JPEG.
//!
//! Why: a DNG's main image is raw sensor data that needs developing (white
//! balance, colour matrices, tone curve) before anyone can look at it, and no
//! browser can show it. What a person wants to share is the photo as the camera
//! rendered it, and cameras store exactly that as a JPEG preview (IFD0 or a
//! SubIFD, often full size). Its coded picture is copied byte for byte; its own
//! metadata is dropped by the JPEG rebuild like any other JPEG's, and the DNG's
//! orientation is written as the only EXIF value. `clean` tells the person the
//! copy is the camera's preview (kept item `camera-preview`).
//!
//! It owns finding that preview. It must not develop raw data, and refuses
//! (in plain words) when the file holds no preview big enough to share.

use super::CleanError;
use crate::container::tiff::{
    is_reduced, sub_ifd_offsets, Ifd, Tiff, MAX_IFD_CHAIN, TAG_COMPRESSION, TAG_JPEG_LENGTH, TAG_JPEG_OFFSET,
    TAG_PHOTOMETRIC, TAG_STRIP_BYTE_COUNTS, TAG_STRIP_OFFSETS,
};
use crate::container::{self, limits};
use std::collections::HashSet;

/// Smallest long side of a preview worth sharing; below this it is only a thumbnail.
pub const MIN_PREVIEW_SIDE: u32 = 1000;

/// Kept item that tells the person the copy is the camera's preview (text in www/i18n `safer.item.camera-preview`).
pub const KEPT_ITEM: crate::report::Kept = crate::report::Kept::CameraPreview;

/// Compression: old-style JPEG (6) and JPEG (7). Raw data uses 7 too, but never with RGB/YCbCr photometric.
const JPEG_COMPRESSIONS: [u32; 2] = [6, 7];
/// Photometric interpretations of a finished picture: RGB (2) and YCbCr (6).
const FINISHED_PHOTOMETRICS: [u32; 2] = [2, 6];

/// A JPEG found inside the DNG.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Preview {
    range: std::ops::Range<usize>,
    width: u32,
    height: u32,
}

/// The largest preview, a JPEG inside `bytes`, for the normal JPEG path (which
/// rebuilds it and writes the DNG's orientation and kept values as its EXIF).
pub(super) fn preview(bytes: &[u8]) -> Result<&[u8], CleanError> {
    let best = largest_preview(bytes).ok_or_else(no_preview)?;
    if best.width.max(best.height) < MIN_PREVIEW_SIDE {
        return Err(too_small(&best));
    }
    Ok(&bytes[best.range])
}

fn no_preview() -> CleanError {
    CleanError::Unsupported(
        "This camera raw (DNG) file has no finished picture inside that ThinkTwice can share (it may be cut short). \
         Open it in a photo app, save it as JPEG, then check that copy here."
            .into(),
    )
}

fn too_small(p: &Preview) -> CleanError {
    CleanError::Unsupported(format!(
        "This camera raw (DNG) file only holds a small preview ({}×{} pixels), too small to share instead of the \
         photo. Open it in a photo app, save it as JPEG, then check that copy here.",
        p.width, p.height
    ))
}

/// Every JPEG preview in the IFD tree that is really there and readable; the one with the most pixels.
fn largest_preview(bytes: &[u8]) -> Option<Preview> {
    let (t, first) = Tiff::new(bytes)?;
    all_ifds(&t, first).iter().filter_map(|ifd| preview_in(&t, ifd)).max_by_key(|p| u64::from(p.width) * u64::from(p.height))
}

/// IFD0, its chain (IFD1 …) and all SubIFDs, bounded against loops and deep trees.
fn all_ifds(t: &Tiff<'_>, first: usize) -> Vec<Ifd> {
    let mut seen = HashSet::new();
    let mut found = Vec::new();
    let mut stack = vec![(first, 0usize)];
    while let Some((offset, depth)) = stack.pop() {
        if offset == 0 || depth > limits::MAX_DEPTH || seen.len() >= MAX_IFD_CHAIN || !seen.insert(offset) {
            continue;
        }
        let Some(ifd) = t.ifd(offset) else { continue };
        stack.push((ifd.next, depth + 1));
        stack.extend(sub_ifd_offsets(t, &ifd).into_iter().map(|o| (o, depth + 1)));
        found.push(ifd);
    }
    found
}

/// The finished JPEG picture this IFD points at, if it is one (one strip, or an old-style JPEG stream).
fn preview_in(t: &Tiff<'_>, ifd: &Ifd) -> Option<Preview> {
    let value = |tag| ifd.get(tag).and_then(|e| t.uint(e, 0));
    if !JPEG_COMPRESSIONS.contains(&value(TAG_COMPRESSION)?) {
        return None;
    }
    let finished = value(TAG_PHOTOMETRIC).is_some_and(|p| FINISHED_PHOTOMETRICS.contains(&p));
    if !is_reduced(t, ifd) && !finished {
        return None; // the raw image itself (lossless JPEG of sensor data)
    }
    let (start, len) = match (value(TAG_JPEG_OFFSET), value(TAG_JPEG_LENGTH)) {
        (Some(start), Some(len)) => (start, len),
        _ if ifd.get(TAG_STRIP_OFFSETS)?.count == 1 => (value(TAG_STRIP_OFFSETS)?, value(TAG_STRIP_BYTE_COUNTS)?),
        _ => return None, // several strips: not one JPEG stream
    };
    let range = start as usize..(start as usize).checked_add(len as usize)?;
    let jpeg = t.data.get(range.clone())?;
    if !jpeg.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return None;
    }
    // The size the JPEG itself declares (its SOF), not what the IFD claims.
    let walked = container::walk(jpeg).ok()?;
    Some(Preview { range, width: walked.width?, height: walked.height? })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::container::tiff::{TAG_NEW_SUBFILE_TYPE, TAG_SUB_IFDS};
    use crate::container::tiff::test_builder::*;

    /// A baseline JPEG of the given size from the `image` crate.
    fn jpeg(width: u32, height: u32) -> Vec<u8> {
        let img = image::RgbImage::from_fn(width, height, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, 90]));
        let mut out = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 80)
            .encode(img.as_raw(), width, height, image::ExtendedColorType::Rgb8)
            .unwrap();
        out
    }

    /// IFD0 = small preview, its SubIFD = big preview, the next IFD = raw data (lossless JPEG of a
    /// CFA), all as single strips in the tail.
    fn dng(small: &[u8], big: &[u8]) -> Vec<u8> {
        let strip = |subfile: u32, photometric: u16, at: usize, len: usize| {
            vec![
                long(TAG_NEW_SUBFILE_TYPE, subfile),
                short(TAG_COMPRESSION, 7),
                short(TAG_PHOTOMETRIC, photometric),
                long(TAG_STRIP_OFFSETS, at as u32),
                long(TAG_STRIP_BYTE_COUNTS, len as u32),
            ]
        };
        let raw = jpeg(8, 8); // stands in for the sensor data: a JPEG, but with CFA photometric
        let doc = |tail_at: usize| {
            let mut ifd0 = strip(1, 6, tail_at, small.len());
            ifd0.push(bytes(50706, &[1, 4, 0, 0]));
            Doc {
                ifds: vec![
                    ifd0,
                    strip(1, 6, tail_at + small.len(), big.len()),
                    strip(0, 32803, tail_at + small.len() + big.len(), raw.len()),
                ],
                links: vec![(0, TAG_SUB_IFDS, 1)],
                next: vec![(0, 2)],
                tail: [small, big, &raw].concat(),
            }
        };
        // The IFDs' size does not depend on the offsets in them: build once to learn where the tail lands.
        let (_, tail_at) = build(&doc(0));
        build(&doc(tail_at)).0
    }

    #[test]
    fn finds_the_largest_preview_and_skips_raw_data() {
        let (small, big) = (jpeg(160, 120), jpeg(1200, 800));
        let file = dng(&small, &big);
        assert_eq!(container::sniff(&file), container::Format::Dng);
        let p = largest_preview(&file).expect("a preview");
        assert_eq!((&file[p.range.clone()], p.width, p.height), (&big[..], 1200, 800));
        assert_eq!(preview(&file).unwrap(), &big[..]);
        // Only a thumbnail-sized preview: refused in plain words.
        let file = dng(&small, &jpeg(20, 10));
        let err = preview(&file).unwrap_err();
        assert!(err.to_string().contains("160×120"), "{err}");
    }

    #[test]
    fn cut_short_or_hostile_files_never_panic() {
        let file = dng(&jpeg(32, 16), &jpeg(16, 8));
        for n in 0..file.len() {
            let _ = largest_preview(&file[..n]);
        }
        assert!(largest_preview(b"II*\0\x08\0\0\0").is_none());
    }
}
