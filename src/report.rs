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
    /// Seen in the picture itself (faces, codes), not stored in the file: a
    /// report whose findings are all `picture` has a clean file.
    Picture,
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
    /// The position is within the place's usual extent: say "in or near", not a distance
    /// (the rule is `geo::is_in_or_near`; front ends only follow it).
    #[serde(default)]
    pub in_or_near: bool,
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
    /// Nothing in the file gives anyone away, but people can be recognised (see `findings::risk`).
    People,
    Medium,
    Low,
    None,
}

/// How many people the face detector counted. `at_least` is true when several of the faces are
/// tiny or uncertain: faces like those are the ones a detector misses, so the photo probably
/// shows more people and the count is only a lower bound ("at least 12 people").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct People {
    pub count: usize,
    pub at_least: bool,
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
    /// The people count told to the user (with `faces`): how many, and whether "at least".
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub people: Option<People>,
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
    /// The overall risk of these findings (the rule lives in `findings::risk`).
    pub fn risk_from(findings: &[Finding]) -> Risk {
        crate::findings::risk::risk_of(findings)
    }
}
