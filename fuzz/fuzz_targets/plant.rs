//! Differential fuzzing of the safer copy: plant a marker (a made-up name,
//! phone number and e-mail) anywhere in a valid photo; `clean` must drop it or
//! refuse. The input's first two bytes pick where the marker goes (as a fraction
//! of the file) and whether it is inserted or written over the bytes there; the
//! rest is the photo.
//!
//! When the planted bytes do not change the picture (the copy shows the same
//! pixels as the unplanted photo's copy), they were never picture data, so they
//! must not be in the copy. Bytes that became picture data are allowed to stay
//! (they are the picture now).
#![no_main]
use libfuzzer_sys::fuzz_target;
use thinktwice::{clean, safer, CleanOptions};

const MARKER: &[u8] = b"Ravi Kumar 9876543210 ravi@example.com";

fn has_marker(bytes: &[u8]) -> bool {
    bytes.windows(10).any(|w| w == b"9876543210")
}

fuzz_target!(|data: &[u8]| {
    let Some((&[where_hi, how], photo)) = data.split_first_chunk::<2>() else { return };
    if photo.len() < 16 || has_marker(photo) {
        return;
    }
    let Ok(plain) = clean(photo, &CleanOptions::default()) else { return };
    let at = (photo.len() * where_hi as usize) / 255;
    let mut planted = photo.to_vec();
    if how & 1 == 0 {
        planted.splice(at..at, MARKER.iter().copied());
    } else {
        let end = (at + MARKER.len()).min(planted.len());
        planted.splice(at..end, MARKER.iter().copied());
    }
    let Ok(copy) = clean(&planted, &CleanOptions::default()) else { return };
    // Every offered copy passed the independent second look.
    assert!(safer::validate(&copy.bytes).is_ok());
    if has_marker(&copy.bytes) && copy.lossless && plain.lossless {
        let same_picture = match (image::load_from_memory(&plain.bytes), image::load_from_memory(&copy.bytes)) {
            (Ok(a), Ok(b)) => a.to_rgba8() == b.to_rgba8(),
            _ => false,
        };
        assert!(!same_picture, "the planted marker survived in a copy that shows the same picture");
    }
});
