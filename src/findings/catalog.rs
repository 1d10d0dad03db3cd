//! English texts for every finding id (title, why, advice), written for a
//! 12-year-old. They live in `www/i18n/en.json`, the same catalog the page
//! uses, so there is one source of truth; other languages sit beside it.
//! The crate embeds only the part it reads (cut out by `build.rs`): the
//! findings, the `checked`/`not_checked` lists and the `not_checked.*` page texts.

use crate::report::FindingId;
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::OnceLock;

#[derive(Debug, Deserialize)]
pub struct Texts {
    pub title: String,
    pub why: String,
    pub advice: String,
}

#[derive(Debug, Deserialize)]
struct Catalog {
    findings: HashMap<String, Texts>,
    checked: Vec<String>,
    not_checked: Vec<String>,
    /// Page texts the core shares with the page: only `not_checked.*` (see `build.rs`).
    ui: HashMap<String, String>,
}

/// en.json cut down by `build.rs` to what the crate reads.
const ENGLISH_CORE: &str = include_str!(concat!(env!("OUT_DIR"), "/en-core.json"));
#[cfg(test)]
const ENGLISH: &str = include_str!("../../www/i18n/en.json");

fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    // The catalog is part of the build; a test proves it parses.
    CATALOG.get_or_init(|| serde_json::from_str(ENGLISH_CORE).expect("www/i18n/en.json is valid"))
}

/// The English texts of a finding id. Every id has an entry (tested).
pub fn texts(id: FindingId) -> Option<&'static Texts> {
    catalog().findings.get(id.as_str())
}

pub fn checked() -> &'static [String] {
    &catalog().checked
}

pub fn not_checked() -> &'static [String] {
    &catalog().not_checked
}

/// A shared page text by key (English), when it is a plain string.
pub fn ui(key: &str) -> Option<&'static str> {
    catalog().ui.get(key).map(String::as_str)
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
        assert_eq!(catalog().findings.len(), IDS.len(), "catalog has ids the rules never emit");
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
