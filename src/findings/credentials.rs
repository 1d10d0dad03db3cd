//! Content Credentials rule: one finding that says a photo carries C2PA manifests
//! (or links to one online), who signed it, whether it says AI made or changed it,
//! and what is inside. It reads `Metadata::credentials` (filled by `meta::c2pa`) and
//! the XMP `dcterms:provenance` link; it never opens that link. Names, places and
//! previews inside a manifest are reported by the usual rules (person-name,
//! gps-location, embedded-thumbnail); this rule only sets its own severity by them.

use super::{add_evidence, finding};
use crate::meta::{c2pa::Manifest, Metadata};
use crate::report::{Category, Finding, FindingId, Severity};

const SOURCE: &str = "Content Credentials";

pub(super) fn rules(meta: &Metadata, out: &mut Vec<Finding>) {
    let names_someone = meta.credentials.iter().any(|m| !m.authors.is_empty() || !m.identities.is_empty());
    let names_place = meta.credentials.iter().any(|m| m.gps.is_some());
    let severity = if names_someone || names_place { Severity::Medium } else { Severity::Low };
    let mut f = finding(FindingId::ContentCredentials, severity, Category::Hidden);
    // The active manifest is the last one; earlier ones describe the pictures it was made from.
    for (i, m) in meta.credentials.iter().rev().enumerate() {
        let source = if i == 0 { SOURCE.to_string() } else { format!("{SOURCE} (earlier version)") };
        describe(m, &source, &mut f);
    }
    // `self#jumbf=…` values point inside a manifest (one that may have been stripped); only web links are links.
    let links = meta.fields.iter().filter(|x| x.tag == "Provenance" && x.group.starts_with("XMP"));
    for link in links.filter(|x| x.value.starts_with("https://") || x.value.starts_with("http://")) {
        add_evidence(&mut f, SOURCE, "Online record link (ThinkTwice does not open it)", &link.value);
    }
    out.push(f);
}

fn describe(m: &Manifest, source: &str, f: &mut Finding) {
    if let Some(signer) = &m.signer {
        add_evidence(f, source, "Signed by", signer);
    }
    if let Some(generator) = &m.generator {
        add_evidence(f, source, "Made with", generator);
    }
    for name in &m.authors {
        add_evidence(f, source, "Author", name);
    }
    for name in &m.identities {
        add_evidence(f, source, "Identity", name);
    }
    for t in &m.source_types {
        add_evidence(f, source, "How the picture was made", ai_words(t));
    }
    if m.gps.is_some() {
        add_evidence(f, source, "Place", "The exact place where the photo was taken (GPS)");
    }
    if m.ingredients > 0 {
        let previews = m.ingredient_thumbnails.len();
        let mut text = format!("Made from {} earlier picture(s)", m.ingredients);
        if previews > 0 {
            text += &format!("; {previews} small preview(s) of them are inside");
        }
        add_evidence(f, source, "Earlier versions", &text);
    }
}

/// Plain words for an IPTC digital source type (the last part of its URI).
pub(crate) fn ai_words(uri: &str) -> &'static str {
    match uri.rsplit('/').next().unwrap_or("") {
        "trainedAlgorithmicMedia" => "Made by AI",
        "compositeWithTrainedAlgorithmicMedia" | "compositeSynthetic" => "Changed with AI (parts made by AI)",
        "algorithmicallyEnhanced" => "Improved by a computer program",
        "algorithmicMedia" => "Made by a computer program (not AI trained on pictures)",
        "digitalCapture" | "digitalCreation" | "computationalCapture" => "Taken with a camera or phone",
        "negativeFilm" | "positiveFilm" | "print" => "A scan of a film or printed photo",
        "minorHumanEdits" | "humanEdits" => "Edited by a person",
        "composite" | "compositeCapture" => "Put together from several pictures",
        "screenCapture" => "A screenshot",
        "virtualRecording" => "A recording of a virtual scene",
        "dataDrivenMedia" => "Made from data",
        _ => "Says how it was made, in a code ThinkTwice does not know",
    }
}
