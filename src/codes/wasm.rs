//! WebAssembly entry for codes in the picture (wasm32 with the `codes` feature; it ships in
//! the lazily loaded picture module `www/pkg-faces`, next to the face detector).
//!
//! Owns only the JS boundary. The page decodes the photo itself (`createImageBitmap` applies
//! the EXIF orientation), so pixels arrive upright and boxes are in those pixels; the page
//! scales them back to the photo when it passed a smaller copy. Must not: read a code's raw
//! text out (only the masked summary of [`super::find_codes`] leaves), or fetch anything.

use crate::wasm::{report_from_js, to_js};
use crate::Code;
use wasm_bindgen::prelude::*;

/// Finds the codes in RGBA pixels (`ImageData.data`): `[{format, kind, x, y, w, h, summary}]`.
/// A buffer that does not match `width × height × 4` is refused with a plain message.
#[wasm_bindgen(js_name = findCodes)]
pub fn find_codes(rgba: &[u8], width: u32, height: u32) -> Result<JsValue, JsError> {
    let expected = (width as usize).checked_mul(height as usize).and_then(|n| n.checked_mul(4));
    if expected != Some(rgba.len()) {
        return Err(JsError::new("the pixel buffer does not match the image size"));
    }
    to_js(&super::find_codes(rgba, width, height), "codes")
}

/// Adds codes (as [`find_codes`] gives them, boxes in upright pixels of the photo) to a report
/// made by `check`: `codes` set and one `barcode` finding each ([`crate::add_codes`], as the CLI).
#[wasm_bindgen(js_name = withCodes)]
pub fn with_codes(report: JsValue, codes: JsValue) -> Result<JsValue, JsError> {
    let mut report = report_from_js(report)?;
    let codes: Vec<Code> = serde_wasm_bindgen::from_value(codes)
        .map_err(|e| JsError::new(&format!("Not a list of codes: {e}")))?;
    crate::add_codes(&mut report, codes);
    to_js(&report, "report")
}
