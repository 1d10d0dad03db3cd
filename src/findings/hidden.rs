//! Hidden-content rules: previews, extra images and video, maker notes, ids, file paths,
//! and the parts of the file nobody read (listed by the walkers and readers; this
//! rule only words them).

use super::{add_evidence, add_field, fields_named, finding};
use crate::container::{Container, Unread};
use crate::meta::Metadata;
use crate::report::{FindingId, Category, Finding, Severity};

const ID_TAGS: &[&str] = &[
    "ImageUniqueID",
    "DocumentID",
    "InstanceID",
    "OriginalDocumentID",
    "DerivedFromDocumentID",
    "DerivedFromInstanceID",
    "DerivedFromOriginalDocumentID",
    "ContentIdentifier",
    "MediaGroupUUID",
    "BurstUUID",
    "PhotoIdentifier",
    "ImageCaptureRequestID",
    "HistoryInstanceID",
    "IngredientsDocumentID",
    "IngredientsInstanceID",
    "DocumentAncestors",
    "SamsungUniqueID",
    "CameraID",
];

/// Tags that hold a file name or path by definition. (EXIF `FileSource` is not
/// one: it is a number saying "digital camera", "scanner"…)
const PATH_TAGS: &[&str] = &[
    "DerivedFromFilePath",
    "IngredientsFilePath",
    "PreservedFileName",
    "RawFileName",
    "OriginalFileName",
    "OriginalRawFileName",
    "ManifestReferenceFilePath",
    "PantryFilePath",
];

pub(super) fn rules(container: &Container<'_>, meta: &Metadata, out: &mut Vec<Finding>) {
    let mut thumbs = finding(FindingId::EmbeddedThumbnail, Severity::Medium, Category::Hidden);
    for t in &meta.thumbnails {
        add_evidence(&mut thumbs, &t.source, "Preview image", &format!("{} ({} bytes)", t.what, t.bytes));
    }
    out.push(thumbs);

    let video = meta.hidden_media.iter().any(|m| m.what.contains("video"));
    let mut media =
        finding(FindingId::HiddenMedia, if video { Severity::High } else { Severity::Medium }, Category::Hidden);
    // MPF points at images stored after the end of the first one: the trailer
    // reader sees the same bytes, so name each image once (by its MPF role).
    let mpf_sizes: Vec<usize> = meta.hidden_media.iter().filter(|m| m.source == "MPF").map(|m| m.bytes).collect();
    let already_named = |m: &&crate::meta::Embedded| m.source != "MPF" && mpf_sizes.contains(&m.bytes);
    for m in meta.hidden_media.iter().filter(|m| !already_named(m)) {
        add_evidence(&mut media, &m.source, "Hidden data", &format!("{} ({} bytes)", m.what, m.bytes));
    }
    out.push(media);

    let mut notes = finding(FindingId::MakerNotes, Severity::Low, Category::Hidden);
    for vendor in &meta.maker_notes {
        add_evidence(&mut notes, "EXIF", "MakerNote", vendor);
    }
    out.push(notes);

    let mut ids = finding(FindingId::UniqueId, Severity::Low, Category::Hidden);
    fields_named(meta, ID_TAGS).for_each(|f| add_field(&mut ids, f));
    out.push(ids);

    out.push(unreadable(container, meta));

    let mut paths = finding(FindingId::FilePath, Severity::Medium, Category::Hidden);
    fields_named(meta, PATH_TAGS).for_each(|f| add_field(&mut paths, f));
    // Anywhere else (DocumentName, a description…): only what really is a path.
    meta.fields
        .iter()
        .filter(|f| !PATH_TAGS.contains(&f.tag.as_str()) && !super::is_carrier_field(f))
        .filter(|f| looks_like_user_path(&f.value) || looks_like_file_path(&f.value))
        .for_each(|f| add_field(&mut paths, f));
    out.push(paths);
}

/// A word that is a folder path to a file (`DCIM\106FPLAN\DJI_0012.TIF`,
/// `C:\scans\img.tif`, `/sdcard/DCIM/Camera`): at least one folder and then a
/// file name with an extension, or a camera's DCIM folder. Web addresses,
/// media types (`image/jpeg`), fractions (`1/250`) and dates are not paths.
fn looks_like_file_path(value: &str) -> bool {
    value.split_whitespace().any(|word| {
        let word = word.trim_matches(|c: char| matches!(c, '"' | '\'' | '(' | ')' | '[' | ']' | ',' | ';'));
        if word.contains("://") || !(word.contains('/') || word.contains('\\')) {
            return false;
        }
        let parts: Vec<&str> = word.split(['/', '\\']).filter(|p| !p.is_empty()).collect();
        let dcim = parts.iter().any(|p| p.eq_ignore_ascii_case("DCIM"));
        let file_with_extension = parts.len() >= 2
            && parts.last().and_then(|name| name.rsplit_once('.')).is_some_and(|(stem, ext)| {
                !stem.is_empty()
                    && (1..=5).contains(&ext.len())
                    && ext.chars().all(|c| c.is_ascii_alphanumeric())
                    && ext.chars().any(|c| c.is_ascii_alphabetic())
            });
        dcim || file_with_extension
    })
}

/// A folder path that can name the computer's user (C:\Users\name, /home/name, /Users/name).
fn looks_like_user_path(value: &str) -> bool {
    let v = value.to_ascii_lowercase();
    v.contains(":\\users\\") || v.contains(":/users/") || v.contains("/home/") || v.starts_with("/users/")
        || v.contains("\\documents and settings\\")
}

/// Unread parts this big, in all, are worth more than a low note.
const LARGE_UNREAD_BYTES: usize = 1024;

/// `unreadable-data`: every part the walkers did not understand and the readers
/// skipped, grouped by where it is. Medium when it is large or looks like words.
fn unreadable(container: &Container<'_>, meta: &Metadata) -> Finding {
    let parts: Vec<&Unread> = container.unread.iter().chain(&meta.unread).collect();
    let total: usize = parts.iter().map(|u| u.bytes).sum();
    let wordy = parts.iter().any(|u| u.text_like);
    let severity = if total >= LARGE_UNREAD_BYTES || wordy { Severity::Medium } else { Severity::Low };
    let mut f = finding(FindingId::UnreadableData, severity, Category::Hidden);
    // Damaged files can have hundreds of stray pieces: one row per kind of place.
    let mut places: Vec<(&str, usize, usize, bool)> = Vec::new();
    for u in &parts {
        match places.iter_mut().find(|p| p.0 == u.place) {
            Some(p) => (p.1, p.2, p.3) = (p.1 + 1, p.2 + u.bytes, p.3 || u.text_like),
            None => places.push((&u.place, 1, u.bytes, u.text_like)),
        }
    }
    let source = format!("{} file", container.format.name());
    for (place, count, bytes, text_like) in places {
        let mut value = match count {
            1 => format!("{} {place}", size_words(bytes)),
            n => format!("{} in all, in {n} pieces {place}", size_words(bytes)),
        };
        if text_like {
            value.push_str(" (it looks like it holds words)");
        }
        add_evidence(&mut f, &source, "Not read", &value);
    }
    f
}

/// A byte count in words: "1 byte", "37 bytes", "about 12 KB", "about 3 MB".
pub(crate) fn size_words(bytes: usize) -> String {
    match bytes {
        1 => "1 byte".into(),
        n if n < 1024 => format!("{n} bytes"),
        n if n < 1024 * 1024 => format!("about {} KB", (n + 512) / 1024),
        n => format!("about {} MB", (n + 512 * 1024) / (1024 * 1024)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_folders_with_a_file_not_fractions_or_media_types() {
        assert!(looks_like_file_path("DCIM\\106FPLAN\\DJI_0012.TIF"));
        assert!(looks_like_file_path("Taken from D:\\scans\\2019\\grandma.tif today"));
        assert!(looks_like_file_path("/sdcard/DCIM/Camera"));
        assert!(looks_like_file_path("photos/holiday/beach.jpg"));
        assert!(!looks_like_file_path("3"));
        assert!(!looks_like_file_path("image/jpeg"));
        assert!(!looks_like_file_path("f/2.8 1/250"));
        assert!(!looks_like_file_path("2019/06/24"));
        assert!(!looks_like_file_path("see https://example.com/a/b.html"));
        assert!(!looks_like_file_path("and/or N/A w/o"));
        assert!(!looks_like_file_path("converted from image/x-canon-cr2 to image/jpeg"));
    }
}
