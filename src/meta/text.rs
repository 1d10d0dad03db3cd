//! Free-text metadata: JPEG/GIF comments, PNG text chunks (tEXt, zTXt, iTXt),
//! the PNG tIME chunk, and what hides in the bytes after the end of an image.
//!
//! This module turns those raw blocks into `Field`s named like ExifTool does
//! (`File:Comment`, `PNG:<keyword>`, `PNG:ModifyDate`). PNG text chunks are also
//! a carrier for other metadata (ImageMagick "Raw profile type …" hex dumps,
//! Adobe's `XML:com.adobe.xmp`); those payloads are decoded here and handed to
//! the EXIF/XMP/IPTC/IRB/ICC readers. It never decides what is risky.

use super::{charset, Embedded, Metadata};
use crate::container::{limits, Format};

/// Longest text kept in a field value; AI prompts/workflows can be megabytes.
const MAX_VALUE_CHARS: usize = 2000;

/// ExifTool (12.57) reports both JPEG COM and the GIF comment extension as `File:Comment`.
const COMMENT_GROUP: &str = "File";

/// A JPEG COM segment or GIF comment extension.
pub fn read_comment(data: &[u8], format: Format, meta: &mut Metadata) {
    let _ = format; // same name for every format, following ExifTool
    if !afford(meta, data.len()) {
        return;
    }
    meta.add(COMMENT_GROUP, "Comment", shorten(charset::decode(data)));
}

/// Counts `n` bytes of text about to be read against the file's budget; when they do not
/// fit, the block is counted as skipped (said in the report as unread) and false returned.
fn afford(meta: &mut Metadata, n: usize) -> bool {
    let fits = meta.budget.take_inflated(n);
    if !fits {
        meta.skipped_for_budget(n);
    }
    fits
}

/// A PNG `tEXt`, `zTXt` or `iTXt` chunk (raw chunk data).
pub fn read_png_text(chunk: &str, data: &[u8], meta: &mut Metadata) {
    // Plain text costs as much to read as unpacked text: thousands of chunks or one of
    // 190 MB must not cost seconds.
    if !afford(meta, data.len()) {
        return;
    }
    let Some(nul) = data.iter().position(|&b| b == 0) else {
        // No keyword separator: a damaged chunk. ExifTool shows it as TextualData.
        meta.warnings.push(format!("PNG {chunk} chunk has no keyword separator."));
        meta.add("PNG", "TextualData", shorten(latin1(data)));
        return;
    };
    let keyword = latin1(&data[..nul]);
    let rest = &data[nul + 1..];
    // tEXt/zTXt should be Latin-1 but many writers put UTF-8 there (see `charset`);
    // iTXt is UTF-8. Special payloads are routed as raw bytes.
    let (raw, is_utf8) = match chunk {
        "tEXt" => (Some(rest.to_vec()), false),
        "zTXt" => (rest.get(1..).and_then(|z| inflate(z, chunk, meta)), false),
        "iTXt" => (read_itxt_body(rest, meta), true),
        _ => (None, false),
    };
    let Some(raw) = raw else { return };
    route_special_keyword(&keyword, &raw, meta);
    let text = if is_utf8 { String::from_utf8_lossy(&raw).into_owned() } else { charset::decode(&raw) };
    meta.add("PNG", &keyword, shorten(text));
}

/// iTXt after the keyword: compression flag, method, language\0, translated keyword\0, UTF-8 text.
fn read_itxt_body(rest: &[u8], meta: &mut Metadata) -> Option<Vec<u8>> {
    let compressed = *rest.first()? != 0;
    let after_lang = skip_past_nul(rest.get(2..)?)?;
    let body = skip_past_nul(after_lang)?;
    if compressed {
        inflate(body, "iTXt", meta)
    } else {
        Some(body.to_vec())
    }
}

fn skip_past_nul(b: &[u8]) -> Option<&[u8]> {
    b.iter().position(|&x| x == 0).map(|i| &b[i + 1..])
}

fn inflate(z: &[u8], chunk: &str, meta: &mut Metadata) -> Option<Vec<u8>> {
    let limit = meta.budget.inflate_limit();
    let result = miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(z, limit);
    // The work done is what came out, or the whole allowance when it ran over.
    meta.budget.take_inflated(result.as_ref().map_or(limit, |v| v.len()));
    match result {
        Ok(v) => Some(v),
        Err(_) if limit < limits::MAX_INFLATED_BYTES => {
            meta.skipped_for_budget(z.len());
            None
        }
        Err(_) => {
            meta.warnings.push(format!("A compressed PNG {chunk} text could not be unpacked (damaged or too large)."));
            None
        }
    }
}

/// Keywords whose text is another metadata format: hand the payload to its reader.
fn route_special_keyword(keyword: &str, raw: &[u8], meta: &mut Metadata) {
    if keyword == "XML:com.adobe.xmp" {
        super::xmp::read(raw, meta);
    } else if keyword.starts_with("Raw profile type ") {
        // Charged before decoding: the hex digits give half as many bytes.
        if !meta.budget.take_inflated(raw.len() / 2) {
            meta.skipped_for_budget(raw.len());
            return;
        }
        match decode_raw_profile(&latin1(raw)) {
            Some(bytes) => route_raw_profile(keyword, &bytes, meta),
            None => meta.warnings.push(format!("PNG '{keyword}' text is not a valid hex profile.")),
        }
    }
}

fn route_raw_profile(keyword: &str, bytes: &[u8], meta: &mut Metadata) {
    const XMP_SIG: &[u8] = b"http://ns.adobe.com/xap/1.0/\0";
    match keyword {
        "Raw profile type xmp" => super::xmp::read(bytes, meta),
        "Raw profile type APP1" if bytes.starts_with(XMP_SIG) => super::xmp::read(&bytes[XMP_SIG.len()..], meta),
        "Raw profile type exif" | "Raw profile type APP1" => {
            let tiff = bytes.strip_prefix(b"Exif\0\0").unwrap_or(bytes);
            super::exif::read(tiff, meta)
        }
        "Raw profile type iptc" | "Raw profile type 8bim" => {
            if bytes.starts_with(b"8BIM") {
                super::irb::read(bytes, meta)
            } else {
                super::iptc::read(bytes, meta)
            }
        }
        "Raw profile type icc" | "Raw profile type icm" => super::icc::read_chunks(&[bytes], Format::Png, meta),
        _ => {}
    }
}

/// ImageMagick's hex dump: "\n<name>\n<spaces><decimal length>\n<hex digits, wrapped>".
/// Returns at most `length` bytes (bounded by `limits::MAX_INFLATED_BYTES`).
pub fn decode_raw_profile(text: &str) -> Option<Vec<u8>> {
    let mut lines = text.trim_start_matches(['\n', '\r', ' ']).splitn(2, '\n');
    let _name = lines.next()?;
    let rest = lines.next()?.trim_start();
    let digits_end = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
    let len: usize = rest[..digits_end].parse().ok()?;
    let len = len.min(limits::MAX_INFLATED_BYTES);
    let mut out = Vec::with_capacity(len.min(rest.len() / 2));
    let mut high: Option<u8> = None;
    for c in rest[digits_end..].bytes() {
        if out.len() >= len {
            break;
        }
        let Some(v) = (c as char).to_digit(16) else {
            if c.is_ascii_whitespace() {
                continue;
            }
            return None;
        };
        match high.take() {
            None => high = Some(v as u8),
            Some(h) => out.push(h << 4 | v as u8),
        }
    }
    (!out.is_empty()).then_some(out)
}

/// PNG tIME: year (u16 BE), month, day, hour, minute, second.
pub fn read_png_time(data: &[u8], meta: &mut Metadata) {
    let Some(d) = data.get(0..7) else {
        meta.warnings.push("PNG tIME chunk is too short.".into());
        return;
    };
    let year = u16::from_be_bytes([d[0], d[1]]);
    let value = format!("{year:04}:{:02}:{:02} {:02}:{:02}:{:02}", d[2], d[3], d[4], d[5], d[6]);
    meta.add("PNG", "ModifyDate", value);
}

/// Bytes after the end of the image: says what they are (another JPEG, an MP4
/// video, or unknown data) in `meta.hidden_media`. All-zero padding is ignored.
pub fn read_trailer(data: &[u8], meta: &mut Metadata) {
    for (what, bytes) in describe_trailer(data) {
        meta.hidden_media.push(Embedded { source: "After the end of the image".into(), what, bytes });
    }
}

/// Splits a trailer into recognisable parts: JPEG images (walked to their EOI),
/// then an MP4 video (from its `ftyp` box to the end), else unknown data.
fn describe_trailer(data: &[u8]) -> Vec<(String, usize)> {
    let mut parts = Vec::new();
    let mut pos = 0;
    for _ in 0..16 {
        // Writers pad between images (MPF) with zeros; padding is not hidden data.
        let rest = &data[pos..];
        let Some(skip) = rest.iter().position(|&b| b != 0) else { break };
        if rest[skip..].starts_with(&[0xFF, 0xD8, 0xFF]) {
            let len = jpeg_length(&rest[skip..]);
            parts.push(("another JPEG image".to_string(), len));
            pos += skip + len;
            continue;
        }
        // Not skipping zeros here: an MP4 box size starts with zero bytes.
        match find_mp4(rest) {
            Some(start) => parts.push(("a video (MP4)".to_string(), rest.len() - start)),
            None => {
                let n = rest.len() - skip;
                parts.push((format!("{n} bytes of unknown data"), n));
            }
        }
        break;
    }
    parts
}

/// Length of the JPEG at the start of `b`: up to the start of its own trailer, if any.
fn jpeg_length(b: &[u8]) -> usize {
    crate::container::jpeg::walk(b)
        .ok()
        .and_then(|c| {
            c.blocks.iter().find(|bl| bl.kind == crate::container::BlockKind::Trailer).map(|bl| bl.span.start)
        })
        .filter(|&n| n > 0)
        .unwrap_or(b.len())
}

/// Offset of an MP4/QuickTime `ftyp` box: size (u32 BE, 8..=1024) then "ftyp" then an
/// ASCII brand. A Samsung "MotionPhoto_Data" marker, when present, is where the video starts.
fn find_mp4(b: &[u8]) -> Option<usize> {
    let from = find(b, b"MotionPhoto_Data").map_or(0, |i| i + b"MotionPhoto_Data".len());
    let mut search = from;
    while let Some(i) = b.get(search..).and_then(|s| find(s, b"ftyp")).map(|i| i + search) {
        if i >= 4 {
            let size = u32::from_be_bytes([b[i - 4], b[i - 3], b[i - 2], b[i - 1]]);
            let brand_ok =
                b.get(i + 4..i + 8).is_some_and(|br| br.iter().all(|c| c.is_ascii_alphanumeric() || *c == b' '));
            if (8..=1024).contains(&size) && brand_ok {
                return Some(i - 4);
            }
        }
        search = i + 4;
    }
    None
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn latin1(b: &[u8]) -> String {
    b.iter().map(|&c| c as char).collect()
}

/// Keeps long values readable: the first `MAX_VALUE_CHARS` characters plus the full length.
fn shorten(s: String) -> String {
    let n = s.chars().count();
    if n <= MAX_VALUE_CHARS {
        return s;
    }
    let head: String = s.chars().take(MAX_VALUE_CHARS).collect();
    format!("{head}… ({n} characters)")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field<'m>(meta: &'m Metadata, group: &str, tag: &str) -> Option<&'m str> {
        meta.fields.iter().find(|f| f.group == group && f.tag == tag).map(|f| f.value.as_str())
    }

    fn zlib(data: &[u8]) -> Vec<u8> {
        miniz_oxide::deflate::compress_to_vec_zlib(data, 6)
    }

    #[test]
    fn comments_are_utf8_or_latin1() {
        let mut meta = Metadata::default();
        read_comment("Grüße".as_bytes(), Format::Jpeg, &mut meta);
        read_comment(b"caf\xE9\0", Format::Gif, &mut meta);
        let values: Vec<&str> = meta.values("Comment").map(|f| f.value.as_str()).collect();
        assert_eq!(values, vec!["Grüße", "café"]);
        assert!(meta.fields.iter().all(|f| f.group == "File"));
    }

    #[test]
    fn reads_text_ztxt_and_itxt_with_the_keyword_as_tag() {
        let mut meta = Metadata::default();
        read_png_text("tEXt", b"Author\0Ren\xE9", &mut meta);
        read_png_text("zTXt", &[b"Copyright\0\0".as_slice(), &zlib(b"(c) Jo")].concat(), &mut meta);
        read_png_text("iTXt", "Title\0\0\0ja\0タイトル\0写真".as_bytes(), &mut meta);
        read_png_text(
            "iTXt",
            &[b"parameters\0\x01\0\0\0".as_slice(), &zlib("a cat, 🐱".as_bytes())].concat(),
            &mut meta,
        );
        assert_eq!(field(&meta, "PNG", "Author"), Some("René"));
        assert_eq!(field(&meta, "PNG", "Copyright"), Some("(c) Jo"));
        assert_eq!(field(&meta, "PNG", "Title"), Some("写真"));
        assert_eq!(field(&meta, "PNG", "parameters"), Some("a cat, 🐱"));
        assert!(meta.warnings.is_empty(), "{:?}", meta.warnings);
    }

    #[test]
    fn damaged_text_chunks_warn_and_never_panic() {
        let mut meta = Metadata::default();
        read_png_text("zTXt", b"Comment\0\0not zlib", &mut meta);
        assert!(field(&meta, "PNG", "Comment").is_none());
        assert_eq!(meta.warnings.len(), 1);
        read_png_text("tEXt", b"no separator here", &mut meta);
        assert_eq!(field(&meta, "PNG", "TextualData"), Some("no separator here"));
        for cut in 0..12 {
            read_png_text("iTXt", &b"Key\0\x01\0en\0K\0zz"[..cut], &mut meta);
        }
    }

    #[test]
    fn very_long_values_are_shortened() {
        let mut meta = Metadata::default();
        let prompt = "x".repeat(50_000);
        read_png_text("tEXt", format!("prompt\0{prompt}").as_bytes(), &mut meta);
        let v = field(&meta, "PNG", "prompt").unwrap();
        assert!(v.starts_with(&"x".repeat(MAX_VALUE_CHARS)));
        assert!(v.ends_with("… (50000 characters)"), "{}", &v[v.len() - 40..]);
        assert!(v.chars().count() < MAX_VALUE_CHARS + 40);
    }

    #[test]
    fn decodes_imagemagick_raw_profiles() {
        let text = "\nexif\n      10\n457869660000\n4d4d002a\n\n";
        assert_eq!(decode_raw_profile(text).unwrap(), b"Exif\0\0MM\0*");
        // The declared length bounds the output.
        assert_eq!(decode_raw_profile("\niptc\n 2\n1c0201ff").unwrap(), vec![0x1C, 0x02]);
        assert!(decode_raw_profile("\nexif\n 4\nzz").is_none());
        assert!(decode_raw_profile("garbage").is_none());
        // The raw profile keyword is still listed as a PNG field.
        let mut meta = Metadata::default();
        read_png_text("zTXt", &[b"Raw profile type exif\0\0".as_slice(), &zlib(text.as_bytes())].concat(), &mut meta);
        assert!(field(&meta, "PNG", "Raw profile type exif").is_some());
        // The hex decoded fine; only the (header-only) EXIF inside may be warned about.
        assert!(meta.warnings.iter().all(|w| !w.to_lowercase().contains("raw profile")), "{:?}", meta.warnings);
    }

    #[test]
    fn png_time_is_exiftool_style() {
        let mut meta = Metadata::default();
        read_png_time(&[0x07, 0xE8, 3, 9, 14, 5, 7], &mut meta);
        assert_eq!(field(&meta, "PNG", "ModifyDate"), Some("2024:03:09 14:05:07"));
        read_png_time(&[1, 2], &mut meta);
        assert_eq!(meta.warnings.len(), 1);
    }

    fn tiny_jpeg() -> Vec<u8> {
        let mut j =
            vec![0xFF, 0xD8, 0xFF, 0xC0, 0, 11, 8, 0, 1, 0, 1, 1, 1, 0x11, 0, 0xFF, 0xDA, 0, 8, 1, 1, 0, 0, 63, 0];
        j.extend([0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD9]);
        j
    }

    fn mp4(len: usize) -> Vec<u8> {
        let mut v = vec![0, 0, 0, 24];
        v.extend_from_slice(b"ftypmp42\0\0\0\0isommp42");
        v.resize(len, 0x55);
        v
    }

    fn hidden(data: &[u8]) -> Vec<(String, usize)> {
        let mut meta = Metadata::default();
        read_trailer(data, &mut meta);
        assert!(meta.hidden_media.iter().all(|e| e.source == "After the end of the image"));
        meta.hidden_media.into_iter().map(|e| (e.what, e.bytes)).collect()
    }

    #[test]
    fn trailers_are_described_in_plain_words() {
        let jpeg = tiny_jpeg();
        // A second JPEG (MPF/gain map) after zero padding, then a motion-photo video.
        let trailer = [vec![0; 16], jpeg.clone(), mp4(5000)].concat();
        assert_eq!(
            hidden(&trailer),
            vec![("another JPEG image".to_string(), jpeg.len()), ("a video (MP4)".to_string(), 5000)]
        );
        // Samsung: marker, then the MP4.
        let samsung = [b"MotionPhoto_Data".to_vec(), mp4(3000)].concat();
        assert_eq!(hidden(&samsung), vec![("a video (MP4)".to_string(), 3000)]);
        // Unknown bytes, and zero padding that is not reported.
        assert_eq!(hidden(b"\x01\x02\x03\x04\x05\x06"), vec![("6 bytes of unknown data".to_string(), 6)]);
        assert!(hidden(&[0; 4096]).is_empty());
        // A text "ftyp" with a silly size is not a video.
        assert_eq!(hidden(b"\xFF\xFF\xFF\xFFftypxxxx")[0].0, "12 bytes of unknown data");
    }
}
