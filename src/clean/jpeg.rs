//! JPEG: drops every metadata segment the walker lists except the ones the
//! decoder needs to show the same picture (JFIF APP0, Adobe APP14 colour
//! transform, ICC profile chunks), and everything after the end-of-image marker
//! (MPF images, motion-photo video). The coded picture is copied unchanged.
//! A new minimal EXIF, when there is something to keep, goes right after SOI/JFIF.
//!
//! For the re-encoding path (`cover`) it also decodes a JPEG straight into 8-bit
//! pixels (`decode`) and encodes covered pixels again (`encode`), keeping the
//! original's colour detail (chroma subsampling) and colour profile.

use super::cover::{image_error, Decoded, JPEG_QUALITY};
use super::{CleanError, CleanOptions};
use crate::container::{BlockKind, Container};

/// Segments that change how the picture looks, so they stay. The colour profile
/// is written again from its colours only (`profile`), never copied.
fn needed_for_display(kind: &BlockKind) -> bool {
    matches!(kind, BlockKind::Other { label } if label == "JFIF" || label == "Adobe")
}

/// Bytes of profile per APP2 segment: 65,535 − 2 (length) − 12 ("ICC_PROFILE\0") − 2 (sequence).
const ICC_CHUNK: usize = 65_519;

/// The profile as APP2 segments: `FF E2 <len> "ICC_PROFILE\0" <n> <count> <part>`.
pub(super) fn app2_icc(profile: &[u8]) -> Vec<u8> {
    let parts: Vec<&[u8]> = profile.chunks(ICC_CHUNK).collect();
    let mut out = Vec::new();
    if parts.len() > 255 {
        return out; // cannot be stored in JPEG; leave it out
    }
    for (i, part) in parts.iter().enumerate() {
        out.extend_from_slice(&[0xFF, 0xE2]);
        out.extend_from_slice(&((2 + 12 + 2 + part.len()) as u16).to_be_bytes());
        out.extend_from_slice(b"ICC_PROFILE\0");
        out.extend_from_slice(&[i as u8 + 1, parts.len() as u8]);
        out.extend_from_slice(part);
    }
    out
}

/// The original's whole profile, joined from its blocks (JPEG APP2 chunks in order).
pub(super) fn joined_icc(walked: &Container<'_>) -> Option<Vec<u8>> {
    let parts: Vec<&[u8]> = walked.blocks.iter().filter(|b| b.kind == BlockKind::Icc).map(|b| &*b.data).collect();
    (!parts.is_empty()).then(|| parts.concat())
}

pub(super) fn strip(bytes: &[u8], walked: &Container<'_>, exif: Option<&[u8]>, options: &CleanOptions) -> Vec<u8> {
    let drop: Vec<_> =
        walked.blocks.iter().filter(|b| !needed_for_display(&b.kind)).map(|b| b.span.clone()).collect();
    // EXIF goes after a leading JFIF segment (JFIF must stay first), otherwise right after SOI.
    let jfif_end = walked
        .blocks
        .iter()
        .find(|b| b.span.start == 2 && matches!(&b.kind, BlockKind::Other { label } if label == "JFIF"))
        .map(|b| b.span.end);
    let at = jfif_end.unwrap_or(2);
    let mut segments = exif.and_then(app1_exif).unwrap_or_default();
    let profile = joined_icc(walked).and_then(|icc| super::profile::profile_for_copy(&icc, options.keep_colour_profile));
    segments.extend(profile.map(|p| app2_icc(&p)).unwrap_or_default());
    super::splice(bytes, &drop, at, &segments)
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

/// Largest decoded picture, in bytes (the same budget as the `image` crate's default limit).
const MAX_DECODED_BYTES: u64 = 512 << 20;

/// How many brightness samples share one colour sample, across × down (1×1: none shared,
/// 2×2: the "4:2:0" most cameras write). The copy keeps the original's, so it loses
/// no colour detail it still had, and is not made bigger and slower by detail it never had.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct ChromaSampling {
    pub across: u8,
    pub down: u8,
}

impl ChromaSampling {
    pub const FULL: ChromaSampling = ChromaSampling { across: 1, down: 1 };

    fn of(ratio: zune_jpeg::SampleRatios) -> ChromaSampling {
        use zune_jpeg::SampleRatios;
        match ratio {
            SampleRatios::HV => ChromaSampling { across: 2, down: 2 },
            SampleRatios::H => ChromaSampling { across: 2, down: 1 },
            SampleRatios::V => ChromaSampling { across: 1, down: 2 },
            // Unusual ratios (4:1:1...) are written at full colour detail: never less than the original.
            SampleRatios::None | SampleRatios::Generic(..) => ChromaSampling::FULL,
        }
    }

    /// The same sampling after the picture is turned a quarter: across and down swap.
    pub fn turned(self) -> ChromaSampling {
        ChromaSampling { across: self.down, down: self.across }
    }

    fn factor(self) -> jpeg_encoder::SamplingFactor {
        use jpeg_encoder::SamplingFactor;
        match (self.across, self.down) {
            (2, 2) => SamplingFactor::F_2_2,
            (2, 1) => SamplingFactor::F_2_1,
            (1, 2) => SamplingFactor::F_1_2,
            _ => SamplingFactor::F_1_1,
        }
    }
}

/// Decodes the main picture with zune-jpeg straight into the buffer the copy is made from:
/// grey stays grey, everything else (YCbCr, CMYK, YCCK) becomes RGB.
pub(super) fn decode(bytes: &[u8]) -> Result<Decoded, CleanError> {
    use zune_jpeg::zune_core::{bytestream::ZCursor, colorspace::ColorSpace, options::DecoderOptions};
    let options = DecoderOptions::default().set_strict_mode(false).set_max_width(usize::MAX).set_max_height(usize::MAX);
    let mut decoder = zune_jpeg::JpegDecoder::new_with_options(ZCursor::new(bytes), options);
    decoder.decode_headers().map_err(image_error)?;
    let info = decoder.info().ok_or_else(|| image_error("no picture header"))?;
    let grey = decoder.input_colorspace() == Some(ColorSpace::Luma);
    let out_colour = if grey { ColorSpace::Luma } else { ColorSpace::RGB };
    let (width, height) = (u32::from(info.width), u32::from(info.height));
    if u64::from(width) * u64::from(height) * out_colour.num_components() as u64 > MAX_DECODED_BYTES {
        return Err(CleanError::Image(format!("This picture ({width}×{height}) is too large to make a new copy.")));
    }
    decoder.set_options(decoder.options().jpeg_set_out_colorspace(out_colour));
    let pixels = decoder.decode().map_err(image_error)?;
    let picture = if grey {
        image::GrayImage::from_raw(width, height, pixels).map(image::DynamicImage::ImageLuma8)
    } else {
        image::RgbImage::from_raw(width, height, pixels).map(image::DynamicImage::ImageRgb8)
    };
    let picture = picture.ok_or_else(|| image_error("fewer pixels than the header says"))?;
    let chroma = ChromaSampling::of(info.sample_ratio);
    // Orientation: the metadata reader's (the same EXIF) is used.
    Ok(Decoded { picture, icc: decoder.icc_profile(), orientation: image::metadata::Orientation::NoTransforms, chroma })
}

/// Encodes 8-bit grey (1 byte a pixel) or RGB (3) pixels as a baseline JPEG at
/// [`JPEG_QUALITY`] with the given colour sampling, and the colour profile when there is one.
pub(super) fn encode(
    picture: &image::DynamicImage,
    chroma: ChromaSampling,
    icc: Option<&[u8]>,
) -> Result<Vec<u8>, CleanError> {
    let too_big = || CleanError::Image("This picture is too large to be saved as a JPEG.".into());
    let width = u16::try_from(picture.width()).map_err(|_| too_big())?;
    let height = u16::try_from(picture.height()).map_err(|_| too_big())?;
    let colour = match picture {
        image::DynamicImage::ImageLuma8(_) => jpeg_encoder::ColorType::Luma,
        image::DynamicImage::ImageRgb8(_) => jpeg_encoder::ColorType::Rgb,
        _ => return Err(CleanError::Image("Only 8-bit grey or RGB pixels can be saved as a JPEG.".into())),
    };
    let mut out = Vec::with_capacity(picture.as_bytes().len() / 4);
    let mut encoder = jpeg_encoder::Encoder::new(&mut out, JPEG_QUALITY);
    encoder.set_sampling_factor(chroma.factor());
    if let Some(icc) = icc {
        let _ = encoder.add_icc_profile(icc); // a profile too big for JPEG is left out, colours stay close
    }
    encoder
        .encode(picture.as_bytes(), width, height, colour)
        .map_err(|e| CleanError::Image(format!("The new JPEG could not be written ({e}).")))?;
    Ok(out)
}
