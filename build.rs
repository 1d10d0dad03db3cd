//! Build step: cuts the shared English catalog (www/i18n/en.json) down to the
//! part the crate reads — every finding's texts, the `checked` and `not_checked`
//! lists, and the page texts under `not_checked.` — and writes it as Rust
//! constants to `$OUT_DIR/en_core.rs`, which src/findings/catalog.rs includes.
//! The page's own texts (two thirds of the file) stayed in every build of the
//! core WebAssembly module, which a phone downloads before its first check,
//! without being read; and as constants the texts need no JSON reading code.
//! Must not: change or add any text (the catalog stays the one source), or read
//! anything but en.json.

use std::{env, fs, path::Path};

fn main() {
    let source = Path::new(&env::var("CARGO_MANIFEST_DIR").unwrap()).join("www/i18n/en.json");
    println!("cargo:rerun-if-changed={}", source.display());
    let text = fs::read_to_string(&source).expect("www/i18n/en.json is readable");
    let all: serde_json::Value = serde_json::from_str(&text).expect("www/i18n/en.json is valid JSON");
    let text_of = |v: &serde_json::Value, what: &str| -> String {
        format!("{:?}", v.as_str().unwrap_or_else(|| panic!("en.json: {what} is not a text")))
    };
    let list = |key: &str| -> String {
        let items = all[key].as_array().unwrap_or_else(|| panic!("en.json has no {key} list"));
        items.iter().map(|v| text_of(v, key) + ",\n").collect()
    };
    let mut out = String::new();
    out += "/// (finding id, its texts), by id.\npub(super) const FINDINGS: &[(&str, Texts)] = &[\n";
    for (id, t) in all["findings"].as_object().expect("en.json has a findings object") {
        out += &format!(
            "({id:?}, Texts {{ title: {}, why: {}, advice: {} }}),\n",
            text_of(&t["title"], id),
            text_of(&t["why"], id),
            text_of(&t["advice"], id)
        );
    }
    out += "];\npub(super) const CHECKED: &[&str] = &[\n";
    out += &list("checked");
    out += "];\npub(super) const NOT_CHECKED: &[&str] = &[\n";
    out += &list("not_checked");
    out += "];\n/// The page texts the core shares: `not_checked.*`.\npub(super) const UI: &[(&str, &str)] = &[\n";
    for (key, v) in all["ui"].as_object().expect("en.json has a ui object") {
        if key.starts_with("not_checked.") {
            out += &format!("({key:?}, {}),\n", text_of(v, key));
        }
    }
    out += "];\n";
    fs::write(Path::new(&env::var("OUT_DIR").unwrap()).join("en_core.rs"), out).unwrap();
}
