//! Codecs for the re-encoding path: decode a picture to pixels (JPEG with
//! zune-jpeg, keeping the original's colour sampling; PNG, WebP, GIF and TIFF
//! through the `image` crate), turn it upright, let `cover` cover the chosen
//! areas, and encode it again (JPEG at quality 92 with the original's sampling;
//! PNG and WebP losslessly). Thumbnails and previews cannot survive: only the
//! decoded main picture is written. Where the time goes: `bench/cover.mjs`.
//!
//! It owns decoding and encoding only. It never writes metadata: the new file
//! goes through its format's allow-list rebuild (`jpeg`, `png`, `webp`) like
//! any other copy, which adds what is kept.

use super::cover::cover;
use super::{image_error, CleanError, CleanOptions, MAX_DECODED_BYTES};
use crate::container::{Container, Format};
use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageEncoder};
use std::io::Cursor;

/// JPEG quality for re-encoded copies: high enough that nothing outside the boxes visibly changes.
pub const JPEG_QUALITY: u8 = 92;

/// A decoded picture and what the copy keeps from the original's coding.
pub(super) struct Decoded {
    pub picture: DynamicImage,
    pub icc: Option<Vec<u8>>,
    /// The orientation the decoder found; the metadata's own reading comes first.
    pub orientation: Orientation,
    /// Colour sampling for a JPEG copy (the original's, see [`ChromaSampling`]).
    pub chroma: ChromaSampling,
}

/// A picture encoded again: its bytes (no metadata but the colour profile), their
/// format, and whether every pixel outside the boxes is exactly the same.
pub(super) struct Reencoded {
    pub bytes: Vec<u8>,
    pub format: Format,
    pub lossless: bool,
}

/// Decodes `bytes` (of `format`), turns the picture upright by `exif_orientation` (EXIF
/// numbering), covers the boxes and encodes it again.
pub(super) fn reencode(
    bytes: &[u8],
    format: Format,
    walked: &Container<'_>,
    exif_orientation: Option<u16>,
    options: &CleanOptions,
) -> Result<Reencoded, CleanError> {
    let out_format = match format {
        Format::Jpeg | Format::Png | Format::Webp => format,
        // A covered GIF is one still picture: PNG keeps its pixels exactly.
        Format::Gif => Format::Png,
        Format::Tiff => super::tiff::OUTPUT,
        other => return Err(super::unsupported(other)),
    };
    let lab = super::tiff::decode_lab(bytes);
    // Lab colours are converted to sRGB: close, but not the same numbers.
    let colours_converted = lab.is_some();
    let Decoded { picture: mut img, icc, orientation, mut chroma } = match lab {
        // Lab TIFF: converted to sRGB here; its EXIF orientation applies below.
        Some(lab) => Decoded { picture: lab?, icc: None, orientation: Orientation::NoTransforms, chroma: ChromaSampling::FULL },
        None if format == Format::Jpeg => decode_jpeg(bytes)?,
        None => decode(bytes)?,
    };
    super::stages::mark("decode");
    if format == Format::Tiff {
        super::tiff::check_main_picture(walked, &img)?;
    }
    if options.keep_orientation {
        let o = exif_orientation.and_then(|o| Orientation::from_exif(o as u8)).unwrap_or(orientation);
        if turns_a_quarter(o) {
            chroma = chroma.turned();
        }
        img.apply_orientation(o);
    }
    super::stages::mark("turn upright");
    for b in &options.cover {
        cover(&mut img, *b, options.cover_style)?;
    }
    super::stages::mark("cover");
    // Re-encoded copies carry the profile rebuilt from its colours only, like lossless ones.
    let icc = icc.and_then(|p| super::profile::profile_for_copy(&p, options.keep_colour_profile));
    let encoded = match out_format {
        Format::Jpeg => encode_jpeg(&img, chroma, icc.as_deref())?,
        _ => encode_lossless(&img, out_format, icc)?,
    };
    super::stages::mark("encode");
    // TIFF → PNG keeps every pixel (unless Lab); covering changes pixels by design.
    Ok(Reencoded { bytes: encoded, format: out_format, lossless: options.cover.is_empty() && !colours_converted })
}

fn turns_a_quarter(o: Orientation) -> bool {
    matches!(o, Orientation::Rotate90 | Orientation::Rotate270 | Orientation::Rotate90FlipH | Orientation::Rotate270FlipH)
}

/// PNG, WebP and TIFF pictures through the `image` crate (JPEGs go through `jpeg::decode`).
fn decode(bytes: &[u8]) -> Result<Decoded, CleanError> {
    let reader = image::ImageReader::new(Cursor::new(bytes)).with_guessed_format().map_err(image_error)?;
    let mut decoder = reader.into_decoder().map_err(image_error)?;
    let icc = decoder.icc_profile().ok().flatten();
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let picture = DynamicImage::from_decoder(decoder).map_err(image_error)?;
    Ok(Decoded { picture, icc, orientation, chroma: ChromaSampling::FULL })
}

/// PNG (any bit depth) or lossless WebP (8-bit): every pixel outside the boxes stays exactly the same.
fn encode_lossless(img: &DynamicImage, format: Format, icc: Option<Vec<u8>>) -> Result<Vec<u8>, CleanError> {
    let mut out = Vec::new();
    match format {
        Format::Png => {
            let img = match img {
                DynamicImage::ImageRgb32F(_) | DynamicImage::ImageRgba32F(_) => {
                    DynamicImage::ImageRgba16(img.to_rgba16())
                }
                _ => img.clone(),
            };
            let mut enc = image::codecs::png::PngEncoder::new(&mut out);
            if let Some(icc) = icc {
                let _ = enc.set_icc_profile(icc);
            }
            enc.write_image(img.as_bytes(), img.width(), img.height(), img.color().into()).map_err(image_error)?;
        }
        _ => {
            let img = if img.color().has_alpha() {
                DynamicImage::ImageRgba8(img.to_rgba8())
            } else {
                DynamicImage::ImageRgb8(img.to_rgb8())
            };
            let mut enc = image::codecs::webp::WebPEncoder::new_lossless(&mut out);
            if let Some(icc) = icc {
                let _ = enc.set_icc_profile(icc);
            }
            enc.write_image(img.as_bytes(), img.width(), img.height(), img.color().into()).map_err(image_error)?;
        }
    }
    Ok(out)
}

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
fn decode_jpeg(bytes: &[u8]) -> Result<Decoded, CleanError> {
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
pub(super) fn encode_jpeg(
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
