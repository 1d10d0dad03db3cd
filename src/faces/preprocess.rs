//! Resizes a photo into the detector's canvas and maps boxes back.
//!
//! The photo is scaled (up or down) so its long side is `long_side`, placed at the top-left of a
//! canvas whose sides are padded up to multiples of 32 (the networks' largest stride).

use crate::report::Face;
use image::{imageops, ImageBuffer, Rgb};

/// The scaled photo, ready for a model's tensor builder.
pub struct Canvas {
    /// Scaled RGB8 pixels, `content_w × content_h × 3` (no padding).
    pub rgb: Vec<u8>,
    pub content_w: usize,
    pub content_h: usize,
    /// Canvas size (multiples of 32, ≥ content).
    pub width: usize,
    pub height: usize,
    /// canvas pixels per source pixel.
    scale: f32,
    source_w: f32,
    source_h: f32,
}

fn pad32(n: usize) -> usize {
    n.div_ceil(32).max(1) * 32
}

/// Scales `rgb` (`width × height`) so its long side is `long_side`.
pub fn fit(rgb: &[u8], width: u32, height: u32, long_side: u32) -> Canvas {
    let long = width.max(height).max(1) as f32;
    let scale = long_side.max(32) as f32 / long;
    let cw = ((width as f32 * scale).round() as u32).max(1);
    let ch = ((height as f32 * scale).round() as u32).max(1);
    let rgb = if (cw, ch) == (width, height) {
        rgb.to_vec()
    } else {
        // A big photo is first box-averaged by an integer factor (one cheap pass) so the
        // Triangle filter, whose cost grows with the shrink factor, only shrinks by < 4×.
        // (The dropped edge remainder, < factor px, shifts boxes by < 0.2%: ignored.)
        let factor = (width.max(height) / long_side.max(32).saturating_mul(2)).max(1);
        let (pre, pw, ph) = if factor >= 2 {
            box_reduce(rgb, width, height, factor)
        } else {
            (rgb.to_vec(), width, height)
        };
        let src: ImageBuffer<Rgb<u8>, Vec<u8>> = match ImageBuffer::from_raw(pw, ph, pre) {
            Some(b) => b,
            None => return empty(width, height),
        };
        imageops::resize(&src, cw, ch, imageops::FilterType::Triangle).into_raw()
    };
    Canvas {
        rgb,
        content_w: cw as usize,
        content_h: ch as usize,
        width: pad32(cw as usize),
        height: pad32(ch as usize),
        scale,
        source_w: width as f32,
        source_h: height as f32,
    }
}

/// The image mirrored left–right (packed RGB8, `width` pixels a row).
pub fn mirror(rgb: &[u8], width: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(rgb.len());
    for row in rgb.chunks_exact(width.max(1) * 3) {
        out.extend(row.chunks_exact(3).rev().flatten());
    }
    out
}

/// Averages each `factor × factor` block of RGB pixels (edge remainders are dropped).
fn box_reduce(rgb: &[u8], width: u32, height: u32, factor: u32) -> (Vec<u8>, u32, u32) {
    let (w, h, k) = (width as usize, height as usize, factor as usize);
    let (ow, oh) = (w / k, h / k);
    let mut out = vec![0u8; ow * oh * 3];
    let mut sums = vec![0u32; ow * 3];
    let div = (k * k) as u32;
    for oy in 0..oh {
        sums.iter_mut().for_each(|s| *s = 0);
        for y in oy * k..oy * k + k {
            let row = &rgb[y * w * 3..y * w * 3 + ow * k * 3];
            for (ox, block) in row.chunks_exact(k * 3).enumerate() {
                for px in block.chunks_exact(3) {
                    sums[ox * 3] += px[0] as u32;
                    sums[ox * 3 + 1] += px[1] as u32;
                    sums[ox * 3 + 2] += px[2] as u32;
                }
            }
        }
        for (o, s) in out[oy * ow * 3..(oy + 1) * ow * 3].iter_mut().zip(&sums) {
            *o = (s / div) as u8;
        }
    }
    (out, ow as u32, oh as u32)
}

fn empty(width: u32, height: u32) -> Canvas {
    Canvas {
        rgb: vec![0; 3],
        content_w: 1,
        content_h: 1,
        width: 32,
        height: 32,
        scale: 1.0,
        source_w: width as f32,
        source_h: height as f32,
    }
}

impl Canvas {
    /// Fills an NCHW f32 tensor (canvas size, zero padding) with `f(channel_value, channel_index)`;
    /// `order` picks which RGB channel feeds each tensor plane (e.g. [2,1,0] for BGR).
    pub fn to_nchw(&self, order: [usize; 3], f: impl Fn(u8, usize) -> f32) -> Vec<f32> {
        let plane = self.width * self.height;
        let mut out = vec![0.0f32; 3 * plane];
        for (c, &src_c) in order.iter().enumerate() {
            let dst = &mut out[c * plane..(c + 1) * plane];
            for y in 0..self.content_h {
                let src_row = &self.rgb[y * self.content_w * 3..(y + 1) * self.content_w * 3];
                let dst_row = &mut dst[y * self.width..y * self.width + self.content_w];
                for (d, px) in dst_row.iter_mut().zip(src_row.chunks_exact(3)) {
                    *d = f(px[src_c], c);
                }
            }
        }
        out
    }

    /// A box in canvas pixels → source pixels, clipped to the image; None if nothing is left.
    pub fn to_source(&self, f: &Face) -> Option<Face> {
        let x0 = (f.x / self.scale).clamp(0.0, self.source_w);
        let y0 = (f.y / self.scale).clamp(0.0, self.source_h);
        let x1 = ((f.x + f.w) / self.scale).clamp(0.0, self.source_w);
        let y1 = ((f.y + f.h) / self.scale).clamp(0.0, self.source_h);
        (x1 > x0 && y1 > y0).then_some(Face {
            x: x0,
            y: y0,
            w: x1 - x0,
            h: y1 - y0,
            score: f.score,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn box_reduce_averages_blocks_and_drops_the_remainder() {
        // 5×2 image, factor 2 → 2×1: blocks (0,10 / 20,30) and (40,50 / 60,70); column 4 dropped
        let mut rgb = Vec::new();
        for v in [0u8, 10, 40, 50, 255, 20, 30, 60, 70, 255] {
            rgb.extend([v, v / 2, 7]);
        }
        let (out, w, h) = box_reduce(&rgb, 5, 2, 2);
        assert_eq!((w, h), (2, 1));
        assert_eq!(out, vec![15, 7, 7, 55, 27, 7]);
    }

    #[test]
    fn mirror_reverses_each_row_and_keeps_pixels_whole() {
        let rgb = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
        assert_eq!(mirror(&rgb, 2), vec![4, 5, 6, 1, 2, 3, 10, 11, 12, 7, 8, 9]);
    }

    #[test]
    fn large_photo_is_scaled_to_the_long_side() {
        let c = fit(&vec![90u8; 1000 * 700 * 3], 1000, 700, 200);
        assert_eq!(
            (c.content_w, c.content_h, c.width, c.height),
            (200, 140, 224, 160)
        );
        assert!(c.rgb.iter().all(|&v| v == 90));
    }
}
