//! The safer copy, start to finish: rewrite (`clean`) → an independent
//! structural look (`validate`) → a re-check with ThinkTwice's own reader
//! (`crate::check`) → offered, or refused in plain words.
//!
//! It owns the decision whether a copy may be offered, and the account of what
//! was removed and kept. It must not rewrite bytes itself (that is `clean`) and
//! must never offer a copy that failed either look.

use crate::clean::{self, stages, CleanError, CleanOptions};
use crate::container::{self, BlockKind, Format};
use crate::meta;
use crate::check::{self, CheckOptions};
use crate::report::{FindingId, Kept, Report};

pub mod validate;
pub use validate::validate;

/// Removed item for bytes the copy dropped without ThinkTwice reading them.
pub const UNREAD_ITEM: FindingId = FindingId::UnreadableData;

/// A safer copy and what happened to make it.
#[derive(Debug, Clone)]
pub struct Cleaned {
    pub bytes: Vec<u8>,
    /// Format of the new bytes (TIFF input becomes PNG; see `clean::tiff`).
    pub format: Format,
    /// Finding ids that were in the original and are gone now (plus `unreadable-data`
    /// when bytes ThinkTwice could not read were dropped).
    pub removed: Vec<FindingId>,
    /// Finding ids kept by choice, plus plain items kept on purpose (`orientation`, `colour-profile`).
    pub kept: Vec<Kept>,
    /// True when the coded picture was copied unchanged (no pixel touched).
    pub lossless: bool,
    /// How many bytes of the original were dropped without ThinkTwice reading them.
    pub unread_bytes_removed: usize,
    /// ThinkTwice's check of the new bytes.
    pub verified_report: Report,
}

/// Findings that a choice allows to stay.
fn allowed_ids(options: &CleanOptions) -> Vec<Kept> {
    let mut ids = Vec::new();
    if options.keep_date {
        ids.push(Kept::CaptureTime);
    }
    if options.town_only {
        ids.push(Kept::GpsLocation);
    }
    if options.keep_author {
        ids.push(Kept::PersonName);
    }
    ids
}

/// Makes a safer copy of `bytes`. The input is never modified; the copy is
/// checked twice (structure, then the reader) before it is returned.
pub fn clean(bytes: &[u8], options: &CleanOptions) -> Result<Cleaned, CleanError> {
    stages::start();
    let walked = container::walk(bytes).map_err(CleanError::Unreadable)?;
    let meta = meta::read(&walked);
    let original = check::report_from("original", &walked, &meta, &CheckOptions::default());
    stages::mark("check original");
    let copy = clean::rewrite(bytes, &walked, &meta, options)?;
    validate(&copy.bytes).map_err(|why| {
        CleanError::NotSafe(format!(
            "ThinkTwice made a copy, but its second look found a part it cannot account for ({why}), so it is \
             not offered. Please tell us about this file."
        ))
    })?;
    stages::mark("validate copy");
    // Whatever the path, the copy itself says whether it carries a colour profile.
    let has_colour_profile =
        container::walk(&copy.bytes).is_ok_and(|c| c.blocks.iter().any(|b| b.kind == BlockKind::Icc));
    let verified = check::check(&copy.bytes, "safer copy", &CheckOptions::default());
    verify(&verified, options)?;
    stages::mark("re-check copy");

    let mut kept: Vec<Kept> = Vec::new();
    for item in allowed_ids(options) {
        if verified.findings.iter().any(|f| Some(f.id) == item.finding()) {
            kept.push(item);
        }
    }
    kept.extend(copy.kept_items.iter().filter(|k| **k == Kept::Orientation));
    if options.keep_colour_profile && has_colour_profile {
        kept.push(Kept::ColourProfile);
    }
    kept.extend(copy.kept_items.iter().filter(|k| **k != Kept::Orientation));
    let mut removed: Vec<FindingId> = original
        .findings
        .iter()
        .filter(|f| !verified.findings.iter().any(|v| v.id == f.id))
        .map(|f| f.id)
        .collect();
    if copy.unread_bytes > 0 && !removed.contains(&UNREAD_ITEM) {
        removed.push(UNREAD_ITEM);
    }
    Ok(Cleaned {
        bytes: copy.bytes,
        format: copy.format,
        removed,
        kept,
        lossless: copy.lossless,
        unread_bytes_removed: copy.unread_bytes,
        verified_report: verified,
    })
}

/// Makes one small covered copy of a made-up picture and says whether it worked.
/// The browser compiles WebAssembly in tiers: the first covered copy of a real
/// photo is ~300 ms slower unless the decode/cover/encode paths already ran once,
/// so the page calls this while the user is still reading the first verdict.
#[cfg(feature = "reencode")]
pub fn warm_up() -> bool {
    let Some(photo) = clean::warm_up_photo() else { return false };
    let options = CleanOptions { cover: vec![clean::CoverBox { x: 64, y: 64, w: 160, h: 120 }], ..Default::default() };
    clean(&photo, &options).is_ok_and(|copy| !copy.lossless)
}

/// Refuses a copy that still gives away something the person did not choose to keep.
fn verify(report: &Report, options: &CleanOptions) -> Result<(), CleanError> {
    if let Some(err) = &report.error {
        return Err(CleanError::NotSafe(format!("The new copy could not be checked again: {err}")));
    }
    let allowed: Vec<FindingId> = allowed_ids(options).iter().filter_map(|k| k.finding()).collect();
    let left: Vec<&str> = report
        .findings
        .iter()
        .filter(|f| !allowed.contains(&f.id) || (f.id == FindingId::GpsLocation && !is_rounded(f)))
        .map(|f| f.id.as_str())
        .collect();
    if left.is_empty() {
        return Ok(());
    }
    Err(CleanError::NotSafe(format!(
        "ThinkTwice made a copy but it still gives away something ({}), so it is not offered. \
         Please tell us about this file.",
        left.join(", ")
    )))
}

/// A town-only location: every coordinate is a multiple of the rounding step.
fn is_rounded(f: &crate::report::Finding) -> bool {
    let coordinates = f.evidence.iter().filter(|e| e.field == "GPSLatitude" || e.field == "GPSLongitude");
    coordinates.clone().count() > 0 && coordinates.into_iter().all(|e| match crate::decimal::parse(&e.value) {
        Some(v) => ((v / clean::TOWN_STEP) - (v / clean::TOWN_STEP).round()).abs() < 1e-4,
        None => false,
    })
}

#[cfg(all(test, feature = "reencode"))]
mod tests {
    #[test]
    fn warm_up_makes_a_covered_copy() {
        assert!(super::warm_up());
    }
}
