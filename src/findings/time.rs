//! Time rules: when the photo was taken (and the time zone, which gives away a region).

use super::{add_evidence, add_field, fields_named, finding};
use crate::meta::Metadata;
use crate::report::{FindingId, Category, Finding, Severity};

const CAPTURE_TAGS: &[&str] = &[
    "DateTimeOriginal",
    "CreateDate",
    "DateCreated",
    "TimeCreated",
    "DigitalCreationDate",
    "DigitalCreationTime",
    "GPSDateStamp",
    "GPSTimeStamp",
    "GPSDateTime",
    "OffsetTimeOriginal",
    "OffsetTime",
    "OffsetTimeDigitized",
    "TimeZoneOffset",
    "Creation Time",
    "DateTimeDigitized",
];

pub(super) fn rules(meta: &Metadata, out: &mut Vec<Finding>) {
    let mut when = finding(FindingId::CaptureTime, Severity::Low, Category::Time);
    fields_named(meta, CAPTURE_TAGS).for_each(|f| add_field(&mut when, f));
    // A modify date alone still dates the photo (scanners, editors).
    if when.evidence.is_empty() {
        fields_named(meta, &["ModifyDate"]).for_each(|f| add_field(&mut when, f));
    }
    // A time zone narrows down where in the world the photo was taken, even
    // when there are no coordinates.
    if let Some(zone) = meta.fields.iter().find(|f| f.tag.starts_with("OffsetTime")) {
        add_evidence(&mut when, "EXIF", "Time zone", &format!("UTC{} (this shows which part of the world)", zone.value));
    }
    out.push(when);
}
