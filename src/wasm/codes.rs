//! The code module's exports (feature `web-codes`, `www/pkg-codes`, loaded by
//! `www/app/faces-worker.js` after the face module, see [`super::faces`]): codes
//! in the picture (QR, Aztec, PDF417, Data Matrix, bar codes) and adding them to a
//! report the core made. Owns only the JS boundary. Must not: export anything
//! another module exports, carry the face detector or the image codecs, read a
//! code's raw text out (only the masked summary of [`crate::codes::find_codes`]
//! leaves), or fetch anything.
//!
//! Pixels come from `createImageBitmap` / a canvas (EXIF orientation applied), so
//! boxes are in upright pixels of the bitmap passed in.

use wasm_bindgen::prelude::*;

use super::{from_js, report_from_js, to_js};
use crate::Code;

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
