//! Grey pictures for the code finder: whole-number shrinks (a small pyramid)
//! and the rotated, rescaled crop that puts one code upright for the readers.
//!
//! Coordinates are continuous: pixel `i` covers `[i, i + 1)`, so a point at
//! `x` in a copy shrunk by `k` is at `x * k` in the original. Nothing here
//! panics on odd sizes: sampling clamps to the picture.

use std::borrow::Cow;

/// A grey picture, row-major, one byte a pixel; borrowed for the caller's
/// buffer, owned for shrunk copies and crops.
pub struct Gray<'a> {
    pub pixels: Cow<'a, [u8]>,
    pub width: u32,
    pub height: u32,
}

impl<'a> Gray<'a> {
    /// Wraps `pixels` when it holds exactly `width * height` bytes.
    pub fn borrowed(pixels: &'a [u8], width: u32, height: u32) -> Option<Self> {
        (width > 0 && height > 0 && pixels.len() as u64 == u64::from(width) * u64::from(height))
            .then_some(Gray { pixels: Cow::Borrowed(pixels), width, height })
    }

    /// A `k × k` box-averaged copy (`k == 1` borrows). Edge pixels that do not
    /// fill a whole box are dropped: a copy is at least 1 × 1.
    pub fn shrink(&self, k: u32) -> Gray<'_> {
        if k <= 1 {
            return Gray { pixels: Cow::Borrowed(&self.pixels), width: self.width, height: self.height };
        }
        let (w, k) = (self.width as usize, k as usize);
        let (nw, nh) = ((w / k).max(1), (self.height as usize / k).max(1));
        let (kx, ky) = (k.min(w), k.min(self.height as usize));
        let mut sums = vec![0u32; nw];
        let mut out = Vec::with_capacity(nw * nh);
        for by in 0..nh {
            sums.iter_mut().for_each(|s| *s = 0);
            for row in self.pixels[by * ky * w..].chunks(w).take(ky) {
                for (sum, block) in sums.iter_mut().zip(row.chunks_exact(kx)) {
                    *sum += block.iter().map(|&p| u32::from(p)).sum::<u32>();
                }
            }
            let count = (kx * ky) as u32;
            out.extend(sums.iter().map(|&s| (s / count) as u8));
        }
        Gray { pixels: Cow::Owned(out), width: nw as u32, height: nh as u32 }
    }

    /// Bilinear sample at continuous `(x, y)`, clamped to the picture.
    pub fn sample(&self, x: f32, y: f32) -> u8 {
        let (maxx, maxy) = ((self.width - 1) as f32, (self.height - 1) as f32);
        let (x, y) = ((x - 0.5).clamp(0.0, maxx), (y - 0.5).clamp(0.0, maxy));
        let (x0, y0) = (x as usize, y as usize);
        let (x1, y1) = ((x0 + 1).min(maxx as usize), (y0 + 1).min(maxy as usize));
        let (fx, fy) = (x - x0 as f32, y - y0 as f32);
        let w = self.width as usize;
        let p = |xx: usize, yy: usize| f32::from(self.pixels.get(yy * w + xx).copied().unwrap_or(0));
        let top = p(x0, y0) + (p(x1, y0) - p(x0, y0)) * fx;
        let bottom = p(x0, y1) + (p(x1, y1) - p(x0, y1)) * fx;
        (top + (bottom - top) * fy + 0.5) as u8
    }
}

/// A turned rectangle in original pixels: `centre`, unit axis `along` (the
/// crop's x axis; its y axis is `along` turned +90°) and half sizes.
#[derive(Debug, Clone, Copy)]
pub struct Frame {
    pub centre: (f32, f32),
    pub along: (f32, f32),
    pub half: (f32, f32),
    /// Crop pixels per original pixel.
    pub scale: f32,
}

impl Frame {
    /// Crop size in pixels.
    pub fn size(&self) -> (u32, u32) {
        let side = |half: f32| ((2.0 * half * self.scale).ceil() as u32).max(1);
        (side(self.half.0), side(self.half.1))
    }

    /// The same frame turned by `angle` radians, grown to still hold the old one.
    pub fn turned(&self, angle: f32) -> Frame {
        let (sin, cos) = angle.sin_cos();
        let (c, s) = self.along;
        let (h0, h1) = self.half;
        let half = (cos.abs() * h0 + sin.abs() * h1, sin.abs() * h0 + cos.abs() * h1);
        let scale = self.scale * (h0.max(h1) / half.0.max(half.1));
        Frame { along: (c * cos - s * sin, c * sin + s * cos), half, scale, ..*self }
    }

    /// A crop point back in original pixels.
    pub fn to_original(&self, x: f32, y: f32) -> (f32, f32) {
        let (u, v) = (x / self.scale - self.half.0, y / self.scale - self.half.1);
        let (c, s) = self.along;
        (self.centre.0 + u * c - v * s, self.centre.1 + u * s + v * c)
    }
}

/// Cuts `frame` out of the pyramid (`levels[i]` is shrunk by `factors[i]`,
/// finest first), upright.
pub fn cut(levels: &[(&Gray, u32)], frame: &Frame) -> Gray<'static> {
    cut_mapped(levels, frame.size(), frame.scale, &|x, y| frame.to_original(x, y))
}

/// A `size` picture whose pixel `(x, y)` shows the original at
/// `to_original(x, y)`, about `scale` crop pixels per original pixel. It
/// samples the coarsest level still at least as fine as the crop, so big
/// codes are smoothed, not aliased.
pub fn cut_mapped(
    levels: &[(&Gray, u32)],
    (cw, ch): (u32, u32),
    scale: f32,
    to_original: &dyn Fn(f32, f32) -> (f32, f32),
) -> Gray<'static> {
    let wanted = 1.0 / scale; // original pixels per crop pixel
    let Some((source, factor)) =
        levels.iter().rev().find(|(_, f)| *f as f32 <= wanted * 1.01).or(levels.first()).map(|&(g, f)| (g, f as f32))
    else {
        return Gray { pixels: Cow::Owned(vec![0]), width: 1, height: 1 };
    };
    let mut pixels = Vec::with_capacity(cw as usize * ch as usize);
    for y in 0..ch {
        for x in 0..cw {
            let (ox, oy) = to_original(x as f32 + 0.5, y as f32 + 0.5);
            pixels.push(source.sample(ox / factor, oy / factor));
        }
    }
    Gray { pixels: Cow::Owned(pixels), width: cw.max(1), height: ch.max(1) }
}

/// A projective map from a `w × h` rectangle (origin top-left) to a quad.
pub struct Homography([f32; 9]);

impl Homography {
    /// Maps the rectangle's corners (clockwise from top-left) to `quad`'s
    /// (Heckbert's square-to-quad, scaled); `None` for a degenerate quad.
    pub fn rect_to_quad(w: f32, h: f32, quad: [(f32, f32); 4]) -> Option<Homography> {
        let [(x0, y0), (x1, y1), (x2, y2), (x3, y3)] = quad;
        let (sx, sy) = (x0 - x1 + x2 - x3, y0 - y1 + y2 - y3);
        let (dx1, dx2, dy1, dy2) = (x1 - x2, x3 - x2, y1 - y2, y3 - y2);
        let den = dx1 * dy2 - dx2 * dy1;
        if den.abs() < 1e-6 || w <= 0.0 || h <= 0.0 {
            return None;
        }
        let g = (sx * dy2 - dx2 * sy) / den;
        let k = (dx1 * sy - sx * dy1) / den;
        let m = [x1 - x0 + g * x1, x3 - x0 + k * x3, x0, y1 - y0 + g * y1, y3 - y0 + k * y3, y0, g, k, 1.0];
        // Scale the unit square's axes to the rectangle's.
        Some(Homography([m[0] / w, m[1] / h, m[2], m[3] / w, m[4] / h, m[5], m[6] / w, m[7] / h, m[8]]))
    }

    pub fn apply(&self, x: f32, y: f32) -> (f32, f32) {
        let m = &self.0;
        let z = m[6] * x + m[7] * y + m[8];
        let z = if z.abs() < 1e-9 { 1e-9 } else { z };
        ((m[0] * x + m[1] * y + m[2]) / z, (m[3] * x + m[4] * y + m[5]) / z)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shrink_averages_whole_boxes() {
        let g = Gray::borrowed(&[0, 255, 0, 255, 9], 5, 1).unwrap();
        let s = g.shrink(2);
        assert_eq!((s.width, s.height), (2, 1));
        assert_eq!(&s.pixels[..], &[127, 127]); // height 1 < k: boxes are 2 × 1
        let g = Gray::borrowed(&[0, 255, 0, 255, 10, 20, 30, 40], 4, 2).unwrap();
        assert_eq!(&g.shrink(2).pixels[..], &[71, 81]);
    }

    #[test]
    fn an_unturned_frame_copies_pixels() {
        let data: Vec<u8> = (0..100).collect();
        let g = Gray::borrowed(&data, 10, 10).unwrap();
        let frame = Frame { centre: (5.0, 5.0), along: (1.0, 0.0), half: (2.0, 2.0), scale: 1.0 };
        let crop = cut(&[(&g, 1)], &frame);
        assert_eq!((crop.width, crop.height), (4, 4));
        assert_eq!(&crop.pixels[..4], &[33, 34, 35, 36]);
        assert_eq!(frame.to_original(0.0, 0.0), (3.0, 3.0));
    }

    #[test]
    fn homography_maps_corners_to_the_quad() {
        let quad = [(10.0, 20.0), (110.0, 30.0), (100.0, 80.0), (5.0, 70.0)];
        let h = Homography::rect_to_quad(200.0, 50.0, quad).unwrap();
        for ((x, y), q) in [(0.0, 0.0), (200.0, 0.0), (200.0, 50.0), (0.0, 50.0)].into_iter().zip(quad) {
            let (u, v) = h.apply(x, y);
            assert!((u - q.0).abs() < 1e-3 && (v - q.1).abs() < 1e-3, "{u},{v} vs {q:?}");
        }
        assert!(Homography::rect_to_quad(1.0, 1.0, [(0.0, 0.0); 4]).is_none());
    }
}
