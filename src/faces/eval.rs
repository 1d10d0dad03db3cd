//! Measuring the face detector against hand-drawn boxes, honestly: the scorer, the corpus
//! reader, and k-fold cross-validation with folds split by source so near-duplicate photos
//! stay on one side (thresholds and weights are chosen on the training folds only and the
//! figures are read on the held-out fold).
//!
//! Owns: scoring rules (one place, used by tests/pixels/faces_corpus.rs and examples/faces_cv.rs),
//! grouping near-duplicates, fold assignment and the choice rule. Must not: be used by the
//! product path (native measurement code only) or run a model (callers pass detections in).
//!
//! Scoring (as in shared/notes/faces-calibration.md): per image, detections best score first
//! are matched greedily to the unmatched labelled face with the highest IoU ≥ 0.4. Labelled faces
//! narrower than 12 px are not counted against recall (a match still counts as a true positive);
//! unmatched detections narrower than 10 px are not counted against precision. A false-alarm
//! image is a no-face (`neg_*`) image with any detection.

use super::geometry::iou;
use crate::report::Face;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub const MATCH_IOU: f32 = 0.4;
pub const MIN_LABEL_W: f32 = 12.0;
pub const MIN_DET_W: f32 = 10.0;

/// One corpus photo and its hand-drawn faces.
#[derive(Debug, Clone)]
pub struct Labelled {
    pub name: String,
    /// `mask`, `dlib` or `neg` (the file-name prefix: which collection it came from).
    pub source: String,
    pub faces: Vec<Face>,
    /// Per face: worn mask (`with_mask` or `mask_weared_incorrect`).
    pub masked: Vec<bool>,
    /// Stored size in pixels.
    pub width: u32,
    pub height: u32,
}

impl Labelled {
    pub fn is_negative(&self) -> bool {
        self.name.starts_with("neg_")
    }
    /// A photo in the masked subset: at least one labelled face wears a mask.
    pub fn has_mask(&self) -> bool {
        self.masked.iter().any(|&m| m)
    }
}

/// `$THINKTWICE_CORPUS/faces`, else `../shared/corpus/faces` next to the crate (None if absent).
pub fn corpus_dir() -> Option<PathBuf> {
    let candidates = [
        std::env::var_os("THINKTWICE_CORPUS").filter(|p| !p.is_empty()).map(PathBuf::from),
        Some(Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus")),
    ];
    candidates.into_iter().flatten().map(|root| root.join("faces")).find(|d| d.join("annotations_detailed.json").is_file())
}

/// Reads `annotations_detailed.json` (sorted by name).
pub fn load_corpus(dir: &Path) -> Result<Vec<Labelled>, String> {
    let text = std::fs::read_to_string(dir.join("annotations_detailed.json")).map_err(|e| e.to_string())?;
    let all: BTreeMap<String, serde_json::Value> = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    for (name, v) in all {
        let mut faces = Vec::new();
        let mut masked = Vec::new();
        for f in v["faces"].as_array().map(Vec::as_slice).unwrap_or(&[]) {
            let b: Vec<f32> = f["bbox"].as_array().ok_or("bbox")?.iter().filter_map(|x| x.as_f64()).map(|x| x as f32).collect();
            let [x, y, w, h] = b[..] else { return Err(format!("{name}: bbox")) };
            faces.push(Face { x, y, w, h, score: 1.0 });
            let label = f["label"].as_str().unwrap_or("");
            masked.push(label == "with_mask" || label == "mask_weared_incorrect");
        }
        let source = name.split('_').next().unwrap_or("").to_string();
        let px = |k: &str| v[k].as_u64().unwrap_or(0) as u32;
        out.push(Labelled { name, source, faces, masked, width: px("width"), height: px("height") });
    }
    Ok(out)
}

/// Counts over some images.
#[derive(Default, Debug, Clone)]
pub struct Score {
    pub images: usize,
    pub labels_counted: usize,
    pub labels_found: usize,
    pub masked_counted: usize,
    pub masked_found: usize,
    pub true_pos: usize,
    pub false_pos: usize,
    pub negatives: usize,
    pub false_alarm_images: Vec<String>,
}

impl Score {
    pub fn recall(&self) -> f64 {
        self.labels_found as f64 / self.labels_counted.max(1) as f64
    }
    pub fn precision(&self) -> f64 {
        self.true_pos as f64 / (self.true_pos + self.false_pos).max(1) as f64
    }
    /// Recall on masked faces only.
    pub fn masked_recall(&self) -> f64 {
        self.masked_found as f64 / self.masked_counted.max(1) as f64
    }

    /// Greedy best-score-first matching for one image.
    pub fn add(&mut self, image: &Labelled, dets: &[Face]) {
        self.images += 1;
        let mut dets = dets.to_vec();
        dets.sort_by(|a, b| b.score.total_cmp(&a.score));
        let labels = &image.faces;
        let mut used = vec![false; labels.len()];
        for d in &dets {
            let best = (0..labels.len())
                .filter(|&i| !used[i])
                .map(|i| (i, iou(d, &labels[i])))
                .filter(|&(_, v)| v >= MATCH_IOU)
                .max_by(|a, b| a.1.total_cmp(&b.1));
            match best {
                Some((i, _)) => {
                    used[i] = true;
                    self.true_pos += 1;
                }
                None if d.w >= MIN_DET_W => self.false_pos += 1,
                None => {}
            }
        }
        for ((label, found), masked) in labels.iter().zip(&used).zip(&image.masked) {
            if label.w >= MIN_LABEL_W {
                self.labels_counted += 1;
                self.labels_found += usize::from(*found);
                if *masked {
                    self.masked_counted += 1;
                    self.masked_found += usize::from(*found);
                }
            }
        }
        if image.is_negative() {
            self.negatives += 1;
            if !dets.is_empty() {
                self.false_alarm_images.push(image.name.clone());
            }
        }
    }

    pub fn merge(&mut self, o: &Score) {
        self.images += o.images;
        self.labels_counted += o.labels_counted;
        self.labels_found += o.labels_found;
        self.masked_counted += o.masked_counted;
        self.masked_found += o.masked_found;
        self.true_pos += o.true_pos;
        self.false_pos += o.false_pos;
        self.negatives += o.negatives;
        self.false_alarm_images.extend(o.false_alarm_images.iter().cloned());
    }

    /// One line: recall, precision, false alarms, masked recall.
    pub fn line(&self) -> String {
        format!(
            "recall {:.3} ({}/{}), precision {:.3} ({} TP / {} FP), no-face alarms {}/{}, masked-face recall {:.3} ({}/{})",
            self.recall(),
            self.labels_found,
            self.labels_counted,
            self.precision(),
            self.true_pos,
            self.false_pos,
            self.false_alarm_images.len(),
            self.negatives,
            self.masked_recall(),
            self.masked_found,
            self.masked_counted
        )
    }
}

/// Scores `images[i]` against `dets[i]` filtered to score ≥ `threshold`, for `i` in `which`.
pub fn score(images: &[Labelled], dets: &[Vec<Face>], which: &[usize], threshold: f32) -> Score {
    let mut s = Score::default();
    for &i in which {
        let kept: Vec<Face> = dets[i].iter().filter(|f| f.score >= threshold).copied().collect();
        s.add(&images[i], &kept);
    }
    s
}

/// 64-bit difference hash of a picture (9×8 grey, one bit per left/right step): near-duplicate
/// photos (re-crops, re-encodes, frames of one scene) differ in few bits.
pub fn dhash(img: &image::DynamicImage) -> u64 {
    let small = image::imageops::resize(&img.to_luma8(), 9, 8, image::imageops::FilterType::Triangle);
    let mut h = 0u64;
    for y in 0..8 {
        for x in 0..8 {
            h = (h << 1) | u64::from(small.get_pixel(x, y)[0] < small.get_pixel(x + 1, y)[0]);
        }
    }
    h
}

/// Hashes at most this many bits apart are the same scene.
pub const NEAR_DUPLICATE_BITS: u32 = 10;

/// The name with numbered or resolution variants folded (`neg_sony_cybershot_6` → `neg_sony_cybershot`,
/// `neg_ricoh_dc_3z_low_res` → `neg_ricoh_dc_3z`): one camera's or one upload's photos together.
fn stem(name: &str) -> String {
    let base = name.rsplit_once('.').map_or(name, |(b, _)| b);
    let base = base.trim_end_matches("_low_res").trim_end_matches("_normal_res");
    match base.rsplit_once('_') {
        Some((head, tail)) if !tail.is_empty() && tail.bytes().all(|c| c.is_ascii_digit()) && name.starts_with("neg_") => head.to_string(),
        _ => base.to_string(),
    }
}

/// Group id per image: same source and (same name stem or near-identical picture).
pub fn groups(images: &[Labelled], hashes: &[u64]) -> Vec<usize> {
    let n = images.len();
    let mut parent: Vec<usize> = (0..n).collect();
    fn root(p: &mut [usize], mut i: usize) -> usize {
        while p[i] != i {
            p[i] = p[p[i]];
            i = p[i];
        }
        i
    }
    for i in 0..n {
        for j in i + 1..n {
            let same = images[i].source == images[j].source
                && (stem(&images[i].name) == stem(&images[j].name)
                    || (hashes[i] ^ hashes[j]).count_ones() <= NEAR_DUPLICATE_BITS);
            if same {
                let (a, b) = (root(&mut parent, i), root(&mut parent, j));
                parent[a.max(b)] = a.min(b);
            }
        }
    }
    (0..n).map(|i| root(&mut parent, i)).collect()
}

/// Fold (0..k) per image: whole groups, biggest first, each to the fold holding the fewest images
/// of its source so far (then the fewest images, then the lowest fold). Deterministic.
pub fn folds(images: &[Labelled], group: &[usize], k: usize) -> Vec<usize> {
    let mut members: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, &g) in group.iter().enumerate() {
        members.entry(g).or_default().push(i);
    }
    let mut order: Vec<Vec<usize>> = members.into_values().collect();
    order.sort_by(|a, b| b.len().cmp(&a.len()).then(images[a[0]].name.cmp(&images[b[0]].name)));
    let mut per_source: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    let mut total = vec![0usize; k];
    let mut fold = vec![0usize; images.len()];
    for g in order {
        let counts = per_source.entry(images[g[0]].source.as_str()).or_insert_with(|| vec![0; k]);
        let f = (0..k).min_by_key(|&f| (counts[f], total[f], f)).unwrap_or(0);
        counts[f] += g.len();
        total[f] += g.len();
        for i in g {
            fold[i] = f;
        }
    }
    fold
}

/// How a setting and threshold are chosen on training images.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    /// Training precision must reach this…
    pub min_precision: f64,
    /// …with at most this many no-face training photos alarmed; among those, the highest recall wins.
    pub max_false_alarms: usize,
}

/// The targets, with a margin on precision so that the held-out fold can slip a little.
pub const RULE: Rule = Rule { min_precision: 0.89, max_false_alarms: 0 };

/// Thresholds tried: 0.20, 0.21, …, 0.95.
pub fn thresholds() -> impl Iterator<Item = f32> {
    (20..=95).map(|t| t as f32 / 100.0)
}

/// What the training images chose: a setting (index into the caller's list) and a threshold.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Choice {
    pub setting: usize,
    pub threshold: f32,
}

/// Picks the setting and threshold that the rule prefers on the `train` images. `settings[s][i]`
/// are setting s's detections on image i (any score). When nothing meets the rule, the fewest
/// false alarms then the highest recall win.
pub fn choose(images: &[Labelled], settings: &[Vec<Vec<Face>>], train: &[usize], rule: Rule) -> Choice {
    let mut best: Option<((bool, i64, f64, f64, f32), Choice)> = None;
    for (s, dets) in settings.iter().enumerate() {
        for t in thresholds() {
            let sc = score(images, dets, train, t);
            let fa = sc.false_alarm_images.len();
            let ok = sc.precision() >= rule.min_precision && fa <= rule.max_false_alarms;
            // rank: meets the rule, fewer alarms (only when it does not), recall, precision, threshold
            let key = (ok, if ok { 0 } else { -(fa as i64) }, sc.recall(), sc.precision(), t);
            if best.as_ref().is_none_or(|(b, _)| key.partial_cmp(b) == Some(std::cmp::Ordering::Greater)) {
                best = Some((key, Choice { setting: s, threshold: t }));
            }
        }
    }
    best.map(|(_, c)| c).unwrap_or(Choice { setting: 0, threshold: 0.5 })
}

/// One held-out fold: what training chose and how it scored on the fold.
#[derive(Debug, Clone)]
pub struct FoldResult {
    pub fold: usize,
    pub choice: Choice,
    pub held_out: Score,
    /// The masked subset of the held-out fold (photos with a masked face).
    pub held_out_masked: Score,
}

/// k-fold cross-validation: for each fold, choose on the other folds, score on this one.
pub fn cross_validate(images: &[Labelled], settings: &[Vec<Vec<Face>>], fold: &[usize], k: usize, rule: Rule) -> Vec<FoldResult> {
    (0..k)
        .map(|f| {
            let train: Vec<usize> = (0..images.len()).filter(|&i| fold[i] != f).collect();
            let test: Vec<usize> = (0..images.len()).filter(|&i| fold[i] == f).collect();
            let choice = choose(images, settings, &train, rule);
            let dets = &settings[choice.setting];
            let masked: Vec<usize> = test.iter().copied().filter(|&i| images[i].has_mask()).collect();
            FoldResult {
                fold: f,
                choice,
                held_out: score(images, dets, &test, choice.threshold),
                held_out_masked: score(images, dets, &masked, choice.threshold),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(x: f32, w: f32, score: f32) -> Face {
        Face { x, y: 0.0, w, h: w, score }
    }

    fn img(name: &str, faces: Vec<Face>) -> Labelled {
        let masked = vec![false; faces.len()];
        Labelled { name: name.into(), source: name.split('_').next().unwrap().into(), faces, masked, width: 100, height: 100 }
    }

    #[test]
    fn scorer_matches_greedily_and_ignores_tiny_boxes() {
        let mut s = Score::default();
        // two labels; a good detection, a duplicate (FP), a tiny unmatched one (ignored)
        s.add(&img("a_1.jpg", vec![f(0.0, 20.0, 1.0), f(100.0, 8.0, 1.0)]), &[f(1.0, 20.0, 0.9), f(2.0, 20.0, 0.8), f(300.0, 5.0, 0.7)]);
        assert_eq!((s.true_pos, s.false_pos, s.labels_counted, s.labels_found), (1, 1, 1, 1));
        s.add(&img("neg_x.jpg", vec![]), &[f(0.0, 30.0, 0.5)]);
        assert_eq!(s.false_alarm_images, vec!["neg_x.jpg".to_string()]);
        assert!((s.precision() - 1.0 / 3.0).abs() < 1e-9);
    }

    #[test]
    fn near_duplicates_and_numbered_negatives_share_a_group_and_a_fold() {
        let images: Vec<Labelled> = ["mask_a.png", "mask_b.png", "mask_c.png", "neg_cam_1.jpg", "neg_cam_2.jpg", "neg_dog.jpg", "neg_ricoh_low_res.jpg", "neg_ricoh_normal_res.jpg"]
            .iter()
            .map(|n| img(n, vec![]))
            .collect();
        // mask_a and mask_b differ in 3 bits; mask_c is far; neg_dog shares mask_a's hash but not its source
        let hashes = [0xFF00, 0xFF07, 0x00FF_FF00_0000, 1 << 40, 1 << 50, 0xFF00, 0, u64::MAX];
        let g = groups(&images, &hashes);
        assert_eq!(g[0], g[1]);
        assert_ne!(g[0], g[2]);
        assert_eq!(g[3], g[4]);
        assert_ne!(g[5], g[0]);
        assert_eq!(g[6], g[7]);
        let fold = folds(&images, &g, 3);
        assert_eq!(fold[0], fold[1]);
        assert_eq!(fold[3], fold[4]);
        assert_eq!(fold[6], fold[7]);
        // sources are spread: the three mask groups... two groups of mask land in different folds
        assert_ne!(fold[0], fold[2]);
    }

    #[test]
    fn choice_is_made_on_training_images_only() {
        // image 0 (train): a face at 0.6 and nothing else; image 1 (held out): a false alarm at 0.7
        let images = vec![img("mask_a.png", vec![f(0.0, 20.0, 1.0)]), img("neg_b.jpg", vec![])];
        let dets = vec![vec![vec![f(0.0, 20.0, 0.6)], vec![f(0.0, 20.0, 0.7)]]];
        let c = choose(&images, &dets, &[0], RULE);
        assert!(c.threshold <= 0.6, "{c:?}");
        let r = cross_validate(&images, &dets, &[0, 1], 2, RULE);
        assert_eq!(r[1].held_out.false_alarm_images.len(), 1);
    }
}
