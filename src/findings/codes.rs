//! The `barcode` finding: one per code read from the pixels (QR, Aztec, PDF417,
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
    }
}

/// How much a code of this kind gives away.
pub fn severity(kind: CodeKind) -> Severity {
    match kind {
        CodeKind::BoardingPass | CodeKind::Wifi | CodeKind::Payment | CodeKind::Contact | CodeKind::Geo => {
            Severity::High
        }
        CodeKind::Phone | CodeKind::Email => Severity::Medium,
        CodeKind::Url | CodeKind::Text => Severity::Low,
    }
}

/// One `barcode` finding (category content) per code, ready to merge into a report.
pub fn findings(codes: &[Code]) -> Vec<Finding> {
    codes
        .iter()
        .map(|code| {
            let mut f = finding(FindingId::Barcode, severity(code.kind), Category::Content);
            let field = format!("{} ({})", format_label(&code.format), kind_label(code.kind));
            add_evidence(&mut f, "Picture", &field, &code.summary);
            f
        })
        .collect()
}
