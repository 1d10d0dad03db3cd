//! Text bytes → readable text, for every reader that meets 8-bit text with no
//! declared character set (EXIF ASCII, maker notes, JPEG/GIF comments, IPTC
//! without a UTF-8 marker, PNG tEXt).
//!
//! One rule, used everywhere: valid UTF-8 is UTF-8 (cameras and phones write
//! it); anything else is Windows-1252, the superset of Latin-1 that Windows
//! tools write (curly quotes 0x91–0x94, the euro sign, dashes). Latin-1 text
//! decodes the same under both, so `Balázs` (0xE1) stays `Balázs`.
//! Never decides what a value means; only how its bytes read.

/// Windows-1252 characters for bytes 0x80–0x9F (None: unassigned, kept as Latin-1 control).
const CP1252_HIGH: [Option<char>; 32] = [
    Some('€'), None, Some('‚'), Some('ƒ'), Some('„'), Some('…'), Some('†'), Some('‡'),
    Some('ˆ'), Some('‰'), Some('Š'), Some('‹'), Some('Œ'), None, Some('Ž'), None,
    None, Some('‘'), Some('’'), Some('“'), Some('”'), Some('•'), Some('–'), Some('—'),
    Some('˜'), Some('™'), Some('š'), Some('›'), Some('œ'), None, Some('ž'), Some('Ÿ'),
];

/// UTF-8 when the bytes are valid UTF-8, else Windows-1252 (which reads Latin-1 too).
pub fn decode(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => windows_1252(bytes),
    }
}

/// Windows-1252 (a superset of Latin-1's printable characters).
pub fn windows_1252(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|&b| match b {
            0x80..=0x9F => CP1252_HIGH[(b - 0x80) as usize].unwrap_or(b as char),
            _ => b as char,
        })
        .collect()
}

/// The text before the first NUL, decoded with [`decode`].
pub fn decode_until_nul(bytes: &[u8]) -> String {
    decode(bytes.split(|&b| b == 0).next().unwrap_or(&[]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_first_then_windows_1252() {
        assert_eq!(decode("Grüße ’quoted’".as_bytes()), "Grüße ’quoted’");
        // Latin-1 bytes (not valid UTF-8): á = E1, ó = F3.
        assert_eq!(decode(b"Bal\xE1zs Iv\xE1n J\xF3zsef"), "Balázs Iván József");
        // Windows-1252 curly apostrophe and quotes, en dash, euro.
        assert_eq!(decode(b"Anna\x92s \x93photo\x94 \x96 5 \x80"), "Anna’s “photo” – 5 €");
        assert_eq!(decode_until_nul(b"caf\xE9\0junk"), "café");
        // Unassigned bytes never become U+FFFD.
        assert!(!decode(b"\x81\x8D\x8F\x90\x9D\xFF").contains('\u{FFFD}'));
    }
}
