//! WebAssembly bindings: the thin layer the browser calls. Owns only the JS
//! boundary; every decision lives in the crate (`check`, `clean`, `faces`,
//! `codes`). Built for `wasm32` only (see `lib.rs`), as one of two modules:
//!
//! * the **core** (feature `web-core`, `www/pkg`): metadata check, place names,
//!   safer copy — [`core`];
//! * the **picture** module (feature `web-picture`, `www/pkg-faces`): face
//!   detector, codes in the picture, adding their findings to a report made by
//!   the core — [`picture`]. It exports none of the core's functions, so the
//!   page never downloads the same exports twice.
//!
//! One to/from-JS convention for both: bytes come in as `&[u8]`; every answer
//! is a plain, JSON-compatible JS object made by [`to_js`] (maps become objects,
//! `None` becomes `null`; bytes are added as a `Uint8Array`); a report handed
//! back by the page is read by [`report_from_js`]; a refusal is a `JsError`
//! with a sentence for people (the JS side tells a refusal from a trap by the
//! error's type).
//!
//! Panics: on wasm32 a panic aborts (the instance traps with a
//! `WebAssembly.RuntimeError`) and the instance must not be used again. The JS
//! side (`www/engine/client.js`) answers that call with a plain error and starts
//! a fresh worker before the next call. This module only makes the panic
//! message visible in the console.

use serde::Serialize;
use wasm_bindgen::prelude::*;

#[cfg(feature = "web-core")]
pub mod core;
#[cfg(feature = "web-picture")]
pub mod picture;

/// Runs once when the module is instantiated.
#[wasm_bindgen(start)]
pub fn start() {
    // A tiny hook instead of the console_error_panic_hook crate: same effect
    // (the message reaches the console before the trap), no extra dependency.
    std::panic::set_hook(Box::new(|info| {
        web_sys::console::error_1(&JsValue::from_str(&format!("ThinkTwice panicked: {info}")));
    }));
}

/// A value as a plain, JSON-compatible JS object; `what` names it in the error.
pub(crate) fn to_js<T: Serialize + ?Sized>(value: &T, what: &str) -> Result<JsValue, JsError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsError::new(&format!("Could not hand the {what} to the page: {e}")))
}

/// A value the page handed in (a report, a list of faces...); `what` names it in the error.
pub(crate) fn from_js<T: serde::de::DeserializeOwned>(value: JsValue, what: &str) -> Result<T, JsError> {
    serde_wasm_bindgen::from_value(value).map_err(|e| JsError::new(&format!("Not {what}: {e}")))
}

/// A report handed back by the page (made by the core's `check`).
pub(crate) fn report_from_js(report: JsValue) -> Result<crate::Report, JsError> {
    from_js(report, "a report")
}
