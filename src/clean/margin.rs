//! How much a detected box (a face, a code) grows before it is covered, and the
//! whole-pixel box that results. One rule for every front end: the CLI's
//! `--cover-faces` uses it, and the page should ask the core for it instead of
//! keeping its own numbers. Must not: cover anything (that is `cover`).

use super::CoverBox;
use crate::report::ImageSize;

/// A face box grows by this share of its size on every side: detectors box faces
/// tightly, and hair, ears and chin recognise a person too.
pub const FACE_MARGIN: f32 = 0.2;
/// A code box grows by this share of its size on every side, so no edge of the code stays readable.
pub const CODE_MARGIN: f32 = 0.1;

/// The box `(x, y, w, h)` (pixels, upright) grown by `margin` of its size on every
/// side, rounded outwards and clamped to the picture when its size is known (the
/// copy refuses boxes outside it). `None` when nothing of it lies in the picture.
pub fn grown_box(x: f32, y: f32, w: f32, h: f32, margin: f32, image: Option<ImageSize>) -> Option<CoverBox> {
    let (x0, y0) = ((x - w * margin).max(0.0).floor(), (y - h * margin).max(0.0).floor());
    let (mut x1, mut y1) = ((x + w * (1.0 + margin)).ceil(), (y + h * (1.0 + margin)).ceil());
    if let Some(size) = image {
        x1 = x1.min(size.width as f32);
        y1 = y1.min(size.height as f32);
    }
    (x1 > x0 && y1 > y0).then(|| CoverBox { x: x0 as u32, y: y0 as u32, w: (x1 - x0) as u32, h: (y1 - y0) as u32 })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grows_on_every_side_and_stays_in_the_picture() {
        let size = Some(ImageSize { width: 200, height: 100 });
        // 100×50 at (50, 25) grown by 0.2: 20 px left/right, 10 px top/bottom.
        assert_eq!(grown_box(50.0, 25.0, 100.0, 50.0, 0.2, size), Some(CoverBox { x: 30, y: 15, w: 140, h: 70 }));
        // At the corner: clamped at 0 and at the picture's size.
        assert_eq!(grown_box(180.0, 90.0, 20.0, 10.0, FACE_MARGIN, size), Some(CoverBox { x: 176, y: 88, w: 24, h: 12 }));
        assert_eq!(grown_box(-5.0, -5.0, 10.0, 10.0, 0.0, size), Some(CoverBox { x: 0, y: 0, w: 5, h: 5 }));
        // Wholly outside the picture: nothing to cover.
        assert_eq!(grown_box(300.0, 10.0, 10.0, 10.0, CODE_MARGIN, size), None);
    }
}
