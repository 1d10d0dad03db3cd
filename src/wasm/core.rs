//! The core module's exports (feature `web-core`, `www/pkg`, loaded at page
//! start): check a file, name places, make a safer copy. Owns only the JS
//! boundary; the picture checks are in [`super::picture`], a separate module.
//! Must not: hold anything of the picture module (faces, codes) or fetch
//! anything (the place table's bytes come from the page).

use std::cell::RefCell;
use std::sync::Arc;

use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::{report_from_js, to_js};
use crate::geo::PlaceTable;
use crate::{CheckOptions, CleanOptions, CoverBox, CoverStyle};

thread_local! {
    /// The offline place table, parsed once by [`load_places`]; `check` names
    /// positions with it. One per instance (a worker), never shared.
    static PLACES: RefCell<Option<Arc<PlaceTable>>> = const { RefCell::new(None) };
}

/// Checks one file's bytes and returns the report as a plain JS object
/// (JSON-compatible: maps become objects, `None` becomes `null`).
///
/// `name` is only echoed back in the report; nothing is read from disk or
/// the network. Errors are only for a report that cannot be turned into JS;
/// unreadable files still give a report whose `error` says why.
#[wasm_bindgen]
pub fn check(bytes: &[u8], name: &str) -> Result<JsValue, JsError> {
    let options = CheckOptions {
        places: PLACES.with(|p| p.borrow().clone()),
    };
    to_js(&crate::check(bytes, name, &options), "report")
}

/// Names the nearest place in a report made by [`check`] before the place
/// table was loaded ([`crate::add_place_name`], as `check` would have with the
/// table). Returns the report unchanged when there is no position or no table.
#[wasm_bindgen(js_name = withPlace)]
pub fn with_place(report: JsValue) -> Result<JsValue, JsError> {
    let mut report = report_from_js(report)?;
    if let Some(table) = PLACES.with(|p| p.borrow().clone()) {
        crate::add_place_name(&mut report, &table);
    }
    to_js(&report, "report")
}

/// Parses the offline place table (`www/geo/places.bin`) once for this
/// instance; later [`check`] calls name positions with it ("near Bhopal").
/// Returns how many places it holds. Throws when the bytes are not a place
/// table; `check` then keeps working without place names.
#[wasm_bindgen]
pub fn load_places(bytes: &[u8]) -> Result<u32, JsError> {
    let table = PlaceTable::from_bytes(bytes).map_err(|e| JsError::new(&e))?;
    let count = u32::try_from(table.len()).unwrap_or(u32::MAX);
    PLACES.with(|p| *p.borrow_mut() = Some(Arc::new(table)));
    Ok(count)
}

/// The choices a page can pass to [`clean`], as JSON. Every field is optional;
/// missing ones take [`CleanOptions::default`] (remove everything identifying,
/// keep orientation and colour profile).
#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct CleanChoices {
    keep_date: Option<bool>,
    town_only: Option<bool>,
    keep_author: Option<bool>,
    keep_orientation: Option<bool>,
    keep_colour_profile: Option<bool>,
    cover: Vec<CoverChoice>,
    cover_style: Option<String>,
}

#[derive(serde::Deserialize)]
struct CoverChoice {
    x: u32,
    y: u32,
    w: u32,
    h: u32,
}

impl CleanChoices {
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

/// Makes a safer copy: `{bytes: Uint8Array, format, removed, kept, lossless,
/// unreadBytes, report}` where `report` is ThinkTwice's own check of the new bytes.
/// `options_json` is a JSON object (see `CleanChoices`; "" or "{}" for the
/// defaults). Throws an `Error` with a sentence for people when no safer copy
/// can be made (unreadable, unsupported, or the copy would still give
/// something away).
#[wasm_bindgen]
pub fn clean(bytes: &[u8], options_json: &str) -> Result<JsValue, JsError> {
    let choices: CleanChoices = if options_json.trim().is_empty() {
        CleanChoices::default()
    } else {
        serde_json::from_str(options_json)
            .map_err(|e| JsError::new(&format!("Bad clean options: {e}")))?
    };
    let cleaned =
        crate::clean(bytes, &choices.into_options()).map_err(|e| JsError::new(&e.to_string()))?;
    let out = CleanedForJs {
        format: cleaned.format.name(),
        removed: &cleaned.removed,
        kept: &cleaned.kept,
        lossless: cleaned.lossless,
        unread_bytes: cleaned.unread_bytes_removed,
        report: &cleaned.verified_report,
    };
    let value = to_js(&out, "safer copy")?;
    let bytes = js_sys::Uint8Array::from(cleaned.bytes.as_slice());
    js_sys::Reflect::set(&value, &JsValue::from_str("bytes"), &bytes)
        .map_err(|_| JsError::new("Could not hand the safer copy to the page"))?;
    crate::clean::stages::mark("hand to JS");
    Ok(value)
}

/// Runs one small covered copy so the first real one is not slowed by the
/// browser's tiered compilation (see `clean::warm_up`). True when it worked.
#[wasm_bindgen(js_name = warmUp)]
pub fn warm_up() -> bool {
    crate::safer::warm_up()
}

/// Where the time of the last [`clean`] went: `[[stage, ms], ...]` in order
/// (for the measurement scripts; see `clean::last_stage_times`).
#[wasm_bindgen]
pub fn clean_stage_times() -> Result<JsValue, JsError> {
    to_js(&crate::clean::last_stage_times(), "stage times")
}

/// The crate version, e.g. "0.1.0".
/// The suggested file name of a safer copy: the original's name with `-safer`
/// and `extension`, or `photo-safer` when the name holds a date, a number or an
/// id (`IMG_20251203_…`, `WhatsApp Image 2025-…`). See `clean::name`.
#[wasm_bindgen]
pub fn safer_name(original: &str, extension: &str) -> String {
    crate::safer_copy_name(original, extension)
}

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

/// The boxes a safer copy covers for a report made by [`check`] (and the
/// picture module's `with…` calls): every face when `faces` is true, and the
/// codes numbered in `codes` (places in `report.codes`), or when `codes` is
/// undefined the core's default (codes judged high), each grown by its margin
/// and clamped to the picture (`crate::covers`). `[{x, y, w, h}]` in upright
/// pixels, ready for [`clean`]'s `cover` option, so no front end keeps its own
/// margins or default.
#[wasm_bindgen(js_name = coverBoxes)]
pub fn cover_boxes(report: JsValue, faces: bool, codes: Option<Vec<u32>>) -> Result<JsValue, JsError> {
    #[derive(Serialize)]
    struct Area {
        x: u32,
        y: u32,
        w: u32,
        h: u32,
    }
    let report = report_from_js(report)?;
    let boxes: Vec<Area> =
        crate::covers::cover_boxes(&report, faces, codes.map(|c| c.into_iter().map(|i| i as usize).collect::<Vec<_>>()).as_deref())
            .into_iter().map(|b| Area { x: b.x, y: b.y, w: b.w, h: b.h }).collect();
    to_js(&boxes, "cover boxes")
}
