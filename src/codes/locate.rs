//! Finds where codes may be, cheaply, without reading them: a code is a
//! compact patch of dense, high-contrast edges.
//!
//! One pass over a shrunk grey copy counts strong edges and sums the
//! gradient's structure tensor in cells of [`CELL`]² pixels. Busy cells are
//! opened (thin lines go) and closed (holes fill) and joined into patches; a patch that is filled,
//! not too long and big enough becomes a [`Region`]: a turned rectangle whose
//! angle comes from the gradients — one direction for bar codes and PDF417
//! (bars), a right-angle grid (angle modulo 90°) for QR, Aztec, Data Matrix.
//!
//! It never decodes and may propose patches of text or foliage: the readers
//! decide. Loops are bounded by the picture's size.

use super::gray::Gray;
use std::ops::Range;

/// Cell side, in pixels of the copy being searched.
pub const CELL: usize = 8;
/// A central difference (across 2 pixels) at least this big is an edge.
const EDGE_STEP: i32 = 40;
/// Share of a cell's pixels on edges for it to count as busy: a code with up
/// to ~12 px modules in the copy still passes.
const BUSY_FRACTION: f32 = 0.15;
/// The smallest patch, in cells (a 21-module QR at 1.2 px a module is ~4 × 4 cells).
const MIN_CELLS: usize = 6;
/// Share of its turned rectangle a patch must fill (codes are rectangles).
const MIN_FILL: f32 = 0.4;
/// Longest side over shortest side (a 1-D code is ~3:1, PDF417 up to ~6:1).
const MAX_ELONGATION: f32 = 10.0;
/// Structure-tensor coherence above which the gradients run one way: bars.
const BARS_COHERENCE: f32 = 0.6;

/// A place that looks like a code, in original pixels.
#[derive(Debug, Clone, Copy)]
pub struct Region {
    pub centre: (f32, f32),
    /// Unit axis: across the bars for bar codes, along a grid axis otherwise.
    pub along: (f32, f32),
    pub half: (f32, f32),
    /// Mean share of edge pixels: codes score high.
    pub density: f32,
    /// Original pixels per pixel of the copy it was found in.
    pub factor: f32,
    /// Gradients run one way: bars (1-D codes, PDF417), `along` is across them.
    pub bars: bool,
}

#[derive(Default, Clone, Copy)]
struct CellStats {
    edges: u32,
    jxx: f32,
    jyy: f32,
    jxy: f32,
    /// Gradient angle ×4 (cos, sin), weighted by strength: a grid's angle modulo 90°.
    c4: f32,
    s4: f32,
}

/// Regions found in `copy`, a picture shrunk by `factor` from the original.
pub fn find(copy: &Gray, factor: u32) -> Vec<Region> {
    let Some((stats, cols, rows)) = cell_stats(copy) else { return Vec::new() };
    let busy_edges = (BUSY_FRACTION * (CELL * CELL) as f32) as u32;
    let busy: Vec<bool> = stats.iter().map(|s| s.edges >= busy_edges).collect();
    // Opening drops lines of busy cells (the edges of objects: a step is a
    // 2–3 px band of edge pixels, busy enough); closing fills a code's holes.
    let opened = dilate(&erode(&busy, cols, rows), cols, rows);
    let closed = erode(&dilate(&opened, cols, rows), cols, rows);
    patches(&closed, cols, rows)
        .iter()
        .filter_map(|cells| region_of(cells, &stats, cols, copy, factor as f32))
        .collect()
}

fn cell_stats(copy: &Gray) -> Option<(Vec<CellStats>, usize, usize)> {
    let (w, h) = (copy.width as usize, copy.height as usize);
    if w < 3 || h < 3 {
        return None;
    }
    let (cols, rows) = (w.div_ceil(CELL), h.div_ceil(CELL));
    let mut stats = vec![CellStats::default(); cols * rows];
    let p = &copy.pixels;
    for y in 1..h - 1 {
        let (up, row, down) = (&p[(y - 1) * w..y * w], &p[y * w..(y + 1) * w], &p[(y + 1) * w..(y + 2) * w]);
        let cell_row = &mut stats[(y / CELL) * cols..(y / CELL + 1) * cols];
        for x in 1..w - 1 {
            let gx = i32::from(row[x + 1]) - i32::from(row[x - 1]);
            let gy = i32::from(down[x]) - i32::from(up[x]);
            if gx.abs() < EDGE_STEP && gy.abs() < EDGE_STEP {
                continue;
            }
            let (gx, gy) = (gx as f32, gy as f32);
            let (a, b, n) = (gx * gx - gy * gy, 2.0 * gx * gy, gx * gx + gy * gy);
            let c = &mut cell_row[x / CELL];
            c.edges += 1;
            c.jxx += gx * gx;
            c.jyy += gy * gy;
            c.jxy += gx * gy;
            // Weighted by |g|, not |g|²: module corners (diagonal gradients,
            // 45° off the grid) must not outweigh the straight edges.
            let weight = n * n.sqrt();
            c.c4 += (a * a - b * b) / weight;
            c.s4 += 2.0 * a * b / weight;
        }
    }
    Some((stats, cols, rows))
}

/// 3 × 3 dilation, or erosion when `erode` (cells outside the grid count as set).
fn morph(grid: &[bool], cols: usize, rows: usize, erode: bool) -> Vec<bool> {
    let mut out = vec![false; grid.len()];
    for r in 0..rows {
        for c in 0..cols {
            let mut neighbours = (r.saturating_sub(1)..(r + 2).min(rows))
                .flat_map(|rr| (c.saturating_sub(1)..(c + 2).min(cols)).map(move |cc| rr * cols + cc));
            out[r * cols + c] = if erode { neighbours.all(|i| grid[i]) } else { neighbours.any(|i| grid[i]) };
        }
    }
    out
}

fn dilate(grid: &[bool], cols: usize, rows: usize) -> Vec<bool> {
    morph(grid, cols, rows, false)
}

fn erode(grid: &[bool], cols: usize, rows: usize) -> Vec<bool> {
    morph(grid, cols, rows, true)
}

/// 4-connected patches of set cells, each as its cell indices.
fn patches(grid: &[bool], cols: usize, rows: usize) -> Vec<Vec<usize>> {
    let mut seen = vec![false; grid.len()];
    let mut out = Vec::new();
    for start in 0..grid.len() {
        if !grid[start] || seen[start] {
            continue;
        }
        seen[start] = true;
        let (mut cells, mut stack) = (Vec::new(), vec![start]);
        while let Some(i) = stack.pop() {
            cells.push(i);
            let (r, c) = (i / cols, i % cols);
            let mut visit = |j: usize| {
                if grid[j] && !seen[j] {
                    seen[j] = true;
                    stack.push(j);
                }
            };
            if c > 0 {
                visit(i - 1);
            }
            if c + 1 < cols {
                visit(i + 1);
            }
            if r > 0 {
                visit(i - cols);
            }
            if r + 1 < rows {
                visit(i + cols);
            }
        }
        out.push(cells);
    }
    out
}

/// The turned rectangle around a patch, or `None` when it does not look like a code.
fn region_of(cells: &[usize], stats: &[CellStats], cols: usize, copy: &Gray, factor: f32) -> Option<Region> {
    if cells.len() < MIN_CELLS {
        return None;
    }
    let mut sum = CellStats::default();
    for s in cells.iter().map(|&i| stats[i]) {
        (sum.edges, sum.jxx, sum.jyy, sum.jxy) = (sum.edges + s.edges, sum.jxx + s.jxx, sum.jyy + s.jyy, sum.jxy + s.jxy);
        (sum.c4, sum.s4) = (sum.c4 + s.c4, sum.s4 + s.s4);
    }
    let trace = sum.jxx + sum.jyy;
    if trace <= 0.0 {
        return None;
    }
    let coherence = ((sum.jxx - sum.jyy).powi(2) + 4.0 * sum.jxy * sum.jxy).sqrt() / trace;
    let bars = coherence >= BARS_COHERENCE;
    let angle = if bars {
        0.5 * (2.0 * sum.jxy).atan2(sum.jxx - sum.jyy)
    } else {
        sum.s4.atan2(sum.c4) / 4.0
    };
    let (sin, cos) = angle.sin_cos();
    let (mut u0, mut u1, mut v0, mut v1) = (f32::MAX, f32::MIN, f32::MAX, f32::MIN);
    for &i in cells {
        let (x0, y0) = (((i % cols) * CELL) as f32, ((i / cols) * CELL) as f32);
        let (x1, y1) = ((x0 + CELL as f32).min(copy.width as f32), (y0 + CELL as f32).min(copy.height as f32));
        for (x, y) in [(x0, y0), (x1, y0), (x0, y1), (x1, y1)] {
            let (u, v) = (x * cos + y * sin, -x * sin + y * cos);
            (u0, u1, v0, v1) = (u0.min(u), u1.max(u), v0.min(v), v1.max(v));
        }
    }
    let (width, height) = (u1 - u0, v1 - v0);
    let fill = (cells.len() * CELL * CELL) as f32 / (width * height).max(1.0);
    if fill < MIN_FILL || width.max(height) > MAX_ELONGATION * width.min(height) {
        return None;
    }
    let (um, vm) = ((u0 + u1) / 2.0, (v0 + v1) / 2.0);
    let centre = (um * cos - vm * sin, um * sin + vm * cos);
    Some(Region {
        centre: (centre.0 * factor, centre.1 * factor),
        along: (cos, sin),
        half: (width / 2.0 * factor, height / 2.0 * factor),
        density: sum.edges as f32 / (cells.len() * CELL * CELL) as f32,
        factor,
        bars,
    })
}

/// How far the bars in a roughly upright crop lean, in radians (positive:
/// a bar's x grows with y). Gradient angles are biased near 2 px a module,
/// so this looks for the lean that makes the column profile sharpest: the
/// crop's rows, sheared by the lean, summed into columns.
pub fn bar_lean(crop: &Gray) -> f32 {
    let best = |from: f32, to: f32, step: f32| -> f32 {
        let steps = ((to - from) / step).round() as i32;
        (0..=steps)
            .map(|i| from + i as f32 * step)
            .map(|lean| (lean, profile_sharpness(crop, lean.tan())))
            .fold((0.0, f32::MIN), |acc, x| if x.1 > acc.1 { x } else { acc })
            .0
    };
    let coarse = best(-LEAN_RANGE, LEAN_RANGE, LEAN_RANGE / 10.0);
    best(coarse - LEAN_RANGE / 10.0, coarse + LEAN_RANGE / 10.0, LEAN_RANGE / 40.0)
}

/// The widest lean [`bar_lean`] tries (the gradient estimate is rarely further off).
const LEAN_RANGE: f32 = 12.0 * std::f32::consts::PI / 180.0;

/// Between-column variance of the crop sheared by `shear` (every 2nd row).
fn profile_sharpness(crop: &Gray, shear: f32) -> f32 {
    let (w, h) = (crop.width as usize, crop.height as usize);
    let reach = (shear.abs() * h as f32 / 2.0).ceil() as usize + 1;
    let bins = w + 2 * reach;
    let (mut sums, mut counts) = (vec![0f32; bins], vec![0u32; bins]);
    let cy = h as f32 / 2.0;
    for y in (0..h).step_by(2) {
        let offset = reach as f32 - (y as f32 - cy) * shear;
        for (x, &p) in crop.pixels[y * w..(y + 1) * w].iter().enumerate() {
            let bin = ((x as f32 + offset).round().max(0.0) as usize).min(bins - 1);
            sums[bin] += f32::from(p);
            counts[bin] += 1;
        }
    }
    sums.iter().zip(&counts).filter(|(_, &n)| n > 0).map(|(s, &n)| s * s / n as f32).sum()
}

/// The columns of an upright bar-code crop that hold its bars: the run of
/// columns with strong edges around the middle.
pub fn bar_columns(crop: &Gray) -> Option<Range<usize>> {
    let (w, h) = (crop.width as usize, crop.height as usize);
    if w < 16 || h < 4 {
        return None;
    }
    let mut energy = vec![0f32; w];
    for y in h / 4..h - h / 4 {
        let row = &crop.pixels[y * w..(y + 1) * w];
        for x in 1..w - 1 {
            energy[x] += (i32::from(row[x + 1]) - i32::from(row[x - 1])).unsigned_abs() as f32;
        }
    }
    // Smooth over a little more than the widest space (4 modules) so the run holds.
    strong_run(&box_mean(&energy, w / 40 + 5), w / 2)
}

/// The run of values of at least 30% of the peak that holds `middle`.
fn strong_run(values: &[f32], middle: usize) -> Option<Range<usize>> {
    let peak = values.iter().fold(0f32, |a, &b| a.max(b));
    let strong = |i: usize| values[i] >= 0.3 * peak;
    if peak <= 0.0 || middle >= values.len() || !strong(middle) {
        return None;
    }
    let first = (0..middle).rev().find(|&i| !strong(i)).map_or(0, |i| i + 1);
    let last = (middle..values.len()).find(|&i| !strong(i)).unwrap_or(values.len());
    Some(first..last)
}

/// Paints the crop left and right of `bars` with the paper's shade. Bar code
/// readers want a quiet zone of ~10 modules; printed labels often have less,
/// and the photo's background then breaks the start pattern.
pub fn whiten_beside(crop: &mut Gray, bars: Range<usize>) {
    let (w, h) = (crop.width as usize, crop.height as usize);
    if bars.start >= bars.end || bars.end > w || h < 4 {
        return;
    }
    let paper = paper_shade(crop, h / 4..h - h / 4, bars.clone());
    for row in crop.pixels.to_mut().chunks_exact_mut(w) {
        row[..bars.start].fill(paper);
        row[bars.end..].fill(paper);
    }
}

/// The four corners (top-left, top-right, bottom-right, bottom-left) of the
/// bars in an upright crop: top and bottom edges are lines fitted to where
/// the rows stop having bars, in [`STRIPS`] strips across `bars`. Perspective
/// makes them slope; the readers want them level.
pub fn bar_quad(crop: &Gray, bars: Range<usize>) -> Option<[(f32, f32); 4]> {
    let (w, h) = (crop.width as usize, crop.height as usize);
    let strip = (bars.end.saturating_sub(bars.start)) / STRIPS;
    if strip < 2 || bars.end > w - 1 || h < 8 {
        return None;
    }
    let (mut tops, mut bottoms) = (Vec::new(), Vec::new());
    for i in 0..STRIPS {
        let x0 = (bars.start + i * strip).max(1);
        let energy: Vec<f32> = (0..h)
            .map(|y| {
                let row = &crop.pixels[y * w..(y + 1) * w];
                (x0..x0 + strip).map(|x| (i32::from(row[x + 1]) - i32::from(row[x - 1])).unsigned_abs() as f32).sum()
            })
            .collect();
        if let Some(rows) = strong_run(&box_mean(&energy, 3), h / 2) {
            let x = (x0 + strip / 2) as f32;
            tops.push((x, rows.start as f32));
            bottoms.push((x, rows.end as f32));
        }
    }
    let (top, bottom) = (fit_line(&tops)?, fit_line(&bottoms)?);
    let (l, r) = (bars.start as f32, bars.end as f32);
    let at = |(a, b): (f32, f32), x: f32| (x, a + b * x);
    Some([at(top, l), at(top, r), at(bottom, r), at(bottom, l)])
}

/// Strips across a bar code in which [`bar_quad`] finds its top and bottom.
const STRIPS: usize = 12;

/// Least-squares line `y = a + b·x` through at least half the strips, with
/// the points furthest off (a strip in a gap, a label's edge) dropped once.
fn fit_line(points: &[(f32, f32)]) -> Option<(f32, f32)> {
    let fit = |pts: &[(f32, f32)]| -> Option<(f32, f32)> {
        let n = pts.len() as f32;
        let (sx, sy) = pts.iter().fold((0.0, 0.0), |(a, b), p| (a + p.0, b + p.1));
        let (mx, my) = (sx / n, sy / n);
        let (sxx, sxy) = pts.iter().fold((0.0, 0.0), |(a, b), p| (a + (p.0 - mx).powi(2), b + (p.0 - mx) * (p.1 - my)));
        (sxx > 0.0).then(|| (my - sxy / sxx * mx, sxy / sxx))
    };
    if points.len() < STRIPS / 2 {
        return None;
    }
    let (a, b) = fit(points)?;
    let mut off: Vec<f32> = points.iter().map(|p| (p.1 - a - b * p.0).abs()).collect();
    off.sort_by(f32::total_cmp);
    let limit = 2.0 * off[off.len() / 2] + 1.0;
    let kept: Vec<(f32, f32)> = points.iter().copied().filter(|p| (p.1 - a - b * p.0).abs() <= limit).collect();
    fit(&kept)
}

/// Mean over a centred window of `window` values (shorter at the ends).
fn box_mean(values: &[f32], window: usize) -> Vec<f32> {
    let half = window / 2;
    let mut prefix = vec![0f32; values.len() + 1];
    for (i, v) in values.iter().enumerate() {
        prefix[i + 1] = prefix[i] + v;
    }
    (0..values.len())
        .map(|i| {
            let (a, b) = (i.saturating_sub(half), (i + half + 1).min(values.len()));
            (prefix[b] - prefix[a]) / (b - a) as f32
        })
        .collect()
}

/// The light shade among the bars: mean of the pixels brighter than the mean.
fn paper_shade(crop: &Gray, rows: Range<usize>, cols: Range<usize>) -> u8 {
    let w = crop.width as usize;
    let values: Vec<u32> = rows.flat_map(|y| crop.pixels[y * w + cols.start..y * w + cols.end].iter().map(|&p| u32::from(p))).collect();
    let mean = values.iter().sum::<u32>() / (values.len() as u32).max(1);
    let light: Vec<u32> = values.into_iter().filter(|&p| p > mean).collect();
    (light.iter().sum::<u32>() / (light.len() as u32).max(1)) as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A random grid of 3-px modules on grey, turned by `degrees`, 4 × 4 supersampled
    /// (unsmoothed edges would be stairs with upright gradients).
    fn board(degrees: f32) -> Vec<u8> {
        let (sin, cos) = degrees.to_radians().sin_cos();
        let shade = |x: f32, y: f32| -> f32 {
            let (dx, dy) = (x - 100.0, y - 100.0);
            let (u, v) = (dx * cos + dy * sin, -dx * sin + dy * cos);
            if u.abs() >= 40.0 || v.abs() >= 40.0 {
                return 128.0;
            }
            let (mx, my) = ((u + 40.0) as u32 / 3, (v + 40.0) as u32 / 3);
            let mut h = (mx * 64 + my).wrapping_mul(0x9E37_79B9);
            h ^= h >> 15;
            let dark = h.wrapping_mul(0x85EB_CA6B) >> 31 == 0;
            if dark { 20.0 } else { 230.0 }
        };
        let mut px = vec![0u8; 200 * 200];
        for y in 0..200 {
            for x in 0..200 {
                let sub = (0..16).map(|i| shade(x as f32 + (i % 4) as f32 / 4.0, y as f32 + (i / 4) as f32 / 4.0));
                px[y * 200 + x] = (sub.sum::<f32>() / 16.0) as u8;
            }
        }
        px
    }

    #[test]
    fn finds_a_turned_grid_with_its_angle() {
        let px = board(20.0);
        let regions = find(&Gray::borrowed(&px, 200, 200).unwrap(), 1);
        assert_eq!(regions.len(), 1, "{regions:?}");
        let r = regions[0];
        let angle = r.along.1.atan2(r.along.0).to_degrees();
        assert!((angle - 20.0).abs() < 3.0, "{angle}");
        assert!((r.centre.0 - 100.0).abs() < 6.0 && (r.centre.1 - 100.0).abs() < 6.0, "{r:?}");
        assert!(r.half.0 > 36.0 && r.half.0 < 52.0, "{r:?}");
    }

    #[test]
    fn flat_pictures_have_no_regions() {
        let px = vec![90u8; 64 * 48];
        assert!(find(&Gray::borrowed(&px, 64, 48).unwrap(), 1).is_empty());
        assert!(find(&Gray::borrowed(&[1, 2], 2, 1).unwrap(), 1).is_empty());
    }
}
