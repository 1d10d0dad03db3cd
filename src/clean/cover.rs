//! The re-encoding path: decode (JPEG through `jpeg`, the rest with the `image`
//! crate), turn the picture upright, cover the chosen areas for good, and encode again.
//!
//! Covering is irreversible on purpose: a solid colour, or coarse blocks of the
//! average colour (each block at least 1/8 of the box and at least 12 px). Never
//! a blur, which can sometimes be undone. JPEG is written at quality 92 with the
//! original's colour sampling so the rest of the picture looks the same; PNG and
//! WebP stay lossless. Thumbnails and previews cannot survive: only the decoded
//! main picture is written. Where the time goes: `bench/cover.mjs`.

use super::jpeg::ChromaSampling;
use super::{keep::Kept, CleanError, CleanOptions};
use crate::container::{self, Container, Format};
use crate::meta::Metadata;
use image::metadata::Orientation;
use image::{DynamicImage, ImageBuffer, ImageDecoder, ImageEncoder, Pixel};
use std::io::Cursor;

/// JPEG quality for re-encoded copies: high enough that nothing outside the boxes visibly changes.
pub const JPEG_QUALITY: u8 = 92;
/// Smallest block edge when pixelating, in pixels.
pub const MIN_BLOCK: u32 = 12;

/// An area to cover, in upright pixel coordinates (as the picture is shown).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CoverBox {
    pub x: u32,
    pub y: u32,
    pub w: u32,
    pub h: u32,
}

/// How a covered area looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CoverStyle {
    /// Big blocks of average colour: you can see something was there, but not who.
    #[default]
    Pixelate,
    /// One solid dark grey: nothing of the area is left.
    Solid,
}

/// A decoded picture and what the copy keeps from the original's coding.
pub(super) struct Decoded {
    pub picture: DynamicImage,
    pub icc: Option<Vec<u8>>,
    /// The orientation the decoder found; the metadata's own reading comes first.
    pub orientation: Orientation,
    /// Colour sampling for a JPEG copy (the original's, see `jpeg::ChromaSampling`).
    pub chroma: ChromaSampling,
}

/// Decodes, orients, covers and encodes again; then adds what is kept as a new EXIF.
pub(super) fn reencode(
    bytes: &[u8],
    walked: &Container<'_>,
    meta: &Metadata,
    kept: &Kept,
    options: &CleanOptions,
) -> Result<(Vec<u8>, Format, bool), CleanError> {
    let out_format = match walked.format {
        Format::Jpeg | Format::Png | Format::Webp => walked.format,
        Format::Tiff => super::tiff::OUTPUT,
        other => return Err(super::unsupported(other)),
    };
    let lab = super::tiff::decode_lab(bytes);
    // Lab colours are converted to sRGB: close, but not the same numbers.
    let colours_converted = lab.is_some();
    let Decoded { picture: mut img, icc, orientation, mut chroma } = match lab {
        // Lab TIFF: converted to sRGB here; its EXIF orientation applies below.
        Some(lab) => Decoded { picture: lab?, icc: None, orientation: Orientation::NoTransforms, chroma: ChromaSampling::FULL },
        None if walked.format == Format::Jpeg => super::jpeg::decode(bytes)?,
        None => decode(bytes)?,
    };
    super::stages::mark("decode");
    if walked.format == Format::Tiff {
        super::tiff::check_main_picture(walked, &img)?;
    }
    if options.keep_orientation {
        let o = meta.orientation.and_then(|o| Orientation::from_exif(o as u8)).unwrap_or(orientation);
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
    let icc = if options.keep_colour_profile { icc } else { None };
    let encoded = match out_format {
        Format::Jpeg => super::jpeg::encode(&img, chroma, icc.as_deref())?,
        _ => encode_lossless(&img, out_format, icc)?,
    };
    super::stages::mark("encode");
    // The new file holds no metadata but what the encoder writes; add the kept values.
    let walked_new = container::walk(&encoded).map_err(|e| CleanError::Image(e.message))?;
    let exif = kept.exif(None);
    let out = match out_format {
        Format::Jpeg => super::jpeg::strip(&encoded, &walked_new, exif.as_deref(), options),
        Format::Png => super::png::strip(&encoded, &walked_new, exif.as_deref(), options),
        _ => super::webp::strip(&encoded, &walked_new, exif.as_deref(), options)?,
    };
    // TIFF → PNG keeps every pixel (unless Lab); covering changes pixels by design.
    Ok((out, out_format, options.cover.is_empty() && !colours_converted))
}

pub(super) fn image_error(e: impl std::fmt::Display) -> CleanError {
    CleanError::Image(format!("ThinkTwice could not read the picture itself to make a new copy ({e})."))
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

/// Covers one box (clipped to the picture). A box fully outside is an error, so no face is missed silently.
pub fn cover(img: &mut DynamicImage, b: CoverBox, style: CoverStyle) -> Result<(), CleanError> {
    let (w, h) = (img.width(), img.height());
    let x1 = b.x.saturating_add(b.w).min(w);
    let y1 = b.y.saturating_add(b.h).min(h);
    if b.x >= x1 || b.y >= y1 {
        return Err(CleanError::BadBox(format!(
            "The area {},{} {}×{} is outside the picture ({w}×{h}).",
            b.x, b.y, b.w, b.h
        )));
    }
    let area = Area { x0: b.x, y0: b.y, x1, y1, block: block_size(x1 - b.x, y1 - b.y, style) };
    match img {
        DynamicImage::ImageLuma8(i) => cover_buffer(i, &area, style),
        DynamicImage::ImageLumaA8(i) => cover_buffer(i, &area, style),
        DynamicImage::ImageRgb8(i) => cover_buffer(i, &area, style),
        DynamicImage::ImageRgba8(i) => cover_buffer(i, &area, style),
        DynamicImage::ImageLuma16(i) => cover_buffer(i, &area, style),
        DynamicImage::ImageLumaA16(i) => cover_buffer(i, &area, style),
        DynamicImage::ImageRgb16(i) => cover_buffer(i, &area, style),
        DynamicImage::ImageRgba16(i) => cover_buffer(i, &area, style),
        DynamicImage::ImageRgb32F(i) => cover_buffer(i, &area, style),
        DynamicImage::ImageRgba32F(i) => cover_buffer(i, &area, style),
        _ => return Err(CleanError::Image("This picture's pixel type cannot be covered.".into())),
    }
    Ok(())
}

/// Block edge: at least 1/8 of the box's longer side and at least MIN_BLOCK; a solid fill is one block.
pub fn block_size(w: u32, h: u32, style: CoverStyle) -> u32 {
    match style {
        CoverStyle::Solid => w.max(h),
        CoverStyle::Pixelate => w.max(h).div_ceil(8).max(MIN_BLOCK),
    }
}

struct Area {
    x0: u32,
    y0: u32,
    x1: u32,
    y1: u32,
    block: u32,
}

/// Sample types the image crate decodes to, as f64 and back (rounded for integers).
trait Sample: Copy {
    const MAX: f64;
    fn to_f64(self) -> f64;
    fn from_f64(v: f64) -> Self;
}

/// Integers round to the nearest value (`as` saturates at the type's range).
macro_rules! integer_sample {
    ($($t:ty),*) => {$(
        impl Sample for $t {
            const MAX: f64 = <$t>::MAX as f64;
            fn to_f64(self) -> f64 {
                self as f64
            }
            fn from_f64(v: f64) -> Self {
                v.round() as $t
            }
        }
    )*};
}
integer_sample!(u8, u16);

impl Sample for f32 {
    const MAX: f64 = 1.0;
    fn to_f64(self) -> f64 {
        self as f64
    }
    fn from_f64(v: f64) -> Self {
        v as f32
    }
}

/// Works on the raw samples row by row (a pixel is `n` samples in a row): covering the
/// top half of a 12 MP photo went from ~120 ms to a few ms in Chromium this way.
fn cover_buffer<P: Pixel>(img: &mut ImageBuffer<P, Vec<P::Subpixel>>, a: &Area, style: CoverStyle)
where
    P::Subpixel: Sample,
{
    let n = P::CHANNEL_COUNT as usize;
    let max = <P::Subpixel as Sample>::MAX;
    let stride = img.width() as usize * n;
    let samples: &mut [P::Subpixel] = img;
    // Samples [x0, x1) of each row in ys.
    let rows = |ys: std::ops::Range<u32>, x0: u32, x1: u32| {
        ys.map(move |y| y as usize * stride + x0 as usize * n..y as usize * stride + x1 as usize * n)
    };
    let mut by = a.y0;
    while by < a.y1 {
        let ey = (by + a.block).min(a.y1);
        let mut bx = a.x0;
        while bx < a.x1 {
            let ex = (bx + a.block).min(a.x1);
            let mut fill = [0f64; 4]; // a pixel has at most 4 samples
            match style {
                // Dark grey; the alpha channel (last of an even count) fully opaque.
                CoverStyle::Solid => {
                    for (c, v) in fill.iter_mut().enumerate().take(n) {
                        *v = if c == n - 1 && n.is_multiple_of(2) { max } else { 0.25 * max };
                    }
                }
                CoverStyle::Pixelate => {
                    let mut count = 0f64;
                    for row in rows(by..ey, bx, ex) {
                        for pixel in samples[row].chunks_exact(n) {
                            for (s, v) in fill.iter_mut().zip(pixel) {
                                *s += v.to_f64();
                            }
                            count += 1.0;
                        }
                    }
                    fill.iter_mut().for_each(|s| *s /= count.max(1.0));
                }
            }
            let fill: Vec<P::Subpixel> = fill[..n].iter().map(|v| Sample::from_f64(*v)).collect();
            for row in rows(by..ey, bx, ex) {
                for pixel in samples[row].chunks_exact_mut(n) {
                    pixel.copy_from_slice(&fill);
                }
            }
            bx = ex;
        }
        by = ey;
    }
}
