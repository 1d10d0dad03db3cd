//! Finds and decodes codes in a grey (luma) picture with `rxing`.
//!
//! Two passes keep it quick on big photos and still find small codes:
//! 1. an *overview* of the whole picture, shrunk so its long side is at most
//!    [`OVERVIEW_SIDE`] — finds codes that fill a good part of the frame;
//! 2. when the picture is bigger than that, *tiles* of a less-shrunk copy
//!    (long side at most [`DETAIL_SIDE`]), overlapping so that a small code is
//!    whole in at least one tile.
//!
//! It only returns what was decoded and where; what the text means is
//! `classify`'s job. Pixel sizes are checked; nothing here can panic on odd input.

use rxing::common::HybridBinarizer;
use rxing::multi::{GenericMultipleBarcodeReader, MultipleBarcodeReader};
use rxing::{BarcodeFormat, BinaryBitmap, DecodeHints, Luma8LuminanceSource, MultiUseMultiFormatReader};
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

/// A grey picture borrowed or owned, row-major, one byte a pixel.
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
    decode_region(&overview, (0, 0, overview.width, overview.height), overview_scale, &mut found);
    if long_side > OVERVIEW_SIDE {
        let detail_scale = (DETAIL_SIDE as f32 / long_side as f32).min(1.0);
        let detail = shrink(luma, width, height, detail_scale);
        for tile in tiles(detail.width, detail.height) {
            decode_region(&detail, tile, detail_scale, &mut found);
        }
    }
    dedupe(found)
}

/// The formats people photograph: 2-D codes and the common 1-D ones. Codabar,
/// ITF and the rarer 1-D symbologies are left out: on photos of textures
/// (fences, stripes, text) they decode noise too easily.
fn hints() -> DecodeHints {
    let formats: HashSet<BarcodeFormat> = [
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
    ]
    .into_iter()
    .collect();
    DecodeHints { TryHarder: Some(true), PossibleFormats: Some(formats), ..Default::default() }
}

/// Decodes one rectangle `(x, y, w, h)` of `image`; boxes are mapped back by `1 / scale`.
fn decode_region(image: &Gray, (x0, y0, w, h): (u32, u32, u32, u32), scale: f32, out: &mut Vec<Decoded>) {
    let Some(crop) = crop(image, x0, y0, w, h) else { return };
    let Ok(source) = Luma8LuminanceSource::new(crop, w, h) else { return };
    let mut bitmap = BinaryBitmap::new(HybridBinarizer::new(source));
    let mut reader = GenericMultipleBarcodeReader::new(MultiUseMultiFormatReader::default());
    let Ok(results) = reader.decode_multiple_with_hints(&mut bitmap, &hints()) else { return };
    for r in results {
        let points: Vec<(f32, f32)> = r.getPoints().iter().map(|p| (p.x, p.y)).collect();
        let Some((bx, by, bw, bh)) = bounding_box(&points, *r.getBarcodeFormat()) else { continue };
        out.push(Decoded {
            format: *r.getBarcodeFormat(),
            text: r.getText().to_string(),
            x: (x0 as f32 + bx) / scale,
            y: (y0 as f32 + by) / scale,
            w: bw / scale,
            h: bh / scale,
        });
    }
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

fn crop(image: &Gray, x0: u32, y0: u32, w: u32, h: u32) -> Option<Vec<u8>> {
    if x0.checked_add(w)? > image.width || y0.checked_add(h)? > image.height {
        return None;
    }
    let (iw, x0, w) = (image.width as usize, x0 as usize, w as usize);
    let mut out = Vec::with_capacity(w * h as usize);
    for row in y0 as usize..(y0 + h) as usize {
        out.extend_from_slice(image.pixels.get(row * iw + x0..row * iw + x0 + w)?);
    }
    Some(out)
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
