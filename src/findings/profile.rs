//! Colour-profile rule: a profile that is not a well-known one (sRGB, Display P3,
//! Adobe RGB…) carries its own name, copyright, device text and creation date,
//! which can name the computer, screen or app that made the picture and link
//! pictures made there. Well-known profiles are the same in millions of photos,
//! so their text is not reported.
//!
//! It owns the list of well-known profile texts; `meta::icc` reads the values.

use super::{add_field, finding};
use crate::meta::Metadata;
use crate::report::{Category, Finding, FindingId, Severity};

/// Names of profiles shipped by operating systems, cameras, phones and editors.
const WELL_KNOWN_NAMES: &[&str] = &[
    "sRGB IEC61966-2.1",
    "sRGB IEC61966-2-1 black scaled",
    "sRGB IEC61966-2-1 no black scaling",
    "sRGB built-in",
    "sRGB",
    "sRGB2014",
    "sRGB v4 ICC preference perceptual intent beta",
    "sRGB v4 ICC preference",
    "sYCC",
    "scRGB",
    "Linear sRGB",
    "GIMP built-in sRGB",
    "GIMP built-in Linear sRGB",
    "Display P3",
    "DCI-P3",
    "P3 D65",
    "Adobe RGB (1998)",
    "Apple RGB",
    "ColorMatch RGB",
    "ProPhoto RGB",
    "ROMM-RGB",
    "Generic RGB Profile",
    "Generic Gray Profile",
    "Generic Gray Gamma 2.2 Profile",
    "Gray Gamma 2.2",
    "Dot Gain 15%",
    "Dot Gain 20%",
    "U.S. Web Coated (SWOP) v2",
    "Coated FOGRA39 (ISO 12647-2:2004)",
    "Japan Color 2001 Coated",
    "c2",
    "c2ci",
    "uRGB",
    "Rec. 2020",
    "Rec2020",
    "ITU-R BT.2020",
    "HDTV (Rec. 709)",
    "Rec. ITU-R BT.709-5",
    // What ThinkTwice writes into safer copies (`clean::profile`).
    "RGB colour profile",
    "Grey colour profile",
    "CMYK colour profile",
    "Colour profile",
];

/// Copyright lines of those profiles (compared without digits, case or punctuation).
const WELL_KNOWN_COPYRIGHTS: &[&str] = &[
    "Copyright (c) 1998 Hewlett-Packard Company",
    "Copyright Apple Inc., 2017",
    "Copyright 1999 Adobe Systems Incorporated",
    "Copyright 2000 Adobe Systems Incorporated",
    "Copyright 2007 International Color Consortium",
    "Copyright International Color Consortium, 2009",
    "Copyright (c) 2023 Google Inc.",
    "Copyright 2016 Google Inc.",
    // Skia's sRGB: what Chromium writes into every canvas JPEG and WebP (toBlob, screenshots).
    "Google Inc. 2016",
    "no copyright, use freely",
    "No copyright, use freely",
    "Public Domain",
    "FB",
    "CC0",
];

/// Device texts of those profiles.
const WELL_KNOWN_DEVICE_TEXTS: &[&str] =
    &["IEC http://www.iec.ch", "IEC 61966-2.1 Default RGB colour space - sRGB", "lcms generated", "sRGB"];

/// Header values worth showing when the profile is not a well-known one (the
/// four-letter maker codes are left out: they are codes, not words).
const HEADER_TAGS: &[&str] = &["ProfileDateTime"];

pub(super) fn rules(meta: &Metadata, out: &mut Vec<Finding>) {
    let texts: Vec<_> = meta.fields.iter().filter(|f| f.group == "ICC_Profile").collect();
    if texts.is_empty() || texts.iter().all(|f| is_well_known(&f.tag, &f.value)) {
        return;
    }
    let mut f = finding(FindingId::ProfileDetails, Severity::Low, Category::Device);
    for field in texts.iter().filter(|f| !is_well_known(&f.tag, &f.value)) {
        add_field(&mut f, field);
    }
    meta.fields
        .iter()
        .filter(|x| x.group == "ICC-header" && HEADER_TAGS.contains(&x.tag.as_str()))
        .for_each(|x| add_field(&mut f, x));
    out.push(f);
}

fn is_well_known(tag: &str, value: &str) -> bool {
    let list = match tag {
        "ProfileDescription" => WELL_KNOWN_NAMES,
        "ProfileCopyright" => WELL_KNOWN_COPYRIGHTS,
        "DeviceMfgDesc" | "DeviceModelDesc" => WELL_KNOWN_DEVICE_TEXTS,
        _ => return false,
    };
    let key = letters(value);
    list.iter().any(|known| letters(known) == key)
}

/// Lower-case letters only: "Copyright Apple Inc., 2021" → "copyrightappleinc".
/// The well-known texts are ASCII, so only letters whose lower case is ASCII can
/// match: the ASCII ones and the Kelvin sign (its lower case is `k`); other
/// letters stay as they are and match nothing, as with Unicode lower case (whose
/// tables cost the core wasm ~12 KB).
fn letters(s: &str) -> String {
    s.chars().filter(|c| c.is_alphabetic()).map(|c| if c == '\u{212A}' { 'k' } else { c.to_ascii_lowercase() }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(fields: &[(&str, &str)]) -> Metadata {
        let mut m = Metadata::default();
        for (tag, value) in fields {
            m.add("ICC_Profile", tag, *value);
        }
        m.add("ICC-header", "ProfileDateTime", "2021:01:31 23:49:33");
        m
    }

    fn run(m: &Metadata) -> Option<Finding> {
        let mut out = Vec::new();
        rules(m, &mut out);
        out.pop()
    }

    #[test]
    fn well_known_profiles_are_quiet_and_own_ones_are_reported() {
        let quiet = [
            vec![("ProfileDescription", "sRGB"), ("ProfileCopyright", "Google Inc. 2016")],
            vec![("ProfileDescription", "sRGB IEC61966-2.1"), ("ProfileCopyright", "Copyright (c) 1998 Hewlett-Packard Company"),
                 ("DeviceMfgDesc", "IEC http://www.iec.ch")],
            vec![("ProfileDescription", "Display P3"), ("ProfileCopyright", "Copyright Apple Inc., 2022")],
            vec![("ProfileDescription", "RGB colour profile"), ("ProfileCopyright", "No copyright, use freely")],
        ];
        for fields in &quiet {
            assert!(run(&with(fields)).is_none(), "{fields:?}");
        }
        // A Mac's own display profile, and a well-known name with someone's copyright line.
        let mac = run(&with(&[("ProfileDescription", "Asha's iMac"), ("ProfileCopyright", "Copyright Apple Inc., 2021")])).unwrap();
        let shown: Vec<_> = mac.evidence.iter().map(|e| e.value.as_str()).collect();
        assert_eq!(shown, ["Asha's iMac", "2021:01:31 23:49:33"]);
        let named = run(&with(&[("ProfileDescription", "sRGB"), ("ProfileCopyright", "Copyright Asha Rao 9876543210")])).unwrap();
        assert!(named.evidence.iter().any(|e| e.value.contains("Asha Rao")));
    }
}
