//! The code module's exports (feature `web-codes`, `www/pkg-codes`, loaded by
//! `www/app/faces-worker.js` after the face module, see [`super::faces`]): codes
//! in the picture (QR, Aztec, PDF417, Data Matrix, bar codes), answered as plain
//! values (the core's `withCodes` adds them to a report, with the findings' rules
//! and texts this module does not carry). Owns only the JS boundary. Must not:
//! export anything another module exports, read or write reports, carry the face
//! detector or the image codecs, read a
//! code's raw text out (only the masked summary of [`crate::codes::find_codes`]
//! leaves), or fetch anything.
//!
//! Pixels come from `createImageBitmap` / a canvas (EXIF orientation applied), so
//! boxes are in upright pixels of the bitmap passed in.

use wasm_bindgen::prelude::*;

use super::to_js;

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
