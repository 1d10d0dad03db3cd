//! Location rules: coordinates (with the nearest place and how precise they
//! are, in words), blanked coordinates, written place names.

use super::{add_evidence, add_field, fields_named, finding};
use crate::meta::Metadata;
use crate::report::{Category, Finding, FindingId, Location, PlaceName, Severity};

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
            add_evidence(&mut f, &p.source, "GPSLatitude", &format!("{:.6}", p.lat));
            add_evidence(&mut f, &p.source, "GPSLongitude", &format!("{:.6}", p.lon));
        }
        if let Some(loc) = location {
            if let Some(place) = &loc.place {
                add_evidence(&mut f, PLACE_NAMES_SOURCE, "Nearest place", &nearest_place_words(place));
            }
            if let Some(precision) = loc.precision {
                add_evidence(&mut f, &loc.source, "Precision", precision.words());
            }
        }
        out.push(f);
    } else if !meta.gps_placeholder.is_empty() {
        let mut f = finding(FindingId::GpsHidden, Severity::Medium, Category::Location);
        meta.gps_placeholder.iter().for_each(|field| add_field(&mut f, field));
        out.push(f);
    }

    let mut places = finding(FindingId::PlaceName, Severity::High, Category::Location);
    // Creator contact addresses are about the photographer, not the scene (see contact-info).
    fields_named(meta, PLACE_TAGS).for_each(|field| add_field(&mut places, field));
    out.push(places);
}

/// "about 1.2 km from Bhopal, Madhya Pradesh, IN".
fn nearest_place_words(p: &PlaceName) -> String {
    let mut words = vec![p.name.as_str()];
    if !p.admin1.is_empty() {
        words.push(&p.admin1);
    }
    words.push(&p.country_code);
    format!("about {:.1} km from {}", p.distance_km, words.join(", "))
}
