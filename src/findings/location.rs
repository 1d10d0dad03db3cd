//! Location rules: coordinates (with the nearest place and how precise they
//! are, in words), blanked coordinates, written place names.

use super::{add_evidence, add_field, fields_named, finding};
use crate::meta::Metadata;
use crate::report::{Category, Evidence, Finding, FindingId, Location, PlaceName, Severity};

/// Tags that hold a written place (IPTC IIM, XMP photoshop/iptcCore/iptcExt).
const PLACE_TAGS: &[&str] = &[
    "City",
    "Sub-location",
    "Province-State",
    "Country-PrimaryLocationName",
    "Country-PrimaryLocationCode",
    "ContentLocationName",
    "State",
    "Country",
    "CountryCode",
    "Location",
    "LocationCreatedCity",
    "LocationCreatedSublocation",
    "LocationCreatedProvinceState",
    "LocationCreatedCountryName",
    "LocationCreatedCountryCode",
    "LocationCreatedWorldRegion",
    "LocationShownCity",
    "LocationShownSublocation",
    "LocationShownProvinceState",
    "LocationShownCountryName",
    "LocationShownCountryCode",
    "LocationShownWorldRegion",
    "GPSAreaInformation",
    "ImageRegionLocationCreatedCity",
];

/// Where the nearest place's name comes from.
const PLACE_NAMES_SOURCE: &str = "Offline place names (GeoNames)";

pub(super) fn rules(meta: &Metadata, location: Option<&Location>, out: &mut Vec<Finding>) {
    if !meta.positions.is_empty() {
        let mut f = finding(FindingId::GpsLocation, Severity::High, Category::Location);
        for p in &meta.positions {
            add_evidence(&mut f, &p.source, "GPSLatitude", &crate::decimal::fixed(p.lat, 6));
            add_evidence(&mut f, &p.source, "GPSLongitude", &crate::decimal::fixed(p.lon, 6));
        }
        if let Some(loc) = location {
            if let Some(place) = &loc.place {
                add_nearest_place(&mut f.evidence, place);
            }
            if let Some(precision) = loc.precision {
                add_evidence(&mut f, &loc.source, "Precision", precision.words());
            }
        }
        out.push(f);
    } else if !meta.gps_placeholder.is_empty() && camera_had_no_fix(meta) {
        // Not hidden: the camera's GPS was on but never found where it was.
        let mut f = finding(FindingId::GpsNoFix, Severity::Low, Category::Location);
        add_evidence(&mut f, "EXIF GPS", "GPSStatus", "measurement void (no position was found)");
        add_placeholders(&mut f, meta);
        out.push(f);
    } else if !meta.gps_placeholder.is_empty() {
        let mut f = finding(FindingId::GpsHidden, Severity::Medium, Category::Location);
        add_placeholders(&mut f, meta);
        out.push(f);
    }

    let mut places = finding(FindingId::PlaceName, Severity::High, Category::Location);
    // Creator contact addresses are about the photographer, not the scene (see contact-info).
    fields_named(meta, PLACE_TAGS).for_each(|field| add_field(&mut places, field));
    out.push(places);
}

/// "in or near Bhopal, Madhya Pradesh, IN" (or "about 12.3 km from …") in the
/// `gps-location` finding, before its precision: for `rules`, and for a place
/// named after the check (`check::add_place_name`).
pub(crate) fn add_nearest_place(evidence: &mut Vec<Evidence>, place: &PlaceName) {
    let at = evidence.iter().position(|e| e.field == "Precision").unwrap_or(evidence.len());
    super::push_evidence(evidence, PLACE_NAMES_SOURCE, "Nearest place", &crate::geo::place_phrase(place));
    let added = evidence.pop().expect("just added");
    evidence.insert(at, added);
}

/// EXIF GPSStatus "V" (measurement void): the receiver had no fix when the photo was taken.
fn camera_had_no_fix(meta: &Metadata) -> bool {
    meta.fields.iter().any(|f| f.group == "GPS" && f.tag == "GPSStatus" && f.value.trim().eq_ignore_ascii_case("V"))
}

/// The empty or zero coordinate tags, each shown as what it holds ("0" or "empty").
fn add_placeholders(f: &mut Finding, meta: &Metadata) {
    for field in &meta.gps_placeholder {
        let value = if field.value.trim().is_empty() { "empty" } else { field.value.as_str() };
        add_evidence(f, &super::source_label(&field.group), &field.tag, value);
    }
}
