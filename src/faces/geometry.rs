//! Plain box geometry for the face detector: IoU, greedy NMS and the mapping of a box
//! between stored pixels and upright (EXIF-oriented) pixels. No model code here.

use crate::report::Face;

/// Intersection over union of two boxes (0 when either is empty).
pub fn iou(a: &Face, b: &Face) -> f32 {
    let ix = (a.x + a.w).min(b.x + b.w) - a.x.max(b.x);
    let iy = (a.y + a.h).min(b.y + b.h) - a.y.max(b.y);
    if ix <= 0.0 || iy <= 0.0 {
        return 0.0;
    }
    let inter = ix * iy;
    let union = a.w * a.h + b.w * b.h - inter;
    if union <= 0.0 {
        0.0
    } else {
        inter / union
    }
}

/// Greedy non-maximum suppression: keep the best-scoring box, drop every box that overlaps
/// a kept one by more than `max_iou`, repeat. Output is sorted best first.
pub fn nms(mut boxes: Vec<Face>, max_iou: f32) -> Vec<Face> {
    boxes.sort_by(|a, b| b.score.total_cmp(&a.score));
    let mut kept: Vec<Face> = Vec::new();
    for candidate in boxes {
        if kept.iter().all(|k| iou(k, &candidate) <= max_iou) {
            kept.push(candidate);
        }
    }
    kept
}

/// Size of the upright image for a stored `width × height` image with EXIF `orientation`.
pub fn upright_size(width: u32, height: u32, orientation: u16) -> (u32, u32) {
    if (5..=8).contains(&orientation) {
        (height, width)
    } else {
        (width, height)
    }
}

/// Maps a point of the stored pixel grid (continuous coordinates, `0..=width`, `0..=height`)
/// to the upright grid, for EXIF orientations 1–8 (anything else is treated as 1).
pub fn stored_to_upright_point(
    x: f32,
    y: f32,
    width: f32,
    height: f32,
    orientation: u16,
) -> (f32, f32) {
    match orientation {
        2 => (width - x, y),          // mirrored horizontally
        3 => (width - x, height - y), // rotated 180°
        4 => (x, height - y),         // mirrored vertically
        5 => (y, x),                  // transposed
        6 => (height - y, x),         // stored needs 90° clockwise
        7 => (height - y, width - x), // transversed
        8 => (y, width - x),          // stored needs 90° counter-clockwise
        _ => (x, y),
    }
}

/// Maps a point of the upright grid back to the stored grid (`width × height` = stored size).
pub fn upright_to_stored_point(
    u: f32,
    v: f32,
    width: f32,
    height: f32,
    orientation: u16,
) -> (f32, f32) {
    match orientation {
        2 => (width - u, v),
        3 => (width - u, height - v),
        4 => (u, height - v),
        5 => (v, u),
        6 => (v, height - u),
        7 => (width - v, height - u),
        8 => (width - v, u),
        _ => (u, v),
    }
}

/// Maps a box through a point mapping by mapping two opposite corners (all 8 orientations
/// map axis-aligned boxes to axis-aligned boxes).
fn map_box(f: &Face, map: impl Fn(f32, f32) -> (f32, f32)) -> Face {
    let (x0, y0) = map(f.x, f.y);
    let (x1, y1) = map(f.x + f.w, f.y + f.h);
    Face {
        x: x0.min(x1),
        y: y0.min(y1),
        w: (x1 - x0).abs(),
        h: (y1 - y0).abs(),
        score: f.score,
    }
}

/// A box in stored pixels → the same box in upright pixels.
pub fn stored_to_upright(f: &Face, width: u32, height: u32, orientation: u16) -> Face {
    map_box(f, |x, y| {
        stored_to_upright_point(x, y, width as f32, height as f32, orientation)
    })
}

/// A box in upright pixels → the same box in stored pixels (`width × height` = stored size).
pub fn upright_to_stored(f: &Face, width: u32, height: u32, orientation: u16) -> Face {
    map_box(f, |u, v| {
        upright_to_stored_point(u, v, width as f32, height as f32, orientation)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b(x: f32, y: f32, w: f32, h: f32, score: f32) -> Face {
        Face { x, y, w, h, score }
    }

    #[test]
    fn iou_of_identical_disjoint_and_half_overlapping_boxes() {
        assert_eq!(iou(&b(0., 0., 10., 10., 1.), &b(0., 0., 10., 10., 1.)), 1.0);
        assert_eq!(
            iou(&b(0., 0., 10., 10., 1.), &b(20., 0., 10., 10., 1.)),
            0.0
        );
        let v = iou(&b(0., 0., 10., 10., 1.), &b(5., 0., 10., 10., 1.));
        assert!((v - 50.0 / 150.0).abs() < 1e-6);
        assert_eq!(iou(&b(0., 0., 0., 0., 1.), &b(0., 0., 0., 0., 1.)), 0.0);
    }

    #[test]
    fn nms_keeps_best_of_overlapping_and_all_separate_boxes() {
        let kept = nms(
            vec![
                b(0., 0., 10., 10., 0.6),
                b(1., 1., 10., 10., 0.9),
                b(50., 50., 10., 10., 0.7),
                b(2., 0., 10., 10., 0.8),
            ],
            0.4,
        );
        assert_eq!(kept.len(), 2);
        assert_eq!(kept[0].score, 0.9);
        assert_eq!(kept[1].score, 0.7);
    }

    /// Orients a tiny stored image by hand (the EXIF definition: where the stored row 0 /
    /// column 0 ends up) and checks that the box mapping points at the same pixels.
    #[test]
    fn box_mapping_agrees_with_pixel_reorientation_for_every_orientation() {
        let (w, h) = (7u32, 4u32);
        let marked = b(1., 2., 3., 1., 1.); // stored pixels (1..4, 2)
        for o in 1..=8u16 {
            let (uw, uh) = upright_size(w, h, o);
            let up = stored_to_upright(&marked, w, h, o);
            for sy in 0..h {
                for sx in 0..w {
                    // centre of the stored pixel, mapped; must be inside `up` iff inside `marked`
                    let (u, v) = stored_to_upright_point(
                        sx as f32 + 0.5,
                        sy as f32 + 0.5,
                        w as f32,
                        h as f32,
                        o,
                    );
                    assert!(
                        u > 0.0 && v > 0.0 && u < uw as f32 && v < uh as f32,
                        "o={o}"
                    );
                    let inside_stored = (sx as f32) >= marked.x
                        && (sx as f32) < marked.x + marked.w
                        && (sy as f32) >= marked.y
                        && (sy as f32) < marked.y + marked.h;
                    let inside_up = u > up.x && u < up.x + up.w && v > up.y && v < up.y + up.h;
                    assert_eq!(
                        inside_stored, inside_up,
                        "orientation {o}, stored pixel ({sx},{sy})"
                    );
                }
            }
            let back = upright_to_stored(&up, w, h, o);
            assert!(
                (back.x - marked.x).abs() < 1e-5 && (back.y - marked.y).abs() < 1e-5,
                "o={o}"
            );
            assert!(
                (back.w - marked.w).abs() < 1e-5 && (back.h - marked.h).abs() < 1e-5,
                "o={o}"
            );
        }
    }
}
