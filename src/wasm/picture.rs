//! The picture module's exports (feature `web-picture`, `www/pkg-faces`, loaded
//! lazily by `www/app/faces-worker.js` after a verdict is shown): the face
//! detector, codes in the picture, adding what they found to a report the
//! core made, and the safer copy that draws the picture again (areas covered,
//! TIFF → PNG: the image codecs live only in this module, feature `reencode`).
//! Owns only the JS boundary. Must not: export anything the core module
//! exports (check, clean, place names), read a code's raw text out (only
//! the masked summary of [`crate::codes::find_codes`] leaves), or fetch anything
//! (the model's bytes come from the page).
//!
//! Pixels come from `createImageBitmap` / a canvas, which have already applied
//! the EXIF orientation, so boxes are in upright pixels of the bitmap passed in;
//! the page scales them back to the photo when it passed a smaller copy.

use wasm_bindgen::prelude::*;

use super::{from_js, report_from_js, to_js};
use crate::faces::Detector;
use crate::{Code, Face};

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

/// Adds the face detector's boxes to a report made by the core's `check`:
/// returns the report with `faces` set and, when there are faces, the `faces`
/// finding (same rule as the CLI, [`crate::add_faces`]). `faces` is the
/// detector's list `[{x, y, w, h, score}]` in upright pixels of the photo.
#[wasm_bindgen(js_name = withFaces)]
pub fn with_faces(report: JsValue, faces: JsValue) -> Result<JsValue, JsError> {
    let mut report = report_from_js(report)?;
    let faces: Vec<Face> = from_js(&faces, "a list of faces")?;
    crate::add_faces(&mut report, faces);
    to_js(&report, "report")
}

/// Finds the codes in RGBA pixels (`ImageData.data`): `[{format, kind, x, y, w, h, summary}]`.
/// A buffer that does not match `width × height × 4` is refused with a plain message.
#[wasm_bindgen(js_name = findCodes)]
pub fn find_codes(rgba: &[u8], width: u32, height: u32) -> Result<JsValue, JsError> {
    let expected = (width as usize).checked_mul(height as usize).and_then(|n| n.checked_mul(4));
    if expected != Some(rgba.len()) {
        return Err(JsError::new("the pixel buffer does not match the image size"));
    }
    to_js(&crate::codes::find_codes(rgba, width, height), "codes")
}

/// Adds codes (as [`find_codes`] gives them, boxes in upright pixels of the photo) to a report
/// made by `check`: `codes` set and one `barcode` finding each ([`crate::add_codes`], as the CLI).
#[wasm_bindgen(js_name = withCodes)]
pub fn with_codes(report: JsValue, codes: JsValue) -> Result<JsValue, JsError> {
    let mut report = report_from_js(report)?;
    let codes: Vec<Code> = from_js(&codes, "a list of codes")?;
    crate::add_codes(&mut report, codes);
    to_js(&report, "report")
}

/// The safer copy that draws the picture again: areas covered (faces, codes, drawn boxes) or a
/// TIFF turned into a PNG. Same options and answer as the core's `clean` (see
/// [`super::clean_to_js`]), which hands such copies here (its answer `{reencode: true}`).
/// Throws an `Error` with a sentence for people when no safer copy can be made.
#[wasm_bindgen(js_name = cleanRedrawn)]
pub fn clean_redrawn(bytes: &[u8], options_json: &str) -> Result<JsValue, JsError> {
    super::clean_to_js(bytes, options_json).map_err(|e| JsError::new(&e.to_string()))
}

/// Where the time of the last [`clean_redrawn`] went: `[[stage, ms], ...]` in order
/// (for the measurement scripts; see `clean::last_stage_times`).
#[wasm_bindgen(js_name = redrawStageTimes)]
pub fn redraw_stage_times() -> Result<JsValue, JsError> {
    to_js(&crate::clean::last_stage_times(), "stage times")
}

/// Runs one small covered copy so the first real one is not slowed by the
/// browser's tiered compilation (see `safer::warm_up`). True when it worked.
#[wasm_bindgen(js_name = warmUp)]
pub fn warm_up() -> bool {
    crate::safer::warm_up()
}
