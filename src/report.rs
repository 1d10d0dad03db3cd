//! The report every front end shares (CLI JSON, WebAssembly, the page).
//! Pure data with serde; no rules live here (see `findings`).
//!
//! Values that cross the wire as words (finding ids, formats, precision, kept
//! items, error kinds) are enums with serde renames: the JSON is the same as
//! plain strings, and the compiler lists every `match` when one is added.

use serde::{Deserialize, Serialize};

/// Declares [`FindingId`] once: the variants, their wire names and [`FindingId::ALL`]
/// all come from this one list, so no other list of ids can drift from it.
macro_rules! finding_ids {
    ($($(#[$doc:meta])* $variant:ident = $wire:literal,)*) => {
        /// Every finding id the rules can emit (stable; the catalogs key their texts on it).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum FindingId {
            $($(#[$doc])* #[serde(rename = $wire)] $variant,)*
        }

        impl FindingId {
            /// All ids, in catalog order.
            pub const ALL: &'static [FindingId] = &[$(FindingId::$variant,)*];

            /// The id as it appears in JSON and in the catalogs (`gps-location`).
            pub fn as_str(self) -> &'static str {
                match self {
                    $(FindingId::$variant => $wire,)*
                }
            }
        }
    };
}

finding_ids! {
    GpsLocation = "gps-location",
    GpsHidden = "gps-hidden",
    GpsNoFix = "gps-no-fix",
    PlaceName = "place-name",
    PersonName = "person-name",
    ContactInfo = "contact-info",
    TaggedPeople = "tagged-people",
    DeviceSerial = "device-serial",
    DeviceModel = "device-model",
    Software = "software",
    CaptureTime = "capture-time",
    UniqueId = "unique-id",
    EmbeddedThumbnail = "embedded-thumbnail",
    UnreadableData = "unreadable-data",
    ProfileDetails = "profile-details",
    HiddenMedia = "hidden-media",
    Comment = "comment",
    TextData = "text-data",
    FilePath = "file-path",
    MakerNotes = "maker-notes",
    Faces = "faces",
    Barcode = "barcode",
    IdDocument = "id-document",
    ContentCredentials = "content-credentials",
}

impl std::fmt::Display for FindingId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Declares [`Format`] once: each file family with its display name (the wire value),
/// MIME type and usual file name extensions (the first is the one a copy gets).
macro_rules! formats {
    ($($(#[$doc:meta])* $variant:ident = $name:literal, $mime:literal, [$($ext:literal),*],)*) => {
        /// A file family ThinkTwice reads, or `Unknown`. Serialized as its display name (`"WebP"`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum Format {
            $($(#[$doc])* #[serde(rename = $name)] $variant,)*
        }

        impl Format {
            /// Every format, `Unknown` last.
            pub const ALL: &'static [Format] = &[$(Format::$variant,)*];

            /// The name people know it by ("JPEG", "WebP"); also the JSON value.
            pub fn name(self) -> &'static str {
                match self {
                    $(Format::$variant => $name,)*
                }
            }

            /// The MIME type, for a download or a share ("" for `Unknown`).
            pub fn mime(self) -> &'static str {
                match self {
                    $(Format::$variant => $mime,)*
                }
            }

            /// The usual extensions, without the dot; the first is the one a copy is given.
            pub fn extensions(self) -> &'static [&'static str] {
                match self {
                    $(Format::$variant => &[$($ext),*],)*
                }
            }
        }
    };
}

formats! {
    Jpeg = "JPEG", "image/jpeg", ["jpg", "jpeg", "jpe", "mpo"],
    Png = "PNG", "image/png", ["png"],
    Webp = "WebP", "image/webp", ["webp"],
    Gif = "GIF", "image/gif", ["gif"],
    Tiff = "TIFF", "image/tiff", ["tif", "tiff"],
    /// Camera raw in a TIFF container.
    Dng = "DNG", "image/x-adobe-dng", ["dng"],
    Heic = "HEIC", "image/heic", ["heic", "hif"],
    Heif = "HEIF", "image/heif", ["heif", "hif"],
    Avif = "AVIF", "image/avif", ["avif"],
    /// Not a photo format ThinkTwice reads.
    Unknown = "unknown", "", [],
}

impl Format {
    /// The extension a file of this format is saved with (`jpg`), when it is a known format.
    pub fn extension(self) -> Option<&'static str> {
        self.extensions().first().copied()
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// What a file picker should offer (`<input accept="…">`): `image/*` (which shows the camera
/// and gallery on phones) plus the extensions of every format the core reads, so HEIC, TIFF and
/// DNG show up on desktops too. Nothing the core would refuse is offered.
pub fn accept_list() -> String {
    let mut items = vec!["image/*".to_string()];
    for ext in Format::ALL.iter().flat_map(|f| f.extensions()) {
        let item = format!(".{ext}");
        if !items.contains(&item) {
            items.push(item);
        }
    }
    items.join(",")
}

/// What a recorded position is exact enough to find (see `geo::describe_precision`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    /// ≤ 50 m: enough to find a house.
    House,
    /// ≤ 500 m: enough to find the street.
    Street,
    /// ≤ 3 km: the neighbourhood.
    Neighbourhood,
    /// Anything coarser: only the town or area.
    Town,
}

/// Something a safer copy kept on purpose: a finding the person chose to keep, or a plain
/// part that makes the picture look the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kept {
    /// The date and time taken (`keep_date`).
    CaptureTime,
    /// A rough, town-only location (`town_only`).
    GpsLocation,
    /// The photographer's name and copyright (`keep_author`).
    PersonName,
    /// Which way up the photo is shown.
    Orientation,
    /// The colour profile.
    ColourProfile,
    /// A raw (DNG) file shared as the camera's own finished JPEG.
    CameraPreview,
}

impl Kept {
    /// The finding this item is, when it is one.
    pub fn finding(self) -> Option<FindingId> {
        match self {
            Kept::CaptureTime => Some(FindingId::CaptureTime),
            Kept::GpsLocation => Some(FindingId::GpsLocation),
            Kept::PersonName => Some(FindingId::PersonName),
            Kept::Orientation | Kept::ColourProfile | Kept::CameraPreview => None,
        }
    }

    /// The wire name (`colour-profile`).
    pub fn as_str(self) -> &'static str {
        match self {
            Kept::CaptureTime => "capture-time",
            Kept::GpsLocation => "gps-location",
            Kept::PersonName => "person-name",
            Kept::Orientation => "orientation",
            Kept::ColourProfile => "colour-profile",
            Kept::CameraPreview => "camera-preview",
        }
    }
}

impl std::fmt::Display for Kept {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a file could not be checked or copied, as a kind every front end can put in the
/// user's language (catalog key [`ErrorKind::catalog_key`]); the English sentence travels beside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ErrorKind {
    /// The file could not be opened (CLI: missing, no permission).
    CouldNotOpen,
    /// Larger than the core agrees to look at.
    TooBig,
    /// Not a photo format the core reads.
    UnknownFormat,
    /// A known format, but its structure cannot be read.
    Damaged,
    /// A safer copy of this format cannot be made (yet).
    CopyUnsupported,
    /// The pixels could not be decoded or encoded again.
    Picture,
    /// An area to cover lies outside the picture.
    BadBox,
    /// The copy still gave something away, so it is not offered.
    NotSafe,
}

impl ErrorKind {
    /// The wire name (`too-big`).
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::CouldNotOpen => "could-not-open",
            ErrorKind::TooBig => "too-big",
            ErrorKind::UnknownFormat => "unknown-format",
            ErrorKind::Damaged => "damaged",
            ErrorKind::CopyUnsupported => "copy-unsupported",
            ErrorKind::Picture => "picture",
            ErrorKind::BadBox => "bad-box",
            ErrorKind::NotSafe => "not-safe",
        }
    }

    /// The key of its sentence in the `ui` section of every catalog (`error.too-big`).
    pub fn catalog_key(self) -> String {
        format!("error.{}", self.as_str())
    }
}

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
    pub id: FindingId,
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
    pub precision: Option<Precision>,
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

impl CodeKind {
    /// Every kind, for readers that match the wire word by hand (the core wasm's `withCodes`).
    pub const ALL: [CodeKind; 11] = [
        CodeKind::BoardingPass, CodeKind::Wifi, CodeKind::Payment, CodeKind::Contact, CodeKind::Phone,
        CodeKind::Email, CodeKind::Geo, CodeKind::Url, CodeKind::Text, CodeKind::Aadhaar, CodeKind::Pan,
    ];
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
    pub format: Format,
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
    /// Why the file could not be checked, in English (for the CLI and logs).
    pub error: Option<String>,
    /// The same reason as a kind, for front ends that say it in the user's language.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub error_kind: Option<ErrorKind>,
}

impl Report {
    /// The overall risk of these findings (the rule lives in `findings::risk`).
    pub fn risk_from(findings: &[Finding]) -> Risk {
        crate::findings::risk::risk_of(findings)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_words_are_the_old_strings() {
        assert_eq!(serde_json::to_string(&FindingId::GpsLocation).unwrap(), "\"gps-location\"");
        assert_eq!(serde_json::to_string(&Format::Webp).unwrap(), "\"WebP\"");
        assert_eq!(serde_json::from_str::<Format>("\"unknown\"").unwrap(), Format::Unknown);
        assert_eq!(serde_json::to_string(&Kept::ColourProfile).unwrap(), "\"colour-profile\"");
        for id in FindingId::ALL {
            assert_eq!(serde_json::to_value(id).unwrap(), id.as_str());
        }
        for k in [Kept::CaptureTime, Kept::GpsLocation, Kept::PersonName, Kept::Orientation, Kept::ColourProfile, Kept::CameraPreview] {
            assert_eq!(serde_json::to_value(k).unwrap(), k.as_str());
            // A kept finding is named by its finding id.
            if let Some(id) = k.finding() {
                assert_eq!(id.as_str(), k.as_str());
            }
        }
    }

    #[test]
    fn accept_list_offers_only_what_the_core_reads() {
        let accept = accept_list();
        assert!(accept.starts_with("image/*,"));
        for ext in [".jpg", ".png", ".webp", ".gif", ".tif", ".dng", ".heic", ".heif", ".avif", ".mpo"] {
            assert!(accept.split(',').any(|a| a == ext), "{ext} missing from {accept}");
        }
        for refused in [".jxl", ".jp2", ".psd"] {
            assert!(!accept.contains(refused), "{refused} offered but refused by the core");
        }
        assert_eq!(Format::Jpeg.extension(), Some("jpg"));
        assert_eq!(Format::Heic.mime(), "image/heic");
        assert_eq!(Format::Unknown.extension(), None);
    }
}
