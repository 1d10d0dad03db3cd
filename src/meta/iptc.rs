//! IPTC-IIM reader: the old newsroom records (`0x1C`, record, dataset, length,
//! data) that Photoshop and many cameras still write. Emits group `IPTC` with
//! ExifTool's tag names; repeated datasets (keywords, several bylines) are
//! joined with ", ".
//!
//! It owns decoding of the records and the record 1:90 character set (ESC % G =
//! UTF-8, anything else is read as Latin-1). It must not judge what is risky,
//! and never trusts a length: every read is checked against the data.

use super::Metadata;
use std::collections::HashMap;

/// Most records read from one block (a hostile file cannot make us loop forever).
const MAX_RECORDS: usize = 20_000;

/// Reads one block of IIM records.
pub fn read(data: &[u8], meta: &mut Metadata) {
    let records = parse_records(data, &mut meta.warnings);
    let utf8 = records
        .iter()
        .any(|r| r.record == 1 && r.dataset == 90 && r.data.windows(3).any(|w| w == b"\x1b%G"));
    let mut order: Vec<&'static str> = Vec::new();
    let mut values: HashMap<&'static str, Vec<String>> = HashMap::new();
    for r in &records {
        let Some(tag) = tag_name(r.record, r.dataset) else {
            continue;
        };
        let text = if is_binary_number(r.record, r.dataset) {
            r.data
                .iter()
                .take(4)
                .fold(0u32, |acc, b| acc << 8 | *b as u32)
                .to_string()
        } else if is_date(r.record, r.dataset) {
            format_date(&decode_text(r.data, utf8))
        } else if is_time(r.record, r.dataset) {
            format_time(&decode_text(r.data, utf8))
        } else {
            decode_text(r.data, utf8)
        };
        let list = values.entry(tag).or_insert_with(|| {
            order.push(tag);
            Vec::new()
        });
        // The same value twice (some writers repeat datasets) is reported once.
        if !list.contains(&text) {
            list.push(text);
        }
    }
    for tag in order {
        if let Some(list) = values.remove(tag) {
            let list: Vec<String> = list
                .into_iter()
                .map(|v| v.trim_end_matches(['\0', ' ']).to_string())
                .collect();
            meta.add("IPTC", tag, list.join(", "));
        }
    }
}

/// One IIM dataset, borrowed from the block.
#[derive(Debug)]
struct Record<'a> {
    record: u8,
    dataset: u8,
    data: &'a [u8],
}

fn parse_records<'a>(data: &'a [u8], warnings: &mut Vec<String>) -> Vec<Record<'a>> {
    let mut records = Vec::new();
    let mut pos = 0usize;
    while records.len() < MAX_RECORDS {
        // Writers pad blocks with zeros; anything else that is not a tag marker ends the block.
        match data.get(pos) {
            None => break,
            Some(0) => {
                pos += 1;
                continue;
            }
            Some(0x1C) => {}
            Some(_) => {
                warnings.push("IPTC data has unexpected bytes; the rest was skipped.".into());
                break;
            }
        }
        let Some(header) = data.get(pos..pos + 5) else {
            warnings.push("IPTC data is cut short.".into());
            break;
        };
        let (record, dataset) = (header[1], header[2]);
        let short_len = u16::from_be_bytes([header[3], header[4]]) as usize;
        pos += 5;
        let len = if short_len & 0x8000 != 0 {
            // Extended dataset: the low 15 bits give how many bytes hold the length.
            let count = short_len & 0x7FFF;
            let Some(bytes) = data
                .get(pos..pos.saturating_add(count))
                .filter(|_| count <= 8)
            else {
                warnings.push("IPTC data has a bad extended length.".into());
                break;
            };
            pos += count;
            bytes.iter().fold(0usize, |acc, b| {
                acc.saturating_mul(256).saturating_add(*b as usize)
            })
        } else {
            short_len
        };
        let Some(value) = data.get(pos..pos.saturating_add(len)) else {
            warnings.push("An IPTC record runs past the end of its block.".into());
            break;
        };
        records.push(Record {
            record,
            dataset,
            data: value,
        });
        pos += len;
    }
    records
}

/// Text of a dataset: UTF-8 when the block says so; otherwise UTF-8 when the
/// bytes are valid UTF-8, else Windows-1252/Latin-1 (see `charset`).
fn decode_text(data: &[u8], utf8: bool) -> String {
    if utf8 {
        return String::from_utf8_lossy(data).into_owned();
    }
    super::charset::decode(data)
}

/// Datasets stored as binary integers rather than text (record versions, file format).
fn is_binary_number(record: u8, dataset: u8) -> bool {
    matches!((record, dataset), (1, 0) | (1, 20) | (1, 22) | (2, 0))
}

fn is_date(record: u8, dataset: u8) -> bool {
    matches!(
        (record, dataset),
        (1, 70) | (2, 30) | (2, 37) | (2, 47) | (2, 55) | (2, 62)
    )
}

fn is_time(record: u8, dataset: u8) -> bool {
    matches!(
        (record, dataset),
        (1, 80) | (2, 35) | (2, 38) | (2, 60) | (2, 63)
    )
}

/// `CCYYMMDD` → `CCYY:MM:DD` (ExifTool's form); anything else is kept as written.
fn format_date(raw: &str) -> String {
    let t = raw.trim();
    if t.len() == 8 && t.bytes().all(|b| b.is_ascii_digit()) {
        format!("{}:{}:{}", &t[0..4], &t[4..6], &t[6..8])
    } else {
        t.to_string()
    }
}

/// `HHMMSS±HHMM` → `HH:MM:SS±HH:MM` (ExifTool's form); anything else is kept as written.
fn format_time(raw: &str) -> String {
    let t = raw.trim();
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    match (t.get(0..6), t.get(6..7), t.get(7..11)) {
        (Some(hms), None, None) if digits(hms) => {
            format!("{}:{}:{}", &hms[0..2], &hms[2..4], &hms[4..6])
        }
        (Some(hms), Some(sign @ ("+" | "-")), Some(zone))
            if digits(hms) && digits(zone) && t.len() == 11 =>
        {
            format!(
                "{}:{}:{}{sign}{}:{}",
                &hms[0..2],
                &hms[2..4],
                &hms[4..6],
                &zone[0..2],
                &zone[2..4]
            )
        }
        _ => t.to_string(),
    }
}

/// ExifTool names for the IIM datasets worth reporting.
fn tag_name(record: u8, dataset: u8) -> Option<&'static str> {
    Some(match (record, dataset) {
        (1, 0) => "EnvelopeRecordVersion",
        (1, 5) => "Destination",
        (1, 20) => "FileFormat",
        (1, 22) => "FileVersion",
        (1, 90) => "CodedCharacterSet",
        (2, 0) => "ApplicationRecordVersion",
        (2, 3) => "ObjectTypeReference",
        (2, 4) => "ObjectAttributeReference",
        (2, 5) => "ObjectName",
        (2, 7) => "EditStatus",
        (2, 10) => "Urgency",
        (2, 12) => "SubjectReference",
        (2, 15) => "Category",
        (2, 20) => "SupplementalCategories",
        (2, 22) => "FixtureIdentifier",
        (2, 25) => "Keywords",
        (2, 26) => "ContentLocationCode",
        (2, 27) => "ContentLocationName",
        (2, 30) => "ReleaseDate",
        (2, 35) => "ReleaseTime",
        (2, 37) => "ExpirationDate",
        (2, 38) => "ExpirationTime",
        (2, 40) => "SpecialInstructions",
        (2, 45) => "ReferenceService",
        (2, 47) => "ReferenceDate",
        (2, 50) => "ReferenceNumber",
        (2, 55) => "DateCreated",
        (2, 60) => "TimeCreated",
        (2, 62) => "DigitalCreationDate",
        (2, 63) => "DigitalCreationTime",
        (2, 65) => "OriginatingProgram",
        (2, 70) => "ProgramVersion",
        (2, 75) => "ObjectCycle",
        (2, 80) => "By-line",
        (2, 85) => "By-lineTitle",
        (2, 90) => "City",
        (2, 92) => "Sub-location",
        (2, 95) => "Province-State",
        (2, 100) => "Country-PrimaryLocationCode",
        (2, 101) => "Country-PrimaryLocationName",
        (2, 103) => "OriginalTransmissionReference",
        (2, 105) => "Headline",
        (2, 110) => "Credit",
        (2, 115) => "Source",
        (2, 116) => "CopyrightNotice",
        (2, 118) => "Contact",
        (2, 120) => "Caption-Abstract",
        (2, 121) => "LocalCaption",
        (2, 122) => "Writer-Editor",
        (2, 135) => "LanguageIdentifier",
        (2, 184) => "JobID",
        (2, 187) => "OwnerID",
        (2, 221) => "Prefs",
        (2, 228) => "ClassifyState",
        (2, 230) => "DocumentNotes",
        (2, 231) => "DocumentHistory",
        (2, 232) => "ExifCameraInfo",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Builds one IIM dataset with a short length.
    pub(crate) fn dataset(record: u8, dataset: u8, value: &[u8]) -> Vec<u8> {
        let mut out = vec![0x1C, record, dataset];
        out.extend_from_slice(&(value.len() as u16).to_be_bytes());
        out.extend_from_slice(value);
        out
    }

    fn field<'m>(meta: &'m Metadata, tag: &str) -> Option<&'m str> {
        meta.fields
            .iter()
            .find(|f| f.group == "IPTC" && f.tag == tag)
            .map(|f| f.value.as_str())
    }

    #[test]
    fn reads_names_places_and_joins_keywords() {
        let mut block = dataset(2, 0, &[0, 4]);
        block.extend(dataset(2, 80, b"Ada Lovelace"));
        block.extend(dataset(2, 90, b"London"));
        block.extend(dataset(2, 101, b"United Kingdom"));
        block.extend(dataset(2, 25, b"math"));
        block.extend(dataset(2, 25, b"engines"));
        block.extend(dataset(2, 116, b"(c) Ada  "));
        block.extend(dataset(2, 55, b"20081219"));
        block.extend(dataset(2, 60, b"190611+0100"));
        let mut meta = Metadata::default();
        read(&block, &mut meta);
        assert_eq!(field(&meta, "By-line"), Some("Ada Lovelace"));
        assert_eq!(field(&meta, "City"), Some("London"));
        assert_eq!(
            field(&meta, "Country-PrimaryLocationName"),
            Some("United Kingdom")
        );
        assert_eq!(field(&meta, "Keywords"), Some("math, engines"));
        assert_eq!(field(&meta, "CopyrightNotice"), Some("(c) Ada"));
        assert_eq!(field(&meta, "ApplicationRecordVersion"), Some("4"));
        assert_eq!(field(&meta, "DateCreated"), Some("2008:12:19"));
        assert_eq!(field(&meta, "TimeCreated"), Some("19:06:11+01:00"));
        assert!(meta.warnings.is_empty(), "{:?}", meta.warnings);
    }

    #[test]
    fn charset_selects_utf8_or_latin1() {
        let mut utf8 = dataset(1, 90, b"\x1b%G");
        utf8.extend(dataset(2, 90, "Zürich".as_bytes()));
        let mut meta = Metadata::default();
        read(&utf8, &mut meta);
        assert_eq!(field(&meta, "City"), Some("Zürich"));

        let latin1 = dataset(2, 90, b"Z\xfcrich");
        let mut meta = Metadata::default();
        read(&latin1, &mut meta);
        assert_eq!(field(&meta, "City"), Some("Zürich"));
    }

    #[test]
    fn extended_length_and_truncation_are_safe() {
        let mut block = vec![0x1C, 2, 120, 0x80, 0x02, 0x00, 0x05];
        block.extend_from_slice(b"hello");
        block.extend_from_slice(&[0x1C, 2, 80, 0x7F, 0xFF, b'x']); // runs past the end
        let mut meta = Metadata::default();
        read(&block, &mut meta);
        assert_eq!(field(&meta, "Caption-Abstract"), Some("hello"));
        assert_eq!(meta.warnings.len(), 1);
        // Every prefix of a valid block must read without panicking.
        for n in 0..block.len() {
            read(&block[..n], &mut Metadata::default());
        }
        read(&[0x1C, 2, 120, 0x80, 0x7F], &mut Metadata::default());
    }
}
