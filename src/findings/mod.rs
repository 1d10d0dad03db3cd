//! Findings: rules that turn named metadata values into what a person should
//! know. Each rule file owns one category; every finding has a stable id and
//! its texts come from `catalog` (so other languages never touch the rules).

use crate::container::Container;
use crate::meta::{Field, Metadata};
use crate::report::{Category, Evidence, Finding, FindingId, ImageSize, Location, Severity};

pub mod catalog;
pub mod codes;
mod content;
mod credentials;
mod device;
mod faces;
pub use faces::{count_people, faces_finding};
mod hidden;
mod identity;
mod location;
pub(crate) use location::add_nearest_place;
mod profile;
pub mod risk;
mod time;

/// Most evidence rows kept for one finding (a workflow can hold thousands of values).
const MAX_EVIDENCE: usize = 40;
/// Longest value shown in one evidence row.
const MAX_VALUE_CHARS: usize = 600;

/// Runs every rule, most severe findings first. `location` is the report's
/// position (with its place and precision), which the GPS rule puts in words.
pub fn evaluate(container: &Container<'_>, meta: &Metadata, location: Option<&Location>) -> Vec<Finding> {
    let mut out = Vec::new();
    location::rules(meta, location, &mut out);
    identity::rules(meta, &mut out);
    device::rules(meta, &mut out);
    time::rules(meta, &mut out);
    hidden::rules(container, meta, &mut out);
    profile::rules(meta, &mut out);
    content::rules(meta, &mut out);
    credentials::rules(meta, &mut out);
    out.retain(|f| !f.evidence.is_empty());
    risk::sort_worst_first(&mut out);
    out
}

/// Starts a finding with its catalog texts.
pub(crate) fn finding(id: FindingId, severity: Severity, category: Category) -> Finding {
    let texts = catalog::texts(id);
    Finding {
        id,
        severity,
        category,
        title: texts.map(|t| t.title.to_string()).unwrap_or_default(),
        why: texts.map(|t| t.why.to_string()).unwrap_or_default(),
        advice: texts.map(|t| t.advice.to_string()).unwrap_or_default(),
        evidence: Vec::new(),
    }
}

/// Adds one evidence row, skipping exact repeats and keeping the list short.
/// Every row goes through [`readable`]: no blank rows, no "undef", no raw blobs.
pub(crate) fn add_evidence(f: &mut Finding, source: &str, field: &str, value: &str) {
    push_evidence(&mut f.evidence, source, field, value);
}

/// [`add_evidence`] on a finding's evidence list alone.
pub(crate) fn push_evidence(evidence: &mut Vec<Evidence>, source: &str, field: &str, value: &str) {
    if evidence.len() >= MAX_EVIDENCE {
        return;
    }
    // No report ever shows an Aadhaar number or PAN in full, wherever it was found.
    let Some(value) = readable(&crate::idcards::mask_in_text(value)) else { return };
    if evidence.iter().any(|e| e.source == source && e.field == field && e.value == value) {
        return;
    }
    evidence.push(Evidence { source: source.to_string(), field: field.to_string(), value });
}

pub(crate) fn add_field(f: &mut Finding, field: &Field) {
    add_evidence(f, &source_label(&field.group), &field.tag, &field.value);
}

/// What a person is shown for a value: nothing for a blank or unrecorded
/// ("undef") value; a plain description instead of a raw XMP packet or a hex
/// dump (they are read by the metadata readers, never shown as they are);
/// else the value, shortened.
fn readable(value: &str) -> Option<String> {
    let v = value.trim();
    if v.is_empty() || v.split_whitespace().all(|t| t.eq_ignore_ascii_case("undef")) {
        return None;
    }
    let n = v.chars().count();
    if is_markup_packet(v) {
        return Some(format!("a block of XMP metadata ({n} characters; what it says is listed on its own)"));
    }
    if has_hex_dump(v) {
        return Some(format!("coded data that is not text ({n} characters)"));
    }
    Some(shorten(v))
}

/// An XMP packet or RDF document pasted whole into a text field.
fn is_markup_packet(v: &str) -> bool {
    v.starts_with("<?xpacket") || v.starts_with("<x:xmpmeta") || v.contains("<rdf:RDF")
}

/// A run of at least 64 hex digits (line breaks and spaces allowed inside):
/// a dump of binary data, as ImageMagick's "Raw profile type" texts are. Ids
/// (32 hex digits, UUIDs with dashes) are shorter and stay readable.
pub(crate) fn has_hex_dump(v: &str) -> bool {
    let mut run = 0;
    for c in v.chars() {
        if c.is_ascii_hexdigit() {
            run += 1;
            if run >= 64 {
                return true;
            }
        } else if !c.is_ascii_whitespace() {
            run = 0;
        }
    }
    false
}

/// A PNG text whose keyword says it only carries metadata read elsewhere
/// (XMP, EXIF, IPTC hex dumps); its own value is never evidence.
pub(crate) fn is_carrier_field(field: &Field) -> bool {
    field.group == "PNG" && (field.tag == "XML:com.adobe.xmp" || field.tag.starts_with("Raw profile type"))
}

fn shorten(value: &str) -> String {
    if value.chars().count() <= MAX_VALUE_CHARS {
        return value.to_string();
    }
    let cut: String = value.chars().take(MAX_VALUE_CHARS).collect();
    format!("{cut}… ({} characters in all)", value.chars().count())
}

/// Fields whose tag is one of `tags` (exact ExifTool names).
pub(crate) fn fields_named<'m>(meta: &'m Metadata, tags: &'m [&str]) -> impl Iterator<Item = &'m Field> + 'm {
    meta.fields.iter().filter(move |f| tags.contains(&f.tag.as_str()))
}

/// A readable name for where a value lives, from its ExifTool group.
pub fn source_label(group: &str) -> String {
    match group {
        "IFD0" | "ExifIFD" | "InteropIFD" | "SubIFD" => "EXIF".into(),
        "GPS" => "EXIF GPS".into(),
        "IFD1" => "EXIF thumbnail".into(),
        "IPTC" => "IPTC".into(),
        "PNG" => "PNG text".into(),
        "File" => "JPEG comment".into(),
        "GIF" => "GIF comment".into(),
        "ICC_Profile" => "Colour profile".into(),
        "Photoshop" => "Photoshop".into(),
        crate::meta::c2pa::GROUP => "Content Credentials".into(),
        g if g.starts_with("XMP-") => format!("XMP ({})", &g[4..]),
        g if g == "MakerNotes" => "Maker notes".into(),
        g => format!("Maker notes ({g})"),
    }
}

/// The size a viewer shows: stored size, turned by EXIF orientation 5–8 or a 90°/270° `irot`.
pub fn displayed_size(container: &Container<'_>, meta: &Metadata) -> Option<ImageSize> {
    let (w, h) = (container.width?, container.height?);
    let exif_turns = matches!(meta.orientation, Some(5..=8));
    let irot_turns = matches!(container.rotation, Some(90) | Some(270));
    // HEIF viewers apply irot and ignore the EXIF orientation.
    let turned = if container.rotation.is_some() { irot_turns } else { exif_turns };
    Some(if turned { ImageSize { width: h, height: w } } else { ImageSize { width: w, height: h } })
}

pub fn checked_list() -> Vec<String> {
    catalog::checked()
}

pub fn not_checked_list() -> Vec<String> {
    catalog::not_checked()
}

/// Why the picture itself (faces, codes) was not looked at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PictureSkipped {
    /// The picture could not be decoded here (HEIC/AVIF without a decoder, damaged pixels).
    Undecodable,
    /// The face check was switched off or is not in this build.
    FacesOff,
    /// The code check was switched off or is not in this build.
    CodesOff,
}

/// Adds to the report's `not_checked` what the picture checks could not look
/// at, once (the same line the page shows, from the shared catalog).
pub fn add_picture_not_checked(not_checked: &mut Vec<String>, why: PictureSkipped) {
    let key = match why {
        PictureSkipped::Undecodable => "not_checked.picture_undecodable",
        PictureSkipped::FacesOff => "not_checked.faces_off",
        PictureSkipped::CodesOff => "not_checked.codes_off",
    };
    let text = catalog::ui(key).unwrap_or(key).to_string();
    if !not_checked.contains(&text) {
        not_checked.push(text);
    }
}
