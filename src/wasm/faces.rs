//! The face module's exports (feature `web-faces`, `www/pkg-faces`, loaded by
//! `www/app/faces-worker.js` after a verdict is shown, with the face model): the
//! face detector, answering plain boxes (the core's `withFaces` adds them to a
//! report, with the findings' rules and texts this module does not carry). One of the three
//! picture modules, each fetched only when its job is asked for: faces (this),
//! codes ([`super::codes`], `www/pkg-codes`) and the copy that draws the picture
//! again ([`super::copy`], `www/pkg-copy`). Owns only the JS boundary. Must not:
//! export anything another module exports (check, clean, codes, place names),
//! read or write reports, carry the code reader or the image codecs, or fetch anything (the model's
//! bytes come from the page).
//!
//! Pixels come from `createImageBitmap` / a canvas, which have already applied
//! the EXIF orientation, so boxes are in upright pixels of the bitmap passed in;
//! the page scales them back to the photo when it passed a smaller copy.

use wasm_bindgen::prelude::*;

use super::to_js;
use crate::faces::Detector;

/// How many bytes from the start of the face model [`warm_up`] needs: 0 while `start` is too short
/// to tell, or for a model that cannot warm up this way (plain ONNX).
#[wasm_bindgen(js_name = warmUpNeeds)]
pub fn warm_up_needs(start: &[u8]) -> u32 {
    crate::faces::packed::skeleton_len(start).map_or(0, |n| n.min(u32::MAX as usize) as u32)
}

/// A warm-up while the rest of the face model downloads: loads the model's skeleton (its first
/// [`warm_up_needs`] bytes: the graph with zeros for the packed weights) and searches a small blank
/// picture, then drops it, so that the real load and the first real search run code the browser
/// has already compiled. Finds nothing; errors on a damaged start.
#[wasm_bindgen(js_name = warmUpOnSkeleton)]
pub fn warm_up(prefix: &[u8]) -> Result<(), JsError> {
    Detector::warm_up(prefix).map_err(|e| JsError::new(&e))
}

/// A loaded face model, built once and reused: parsing the model is the slow
/// part of the first search.
#[wasm_bindgen]
pub struct FaceDetector {
    inner: Detector,
}

#[wasm_bindgen]
impl FaceDetector {
    /// Loads a face model (ONNX bytes).
    #[wasm_bindgen(constructor)]
    pub fn new(model_bytes: Vec<u8>) -> Result<FaceDetector, JsError> {
        Detector::from_bytes(model_bytes).map(|inner| FaceDetector { inner }).map_err(|e| JsError::new(&e))
    }

    /// Finds faces in RGBA pixels (`ImageData.data`): `[{x, y, w, h, score}]`.
    #[wasm_bindgen(js_name = detectRgba)]
    pub fn detect_rgba(&self, rgba: &[u8], width: u32, height: u32) -> Result<JsValue, JsError> {
        let faces = self.inner.detect_rgba(rgba, width, height).map_err(|e| JsError::new(&e))?;
        to_js(&faces, "faces")
    }

    /// The long side (px) photos are resized to before detection.
    #[wasm_bindgen(getter, js_name = longSide)]
    pub fn long_side(&self) -> u32 {
        self.inner.input_long_side()
    }

    #[wasm_bindgen(setter, js_name = longSide)]
    pub fn set_long_side(&mut self, value: u32) {
        self.inner.settings.long_side = value.clamp(64, 2048);
    }
}
