//! The report every front end shares (CLI JSON, WebAssembly, the page).
//! Pure data with serde; no rules live here (see `findings`).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    High,
    Medium,
    Low,
    Info,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    Location,
    Identity,
    Device,
    Time,
    Hidden,
    Content,
}

/// One piece of proof: where a value was found and what it says.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    pub source: String,
    pub field: String,
    pub value: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Finding {
    pub id: String,
    pub severity: Severity,
    pub category: Category,
    pub title: String,
    pub why: String,
    pub advice: String,
    pub evidence: Vec<Evidence>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ImageSize {
    pub width: u32,
    pub height: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Location {
    pub lat: f64,
    pub lon: f64,
    pub source: String,
    /// The nearest populated place (GeoNames), when the place table is loaded.
    pub place: Option<PlaceName>,
    /// Roughly how many metres the position may be off.
    pub accuracy_m: Option<f64>,
    /// `house`, `street`, `neighbourhood` or `town`: what the position is exact enough to find.
    pub precision: Option<String>,
    pub altitude_m: Option<f64>,
    pub direction_deg: Option<f64>,
    /// Other sources in the file that give a different position (more than 100 m away).
    pub other_sources: Vec<Position>,
}

/// A coordinate pair and where it was found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Position {
    pub lat: f64,
    pub lon: f64,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlaceName {
    pub name: String,
    pub admin1: String,
    pub country_code: String,
    pub distance_km: f64,
}

/// A face found by the detector, in upright pixels of the original image.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Face {
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
    pub score: f32,
}

/// What a code in the picture holds, judged from its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CodeKind {
    BoardingPass,
    Wifi,
    Payment,
    Contact,
    Phone,
    Email,
    Geo,
    Url,
    Text,
    /// An Aadhaar card's QR code (Secure QR or the older letter QR), or an Aadhaar number.
    Aadhaar,
    /// A PAN (tax card) number.
    Pan,
}

/// A code (QR, Aztec, PDF417, Data Matrix, bar code) read from the pixels,
/// boxed in upright pixels of the original image. The raw text is not kept:
/// `summary` says what it reveals with the sensitive parts partly masked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Code {
    /// `qr`, `aztec`, `pdf417`, `data-matrix`, `code-128`, `ean-13`, ...
    pub format: String,
    pub kind: CodeKind,
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
    pub summary: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Risk {
    High,
    Medium,
    Low,
    None,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Report {
    pub file: String,
    pub format: String,
    pub image: Option<ImageSize>,
    pub risk: Risk,
    pub location: Option<Location>,
    pub findings: Vec<Finding>,
    /// Faces, when the face detector ran; absent when it did not.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub faces: Option<Vec<Face>>,
    /// Codes read from the pixels, when the code reader ran; absent when it did not.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub codes: Option<Vec<Code>>,
    /// What was looked at, so "nothing found" never means "nothing checked".
    pub checked: Vec<String>,
    /// What a file check can never see (the pixels' content, other copies).
    pub not_checked: Vec<String>,
    pub error: Option<String>,
}

impl Report {
    /// The overall risk is the worst severity among the findings.
    pub fn risk_from(findings: &[Finding]) -> Risk {
        match findings.iter().map(|f| f.severity).min() {
            Some(Severity::High) => Risk::High,
            Some(Severity::Medium) => Risk::Medium,
            Some(Severity::Low) => Risk::Low,
            _ => Risk::None,
        }
    }
}
