//! WebAssembly bindings: the thin layer the browser calls. It owns only the
//! JS boundary (bytes in, a plain JS object out); every decision lives in
//! [`crate::check`]. Built for `wasm32` only (see `lib.rs`).
//!
//! Panics: on wasm32 a panic aborts (the instance traps with a
//! `WebAssembly.RuntimeError`) and the instance must not be used again. The JS
//! side (`www/js/worker.js` + `www/js/checker.js`) answers that call with a
//! plain error and starts a fresh instance before the next call. This module
//! only makes the panic message visible in the console.

use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::CheckOptions;

/// Runs once when the module is instantiated.
#[wasm_bindgen(start)]
pub fn start() {
    // A tiny hook instead of the console_error_panic_hook crate: same effect
    // (the message reaches the console before the trap), no extra dependency.
    std::panic::set_hook(Box::new(|info| {
        web_sys::console::error_1(&JsValue::from_str(&format!("ThinkTwice panicked: {info}")));
    }));
}

/// Checks one file's bytes and returns the report as a plain JS object
/// (JSON-compatible: maps become objects, `None` becomes `null`).
///
/// `name` is only echoed back in the report; nothing is read from disk or
/// the network. Errors are only for a report that cannot be turned into JS;
/// unreadable files still give a report whose `error` says why.
#[wasm_bindgen]
pub fn check(bytes: &[u8], name: &str) -> Result<JsValue, JsError> {
    let report = crate::check(bytes, name, &CheckOptions::default());
    report
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsError::new(&format!("Could not hand the report to the page: {e}")))
}

/// The crate version, e.g. "0.1.0".
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// Traps on purpose. Exists only so the end-to-end test can prove that a
/// panic never leaves the page unusable (see `tests/e2e/run.mjs`).
#[doc(hidden)]
#[wasm_bindgen(js_name = "__trapForTests")]
pub fn trap_for_tests() {
    panic!("deliberate trap for the recovery test");
}
