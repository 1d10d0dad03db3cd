//! Hidden-content rules: previews, extra images and video, maker notes, ids, file paths.

use super::{add_evidence, add_field, fields_named, finding};
use crate::container::Container;
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

const PATH_TAGS: &[&str] = &[
    "DerivedFromFilePath",
    "IngredientsFilePath",
    "PreservedFileName",
    "RawFileName",
    "OriginalFileName",
    "FileSource",
    "ManifestReferenceFilePath",
    "PantryFilePath",
];

pub(super) fn rules(_container: &Container<'_>, meta: &Metadata, out: &mut Vec<Finding>) {
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

    let mut paths = finding(FindingId::FilePath, Severity::Medium, Category::Hidden);
    fields_named(meta, PATH_TAGS).for_each(|f| add_field(&mut paths, f));
    meta.fields
        .iter()
        .filter(|f| !PATH_TAGS.contains(&f.tag.as_str()) && looks_like_user_path(&f.value))
        .for_each(|f| add_field(&mut paths, f));
    out.push(paths);
}

/// A folder path that can name the computer's user (C:\Users\name, /home/name, /Users/name).
fn looks_like_user_path(value: &str) -> bool {
    let v = value.to_ascii_lowercase();
    v.contains(":\\users\\") || v.contains(":/users/") || v.contains("/home/") || v.starts_with("/users/")
        || v.contains("\\documents and settings\\")
}
