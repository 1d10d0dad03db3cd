//! ThinkTwice: checks a photo on the user's own device and says, in plain words,
//! what it gives away.
//!
//! One path, walked once: **bytes → container (walkers) → meta (readers) →
//! findings (rules) → report**. Front ends (the CLI in `src/bin`, the
//! WebAssembly bindings in `wasm/`) are thin layers over [`check`].

pub mod clean;
#[cfg(feature = "codes")]
pub mod codes;
pub mod container;
pub mod covers;
#[cfg(feature = "faces")]
pub mod faces;
pub mod findings;
pub mod geo;
pub mod idcards;
mod location;
pub mod meta;
pub mod report;
pub mod safer;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use clean::{safer_copy_name, CleanError, CleanOptions, CoverBox, CoverStyle};
pub use report::{Category, Code, CodeKind, Evidence, Face, Finding, ImageSize, Location, People, PlaceName, Position, Report, Risk, Severity};
pub use safer::{clean, Cleaned};


use std::sync::Arc;

/// Options for [`check`].
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// The offline place table; when given, a position is named ("near Bhopal").
    /// It is loaded only when a photo has coordinates, so it is optional here.
    pub places: Option<Arc<geo::PlaceTable>>,
}

/// Adds the detector's faces to a report: the `faces` list and a `faces` finding.
pub fn add_faces(report: &mut Report, faces: Vec<Face>) {
    add_findings(report, findings::faces_finding(&faces, report.image));
    report.people = (!faces.is_empty()).then(|| findings::count_people(&faces, report.image));
    report.faces = Some(faces);
}

/// Adds the codes read from the pixels to a report: the `codes` list and one `barcode` finding each.
#[cfg(feature = "codes")]
pub fn add_codes(report: &mut Report, found: Vec<Code>) {
    add_findings(report, codes::findings(&found));
    report.codes = Some(found);
}

/// Merges findings made after the metadata check, keeping the order and the risk right.
fn add_findings(report: &mut Report, extra: impl IntoIterator<Item = Finding>) {
    report.findings.extend(extra);
    findings::risk::sort_worst_first(&mut report.findings);
    report.risk = Report::risk_from(&report.findings);
}

/// Names the nearest place in a report made without a place table (the CLI
/// loads the table only once a photo has coordinates), without checking the
/// file again. Does nothing when there is no position or it is already named.
pub fn add_place_name(report: &mut Report, places: &geo::PlaceTable) {
    let Some(loc) = report.location.as_mut() else { return };
    if loc.place.is_some() {
        return;
    }
    loc.place = location::nearest_place(places, loc.lat, loc.lon);
    location::add_nearest_place_evidence(&mut report.findings, loc);
    // Same order as `check` with the table: the place, then how precise it is.
    if let Some(f) = report.findings.iter_mut().find(|f| f.id == "gps-location") {
        if let Some(i) = f.evidence.iter().position(|e| e.field == "Precision") {
            let precision = f.evidence.remove(i);
            f.evidence.push(precision);
        }
    }
}

/// Checks one file's bytes. Never panics on bad input: a file that cannot be
/// read gets a report whose `error` says why in plain words.
pub fn check(bytes: &[u8], file_name: &str, options: &CheckOptions) -> Report {
    let mut report = empty_report(file_name, container::sniff(bytes));
    match container::walk(bytes) {
        Ok(walked) => fill_report(&mut report, &walked, &meta::read(&walked), options),
        Err(e) => report.error = Some(e.0),
    }
    report
}

/// The report for a file already walked and read (`clean` has both and
/// must not parse the original twice).
pub(crate) fn report_from(file_name: &str, walked: &container::Container<'_>, meta: &meta::Metadata, options: &CheckOptions) -> Report {
    let mut report = empty_report(file_name, walked.format);
    fill_report(&mut report, walked, meta, options);
    report
}

fn empty_report(file_name: &str, format: container::Format) -> Report {
    Report {
        file: file_name.to_string(),
        format: format.name().to_string(),
        image: None,
        risk: Risk::None,
        location: None,
        findings: Vec::new(),
        faces: None,
        people: None,
        codes: None,
        checked: findings::checked_list(),
        not_checked: findings::not_checked_list(),
        error: None,
    }
}

fn fill_report(report: &mut Report, walked: &container::Container<'_>, meta: &meta::Metadata, options: &CheckOptions) {
    report.image = findings::displayed_size(walked, meta);
    report.location = location::describe(meta, options.places.as_deref());
    report.findings = findings::evaluate(walked, meta);
    if let Some(loc) = &report.location {
        location::add_place_evidence(&mut report.findings, loc);
    }
    report.risk = Report::risk_from(&report.findings);
}
