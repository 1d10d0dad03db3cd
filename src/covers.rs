//! What a safer copy covers by default, and how much room each covered box
//! gets: one rule for every front end (the CLI's `--cover-faces`, the page,
//! the web component, the npm package and the extension all ask this module,
//! the page through the wasm `coverBoxes`). It only turns a report's faces and
//! codes into cover boxes in upright pixels of the picture; it must not decode
//! or change pixels (that is `clean::cover`).

use crate::{CoverBox, Face, ImageSize, Report, Severity};

/// Each face box grows by this share of its size on every side: detectors box
/// faces tightly, and hair, ears and chin identify a person too.
pub const FACE_MARGIN: f32 = 0.2;
/// Each code box grows by this share of its size on every side, so no edge of
/// the code stays readable.
pub const CODE_MARGIN: f32 = 0.1;

/// The boxes a safer copy covers for this report: every face when `faces` is
/// true, and the codes numbered in `codes` (their place in `report.codes`) or,
/// when `codes` is None, the default: every code whose finding the core judged
/// high (a Wi-Fi login, a boarding pass...). Boxes are grown by their margin
/// and clamped to the picture; empty when the report has no picture size.
pub fn cover_boxes(report: &Report, faces: bool, codes: Option<&[usize]>) -> Vec<CoverBox> {
    cover_boxes_of(&CoverParts::of(report), faces, codes)
}

/// What [`cover_boxes`] reads of a report. The core wasm fills it from the page's report
/// by hand rather than read back the whole report (see `wasm::core::cover_boxes`).
pub struct CoverParts<'a> {
    pub image: Option<ImageSize>,
    /// Face boxes: x, y, w, h.
    pub faces: Vec<[f32; 4]>,
    /// Each code's box (x, y, w, h) and summary, in the report's order.
    pub codes: Vec<([f32; 4], &'a str)>,
    /// The evidence values of the findings that get their codes covered by default
    /// (see [`CoverParts::covers_codes`]).
    pub covered_evidence: Vec<&'a str>,
}

impl<'a> CoverParts<'a> {
    pub fn of(report: &'a Report) -> Self {
        CoverParts {
            image: report.image,
            faces: report.faces.iter().flatten().map(|f| [f.x, f.y, f.w, f.h]).collect(),
            codes: report.codes.iter().flatten().map(|c| ([c.x, c.y, c.w, c.h], c.summary.as_str())).collect(),
            covered_evidence: report
                .findings
                .iter()
                .filter(|f| Self::covers_codes(f.id.as_str(), f.severity))
                .flat_map(|f| f.evidence.iter().map(|e| e.value.as_str()))
                .collect(),
        }
    }

    /// Whether a finding gets the codes it names covered by default: a code finding
    /// (`barcode`, `id-document`) the core judged high (a Wi-Fi login, a boarding pass...).
    pub fn covers_codes(id: &str, severity: Severity) -> bool {
        matches!(id, "barcode" | "id-document") && severity == Severity::High
    }
}

/// [`cover_boxes`] on the parts of a report it reads.
pub fn cover_boxes_of(report: &CoverParts<'_>, faces: bool, codes: Option<&[usize]>) -> Vec<CoverBox> {
    let Some(size) = report.image else { return Vec::new() };
    let (width, height) = (size.width as f32, size.height as f32);
    let mut boxes = Vec::new();
    if faces {
        for &[x, y, w, h] in &report.faces {
            boxes.extend(grown(x, y, w, h, FACE_MARGIN, width, height));
        }
    }
    for (i, ([x, y, w, h], summary)) in report.codes.iter().enumerate() {
        let chosen = match codes {
            Some(list) => list.contains(&i),
            None => report.covered_evidence.contains(summary),
        };
        if chosen {
            boxes.extend(grown(*x, *y, *w, *h, CODE_MARGIN, width, height));
        }
    }
    boxes
}

/// One code as a cover box (with [`CODE_MARGIN`]), clamped to a `width` × `height` picture.
pub fn code_box(code: &crate::Code, width: u32, height: u32) -> Option<CoverBox> {
    grown(code.x, code.y, code.w, code.h, CODE_MARGIN, width as f32, height as f32)
}

/// One detected face as a cover box (with [`FACE_MARGIN`]), clamped to a `width` × `height` picture.
pub fn face_box(face: &Face, width: u32, height: u32) -> Option<CoverBox> {
    grown(face.x, face.y, face.w, face.h, FACE_MARGIN, width as f32, height as f32)
}

/// A box grown by `margin` of its size on every side, rounded outwards and
/// clamped to the picture (the cover step refuses boxes outside it); None when
/// nothing of it is left inside.
fn grown(x: f32, y: f32, w: f32, h: f32, margin: f32, width: f32, height: f32) -> Option<CoverBox> {
    // Rounded outwards, but float noise (115.00001) must not add a whole pixel.
    const NOISE: f32 = 1e-3;
    let x0 = (x - w * margin + NOISE).floor().max(0.0);
    let y0 = (y - h * margin + NOISE).floor().max(0.0);
    let x1 = (x + w * (1.0 + margin) - NOISE).ceil().min(width);
    let y1 = (y + h * (1.0 + margin) - NOISE).ceil().min(height);
    (x1 > x0 && y1 > y0 && x0.is_finite() && y0.is_finite()).then(|| CoverBox {
        x: x0 as u32,
        y: y0 as u32,
        w: (x1 - x0) as u32,
        h: (y1 - y0) as u32,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Category, Code, CodeKind, Evidence, Finding, ImageSize, Risk};

    fn report(faces: Vec<Face>, codes: Vec<(Code, Severity)>) -> Report {
        let mut r = crate::check(&[], "x.jpg", &crate::CheckOptions::default());
        r.image = Some(ImageSize { width: 1000, height: 800 });
        r.risk = Risk::None;
        r.faces = Some(faces);
        for (code, severity) in &codes {
            r.findings.push(Finding {
                id: crate::FindingId::Barcode,
                severity: *severity,
                category: Category::Content,
                title: String::new(),
                why: String::new(),
                advice: String::new(),
                evidence: vec![Evidence { source: "Picture".into(), field: "QR".into(), value: code.summary.clone() }],
            });
        }
        r.codes = Some(codes.into_iter().map(|(c, _)| c).collect());
        r
    }

    fn code(x: f32, summary: &str) -> Code {
        Code { format: "qr".into(), kind: CodeKind::Wifi, x, y: 100.0, w: 100.0, h: 100.0, summary: summary.into() }
    }

    #[test]
    fn faces_grow_by_the_margin_and_stay_inside_the_picture() {
        let r = report(vec![Face { x: 100.0, y: 100.0, w: 100.0, h: 50.0, score: 0.9 }, Face { x: 950.0, y: -5.0, w: 100.0, h: 100.0, score: 0.9 }], vec![]);
        let boxes = cover_boxes(&r, true, None);
        assert_eq!(boxes, vec![CoverBox { x: 80, y: 90, w: 140, h: 70 }, CoverBox { x: 930, y: 0, w: 70, h: 115 }]);
        assert!(cover_boxes(&r, false, None).is_empty(), "faces are covered only when asked");
    }

    #[test]
    fn only_codes_judged_high_are_covered_by_default() {
        let r = report(vec![], vec![(code(100.0, "Wi-Fi: home"), Severity::High), (code(500.0, "a shop link"), Severity::Low)]);
        assert_eq!(cover_boxes(&r, true, None), vec![CoverBox { x: 90, y: 90, w: 120, h: 120 }]);
        // A person's own choice of codes replaces the default.
        assert_eq!(cover_boxes(&r, true, Some(&[1])), vec![CoverBox { x: 490, y: 90, w: 120, h: 120 }]);
        assert!(cover_boxes(&r, true, Some(&[])).is_empty());
    }

    #[test]
    fn no_picture_size_means_no_boxes() {
        let mut r = report(vec![Face { x: 1.0, y: 1.0, w: 10.0, h: 10.0, score: 1.0 }], vec![]);
        r.image = None;
        assert!(cover_boxes(&r, true, None).is_empty());
    }
}
