//! Build step: cuts the shared English catalog (www/i18n/en.json) down to the
//! part the crate reads — every finding's texts, the `checked` and `not_checked`
//! lists, and the page texts under `not_checked.` — and writes it to
//! `$OUT_DIR/en-core.json`, which src/findings/catalog.rs embeds. The page's own
//! texts (two thirds of the file) stayed in every build of the core WebAssembly
//! module, which a phone downloads before its first check, without being read.
//! Must not: change or add any text (the catalog stays the one source), or read
//! anything but en.json.

use std::{env, fs, path::Path};

fn main() {
    let source = Path::new(&env::var("CARGO_MANIFEST_DIR").unwrap()).join("www/i18n/en.json");
    println!("cargo:rerun-if-changed={}", source.display());
    let text = fs::read_to_string(&source).expect("www/i18n/en.json is readable");
    let all: serde_json::Value = serde_json::from_str(&text).expect("www/i18n/en.json is valid JSON");
    let ui: serde_json::Map<String, serde_json::Value> = all["ui"]
        .as_object()
        .expect("en.json has a ui object")
        .iter()
        .filter(|(key, _)| key.starts_with("not_checked."))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let core = serde_json::json!({
        "findings": all["findings"],
        "checked": all["checked"],
        "not_checked": all["not_checked"],
        "ui": ui,
    });
    let out = Path::new(&env::var("OUT_DIR").unwrap()).join("en-core.json");
    fs::write(out, serde_json::to_string(&core).unwrap()).unwrap();
}
