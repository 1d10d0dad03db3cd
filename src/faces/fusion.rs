//! Weighted box fusion: merges the faces found by several looks at one photo (another model, a
//! mirrored copy, another size) into one list, each fused face scored by how many looks agree.
//!
//! Owns: clustering boxes across looks and the fused box and score. Must not: run a model, pick
//! thresholds (the caller filters the fused scores) or know which look is which.
//!
//! A cluster takes at most one box from each look (its best-scoring match). The fused box is the
//! score×weight-weighted mean of its members; the fused score is Σ weight·score over the looks
//! that found it divided by Σ weight over all looks, so a face seen by one look only keeps a
//! share of its score (a dog face RetinaFace is sure of but CenterFace never saw loses most of it).

use super::geometry::{iou, nms};
use crate::report::Face;

/// The faces one look found, and how much that look counts.
#[derive(Debug, Clone, Copy)]
pub struct Look<'a> {
    pub weight: f32,
    pub faces: &'a [Face],
}

struct Cluster {
    /// Best box per look (index = look).
    members: Vec<Option<Face>>,
    fused: Face,
}

impl Cluster {
    fn refit(&mut self, looks: &[Look]) {
        let (mut x0, mut y0, mut x1, mut y1, mut wsum, mut score) = (0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
        for (m, look) in self.members.iter().zip(looks) {
            let Some(f) = m else { continue };
            let w = look.weight * f.score;
            x0 += w * f.x;
            y0 += w * f.y;
            x1 += w * (f.x + f.w);
            y1 += w * (f.y + f.h);
            wsum += w;
            score += look.weight * f.score;
        }
        let total: f32 = looks.iter().map(|l| l.weight).sum();
        if wsum > 0.0 {
            let (x0, y0, x1, y1) = (x0 / wsum, y0 / wsum, x1 / wsum, y1 / wsum);
            self.fused = Face { x: x0, y: y0, w: x1 - x0, h: y1 - y0, score: score / total.max(f32::MIN_POSITIVE) };
        }
    }
}

/// Fuses the looks: boxes overlapping a cluster's fused box by IoU ≥ `match_iou` join it. The
/// result is sorted best first and NMS'd at `nms_iou` (two clusters can end up on one face).
pub fn fuse(looks: &[Look], match_iou: f32, nms_iou: f32) -> Vec<Face> {
    let mut all: Vec<(usize, Face)> = looks
        .iter()
        .enumerate()
        .flat_map(|(i, l)| l.faces.iter().map(move |f| (i, *f)))
        .collect();
    all.sort_by(|a, b| b.1.score.total_cmp(&a.1.score));
    let mut clusters: Vec<Cluster> = Vec::new();
    for (look, face) in all {
        let best = clusters
            .iter()
            .enumerate()
            .filter(|(_, c)| c.members[look].is_none())
            .map(|(i, c)| (i, iou(&c.fused, &face)))
            .filter(|&(_, v)| v >= match_iou)
            .max_by(|a, b| a.1.total_cmp(&b.1));
        let i = match best {
            Some((i, _)) => i,
            None => {
                clusters.push(Cluster { members: vec![None; looks.len()], fused: face });
                clusters.len() - 1
            }
        };
        clusters[i].members[look] = Some(face);
        clusters[i].refit(looks);
    }
    nms(clusters.into_iter().map(|c| c.fused).collect(), nms_iou)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b(x: f32, w: f32, score: f32) -> Face {
        Face { x, y: 0.0, w, h: w, score }
    }

    #[test]
    fn agreeing_looks_keep_the_score_and_a_lone_look_keeps_its_share() {
        let a = [b(0.0, 20.0, 0.8), b(100.0, 20.0, 0.9)];
        let c = [b(1.0, 20.0, 0.8)];
        let fused = fuse(&[Look { weight: 1.0, faces: &a }, Look { weight: 3.0, faces: &c }], 0.5, 0.4);
        assert_eq!(fused.len(), 2);
        // found by both: (1·0.8 + 3·0.8) / 4 = 0.8, box between the two
        let both = fused.iter().find(|f| f.x < 50.0).unwrap();
        assert!((both.score - 0.8).abs() < 1e-6 && both.x > 0.0 && both.x < 1.0);
        // found by the weight-1 look only: 0.9 / 4
        let lone = fused.iter().find(|f| f.x > 50.0).unwrap();
        assert!((lone.score - 0.225).abs() < 1e-6);
    }

    #[test]
    fn one_look_takes_one_place_per_cluster_and_one_look_alone_is_unchanged() {
        let a = [b(0.0, 20.0, 0.9), b(2.0, 20.0, 0.5)];
        let fused = fuse(&[Look { weight: 1.0, faces: &a }], 0.5, 1.0);
        assert_eq!(fused, vec![b(0.0, 20.0, 0.9), b(2.0, 20.0, 0.5)]);
        assert!(fuse(&[], 0.5, 0.4).is_empty());
    }
}
