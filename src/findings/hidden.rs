//! Hidden-content rules: previews, extra images and video, maker notes, ids, file paths.

use super::{add_evidence, add_field, fields_named, finding};
use crate::container::Container;
use crate::meta::Metadata;
use crate::report::{Category, Finding, Severity};

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

pub(super) fn rules(_container: &Container<'_>, meta: &Metadata, out: &mut Vec<Finding>) {
    let mut thumbs = finding("embedded-thumbnail", Severity::Medium, Category::Hidden);
    for t in &meta.thumbnails {
        add_evidence(&mut thumbs, &t.source, "Preview image", &format!("{} ({} bytes)", t.what, t.bytes));
    }
    out.push(thumbs);

    let video = meta.hidden_media.iter().any(|m| m.what.contains("video"));
    let mut media =
        finding("hidden-media", if video { Severity::High } else { Severity::Medium }, Category::Hidden);
    // MPF points at images stored after the end of the first one: the trailer
    // reader sees the same bytes, so name each image once (by its MPF role).
    let mpf_sizes: Vec<usize> = meta.hidden_media.iter().filter(|m| m.source == "MPF").map(|m| m.bytes).collect();
    let already_named = |m: &&crate::meta::Embedded| m.source != "MPF" && mpf_sizes.contains(&m.bytes);
    for m in meta.hidden_media.iter().filter(|m| !already_named(m)) {
        add_evidence(&mut media, &m.source, "Hidden data", &format!("{} ({} bytes)", m.what, m.bytes));
    }
    out.push(media);

    let mut notes = finding("maker-notes", Severity::Low, Category::Hidden);
    for vendor in &meta.maker_notes {
        add_evidence(&mut notes, "EXIF", "MakerNote", vendor);
    }
    out.push(notes);

    let mut ids = finding("unique-id", Severity::Low, Category::Hidden);
    fields_named(meta, ID_TAGS).for_each(|f| add_field(&mut ids, f));
    out.push(ids);

    let mut paths = finding("file-path", Severity::Medium, Category::Hidden);
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
