//! Photoshop image resource blocks (`8BIM`, id, Pascal name, size, data): the
//! container Photoshop uses for IPTC, thumbnails, XMP, EXIF and ICC in JPEG
//! APP13, TIFF tag 34377 and PSD files.
//!
//! It owns walking the resources and handing each payload to its reader
//! (`iptc`, `xmp`, `exif`, `icc`), recording Photoshop thumbnails, and a few
//! text resources (URLs, clipping path name, writer) in group `Photoshop`.
//! It never trusts a size, and never judges what is risky.

use super::{exif, icc, iptc, xmp, Embedded, Metadata};

/// Most resources read from one block.
const MAX_RESOURCES: usize = 10_000;
/// Signatures of resource blocks ExifTool accepts (8BIM is by far the most common).
const SIGNATURES: [&[u8; 4]; 5] = [b"8BIM", b"PHUT", b"DCSR", b"AgHg", b"MeSa"];

/// Reads one block of image resources (JPEG APP13 data, with or without its
/// `Photoshop 3.0\0` header).
pub fn read(data: &[u8], meta: &mut Metadata) {
    let data = data.strip_prefix(b"Photoshop 3.0\0").unwrap_or(data);
    for res in resources(data, &mut meta.warnings) {
        read_resource(&res, meta);
    }
}

/// One image resource, borrowed from the block (its Pascal name is skipped:
/// Photoshop leaves it empty for everything we report).
#[derive(Debug)]
pub(crate) struct Resource<'a> {
    pub id: u16,
    pub data: &'a [u8],
}

pub(crate) fn resources<'a>(data: &'a [u8], warnings: &mut Vec<String>) -> Vec<Resource<'a>> {
    let mut out = Vec::new();
    let mut pos = 0usize;
    while pos < data.len() && out.len() < MAX_RESOURCES {
        let Some(sig) = data.get(pos..pos + 4) else {
            break;
        };
        if !SIGNATURES.iter().any(|s| s.as_slice() == sig) {
            // Zero padding at the end is normal; anything else is worth a note.
            if data[pos..].iter().any(|&b| b != 0) {
                warnings.push("Photoshop data has unexpected bytes; the rest was skipped.".into());
            }
            break;
        }
        let Some(id) = data
            .get(pos + 4..pos + 6)
            .map(|b| u16::from_be_bytes([b[0], b[1]]))
        else {
            break;
        };
        let name_len = data.get(pos + 6).copied().unwrap_or(0) as usize;
        // The Pascal name (length byte + text) is padded to an even size.
        let name_total = (1 + name_len + 1) & !1;
        let size_at = pos + 6 + name_total;
        let Some(size) = data
            .get(size_at..size_at + 4)
            .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize)
        else {
            warnings.push("A Photoshop resource header is cut short.".into());
            break;
        };
        let start = size_at + 4;
        let Some(body) = data.get(start..start.saturating_add(size)) else {
            warnings.push(format!(
                "Photoshop resource 0x{id:04X} runs past the end of its block."
            ));
            break;
        };
        out.push(Resource { id, data: body });
        pos = start.saturating_add(size).saturating_add(size & 1);
    }
    out
}

fn read_resource(res: &Resource<'_>, meta: &mut Metadata) {
    match res.id {
        0x0404 => iptc::read(res.data, meta),
        0x0409 | 0x040C => read_thumbnail(res.data, meta),
        0x040F => icc::read_profile(res.data, meta),
        0x0422 => exif::read(res.data, meta),
        0x0424 => xmp::read(res.data, meta),
        0x040A => {
            if let Some(&flag) = res.data.first() {
                meta.add(
                    "Photoshop",
                    "CopyrightFlag",
                    if flag != 0 { "True" } else { "False" },
                );
            }
        }
        0x040B => meta.add("Photoshop", "URL", latin1(res.data)),
        0x041E => read_url_list(res.data, meta),
        0x0421 => read_version_info(res.data, meta),
        0x0425 => meta.add("Photoshop", "IPTCDigest", hex(res.data)),
        0x0BB7 => meta.add("Photoshop", "ClippingPathName", pascal(res.data)),
        _ => {}
    }
}

/// Thumbnail resource: a 28-byte header (format, width, height, …) then a JPEG.
fn read_thumbnail(data: &[u8], meta: &mut Metadata) {
    let be32 = |at: usize| {
        data.get(at..at + 4)
            .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    };
    let (Some(width), Some(height)) = (be32(4), be32(8)) else {
        meta.warnings
            .push("A Photoshop thumbnail is cut short.".into());
        return;
    };
    let jpeg = data.get(28..).unwrap_or_default();
    if jpeg.is_empty() {
        return;
    }
    meta.thumbnails.push(Embedded {
        source: "Photoshop".into(),
        what: format!("a JPEG preview {width}×{height}"),
        bytes: jpeg.len(),
    });
    meta.add(
        "Photoshop",
        "PhotoshopThumbnail",
        format!("(Binary data {} bytes)", jpeg.len()),
    );
}

/// URL list: count, then for each URL a 4-byte tag, 4-byte id and a Unicode string.
fn read_url_list(data: &[u8], meta: &mut Metadata) {
    let mut urls = Vec::new();
    let count = be32(data, 0).unwrap_or(0).min(1000);
    let mut pos = 4usize;
    for _ in 0..count {
        pos += 8;
        let Some((text, next)) = unicode_string(data, pos) else {
            break;
        };
        urls.push(text);
        pos = next;
    }
    meta.add("Photoshop", "URL_List", urls.join(", "));
}

/// Version info: version, has-real-merged-data flag, writer and reader names.
fn read_version_info(data: &[u8], meta: &mut Metadata) {
    let Some((writer, next)) = unicode_string(data, 5) else {
        return;
    };
    meta.add("Photoshop", "WriterName", writer);
    if let Some((reader, _)) = unicode_string(data, next) {
        meta.add("Photoshop", "ReaderName", reader);
    }
}

/// Photoshop Unicode string: u32 count of UTF-16BE units, then the units.
fn unicode_string(data: &[u8], at: usize) -> Option<(String, usize)> {
    let count = be32(data, at)? as usize;
    let bytes = data.get(at + 4..(at + 4).checked_add(count.checked_mul(2)?)?)?;
    let text = super::utf16_lossy(bytes, true);
    Some((text.trim_end_matches('\0').to_string(), at + 4 + count * 2))
}

fn pascal(data: &[u8]) -> String {
    let len = data.first().copied().unwrap_or(0) as usize;
    data.get(1..1 + len).map(latin1).unwrap_or_default()
}

fn latin1(data: &[u8]) -> String {
    data.iter()
        .take_while(|&&b| b != 0)
        .map(|&b| b as char)
        .collect()
}

fn hex(data: &[u8]) -> String {
    data.iter().take(64).map(|b| format!("{b:02x}")).collect()
}

fn be32(d: &[u8], at: usize) -> Option<u32> {
    let b = d.get(at..at.checked_add(4)?)?;
    Some(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Builds one `8BIM` resource with an empty name.
    fn resource(id: u16, name: &str, data: &[u8]) -> Vec<u8> {
        let mut out = b"8BIM".to_vec();
        out.extend_from_slice(&id.to_be_bytes());
        out.push(name.len() as u8);
        out.extend_from_slice(name.as_bytes());
        if (1 + name.len()) % 2 == 1 {
            out.push(0);
        }
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        out.extend_from_slice(data);
        if data.len() % 2 == 1 {
            out.push(0);
        }
        out
    }

    fn thumbnail(width: u32, height: u32, jpeg: &[u8]) -> Vec<u8> {
        let mut out = 1u32.to_be_bytes().to_vec();
        for v in [
            width,
            height,
            width * 3,
            width * height * 3,
            jpeg.len() as u32,
        ] {
            out.extend_from_slice(&v.to_be_bytes());
        }
        out.extend_from_slice(&24u16.to_be_bytes());
        out.extend_from_slice(&1u16.to_be_bytes());
        out.extend_from_slice(jpeg);
        out
    }

    fn iptc_city(city: &str) -> Vec<u8> {
        let mut out = vec![0x1C, 2, 90];
        out.extend_from_slice(&(city.len() as u16).to_be_bytes());
        out.extend_from_slice(city.as_bytes());
        out
    }

    fn value<'m>(meta: &'m Metadata, group: &str, tag: &str) -> Option<&'m str> {
        meta.fields
            .iter()
            .find(|f| f.group == group && f.tag == tag)
            .map(|f| f.value.as_str())
    }

    fn sample_block() -> Vec<u8> {
        let mut block = b"Photoshop 3.0\0".to_vec();
        block.extend(resource(0x0404, "", &iptc_city("Lyon")));
        block.extend(resource(
            0x040C,
            "",
            &thumbnail(160, 120, &[0xFF, 0xD8, 0xFF, 0xDB, 1, 2, 3, 0xFF, 0xD9]),
        ));
        block.extend(resource(0x0BB7, "", b"\x04Clip"));
        let xmp = br#"<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" photoshop:City="Nice"/></rdf:RDF></x:xmpmeta>"#;
        block.extend(resource(0x0424, "odd", xmp));
        block
    }

    #[test]
    fn reads_iptc_thumbnail_xmp_and_text() {
        let mut meta = Metadata::default();
        read(&sample_block(), &mut meta);
        assert_eq!(value(&meta, "IPTC", "City"), Some("Lyon"));
        assert_eq!(value(&meta, "XMP-photoshop", "City"), Some("Nice"));
        assert_eq!(value(&meta, "Photoshop", "ClippingPathName"), Some("Clip"));
        assert_eq!(meta.thumbnails.len(), 1);
        assert_eq!(meta.thumbnails[0].what, "a JPEG preview 160×120");
        assert_eq!(meta.thumbnails[0].bytes, 9);
        assert!(meta.warnings.is_empty(), "{:?}", meta.warnings);
    }

    #[test]
    fn truncated_blocks_never_panic() {
        let block = sample_block();
        for n in 0..block.len() {
            read(&block[..n], &mut Metadata::default());
        }
        let mut huge = resource(0x0404, "", b"");
        let at = huge.len() - 4;
        huge[at..].copy_from_slice(&u32::MAX.to_be_bytes());
        let mut meta = Metadata::default();
        read(&huge, &mut meta);
        assert_eq!(meta.warnings.len(), 1);
    }
}
