//! The copy module's exports (feature `web-copy`, `www/pkg-copy`, loaded by
//! `www/engine/copy-worker.js` only when a copy that draws the picture again is
//! asked for): areas covered (faces, codes, drawn boxes), TIFF → PNG, a lossless
//! WebP. The image codecs (feature `reencode`) live only in this module, so a
//! photo check never downloads them. Owns only the JS boundary; the copy is made,
//! re-checked and validated by [`crate::safer`] like the core's. Must not: export
//! anything another module exports (check, clean, faces, codes, place names) or
//! fetch anything.

use wasm_bindgen::prelude::*;

use super::to_js;

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
