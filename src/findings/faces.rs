//! The `faces` finding: how many people can be seen, and whether a face is
//! large and clear enough to be recognised or copied into another picture.
//! The detector lives in `crate::faces`; this file only judges its output.

use super::{add_evidence, finding};
use crate::report::{FindingId, Category, Face, Finding, ImageSize, Severity};

/// A face at least this wide (in pixels of the original photo)…
const CLEAR_FACE_PX: f32 = 64.0;
/// …or this share of the photo's shorter side is big enough to recognise or copy.
const CLEAR_FACE_SHARE: f32 = 0.08;
/// Detector confidence that counts as a clear face.
const CLEAR_FACE_SCORE: f32 = 0.6;

pub fn faces_finding(faces: &[Face], image: Option<ImageSize>) -> Option<Finding> {
    if faces.is_empty() {
        return None;
    }
    let short_side = image.map(|i| i.width.min(i.height) as f32).unwrap_or(f32::MAX);
    let clear = faces
        .iter()
        .filter(|f| f.score >= CLEAR_FACE_SCORE && (f.w >= CLEAR_FACE_PX || f.w >= short_side * CLEAR_FACE_SHARE))
        .count();
    let severity = if clear > 0 { Severity::High } else { Severity::Medium };
    let mut f = finding(FindingId::Faces, severity, Category::Content);
    let people = if faces.len() == 1 { "1 person".to_string() } else { format!("{} people", faces.len()) };
    add_evidence(&mut f, "Face detector (on this device)", "People seen", &people);
    if clear > 0 {
        add_evidence(&mut f, "Face detector (on this device)", "Clear faces", &format!("{clear} large and clear enough to recognise"));
    }
    Some(f)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn face(w: f32, score: f32) -> Face {
        Face { x: 0.0, y: 0.0, w, h: w, score }
    }

    #[test]
    fn big_clear_faces_are_high_small_ones_medium() {
        let size = Some(ImageSize { width: 4000, height: 3000 });
        assert!(faces_finding(&[], size).is_none());
        assert_eq!(faces_finding(&[face(300.0, 0.9)], size).unwrap().severity, Severity::High);
        assert_eq!(faces_finding(&[face(30.0, 0.9), face(20.0, 0.5)], size).unwrap().severity, Severity::Medium);
        let f = faces_finding(&[face(30.0, 0.9), face(20.0, 0.5)], size).unwrap();
        assert_eq!(f.evidence[0].value, "2 people");
    }
}
