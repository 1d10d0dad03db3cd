//! TIFF: the picture is decoded and written again as PNG. Why not a trimmed
//! TIFF: TIFF keeps pixels, previews and metadata in one web of offsets (IFDs,
//! SubIFDs, strips, tiles), so rewriting it safely means a second TIFF writer;
//! PNG keeps 8- and 16-bit pixels exactly, carries the colour profile and a
//! minimal EXIF, and every browser can show it. The orientation is applied to
//! the pixels. DNG (camera raw) goes through `dng` instead.
//!
//! RGB, grey and palette TIFFs keep every pixel (the `image` crate decodes
//! them). CIE L*a*b* TIFFs (Photoshop "Lab colour", PhotometricInterpretation 8
//! or 9) are decoded here and converted to sRGB, because no browser and no PNG
//! can show Lab: the `tiff` crate unpacks the samples (any compression; it is told they
//! are RGB, since it refuses Lab), and
//! [`lab_to_srgb`] turns each pixel into the nearest sRGB colour. That copy is
//! not lossless (colours are rounded to sRGB), so `clean` says so.

use super::CleanError;
use crate::container::tiff::{Tiff, TAG_BITS_PER_SAMPLE, TAG_PHOTOMETRIC, TAG_SAMPLES_PER_PIXEL};
use crate::container::{Container, Format};
use image::DynamicImage;
use std::io::Cursor;

/// What a cleaned TIFF becomes.
pub(super) const OUTPUT: Format = Format::Png;

/// Largest Lab picture decoded, in pixels: 40 megapixels, above real Lab files, and a few hundred MB at most.
pub const MAX_LAB_PIXELS: u64 = 40_000_000;

/// PhotometricInterpretation: CIE L*a*b* with signed a*/b* (the usual one, written by Photoshop).
const CIELAB: u16 = 8;
/// PhotometricInterpretation: ICC L*a*b* with a*/b* stored with an offset (unsigned).
const ICCLAB: u16 = 9;
/// PhotometricInterpretation RGB: what the `tiff` crate is told, so that it unpacks the Lab samples.
const RGB_STAND_IN: u16 = 2;

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

/// How the first image's L*a*b* samples are stored, when it is a Lab image.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct LabLayout {
    /// Where IFD0's PhotometricInterpretation value sits in the file.
    photometric_at: usize,
    little_endian: bool,
    /// True for CIELab (a*/b* are signed), false for ICCLab (a*/b* have an offset).
    signed: bool,
}

/// True when the file's first image stores L*a*b* colours (its copy is converted, not lossless).
fn lab_layout(bytes: &[u8]) -> Option<LabLayout> {
    let (t, first): (Tiff<'_>, usize) = Tiff::new(bytes)?;
    let ifd0 = t.ifd(first)?;
    let entry = ifd0.get(TAG_PHOTOMETRIC)?;
    let signed = match t.uint(entry, 0)? as u16 {
        CIELAB => true,
        ICCLAB => false,
        _ => return None,
    };
    Some(LabLayout { photometric_at: entry.value_at, little_endian: t.little_endian, signed })
}

/// Decodes a Lab TIFF's first image to sRGB (8-bit stays 8-bit, 16-bit stays 16-bit).
/// `None` when the file is not Lab (the caller uses the `image` crate then).
pub(super) fn decode_lab(bytes: &[u8]) -> Option<Result<DynamicImage, CleanError>> {
    let layout = lab_layout(bytes)?;
    Some(decode_lab_samples(bytes, layout))
}

fn lab_error(detail: impl std::fmt::Display) -> CleanError {
    CleanError::Image(format!("ThinkTwice could not read the colours of this Lab TIFF file ({detail})."))
}

fn decode_lab_samples(bytes: &[u8], layout: LabLayout) -> Result<DynamicImage, CleanError> {
    let (t, first) = Tiff::new(bytes).ok_or_else(|| lab_error("no TIFF header"))?;
    let ifd0 = t.ifd(first).ok_or_else(|| lab_error("no first image"))?;
    let samples = ifd0.get(TAG_SAMPLES_PER_PIXEL).and_then(|e| t.uint(e, 0)).unwrap_or(1);
    if samples != 3 {
        return Err(lab_error(format!("{samples} samples per pixel; only L, a and b are supported")));
    }
    // The `tiff` crate unpacks three 8- or 16-bit samples per pixel for RGB with any compression and
    // predictor, but refuses Lab. The stored samples have the same shape, so a private copy of the file
    // says RGB, the crate unpacks the strips or tiles, and the numbers are read as L*a*b* below.
    // The input is never changed.
    let mut patched = bytes.to_vec();
    let rgb = if layout.little_endian { RGB_STAND_IN.to_le_bytes() } else { RGB_STAND_IN.to_be_bytes() };
    patched
        .get_mut(layout.photometric_at..layout.photometric_at + 2)
        .ok_or_else(|| lab_error("bad PhotometricInterpretation"))?
        .copy_from_slice(&rgb);
    let mut decoder = tiff::decoder::Decoder::new(Cursor::new(patched)).map_err(lab_error)?;
    let (width, height) = decoder.dimensions().map_err(lab_error)?;
    let pixels = u64::from(width) * u64::from(height);
    if pixels == 0 || pixels > MAX_LAB_PIXELS {
        return Err(lab_error(format!("{width}×{height} pixels is too large")));
    }
    let bits = ifd0.get(TAG_BITS_PER_SAMPLE).and_then(|e| t.uint(e, 0)).unwrap_or(1);
    let mut limits = tiff::decoder::Limits::default();
    limits.decoding_buffer_size = (pixels * 3 * u64::from(bits.div_ceil(8))) as usize; // exactly one picture
    let mut decoder = decoder.with_limits(limits);
    let want = (pixels * 3) as usize;
    match decoder.read_image().map_err(lab_error)? {
        tiff::decoder::DecodingResult::U8(s) if s.len() >= want => {
            let rgb: Vec<u8> = s[..want].chunks_exact(3).flat_map(|p| lab8_to_srgb(p, layout.signed)).collect();
            image::RgbImage::from_raw(width, height, rgb).map(DynamicImage::ImageRgb8)
        }
        tiff::decoder::DecodingResult::U16(s) if s.len() >= want => {
            let rgb: Vec<u16> = s[..want].chunks_exact(3).flat_map(|p| lab16_to_srgb(p, layout.signed)).collect();
            image::ImageBuffer::from_raw(width, height, rgb).map(DynamicImage::ImageRgb16)
        }
        _ => None,
    }
    .ok_or_else(|| lab_error(format!("{bits}-bit samples are not supported")))
}

/// One 8-bit Lab pixel to sRGB. L* is 0..255 for 0..100; a*/b* are i8 (CIELab) or value−128 (ICCLab).
fn lab8_to_srgb(p: &[u8], signed: bool) -> [u8; 3] {
    let ab = |v: u8| if signed { f64::from(v as i8) } else { f64::from(v) - 128.0 };
    let rgb = lab_to_srgb(f64::from(p[0]) * 100.0 / 255.0, ab(p[1]), ab(p[2]));
    rgb.map(|c| (c * 255.0).round() as u8)
}

/// One 16-bit Lab pixel to sRGB. CIELab: L* 0..65535 for 0..100, a*/b* i16 in 1/256 units.
/// ICCLab: L* 0..65280 for 0..100, a*/b* (value−32768)/256.
fn lab16_to_srgb(p: &[u16], signed: bool) -> [u16; 3] {
    let l_full = if signed { 65535.0 } else { 65280.0 };
    let ab = |v: u16| if signed { f64::from(v as i16) / 256.0 } else { (f64::from(v) - 32768.0) / 256.0 };
    let rgb = lab_to_srgb(f64::from(p[0]) * 100.0 / l_full, ab(p[1]), ab(p[2]));
    rgb.map(|c| (c * 65535.0).round() as u16)
}

/// The D50 white that TIFF and ICC Lab values are relative to.
const D50: [f64; 3] = [0.964_22, 1.0, 0.825_21];

/// XYZ (D50) → linear sRGB, with the Bradford adaptation from D50 to sRGB's D65 white built in
/// (Lindbloom's sRGB matrix for a D50 reference white).
const XYZ_D50_TO_LINEAR_SRGB: [[f64; 3]; 3] = [
    [3.133_856_1, -1.616_866_7, -0.490_614_6],
    [-0.978_768_4, 1.916_141_5, 0.033_454_0],
    [0.071_945_3, -0.228_991_4, 1.405_242_7],
];

/// CIE L*a*b* (D50) → sRGB, each channel 0.0..=1.0 (colours outside sRGB are clipped).
pub fn lab_to_srgb(l: f64, a: f64, b: f64) -> [f64; 3] {
    // Lab → XYZ (CIE 1976 inverse, with the linear part near black).
    const DELTA: f64 = 6.0 / 29.0;
    let finv = |t: f64| if t > DELTA { t * t * t } else { 3.0 * DELTA * DELTA * (t - 4.0 / 29.0) };
    let fy = (l + 16.0) / 116.0;
    let xyz = [D50[0] * finv(fy + a / 500.0), D50[1] * finv(fy), D50[2] * finv(fy - b / 200.0)];
    XYZ_D50_TO_LINEAR_SRGB.map(|row| {
        let linear = row[0] * xyz[0] + row[1] * xyz[1] + row[2] * xyz[2];
        srgb_gamma(linear.clamp(0.0, 1.0))
    })
}

/// The sRGB transfer curve (linear light → stored value).
fn srgb_gamma(v: f64) -> f64 {
    if v <= 0.003_130_8 {
        12.92 * v
    } else {
        1.055 * v.powf(1.0 / 2.4) - 0.055
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn to8(rgb: [f64; 3]) -> [u8; 3] {
        rgb.map(|c| (c * 255.0).round() as u8)
    }

    /// Reference colours worked out by hand (and matching LittleCMS's Lab → sRGB): the D50 white
    /// is sRGB white, neutral greys stay neutral, and the sRGB primaries' Lab values come back.
    #[test]
    fn known_lab_colours_become_the_right_srgb() {
        assert_eq!(to8(lab_to_srgb(100.0, 0.0, 0.0)), [255, 255, 255]);
        assert_eq!(to8(lab_to_srgb(0.0, 0.0, 0.0)), [0, 0, 0]);
        // L* 50 is 18.4 % luminance: sRGB 119 on every channel.
        assert_eq!(to8(lab_to_srgb(50.0, 0.0, 0.0)), [119, 119, 119]);
        // sRGB red/green/blue in Lab (D50, Bradford): 54.29 80.80 69.89 / 87.82 −79.29 80.99 / 29.57 68.30 −112.03.
        let close = |got: [u8; 3], want: [u8; 3]| got.iter().zip(want).all(|(g, w)| g.abs_diff(w) <= 1);
        assert!(close(to8(lab_to_srgb(54.29, 80.80, 69.89)), [255, 0, 0]), "{:?}", to8(lab_to_srgb(54.29, 80.80, 69.89)));
        assert!(close(to8(lab_to_srgb(87.82, -79.29, 80.99)), [0, 255, 0]));
        assert!(close(to8(lab_to_srgb(29.57, 68.30, -112.03)), [0, 0, 255]));
    }

    /// A big-endian, uncompressed CIELab TIFF of the given 8-bit L*a*b* pixels in one row.
    fn lab_tiff(pixels: &[[u8; 3]], photometric: u16) -> Vec<u8> {
        use crate::container::tiff::test_builder::*;
        let strip: Vec<u8> = pixels.concat();
        let doc = |strip_at: usize| Doc {
            ifds: vec![vec![
                long(0x0100, pixels.len() as u32),
                long(0x0101, 1),
                E { tag: TAG_BITS_PER_SAMPLE, typ: 3, count: 3, value: [0, 8, 0, 8, 0, 8].to_vec() },
                short(0x0103, 1),
                short(TAG_PHOTOMETRIC, photometric),
                long(0x0111, strip_at as u32),
                short(TAG_SAMPLES_PER_PIXEL, 3),
                long(0x0116, 1),
                long(0x0117, strip.len() as u32),
            ]],
            links: vec![],
            next: vec![],
            tail: strip.clone(),
        };
        let (_, strip_at) = build(&doc(0));
        build(&doc(strip_at)).0
    }

    #[test]
    fn decodes_a_lab_tiff_and_never_panics_on_a_cut_one() {
        let lab = [[255, 0, 0], [128, (-20i8) as u8, 30], [140, 60, 200]];
        let file = lab_tiff(&lab, CIELAB);
        assert!(lab_layout(&file).is_some());
        let img = decode_lab(&file).expect("a Lab file").expect("decodes").to_rgb8();
        let want: Vec<u8> = lab.iter().flat_map(|p| lab8_to_srgb(p, true)).collect();
        assert_eq!(img.as_raw(), &want);
        assert_eq!(&img.as_raw()[..3], &[255, 255, 255]);
        for n in 0..file.len() {
            let _ = decode_lab(&file[..n]);
        }
        assert!(lab_layout(&lab_tiff(&lab, 2)).is_none(), "RGB is not Lab");
    }

    #[test]
    fn signed_and_offset_encodings_agree() {
        // a* = −20, b* = +30 as CIELab (signed) and as ICCLab (offset 128).
        assert_eq!(lab8_to_srgb(&[128, (-20i8) as u8, 30], true), lab8_to_srgb(&[128, 108, 158], false));
        assert_eq!(lab16_to_srgb(&[65535, 0, 0], true), [65535, 65535, 65535]);
        assert_eq!(lab16_to_srgb(&[65280, 32768, 32768], false), [65535, 65535, 65535]);
    }
}
