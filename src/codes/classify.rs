//! Understands the text inside a code: what kind of thing it is (boarding
//! pass, Wi-Fi login, payment, contact card, ...) and a one-line summary of
//! what it reveals, with the sensitive parts partly masked ("AB••••").
//!
//! Pure string work: no pixels, no decoding. It must never echo a secret in
//! full (passwords, booking references, phone numbers, payment addresses).

use crate::idcards::{self, IdKind};
use crate::report::CodeKind;

/// The kind of content and a masked summary of it.
pub fn classify(text: &str) -> (CodeKind, String) {
    let trimmed = text.trim();
    // An identity card first: its code is the most harmful thing a photo can show.
    if let Some(card) = idcards::from_code_text(trimmed) {
        return (CodeKind::Aadhaar, card.summary());
    }
    if let Some(number) = idcards::find_in_text(trimmed).into_iter().next() {
        let kind = if number.kind == IdKind::Aadhaar { CodeKind::Aadhaar } else { CodeKind::Pan };
        return (kind, number.summary());
    }
    let lower = trimmed.to_ascii_lowercase();
    if let Some(s) = boarding_pass(trimmed) {
        return (CodeKind::BoardingPass, s);
    }
    if lower.starts_with("wifi:") {
        return (CodeKind::Wifi, wifi(&trimmed[5..]));
    }
    if lower.starts_with("upi://") {
        return (CodeKind::Payment, upi(trimmed));
    }
    if let Some(s) = other_payment(trimmed, &lower) {
        return (CodeKind::Payment, s);
    }
    if lower.starts_with("begin:vcard") {
        return (CodeKind::Contact, vcard(trimmed));
    }
    if lower.starts_with("mecard:") {
        return (CodeKind::Contact, mecard(&trimmed[7..]));
    }
    if let Some(rest) = strip_prefix_ci(trimmed, "tel:") {
        return (CodeKind::Phone, format!("Phone number {}", mask_phone(rest)));
    }
    if let Some(rest) = strip_prefix_ci(trimmed, "smsto:").or_else(|| strip_prefix_ci(trimmed, "sms:")) {
        let number = rest.split([':', '?']).next().unwrap_or("");
        return (CodeKind::Phone, format!("Text message to phone number {}", mask_phone(number)));
    }
    if let Some(rest) = strip_prefix_ci(trimmed, "mailto:") {
        let address = rest.split('?').next().unwrap_or("");
        return (CodeKind::Email, format!("E-mail address {}", mask_email(&percent_decode(address))));
    }
    if let Some(rest) = strip_prefix_ci(trimmed, "matmsg:") {
        let address = mecard_field(rest, "TO").unwrap_or_default();
        return (CodeKind::Email, format!("E-mail address {}", mask_email(&address)));
    }
    if let Some(rest) = strip_prefix_ci(trimmed, "geo:") {
        return (CodeKind::Geo, geo(rest));
    }
    if lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("www.") {
        return (CodeKind::Url, url(trimmed));
    }
    (CodeKind::Text, plain_text(trimmed))
}

fn strip_prefix_ci<'t>(text: &'t str, prefix: &str) -> Option<&'t str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix).then(|| &text[prefix.len()..])
}

// ---------------------------------------------------------------- boarding pass

/// IATA Bar Coded Boarding Pass (BCBP, Resolution 792): fixed columns after "M1".
fn boarding_pass(text: &str) -> Option<String> {
    let b = text.as_bytes();
    let legs_ok = b.len() >= 58 && b[0] == b'M' && (b'1'..=b'4').contains(&b[1]);
    if !legs_ok || !text.is_char_boundary(58) {
        return None;
    }
    let col = |from: usize, to: usize| text.get(from..to).map(str::trim).unwrap_or("");
    let (name, pnr) = (col(2, 22), col(23, 30));
    let (from, to, carrier) = (col(30, 33), col(33, 36), col(36, 39));
    let flight = col(39, 44).trim_start_matches('0');
    // A real pass has three-letter airport codes; anything else is not BCBP.
    let airport = |s: &str| s.len() == 3 && s.bytes().all(|c| c.is_ascii_alphabetic());
    if !airport(from) || !airport(to) || name.is_empty() {
        return None;
    }
    Some(format!(
        "Boarding pass: booking reference {} for passenger {}, flight {carrier} {flight} from {from} to {to}",
        mask_keep(pnr, 2),
        mask_bcbp_name(name)
    ))
}

/// "SHARMA/SUNITA MS" → "S•••• SHARMA": the given name masked, the surname kept.
fn mask_bcbp_name(name: &str) -> String {
    match name.split_once('/') {
        Some((surname, given)) => {
            let given = given.split_whitespace().next().unwrap_or("");
            format!("{} {}", mask_keep(given, 1), surname.trim())
        }
        None => mask_person(name),
    }
}

// ---------------------------------------------------------------- Wi-Fi

/// `WIFI:S:name;T:WPA;P:password;H:false;;` (fields in any order, `\` escapes).
/// The password is never shown, not even its first letters: the summary only
/// says that the code holds it. The network's name is partly masked, as it
/// often carries a family's name.
fn wifi(body: &str) -> String {
    let fields = split_escaped(body, ';');
    let get = |key: &str| {
        fields.iter().find_map(|f| {
            let (k, v) = f.split_once(':')?;
            k.trim().eq_ignore_ascii_case(key).then(|| v.to_string())
        })
    };
    let network = mask_network(&get("S").unwrap_or_default());
    if get("P").is_some_and(|p| !p.is_empty()) {
        format!("Wi-Fi network \u{201c}{network}\u{201d} with its password")
    } else {
        format!("Wi-Fi network \u{201c}{network}\u{201d} (no password)")
    }
}

/// "Sharma Home" → "Sh•••• Home"; a one-word name keeps its first two letters.
fn mask_network(name: &str) -> String {
    mask_all_but_last_word(name, 2)
}

/// Splits on `sep` while honouring backslash escapes, unescaping as it goes.
fn split_escaped(body: &str, sep: char) -> Vec<String> {
    let mut parts = vec![String::new()];
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let (Some(next), Some(last)) = (chars.next(), parts.last_mut()) {
                    last.push(next);
                }
            }
            c if c == sep => parts.push(String::new()),
            c => {
                if let Some(last) = parts.last_mut() {
                    last.push(c);
                }
            }
        }
    }
    parts
}

// ---------------------------------------------------------------- payments

/// `upi://pay?pa=name@bank&pn=Payee%20Name&am=...`
fn upi(text: &str) -> String {
    let query = text.split_once('?').map(|(_, q)| q).unwrap_or("");
    let param = |key: &str| {
        query.split('&').find_map(|kv| {
            let (k, v) = kv.split_once('=')?;
            k.eq_ignore_ascii_case(key).then(|| percent_decode(v))
        })
    };
    let address = param("pa").unwrap_or_default();
    let mut summary = String::from("UPI payment");
    if let Some(name) = param("pn").filter(|n| !n.trim().is_empty()) {
        summary.push_str(&format!(" to {}", mask_person(&name)));
    }
    if !address.is_empty() {
        summary.push_str(&format!(", address {}", mask_payment_address(&address)));
        let local = address.split('@').next().unwrap_or("");
        if looks_like_phone(local) {
            summary.push_str(" (it looks like a phone number)");
        }
    }
    summary
}

/// "9876543210@ybl" → "98••••••10@ybl"; the bank handle is not secret.
fn mask_payment_address(address: &str) -> String {
    match address.split_once('@') {
        Some((local, bank)) if looks_like_phone(local) => format!("{}@{bank}", mask_phone(local)),
        Some((local, bank)) => format!("{}@{bank}", mask_keep(local, 2)),
        None => mask_keep(address, 2),
    }
}

/// SEPA (EPC "BCD") transfer codes and crypto-currency addresses.
fn other_payment(text: &str, lower: &str) -> Option<String> {
    if text.starts_with("BCD\n") || text.starts_with("BCD\r\n") {
        let lines: Vec<&str> = text.lines().map(str::trim).collect();
        let name = lines.get(5).copied().unwrap_or("");
        let iban = lines.get(6).copied().unwrap_or("");
        return Some(format!("Bank transfer to {}, account {}", mask_person(name), mask_keep(iban, 4)));
    }
    for scheme in ["bitcoin:", "ethereum:", "litecoin:"] {
        if lower.starts_with(scheme) {
            let address = text[scheme.len()..].split('?').next().unwrap_or("");
            return Some(format!("Crypto-currency payment address {}", mask_keep(address, 4)));
        }
    }
    None
}

// ---------------------------------------------------------------- contacts

/// vCard: name, phone numbers, e-mail and street address lines.
fn vcard(text: &str) -> String {
    let mut name = None;
    let mut parts = Vec::new();
    for line in text.lines() {
        let Some((key, value)) = line.split_once(':') else { continue };
        let key = key.split(';').next().unwrap_or("").to_ascii_uppercase();
        let value = value.trim();
        if value.is_empty() {
            continue;
        }
        match key.as_str() {
            "FN" => name = Some(value.to_string()),
            "N" if name.is_none() => name = Some(vcard_n_to_name(value)),
            "TEL" => parts.push(format!("phone {}", mask_phone(value))),
            "EMAIL" => parts.push(format!("e-mail {}", mask_email(value))),
            "ADR" => parts.push("a home or work address".to_string()),
            "ORG" => parts.push("where they work".to_string()),
            _ => {}
        }
    }
    contact_summary(name, parts)
}

/// "Sharma;Sunita;;;" → "Sunita Sharma".
fn vcard_n_to_name(n: &str) -> String {
    let mut it = n.split(';');
    let family = it.next().unwrap_or("").trim();
    let given = it.next().unwrap_or("").trim();
    format!("{given} {family}").trim().to_string()
}

/// `MECARD:N:Sharma,Sunita;TEL:...;EMAIL:...;ADR:...;;`
fn mecard(body: &str) -> String {
    let name = mecard_field(body, "N").map(|n| match n.split_once(',') {
        Some((family, given)) => format!("{} {}", given.trim(), family.trim()),
        None => n,
    });
    let mut parts = Vec::new();
    if let Some(tel) = mecard_field(body, "TEL") {
        parts.push(format!("phone {}", mask_phone(&tel)));
    }
    if let Some(mail) = mecard_field(body, "EMAIL") {
        parts.push(format!("e-mail {}", mask_email(&mail)));
    }
    if mecard_field(body, "ADR").is_some() {
        parts.push("a home or work address".to_string());
    }
    contact_summary(name, parts)
}

fn mecard_field(body: &str, key: &str) -> Option<String> {
    split_escaped(body, ';').into_iter().find_map(|f| {
        let (k, v) = f.split_once(':')?;
        (k.trim().eq_ignore_ascii_case(key) && !v.trim().is_empty()).then(|| v.trim().to_string())
    })
}

fn contact_summary(name: Option<String>, parts: Vec<String>) -> String {
    let who = name.map(|n| mask_person(&n)).unwrap_or_else(|| "someone".to_string());
    if parts.is_empty() {
        format!("Contact card for {who}")
    } else {
        format!("Contact card for {who} with {}", parts.join(", "))
    }
}

// ---------------------------------------------------------------- geo, links, text

/// `geo:19.0760,72.8777?z=15` → rounded to about 1 km so the summary itself is not exact.
fn geo(rest: &str) -> String {
    let coords = rest.split(['?', ';']).next().unwrap_or("");
    let mut it = coords.split(',').map(|v| v.trim().parse::<f64>());
    match (it.next(), it.next()) {
        (Some(Ok(lat)), Some(Ok(lon))) if lat.abs() <= 90.0 && lon.abs() <= 180.0 => {
            format!("A place on the map near {lat:.2}, {lon:.2}")
        }
        _ => "A place on the map".to_string(),
    }
}

/// Only the web site is named: paths and queries often carry tokens or ids.
fn url(text: &str) -> String {
    let without_scheme = text.split_once("://").map(|(_, r)| r).unwrap_or(text);
    let host = without_scheme.split(['/', '?', '#']).next().unwrap_or("");
    let host = host.rsplit('@').next().unwrap_or(host); // drop user:password@
    let extra = without_scheme.len() > host.len() + 1;
    if extra {
        format!("A web link to {host} (with more after the address)")
    } else {
        format!("A web link to {host}")
    }
}

fn plain_text(text: &str) -> String {
    let count = text.chars().count();
    let start: String = text.chars().take(16).map(|c| if c.is_control() { ' ' } else { c }).collect();
    if count > 16 {
        format!("Text \u{201c}{}\u{2026}\u{201d} ({count} characters)", start.trim_end())
    } else {
        format!("Text \u{201c}{start}\u{201d}")
    }
}

// ---------------------------------------------------------------- masking

const HIDDEN: &str = "\u{2022}\u{2022}\u{2022}\u{2022}";

/// Keeps the first `keep` characters and hides the rest behind a fixed
/// "••••", so the length of a secret is not shown either ("AB••••").
pub fn mask_keep(value: &str, keep: usize) -> String {
    let value = value.trim();
    // Short values keep less, so that most of them stays hidden.
    let keep = keep.min(value.chars().count() / 2);
    let mut out: String = value.chars().take(keep).collect();
    out.push_str(HIDDEN);
    out
}

/// "Sunita Sharma" → "S•••• Sharma": given names masked, the last word kept.
fn mask_person(name: &str) -> String {
    mask_all_but_last_word(name, 1)
}

/// Every word but the last masked after `keep` letters; a single word is
/// masked too (a lone name is all there is to hide).
fn mask_all_but_last_word(text: &str, keep: usize) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    match words.split_last() {
        None => String::new(),
        Some((only, [])) => mask_keep(only, keep),
        Some((last, first)) => {
            let masked: Vec<String> = first.iter().map(|w| mask_keep(w, keep)).collect();
            format!("{} {last}", masked.join(" "))
        }
    }
}

/// "+91 98765 43210" → "+91••••10": country code and the last two digits kept.
fn mask_phone(value: &str) -> String {
    let digits: String = value.chars().filter(|c| c.is_ascii_digit() || *c == '+').collect();
    let n = digits.chars().count();
    if n < 6 {
        return mask_keep(&digits, 1);
    }
    let head: String = digits.chars().take(3).collect();
    let tail: String = digits.chars().skip(n - 2).collect();
    format!("{head}{HIDDEN}{tail}")
}

/// "sunita.sharma@example.com" → "su•••@example.com".
fn mask_email(value: &str) -> String {
    match value.trim().split_once('@') {
        Some((local, domain)) => format!("{}@{domain}", mask_keep(local, 2)),
        None => mask_keep(value, 2),
    }
}

fn looks_like_phone(s: &str) -> bool {
    let digits = s.chars().filter(char::is_ascii_digit).count();
    (8..=15).contains(&digits) && s.chars().all(|c| c.is_ascii_digit() || "+- ".contains(c))
}

/// `%20` and `+` decoding for URL query values; bad escapes are kept as they are.
fn percent_decode(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(v)) => {
                out.push(v);
                i += 3;
            }
            (b'+', _) => {
                out.push(b' ');
                i += 1;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bcbp() -> String {
        // M1 + name(20) + E + PNR(7) + from + to + carrier(3) + flight(5) + date(3) + class + seat(4) + seq(5) + status
        format!("M1{:<20}E{:<7}{}{}{:<3}{:0>4} {}{}{}{}{}", "SHARMA/SUNITA MS", "ABC123", "DEL", "BOM", "AI", "101", "123", "Y", "012A", "0042 ", "1")
    }

    #[test]
    fn boarding_pass_masks_reference_and_given_name() {
        let (kind, s) = classify(&bcbp());
        assert_eq!(kind, CodeKind::BoardingPass, "{s}");
        assert!(s.contains("AB••••"), "{s}");
        assert!(s.contains("S•••• SHARMA"), "{s}");
        assert!(s.contains("AI 101 from DEL to BOM"), "{s}");
        assert!(!s.contains("ABC123") && !s.contains("SUNITA"), "{s}");
    }

    #[test]
    fn wifi_never_shows_the_password() {
        let (kind, s) = classify(r"WIFI:T:WPA;S:Sharma Home\;Net;P:supersecret;;");
        assert_eq!(kind, CodeKind::Wifi);
        assert_eq!(s, "Wi-Fi network \u{201c}Sh•••• Home;Net\u{201d} with its password");
        for secret_start in ["su", "supersecret", "Sharma"] {
            assert!(!s.contains(secret_start), "{s}");
        }
        let (_, s) = classify("WIFI:S:Library;T:nopass;P:;;");
        assert_eq!(s, "Wi-Fi network \u{201c}Li••••\u{201d} (no password)");
        // Fields in another order; a password of one letter is not shown either.
        let (_, s) = classify("WIFI:P:x;S:Cafe 21;;");
        assert_eq!(s, "Wi-Fi network \u{201c}Ca•••• 21\u{201d} with its password");
    }

    #[test]
    fn upi_masks_name_and_phone() {
        let (kind, s) = classify("upi://pay?pa=9876543210@ybl&pn=Sunita%20Sharma&cu=INR");
        assert_eq!(kind, CodeKind::Payment);
        assert!(s.contains("S•••• Sharma") && s.contains("@ybl") && s.contains("phone number"), "{s}");
        assert!(!s.contains("9876543210") && !s.contains("Sunita"), "{s}");
    }

    #[test]
    fn contacts_phone_email_geo_url_text() {
        let v = "BEGIN:VCARD\nVERSION:3.0\nFN:Sunita Sharma\nTEL;TYPE=CELL:+919876543210\nEMAIL:sunita@example.com\nEND:VCARD";
        let (kind, s) = classify(v);
        assert_eq!(kind, CodeKind::Contact);
        assert!(s.contains("S•••• Sharma") && s.contains("@example.com") && !s.contains("9876543210"), "{s}");
        assert_eq!(classify("MECARD:N:Sharma,Sunita;TEL:9876543210;;").0, CodeKind::Contact);
        assert_eq!(classify("tel:+919876543210").0, CodeKind::Phone);
        assert_eq!(classify("mailto:a.b@example.com").0, CodeKind::Email);
        let (kind, s) = classify("geo:19.0760,72.8777");
        assert_eq!((kind, s.as_str()), (CodeKind::Geo, "A place on the map near 19.08, 72.88"));
        let (kind, s) = classify("https://user:pw@example.com/ticket?id=42");
        assert_eq!(kind, CodeKind::Url);
        assert!(s.contains("example.com") && !s.contains("pw") && !s.contains("42"), "{s}");
        assert_eq!(classify("hello").0, CodeKind::Text);
    }

    #[test]
    fn hostile_text_never_panics() {
        for t in ["M1", "M1é", "WIFI:", "upi://", "upi://pay?pa=%", "geo:", "BEGIN:VCARD", "MECARD:", "%%", "tel:", "é"] {
            let _ = classify(t);
        }
        let long_unicode = format!("M1{}", "é".repeat(40));
        let _ = classify(&long_unicode);
    }
}
