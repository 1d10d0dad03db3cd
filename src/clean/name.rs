//! The suggested file name of a safer copy. Phones and apps name photos after
//! the moment and the device (`IMG_20251203_184512.jpg`, `WhatsApp Image
//! 2025-12-03 at 18.45.12.jpeg`, `PXL_…`, `DSC01234`, `Screenshot_…`): a copy
//! that keeps that name gives the date away again, or links it to the original.
//! Such names become a neutral `photo-safer.jpg`; a name a person chose
//! (`holiday.jpg`) stays recognisable (`holiday-safer.jpg`).
//!
//! It owns only the name (no paths, no files); front ends (CLI, page) ask it.

/// Name prefixes cameras, phones and apps write before a number or a date.
const DEVICE_PREFIXES: &[&str] = &[
    "img_", "img-", "dsc", "pxl_", "mvimg", "vid_", "pano_", "burst", "screenshot", "screen shot", "whatsapp",
    "fb_img", "received_", "mmexport", "gopr", "dji_", "sam_", "cimg",
];

/// The copy's file name: the original's name (any folder left out) with
/// `-safer` and the copy's `extension`, or `photo-safer` when the name holds a
/// date, a long number, an id or a device prefix.
pub fn safer_copy_name(original: &str, extension: &str) -> String {
    let file = original.rsplit(['/', '\\']).next().unwrap_or("");
    let stem = match file.rfind('.') {
        Some(dot) if dot > 0 => &file[..dot],
        _ => file,
    };
    let stem = stem.trim().trim_start_matches('.');
    let base = if stem.is_empty() || gives_away_something(stem) { "photo" } else { stem };
    let extension = extension.trim_start_matches('.');
    format!("{base}-safer.{extension}")
}

/// A date or time, a number of 3 digits or more (camera counters, phone
/// numbers), a long id (UUIDs, hashes) or a device/app prefix.
fn gives_away_something(stem: &str) -> bool {
    // The prefixes are ASCII without a `k`, so ASCII lower case finds the same ones as Unicode
    // lower case (whose tables cost the core wasm ~12 KB).
    let lower = stem.to_ascii_lowercase();
    if DEVICE_PREFIXES.iter().any(|p| lower.starts_with(p)) {
        return true;
    }
    let longest_run = |keep: fn(char) -> bool| {
        stem.chars().fold((0usize, 0usize), |(best, run), c| if keep(c) { (best.max(run + 1), run + 1) } else { (best, 0) }).0
    };
    let digits = stem.chars().filter(char::is_ascii_digit).count();
    longest_run(|c| c.is_ascii_digit()) >= 3
        || digits >= 4
        || (longest_run(|c| c.is_ascii_hexdigit()) >= 8 && digits >= 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_with_dates_numbers_ids_or_device_prefixes_become_neutral() {
        for name in [
            "IMG_20251203_184512.jpg",
            "WhatsApp Image 2025-12-03 at 18.45.12.jpeg",
            "PXL_20251203_131415123.MP.jpg",
            "DSC01234.JPG",
            "Screenshot_20251203-184512_WhatsApp.png",
            "Screen Shot 2025-12-03 at 6.45.12 PM.png",
            "IMG-20251203-WA0007.jpg",
            "C:\\Users\\asha\\Pictures\\IMG_1234.HEIC",
            "/home/asha/Pictures/9F2C4B1A-77D2-4E0B-9C1A-3B5E2F6A7C8D.jpeg",
            "photo 12-3-25.jpg",
            "98765 43210.jpg",
            "mmexport1701600000000.jpg",
        ] {
            assert_eq!(safer_copy_name(name, "jpg"), "photo-safer.jpg", "{name}");
        }
    }

    #[test]
    fn chosen_names_stay_and_folders_never_do() {
        assert_eq!(safer_copy_name("holiday.jpg", "jpg"), "holiday-safer.jpg");
        assert_eq!(safer_copy_name("my cat.tiff", "png"), "my cat-safer.png");
        assert_eq!(safer_copy_name("/home/asha/school trip.webp", ".webp"), "school trip-safer.webp");
        assert_eq!(safer_copy_name("दिवाली.jpg", "jpg"), "दिवाली-safer.jpg");
        assert_eq!(safer_copy_name("room 12.jpg", "jpg"), "room 12-safer.jpg");
        assert_eq!(safer_copy_name("", "png"), "photo-safer.png");
        assert_eq!(safer_copy_name(".jpg", "jpg"), "jpg-safer.jpg");
        assert_eq!(safer_copy_name("imagine.png", "png"), "imagine-safer.png");
    }
}
