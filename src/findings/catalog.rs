//! English texts for every finding id (title, why, advice), written for a
//! 12-year-old. They live in `www/i18n/en.json`, the same catalog the page
//! uses, so there is one source of truth; other languages sit beside it.
//! The crate embeds only the part it reads (cut out by `build.rs`): the
//! findings, the `checked`/`not_checked` lists and the `not_checked.*` page texts.

use crate::report::FindingId;

#[derive(Debug)]
pub struct Texts {
    pub title: &'static str,
    pub why: &'static str,
    pub advice: &'static str,
}

// en.json cut down by `build.rs` to what the crate reads, as constants:
// FINDINGS, CHECKED, NOT_CHECKED and UI.
include!(concat!(env!("OUT_DIR"), "/en_core.rs"));
#[cfg(test)]
const ENGLISH: &str = include_str!("../../www/i18n/en.json");

/// The English texts of a finding id. Every id has an entry (tested).
pub fn texts(id: FindingId) -> Option<&'static Texts> {
    FINDINGS.iter().find(|(key, _)| *key == id.as_str()).map(|(_, t)| t)
}

pub fn checked() -> Vec<String> {
    CHECKED.iter().map(|s| s.to_string()).collect()
}

pub fn not_checked() -> Vec<String> {
    NOT_CHECKED.iter().map(|s| s.to_string()).collect()
}

/// A shared page text by key (English).
pub fn ui(key: &str) -> Option<&'static str> {
    UI.iter().find(|(k, _)| *k == key).map(|(_, text)| *text)
}

/// Every finding id the rules can emit: the one list in [`FindingId::ALL`].
pub const IDS: &[FindingId] = FindingId::ALL;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_id_has_english_and_hindi_texts() {
        let hindi: serde_json::Value =
            serde_json::from_str(include_str!("../../www/i18n/hi.json")).expect("hi.json parses");
        for id in IDS {
            let en = texts(*id).unwrap_or_else(|| panic!("no English texts for {id}"));
            assert!(!en.title.is_empty() && !en.why.is_empty() && !en.advice.is_empty(), "{id}");
            for key in ["title", "why", "advice"] {
                let s = hindi["findings"][id.as_str()][key].as_str().unwrap_or_else(|| panic!("no Hindi {key} for {id}"));
                // Hindi text is written in Devanagari.
                assert!(s.chars().any(|c| ('\u{0900}'..='\u{097F}').contains(&c)), "{id}.{key} is not Hindi");
            }
        }
        assert_eq!(FINDINGS.len(), IDS.len(), "catalog has ids the rules never emit");
        // The constants hold en.json's texts, word for word.
        let english: serde_json::Value = serde_json::from_str(ENGLISH).expect("en.json parses");
        for (id, t) in FINDINGS {
            for (key, text) in [("title", t.title), ("why", t.why), ("advice", t.advice)] {
                assert_eq!(english["findings"][id][key].as_str(), Some(text), "{id}.{key}");
            }
        }
        let list = |key: &str| -> Vec<String> { serde_json::from_value(english[key].clone()).unwrap() };
        assert_eq!((checked(), not_checked()), (list("checked"), list("not_checked")));
        for key in ["not_checked.picture_undecodable", "not_checked.faces_off", "not_checked.codes_off"] {
            assert_eq!(ui(key), english["ui"][key].as_str(), "{key}");
        }
    }

    /// Front ends say an error by its kind's catalog key; every kind has it in English and Hindi.
    #[test]
    fn every_error_kind_has_english_and_hindi_texts() {
        use crate::report::ErrorKind::*;
        let english: serde_json::Value = serde_json::from_str(ENGLISH).expect("en.json parses");
        let hindi: serde_json::Value =
            serde_json::from_str(include_str!("../../www/i18n/hi.json")).expect("hi.json parses");
        for kind in [CouldNotOpen, TooBig, UnknownFormat, Damaged, CopyUnsupported, Picture, BadBox, NotSafe] {
            // The wire name is the serde name; the key is built from it.
            assert_eq!(serde_json::to_value(kind).unwrap(), kind.as_str(), "{kind:?}");
            let key = kind.catalog_key();
            let en = english["ui"][&key].as_str().unwrap_or_else(|| panic!("no English text for {key}"));
            assert!(!en.is_empty(), "{key}");
            let hi = hindi["ui"][&key].as_str().unwrap_or_else(|| panic!("no Hindi text for {key}"));
            assert!(hi.chars().any(|c| ('\u{0900}'..='\u{097F}').contains(&c)), "{key} is not Hindi");
        }
    }
}
