//! Unit tests on synthetic input. Tests that need a model file skip (with a message) when
//! `scripts/fetch-models.sh` has not been run.

use super::geometry::{stored_to_upright, upright_size};
use super::*;

/// The bytes of model `file` from the models folder, or None (saying the test is skipped) when absent.
fn model_bytes(file: &str) -> Option<Vec<u8>> {
    let path = default_model_path().with_file_name(file);
    match std::fs::read(&path) {
        Ok(bytes) => Some(bytes),
        Err(_) => {
            eprintln!(
                "skipped: {} missing (run scripts/fetch-models.sh)",
                path.display()
            );
            None
        }
    }
}

fn load(file: &str) -> Option<Detector> {
    model_bytes(file).map(|bytes| Detector::from_bytes(bytes).expect("model loads"))
}

#[test]
fn flat_grey_and_noise_images_have_no_faces() {
    for file in [DEFAULT_MODEL_FILE, "retinaface_mv1_0.25.onnx"] {
        let Some(det) = load(file) else { continue };
        let grey = vec![128u8; 300 * 200 * 3];
        assert!(
            det.detect_rgb(&grey, 300, 200).unwrap().is_empty(),
            "{file} on grey"
        );
        let mut seed = 12345u32;
        let noise: Vec<u8> = (0..256 * 256 * 3)
            .map(|_| {
                seed = seed.wrapping_mul(1664525).wrapping_add(1013904223);
                (seed >> 24) as u8
            })
            .collect();
        assert!(
            det.detect_rgb(&noise, 256, 256).unwrap().is_empty(),
            "{file} on noise"
        );
    }
}

#[test]
fn wrong_buffer_sizes_are_errors_not_panics() {
    let Some(det) = load(DEFAULT_MODEL_FILE) else {
        return;
    };
    assert!(det.detect_rgb(&[0; 10], 4, 4).is_err());
    assert!(det.detect_rgba(&[0; 10], 4, 4).is_err());
    assert!(det.detect_rgb(&[], 0, 0).unwrap().is_empty());
    assert!(det.detect_rgb(&[0; 3], 1, 1).unwrap().is_empty());
    assert!(det.detect_in_file(b"not an image", None).is_err());
}

#[test]
fn model_kind_is_told_from_the_file() {
    if let Some(det) = load(DEFAULT_MODEL_FILE) {
        assert_eq!(det.kind(), ModelKind::CenterFace);
    }
    if let Some(det) = load("retinaface_mv1_0.25.onnx") {
        assert_eq!(det.kind(), ModelKind::RetinaFace);
    }
    assert!(Detector::from_bytes(b"junk".to_vec()).is_err());
}

/// The shipped model is packed ([`packed`]); a damaged copy (cut short, a wrong count) must be
/// refused with a message, never a panic.
#[test]
fn damaged_packed_model_is_refused_with_a_message() {
    let Some(bytes) = model_bytes(DEFAULT_MODEL_FILE) else { return };
    assert!(packed::is_packed(&bytes), "the shipped model is packed");
    let expanded = packed::expand(&bytes).expect("shipped model expands");
    assert!(expanded.len() > bytes.len(), "expansion inserts the packed weights");
    for cut in [5, 13, 100, bytes.len() / 2, bytes.len() - 1] {
        let err = Detector::from_bytes(bytes[..cut].to_vec()).err().expect("cut model refused");
        assert!(err.contains("face model"), "{err}");
    }
    // Heads of 18 bytes from byte 13: kind, offset, value count, channels, run, bits or shift.
    let patches = u32::from_le_bytes(bytes[9..13].try_into().unwrap()) as usize;
    let kinds: Vec<u8> = (0..patches).map(|i| bytes[13 + 18 * i]).collect();
    for kind in [0u8, 1] {
        // the first patch of each kind (0 codebook, 1 half floats): its value count, one more or
        // one fewer; its kind unknown; a shift or bit count out of range
        let i = kinds.iter().position(|&k| k == kind).expect("the shipped model has both kinds");
        let head = 13 + 18 * i;
        let count = u32::from_le_bytes(bytes[head + 5..head + 9].try_into().unwrap());
        for c in [count + 1, count - 1, count ^ 0x4000_0000] {
            let mut wrong = bytes.clone();
            wrong[head + 5..head + 9].copy_from_slice(&c.to_le_bytes());
            let err = Detector::from_bytes(wrong).err().expect("wrong count refused");
            assert!(err.contains("face model"), "kind {kind}, count {c}: {err}");
        }
        for (at, v) in [(head, 7u8), (head + 17, 0xFF)] {
            let mut wrong = bytes.clone();
            wrong[at] = v;
            let err = Detector::from_bytes(wrong).err().expect("bad head refused");
            assert!(err.contains("face model"), "kind {kind}: {err}");
        }
    }
}

/// The box mapping must mark the same pixels as the `image` crate's own EXIF re-orientation,
/// which is what `decode_upright` uses.
#[test]
fn box_mapping_matches_image_crate_orientation() {
    let (w, h) = (9u32, 5u32);
    let marked = Face {
        x: 2.0,
        y: 1.0,
        w: 3.0,
        h: 2.0,
        score: 1.0,
    };
    let mut stored = image::RgbImage::new(w, h);
    for y in 1..3 {
        for x in 2..5 {
            stored.put_pixel(x, y, image::Rgb([255, 255, 255]));
        }
    }
    for o in 1..=8u16 {
        let mut img = image::DynamicImage::ImageRgb8(stored.clone());
        img.apply_orientation(image::metadata::Orientation::from_exif(o as u8).unwrap());
        let up = img.into_rgb8();
        assert_eq!(
            (up.width(), up.height()),
            upright_size(w, h, o),
            "size, orientation {o}"
        );
        let b = stored_to_upright(&marked, w, h, o);
        for (x, y, px) in up.enumerate_pixels() {
            let inside = (x as f32) >= b.x
                && (x as f32) < b.x + b.w
                && (y as f32) >= b.y
                && (y as f32) < b.y + b.h;
            assert_eq!(
                px[0] == 255,
                inside,
                "orientation {o}, upright pixel ({x},{y})"
            );
        }
    }
}

#[test]
fn canvas_maps_boxes_back_to_source_pixels() {
    let rgb = vec![0u8; 100 * 50 * 3];
    let canvas = preprocess::fit(&rgb, 100, 50, 640);
    assert_eq!((canvas.content_w, canvas.content_h), (640, 320));
    assert_eq!((canvas.width, canvas.height), (640, 320));
    let f = canvas
        .to_source(&Face {
            x: 64.0,
            y: 32.0,
            w: 128.0,
            h: 64.0,
            score: 0.9,
        })
        .unwrap();
    assert!((f.x - 10.0).abs() < 1e-4 && (f.y - 5.0).abs() < 1e-4 && (f.w - 20.0).abs() < 1e-4);
    // boxes in the padding or off the image are clipped or dropped
    assert!(canvas
        .to_source(&Face {
            x: 700.0,
            y: 0.0,
            w: 10.0,
            h: 10.0,
            score: 1.0
        })
        .is_none());
    let odd = preprocess::fit(&vec![0u8; 33 * 7 * 3], 33, 7, 100);
    assert_eq!((odd.width % 32, odd.height % 32), (0, 0));
}

/// The warm-up runs on the shipped model's skeleton (its first bytes only) and finds nothing; a
/// prefix cut before the skeleton ends is refused with a message.
#[test]
fn warm_up_runs_on_the_model_skeleton_alone() {
    let Some(bytes) = model_bytes(DEFAULT_MODEL_FILE) else { return };
    let need = packed::skeleton_len(&bytes).expect("the shipped model is packed");
    assert!(need < bytes.len() / 2, "the skeleton is the smaller part of the file ({need} of {})", bytes.len());
    Detector::warm_up(&bytes[..need]).expect("warm-up on the skeleton");
    assert!(Detector::warm_up(&bytes[..need - 1]).is_err());
    assert!(Detector::warm_up(b"junk").is_err());
}
