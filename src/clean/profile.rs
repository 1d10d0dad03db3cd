//! The colour profile of a safer copy: keep the colours, drop the identity.
//!
//! A profile says how the stored numbers become colours, but it also carries a
//! name, a copyright line, a creation date, the maker and model of the device,
//! the app that made it, a profile id and private tags. A Mac's display profile,
//! copied byte for byte, links every screenshot from that computer.
//!
//! It owns rebuilding one profile from an allow-list: the header is written
//! again with only the fields that change colours (version, class, colour
//! spaces, rendering intent, illuminant) and everything else zero; only the tags
//! that define colours are copied (primaries, white and black point, tone curves
//! or lookup tables, chromatic adaptation), each cut to its exact length when
//! its type is simple; a generic name and a plain "no copyright" line are
//! written new. Any profile it cannot rebuild is left out (`None`) rather than
//! copied. It never reads pixels and never decides what the copy keeps; callers
//! (the writers in `clean`) ask it once per profile.

/// Tags that decide how colours look; everything else (names, dates, device
/// text, calibration for one screen, private tags) is left out.
const COLOUR_TAGS: &[&[u8; 4]] = &[
    b"rXYZ", b"gXYZ", b"bXYZ", // primaries (RGB matrix profiles)
    b"rTRC", b"gTRC", b"bTRC", b"kTRC", // tone curves (RGB, grey)
    b"wtpt", b"bkpt", b"chad", // white point, black point, chromatic adaptation
    b"A2B0", b"A2B1", b"A2B2", b"B2A0", b"B2A1", b"B2A2", // lookup tables (CMYK, LUT RGB)
    b"cicp", // coding-independent code points (ICC v4.4 HDR profiles)
];

/// The generic names written into rebuilt profiles (also known to the checker as not
/// naming anyone: see `meta::icc::is_well_known`).
pub(crate) const GENERIC_NAMES: &[&str] = &["RGB colour profile", "Grey colour profile", "CMYK colour profile", "Colour profile"];
pub(crate) const GENERIC_COPYRIGHT: &str = "No copyright, use freely";

/// Most tags looked at (real profiles have fewer than 100).
const MAX_TAGS: usize = 256;
const HEADER: usize = 128;

/// The profile a copy gets: None when the person chose to drop it or when it
/// cannot be rebuilt safely; otherwise the rebuilt, neutral profile.
pub(crate) fn profile_for_copy(original_icc: &[u8], keep: bool) -> Option<Vec<u8>> {
    if !keep {
        return None;
    }
    neutral(original_icc)
}

/// Rebuilds `p` from its colour tags with a neutral header and a generic name.
fn neutral(p: &[u8]) -> Option<Vec<u8>> {
    if p.len() < HEADER + 4 || p.get(36..40)? != b"acsp" {
        return None;
    }
    let declared = be32(p, 0)? as usize;
    let p = p.get(..declared.min(p.len()))?;
    let count = be32(p, HEADER)? as usize;
    if count > MAX_TAGS {
        return None;
    }
    // (signature, exact data) of every colour tag; tags sharing data stay shared.
    let mut tags: Vec<([u8; 4], usize, &[u8])> = Vec::new();
    for i in 0..count {
        let entry = HEADER + 4 + i * 12;
        let sig: [u8; 4] = p.get(entry..entry + 4)?.try_into().ok()?;
        if !COLOUR_TAGS.contains(&&sig) || tags.iter().any(|t| t.0 == sig) {
            continue;
        }
        let (offset, size) = (be32(p, entry + 4)? as usize, be32(p, entry + 8)? as usize);
        let data = p.get(offset..offset.checked_add(size)?)?;
        let used = exact_len(data)?;
        tags.push((sig, offset, &data[..used]));
    }
    let colour_space = p.get(16..20)?;
    let has_colours = match colour_space {
        b"RGB " => ["rXYZ", "gXYZ", "bXYZ", "rTRC", "gTRC", "bTRC"].iter().all(|t| has(&tags, t)) || has(&tags, "A2B0"),
        b"GRAY" => has(&tags, "kTRC") || has(&tags, "A2B0"),
        _ => has(&tags, "A2B0"),
    };
    if !has_colours || !has(&tags, "wtpt") && be32(p, 8)? < 0x0400_0000 {
        return None; // a profile without its colour definition is no use; v2 also needs a white point
    }
    let v4 = p[8] >= 4;
    let name = match colour_space {
        b"RGB " => GENERIC_NAMES[0],
        b"GRAY" => GENERIC_NAMES[1],
        b"CMYK" => GENERIC_NAMES[2],
        _ => GENERIC_NAMES[3],
    };
    let desc = if v4 { mluc(name) } else { desc_v2(name) };
    let cprt = if v4 { mluc(GENERIC_COPYRIGHT) } else { text_v2(GENERIC_COPYRIGHT) };
    Some(assemble(p, &tags, &desc, &cprt))
}

fn has(tags: &[([u8; 4], usize, &[u8])], sig: &str) -> bool {
    tags.iter().any(|t| &t.0 == sig.as_bytes())
}

/// Writes the header, tag table and tag data. Tags that shared data in the
/// original share it again (rTRC = gTRC = bTRC is common).
fn assemble(p: &[u8], tags: &[([u8; 4], usize, &[u8])], desc: &[u8], cprt: &[u8]) -> Vec<u8> {
    let mut header = vec![0u8; HEADER];
    // Kept: version (8..12), class (12..16), colour space and PCS (16..24), "acsp" (36..40),
    // rendering intent (64..68), PCS illuminant (68..80). Zero: CMM, date, platform, flags,
    // device maker, model and attributes, creator, profile id.
    for range in [8..24, 36..40, 64..80] {
        header[range.clone()].copy_from_slice(&p[range]);
    }
    let entries = tags.len() + 2;
    let mut table: Vec<u8> = (entries as u32).to_be_bytes().to_vec();
    let mut body: Vec<u8> = Vec::new();
    let data_start = HEADER + 4 + entries * 12;
    let mut placed: Vec<(usize, usize, usize)> = Vec::new(); // (original offset, new offset, len)
    let mut place = |table: &mut Vec<u8>, body: &mut Vec<u8>, sig: &[u8; 4], original: Option<usize>, data: &[u8]| {
        let reuse = original.and_then(|o| placed.iter().find(|(po, _, pl)| *po == o && *pl == data.len()));
        let at = match reuse {
            Some(&(_, at, _)) => at,
            None => {
                let at = data_start + body.len();
                body.extend_from_slice(data);
                while body.len() % 4 != 0 {
                    body.push(0);
                }
                if let Some(o) = original {
                    placed.push((o, at, data.len()));
                }
                at
            }
        };
        table.extend_from_slice(sig);
        table.extend_from_slice(&(at as u32).to_be_bytes());
        table.extend_from_slice(&(data.len() as u32).to_be_bytes());
    };
    place(&mut table, &mut body, b"desc", None, desc);
    place(&mut table, &mut body, b"cprt", None, cprt);
    for (sig, offset, data) in tags {
        place(&mut table, &mut body, sig, Some(*offset), data);
    }
    let mut out = header;
    out.extend(table);
    out.extend(body);
    let size = out.len() as u32;
    out[0..4].copy_from_slice(&size.to_be_bytes());
    out
}

/// The bytes a tag's data really uses, for the simple types; the declared size
/// for lookup tables. None when the data is shorter than its own fields say.
fn exact_len(d: &[u8]) -> Option<usize> {
    let len = match d.get(0..4)? {
        // XYZ numbers: 12 bytes each.
        b"XYZ " => 8 + (d.len().checked_sub(8)? / 12) * 12,
        // Curve: count, then 16-bit values (0: identity, 1: a gamma).
        b"curv" => 12 + 2 * be32(d, 8)? as usize,
        // Parametric curve: function type, then 1, 3, 4, 5 or 7 numbers.
        b"para" => 12 + 4 * [1, 3, 4, 5, 7].get(be16(d, 8)? as usize)?,
        // Chromatic adaptation matrix: 9 numbers.
        b"sf32" => 8 + 4 * ((d.len().checked_sub(8)? / 4).min(9)),
        // Coding-independent code points: 4 bytes.
        b"cicp" => 12,
        // Lookup tables (mft1, mft2, mAB, mBA): their inner offsets point anywhere
        // inside; keep the declared data whole.
        b"mft1" | b"mft2" | b"mAB " | b"mBA " => d.len(),
        _ => return None,
    };
    (len <= d.len() && len > 8).then_some(len)
}

/// ICC v2 `desc` (textDescriptionType): ASCII name, empty Unicode and ScriptCode parts.
fn desc_v2(name: &str) -> Vec<u8> {
    let mut t = b"desc\0\0\0\0".to_vec();
    t.extend_from_slice(&(name.len() as u32 + 1).to_be_bytes());
    t.extend_from_slice(name.as_bytes());
    t.push(0);
    t.extend_from_slice(&[0; 4 + 4 + 2 + 1 + 67]);
    t
}

/// ICC v2 `text` (textType): ASCII then NUL.
fn text_v2(text: &str) -> Vec<u8> {
    let mut t = b"text\0\0\0\0".to_vec();
    t.extend_from_slice(text.as_bytes());
    t.push(0);
    t
}

/// ICC v4 `mluc` with one en-US record.
fn mluc(text: &str) -> Vec<u8> {
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

fn be32(d: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(d.get(at..at.checked_add(4)?)?.try_into().ok()?))
}

fn be16(d: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(d.get(at..at.checked_add(2)?)?.try_into().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn xyz(x: i32, y: i32, z: i32) -> Vec<u8> {
        let mut t = b"XYZ \0\0\0\0".to_vec();
        for v in [x, y, z] {
            t.extend_from_slice(&v.to_be_bytes());
        }
        t
    }

    fn gamma(g: u16) -> Vec<u8> {
        let mut t = b"curv\0\0\0\0\0\0\0\x01".to_vec();
        t.extend_from_slice(&g.to_be_bytes());
        t
    }

    /// A display profile (v2) with a name, copyright, device text, a date and a private tag.
    pub(crate) fn identifying_profile() -> Vec<u8> {
        let mut private = b"text\0\0\0\0".to_vec();
        private.extend_from_slice(b"Asha's MacBook, serial C02XYZ\0");
        let mut long_curve = gamma(0x0233);
        long_curve.extend_from_slice(b"HIDDEN-NAME-IN-PADDING");
        let mut p = crate::meta::icc::tests::build_profile(&[
            (b"desc", crate::meta::icc::tests::desc_tag("Asha's iMac display")),
            (b"cprt", crate::meta::icc::tests::desc_tag("Copyright Asha Rao")),
            (b"dmdd", crate::meta::icc::tests::desc_tag("iMac 27-inch serial 12345")),
            (b"wtpt", xyz(63190, 65536, 54061)),
            (b"rXYZ", xyz(28564, 14688, 1016)),
            (b"gXYZ", xyz(21578, 45182, 4633)),
            (b"bXYZ", xyz(9862, 5666, 47049)),
            (b"rTRC", long_curve),
            (b"gTRC", gamma(0x0233)),
            (b"bTRC", gamma(0x0233)),
            (b"priv", private),
        ]);
        // Version 2.1, a display ("mntr") profile from RGB to XYZ.
        p[8..12].copy_from_slice(&[2, 0x10, 0, 0]);
        p[12..24].copy_from_slice(b"mntrRGB XYZ ");
        p
    }

    fn contains(hay: &[u8], needle: &[u8]) -> bool {
        hay.windows(needle.len()).any(|w| w == needle)
    }

    #[test]
    fn keeps_the_colour_tags_and_nothing_that_names_anyone() {
        let original = identifying_profile();
        let copy = profile_for_copy(&original, true).expect("rebuilt");
        for planted in [&b"Asha"[..], b"MacBook", b"C02XYZ", b"12345", b"HIDDEN", b"appl", b"APPL"] {
            assert!(!contains(&copy, planted), "{} survived", String::from_utf8_lossy(planted));
        }
        // Header: size right, date/creator/device zero, class and spaces kept.
        assert_eq!(be32(&copy, 0), Some(copy.len() as u32));
        assert_eq!(&copy[24..36], &[0; 12], "date");
        assert_eq!(&copy[36..40], b"acsp");
        assert_eq!(&copy[12..24], &original[12..24]);
        // Every colour tag's data is byte-identical (the padding after the curve is gone).
        let mut meta = crate::meta::Metadata::default();
        crate::meta::icc::read_profile(&copy, &mut meta);
        let desc = meta.fields.iter().find(|f| f.tag == "ProfileDescription").map(|f| f.value.clone());
        assert_eq!(desc.as_deref(), Some("RGB colour profile"));
        assert!(meta.fields.iter().all(|f| f.group != "ICC-header"), "{:?}", meta.fields);
        for sig in [b"wtpt", b"rXYZ", b"gXYZ", b"bXYZ", b"gTRC"] {
            assert_eq!(tag(&copy, sig), tag(&original, sig), "{}", String::from_utf8_lossy(sig));
        }
        assert_eq!(tag(&copy, b"rTRC").unwrap(), &gamma(0x0233)[..]);
        assert!(tag(&copy, b"priv").is_none() && tag(&copy, b"dmdd").is_none());
    }

    #[test]
    fn dropping_or_damage_gives_no_profile_and_never_panics() {
        let original = identifying_profile();
        assert_eq!(profile_for_copy(&original, false), None);
        for n in 0..original.len() {
            let _ = profile_for_copy(&original[..n], true);
        }
        for i in 0..original.len() {
            let mut bad = original.clone();
            bad[i] ^= 0xFF;
            let _ = profile_for_copy(&bad, true);
        }
        // A profile without its colour definition is not copied.
        let names_only =
            crate::meta::icc::tests::build_profile(&[(b"desc", crate::meta::icc::tests::desc_tag("Only a name"))]);
        assert_eq!(profile_for_copy(&names_only, true), None);
    }

    #[test]
    fn rebuilding_twice_gives_the_same_bytes() {
        let once = profile_for_copy(&identifying_profile(), true).unwrap();
        assert_eq!(profile_for_copy(&once, true).as_deref(), Some(&once[..]));
    }

    /// The data of tag `sig` in profile `p`.
    pub(crate) fn tag<'a>(p: &'a [u8], sig: &[u8; 4]) -> Option<&'a [u8]> {
        let count = be32(p, HEADER)? as usize;
        (0..count).find_map(|i| {
            let e = HEADER + 4 + i * 12;
            (p.get(e..e + 4)? == sig).then(|| {
                let (o, s) = (be32(p, e + 4)? as usize, be32(p, e + 8)? as usize);
                p.get(o..o + s)
            })?
        })
    }
}
