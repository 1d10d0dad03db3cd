//! Scores the face detector, as shipped, on the shared human-annotated face corpus
//! (`shared/corpus/faces`: 198 images, 64 without faces; boxes in stored pixels). The scorer,
//! the folds and the choice rule live in `thinktwice::faces::eval` (one place, also used by
//! examples/faces_cv.rs, which compares ways of combining looks).
//!
//! `faces_corpus_full` runs the shipped pipeline once over all 198 photos, keeping every face
//! above the floor, then reports (a) the shipped threshold on all photos — a floor, since the
//! shipped settings were chosen on these same photos — and (b) 5-fold cross-validation split by
//! source with near-duplicates together: the threshold is chosen on four folds and the figures
//! are read on the fifth. The bar is asserted on the cross-validated figures.
//! `faces_corpus_subset` (every 4th image) is the quick one while tuning.
//! Both skip with a message when the corpus or model is absent.
//! Env: THINKTWICE_CORPUS (dir holding faces/), THINKTWICE_MODELS (dir of model files),
//! THINKTWICE_FACE_MODEL (file name), THINKTWICE_FACE_LONG / _THR (override settings, for tuning).
#![cfg(not(target_arch = "wasm32"))] // native only: reads files
#![cfg(feature = "faces")]

use crate::common;

use std::time::Instant;
use thinktwice::faces::eval::{self, Labelled, Score, RULE};
use thinktwice::faces::{self, Detector, Face};

fn detector() -> Option<Detector> {
    let file = std::env::var("THINKTWICE_FACE_MODEL").unwrap_or_else(|_| faces::DEFAULT_MODEL_FILE.into());
    let path = faces::default_model_path().with_file_name(file);
    let Ok(bytes) = std::fs::read(&path) else {
        common::tool_missing("faces_corpus", &format!("face model {}", path.display()), "bash scripts/fetch-models.sh");
        return None;
    };
    let mut det = Detector::from_bytes(bytes).expect("face model loads");
    if let Some(v) = std::env::var("THINKTWICE_FACE_LONG").ok().and_then(|v| v.parse().ok()) {
        det.settings.long_side = v;
    }
    if let Some(v) = std::env::var("THINKTWICE_FACE_THR").ok().and_then(|v| v.parse().ok()) {
        det.settings.threshold = v;
    }
    Some(det)
}

/// The shipped pipeline's faces above the floor, per image; plus the dHash of each image.
struct Run {
    images: Vec<Labelled>,
    scored: Vec<Vec<Face>>,
    hashes: Vec<u64>,
    threshold: f32,
    millis: f64,
}

fn run(every: usize) -> Option<Run> {
    let Some(dir) = eval::corpus_dir() else {
        eprintln!("skipped: face corpus not found (set THINKTWICE_CORPUS)");
        return None;
    };
    let det = detector()?;
    let images: Vec<Labelled> = eval::load_corpus(&dir).expect("annotations").into_iter().step_by(every).collect();
    let (mut scored, mut hashes, mut millis) = (Vec::new(), Vec::new(), 0.0);
    for image in &images {
        let bytes = std::fs::read(dir.join("images").join(&image.name)).expect("corpus image readable");
        // Labels are in stored pixels, so the stored pixels are searched (orientation 1).
        let img = image::load_from_memory(&bytes).expect("corpus image decodes");
        hashes.push(eval::dhash(&img));
        let rgb = img.into_rgb8();
        let start = Instant::now();
        scored.push(det.detect_scored(rgb.as_raw(), rgb.width(), rgb.height()).expect("search"));
        millis += start.elapsed().as_secs_f64() * 1000.0;
    }
    println!("settings {:?}, {} images, {:.0} ms/image (search)", det.settings, images.len(), millis / images.len().max(1) as f64);
    Some(Run { images, scored, hashes, threshold: det.settings.threshold, millis })
}

fn shipped(r: &Run) -> Score {
    let all: Vec<usize> = (0..r.images.len()).collect();
    let s = eval::score(&r.images, &r.scored, &all, r.threshold);
    println!("shipped threshold {} on these photos: {} {:?}", r.threshold, s.line(), s.false_alarm_images);
    s
}

#[test]
fn faces_corpus_subset() {
    let Some(r) = run(4) else { return };
    let s = shipped(&r);
    assert!(s.recall() >= 0.90, "recall {:.3}", s.recall());
    assert!(s.precision() >= 0.85, "precision {:.3}", s.precision());
    assert!(s.false_alarm_images.len() <= 1, "false alarms {:?}", s.false_alarm_images);
    assert!(r.millis >= 0.0);
}

/// The bar on all 198 images: held-out (cross-validated) figures, and the shipped
/// threshold on the whole corpus as a floor.
#[test]
fn faces_corpus_full() {
    let Some(r) = run(1) else { return };
    let s = shipped(&r);
    assert!(s.recall() >= 0.93, "recall {:.3}", s.recall());
    assert!(s.precision() >= 0.88, "precision {:.3}", s.precision());
    assert!(s.false_alarm_images.len() <= 1, "false alarms {:?}", s.false_alarm_images);

    let group = eval::groups(&r.images, &r.hashes);
    let fold = eval::folds(&r.images, &group, 5);
    let results = eval::cross_validate(&r.images, &[r.scored.clone()], &fold, 5, RULE);
    let (mut pooled, mut masked) = (Score::default(), Score::default());
    for f in &results {
        println!("held-out fold {}: threshold {:.2} (chosen on the other folds) → {}", f.fold, f.choice.threshold, f.held_out.line());
        pooled.merge(&f.held_out);
        masked.merge(&f.held_out_masked);
    }
    println!("cross-validated: {} {:?}", pooled.line(), pooled.false_alarm_images);
    println!("cross-validated, photos with a masked face: {}", masked.line());
    assert!(pooled.recall() >= 0.93, "cross-validated recall {:.3}", pooled.recall());
    assert!(pooled.precision() >= 0.88, "cross-validated precision {:.3}", pooled.precision());
    assert!(pooled.false_alarm_images.len() <= 1, "cross-validated false alarms {:?}", pooled.false_alarm_images);
}
