//! Finds and decodes codes in a grey (luma) picture with `rxing`:
//! locate → put upright → decode.
//!
//! 1. `locate` proposes code-like patches on two shrunk copies (long side up
//!    to [`ANALYSIS_SIDE`] for small codes, [`OVERVIEW_SIDE`] for big ones),
//!    each a turned rectangle;
//! 2. each patch, with a quiet-zone margin, is cut out of the finest copy that
//!    is fine enough and turned upright (`gray::cut`): the Aztec, PDF417 and
//!    1-D readers only cope with a few degrees of tilt;
//! 3. rxing reads each crop; its points are mapped back to the caller's pixels.
//!
//! One plain upright pass over the overview copy stays as a fallback for
//! 2-D codes too big or too sparse to be patches, and reads several codes at
//! once; a 1-D code it reads is only a hint where to look (see
//! [`decode_overview`]).
//!
//! It only returns what was decoded and where; what the text means is
//! `classify`'s job. Pixel sizes are checked; nothing here can panic on odd input.

use super::gray::{cut, cut_mapped, Frame, Gray, Homography};
use super::locate::whiten_beside;
use super::locate::{self, Region};
use rxing::common::HybridBinarizer;
use rxing::multi::{GenericMultipleBarcodeReader, MultipleBarcodeReader};
use rxing::{BarcodeFormat, BinaryBitmap, DecodeHints, Luma8Source, MultiUseMultiFormatReader, RXingResult, Reader};
use std::collections::HashSet;
use std::f32::consts::FRAC_PI_2;

/// Long side of the copy searched for small codes (modules of 2.5 px stay visible).
pub const ANALYSIS_SIDE: u32 = 2048;
/// Long side of the copy searched for big codes and read whole as a fallback.
pub const OVERVIEW_SIDE: u32 = 1280;
/// Longest side of an upright crop handed to the readers.
const MAX_CROP: f32 = 900.0;
/// Small crops are enlarged to about this side: the Aztec and QR detectors
/// lose small codes (3–4 px a module) that they read well at twice the size.
const MIN_CROP: f32 = 320.0;
const MAX_UPSCALE: f32 = 3.0;
/// At most this many patches are read: a busy photo (text, leaves) has many.
const MAX_CANDIDATES: usize = 12;
/// Patches that failed as a grid and get a second read as bars. Busy real
/// photos have many long, unreadable patches (railings, text, tiles): without
/// this bound a 13 MP phone photo took 2.4× longer. The best-ranked come first.
const MAX_SECOND_READS: usize = 1;
/// Pictures above this many pixels are refused (a decoded 100 MP photo is already huge).
const MAX_PIXELS: u64 = 120_000_000;

/// One decoded code: its format, its text and its box in the caller's pixels.
#[derive(Debug, Clone)]
pub struct Decoded {
    pub format: BarcodeFormat,
    pub text: String,
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
}

/// Decodes every code found in `luma` (`width * height` bytes).
pub fn scan(luma: &[u8], width: u32, height: u32) -> Vec<Decoded> {
    let Some(original) = Gray::borrowed(luma, width, height) else { return Vec::new() };
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Vec::new();
    }
    let long_side = width.max(height);
    let analysis_factor = long_side.div_ceil(ANALYSIS_SIDE).max(1);
    let analysis = original.shrink(analysis_factor);
    let overview_step = analysis.width.max(analysis.height).div_ceil(OVERVIEW_SIDE).max(1);
    let overview = analysis.shrink(overview_step);
    let overview_factor = analysis_factor * overview_step;
    let levels = [(&original, 1), (&analysis, analysis_factor), (&overview, overview_factor)];

    let mut found = Vec::new();
    let mut regions = decode_overview(&overview, overview_factor as f32, &mut found);
    regions.extend(locate::find(&analysis, analysis_factor));
    if overview_step > 1 {
        regions.extend(locate::find(&overview, overview_factor));
    }
    regions.sort_by(|a, b| b.density.total_cmp(&a.density));
    let mut second_reads_left = MAX_SECOND_READS;
    for region in regions.iter().take(MAX_CANDIDATES) {
        if found.iter().any(|d| contains(d, region.centre)) {
            continue; // already read (the overview or a finer patch)
        }
        let frame = frame_for(region, width, height);
        if region.bars {
            read_bars(&levels, frame, &mut found);
        } else if !decode_one(&cut(&levels, &frame), &|x, y| frame.to_original(x, y), &mut found)
            && elongated(region)
            && second_reads_left > 0
        {
            second_reads_left -= 1;
            // A strongly skewed PDF417 has edges both ways (rows and bars)
            // and passes for a grid, whose angle then misses its rows by
            // ~10°: read it again as bars, which levels rows and bars.
            let frame = if region.half.0 >= region.half.1 { frame } else { frame.turned(FRAC_PI_2) };
            read_bars(&levels, frame, &mut found);
        }
    }
    dedupe(found)
}

/// Whether a patch is long enough to be a PDF417 or a 1-D code.
fn elongated(region: &Region) -> bool {
    region.half.0.max(region.half.1) >= 1.5 * region.half.0.min(region.half.1)
}

/// Reads the bars in `frame` (bars roughly across its x axis): their lean is
/// measured and undone first, as the row scans need them upright.
fn read_bars(levels: &[(&Gray, u32)], mut frame: Frame, out: &mut Vec<Decoded>) -> bool {
    let mut crop = cut(levels, &frame);
    let lean = locate::bar_lean(&crop);
    if lean.abs() > 0.4f32.to_radians() {
        frame = frame.turned(-lean);
        crop = cut(levels, &frame);
    }
    decode_bars(levels, &frame, crop, out)
}

/// Reads an upright crop of bars: first levelled (perspective makes its top
/// and bottom edges slope, which PDF417 rows cannot follow), then as it is;
/// both with the sides beyond the bars painted as a quiet zone. Tells whether it read a code.
fn decode_bars(levels: &[(&Gray, u32)], frame: &Frame, mut crop: Gray, out: &mut Vec<Decoded>) -> bool {
    let to_original = |x: f32, y: f32| frame.to_original(x, y);
    let Some(bars) = locate::bar_columns(&crop) else {
        return decode_one(&crop, &to_original, out);
    };
    if let Some(quad) = locate::bar_quad(&crop, bars.clone()) {
        let width = quad[1].0 - quad[0].0;
        let height = ((quad[3].1 - quad[0].1) + (quad[2].1 - quad[1].1)) / 2.0;
        let (mx, my) = ((0.06 * width).max(8.0), 0.15 * height + 4.0);
        if let Some(level) = Homography::rect_to_quad(width, height, quad) {
            let to_original = |x: f32, y: f32| {
                let (u, v) = level.apply(x - mx, y - my);
                frame.to_original(u, v)
            };
            let size = ((width + 2.0 * mx).ceil() as u32, (height + 2.0 * my).ceil() as u32);
            let mut levelled = cut_mapped(levels, size, frame.scale, &to_original);
            whiten_beside(&mut levelled, mx as usize..(mx + width) as usize);
            if decode_one(&levelled, &to_original, out) {
                // The bars' quad is a better box than the reader's points
                // (PDF417's can sit at one end of the code).
                let corners = [(mx, my), (mx + width, my), (mx + width, my + height), (mx, my + height)];
                if let (Some(d), Some(b)) = (out.last_mut(), extent(&corners.map(|(x, y)| to_original(x, y)))) {
                    (d.x, d.y, d.w, d.h) = (b.0.max(0.0), b.1.max(0.0), b.2, b.3);
                }
                return true;
            }
        }
    }
    whiten_beside(&mut crop, bars);
    decode_one(&crop, &to_original, out)
}

/// The crop around a region: a quiet-zone margin, enlarged towards
/// [`MIN_CROP`] and at most [`MAX_CROP`] pixels a side.
fn frame_for(region: &Region, width: u32, height: u32) -> Frame {
    let cell = locate::CELL as f32 * region.factor;
    let margin = 0.12 * region.half.0.max(region.half.1) + cell;
    let limit = width.max(height) as f32;
    let half = ((region.half.0 + margin).min(limit), (region.half.1 + margin).min(limit));
    let side = 2.0 * half.0.max(half.1);
    let scale = (MIN_CROP / side).clamp(1.0, MAX_UPSCALE).min(MAX_CROP / side);
    Frame { centre: region.centre, along: region.along, half, scale }
}

fn contains(d: &Decoded, (x, y): (f32, f32)) -> bool {
    x >= d.x && x <= d.x + d.w && y >= d.y && y <= d.y + d.h
}

/// The formats people photograph: 2-D codes and the common 1-D ones. Codabar,
/// ITF and the rarer 1-D symbologies are left out: on photos of textures
/// (fences, stripes, text) they decode noise too easily.
const UPRIGHT_FORMATS: &[BarcodeFormat] = &[
    BarcodeFormat::QR_CODE,
    BarcodeFormat::AZTEC,
    BarcodeFormat::PDF_417,
    BarcodeFormat::DATA_MATRIX,
    BarcodeFormat::CODE_128,
    BarcodeFormat::CODE_39,
    BarcodeFormat::EAN_13,
    BarcodeFormat::EAN_8,
    BarcodeFormat::UPC_A,
    BarcodeFormat::UPC_E,
];

fn hints(formats: &[BarcodeFormat]) -> DecodeHints {
    let formats: HashSet<BarcodeFormat> = formats.iter().copied().collect();
    DecodeHints { TryHarder: Some(true), PossibleFormats: Some(formats), ..Default::default() }
}

/// Reads every 2-D code in the overview (shrunk by `factor`) into `out`.
/// A 1-D code read there is not trusted: its modules can be about a pixel,
/// and Code 128's one check symbol then lets a wrong text through (a `tel:`
/// code came back as `t_l"+y{…`). Its place is returned instead, as a
/// region to read at full resolution, ahead of the patches.
fn decode_overview(overview: &Gray, factor: f32, out: &mut Vec<Decoded>) -> Vec<Region> {
    let Ok(source) = Luma8Source::new_with_slice(&overview.pixels, overview.width, overview.height) else {
        return Vec::new();
    };
    let mut bitmap = BinaryBitmap::new(HybridBinarizer::new(source));
    let mut reader = GenericMultipleBarcodeReader::new(MultiUseMultiFormatReader::default());
    let Ok(results) = reader.decode_multiple_with_hints(&mut bitmap, &hints(UPRIGHT_FORMATS)) else {
        return Vec::new();
    };
    let to_original = |x: f32, y: f32| (x * factor, y * factor);
    let mut bars = Vec::new();
    for r in &results {
        if is_one_d(*r.getBarcodeFormat()) {
            bars.extend(bars_region(r, factor));
        } else {
            out.extend(decoded(r, &to_original));
        }
    }
    bars
}

/// The region around a 1-D read's scan line (its first and last points),
/// as tall as a typical bar code, ranked before every patch.
fn bars_region(r: &RXingResult, factor: f32) -> Option<Region> {
    if too_short(*r.getBarcodeFormat(), r.getText()) {
        return None;
    }
    let (first, last) = (r.getPoints().first()?, r.getPoints().last()?);
    let (dx, dy) = ((last.x - first.x) * factor, (last.y - first.y) * factor);
    let length = dx.hypot(dy);
    (length.is_finite() && length > 0.0).then(|| Region {
        centre: ((first.x + last.x) / 2.0 * factor, (first.y + last.y) / 2.0 * factor),
        along: (dx / length, dy / length),
        half: (length / 2.0, length * 0.2),
        density: f32::MAX,
        factor,
        bars: true,
    })
}

/// Reads the one code expected in an upright crop; tells whether it did.
fn decode_one(image: &Gray, to_original: &dyn Fn(f32, f32) -> (f32, f32), out: &mut Vec<Decoded>) -> bool {
    let Ok(source) = Luma8Source::new_with_slice(&image.pixels, image.width, image.height) else { return false };
    let mut bitmap = BinaryBitmap::new(HybridBinarizer::new(source));
    let mut reader = MultiUseMultiFormatReader::default();
    let Ok(r) = reader.decode_with_hints(&mut bitmap, &hints(UPRIGHT_FORMATS)) else { return false };
    let before = out.len();
    out.extend(decoded(&r, to_original));
    out.len() > before
}

/// A result as a [`Decoded`], its box taken in the read image's pixels then
/// mapped back (so a turned crop gives a box around the turned code).
fn decoded(r: &RXingResult, to_original: &dyn Fn(f32, f32) -> (f32, f32)) -> Option<Decoded> {
    let format = *r.getBarcodeFormat();
    if too_short(format, r.getText()) {
        return None;
    }
    let points: Vec<(f32, f32)> = r.getPoints().iter().map(|p| (p.x, p.y)).collect();
    let (x, y, w, h) = bounding_box(&points, format)?;
    let corners = [(x, y), (x + w, y), (x, y + h), (x + w, y + h)].map(|(cx, cy)| to_original(cx, cy));
    let (x, y, w, h) = extent(&corners)?;
    Some(Decoded { format, text: r.getText().to_string(), x: x.max(0.0), y: y.max(0.0), w, h })
}

/// Smallest axis-aligned box around finite points: (x, y, w, h).
fn extent(points: &[(f32, f32)]) -> Option<(f32, f32, f32, f32)> {
    let finite = points.iter().filter(|(x, y)| x.is_finite() && y.is_finite());
    let (mut x0, mut y0, mut x1, mut y1) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
    for &(x, y) in finite {
        (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
    }
    (x0 <= x1).then_some((x0, y0, x1 - x0, y1 - y0))
}

/// The box around a code's corner points. Detectors report finder-pattern
/// centres (QR) or one scan line (1-D), so the box is padded to cover the code.
fn bounding_box(points: &[(f32, f32)], format: BarcodeFormat) -> Option<(f32, f32, f32, f32)> {
    let (x0, y0, w, h) = extent(points)?;
    let (x1, y1) = (x0 + w, y0 + h);
    let side = (x1 - x0).max(y1 - y0);
    let pad = match format {
        BarcodeFormat::QR_CODE => side * 0.15,
        _ => side * 0.05,
    };
    // A 1-D read is a line; give it the height of a typical bar code.
    let min_height = if is_one_d(format) { (x1 - x0) * 0.3 } else { 0.0 };
    let extra_y = ((min_height - (y1 - y0)) / 2.0).max(0.0);
    let (x, y) = ((x0 - pad).max(0.0), (y0 - pad - extra_y).max(0.0));
    Some((x, y, x1 + pad - x, y1 + pad + extra_y - y))
}

/// Code 39 and Code 128 have weak or no check digits: a read of a few
/// characters on a photo of stripes is more likely noise than a code.
fn too_short(format: BarcodeFormat, text: &str) -> bool {
    matches!(format, BarcodeFormat::CODE_39 | BarcodeFormat::CODE_128) && text.chars().count() < 4
}

fn is_one_d(format: BarcodeFormat) -> bool {
    !matches!(
        format,
        BarcodeFormat::QR_CODE | BarcodeFormat::AZTEC | BarcodeFormat::PDF_417 | BarcodeFormat::DATA_MATRIX
    )
}

/// One entry per (format, text): the same code is often read by both passes.
fn dedupe(found: Vec<Decoded>) -> Vec<Decoded> {
    let mut seen = HashSet::new();
    found.into_iter().filter(|d| seen.insert((d.format, d.text.clone()))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn odd_sizes_are_refused_not_panicking() {
        assert!(scan(&[0; 10], 4, 4).is_empty());
        assert!(scan(&[], 0, 0).is_empty());
        assert!(scan(&[128; 64], 8, 8).is_empty());
    }
}
