//! ICC colour profile reader: only the parts that can say something about a
//! person or a device — the header (creator, date, device maker and model) and
//! the text tags `desc`, `cprt`, `dmnd`, `dmdd`. Curves and matrices are ignored.
//!
//! It owns joining the profile from its chunks (JPEG splits it over APP2
//! segments, already in order) and decoding `desc`/`mluc`/`text` tag types.
//! Every offset and count is checked; it never judges what is risky.

use super::Metadata;
use crate::container::{limits, Format};

/// Most tag-table entries looked at (real profiles have < 100).
const MAX_TAGS: usize = 1024;
/// Longest text kept from one tag.
const MAX_TEXT_CHARS: usize = 1024;

/// Joins the chunks of one profile and reads it.
pub fn read_chunks(chunks: &[&[u8]], format: Format, meta: &mut Metadata) {
    let total: usize = chunks
        .iter()
        .map(|c| c.len())
        .fold(0, usize::saturating_add);
    if total > limits::MAX_INFLATED_BYTES {
        meta.warnings.push(format!(
            "An ICC profile of {total} bytes ({}) is too large and was skipped.",
            format.name()
        ));
        return;
    }
    if chunks.len() > 1 && !meta.budget.take_inflated(total) {
        meta.skipped_for_budget(total);
        return;
    }
    let profile: Vec<u8> = chunks.concat();
    read_profile(&profile, meta);
}

/// Reads one whole profile.
pub fn read_profile(p: &[u8], meta: &mut Metadata) {
    if p.len() < 132 || p.get(36..40) != Some(b"acsp") {
        meta.warnings
            .push("The ICC colour profile is damaged and was not read.".into());
        return;
    }
    read_header(p, meta);
    let count = be32(p, 128).unwrap_or(0) as usize;
    for i in 0..count.min(MAX_TAGS) {
        let entry = 132 + i * 12;
        let (Some(sig), Some(offset), Some(size)) = (
            p.get(entry..entry + 4),
            be32(p, entry + 4),
            be32(p, entry + 8),
        ) else {
            meta.warnings.push("The ICC tag table is cut short.".into());
            break;
        };
        let name = match sig {
            b"desc" => "ProfileDescription",
            b"cprt" => "ProfileCopyright",
            b"dmnd" => "DeviceMfgDesc",
            b"dmdd" => "DeviceModelDesc",
            _ => continue,
        };
        let (offset, size) = (offset as usize, size as usize);
        let Some(data) = p.get(offset..offset.saturating_add(size)) else {
            meta.warnings
                .push(format!("The ICC {name} tag points outside the profile."));
            continue;
        };
        if let Some(text) = tag_text(data) {
            meta.add("ICC_Profile", name, text);
        }
    }
}

/// Header fields ExifTool puts in group `ICC-header`.
fn read_header(p: &[u8], meta: &mut Metadata) {
    for (offset, tag) in [
        (48, "DeviceManufacturer"),
        (52, "DeviceModel"),
        (80, "ProfileCreator"),
        (4, "ProfileCMMType"),
    ] {
        if let Some(sig) = p.get(offset..offset + 4) {
            if sig.iter().any(|&b| b != 0) {
                meta.add("ICC-header", tag, four_cc(sig));
            }
        }
    }
    let date: Vec<u16> = (0..6).filter_map(|i| be16(p, 24 + i * 2)).collect();
    if date.len() == 6 && date[0] != 0 {
        meta.add(
            "ICC-header",
            "ProfileDateTime",
            format!(
                "{:04}:{:02}:{:02} {:02}:{:02}:{:02}",
                date[0], date[1], date[2], date[3], date[4], date[5]
            ),
        );
    }
}

/// Text of a `desc` (ICC v2), `mluc` (v4, English preferred) or `text` tag.
fn tag_text(data: &[u8]) -> Option<String> {
    let kind = data.get(0..4)?;
    let text = match kind {
        b"desc" => {
            let len = be32(data, 8)? as usize;
            let bytes = data
                .get(12..12usize.checked_add(len)?)
                .or_else(|| data.get(12..))?;
            latin1_until_nul(bytes)
        }
        b"text" => latin1_until_nul(data.get(8..)?),
        b"mluc" => mluc_text(data)?,
        _ => return None,
    };
    Some(text.chars().take(MAX_TEXT_CHARS).collect())
}

/// Multi-localised Unicode: picks en-US, then any English, then the first record.
fn mluc_text(data: &[u8]) -> Option<String> {
    let count = (be32(data, 8)? as usize).min(MAX_TAGS);
    let rec_size = be32(data, 12)? as usize;
    if rec_size < 12 {
        return None;
    }
    let mut best: Option<(u8, usize, usize)> = None;
    for i in 0..count {
        let at = 16usize.checked_add(i.checked_mul(rec_size)?)?;
        let (Some(lang), Some(len), Some(off)) =
            (data.get(at..at + 4), be32(data, at + 4), be32(data, at + 8))
        else {
            break;
        };
        let rank = match lang {
            b"enUS" => 0,
            [b'e', b'n', ..] => 1,
            _ => 2,
        };
        if best.is_none_or(|(r, _, _)| rank < r) {
            best = Some((rank, off as usize, len as usize));
        }
    }
    let (_, off, len) = best?;
    let bytes = data.get(off..off.checked_add(len)?)?;
    Some(super::utf16_lossy(bytes, true).trim_end_matches('\0').to_string())
}

fn latin1_until_nul(bytes: &[u8]) -> String {
    bytes
        .iter()
        .take_while(|&&b| b != 0)
        .map(|&b| b as char)
        .collect()
}

fn four_cc(sig: &[u8]) -> String {
    sig.iter()
        .map(|&b| {
            if b.is_ascii_graphic() || b == b' ' {
                b as char
            } else {
                '.'
            }
        })
        .collect::<String>()
        .trim_end()
        .to_string()
}

fn be32(d: &[u8], at: usize) -> Option<u32> {
    let b = d.get(at..at.checked_add(4)?)?;
    Some(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
}

fn be16(d: &[u8], at: usize) -> Option<u16> {
    let b = d.get(at..at.checked_add(2)?)?;
    Some(u16::from_be_bytes([b[0], b[1]]))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn desc_tag(text: &str) -> Vec<u8> {
        let mut t = b"desc\0\0\0\0".to_vec();
        t.extend_from_slice(&(text.len() as u32 + 1).to_be_bytes());
        t.extend_from_slice(text.as_bytes());
        t.push(0);
        t.extend_from_slice(&[0u8; 12]);
        t
    }

    fn mluc_tag(text: &str) -> Vec<u8> {
        let utf16: Vec<u8> = text.encode_utf16().flat_map(|u| u.to_be_bytes()).collect();
        let mut t = b"mluc\0\0\0\0".to_vec();
        t.extend_from_slice(&1u32.to_be_bytes());
        t.extend_from_slice(&12u32.to_be_bytes());
        t.extend_from_slice(b"enUS");
        t.extend_from_slice(&(utf16.len() as u32).to_be_bytes());
        t.extend_from_slice(&28u32.to_be_bytes());
        t.extend_from_slice(&utf16);
        t
    }

    /// A tiny profile with the given tags (signature, tag data).
    pub(crate) fn build_profile(tags: &[(&[u8; 4], Vec<u8>)]) -> Vec<u8> {
        let mut p = vec![0u8; 128];
        p[4..8].copy_from_slice(b"appl");
        p[24..36].copy_from_slice(&[0x07, 0xE1, 0, 7, 0, 7, 0, 13, 0, 22, 0, 32]);
        p[36..40].copy_from_slice(b"acsp");
        p[48..52].copy_from_slice(b"APPL");
        p[80..84].copy_from_slice(b"appl");
        p.extend_from_slice(&(tags.len() as u32).to_be_bytes());
        let mut offset = 132 + tags.len() * 12;
        let mut body = Vec::new();
        for (sig, data) in tags {
            p.extend_from_slice(*sig);
            p.extend_from_slice(&(offset as u32).to_be_bytes());
            p.extend_from_slice(&(data.len() as u32).to_be_bytes());
            body.extend_from_slice(data);
            offset += data.len();
        }
        p.extend(body);
        let len = p.len() as u32;
        p[0..4].copy_from_slice(&len.to_be_bytes());
        p
    }

    fn value<'m>(meta: &'m Metadata, group: &str, tag: &str) -> Option<&'m str> {
        meta.fields
            .iter()
            .find(|f| f.group == group && f.tag == tag)
            .map(|f| f.value.as_str())
    }

    #[test]
    fn reads_header_and_text_tags_from_chunks() {
        let profile = build_profile(&[
            (b"desc", desc_tag("Display P3")),
            (b"cprt", mluc_tag("Copyright Apple Inc., 2017")),
        ]);
        let (a, b) = profile.split_at(70);
        let mut meta = Metadata::default();
        read_chunks(&[a, b], Format::Jpeg, &mut meta);
        assert_eq!(
            value(&meta, "ICC_Profile", "ProfileDescription"),
            Some("Display P3")
        );
        assert_eq!(
            value(&meta, "ICC_Profile", "ProfileCopyright"),
            Some("Copyright Apple Inc., 2017")
        );
        assert_eq!(value(&meta, "ICC-header", "ProfileCreator"), Some("appl"));
        assert_eq!(
            value(&meta, "ICC-header", "DeviceManufacturer"),
            Some("APPL")
        );
        assert_eq!(
            value(&meta, "ICC-header", "ProfileDateTime"),
            Some("2017:07:07 13:22:32")
        );
    }

    #[test]
    fn damaged_profiles_never_panic() {
        let profile = build_profile(&[(b"dmnd", desc_tag("Maker")), (b"dmdd", mluc_tag("Model"))]);
        for n in 0..profile.len() {
            read_profile(&profile[..n], &mut Metadata::default());
        }
        let mut bad = profile.clone();
        bad[132 + 4..132 + 8].copy_from_slice(&u32::MAX.to_be_bytes());
        let mut meta = Metadata::default();
        read_profile(&bad, &mut meta);
        assert!(!meta.warnings.is_empty());
        assert_eq!(
            value(&meta, "ICC_Profile", "DeviceModelDesc"),
            Some("Model")
        );
    }
}
