//! Face detection: finds faces in a photo's pixels with a small CNN run by the pure-Rust
//! `rten` ONNX runtime, natively and in WebAssembly.
//!
//! Owns: model loading, pre-processing (resize, padding, tensor layout), the two model decoders
//! (CenterFace, RetinaFace-MobileNet0.25), NMS and mapping boxes back to the photo.
//! Must not: fetch anything (the model bytes come from the caller or from `www/models/`, written by
//! `scripts/fetch-models.sh`), decide what a face means for privacy (that is `findings`), or be
//! needed by the metadata check (the whole module is behind the `faces` cargo feature and loads lazily).
//!
//! The shipped model file is packed (fewer bits for the big int8 weights, [`packed`]) and
//! expanded here, in the native and the wasm build alike, before rten parses it.
//!
//! One core, [`Detector::detect_rgb`], is shared by the native entry ([`detect_in_file`]) and
//! the wasm entry (`crate::wasm::picture`). Boxes are in upright pixels of the image passed in.

mod centerface;
#[cfg(not(target_arch = "wasm32"))]
pub mod eval;
pub mod fusion;
pub mod geometry;
pub mod packed;
mod preprocess;
mod retinaface;

pub use crate::report::Face;
use rten::Model;

/// Which network a model file holds (told apart by its outputs: 4 for CenterFace, 3 for RetinaFace).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModelKind {
    CenterFace,
    RetinaFace,
}

/// Tunables, with defaults measured on the shared face corpus (see bench/faces/).
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    /// The photo is resized (up or down) so its long side is this many pixels before detection.
    /// Upscaling small photos is where recall on small faces comes from.
    pub long_side: u32,
    /// Minimum face score kept.
    pub threshold: f32,
    /// Greedy NMS drops a box overlapping a better one by more than this IoU.
    pub nms_iou: f32,
    /// Also look at the photo mirrored left–right, and fuse both looks.
    pub mirrored_look: bool,
    /// When the first look finds a crowd of small faces ([`is_crowd`]), look again with the long
    /// side at this size and fuse that look in with weight `crowd_weight` (first look: 1).
    pub crowd_long_side: Option<u32>,
    pub crowd_weight: f32,
}

impl Settings {
    pub fn default_for(kind: ModelKind) -> Settings {
        match kind {
            // Chosen by 5-fold cross-validation (examples/faces_cv.rs, bench/faces/README.md): a
            // second look at 960 px on crowds of small faces lifts held-out recall from 0.933 to
            // 0.952 at the same precision (0.899) and no no-face alarm; a mirrored look and
            // fusing RetinaFace helped less and cost more. 0.38 is the threshold the choice rule
            // takes on all 198 photos (the held-out folds took 0.38–0.40).
            ModelKind::CenterFace => Settings {
                long_side: 640,
                threshold: 0.38,
                nms_iou: 0.3,
                mirrored_look: false,
                crowd_long_side: Some(960),
                crowd_weight: 1.0,
            },
            ModelKind::RetinaFace => Settings {
                long_side: 960,
                threshold: 0.5,
                nms_iou: 0.4,
                mirrored_look: false,
                crowd_long_side: None,
                crowd_weight: 1.0,
            },
        }
    }
}

/// The warm-up's search size ([`Detector::warm_up`]): every layer still runs (the smallest feature
/// map is 5 x 4), at a sixteenth of a 640 px search's work.
const WARM_UP_SIDE: u32 = 160;

/// Each look keeps faces scoring at least this (the fused score is then thresholded).
pub const FLOOR: f32 = 0.2;
/// A look's box joins a fused face when it overlaps it by at least this IoU.
pub const FUSE_IOU: f32 = 0.55;
/// Fused faces overlapping a better one by more than this are dropped.
pub const FINAL_NMS_IOU: f32 = 0.3;
/// A crowd: at least this many faces…
const CROWD_FACES: usize = 3;
/// …narrower than this share of the photo's long side…
const CROWD_SMALL_SHARE: f32 = 0.05;
/// …each scoring at least this in the first look.
const CROWD_SCORE: f32 = 0.3;

/// Whether the first look's faces (in pixels of a photo whose long side is `long_side`) are a
/// crowd of small faces, worth a second look at a larger size.
pub fn is_crowd(first: &[Face], long_side: f32) -> bool {
    first.iter().filter(|f| f.score >= CROWD_SCORE && f.w < CROWD_SMALL_SHARE * long_side).count() >= CROWD_FACES
}

/// One look at a photo: resized so its long side is `long_side`, and mirrored left–right or not
/// (a mirrored look is a second opinion on the same pixels: a face the network half-misses one
/// way round is often found the other way round).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Pass {
    pub long_side: u32,
    pub mirrored: bool,
}

/// The operators the supported models use, and no others: rten's default registry links every
/// ONNX operator, which made the picture wasm hundreds of KB bigger (issue #16). A model needing
/// another operator is refused at load. The browser only ever loads CenterFace, so RetinaFace's
/// operators (used natively, by examples/faces_cv.rs and the tests) are left out of the wasm
/// build: 12 operators the page would download and compile for nothing.
fn model_ops() -> rten::OpRegistry {
    use rten::op_types::*;
    use rten::RegisterOp;
    // CenterFace (www/models/centerface.ttfw, expanded to int8 ONNX)
    let centerface: [&dyn RegisterOp; 7] =
        [&DequantizeLinear, &Conv, &Relu, &Add, &ConvTranspose, &BatchNormalization, &Sigmoid];
    // RetinaFace (retinaface_mv1_0.25.onnx); its Constant nodes are read by the loader itself
    #[cfg(not(target_arch = "wasm32"))]
    let retinaface: [&dyn RegisterOp; 12] = [
        &Identity, &LeakyRelu, &Shape, &Gather, &Unsqueeze, &Concat, &Slice, &Cast, &Resize,
        &Transpose, &Reshape, &Softmax,
    ];
    #[cfg(target_arch = "wasm32")]
    let retinaface: [&dyn RegisterOp; 0] = [];
    rten::OpRegistry::with_ops(&[&centerface[..], &retinaface[..]].concat())
}

/// A loaded face model plus its settings. Loading parses the ONNX file (hundreds of ms in wasm),
/// so build one and reuse it.
pub struct Detector {
    model: Model,
    kind: ModelKind,
    pub settings: Settings,
}

impl Detector {
    /// Loads a face model (CenterFace or RetinaFace) from its bytes: plain ONNX, or a packed
    /// model ([`packed`], what the page downloads), which is expanded to ONNX first.
    pub fn from_bytes(bytes: Vec<u8>) -> Result<Detector, String> {
        let bytes = if packed::is_packed(&bytes) { packed::expand(&bytes)? } else { bytes };
        let model = rten::ModelOptions::with_ops(model_ops())
            .load(bytes)
            .map_err(|e| format!("the face model could not be loaded: {e}"))?;
        let kind = match model.output_ids().len() {
            4 => ModelKind::CenterFace,
            3 => ModelKind::RetinaFace,
            n => return Err(format!("unknown face model: {n} outputs")),
        };
        Ok(Detector {
            model,
            kind,
            settings: Settings::default_for(kind),
        })
    }

    /// A warm-up while the model downloads: loads its skeleton ([`packed::skeleton`], the first
    /// [`packed::skeleton_len`] bytes of the file: the real graph with zeros for the packed weights)
    /// and searches a small blank picture, then drops it. The real load and first search after it
    /// run code the browser has already compiled. Finds nothing, by construction.
    pub fn warm_up(prefix: &[u8]) -> Result<(), String> {
        let mut det = Detector::from_bytes(packed::skeleton(prefix)?)?;
        det.settings.long_side = WARM_UP_SIDE;
        det.settings.crowd_long_side = None;
        let (width, height) = (WARM_UP_SIDE, WARM_UP_SIDE * 3 / 4); // a 4:3 photo's shape
        det.detect_rgb(&vec![0; (width * height * 3) as usize], width, height).map(|_| ())
    }

    pub fn kind(&self) -> ModelKind {
        self.kind
    }

    /// Finds faces in packed RGB8 pixels (`width × height × 3` bytes), already upright.
    pub fn detect_rgb(&self, rgb: &[u8], width: u32, height: u32) -> Result<Vec<Face>, String> {
        let mut faces = self.detect_scored(rgb, width, height)?;
        faces.retain(|f| f.score >= self.settings.threshold);
        Ok(faces)
    }

    /// Every look the settings ask for, fused ([`fusion::fuse`]): each face scoring ≥ [`FLOOR`]
    /// before the final threshold (what tuning and cross-validation need; best first).
    pub fn detect_scored(&self, rgb: &[u8], width: u32, height: u32) -> Result<Vec<Face>, String> {
        let s = self.settings;
        let look = |long_side, mirrored| self.candidates(rgb, width, height, Pass { long_side, mirrored }, FLOOR);
        let first = look(s.long_side, false)?;
        let mut looks = vec![(1.0, first)];
        if s.mirrored_look {
            looks.push((1.0, look(s.long_side, true)?));
        }
        if let Some(crowd) = s.crowd_long_side {
            if is_crowd(&looks[0].1, width.max(height) as f32) {
                looks.push((s.crowd_weight, look(crowd, false)?));
            }
        }
        let looks: Vec<fusion::Look> = looks.iter().map(|(weight, faces)| fusion::Look { weight: *weight, faces }).collect();
        Ok(fusion::fuse(&looks, FUSE_IOU, FINAL_NMS_IOU))
    }

    /// The largest long side any look may use: a caller handing over a shrunk copy of the photo
    /// (the browser worker) must keep at least this many pixels.
    pub fn input_long_side(&self) -> u32 {
        self.settings.long_side.max(self.settings.crowd_long_side.unwrap_or(0))
    }

    /// One look at the photo (`pass`): every face scoring above `floor`, after NMS, in pixels of
    /// `rgb`. Exact building block for tuning: greedy NMS of the boxes above a threshold t ≥ floor
    /// equals this list filtered to score ≥ t, so one run at a low floor serves every threshold.
    pub fn candidates(
        &self,
        rgb: &[u8],
        width: u32,
        height: u32,
        pass: Pass,
        floor: f32,
    ) -> Result<Vec<Face>, String> {
        let needed = (width as usize)
            .checked_mul(height as usize)
            .and_then(|n| n.checked_mul(3));
        if needed != Some(rgb.len()) {
            return Err("the pixel buffer does not match the image size".into());
        }
        if width == 0 || height == 0 {
            return Ok(Vec::new());
        }
        let mirror;
        let pixels = if pass.mirrored {
            mirror = preprocess::mirror(rgb, width as usize);
            &mirror[..]
        } else {
            rgb
        };
        let canvas = preprocess::fit(pixels, width, height, pass.long_side);
        let raw = match self.kind {
            ModelKind::CenterFace => centerface::run(&self.model, &canvas, floor)?,
            ModelKind::RetinaFace => retinaface::run(&self.model, &canvas, floor)?,
        };
        let kept = geometry::nms(raw, self.settings.nms_iou);
        Ok(kept
            .into_iter()
            .filter_map(|f| canvas.to_source(&f))
            .map(|f| if pass.mirrored { Face { x: width as f32 - f.x - f.w, ..f } } else { f })
            .collect())
    }

    /// Same as [`detect_rgb`](Self::detect_rgb) for RGBA8 pixels (what a browser canvas gives).
    pub fn detect_rgba(&self, rgba: &[u8], width: u32, height: u32) -> Result<Vec<Face>, String> {
        let needed = (width as usize)
            .checked_mul(height as usize)
            .and_then(|n| n.checked_mul(4));
        if needed != Some(rgba.len()) {
            return Err("the pixel buffer does not match the image size".into());
        }
        let rgb: Vec<u8> = rgba
            .chunks_exact(4)
            .flat_map(|p| [p[0], p[1], p[2]])
            .collect();
        self.detect_rgb(&rgb, width, height)
    }

    /// Decodes an image file, turns it upright with EXIF `orientation` (1–8; `None` = read it
    /// from the file's metadata) and finds faces. Boxes are in upright pixels.
    /// Needs the image codecs (feature `decode-files`); the browser decodes for itself.
    #[cfg(feature = "decode-files")]
    pub fn detect_in_file(
        &self,
        bytes: &[u8],
        orientation: Option<u16>,
    ) -> Result<Vec<Face>, String> {
        let orientation = orientation.or_else(|| file_orientation(bytes)).unwrap_or(1);
        let img = decode_upright(bytes, orientation)?;
        self.detect_rgb(img.as_raw(), img.width(), img.height())
    }
}

/// EXIF orientation as read by the metadata readers (None when absent or unreadable).
#[cfg(feature = "decode-files")]
fn file_orientation(bytes: &[u8]) -> Option<u16> {
    let walked = crate::container::walk(bytes).ok()?;
    crate::meta::read(&walked).orientation
}

/// Decodes a photo to RGB8 and applies the EXIF orientation (feature `decode-files`: the image codecs).
#[cfg(feature = "decode-files")]
pub fn decode_upright(bytes: &[u8], orientation: u16) -> Result<image::RgbImage, String> {
    let mut img = image::load_from_memory(bytes)
        .map_err(|e| format!("the picture could not be decoded: {e}"))?;
    if let Some(o) = image::metadata::Orientation::from_exif(orientation.min(255) as u8) {
        img.apply_orientation(o);
    }
    Ok(img.into_rgb8())
}

/// Where the native build looks for models: `$THINKTWICE_MODELS`, else `www/models` in the crate.
#[cfg(not(target_arch = "wasm32"))]
pub fn default_model_path() -> std::path::PathBuf {
    let dir = std::env::var_os("THINKTWICE_MODELS")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("www/models"));
    dir.join(DEFAULT_MODEL_FILE)
}

/// The model file used by default (chosen by measurement, see bench/faces/README.md).
pub const DEFAULT_MODEL_FILE: &str = "centerface.ttfw";

/// Native convenience: finds faces in an image file with the default model, loaded once.
#[cfg(all(not(target_arch = "wasm32"), feature = "decode-files"))]
pub fn detect_in_file(bytes: &[u8]) -> Result<Vec<Face>, String> {
    use std::sync::OnceLock;
    static DETECTOR: OnceLock<Result<Detector, String>> = OnceLock::new();
    let detector = DETECTOR.get_or_init(|| {
        let path = default_model_path();
        let bytes = std::fs::read(&path).map_err(|e| {
            format!(
                "face model {} missing ({e}); run scripts/fetch-models.sh",
                path.display()
            )
        })?;
        Detector::from_bytes(bytes)
    });
    detector
        .as_ref()
        .map_err(Clone::clone)?
        .detect_in_file(bytes, None)
}

#[cfg(all(test, feature = "decode-files"))]
mod tests;
