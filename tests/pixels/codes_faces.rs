//! No false codes on photos of people: the face corpus (see its README) has
//! no codes in its face photos, so every code reported there is a false one.
//! Skips with a message when the corpus is absent.
#![cfg(feature = "codes")]

use crate::common;

use std::path::PathBuf;

fn faces_dir() -> Option<PathBuf> {
    common::corpus_part("faces", "annotations.json")
}

#[test]
fn no_codes_on_photos_of_people() {
    let Some(dir) = faces_dir() else {
        eprintln!("skipped: face corpus not found (set THINKTWICE_CORPUS=/work/shared/corpus)");
        return;
    };
    let annotations: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("annotations.json")).expect("annotations")).expect("json");
    let with_faces: Vec<&String> = annotations
        .as_object()
        .expect("object")
        .iter()
        .filter(|(_, boxes)| boxes.as_array().is_some_and(|b| !b.is_empty()))
        .map(|(name, _)| name)
        .collect();
    assert!(!with_faces.is_empty(), "no face photos listed");
    let mut false_codes = Vec::new();
    for name in &with_faces {
        let bytes = std::fs::read(dir.join("images").join(name)).expect("image");
        let codes = thinktwice::codes::find_in_file(&bytes).expect("decodes");
        false_codes.extend(codes.into_iter().map(|c| format!("{name}: {} {:?} {}", c.format, c.kind, c.summary)));
    }
    println!("{} photos of people, {} false codes", with_faces.len(), false_codes.len());
    assert!(false_codes.is_empty(), "false codes: {false_codes:#?}");
}
