//! The `faces` finding: how many people can be seen, and whether a face is
//! large and clear enough to be recognised or copied into another picture.
//! The detector lives in `crate::faces`; this file only judges its output.

use super::{add_evidence, finding};
use crate::report::{Category, Face, Finding, FindingId, ImageSize, People, Severity};

/// A face at least this wide (in pixels of the original photo)…
const CLEAR_FACE_PX: f32 = 64.0;
/// …or this share of the photo's shorter side is big enough to recognise or copy.
const CLEAR_FACE_SHARE: f32 = 0.08;
/// Detector confidence that counts as a clear face.
const CLEAR_FACE_SCORE: f32 = 0.6;

/// A face narrower than this share of the photo's long side is tiny (about 16 px when the
/// detector looks at the photo 640 px wide, where its recall falls: shared/notes/faces-calibration.md).
const TINY_FACE_SHARE: f32 = 0.025;
/// A face scoring below this is uncertain.
const UNCERTAIN_SCORE: f32 = 0.5;
/// With at least this many tiny or uncertain faces, the count is said as "at least N".
const UNCERTAIN_CROWD: usize = 3;

/// The people count to tell: one per face, and "at least" when several faces are tiny or
/// uncertain (a crowd where some faces are surely missed). Measured on the face corpus by
/// examples/faces_cv.rs ("counting" lines).
pub fn count_people(faces: &[Face], image: Option<ImageSize>) -> People {
    let long_side = image.map(|i| i.width.max(i.height) as f32);
    let unsure = faces
        .iter()
        .filter(|f| f.score < UNCERTAIN_SCORE || long_side.is_some_and(|l| f.w.max(f.h) < TINY_FACE_SHARE * l))
        .count();
    People { count: faces.len(), at_least: unsure >= UNCERTAIN_CROWD }
}

pub fn faces_finding(faces: &[Face], image: Option<ImageSize>) -> Option<Finding> {
    if faces.is_empty() {
        return None;
    }
    let short_side = image.map(|i| i.width.min(i.height) as f32).unwrap_or(f32::MAX);
    let clear = faces
        .iter()
        .filter(|f| f.score >= CLEAR_FACE_SCORE && (f.w >= CLEAR_FACE_PX || f.w >= short_side * CLEAR_FACE_SHARE))
        .count();
    // Medium, not high: people who can be recognised are a level of their own
    // (`Risk::People`), below a file that pins a home (see `findings::risk`).
    let severity = if clear > 0 { Severity::Medium } else { Severity::Low };
    let mut f = finding(FindingId::Faces, severity, Category::Picture);
    let count = count_people(faces, image);
    let people = match (count.count, count.at_least) {
        (1, false) => "1 person".to_string(),
        (n, false) => format!("{n} people"),
        (n, true) => format!("at least {n} people (some faces are tiny or unclear)"),
    };
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
    fn big_clear_faces_are_medium_small_ones_low() {
        let size = Some(ImageSize { width: 4000, height: 3000 });
        assert!(faces_finding(&[], size).is_none());
        assert_eq!(faces_finding(&[face(300.0, 0.9)], size).unwrap().severity, Severity::Medium);
        assert_eq!(faces_finding(&[face(30.0, 0.9), face(20.0, 0.5)], size).unwrap().severity, Severity::Low);
        let f = faces_finding(&[face(30.0, 0.9), face(20.0, 0.5)], size).unwrap();
        assert_eq!(f.evidence[0].value, "2 people");
    }

    #[test]
    fn several_tiny_or_uncertain_faces_make_the_count_a_lower_bound() {
        let size = Some(ImageSize { width: 4000, height: 3000 });
        let big = face(300.0, 0.9);
        let (tiny, unsure) = (face(60.0, 0.9), face(300.0, 0.45)); // 60 < 2.5 % of 4000
        assert_eq!(count_people(&[big, tiny, unsure], size), People { count: 3, at_least: false });
        assert_eq!(count_people(&[big, tiny, unsure, tiny], size), People { count: 4, at_least: true });
        let f = faces_finding(&[big, tiny, tiny, unsure, big], size).unwrap();
        assert!(f.evidence[0].value.starts_with("at least 5 people"), "{}", f.evidence[0].value);
        // without the photo's size only the scores can tell
        assert!(!count_people(&[tiny, tiny, tiny], None).at_least);
        assert!(count_people(&[unsure, unsure, unsure], None).at_least);
    }
}
