//! Every language catalog (www/i18n/<code>.json, listed in languages.json) has
//! every text the English one has, no text English lacks, the same
//! {placeholders} in each, and lists of the same length (the page matches
//! `checked` / `not_checked` items by position). A missing key would show the
//! English text or the bare key to a Hindi reader; a lost {n} would hide a number.

use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;

fn load(name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("www/i18n").join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The {names} in a text.
fn placeholders(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) if after[..close].chars().all(|c| c.is_ascii_alphanumeric() || c == '_') && close > 0 => {
                out.insert(after[..close].to_string());
                rest = &after[close + 1..];
            }
            _ => rest = after,
        }
    }
    out
}

/// Compares `other` with `english` at `path`, pushing every difference into `problems`.
fn compare(path: &str, english: &Value, other: &Value, problems: &mut Vec<String>) {
    match (english, other) {
        (Value::Object(en), Value::Object(ot)) => {
            for (key, value) in en {
                match ot.get(key) {
                    Some(o) => compare(&format!("{path}.{key}"), value, o, problems),
                    None => problems.push(format!("{path}.{key}: missing")),
                }
            }
            for key in ot.keys().filter(|k| !en.contains_key(*k)) {
                problems.push(format!("{path}.{key}: not in English (a stale key?)"));
            }
        }
        (Value::Array(en), Value::Array(ot)) => {
            if en.len() != ot.len() {
                problems.push(format!("{path}: {} items in English, {} here", en.len(), ot.len()));
            }
            for (i, (e, o)) in en.iter().zip(ot).enumerate() {
                compare(&format!("{path}[{i}]"), e, o, problems);
            }
        }
        (Value::String(en), Value::String(ot)) => {
            if ot.trim().is_empty() {
                problems.push(format!("{path}: empty"));
            }
            let (a, b) = (placeholders(en), placeholders(ot));
            if a != b {
                problems.push(format!("{path}: placeholders {a:?} in English, {b:?} here"));
            }
        }
        _ => problems.push(format!("{path}: a different kind of value than in English")),
    }
}

#[test]
fn every_catalog_has_every_english_text_with_the_same_placeholders() {
    let codes: Vec<String> = serde_json::from_value(load("languages.json")).expect("languages.json is a list of codes");
    assert!(codes.iter().any(|c| c == "en") && codes.len() >= 2, "languages: {codes:?}");
    let english = load("en.json");
    let mut problems = Vec::new();
    for code in codes.iter().filter(|c| *c != "en") {
        let other = load(&format!("{code}.json"));
        let mut mine = Vec::new();
        // `language` is each catalog's own name: it differs on purpose, but must be there.
        compare(code, &english, &other, &mut mine);
        problems.extend(mine.into_iter().filter(|p| !p.starts_with(&format!("{code}.language:"))));
    }
    assert!(problems.is_empty(), "catalogs differ from English:\n{}", problems.join("\n"));
}

#[test]
fn plural_texts_come_in_pairs_and_carry_n() {
    let english = load("en.json");
    let ui = english["ui"].as_object().expect("ui texts");
    for (key, value) in ui {
        if let Some(base) = key.strip_suffix("_other") {
            assert!(ui.contains_key(&format!("{base}_one")), "{key} has no _one form");
            assert!(placeholders(value.as_str().unwrap_or("")).contains("n"), "{key} does not say {{n}}");
        }
        if let Some(base) = key.strip_suffix("_one") {
            assert!(ui.contains_key(&format!("{base}_other")), "{key} has no _other form");
        }
    }
}

#[test]
fn the_checker_finds_a_missing_key_and_a_lost_placeholder() {
    // The comparison itself must be able to fail.
    let en: Value = serde_json::json!({"ui": {"a": "{n} photos", "b": "x"}, "list": ["1", "2"]});
    let broken: Value = serde_json::json!({"ui": {"a": "photos"}, "list": ["1"]});
    let mut problems = Vec::new();
    compare("xx", &en, &broken, &mut problems);
    assert_eq!(problems.len(), 3, "{problems:?}");
}
