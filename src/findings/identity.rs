//! Identity rules: names, contact details, people named in the picture.

use super::{add_evidence, add_field, fields_named, finding, source_label};
use crate::meta::{Field, Metadata};
use crate::report::{FindingId, Category, Finding, Severity};

/// Tags that name a person (author, owner, rights holder), ExifTool names.
const NAME_TAGS: &[&str] = &[
    "Artist",
    "Copyright",
    "OwnerName",
    "CameraOwnerName",
    "XPAuthor",
    "By-line",
    "By-lineTitle",
    "Credit",
    "Writer-Editor",
    "CaptionWriter",
    "Creator",
    "Rights",
    "Author",
    "Owner",
    "CopyrightNotice",
    "CopyrightOwnerName",
    "CopyrightOwnerID",
    "LicensorName",
    "ImageCreatorName",
    "ImageSupplierName",
    "Photographer",
    "ImageEditor",
    "AuthorsPosition",
    "Source",
    // Content Credentials identity assertions (cawg.identity): the signer's name or account.
    "IdentityName",
];

/// IPTC Core creator contact info, flattened the way ExifTool names it.
const CONTACT_TAGS: &[&str] = &[
    "CreatorAddress",
    "CreatorCity",
    "CreatorRegion",
    "CreatorPostalCode",
    "CreatorCountry",
    "CreatorWorkEmail",
    "CreatorWorkTelephone",
    "CreatorWorkURL",
    "Contact",
    "LicensorEmail",
    "LicensorTelephone1",
    "LicensorURL",
];

const PEOPLE_TAGS: &[&str] = &[
    "RegionName",
    "RegionPersonDisplayName",
    "PersonInImage",
    "PersonInImageName",
    "RegionPersonInImage",
    "RegionPersonEmailDigest",
    "RegionPersonLiveIdCID",
    "ImageRegionPersonInImage",
    "ImageRegionName",
];

pub(super) fn rules(meta: &Metadata, out: &mut Vec<Finding>) {
    let mut names = finding(FindingId::PersonName, Severity::High, Category::Identity);
    fields_named(meta, NAME_TAGS).filter(|f| !is_placeholder_name(&f.value)).for_each(|f| add_field(&mut names, f));
    // Canon-style "owner" fields in maker notes and PNG Author/Copyright keywords.
    out.push(names);

    let mut contact = finding(FindingId::ContactInfo, Severity::High, Category::Identity);
    fields_named(meta, CONTACT_TAGS).for_each(|f| add_field(&mut contact, f));
    // A phone number or e-mail address typed anywhere (e.g. an owner name "Call 555-…",
    // or news agencies' SupplementalCategories holding a desk's phone and e-mail).
    meta.fields
        .iter()
        .filter(|f| !CONTACT_TAGS.contains(&f.tag.as_str()) && looks_like_contact(f))
        .for_each(|f| add_field(&mut contact, f));
    out.push(contact);

    let mut people = finding(FindingId::TaggedPeople, Severity::High, Category::Identity);
    fields_named(meta, PEOPLE_TAGS).for_each(|f| add_field(&mut people, f));
    out.push(people);

    out.push(id_numbers(meta));
}

/// Aadhaar numbers and PANs typed into text people write (a caption, a comment):
/// one masked evidence row each ("Aadhaar number ending 2697"). Serial numbers and
/// IDs are not read, since one in ten 12-digit numbers passes the check digit by chance.
fn id_numbers(meta: &Metadata) -> Finding {
    let mut ids = finding(FindingId::IdDocument, Severity::High, Category::Identity);
    for field in meta.fields.iter().filter(|f| is_free_text(f)) {
        for doc in crate::idcards::find_in_text(&field.value) {
            add_evidence(&mut ids, &source_label(&field.group), &field.tag, &doc.summary());
        }
    }
    ids
}

/// Camera defaults that name nobody.
fn is_placeholder_name(value: &str) -> bool {
    let v = value.trim().to_ascii_lowercase();
    v.is_empty() || v == "unknown" || v == "copyright" || v == "(c)" || v == "©" || v == "none"
}

/// Free-text tags a person types into; IDs, dates and numbers from technical
/// tags are full of digits, so only these (and PNG texts) are searched.
const FREE_TEXT_TAGS: &[&str] = &[
    "Comment",
    "UserComment",
    "XPComment",
    "ImageDescription",
    "Description",
    "Caption-Abstract",
    "Title",
    "Headline",
    "Instructions",
    "SpecialInstructions",
    "Keywords",
    "Subject",
    "SupplementalCategories",
    "Category",
];

/// True when a free-text value holds an e-mail address or a phone-like number.
fn looks_like_contact(field: &Field) -> bool {
    // Hex dumps and wrapped XMP/EXIF are read on their own; their digits are no phone number.
    is_free_text(field) && !super::has_hex_dump(&field.value) && (has_email(&field.value) || has_phone(&field.value))
}

/// Text that people type (names, captions, comments, keywords, and PNG texts
/// that are not wrapped XMP/EXIF/IPTC).
fn is_free_text(field: &Field) -> bool {
    let tag = field.tag.as_str();
    NAME_TAGS.contains(&tag) || FREE_TEXT_TAGS.contains(&tag) || (field.group == "PNG" && !super::is_carrier_field(field))
}

fn has_email(s: &str) -> bool {
    s.split(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | ',' | ';' | '(' | ')' | '"'))
        .any(|w| {
            let mut parts = w.splitn(2, '@');
            match (parts.next(), parts.next()) {
                (Some(user), Some(host)) => !user.is_empty() && host.contains('.') && !host.ends_with('.'),
                _ => false,
            }
        })
}

/// Characters a written phone number may have between its digits.
fn is_phone_separator(c: char) -> bool {
    matches!(c, ' ' | '-' | '.' | '/' | '(' | ')' | '+')
}

/// A phone number: a run of 7 to 15 digits (E.164's most) that may contain
/// spaces, dashes, dots, slashes or brackets, not glued to letters (ids, hex),
/// and not a date ("2019-06-24", "24.06.2019") or a decimal number.
fn has_phone(s: &str) -> bool {
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if !(chars[i].is_ascii_digit() || matches!(chars[i], '+' | '(')) {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && (chars[i].is_ascii_digit() || is_phone_separator(chars[i])) {
            i += 1;
        }
        // The run ends at its last digit.
        let mut end = i;
        while end > start && !chars[end - 1].is_ascii_digit() {
            end -= 1;
        }
        let glued = |c: Option<&char>| c.is_some_and(|c| c.is_alphanumeric() || *c == '_');
        if glued(start.checked_sub(1).and_then(|k| chars.get(k))) || glued(chars.get(end)) {
            continue;
        }
        let run: String = chars[start..end].iter().collect();
        let digits = run.chars().filter(char::is_ascii_digit).count();
        if (7..=15).contains(&digits) && !is_date_or_decimal(&run) {
            return true;
        }
    }
    false
}

/// "2019-06-24", "2019.06.24 10", "24/06/2019", or a decimal like "48.858222".
fn is_date_or_decimal(run: &str) -> bool {
    let groups: Vec<&str> = run.split(|c: char| !c.is_ascii_digit()).filter(|g| !g.is_empty()).collect();
    let len = |i: usize| groups.get(i).map_or(0, |g| g.len());
    let val = |i: usize| groups.get(i).and_then(|g| g.parse::<u32>().ok()).unwrap_or(99);
    let year_first = len(0) == 4 && len(1) <= 2 && len(2) <= 2 && (1..=12).contains(&val(1)) && (1..=31).contains(&val(2));
    let year_last = len(0) <= 2 && len(1) <= 2 && len(2) == 4 && (1..=31).contains(&val(0)) && (1..=31).contains(&val(1));
    let decimal = groups.len() == 2 && run.trim().matches('.').count() == 1 && !run.trim().contains(' ');
    year_first || year_last || decimal
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_phone_numbers_and_emails_but_not_dates() {
        assert!(has_phone("Call 06136/958638"));
        assert!(has_phone("+91 98765 43210"));
        assert!(!has_phone("Canon EOS 7D"));
        assert!(has_email("write to pb@meine-ansichten.de please"));
        assert!(!has_email("user@localhost"));
    }

    #[test]
    fn phone_numbers_but_not_dates_hex_or_ids() {
        // The corpus' real numbers: Canon OwnerName and a news desk's SupplementalCategories.
        assert!(has_phone("Balázs Iván József +36304028290"));
        assert!(has_phone("703-614-9154"));
        assert!(has_phone("06.12.34.56.78"));
        assert!(has_phone("(0755) 2345 678"));
        // PNG date:create / date:modify, EXIF dates, timestamps.
        assert!(!has_phone("2019-06-24T10:22:31+02:00"));
        assert!(!has_phone("2019:06:24 10:22:31"));
        assert!(!has_phone("24.06.2019 10:22"));
        assert!(!has_phone("2019-06-24 10"));
        // Hex ids and dumps, decimals, long numbers.
        assert!(!has_phone("0000 1c02 0000 0241 4b00 0000 0000 0000 0000"));
        assert!(!has_phone("abc1234567def"));
        assert!(!has_phone("48.858222"));
        assert!(!has_phone("12345678901234567890"));
        assert!(!has_phone("f/2.8 1/250s ISO 100"));
    }
}
