//! Identity rules: names, contact details, people named in the picture.

use super::{add_field, fields_named, finding};
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
    // A phone number or e-mail address typed anywhere (e.g. an owner name "Call 555-…").
    meta.fields
        .iter()
        .filter(|f| !CONTACT_TAGS.contains(&f.tag.as_str()) && looks_like_contact(f))
        .for_each(|f| add_field(&mut contact, f));
    out.push(contact);

    let mut people = finding(FindingId::TaggedPeople, Severity::High, Category::Identity);
    fields_named(meta, PEOPLE_TAGS).for_each(|f| add_field(&mut people, f));
    out.push(people);
}

/// Camera defaults that name nobody.
fn is_placeholder_name(value: &str) -> bool {
    let v = value.trim().to_ascii_lowercase();
    v.is_empty() || v == "unknown" || v == "copyright" || v == "(c)" || v == "©" || v == "none"
}

/// True when a free-text value holds an e-mail address or a phone-like number.
fn looks_like_contact(field: &Field) -> bool {
    // IDs, dates and numbers from technical tags are full of digits; only look at text tags.
    let textual = NAME_TAGS.contains(&field.tag.as_str())
        || matches!(
            field.tag.as_str(),
            "Comment" | "UserComment" | "XPComment" | "ImageDescription" | "Description" | "Caption-Abstract"
                | "Title" | "Headline" | "Instructions" | "SpecialInstructions" | "Keywords" | "Subject"
        )
        || field.group == "PNG";
    textual && (has_email(&field.value) || has_phone(&field.value))
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

/// Seven or more digits in a run that may contain spaces, dashes, dots, slashes or brackets.
fn has_phone(s: &str) -> bool {
    let mut digits = 0;
    for c in s.chars() {
        if c.is_ascii_digit() {
            digits += 1;
            if digits >= 7 {
                return true;
            }
        } else if !matches!(c, ' ' | '-' | '.' | '/' | '(' | ')' | '+') {
            digits = 0;
        }
    }
    false
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
}
