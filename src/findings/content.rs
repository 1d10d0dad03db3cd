//! Content rules: free text written into the file (comments, titles, keywords, PNG/WebP text).

use super::{add_field, fields_named, finding, is_carrier_field};
use crate::meta::Metadata;
use crate::report::{FindingId, Category, Finding, Severity};

const COMMENT_TAGS: &[&str] = &[
    "Comment",
    "UserComment",
    "XPComment",
    "XPTitle",
    "XPSubject",
    "XPKeywords",
    "ImageDescription",
    "Description",
    "Caption-Abstract",
    "Headline",
    "Title",
    "ObjectName",
    "Keywords",
    "Subject",
    "SpecialInstructions",
    "Instructions",
    "Label",
    "ImageTitle",
    "LastKeywordXMP",
    "TagsList",
    "HierarchicalSubject",
    "CatalogSets",
];

/// AI image tools store their prompt and settings under these keywords.
const PROMPT_KEYWORDS: &[&str] = &["parameters", "prompt", "workflow", "Dream", "sd-metadata", "invokeai_metadata"];

pub(super) fn rules(meta: &Metadata, out: &mut Vec<Finding>) {
    let mut comment = finding(FindingId::Comment, Severity::Medium, Category::Content);
    fields_named(meta, COMMENT_TAGS)
        .filter(|f| f.group != "PNG" && !is_camera_default_text(&f.value))
        .for_each(|f| add_field(&mut comment, f));
    out.push(comment);

    let prompt = meta.fields.iter().any(|f| f.group == "PNG" && PROMPT_KEYWORDS.contains(&f.tag.as_str()));
    let mut text = finding(FindingId::TextData, if prompt { Severity::High } else { Severity::Medium }, Category::Content);
    meta.fields
        .iter()
        .filter(|f| f.group == "PNG" && !is_carrier_field(f) && f.tag != "ModifyDate")
        .for_each(|f| add_field(&mut text, f));
    out.push(text);
}

/// Text that cameras write by themselves and that says nothing about anyone.
fn is_camera_default_text(value: &str) -> bool {
    let v = value.trim().to_ascii_lowercase();
    v.is_empty()
        || v.starts_with("olympus digital camera")
        || v == "default"
        || v.starts_with("sony dsc")
        || v == "lead technologies inc. v1.01"
        || v.chars().all(|c| c == '?' || c == ' ')
}
