//! How exactly a photo's position pins a spot, plus altitude and direction,
//! read from already-named metadata fields (ExifTool names: group `GPS`, or the
//! XMP `exif`/`exifEX` equivalents). This file only reads numbers; it never
//! decides what is risky.

use crate::decimal::parse;
use crate::meta::Field;

pub use crate::report::Precision;

impl Precision {
    /// Plain English wording.
    pub fn words(self) -> &'static str {
        match self {
            Precision::House => "exact enough to find the house",
            Precision::Street => "exact enough to find the street",
            Precision::Neighbourhood => "shows the neighbourhood",
            Precision::Town => "shows the town or area",
        }
    }
}

/// Maps an accuracy radius in metres to wording. Unknown or nonsense values
/// count as `House`: when in doubt, assume the position is exact.
pub fn describe_precision(accuracy_m: f64) -> Precision {
    if !accuracy_m.is_finite() || accuracy_m <= 50.0 {
        Precision::House
    } else if accuracy_m <= 500.0 {
        Precision::Street
    } else if accuracy_m <= 3000.0 {
        Precision::Neighbourhood
    } else {
        Precision::Town
    }
}

/// Rough metres per unit of dilution of precision for a phone/camera GPS.
const METRES_PER_DOP: f64 = 5.0;
/// Metres per degree / minute / second of latitude (and of longitude at the equator).
const METRES_PER_DEGREE: f64 = 111_320.0;

/// Best guess of the horizontal accuracy radius in metres:
/// 1. `GPSHPositioningError` (metres, as recorded by the device);
/// 2. else `GPSDOP` × ~5 m;
/// 3. else half the resolution of the stored latitude (how many decimals of
///    degrees, minutes or seconds it keeps). Formatted values lose trailing
///    zeros, so this can only err towards "coarser"; it is a last resort.
pub fn accuracy_from(fields: &[Field]) -> Option<f64> {
    if let Some(e) = gps_number(fields, "GPSHPositioningError").filter(|v| *v >= 0.0) {
        return Some(e);
    }
    if let Some(dop) = gps_number(fields, "GPSDOP").filter(|v| *v > 0.0) {
        return Some(dop * METRES_PER_DOP);
    }
    gps_field(fields, "GPSLatitude").and_then(|f| coordinate_resolution_m(&f.value)).map(|r| r / 2.0)
}

/// Altitude in metres (negative below sea level), from `GPSAltitude` + `GPSAltitudeRef`.
pub fn altitude_m(fields: &[Field]) -> Option<f64> {
    let altitude = gps_number(fields, "GPSAltitude")?;
    let below = gps_field(fields, "GPSAltitudeRef").is_some_and(|f| {
        let v = f.value.trim();
        v == "1" || v.to_ascii_lowercase().starts_with("below")
    });
    Some(if below { -altitude.abs() } else { altitude })
}

/// Which way the camera looked, degrees from north (0–360), from `GPSImgDirection`.
pub fn direction_deg(fields: &[Field]) -> Option<f64> {
    gps_number(fields, "GPSImgDirection").filter(|d| (0.0..=360.0).contains(d))
}

/// The field for `tag`, preferring the EXIF GPS IFD over XMP.
fn gps_field<'f>(fields: &'f [Field], tag: &str) -> Option<&'f Field> {
    let rank = |g: &str| match g {
        "GPS" => Some(0),
        "XMP-exif" => Some(1),
        "XMP-exifEX" => Some(2),
        _ => None,
    };
    fields
        .iter()
        .filter(|f| f.tag == tag && !f.value.trim().is_empty())
        .filter_map(|f| rank(&f.group).map(|r| (r, f)))
        .min_by_key(|(r, _)| *r)
        .map(|(_, f)| f)
}

fn gps_number(fields: &[Field], tag: &str) -> Option<f64> {
    gps_field(fields, tag).and_then(|f| parse_number(&f.value))
}

/// A decimal (`12.5`, `-3`) or a rational as XMP writes it (`125/10`); finite only.
fn parse_number(text: &str) -> Option<f64> {
    let t = text.trim();
    let v = match t.split_once('/') {
        Some((n, d)) => {
            let d = parse(d.trim())?;
            if d == 0.0 {
                return None;
            }
            parse(n.trim())? / d
        }
        None => parse(t)?,
    };
    v.is_finite().then_some(v)
}

/// The step between two values a stored coordinate could take, in metres.
/// Accepts EXIF as formatted by `meta::exif` (`"23 15 35.64"`), XMP
/// (`"23,15.594N"`, `"23,15,35N"`) and signed decimals (`"-33.5"`).
fn coordinate_resolution_m(value: &str) -> Option<f64> {
    let trimmed = value.trim().trim_end_matches(|c: char| "NSEWnsew".contains(c));
    let parts: Vec<&str> = trimmed.split([' ', ',']).filter(|p| !p.is_empty()).take(4).collect();
    let last = *parts.last()?;
    // Rationals ("3564/100") say their own resolution: 1/denominator.
    let (unit_steps, decimals) = match last.split_once('/') {
        Some((_, d)) => (1.0 / parse(d.trim()).filter(|d| *d > 0.0)?, 0),
        None => {
            parse_number(last)?;
            (1.0, last.split_once('.').map_or(0, |(_, f)| f.len().min(12)) as i32)
        }
    };
    let unit_m = match parts.len() {
        1 => METRES_PER_DEGREE,
        2 => METRES_PER_DEGREE / 60.0,
        3 => METRES_PER_DEGREE / 3600.0,
        _ => return None,
    };
    Some(unit_m * unit_steps * 10f64.powi(-decimals))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(group: &str, tag: &str, value: &str) -> Field {
        Field { group: group.into(), tag: tag.into(), value: value.into() }
    }

    #[test]
    fn precision_thresholds() {
        assert_eq!(describe_precision(5.0), Precision::House);
        assert_eq!(describe_precision(50.0), Precision::House);
        assert_eq!(describe_precision(50.1), Precision::Street);
        assert_eq!(describe_precision(500.0), Precision::Street);
        assert_eq!(describe_precision(2000.0), Precision::Neighbourhood);
        assert_eq!(describe_precision(20_000.0), Precision::Town);
        assert_eq!(describe_precision(f64::NAN), Precision::House);
        assert_eq!(serde_json::to_string(&Precision::Street).unwrap(), "\"street\"");
    }

    #[test]
    fn positioning_error_wins_over_dop() {
        let fields =
            [f("GPS", "GPSDOP", "10"), f("GPS", "GPSHPositioningError", "4.7"), f("GPS", "GPSLatitude", "23 15 35")];
        assert_eq!(accuracy_from(&fields), Some(4.7));
    }

    #[test]
    fn dop_times_five() {
        assert_eq!(accuracy_from(&[f("GPS", "GPSDOP", "2.5")]), Some(12.5));
        assert_eq!(accuracy_from(&[f("XMP-exif", "GPSDOP", "30/10")]), Some(15.0));
        // Zero DOP is not information: fall back to the coordinates.
        let fields = [f("GPS", "GPSDOP", "0"), f("GPS", "GPSLatitude", "23.26")];
        let a = accuracy_from(&fields).unwrap();
        assert!((a - 556.6).abs() < 1.0, "{a}");
    }

    #[test]
    fn resolution_of_stored_coordinates() {
        let acc = |v: &str| accuracy_from(&[f("GPS", "GPSLatitude", v)]).unwrap();
        // Whole seconds: 30.9 m step, 15.5 m radius.
        assert!((acc("23 15 35") - 15.46).abs() < 0.1);
        // Hundredths of a second: well under a metre.
        assert!(acc("23 15 35.64") < 0.2);
        // Whole minutes only: about 1.9 km step.
        assert!((acc("23 15 0") - 15.46).abs() < 0.1, "seconds field still counts");
        let xmp = |v: &str| accuracy_from(&[f("XMP-exif", "GPSLatitude", v)]).unwrap();
        assert!((xmp("23,15N") - 927.7).abs() < 1.0);
        assert!((xmp("23,15.5N") - 92.77).abs() < 0.1);
        assert!((xmp("-33.5") - 5566.0).abs() < 1.0);
        assert_eq!(accuracy_from(&[f("GPS", "GPSLatitude", "garbage")]), None);
        assert_eq!(accuracy_from(&[]), None);
        // Groups other than GPS / XMP-exif are not GPS tags.
        assert_eq!(accuracy_from(&[f("MakerNotes", "GPSDOP", "2")]), None);
    }

    #[test]
    fn exif_group_preferred_over_xmp() {
        let fields = [f("XMP-exif", "GPSDOP", "9"), f("GPS", "GPSDOP", "1")];
        assert_eq!(accuracy_from(&fields), Some(5.0));
    }

    #[test]
    fn altitude_and_direction() {
        assert_eq!(altitude_m(&[f("GPS", "GPSAltitude", "523.4")]), Some(523.4));
        assert_eq!(altitude_m(&[f("GPS", "GPSAltitude", "12"), f("GPS", "GPSAltitudeRef", "1")]), Some(-12.0));
        assert_eq!(altitude_m(&[f("XMP-exif", "GPSAltitude", "1000/10")]), Some(100.0));
        assert_eq!(altitude_m(&[f("GPS", "GPSAltitudeRef", "0")]), None);
        assert_eq!(direction_deg(&[f("GPS", "GPSImgDirection", "271.5")]), Some(271.5));
        assert_eq!(direction_deg(&[f("GPS", "GPSImgDirection", "400")]), None);
        assert_eq!(direction_deg(&[f("GPS", "GPSImgDirection", "undef")]), None);
    }
}
