//! WebAssembly bindings: the page's worker calls `check(bytes, name)` and gets
//! the same Report the CLI prints, as a plain JS object. No logic lives here.
//! (Minimal version for the web branch; the ci branch carries the same signature.)

use wasm_bindgen::prelude::*;

/// Checks one file and returns its Report as a JSON-compatible JS object.
#[wasm_bindgen]
pub fn check(bytes: &[u8], name: &str) -> Result<JsValue, JsError> {
    let report = crate::check(bytes, name, &crate::CheckOptions::default());
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    serde::Serialize::serialize(&report, &serializer).map_err(|e| JsError::new(&e.to_string()))
}
