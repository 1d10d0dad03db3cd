//! The core module's exports (feature `web-core`, `www/pkg`, loaded at page
//! start): check a file, name places, make a safer copy, and join what the
//! picture modules found (faces, codes) into a report with the findings' rules
//! and texts the core carries anyway. Owns only the JS boundary; the picture
//! checks are separate modules (`faces`, `codes`, `copy`). Must not: hold the
//! face detector, the code reader or the image codecs, or fetch anything (the
//! place table's bytes come from the page).

use std::cell::RefCell;
use std::sync::Arc;

use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::{from_js, to_js};
use crate::findings::risk;
use crate::geo::PlaceTable;
use crate::{CheckOptions, Code, CodeKind, Face, Finding, FindingId, ImageSize, Severity};
use serde_json::Value;

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
///
/// Reads only what it needs of the report (the position and the GPS finding's evidence)
/// by hand and writes back just those: a derived reader for whole reports cost the core
/// module ~25 KB gzipped (serde's typed readers and the float and debug formatting their
/// error messages use).
#[wasm_bindgen(js_name = withPlace)]
pub fn with_place(report: JsValue) -> Result<JsValue, JsError> {
    let mut value: Value = from_js(&report, "a report")?;
    let Some(table) = PLACES.with(|p| p.borrow().clone()) else { return Ok(report) };
    let Some(loc) = value.get("location").filter(|l| l.is_object()) else { return Ok(report) };
    if !loc["place"].is_null() {
        return Ok(report);
    }
    let (Some(lat), Some(lon)) = (loc["lat"].as_f64(), loc["lon"].as_f64()) else {
        return Err(JsError::new("Not a report: its location has no lat and lon"));
    };
    let gps_id = crate::FindingId::GpsLocation.as_str();
    let findings = value["findings"].as_array().map(Vec::as_slice).unwrap_or_default();
    let gps_at = findings.iter().position(|f| f["id"] == gps_id);
    let mut evidence = gps_at.map(|at| evidence_of(&findings[at]));
    let Some(place) = crate::check::name_place(lat, lon, evidence.as_mut(), &table) else { return Ok(report) };
    value["location"]["place"] = as_value(&place)?;
    if let (Some(at), Some(evidence)) = (gps_at, evidence) {
        value["findings"][at]["evidence"] = as_value(&evidence)?;
    }
    to_js(&value, "report")
}

/// A finding's evidence rows, read by hand from the page's report (see [`with_place`]).
fn evidence_of(finding: &Value) -> Vec<crate::Evidence> {
    let text = |row: &Value, key: &str| row[key].as_str().unwrap_or_default().to_string();
    let rows = finding["evidence"].as_array().map(Vec::as_slice).unwrap_or_default();
    rows.iter()
        .map(|row| crate::Evidence { source: text(row, "source"), field: text(row, "field"), value: text(row, "value") })
        .collect()
}

/// A value as JSON, with the same names the report uses (its Serialize impl).
fn as_value<T: Serialize>(value: &T) -> Result<Value, JsError> {
    serde_json::to_value(value).map_err(|_| JsError::new("Could not hand the report to the page"))
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

/// Makes a safer copy from the allow-list, without drawing the picture again:
/// `{bytes: Uint8Array, format, removed, kept, lossless, unreadBytes, report}` where `report` is
/// ThinkTwice's own check of the new bytes (see [`super::clean_to_js`] for `options_json`).
/// A copy that must draw the picture again (areas to cover, a TIFF) is not made here: the answer
/// is then `{reencode: true}` and the page asks the copy module's `cleanRedrawn`, which has
/// the image codecs. Throws an `Error` with a sentence for people when no safer copy can be
/// made (unreadable, unsupported, or the copy would still give something away).
#[wasm_bindgen]
pub fn clean(bytes: &[u8], options_json: &str) -> Result<JsValue, JsError> {
    match super::clean_to_js(bytes, options_json) {
        Err(crate::CleanError::NeedsReencode) => {
            #[derive(Serialize)]
            struct Reencode {
                reencode: bool,
            }
            to_js(&Reencode { reencode: true }, "answer")
        }
        other => other.map_err(|e| JsError::new(&e.to_string())),
    }
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
    // Only the parts cover_boxes reads, by hand (see `with_place` for why).
    let report: Value = from_js(&report, "a report")?;
    let list = |key: &str| report[key].as_array().map(Vec::as_slice).unwrap_or_default();
    let number = |v: &Value, key: &str| v[key].as_f64().map(|n| n as f32).ok_or_else(|| JsError::new(&format!("Not a report: a box has no {key}")));
    let area = |v: &Value| -> Result<[f32; 4], JsError> { Ok([number(v, "x")?, number(v, "y")?, number(v, "w")?, number(v, "h")?]) };
    let image = match &report["image"] {
        Value::Null => None,
        size => {
            let side = |key: &str| size[key].as_u64().and_then(|n| u32::try_from(n).ok());
            match (side("width"), side("height")) {
                (Some(width), Some(height)) => Some(crate::ImageSize { width, height }),
                _ => return Err(JsError::new("Not a report: its image size is not two whole numbers")),
            }
        }
    };
    let high = as_value(&crate::Severity::High)?;
    let parts = crate::covers::CoverParts {
        image,
        faces: list("faces").iter().map(area).collect::<Result<_, _>>()?,
        codes: list("codes")
            .iter()
            .map(|c| Ok((area(c)?, c["summary"].as_str().unwrap_or_default())))
            .collect::<Result<_, JsError>>()?,
        covered_evidence: list("findings")
            .iter()
            // Only a finding judged high can get its codes covered.
            .filter(|f| f["severity"] == high && f["id"].as_str().is_some_and(|id| crate::covers::CoverParts::covers_codes(id, crate::Severity::High)))
            .flat_map(|f| f["evidence"].as_array().map(Vec::as_slice).unwrap_or_default())
            .filter_map(|e| e["value"].as_str())
            .collect(),
    };
    let boxes: Vec<Area> =
        crate::covers::cover_boxes_of(&parts, faces, codes.map(|c| c.into_iter().map(|i| i as usize).collect::<Vec<_>>()).as_deref())
            .into_iter().map(|b| Area { x: b.x, y: b.y, w: b.w, h: b.h }).collect();
    to_js(&boxes, "cover boxes")
}

/// Adds the faces the face module found (`[{x, y, w, h, score}]`, its `detectRgba` boxes scaled to
/// upright pixels of the photo) to a report made by [`check`]: `faces`, `people` and, when there
/// are faces, the `faces` finding, named worst first, and the risk made again (the rule of
/// [`crate::add_faces`], through [`crate::check::faces_parts`]). The face module only finds
/// faces: joining them needs the findings' texts and the report, which the core has anyway.
///
/// The report and the list come as JSON text and the report goes back as JSON text
/// (`JSON.stringify` / `JSON.parse` on the page). It reads only what it needs of the report (its
/// image size, its findings' ids and severities) by hand, as data, and writes back just what faces
/// change: a derived reader for whole reports costs a module ~25 KB gzipped.
#[wasm_bindgen(js_name = withFaces)]
pub fn with_faces(report: &str, faces: &str) -> Result<String, JsError> {
    let mut report = report_value(report)?;
    let faces = read_list(faces, "a list of faces", |f| {
        Ok(Face { x: number(f, "x")?, y: number(f, "y")?, w: number(f, "w")?, h: number(f, "h")?, score: number(f, "score")? })
    })?;
    let (finding, people) = crate::check::faces_parts(&faces, image_size(&report)?);
    join_findings(&mut report, finding.into_iter().collect())?;
    report["faces"] = as_value(&faces)?;
    match people {
        Some(people) => report["people"] = as_value(&people)?,
        // No faces, no count (a report checked again). Null, not removed: removing a key costs
        // the module the map's removal code.
        None if report.get("people").is_some() => report["people"] = Value::Null,
        None => {}
    }
    Ok(report.to_string())
}

/// Adds the codes the code module found (`[{format, kind, x, y, w, h, summary}]`, its `findCodes`
/// answer with boxes scaled to upright pixels of the photo) to a report made by [`check`]: `codes`
/// and one finding each, named worst first, and the risk made again (the rule of
/// [`crate::add_codes`]). JSON text in and out, the report read by hand, as [`with_faces`].
#[wasm_bindgen(js_name = withCodes)]
pub fn with_codes(report: &str, codes: &str) -> Result<String, JsError> {
    let mut report = report_value(report)?;
    let codes = read_list(codes, "a list of codes", |c| {
        let text = |key: &str| c[key].as_str().map(str::to_string).ok_or_else(|| format!("a code has no {key}"));
        let kind = CodeKind::ALL.into_iter().find(|k| serde_json::to_value(k).is_ok_and(|w| w == c["kind"]));
        Ok(Code {
            format: text("format")?,
            kind: kind.ok_or("a code's kind is not one ThinkTwice knows")?,
            x: number(c, "x")?,
            y: number(c, "y")?,
            w: number(c, "w")?,
            h: number(c, "h")?,
            summary: text("summary")?,
        })
    })?;
    join_findings(&mut report, crate::findings::codes::findings(&codes))?;
    report["codes"] = as_value(&codes)?;
    Ok(report.to_string())
}

/// JSON text from the page, as data; `what` names it in the error.
fn json(text: &str, what: &str) -> Result<Value, JsError> {
    serde_json::from_str(text).map_err(|_| JsError::new(&format!("Not {what}")))
}

/// A report handed back by the page (JSON text of an object), as data.
fn report_value(report: &str) -> Result<Value, JsError> {
    let value = json(report, "a report")?;
    if value.is_object() { Ok(value) } else { Err(JsError::new("Not a report")) }
}

/// A list handed in by the page (JSON text), each item read by `item`; `what` names the list in the error.
fn read_list<T>(list: &str, what: &str, item: impl Fn(&Value) -> Result<T, String>) -> Result<Vec<T>, JsError> {
    let value = json(list, what)?;
    let items = value.as_array().ok_or_else(|| JsError::new(&format!("Not {what}")))?;
    items.iter().map(|v| item(v).map_err(|e| JsError::new(&format!("Not {what}: {e}")))).collect()
}

/// A box's number `key`.
fn number(v: &Value, key: &str) -> Result<f32, String> {
    v[key].as_f64().map(|n| n as f32).ok_or_else(|| format!("a box has no {key}"))
}

/// The report's upright picture size, when it has one.
fn image_size(report: &Value) -> Result<Option<ImageSize>, JsError> {
    let size = &report["image"];
    if size.is_null() {
        return Ok(None);
    }
    let side = |key: &str| size[key].as_f64().filter(|n| n.fract() == 0.0 && (0.0..=u32::MAX as f64).contains(n)).map(|n| n as u32);
    match (side("width"), side("height")) {
        (Some(width), Some(height)) => Ok(Some(ImageSize { width, height })),
        _ => Err(JsError::new("Not a report: its image size is not two whole numbers")),
    }
}

/// Joins `extra` findings to the report's (already worst first): each goes after the last one
/// of its rank or better, as [`risk::sort_worst_first`] would put it, and the risk is made again
/// ([`risk::risk_of`]).
fn join_findings(report: &mut Value, extra: Vec<Finding>) -> Result<(), JsError> {
    let faces = FindingId::Faces.as_str();
    let severities = [Severity::High, Severity::Medium, Severity::Low, Severity::Info];
    let rank = |f: &Value| {
        let severity = severities.into_iter().find(|s| serde_json::to_value(s).is_ok_and(|w| w == f["severity"]));
        risk::rank_of(f["id"] == faces, severity.unwrap_or(Severity::Info))
    };
    let mut ranked: Vec<(u8, Value)> = match report["findings"].take() {
        Value::Array(list) => list.into_iter().map(|f| (rank(&f), f)).collect(),
        _ => Vec::new(),
    };
    for finding in extra {
        let (r, value) = (risk::rank(&finding), as_value(&finding)?);
        let at = ranked.partition_point(|(other, _)| *other <= r);
        ranked.insert(at, (r, value));
    }
    report["risk"] = as_value(&risk::risk_of_ranks(ranked.iter().map(|(r, _)| *r)))?;
    report["findings"] = Value::Array(ranked.into_iter().map(|(_, f)| f).collect());
    Ok(())
}

