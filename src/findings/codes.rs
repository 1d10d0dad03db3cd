//! The `barcode` finding (or `id-document` for an identity card's code): one per code read from the pixels (QR, Aztec, PDF417,
//! Data Matrix, bar codes), with how much its kind gives away. The reader lives
//! in `crate::codes`; this file only judges its output (the masked summary).

use super::{add_evidence, finding};
use crate::report::{Category, Code, CodeKind, Finding, FindingId, Severity};

/// A name for people: "QR code", "PDF417 code", "bar code".
fn format_label(format: &str) -> &'static str {
    match format {
        "qr" | "micro-qr" => "QR code",
        "aztec" => "Aztec code",
        "pdf417" => "PDF417 code",
        "data-matrix" => "Data Matrix code",
        _ => "Bar code",
    }
}

fn kind_label(kind: CodeKind) -> &'static str {
    match kind {
        CodeKind::BoardingPass => "boarding pass",
        CodeKind::Wifi => "Wi-Fi login",
        CodeKind::Payment => "payment",
        CodeKind::Contact => "contact card",
        CodeKind::Phone => "phone number",
        CodeKind::Email => "e-mail address",
        CodeKind::Geo => "place on the map",
        CodeKind::Url => "web link",
        CodeKind::Text => "text",
        CodeKind::Aadhaar => "Aadhaar card",
        CodeKind::Pan => "PAN card",
    }
}

/// How much a code of this kind gives away.
pub fn severity(kind: CodeKind) -> Severity {
    match kind {
        CodeKind::BoardingPass
        | CodeKind::Wifi
        | CodeKind::Payment
        | CodeKind::Contact
        | CodeKind::Geo
        | CodeKind::Aadhaar
        | CodeKind::Pan => Severity::High,
        CodeKind::Phone | CodeKind::Email => Severity::Medium,
        CodeKind::Url | CodeKind::Text => Severity::Low,
    }
}

/// Whether a code belongs to an identity card (Aadhaar, PAN): such codes get the
/// `id-document` finding and are covered in the safer copy unless the person keeps them.
pub fn is_id_card(kind: CodeKind) -> bool {
    matches!(kind, CodeKind::Aadhaar | CodeKind::Pan)
}

/// One finding per code, ready to merge into a report: `id-document` (identity) for an
/// identity card's code, `barcode` (picture) for any other.
pub fn findings(codes: &[Code]) -> Vec<Finding> {
    codes
        .iter()
        .map(|code| {
            let mut f = if is_id_card(code.kind) {
                finding(FindingId::IdDocument, Severity::High, Category::Identity)
            } else {
                finding(FindingId::Barcode, severity(code.kind), Category::Picture)
            };
            let field = format!("{} ({})", format_label(&code.format), kind_label(code.kind));
            add_evidence(&mut f, "Picture", &field, &code.summary);
            f
        })
        .collect()
}
