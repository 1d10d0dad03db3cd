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
//!   cargo run --release --example faces_cv -- mirrored     # plans whose name contains "mirrored"
//!   cargo run --release --example faces_cv -- --cached     # only plans whose looks are cached
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

const CF: &str = "centerface.ttfw";
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
    for long in [960] {
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

/// Runs the missing looks, one look over every photo at a time (its cache is written as soon as
/// it is complete, so an interrupted run keeps what it finished), and returns every look's cache
/// and the photos' hashes. With `cached_only`, missing looks are not run.
fn ensure(images: &[Labelled], dir: &std::path::Path, looks: &[LookKey], cached_only: bool) -> (BTreeMap<LookKey, Cached>, Vec<u64>) {
    std::fs::create_dir_all(cache_dir()).expect("cache dir");
    let hash_file = cache_dir().join("dhash.json");
    let mut hashes: BTreeMap<String, u64> =
        std::fs::read_to_string(&hash_file).ok().and_then(|t| serde_json::from_str(&t).ok()).unwrap_or_default();
    let mut have = BTreeMap::new();
    let decode = |image: &Labelled| {
        let bytes = std::fs::read(dir.join("images").join(&image.name)).expect("corpus image");
        // Labels are in stored pixels, so the stored pixels are searched (orientation 1).
        image::load_from_memory(&bytes).expect("corpus image decodes")
    };
    for k in looks {
        if let Some(c) = load_cache(k) {
            have.insert(*k, c);
            continue;
        }
        if cached_only {
            continue;
        }
        let path = faces::default_model_path().with_file_name(k.model);
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e} (run scripts/fetch-models.sh)", path.display()));
        let det = Detector::from_bytes(bytes).expect("model loads");
        let mut c = Cached { floor: faces::FLOOR, ..Default::default() };
        // A look used only on crowds (larger than the first look) is run only where the first
        // look (centerface-640, cached first) finds one; elsewhere it is recorded as not run.
        let crowd_only = k.model == CF && k.long > 640;
        let first = have.get(&key(CF, 640, false));
        for (n, image) in images.iter().enumerate() {
            if let (true, Some(first)) = (crowd_only, first) {
                if !faces::is_crowd(&faces_of(first, &image.name), image.width.max(image.height) as f32) {
                    c.ms.insert(image.name.clone(), 0.0);
                    c.faces.insert(image.name.clone(), Vec::new());
                    continue;
                }
            }
            let img = decode(image);
            hashes.insert(image.name.clone(), eval::dhash(&img));
            let rgb = img.into_rgb8();
            let t = Instant::now();
            let found = det
                .candidates(rgb.as_raw(), rgb.width(), rgb.height(), Pass { long_side: k.long, mirrored: k.mirrored }, faces::FLOOR)
                .expect("search");
            c.ms.insert(image.name.clone(), t.elapsed().as_secs_f64() * 1e3);
            c.faces.insert(image.name.clone(), found.iter().map(|f| [f.x, f.y, f.w, f.h, f.score]).collect());
            if n % 25 == 0 {
                eprintln!("  {} {n}/{}", k.file(), images.len());
            }
        }
        std::fs::write(cache_dir().join(k.file()), serde_json::to_string(&c).unwrap()).expect("write cache");
        std::fs::write(&hash_file, serde_json::to_string(&hashes).unwrap()).expect("write hashes");
        have.insert(*k, c);
    }
    for image in images {
        if !hashes.contains_key(&image.name) {
            hashes.insert(image.name.clone(), eval::dhash(&decode(image)));
        }
    }
    std::fs::write(&hash_file, serde_json::to_string(&hashes).unwrap()).expect("write hashes");
    (have, images.iter().map(|i| hashes[&i.name]).collect())
}

fn faces_of(c: &Cached, name: &str) -> Vec<Face> {
    c.faces[name].iter().map(|a| Face { x: a[0], y: a[1], w: a[2], h: a[3], score: a[4] }).collect()
}

fn main() {
    let mut filter: Vec<String> = std::env::args().skip(1).collect();
    let cached_only = filter.iter().any(|a| a == "--cached");
    filter.retain(|a| a != "--cached");
    let Some(dir) = eval::corpus_dir() else {
        eprintln!("skipped: face corpus not found (set THINKTWICE_CORPUS)");
        return;
    };
    let images = eval::load_corpus(&dir).expect("annotations");
    let plans: Vec<Candidate> =
        candidates().into_iter().filter(|c| filter.is_empty() || filter.iter().any(|f| c.name.contains(f.as_str()))).collect();
    // cheapest and most promising first: an interrupted run still answers the first plans
    let mut looks: Vec<LookKey> = Vec::new();
    for k in [key(CF, 640, false), key(CF, 640, true), key(RF, 960, false)].into_iter().chain(plans.iter().flat_map(|c| c.looks.iter().copied())) {
        if plans.iter().any(|p| p.looks.contains(&k)) && !looks.contains(&k) {
            looks.push(k);
        }
    }
    let (cache, hashes) = ensure(&images, &dir, &looks, cached_only);
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

    for plan in plans.iter().filter(|p| p.looks.iter().all(|k| cache.contains_key(k))) {
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
        println!("  search time: {:.0} ms/photo (mean over the corpus, this machine, as cached)", ms_total / images.len() as f64);
        counting(&images, &settings[c.setting], c.threshold);
        println!();
    }
}


/// How honest the people count is at this threshold: on photos told "at least N", how often there
/// really are more labelled faces than N; on photos told a plain "N", how often N is too low.
fn counting(images: &[Labelled], dets: &[Vec<Face>], threshold: f32) {
    let (mut hedged, mut hedged_more, mut plain, mut plain_low) = (0, 0, 0, 0);
    for (img, d) in images.iter().zip(dets) {
        let kept: Vec<Face> = d.iter().filter(|f| f.score >= threshold).copied().collect();
        if kept.is_empty() {
            continue;
        }
        let people = thinktwice::findings::count_people(&kept, Some(thinktwice::ImageSize { width: img.width, height: img.height }));
        let more = img.faces.len() > people.count;
        if people.at_least {
            hedged += 1;
            hedged_more += usize::from(more);
        } else {
            plain += 1;
            plain_low += usize::from(more);
        }
    }
    println!(
        "  counting: {hedged} photos told \"at least N\" ({hedged_more} of them really hold more labelled faces); \
         {plain} told \"N\" ({plain_low} of them hold more labelled faces)"
    );
}
