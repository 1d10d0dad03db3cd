//! Findings: rules that turn named metadata values into what a person should know.
//! Each finding has a stable id; its English texts come from `catalog`.

use crate::container::Container;
use crate::meta::Metadata;
use crate::report::{Finding, ImageSize};

pub mod catalog;

pub fn evaluate(_container: &Container<'_>, _meta: &Metadata) -> Vec<Finding> {
    Vec::new()
}

/// The size a viewer shows: stored size, turned by EXIF orientation 5–8 or a 90°/270° `irot`.
pub fn displayed_size(container: &Container<'_>, meta: &Metadata) -> Option<ImageSize> {
    let (w, h) = (container.width?, container.height?);
    let exif_turns = matches!(meta.orientation, Some(5..=8));
    let irot_turns = matches!(container.rotation, Some(90) | Some(270));
    // HEIF applies irot and ignores EXIF orientation for display.
    let turned = if container.rotation.is_some() { irot_turns } else { exif_turns };
    Some(if turned { ImageSize { width: h, height: w } } else { ImageSize { width: w, height: h } })
}

pub fn checked_list() -> Vec<String> {
    catalog::CHECKED.iter().map(|s| s.to_string()).collect()
}

pub fn not_checked_list() -> Vec<String> {
    catalog::NOT_CHECKED.iter().map(|s| s.to_string()).collect()
}
