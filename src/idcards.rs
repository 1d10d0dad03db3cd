//! Indian identity documents in text: an Aadhaar card's codes (the Secure QR of
//! 2018 and V2, the older printed-letter XML QR), a bare Aadhaar number and a
//! PAN, wherever text is read (a code in the picture, a comment, a caption).
//!
//! It owns recognising them and listing *what kinds of facts* they hold, masked
//! the way UIDAI's masked Aadhaar is: only the last 4 digits of a number may
//! ever leave this module. It must not return a name, birth date, address, PIN
//! code or full number, and it never checks anything online (no network): the
//! Secure QR's signature is not verified, so a forged or broken signature can
//! never hide the warning.
//!
//! Formats: `../shared/corpus/ids/README.md` (UIDAI Secure QR specification).

use verhoeff::Verhoeff;

/// Which card the text comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdKind {
    Aadhaar,
    Pan,
}

/// Where the card's details were read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdSource {
    /// The signed, compressed QR on cards and e-Aadhaar since 2018 (`version` 1 or 2).
    SecureQr { version: u8 },
    /// The older printed-letter QR: plain XML with the full number.
    LetterQr,
    /// A number written as text.
    Number,
}

/// Facts a stranger could learn from the card, without their values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum IdFact {
    FullNumber,
    Name,
    BirthDate,
    Gender,
    Address,
    PinCode,
    Photo,
    MobileEnding,
    ContactFingerprint,
}

impl IdFact {
    /// Words for the summary ("name, date of birth, home address").
    fn words(self) -> &'static str {
        match self {
            IdFact::FullNumber => "the full 12-digit number",
            IdFact::Name => "name",
            IdFact::BirthDate => "date of birth",
            IdFact::Gender => "gender",
            IdFact::Address => "home address",
            IdFact::PinCode => "PIN code",
            IdFact::Photo => "photo",
            IdFact::MobileEnding => "last digits of the mobile number",
            IdFact::ContactFingerprint => "a check code for the mobile number or e-mail",
        }
    }
}

/// One identity document found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdDocument {
    pub kind: IdKind,
    pub source: IdSource,
    /// The last 4 characters of the number (UIDAI's masked form shows only these).
    pub last4: String,
    /// What the card gives away, in a fixed order.
    pub facts: Vec<IdFact>,
}

impl IdDocument {
    /// A masked one-line summary, e.g. "Aadhaar card ending 2697: name, date of
    /// birth, gender, home address, PIN code and photo inside".
    pub fn summary(&self) -> String {
        let what = match (self.kind, self.source) {
            (IdKind::Aadhaar, IdSource::Number) => "Aadhaar number",
            (IdKind::Aadhaar, _) => "Aadhaar card",
            (IdKind::Pan, _) => "PAN (tax card) number",
        };
        let facts: Vec<&str> = self.facts.iter().map(|f| f.words()).collect();
        match facts.split_last() {
            None => format!("{what} ending {}", self.last4),
            Some((last, [])) => format!("{what} ending {}: {last} inside", self.last4),
            Some((last, rest)) => format!("{what} ending {}: {} and {last} inside", self.last4, rest.join(", ")),
        }
    }
}

/// A code's whole text, when it is an Aadhaar card's QR (Secure or letter).
/// Anything else, however long or numeric, gives `None`.
pub fn from_code_text(text: &str) -> Option<IdDocument> {
    let text = text.trim();
    secure_qr(text).or_else(|| letter_qr(text))
}

/// Aadhaar numbers and PANs written anywhere in a text (a comment, a caption,
/// a code's text), each at most once.
pub fn find_in_text(text: &str) -> Vec<IdDocument> {
    let mut found: Vec<IdDocument> = Vec::new();
    for (_, doc) in numbers_in(text) {
        if !found.iter().any(|d| d.kind == doc.kind && d.last4 == doc.last4) {
            found.push(doc);
        }
    }
    found
}

/// The text with every Aadhaar number and PAN masked but its last 4 characters
/// ("•••• •••• 2697"), for any value a report shows. Other text is unchanged.
pub fn mask_in_text(text: &str) -> std::borrow::Cow<'_, str> {
    let spans = numbers_in(text);
    if spans.is_empty() {
        return text.into();
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut at = 0;
    for (span, _) in spans {
        if span.start < at {
            continue;
        }
        out.push_str(&text[at..span.start]);
        let kept_from = span.end - 4;
        for c in text[span.start..kept_from].chars() {
            out.push(if c.is_ascii_alphanumeric() { '•' } else { c });
        }
        out.push_str(&text[kept_from..span.end]);
        at = span.end;
    }
    out.push_str(&text[at..]);
    out.into()
}

/// Every Aadhaar number and PAN in a text with its byte range, in text order.
fn numbers_in(text: &str) -> Vec<(std::ops::Range<usize>, IdDocument)> {
    let mut all = aadhaar_numbers(text);
    all.extend(pans(text));
    crate::sort::by_key(&mut all, |(span, _)| span.start as u64);
    all
}

// ------------------------------------------------------------- Secure QR

/// The QR text is a base-10 integer; a Secure QR is well over 1,000 digits.
/// A QR code holds at most 7,089 digits, so longer text is not one.
const SECURE_QR_DIGITS: std::ops::RangeInclusive<usize> = 200..=7_089;
/// Decompressed payloads are a few kilobytes (text fields, a small JPEG 2000 photo).
const MAX_PAYLOAD: usize = 64 * 1024;
/// Text fields before the photo: indicator, reference id, name, birth date, gender,
/// care of, district, landmark, house, location, PIN code, post office, state, street,
/// sub-district, VTC (V2 adds the mobile number's last 4 digits).
const TEXT_FIELDS_V1: usize = 16;

fn secure_qr(text: &str) -> Option<IdDocument> {
    if !SECURE_QR_DIGITS.contains(&text.len()) || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let compressed = decimal_to_bytes(text);
    let payload = inflate_gzip_or_zlib(&compressed)?;
    let fields: Vec<&[u8]> = payload.split(|&b| b == 0xFF).collect();
    let (version, fields) = match fields.first() {
        Some(&b"V2") => (2, &fields[1..]),
        _ => (1, &fields[..]),
    };
    let text_fields = if version == 2 { TEXT_FIELDS_V1 + 1 } else { TEXT_FIELDS_V1 };
    if fields.len() <= text_fields {
        return None;
    }
    // Field 0: which of mobile / e-mail hashes follow (0 to 3); field 1: the reference id,
    // the number's last 4 digits followed by a timestamp.
    let indicator = fields[0];
    let reference = fields[1];
    let valid = matches!(indicator, b"0" | b"1" | b"2" | b"3")
        && reference.len() >= 4
        && reference.iter().all(u8::is_ascii_digit)
        && !fields[2].is_empty();
    if !valid {
        return None;
    }
    let present = |i: usize| fields.get(i).is_some_and(|f| !f.is_empty());
    let mut facts = vec![IdFact::Name];
    if present(3) {
        facts.push(IdFact::BirthDate);
    }
    if present(4) {
        facts.push(IdFact::Gender);
    }
    // Care of, district, landmark, house, location, post office, state, street, sub-district, VTC.
    if [5, 6, 7, 8, 9, 11, 12, 13, 14, 15].into_iter().any(present) {
        facts.push(IdFact::Address);
    }
    if present(10) {
        facts.push(IdFact::PinCode);
    }
    // The photo (JPEG 2000 codestream, FF 4F FF 51) follows the text fields.
    let rest_starts = fields[..text_fields].iter().map(|f| f.len() + 1).sum::<usize>();
    let offset = if version == 2 { 3 } else { 0 };
    if payload.get(offset + rest_starts..).is_some_and(|rest| contains(rest, &[0xFF, 0x4F, 0xFF, 0x51])) {
        facts.push(IdFact::Photo);
    }
    if version == 2 && present(TEXT_FIELDS_V1) {
        facts.push(IdFact::MobileEnding);
    }
    if indicator != b"0" {
        facts.push(IdFact::ContactFingerprint);
    }
    let last4 = String::from_utf8_lossy(&reference[..4]).into_owned();
    Some(IdDocument { kind: IdKind::Aadhaar, source: IdSource::SecureQr { version }, last4, facts })
}

/// Big-endian bytes of a decimal number (leading zero bytes dropped). Digits are taken
/// 9 at a time into base-10⁹ arithmetic over 32-bit limbs: quadratic, a few ms for 7,089 digits.
fn decimal_to_bytes(digits: &str) -> Vec<u8> {
    let mut limbs: Vec<u32> = Vec::new(); // little-endian base 2³²
    for chunk in digits.as_bytes().chunks(9) {
        let (mut mul, mut add) = (1u64, 0u64);
        for &d in chunk {
            mul *= 10;
            add = add * 10 + u64::from(d - b'0');
        }
        let mut carry = add;
        for limb in &mut limbs {
            let v = u64::from(*limb) * mul + carry;
            *limb = v as u32;
            carry = v >> 32;
        }
        if carry > 0 {
            limbs.push(carry as u32);
        }
    }
    let bytes: Vec<u8> = limbs.iter().rev().flat_map(|l| l.to_be_bytes()).collect();
    let first = bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len());
    bytes[first..].to_vec()
}

/// A gzip member (the 2018 sample) or a zlib stream (later issuers), inflated
/// with a hard output cap. Anything else gives `None`.
fn inflate_gzip_or_zlib(data: &[u8]) -> Option<Vec<u8>> {
    use miniz_oxide::inflate::{decompress_to_vec_with_limit, decompress_to_vec_zlib_with_limit};
    if data.starts_with(&[0x1F, 0x8B, 0x08]) {
        let flags = *data.get(3)?;
        let mut at = 10usize;
        if flags & 0x04 != 0 {
            let extra = usize::from(u16::from_le_bytes([*data.get(at)?, *data.get(at + 1)?]));
            at += 2 + extra;
        }
        for bit in [0x08, 0x10] {
            // File name, comment: zero-terminated.
            if flags & bit != 0 {
                at += data.get(at..)?.iter().position(|&b| b == 0)? + 1;
            }
        }
        if flags & 0x02 != 0 {
            at += 2;
        }
        return decompress_to_vec_with_limit(data.get(at..)?, MAX_PAYLOAD).ok();
    }
    let zlib_header = data.len() > 2 && data[0] & 0x0F == 8 && (u16::from(data[0]) << 8 | u16::from(data[1])) % 31 == 0;
    if zlib_header {
        return decompress_to_vec_zlib_with_limit(data, MAX_PAYLOAD).ok();
    }
    None
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

// ------------------------------------------------------------- letter QR

/// `<PrintLetterBarcodeData uid="…" name="…" …/>`: the full number in plain text.
fn letter_qr(text: &str) -> Option<IdDocument> {
    use quick_xml::events::Event;
    if !text.contains("PrintLetterBarcodeData") {
        return None;
    }
    let mut reader = quick_xml::Reader::from_str(text);
    loop {
        match reader.read_event().ok()? {
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == b"PrintLetterBarcodeData" => {
                let mut attrs = std::collections::HashMap::new();
                for a in e.attributes().flatten() {
                    let value = a.unescape_value().map(|v| v.trim().to_string()).unwrap_or_default();
                    attrs.insert(String::from_utf8_lossy(a.key.as_ref()).into_owned(), value);
                }
                let uid: String = attrs.get("uid")?.chars().filter(|c| !c.is_whitespace()).collect();
                if uid.len() != 12 || !uid.bytes().all(|b| b.is_ascii_digit()) {
                    return None;
                }
                let has = |keys: &[&str]| keys.iter().any(|k| attrs.get(*k).is_some_and(|v| !v.is_empty()));
                let mut facts = vec![IdFact::FullNumber];
                for (fact, keys) in [
                    (IdFact::Name, &["name"][..]),
                    (IdFact::BirthDate, &["dob", "yob"][..]),
                    (IdFact::Gender, &["gender"][..]),
                    (IdFact::Address, &["co", "house", "street", "lm", "loc", "vtc", "po", "dist", "subdist", "state"][..]),
                    (IdFact::PinCode, &["pc"][..]),
                ] {
                    if has(keys) {
                        facts.push(fact);
                    }
                }
                return Some(IdDocument { kind: IdKind::Aadhaar, source: IdSource::LetterQr, last4: uid[8..].to_string(), facts });
            }
            Event::Eof => return None,
            _ => {}
        }
    }
}

// ------------------------------------------------------------- numbers in text

/// 12-digit Aadhaar numbers: first digit 2–9, Verhoeff check digit, written
/// as 12 digits or 4-4-4 with single spaces or hyphens, not part of a longer number.
/// One in ten 12-digit numbers passes the check by chance, so an Indian mobile
/// number written with its country code (91 then 6–9, or after a '+') counts only
/// when the text also says Aadhaar or UID.
fn aadhaar_numbers(text: &str) -> Vec<(std::ops::Range<usize>, IdDocument)> {
    let lower = text.to_ascii_lowercase();
    let says_aadhaar = ["aadhaar", "aadhar", "uidai", "uid"].iter().any(|w| lower.contains(w));
    let b = text.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let starts_run = b[i].is_ascii_digit() && (i == 0 || !b[i - 1].is_ascii_digit());
        if !starts_run {
            i += 1;
            continue;
        }
        if let Some((digits, end)) = twelve_digits(b, i) {
            let bounded = end == b.len() || !b[end].is_ascii_digit();
            let phone_like = (i > 0 && b[i - 1] == b'+') || (digits.starts_with(b"91") && (b'6'..=b'9').contains(&digits[2]));
            let valid = bounded
                && (b'2'..=b'9').contains(&digits[0])
                && digits.as_slice().validate_verhoeff_check_digit_ascii()
                && (!phone_like || says_aadhaar);
            if valid {
                let last4 = String::from_utf8_lossy(&digits[8..]).into_owned();
                let doc = IdDocument { kind: IdKind::Aadhaar, source: IdSource::Number, last4, facts: Vec::new() };
                found.push((i..end, doc));
            }
        }
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
    }
    found
}

/// 12 digits from `at`: contiguous, or three groups of 4 with one space or hyphen between.
fn twelve_digits(b: &[u8], at: usize) -> Option<(Vec<u8>, usize)> {
    let run = |from: usize| b[from..].iter().take_while(|c| c.is_ascii_digit()).count();
    if run(at) == 12 {
        return Some((b[at..at + 12].to_vec(), at + 12));
    }
    if run(at) != 4 {
        return None;
    }
    let sep = *b.get(at + 4)?;
    if sep != b' ' && sep != b'-' {
        return None;
    }
    let (g2, g3) = (at + 5, at + 10);
    if b.len() < g3 + 4 || run(g2) != 4 || b[g2 + 4] != sep || run(g3) != 4 {
        return None;
    }
    let digits = [&b[at..at + 4], &b[g2..g2 + 4], &b[g3..g3 + 4]].concat();
    Some((digits, g3 + 4))
}

trait AsciiVerhoeff {
    fn validate_verhoeff_check_digit_ascii(&self) -> bool;
}

impl AsciiVerhoeff for [u8] {
    /// The crate checks a `str` of ASCII digits; these bytes are ASCII digits already.
    fn validate_verhoeff_check_digit_ascii(&self) -> bool {
        std::str::from_utf8(self).is_ok_and(|s| s.validate_verhoeff_check_digit())
    }
}

/// The 4th letter of a PAN says who holds it (P person, C company, H family, F firm,
/// A association, T trust, B body, L local authority, J artificial person, G government).
const PAN_HOLDER: &[u8] = b"PCHFATBLJG";

/// PANs: `[A-Z]{5}[0-9]{4}[A-Z]` standing alone (not inside a longer word or number).
fn pans(text: &str) -> Vec<(std::ops::Range<usize>, IdDocument)> {
    let b = text.as_bytes();
    let mut found = Vec::new();
    for start in 0..b.len().saturating_sub(9) {
        let w = &b[start..start + 10];
        let shape = w[..5].iter().all(u8::is_ascii_uppercase)
            && w[5..9].iter().all(u8::is_ascii_digit)
            && w[9].is_ascii_uppercase()
            && PAN_HOLDER.contains(&w[3]);
        let alone = (start == 0 || !b[start - 1].is_ascii_alphanumeric())
            && b.get(start + 10).is_none_or(|c| !c.is_ascii_alphanumeric());
        if shape && alone {
            let last4 = String::from_utf8_lossy(&w[6..]).into_owned();
            let doc = IdDocument { kind: IdKind::Pan, source: IdSource::Number, last4, facts: Vec::new() };
            found.push((start..start + 10, doc));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Appends the Verhoeff check digit to 11 digits.
    fn with_check(first11: &str) -> String {
        format!("{first11}{}", first11.calculate_verhoeff_check_digit())
    }

    #[test]
    fn decimal_to_bytes_matches_known_values() {
        assert_eq!(decimal_to_bytes("0"), Vec::<u8>::new());
        assert_eq!(decimal_to_bytes("255"), vec![0xFF]);
        assert_eq!(decimal_to_bytes("65536"), vec![1, 0, 0]);
        // 2^64 + 1, across several 9-digit chunks.
        assert_eq!(decimal_to_bytes("18446744073709551617"), vec![1, 0, 0, 0, 0, 0, 0, 0, 1]);
    }

    #[test]
    fn numbers_need_the_check_digit_the_first_digit_and_a_boundary() {
        let good = with_check("23456789012");
        let docs = find_in_text(&format!("my number {good} ok"));
        assert_eq!(docs.len(), 1, "{docs:?}");
        assert_eq!(docs[0].last4, good[8..]);
        assert!(!docs[0].summary().contains(&good[..8]));
        // Grouped as printed on the card.
        let grouped = format!("{} {} {}", &good[..4], &good[4..8], &good[8..]);
        assert_eq!(find_in_text(&grouped).len(), 1);
        // A wrong check digit, a leading 0 or 1, or a longer number is not Aadhaar.
        let last = good.as_bytes()[11] - b'0';
        let wrong = format!("{}{}", &good[..11], (last + 1) % 10);
        assert!(find_in_text(&wrong).is_empty());
        let leading_one = with_check("13456789012");
        assert!(find_in_text(&leading_one).is_empty());
        assert!(find_in_text(&format!("9{good}")).is_empty());
    }

    #[test]
    fn masking_keeps_only_the_last_four() {
        let good = with_check("23456789012");
        let grouped = format!("{} {} {}", &good[..4], &good[4..8], &good[8..]);
        let text = format!("Aadhaar {grouped}, PAN ABCPE1234F, call 98765 43210");
        let masked = mask_in_text(&text);
        assert_eq!(masked, format!("Aadhaar •••• •••• {}, PAN ••••••234F, call 98765 43210", &good[8..]));
        assert_eq!(mask_in_text("nothing here 12345"), "nothing here 12345");
    }

    #[test]
    fn a_mobile_number_with_country_code_is_not_aadhaar_unless_the_text_says_so() {
        // Find a 91-prefixed mobile number that passes the check digit by chance.
        let number = (0..10).map(|d| with_check(&format!("9198765432{d}"))).next().unwrap();
        assert!(find_in_text(&format!("call {number}")).is_empty());
        assert!(find_in_text(&format!("call +{number}")).is_empty());
        assert_eq!(find_in_text(&format!("my aadhaar {number}")).len(), 1);
    }

    #[test]
    fn pans_are_found_alone_and_masked() {
        let docs = find_in_text("PAN: ABCPE1234F.");
        assert_eq!(docs.len(), 1);
        assert_eq!(docs[0].kind, IdKind::Pan);
        assert_eq!(docs[0].summary(), "PAN (tax card) number ending 234F");
        assert!(find_in_text("XABCPE1234F").is_empty(), "inside a longer word");
        assert!(find_in_text("ABCXE1234F").is_empty(), "X is not a holder type");
    }

    #[test]
    fn letter_qr_masks_the_number() {
        let uid = with_check("34567890123");
        let xml = format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><PrintLetterBarcodeData uid="{uid}" name="Asha Verma" gender="F" yob="1990" co="D/O Ram Verma" house="12" street="MG Road" vtc="Indore" dist="Indore" state="Madhya Pradesh" pc="452001"/>"#
        );
        let doc = from_code_text(&xml).expect("letter QR");
        assert_eq!(doc.source, IdSource::LetterQr);
        let s = doc.summary();
        assert!(s.starts_with(&format!("Aadhaar card ending {}", &uid[8..])), "{s}");
        for secret in ["Asha", "Verma", "452001", "1990", "MG Road", &uid[..8]] {
            assert!(!s.contains(secret), "{s}");
        }
        assert!(s.contains("the full 12-digit number") && s.contains("PIN code"), "{s}");
    }

    #[test]
    fn long_numbers_that_are_not_secure_qr_are_ignored() {
        let digits: String = (0..3000).map(|i| char::from(b'0' + ((i * 7 + 3) % 10) as u8)).collect();
        assert!(from_code_text(&digits).is_none());
        assert!(from_code_text("12345").is_none());
    }
}
