//! WebAssembly entry for the face detector (compiled only for wasm32 with the `faces` feature).
//!
//! The page fetches the model file itself (e.g. `models/centerface.onnx`), builds one
//! `FaceDetector` and reuses it: parsing the model is the slow part of the first call. Pixels come
//! from a canvas / `createImageBitmap`, which have already applied the EXIF orientation, so the
//! boxes are in upright pixels of the bitmap passed in. Results are JSON: `[{x,y,w,h,score}, ...]`.

use super::Detector;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
pub struct FaceDetector {
    inner: Detector,
}

#[wasm_bindgen]
impl FaceDetector {
    /// Loads a face model (ONNX bytes).
    #[wasm_bindgen(constructor)]
    pub fn new(model_bytes: Vec<u8>) -> Result<FaceDetector, JsError> {
        Detector::from_bytes(model_bytes)
            .map(|inner| FaceDetector { inner })
            .map_err(|e| JsError::new(&e))
    }

    /// Finds faces in RGBA pixels (`ImageData.data`); returns JSON.
    #[wasm_bindgen(js_name = detectRgba)]
    pub fn detect_rgba(&self, rgba: &[u8], width: u32, height: u32) -> Result<String, JsError> {
        let faces = self
            .inner
            .detect_rgba(rgba, width, height)
            .map_err(|e| JsError::new(&e))?;
        serde_json::to_string(&faces).map_err(|e| JsError::new(&e.to_string()))
    }

    /// The long side (px) the photo handed over should keep (at least): the largest size any of
    /// the detector's looks uses. Smaller photos are searched as they are (and upscaled inside).
    #[wasm_bindgen(getter, js_name = longSide)]
    pub fn long_side(&self) -> u32 {
        self.inner.input_long_side()
    }

    #[wasm_bindgen(setter, js_name = longSide)]
    pub fn set_long_side(&mut self, value: u32) {
        self.inner.settings.long_side = value.clamp(64, 2048);
    }
}

/// One-shot form: loads the model and searches one image. Prefer `FaceDetector` for more than one.
#[wasm_bindgen(js_name = detectFaces)]
pub fn detect_faces(
    rgba: &[u8],
    width: u32,
    height: u32,
    model_bytes: Vec<u8>,
) -> Result<String, JsError> {
    FaceDetector::new(model_bytes)?.detect_rgba(rgba, width, height)
}
