//! The check pipeline: **bytes → container (walkers) → meta (readers) →
//! findings (rules) → report**, walked once. Owns the order of the steps and
//! how later results (faces, codes, a place name) join a report.
//!
//! Must not: hold rules (those live in `findings`), parse bytes (`container`,
//! `meta`), or know any front end. Nothing below calls back up into it.

mod location;

use std::sync::Arc;

use crate::container::{self, Container, Format};
use crate::findings;
use crate::geo::PlaceTable;
use crate::meta::{self, Metadata};
use crate::report::{Code, Face, Finding, FindingId, ImageSize, People, Report, Risk};

/// Options for [`check`].
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// The offline place table; when given, a position is named ("near Bhopal").
    /// It is loaded only when a photo has coordinates, so it is optional here.
    pub places: Option<Arc<PlaceTable>>,
}

/// Checks one file's bytes. Never panics on bad input: a file that cannot be
/// read gets a report whose `error` says why in plain words (and `error_kind` what kind).
pub fn check(bytes: &[u8], file_name: &str, options: &CheckOptions) -> Report {
    let mut report = empty_report(file_name, container::sniff(bytes));
    match container::walk(bytes) {
        Ok(walked) => fill_report(&mut report, &walked, &meta::read(&walked), options),
        Err(e) => {
            report.error = Some(e.message);
            report.error_kind = Some(e.kind);
        }
    }
    report
}

/// The report for a file already walked and read (a caller that has both
/// must not parse the file twice).
pub fn report_from(file_name: &str, walked: &Container<'_>, meta: &Metadata, options: &CheckOptions) -> Report {
    let mut report = empty_report(file_name, walked.format);
    fill_report(&mut report, walked, meta, options);
    report
}

/// Adds the detector's faces to a report: the `faces` list and a `faces` finding.
pub fn add_faces(report: &mut Report, faces: Vec<Face>) {
    let (finding, people) = faces_parts(&faces, report.image);
    add_findings(report, finding);
    report.people = people;
    report.faces = Some(faces);
}

/// What faces add to a report besides the list: the `faces` finding and the people count
/// (both only when there are faces). [`add_faces`] and the core wasm's `withFaces`, which
/// holds the report only as data, both join them.
pub fn faces_parts(faces: &[Face], image: Option<ImageSize>) -> (Option<Finding>, Option<People>) {
    let people = (!faces.is_empty()).then(|| findings::count_people(faces, image));
    (findings::faces_finding(faces, image), people)
}

/// Adds the codes read from the pixels to a report: the `codes` list and one `barcode` finding each
/// (`findings::codes::findings`, which the core wasm's `withCodes` joins the same way).
pub fn add_codes(report: &mut Report, found: Vec<Code>) {
    add_findings(report, findings::codes::findings(&found));
    report.codes = Some(found);
}

/// Names the nearest place in a report made without a place table (the page
/// gets the table after its first checks), without checking the file again.
/// Does nothing when there is no position or it is already named.
pub fn add_place_name(report: &mut Report, places: &PlaceTable) {
    let Some(loc) = report.location.as_mut() else { return };
    if loc.place.is_some() {
        return;
    }
    let gps = report.findings.iter_mut().find(|f| f.id == FindingId::GpsLocation).map(|f| &mut f.evidence);
    loc.place = name_place(loc.lat, loc.lon, gps, places);
}

/// [`add_place_name`] on its parts (the core wasm reads just these from the page's report):
/// the nearest place to a position not named yet, added to the GPS finding's `evidence`.
pub fn name_place(lat: f64, lon: f64, gps_evidence: Option<&mut Vec<crate::Evidence>>, places: &PlaceTable) -> Option<crate::PlaceName> {
    let place = location::nearest_place(places, lat, lon)?;
    if let Some(evidence) = gps_evidence {
        findings::add_nearest_place(evidence, &place);
    }
    Some(place)
}

/// Merges findings made after the metadata check, keeping the order and the risk right.
fn add_findings(report: &mut Report, extra: impl IntoIterator<Item = Finding>) {
    report.findings.extend(extra);
    findings::risk::sort_worst_first(&mut report.findings);
    report.risk = Report::risk_from(&report.findings);
}

fn empty_report(file_name: &str, format: Format) -> Report {
    Report {
        file: file_name.to_string(),
        format,
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
        error_kind: None,
    }
}

fn fill_report(report: &mut Report, walked: &Container<'_>, meta: &Metadata, options: &CheckOptions) {
    report.image = findings::displayed_size(walked, meta);
    report.location = location::describe(meta, options.places.as_deref());
    report.findings = findings::evaluate(walked, meta, report.location.as_ref());
    report.risk = Report::risk_from(&report.findings);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Faces raise the risk here, once, for every front end: a photo with a face is at the
    /// `people` level (`findings::risk`), never "nothing found" or "low", even with no metadata.
    #[test]
    fn faces_make_the_risk_people() {
        let mut report = check(b"not a photo", "x", &CheckOptions::default());
        report.error = None;
        assert_eq!(report.risk, Risk::None);
        add_faces(&mut report, vec![Face { x: 1.0, y: 1.0, w: 4.0, h: 4.0, score: 0.3 }]);
        assert_eq!(report.risk, Risk::People);
        add_faces(&mut report, Vec::new());
        assert_eq!(report.faces.as_deref(), Some(&[][..]));
    }

    #[test]
    fn an_unreadable_file_says_why_and_what_kind() {
        let report = check(b"not a photo", "x", &CheckOptions::default());
        assert_eq!(report.format, Format::Unknown);
        assert_eq!(report.error_kind, Some(crate::report::ErrorKind::UnknownFormat));
        assert!(report.error.as_deref().is_some_and(|e| e.contains("JPEG")));
    }
}
