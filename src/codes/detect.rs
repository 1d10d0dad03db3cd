//! Finds and decodes codes in a grey (luma) picture with `rxing`.
//!
//! Two passes keep it quick on big photos and still find small codes:
//! 1. an *overview* of the whole picture, shrunk so its long side is at most
//!    [`OVERVIEW_SIDE`] — finds codes that fill a good part of the frame;
//! 2. when the picture is bigger than that, *tiles* of a less-shrunk copy
//!    (long side at most [`DETAIL_SIDE`]), overlapping so that a small code is
//!    whole in at least one tile.
//!
//! The overview is also tried turned by a few angles for Aztec, PDF417 and
//! 1-D codes, whose readers only cope with a few degrees of tilt; tiles are
//! read upright only (QR and Data Matrix find their own orientation), which
//! keeps a 12 MP photo to about a second.
//!
//! It only returns what was decoded and where; what the text means is
//! `classify`'s job. Pixel sizes are checked; nothing here can panic on odd input.

use rxing::common::HybridBinarizer;
use rxing::multi::{GenericMultipleBarcodeReader, MultipleBarcodeReader};
use rxing::{BarcodeFormat, BinaryBitmap, DecodeHints, Luma8Source, MultiUseMultiFormatReader};
use std::collections::HashSet;

/// Long side of the overview pass, in pixels.
pub const OVERVIEW_SIDE: u32 = 1280;
/// Long side of the shrunk copy that is cut into tiles.
pub const DETAIL_SIDE: u32 = 2560;
/// Tile size and overlap in the detail pass (overlap > the biggest code the overview misses).
const TILE: u32 = 1024;
const OVERLAP: u32 = 320;
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

/// A grey picture, row-major, one byte a pixel.
struct Gray {
    pixels: Vec<u8>,
    width: u32,
    height: u32,
}

/// Decodes every code found in `luma` (`width * height` bytes).
pub fn scan(luma: &[u8], width: u32, height: u32) -> Vec<Decoded> {
    let pixels = u64::from(width) * u64::from(height);
    if width == 0 || height == 0 || pixels > MAX_PIXELS || luma.len() as u64 != pixels {
        return Vec::new();
    }
    let long_side = width.max(height);
    let mut found = Vec::new();
    let overview_scale = (OVERVIEW_SIDE as f32 / long_side as f32).min(1.0);
    let overview = shrink(luma, width, height, overview_scale);
    decode_all_angles(&overview, &|x, y| (x / overview_scale, y / overview_scale), &mut found);
    if long_side > OVERVIEW_SIDE {
        let detail_scale = (DETAIL_SIDE as f32 / long_side as f32).min(1.0);
        let detail = shrink(luma, width, height, detail_scale);
        for (x0, y0, w, h) in tiles(detail.width, detail.height) {
            let Some(tile) = crop(&detail, x0, y0, w, h) else { continue };
            let to_original = |x: f32, y: f32| ((x0 as f32 + x) / detail_scale, (y0 as f32 + y) / detail_scale);
            // Upright only: turned passes on every tile would cost 5× (see TURNS).
            decode(&tile, &hints(UPRIGHT_FORMATS), &to_original, &mut found);
        }
    }
    dedupe(found)
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

/// Formats whose readers only cope with a few degrees of tilt (the ZXing
/// Aztec and PDF417 detectors, 1-D row scans): they get extra, turned passes.
/// QR and Data Matrix find their own orientation.
const TILT_SENSITIVE_FORMATS: &[BarcodeFormat] =
    &[BarcodeFormat::AZTEC, BarcodeFormat::PDF_417, BarcodeFormat::CODE_128, BarcodeFormat::CODE_39];

/// Turns tried for the tilt-sensitive formats, in degrees (a photo is rarely
/// held more than 30° off).
const TURNS: &[f32] = &[-24.0, -12.0, 12.0, 24.0];

fn hints(formats: &[BarcodeFormat]) -> DecodeHints {
    let formats: HashSet<BarcodeFormat> = formats.iter().copied().collect();
    DecodeHints { TryHarder: Some(true), PossibleFormats: Some(formats), ..Default::default() }
}

/// Decodes `image` upright with every format, then turned with the tilt-sensitive ones.
fn decode_all_angles(image: &Gray, to_original: &dyn Fn(f32, f32) -> (f32, f32), out: &mut Vec<Decoded>) {
    decode(image, &hints(UPRIGHT_FORMATS), to_original, out);
    let tilted_hints = hints(TILT_SENSITIVE_FORMATS);
    for &degrees in TURNS {
        let (turned, back) = rotate(image, degrees);
        decode(&turned, &tilted_hints, &|x, y| {
            let (sx, sy) = back(x, y);
            to_original(sx, sy)
        }, out);
    }
}

/// Decodes one grey image; `to_original` maps its pixel coordinates back to the caller's.
fn decode(image: &Gray, hints: &DecodeHints, to_original: &dyn Fn(f32, f32) -> (f32, f32), out: &mut Vec<Decoded>) {
    let Ok(source) = Luma8Source::new_with_slice(&image.pixels, image.width, image.height) else { return };
    let mut bitmap = BinaryBitmap::new(HybridBinarizer::new(source));
    let mut reader = GenericMultipleBarcodeReader::new(MultiUseMultiFormatReader::default());
    let Ok(results) = reader.decode_multiple_with_hints(&mut bitmap, hints) else { return };
    for r in results {
        let format = *r.getBarcodeFormat();
        if too_short(format, r.getText()) {
            continue;
        }
        let points: Vec<(f32, f32)> = r.getPoints().iter().map(|p| to_original(p.x, p.y)).collect();
        let Some((x, y, w, h)) = bounding_box(&points, format) else { continue };
        out.push(Decoded { format, text: r.getText().to_string(), x, y, w, h });
    }
}

/// `image` turned by `degrees` about its centre (bilinear, edges extended), in a
/// canvas big enough to hold it, and the map from turned pixels back to `image`'s.
fn rotate(image: &Gray, degrees: f32) -> (Gray, impl Fn(f32, f32) -> (f32, f32)) {
    let (sin, cos) = degrees.to_radians().sin_cos();
    let (w, h) = (image.width as f32, image.height as f32);
    let nw = (w * cos.abs() + h * sin.abs()).ceil().max(1.0);
    let nh = (w * sin.abs() + h * cos.abs()).ceil().max(1.0);
    let (cx, cy, ncx, ncy) = (w / 2.0, h / 2.0, nw / 2.0, nh / 2.0);
    let back = move |x: f32, y: f32| {
        let (dx, dy) = (x - ncx, y - ncy);
        (cx + dx * cos + dy * sin, cy - dx * sin + dy * cos)
    };
    let mut pixels = Vec::with_capacity(nw as usize * nh as usize);
    for y in 0..nh as u32 {
        for x in 0..nw as u32 {
            let (sx, sy) = back(x as f32 + 0.5, y as f32 + 0.5);
            pixels.push(sample(image, sx - 0.5, sy - 0.5));
        }
    }
    (Gray { pixels, width: nw as u32, height: nh as u32 }, back)
}

/// Bilinear sample with coordinates clamped to the image.
fn sample(image: &Gray, x: f32, y: f32) -> u8 {
    let (maxx, maxy) = ((image.width - 1) as f32, (image.height - 1) as f32);
    let (x, y) = (x.clamp(0.0, maxx), y.clamp(0.0, maxy));
    let (x0, y0) = (x.floor() as usize, y.floor() as usize);
    let (x1, y1) = ((x0 + 1).min(maxx as usize), (y0 + 1).min(maxy as usize));
    let (fx, fy) = (x - x0 as f32, y - y0 as f32);
    let w = image.width as usize;
    let p = |xx: usize, yy: usize| image.pixels.get(yy * w + xx).copied().unwrap_or(0) as f32;
    let top = p(x0, y0) * (1.0 - fx) + p(x1, y0) * fx;
    let bottom = p(x0, y1) * (1.0 - fx) + p(x1, y1) * fx;
    (top * (1.0 - fy) + bottom * fy).round() as u8
}

/// The box around a code's corner points. Detectors report finder-pattern
/// centres (QR) or one scan line (1-D), so the box is padded to cover the code.
fn bounding_box(points: &[(f32, f32)], format: BarcodeFormat) -> Option<(f32, f32, f32, f32)> {
    let finite = points.iter().filter(|(x, y)| x.is_finite() && y.is_finite());
    let (mut x0, mut y0, mut x1, mut y1) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
    for &(x, y) in finite {
        (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
    }
    if x0 > x1 {
        return None;
    }
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

/// Overlapping tiles covering a `width × height` picture, the last ones flush with the edges.
fn tiles(width: u32, height: u32) -> Vec<(u32, u32, u32, u32)> {
    let starts = |len: u32| -> Vec<u32> {
        if len <= TILE {
            return vec![0];
        }
        let stride = TILE - OVERLAP;
        let mut v: Vec<u32> = (0..).map(|i| i * stride).take_while(|s| s + TILE < len).collect();
        v.push(len - TILE);
        v
    };
    let (xs, ys) = (starts(width), starts(height));
    let mut out = Vec::with_capacity(xs.len() * ys.len());
    for &y in &ys {
        for &x in &xs {
            out.push((x, y, TILE.min(width), TILE.min(height)));
        }
    }
    out
}

fn crop(image: &Gray, x0: u32, y0: u32, w: u32, h: u32) -> Option<Gray> {
    if x0.checked_add(w)? > image.width || y0.checked_add(h)? > image.height {
        return None;
    }
    let (iw, x0, wu) = (image.width as usize, x0 as usize, w as usize);
    let mut pixels = Vec::with_capacity(wu * h as usize);
    for row in y0 as usize..(y0 + h) as usize {
        pixels.extend_from_slice(image.pixels.get(row * iw + x0..row * iw + x0 + wu)?);
    }
    Some(Gray { pixels, width: w, height: h })
}

/// Area-average shrink by `scale` (≤ 1); `scale == 1` copies.
fn shrink(luma: &[u8], width: u32, height: u32, scale: f32) -> Gray {
    let (w, h) = (width as usize, height as usize);
    let nw = ((width as f32 * scale).round() as usize).clamp(1, w);
    let nh = ((height as f32 * scale).round() as usize).clamp(1, h);
    if nw == w && nh == h {
        return Gray { pixels: luma.to_vec(), width, height };
    }
    // Source column span of each destination column, computed once.
    let span = |i: usize, n: usize, len: usize| (i * len / n, ((i + 1) * len / n).max(i * len / n + 1));
    let cols: Vec<(usize, usize)> = (0..nw).map(|i| span(i, nw, w)).collect();
    let mut pixels = Vec::with_capacity(nw * nh);
    let mut sums = vec![0u32; nw];
    for dy in 0..nh {
        let (sy0, sy1) = span(dy, nh, h);
        sums.iter_mut().for_each(|s| *s = 0);
        for sy in sy0..sy1 {
            let row = &luma[sy * w..sy * w + w];
            for (sum, &(sx0, sx1)) in sums.iter_mut().zip(&cols) {
                *sum += row[sx0..sx1].iter().map(|&p| u32::from(p)).sum::<u32>();
            }
        }
        for (sum, &(sx0, sx1)) in sums.iter().zip(&cols) {
            let count = ((sx1 - sx0) * (sy1 - sy0)) as u32;
            pixels.push((sum / count.max(1)) as u8);
        }
    }
    Gray { pixels, width: nw as u32, height: nh as u32 }
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
    fn tiles_cover_the_picture_with_overlap() {
        let t = tiles(2560, 1920);
        assert!(t.iter().any(|&(x, y, w, h)| x + w == 2560 && y + h == 1920));
        assert!(t.iter().all(|&(x, y, w, h)| x + w <= 2560 && y + h <= 1920));
        assert_eq!(tiles(800, 600), vec![(0, 0, 800, 600)]);
    }

    #[test]
    fn shrink_averages() {
        let g = shrink(&[0, 255, 0, 255], 4, 1, 0.5);
        assert_eq!((g.width, g.height, g.pixels), (2, 1, vec![127, 127]));
    }

    #[test]
    fn odd_sizes_are_refused_not_panicking() {
        assert!(scan(&[0; 10], 4, 4).is_empty());
        assert!(scan(&[], 0, 0).is_empty());
        assert!(scan(&[128; 64], 8, 8).is_empty());
    }
}
