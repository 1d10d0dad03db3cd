//! WebAssembly bindings: the thin layer the browser calls. Owns only the JS
//! boundary; every decision lives in the crate (`check`, `clean`, `faces`,
//! `codes`). Built for `wasm32` only (see `lib.rs`), as one of four modules,
//! each fetched only when its job is asked for (scripts/build-wasm.sh):
//!
//! * the **core** (feature `web-core`, `www/pkg`): metadata check, place names,
//!   lossless safer copy, adding found faces and codes to a report — [`core`];
//! * the **face** module (feature `web-faces`, `www/pkg-faces`): face detector,
//!   answering plain boxes — [`faces`];
//! * the **code** module (feature `web-codes`, `www/pkg-codes`): codes in the
//!   picture, answered as plain values — [`codes`];
//! * the **copy** module (feature `web-copy`, `www/pkg-copy`): the safer copy that
//!   draws the picture again (the image codecs) — [`copy`].
//!
//! No module exports another's functions, so the page never downloads the same
//! code twice and a photo check never downloads the copy's codecs. Build one
//! module per feature: two `web-*` features together would export both sets.
//!
//! One to/from-JS convention for both: bytes come in as `&[u8]`; every answer
//! is a plain, JSON-compatible JS object made by [`to_js`] (JSON text parsed by the
//! browser: maps become objects, `None` becomes `null`; bytes are added as a `Uint8Array`); a report handed
//! back by the page is read only by the core, and only in the parts an export needs, by hand
//! (no serde-derived readers, see `core::with_place`, `core::with_faces`); the face and code
//! modules never read a report; a refusal is a `JsError`
//! with a sentence for people (the JS side tells a refusal from a trap by the
//! error's type). JSON from the page that does not parse is refused as "Not a report" (or
//! what it should have been), without serde_json's own error text: its formatting code was
//! ~1 KB gzipped of the core module, for a message only a broken page could ever see.
//!
//! Panics: on wasm32 a panic aborts (the instance traps with a
//! `WebAssembly.RuntimeError`) and the instance must not be used again. The JS
//! side (`www/engine/client.js`) answers that call with a plain error and starts
//! a fresh worker before the next call. This module only makes the panic
//! message visible in the console.

use serde::Serialize;
use wasm_bindgen::prelude::*;

#[cfg(any(feature = "web-core", feature = "web-copy"))]
use crate::{CleanOptions, CoverBox, CoverStyle};

#[cfg(feature = "web-core")]
pub mod core;
#[cfg(feature = "web-faces")]
pub mod faces;
#[cfg(feature = "web-codes")]
pub mod codes;
#[cfg(feature = "web-copy")]
pub mod copy;

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
/// Made as JSON text (serde_json, which the crate has anyway) and parsed by the
/// browser's `JSON.parse`: a second serde back end (serde-wasm-bindgen) cost the
/// core module ~40 KB of code for the same objects.
pub(crate) fn to_js<T: Serialize + ?Sized>(value: &T, what: &str) -> Result<JsValue, JsError> {
    let json = serde_json::to_string(value)
        .map_err(|_| JsError::new(&format!("Could not hand the {what} to the page")))?;
    js_sys::JSON::parse(&json).map_err(|_| JsError::new(&format!("Could not hand the {what} to the page")))
}

/// A value the page handed in (a report, a list of faces...); `what` names it in the error.
/// Read back through `JSON.stringify` (see [`to_js`]); `undefined` fields are left out, so
/// they read as missing (`None` / the default), as before.
#[allow(dead_code)] // not every module reads lists from the page
pub(crate) fn from_js<T: serde::de::DeserializeOwned>(value: &JsValue, what: &str) -> Result<T, JsError> {
    let json = js_sys::JSON::stringify(value)
        .ok()
        .and_then(|s| s.as_string())
        .ok_or_else(|| JsError::new(&format!("Not {what}")))?;
    serde_json::from_str(&json).map_err(|_| JsError::new(&format!("Not {what}")))
}

/// The choices a page can pass to [`clean`], as JSON. Every field is optional;
/// missing ones take [`CleanOptions::default`] (remove everything identifying,
/// keep orientation and colour profile). Read by hand ([`CleanChoices::from_json`]):
/// a derived reader brought serde's typed readers into the core module (see
/// `core::with_place`).
#[cfg(any(feature = "web-core", feature = "web-copy"))]
#[derive(Default)]
struct CleanChoices {
    keep_date: Option<bool>,
    town_only: Option<bool>,
    keep_author: Option<bool>,
    keep_orientation: Option<bool>,
    keep_colour_profile: Option<bool>,
    cover: Vec<CoverChoice>,
    cover_style: Option<String>,
}

#[cfg(any(feature = "web-core", feature = "web-copy"))]
struct CoverChoice {
    x: u32,
    y: u32,
    w: u32,
    h: u32,
}

#[cfg(any(feature = "web-core", feature = "web-copy"))]
impl CleanChoices {
    /// The choices in a JSON object; unknown keys are ignored, a known key with a value
    /// of the wrong kind is refused.
    fn from_json(text: &str) -> Result<Self, String> {
        use serde_json::Value;
        let value: Value = serde_json::from_str(text).map_err(|_| "the options are not JSON")?;
        let object = value.as_object().ok_or("the options are not a JSON object")?;
        let flag = |key: &str| match object.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(_) => Err(format!("{key} must be true or false")),
        };
        let mut cover = Vec::new();
        match object.get("cover") {
            None => {}
            Some(Value::Array(areas)) => {
                for area in areas {
                    let side = |key: &str| {
                        area.get(key)
                            .and_then(Value::as_u64)
                            .and_then(|n| u32::try_from(n).ok())
                            .ok_or_else(|| format!("each area to cover needs a whole number {key}"))
                    };
                    cover.push(CoverChoice { x: side("x")?, y: side("y")?, w: side("w")?, h: side("h")? });
                }
            }
            Some(_) => return Err("cover must be a list of areas".into()),
        }
        let cover_style = match object.get("cover_style") {
            None | Some(Value::Null) => None,
            Some(Value::String(style)) => Some(style.clone()),
            Some(_) => return Err("cover_style must be a text".into()),
        };
        Ok(CleanChoices {
            keep_date: flag("keep_date")?,
            town_only: flag("town_only")?,
            keep_author: flag("keep_author")?,
            keep_orientation: flag("keep_orientation")?,
            keep_colour_profile: flag("keep_colour_profile")?,
            cover,
            cover_style,
        })
    }

    fn into_options(self) -> CleanOptions {
        let d = CleanOptions::default();
        CleanOptions {
            keep_date: self.keep_date.unwrap_or(d.keep_date),
            town_only: self.town_only.unwrap_or(d.town_only),
            keep_author: self.keep_author.unwrap_or(d.keep_author),
            keep_orientation: self.keep_orientation.unwrap_or(d.keep_orientation),
            keep_colour_profile: self.keep_colour_profile.unwrap_or(d.keep_colour_profile),
            cover: self
                .cover
                .into_iter()
                .map(|c| CoverBox {
                    x: c.x,
                    y: c.y,
                    w: c.w,
                    h: c.h,
                })
                .collect(),
            cover_style: match self.cover_style.as_deref() {
                Some("solid") => CoverStyle::Solid,
                _ => CoverStyle::Pixelate,
            },
        }
    }
}

#[cfg(any(feature = "web-core", feature = "web-copy"))]
/// What [`clean`] hands back besides the bytes (which are added as a `Uint8Array`).
#[derive(Serialize)]
struct CleanedForJs<'a> {
    format: &'a str,
    removed: &'a [crate::FindingId],
    kept: &'a [crate::Kept],
    lossless: bool,
    /// Bytes of the original left out without ThinkTwice reading them (removed item `unreadable-data`).
    #[serde(rename = "unreadBytes")]
    unread_bytes: usize,
    report: &'a crate::Report,
}

#[cfg(any(feature = "web-core", feature = "web-copy"))]
/// Makes a safer copy for the core's or the copy module's export: `{bytes: Uint8Array, format, removed, kept,
/// lossless, unreadBytes, report}` where `report` is ThinkTwice's own check of the new bytes.
/// `options_json` is a JSON object (see `CleanChoices`; "" or "{}" for the defaults). Refusals
/// are the crate's [`CleanError`](crate::CleanError)s (bad options are `Unsupported`), so each
/// export decides what to do with them.
pub(crate) fn clean_to_js(bytes: &[u8], options_json: &str) -> Result<JsValue, crate::CleanError> {
    let choices: CleanChoices = if options_json.trim().is_empty() {
        CleanChoices::default()
    } else {
        CleanChoices::from_json(options_json)
            .map_err(|e| crate::CleanError::Unsupported(format!("Bad clean options: {e}")))?
    };
    let cleaned = crate::clean(bytes, &choices.into_options())?;
    let out = CleanedForJs {
        format: cleaned.format.name(),
        removed: &cleaned.removed,
        kept: &cleaned.kept,
        lossless: cleaned.lossless,
        unread_bytes: cleaned.unread_bytes_removed,
        report: &cleaned.verified_report,
    };
    let handed = || crate::CleanError::Image("Could not hand the safer copy to the page".into());
    let value = to_js(&out, "safer copy").map_err(|_| handed())?;
    let bytes = js_sys::Uint8Array::from(cleaned.bytes.as_slice());
    js_sys::Reflect::set(&value, &JsValue::from_str("bytes"), &bytes).map_err(|_| handed())?;
    crate::clean::stages::mark("hand to JS");
    Ok(value)
}
