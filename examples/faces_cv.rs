//! Cross-validated face-detector measurement on the shared face corpus (issue #22).
//!
//! Runs each look (model × long side × mirrored) ONCE over the 198 photos, caching every face
//! scoring ≥ FLOOR to `$THINKTWICE_FACE_CACHE` (default /tmp/thinktwice-face-cache), then compares
//! ways of combining looks offline from the cache: k-fold cross-validation split by source with
//! near-duplicates kept together (src/faces/eval.rs), thresholds and weights chosen on the training
//! folds only. Prints, per plan, each held-out fold, the pooled figures, the masked subset, the
//! full-corpus fit and the mean search time per photo.
//!
//!   cargo run --release --example faces_cv                 # every plan
//!   cargo run --release --example faces_cv -- shipped      # plans whose name contains "shipped"
//!
//! Env: THINKTWICE_CORPUS (dir holding faces/), THINKTWICE_MODELS (dir of model files).
//! Timing is 1 thread per look as run here; on a busy machine it is pessimistic.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Instant;
use thinktwice::faces::eval::{self, Labelled, RULE};
use thinktwice::faces::fusion::{fuse, Look};
use thinktwice::faces::{self, Detector, Face, Pass};

const K: usize = 5;

/// One cached look: model file, long side, mirrored.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
struct LookKey {
    model: &'static str,
    long: u32,
    mirrored: bool,
}

const CF: &str = "centerface.onnx";
const RF: &str = "retinaface_mv1_0.25.onnx";

fn key(model: &'static str, long: u32, mirrored: bool) -> LookKey {
    LookKey { model, long, mirrored }
}

impl LookKey {
    fn file(&self) -> String {
        let m = if self.model == CF { "cf" } else { "rf" };
        format!("{m}-{}{}.json", self.long, if self.mirrored { "-mirrored" } else { "" })
    }
}

#[derive(serde::Serialize, serde::Deserialize, Default)]
struct Cached {
    floor: f32,
    faces: BTreeMap<String, Vec<[f32; 5]>>,
    ms: BTreeMap<String, f64>,
}

/// A way of combining looks; each weight vector is one setting the training folds may pick.
struct Candidate {
    name: String,
    looks: Vec<LookKey>,
    weights: Vec<Vec<f32>>,
    /// The looks after the first run only when the first finds a crowd (see faces::Plan).
    crowd_only: bool,
}

fn candidates() -> Vec<Candidate> {
    let one = |name: &str, k: LookKey| Candidate { name: name.into(), looks: vec![k], weights: vec![vec![1.0]], crowd_only: false };
    let mut v = vec![
        one("centerface-640 (before #22)", key(CF, 640, false)),
        one("centerface-800", key(CF, 800, false)),
        one("retinaface-960", key(RF, 960, false)),
        Candidate {
            name: "centerface-640 + mirrored".into(),
            looks: vec![key(CF, 640, false), key(CF, 640, true)],
            weights: vec![vec![1.0, 1.0]],
            crowd_only: false,
        },
        Candidate {
            name: "centerface-640 + retinaface-960".into(),
            looks: vec![key(CF, 640, false), key(RF, 960, false)],
            weights: [0.25, 0.5, 1.0].iter().map(|&w| vec![1.0, w]).collect(),
            crowd_only: false,
        },
        Candidate {
            name: "centerface-640 + mirrored + retinaface-960".into(),
            looks: vec![key(CF, 640, false), key(CF, 640, true), key(RF, 960, false)],
            weights: [0.25, 0.5, 1.0].iter().map(|&w| vec![1.0, 1.0, w]).collect(),
            crowd_only: false,
        },
    ];
    for long in [800, 960] {
        v.push(Candidate {
            name: format!("centerface-640 + centerface-{long} on crowds"),
            looks: vec![key(CF, 640, false), key(CF, long, false)],
            weights: [0.5, 1.0, 2.0].iter().map(|&w| vec![1.0, w]).collect(),
            crowd_only: true,
        });
        v.push(Candidate {
            name: format!("centerface-640 + mirrored + centerface-{long} on crowds"),
            looks: vec![key(CF, 640, false), key(CF, 640, true), key(CF, long, false)],
            weights: [0.5, 1.0, 2.0].iter().map(|&w| vec![1.0, 1.0, w]).collect(),
            crowd_only: true,
        });
    }
    v
}

fn cache_dir() -> PathBuf {
    std::env::var_os("THINKTWICE_FACE_CACHE").map(PathBuf::from).unwrap_or_else(|| PathBuf::from("/tmp/thinktwice-face-cache"))
}

fn load_cache(k: &LookKey) -> Option<Cached> {
    let text = std::fs::read_to_string(cache_dir().join(k.file())).ok()?;
    let c: Cached = serde_json::from_str(&text).ok()?;
    (c.floor <= faces::FLOOR).then_some(c)
}

/// Runs the missing looks (decoding each photo once) and returns every look's cache and the hashes.
fn ensure(images: &[Labelled], dir: &std::path::Path, looks: &[LookKey]) -> (BTreeMap<LookKey, Cached>, Vec<u64>) {
    std::fs::create_dir_all(cache_dir()).expect("cache dir");
    let mut have = BTreeMap::new();
    let mut missing = Vec::new();
    for k in looks {
        match load_cache(k) {
            Some(c) => {
                have.insert(*k, c);
            }
            None => missing.push(*k),
        }
    }
    let hash_file = cache_dir().join("dhash.json");
    let mut hashes: BTreeMap<String, u64> =
        std::fs::read_to_string(&hash_file).ok().and_then(|t| serde_json::from_str(&t).ok()).unwrap_or_default();
    let need_hash = images.iter().any(|i| !hashes.contains_key(&i.name));
    if !missing.is_empty() || need_hash {
        let mut detectors: BTreeMap<&str, Detector> = BTreeMap::new();
        for k in &missing {
            if !detectors.contains_key(k.model) {
                let path = faces::default_model_path().with_file_name(k.model);
                let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e} (run scripts/fetch-models.sh)", path.display()));
                detectors.insert(k.model, Detector::from_bytes(bytes).expect("model loads"));
            }
        }
        let mut fresh: BTreeMap<LookKey, Cached> = missing.iter().map(|k| (*k, Cached { floor: faces::FLOOR, ..Default::default() })).collect();
        for (n, image) in images.iter().enumerate() {
            let bytes = std::fs::read(dir.join("images").join(&image.name)).expect("corpus image");
            // Labels are in stored pixels, so the stored pixels are searched (orientation 1).
            let img = image::load_from_memory(&bytes).expect("corpus image decodes");
            hashes.insert(image.name.clone(), eval::dhash(&img));
            let rgb = img.into_rgb8();
            for (k, c) in fresh.iter_mut() {
                let det = &detectors[k.model];
                let t = Instant::now();
                let found = det
                    .candidates(rgb.as_raw(), rgb.width(), rgb.height(), Pass { long_side: k.long, mirrored: k.mirrored }, faces::FLOOR)
                    .expect("search");
                c.ms.insert(image.name.clone(), t.elapsed().as_secs_f64() * 1e3);
                c.faces.insert(image.name.clone(), found.iter().map(|f| [f.x, f.y, f.w, f.h, f.score]).collect());
            }
            if n % 20 == 0 {
                eprintln!("  {n}/{} searched ({} looks)", images.len(), fresh.len());
            }
        }
        for (k, c) in fresh {
            std::fs::write(cache_dir().join(k.file()), serde_json::to_string(&c).unwrap()).expect("write cache");
            have.insert(k, c);
        }
        std::fs::write(&hash_file, serde_json::to_string(&hashes).unwrap()).expect("write hashes");
    }
    (have, images.iter().map(|i| hashes[&i.name]).collect())
}

fn faces_of(c: &Cached, name: &str) -> Vec<Face> {
    c.faces[name].iter().map(|a| Face { x: a[0], y: a[1], w: a[2], h: a[3], score: a[4] }).collect()
}

fn main() {
    let filter: Vec<String> = std::env::args().skip(1).collect();
    let Some(dir) = eval::corpus_dir() else {
        eprintln!("skipped: face corpus not found (set THINKTWICE_CORPUS)");
        return;
    };
    let images = eval::load_corpus(&dir).expect("annotations");
    let plans: Vec<Candidate> =
        candidates().into_iter().filter(|c| filter.is_empty() || filter.iter().any(|f| c.name.contains(f.as_str()))).collect();
    let mut looks: Vec<LookKey> = plans.iter().flat_map(|c| c.looks.iter().copied()).collect();
    looks.sort();
    looks.dedup();
    let (cache, hashes) = ensure(&images, &dir, &looks);
    let group = eval::groups(&images, &hashes);
    let fold = eval::folds(&images, &group, K);
    let n_groups = {
        let mut g = group.clone();
        g.sort();
        g.dedup();
        g.len()
    };
    println!("corpus: {} photos in {n_groups} groups (source + near-duplicates), {K} folds", images.len());
    for f in 0..K {
        let of = |s: &str| (0..images.len()).filter(|&i| fold[i] == f && images[i].source == s).count();
        println!("  fold {f}: {} mask, {} dlib, {} no-face photos", of("mask"), of("dlib"), of("neg"));
    }
    println!(
        "rule on training folds: precision ≥ {}, no-face alarms ≤ {}, then highest recall; thresholds 0.20–0.95\n",
        RULE.min_precision, RULE.max_false_alarms
    );

    for plan in &plans {
        // settings[s][i]: fused faces of image i under weight vector s
        let mut settings = Vec::new();
        let mut ms_total = 0.0;
        for (s, weights) in plan.weights.iter().enumerate() {
            let mut per_image = Vec::new();
            for img in &images {
                let first = faces_of(&cache[&plan.looks[0]], &img.name);
                let more = !plan.crowd_only || faces::is_crowd(&first, img.width.max(img.height) as f32);
                let lists: Vec<Vec<Face>> = plan
                    .looks
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| *i == 0 || more)
                    .map(|(_, k)| faces_of(&cache[k], &img.name))
                    .collect();
                if s == 0 {
                    ms_total += plan.looks.iter().enumerate().filter(|(i, _)| *i == 0 || more).map(|(_, k)| cache[k].ms[&img.name]).sum::<f64>();
                }
                let looks: Vec<Look> = lists.iter().zip(weights).map(|(f, &weight)| Look { weight, faces: f }).collect();
                per_image.push(fuse(&looks, faces::FUSE_IOU, faces::FINAL_NMS_IOU));
            }
            settings.push(per_image);
        }
        let results = eval::cross_validate(&images, &settings, &fold, K, RULE);
        println!("## {}", plan.name);
        let mut pooled = eval::Score::default();
        let mut pooled_masked = eval::Score::default();
        for r in &results {
            println!(
                "  fold {}: weights {:?} thr {:.2} → {}",
                r.fold,
                plan.weights[r.choice.setting],
                r.choice.threshold,
                r.held_out.line()
            );
            pooled.merge(&r.held_out);
            pooled_masked.merge(&r.held_out_masked);
        }
        println!("  CROSS-VALIDATED: {} {:?}", pooled.line(), pooled.false_alarm_images);
        println!("  masked subset (held out): {}", pooled_masked.line());
        let all: Vec<usize> = (0..images.len()).collect();
        let c = eval::choose(&images, &settings, &all, RULE);
        println!(
            "  full corpus, chosen on all: weights {:?} thr {:.2} → {}",
            plan.weights[c.setting],
            c.threshold,
            eval::score(&images, &settings[c.setting], &all, c.threshold).line()
        );
        println!("  search time: {:.0} ms/photo (mean over the corpus, this machine, as cached)\n", ms_total / images.len() as f64);
    }
}

