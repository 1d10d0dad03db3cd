//! JPEG safer copy, rebuilt from an allow-list: the copy holds only what
//! ThinkTwice parsed and knows the picture needs, each part written again from
//! the parsed values with exact lengths:
//! SOI, a canonical JFIF header (no thumbnail), the new minimal EXIF, a canonical
//! Adobe colour-transform header, the colour profile (when kept, through
//! `profile::profile_for_copy`), one DQT with only the tables the frame uses, the
//! frame header, and per scan: DRI when it changes, one DHT with only the tables
//! that scan uses, the scan header and exactly the scan's coded bits (`scan`),
//! then EOI. Everything else is dropped; what was dropped without being read
//! (stray bytes, unknown segments, extra bytes inside segments, unused tables,
//! bytes after the coded picture data) is counted as unread.
//!
//! It must not keep any byte range of the original as-is except table values,
//! frame/scan fields and coded picture bits, and it never changes the input.

use super::scan::{self, damaged, Component, Frame, Huffman, Scan};
use super::{CleanError, Input, Rebuilt};

const ICC_SIG: &[u8] = b"ICC_PROFILE\0";
/// Largest profile piece in one APP2 segment (65535 − 2 length − 14 header bytes).
const ICC_CHUNK: usize = 65_519;

/// APPn/COM segments ThinkTwice reads (so dropping them is reported by their findings, not as unread).
fn is_read_metadata(marker: u8, p: &[u8]) -> bool {
    match marker {
        0xE1 => p.starts_with(b"Exif\0") || p.starts_with(b"http://ns.adobe.com/"),
        0xE2 => p.starts_with(ICC_SIG) || p.starts_with(b"MPF\0"),
        0xED => p.starts_with(b"Photoshop 3.0\0"),
        0xFE => true,
        _ => false,
    }
}

/// A quantisation table as defined: precision (0: 8-bit, 1: 16-bit) and its values.
#[derive(Clone)]
struct Quant {
    pq: u8,
    values: Vec<u8>,
}

/// A Huffman table as defined, plus its decoder.
#[derive(Clone)]
struct Table {
    counts: [u8; 16],
    values: Vec<u8>,
    decoder: Huffman,
}

#[derive(Default)]
struct Parsed {
    /// JFIF density: units, x density, y density.
    jfif: Option<(u8, u16, u16)>,
    /// Adobe colour transform (0 none, 1 YCbCr, 2 YCCK).
    adobe: Option<u8>,
    /// ICC pieces: (sequence number, count, bytes).
    icc: Vec<(u8, u8, Vec<u8>)>,
    quant: [Option<Quant>; 4],
    /// Tables latched for each frame component at its first scan.
    latched: Vec<Option<Quant>>,
    dc: [Option<Table>; 4],
    ac: [Option<Table>; 4],
    restart: u16,
    frame: Option<Frame>,
    /// Scans written so far (DRI/DHT/SOS/data), after the frame header.
    scans: Vec<u8>,
    written_restart: u16,
    unread: usize,
}

pub(super) fn rebuild(input: &Input<'_>) -> Result<Rebuilt, CleanError> {
    let b = input.bytes;
    if !b.starts_with(&[0xFF, 0xD8]) {
        return Err(CleanError::Unreadable(crate::container::WalkError::damaged("This file does not start like a JPEG image.")));
    }
    let mut st = Parsed::default();
    let mut pos = 2;
    let mut steps = 0usize;
    while pos < b.len() {
        steps += 1;
        if steps > 4 * crate::container::limits::MAX_BLOCKS {
            return Err(damaged("too many segments"));
        }
        if b[pos] != 0xFF {
            let next = memchr::memchr(0xFF, &b[pos..]).map_or(b.len(), |i| pos + i);
            st.unread += next - pos;
            pos = next;
            continue;
        }
        while b.get(pos + 1) == Some(&0xFF) {
            pos += 1;
        }
        let Some(&marker) = b.get(pos + 1) else {
            st.unread += b.len() - pos;
            break;
        };
        let start = pos;
        pos += 2;
        match marker {
            0xD9 => break, // bytes after EOI are the walker's trailer: reported there
            0x00 | 0x01 | 0xD0..=0xD8 => {
                st.unread += pos - start;
                continue;
            }
            _ => {}
        }
        let len = match b.get(pos..pos + 2) {
            Some(l) => u16::from_be_bytes([l[0], l[1]]) as usize,
            None => 0,
        };
        if len < 2 || pos + len > b.len() {
            // A segment that runs past the end of the file (or has no length).
            st.unread += b.len() - start;
            break;
        }
        let p = &b[pos + 2..pos + len];
        pos += len;
        match marker {
            0xE0 if p.starts_with(b"JFIF\0") && p.len() >= 14 => {
                if st.jfif.is_none() {
                    st.jfif = Some((p[7], u16::from_be_bytes([p[8], p[9]]), u16::from_be_bytes([p[10], p[11]])));
                    st.unread += p.len() - 14;
                } else {
                    st.unread += len + 2;
                }
            }
            0xEE if p.starts_with(b"Adobe") && p.len() >= 12 => {
                if st.adobe.is_none() {
                    st.adobe = Some(p[11]);
                    st.unread += p.len() - 12;
                } else {
                    st.unread += len + 2;
                }
            }
            0xE2 if p.starts_with(ICC_SIG) && p.len() >= ICC_SIG.len() + 2 => {
                let h = ICC_SIG.len();
                st.icc.push((p[h], p[h + 1], p[h + 2..].to_vec()));
            }
            0xDB => read_dqt(&mut st, p),
            0xC4 => read_dht(&mut st, p)?,
            0xDD if p.len() >= 2 => {
                st.restart = u16::from_be_bytes([p[0], p[1]]);
                st.unread += p.len() - 2;
            }
            0xC0..=0xC2 => read_frame(&mut st, marker, p)?,
            0xC3 | 0xC5..=0xC7 | 0xC9..=0xCB | 0xCC..=0xCF => {
                return Err(CleanError::Unsupported(
                    "This JPEG uses a rare kind of coding (arithmetic, lossless or hierarchical) that ThinkTwice \
                     cannot copy safely yet. You can open it in a photo app, save it again as JPEG, and check that copy."
                        .into(),
                ));
            }
            0xDA => {
                read_scan(&mut st, p)?;
                let scan = parse_scan(&st, p)?;
                let frame = st.frame.as_mut().ok_or_else(|| damaged("a scan before the frame header"))?;
                let dc: [Option<Huffman>; 4] = std::array::from_fn(|i| st.dc[i].as_ref().map(|t| t.decoder.clone()));
                let ac: [Option<Huffman>; 4] = std::array::from_fn(|i| st.ac[i].as_ref().map(|t| t.decoder.clone()));
                let data = scan::rewrite(frame, &scan, &dc, &ac, st.restart, &b[pos..])?;
                st.scans.extend_from_slice(&data.bytes);
                st.unread += data.unread;
                pos += data.end;
            }
            m if is_read_metadata(m, p) => {}
            _ => st.unread += len + 2,
        }
    }
    let frame = st.frame.as_ref().ok_or_else(|| damaged("no frame header"))?;
    if st.scans.is_empty() {
        return Err(damaged("no picture data"));
    }
    let mut out = Vec::with_capacity(b.len());
    out.extend_from_slice(&[0xFF, 0xD8]);
    if let Some((units, x, y)) = st.jfif {
        let mut p = b"JFIF\0\x01\x02".to_vec();
        p.push(units);
        p.extend_from_slice(&x.to_be_bytes());
        p.extend_from_slice(&y.to_be_bytes());
        p.extend_from_slice(&[0, 0]);
        segment(&mut out, 0xE0, &p);
    }
    if let Some(segment_bytes) = input.exif.and_then(app1_exif) {
        out.extend_from_slice(&segment_bytes);
    }
    if let Some(transform) = st.adobe {
        segment(&mut out, 0xEE, &[b'A', b'd', b'o', b'b', b'e', 0, 100, 0, 0, 0, 0, transform]);
    }
    if let Some(profile) = joined_icc(&mut st.icc).and_then(|icc| super::profile::profile_for_copy(&icc, input.options.keep_colour_profile)) {
        out.extend(icc_segments(&profile));
    }
    let mut dqt = Vec::new();
    for (id, table) in used_quant(&st, frame) {
        dqt.push(table.pq << 4 | id);
        dqt.extend_from_slice(&table.values);
    }
    if !dqt.is_empty() {
        segment(&mut out, 0xDB, &dqt);
    }
    let mut sof = vec![frame.precision];
    sof.extend_from_slice(&frame.height.to_be_bytes());
    sof.extend_from_slice(&frame.width.to_be_bytes());
    sof.push(frame.components.len() as u8);
    for c in &frame.components {
        sof.extend_from_slice(&[c.id, c.h << 4 | c.v, c.tq]);
    }
    segment(&mut out, frame.marker, &sof);
    out.extend_from_slice(&st.scans);
    out.extend_from_slice(&[0xFF, 0xD9]);
    Ok(Rebuilt { bytes: out, unread: st.unread })
}

fn segment(out: &mut Vec<u8>, marker: u8, payload: &[u8]) {
    out.extend_from_slice(&[0xFF, marker]);
    out.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
    out.extend_from_slice(payload);
}

fn read_dqt(st: &mut Parsed, mut p: &[u8]) {
    while let Some(&t) = p.first() {
        let (pq, tq) = (t >> 4, t & 15);
        let size = 64 * (pq as usize + 1);
        if pq > 1 || tq > 3 || p.len() < 1 + size {
            break;
        }
        st.quant[tq as usize] = Some(Quant { pq, values: p[1..1 + size].to_vec() });
        p = &p[1 + size..];
    }
    st.unread += p.len();
}

fn read_dht(st: &mut Parsed, mut p: &[u8]) -> Result<(), CleanError> {
    while p.len() >= 17 {
        let (tc, th) = (p[0] >> 4, p[0] & 15);
        let counts: [u8; 16] = p[1..17].try_into().expect("16 bytes");
        let total: usize = counts.iter().map(|&c| c as usize).sum();
        if tc > 1 || th > 3 || p.len() < 17 + total {
            break;
        }
        let values = p[17..17 + total].to_vec();
        let table = Table { counts, decoder: Huffman::new(&counts, &values)?, values };
        if tc == 0 {
            st.dc[th as usize] = Some(table);
        } else {
            st.ac[th as usize] = Some(table);
        }
        p = &p[17 + total..];
    }
    st.unread += p.len();
    Ok(())
}

fn read_frame(st: &mut Parsed, marker: u8, p: &[u8]) -> Result<(), CleanError> {
    if st.frame.is_some() {
        return Err(damaged("a second frame header"));
    }
    if p.len() < 6 || p.len() < 6 + 3 * p[5] as usize {
        return Err(damaged("a short frame header"));
    }
    let n = p[5] as usize;
    let components = (0..n)
        .map(|i| {
            let c = &p[6 + 3 * i..9 + 3 * i];
            Component { id: c[0], h: c[1] >> 4, v: c[1] & 15, tq: c[2] & 3 }
        })
        .collect::<Vec<_>>();
    st.unread += p.len() - (6 + 3 * n);
    let (height, width) = (u16::from_be_bytes([p[1], p[2]]), u16::from_be_bytes([p[3], p[4]]));
    st.latched = vec![None; n];
    st.frame = Some(Frame::new(marker, p[0], width, height, components)?);
    Ok(())
}

fn parse_scan(st: &Parsed, p: &[u8]) -> Result<Scan, CleanError> {
    let frame = st.frame.as_ref().ok_or_else(|| damaged("a scan before the frame header"))?;
    let n = *p.first().ok_or_else(|| damaged("an empty scan header"))? as usize;
    if n == 0 || n > 4 || p.len() < 4 + 2 * n {
        return Err(damaged("a short scan header"));
    }
    let mut components = Vec::with_capacity(n);
    for i in 0..n {
        let (id, tables) = (p[1 + 2 * i], p[2 + 2 * i]);
        let index = frame.components.iter().position(|c| c.id == id).ok_or_else(|| damaged("a scan of a component the frame does not have"))?;
        components.push((index, tables >> 4, tables & 15));
    }
    let rest = &p[1 + 2 * n..];
    Ok(Scan { components, ss: rest[0], se: rest[1], ah: rest[2] >> 4, al: rest[2] & 15 })
}

/// Writes what comes before one scan's data (DRI when it changes, the tables it
/// uses, the canonical scan header) and latches the quantisation tables.
fn read_scan(st: &mut Parsed, p: &[u8]) -> Result<(), CleanError> {
    let scan = parse_scan(st, p)?;
    let progressive = st.frame.as_ref().is_some_and(|f| f.marker == 0xC2);
    st.unread += p.len() - (4 + 2 * scan.components.len());
    if let Some(frame) = &st.frame {
        for &(c, _, _) in &scan.components {
            if st.latched[c].is_none() {
                st.latched[c] = st.quant[frame.components[c].tq as usize].clone();
            }
        }
    }
    if st.restart != st.written_restart {
        let mut dri = Vec::new();
        segment(&mut dri, 0xDD, &st.restart.to_be_bytes());
        st.scans.extend(dri);
        st.written_restart = st.restart;
    }
    let mut dht = Vec::new();
    let mut written: Vec<(u8, u8)> = Vec::new();
    for &(_, td, ta) in &scan.components {
        for (class, id, used) in [(0u8, td, scan.uses_dc_table(progressive)), (1u8, ta, scan.uses_ac_table(progressive))] {
            if !used || written.contains(&(class, id)) || id > 3 {
                continue;
            }
            let table = if class == 0 { &st.dc[id as usize] } else { &st.ac[id as usize] };
            let table = table.as_ref().ok_or_else(|| damaged("a missing Huffman table"))?;
            dht.push(class << 4 | id);
            dht.extend_from_slice(&table.counts);
            dht.extend_from_slice(&table.values);
            written.push((class, id));
        }
    }
    let mut header = Vec::new();
    if !dht.is_empty() {
        segment(&mut header, 0xC4, &dht);
    }
    let mut sos = vec![scan.components.len() as u8];
    let frame = st.frame.as_ref().ok_or_else(|| damaged("a scan before the frame header"))?;
    for &(c, td, ta) in &scan.components {
        sos.extend_from_slice(&[frame.components[c].id, td << 4 | ta]);
    }
    sos.extend_from_slice(&[scan.ss, scan.se, scan.ah << 4 | scan.al]);
    segment(&mut header, 0xDA, &sos);
    st.scans.extend(header);
    Ok(())
}

/// The quantisation tables the frame's components use: the one latched at the
/// component's first scan, else the one defined last.
fn used_quant(st: &Parsed, frame: &Frame) -> Vec<(u8, Quant)> {
    let mut out: Vec<(u8, Quant)> = Vec::new();
    for (i, c) in frame.components.iter().enumerate() {
        if out.iter().any(|(id, _)| *id == c.tq) {
            continue;
        }
        if let Some(q) = st.latched.get(i).cloned().flatten().or_else(|| st.quant[c.tq as usize].clone()) {
            out.push((c.tq, q));
        }
    }
    crate::sort::by_key(&mut out, |(id, _)| u64::from(*id));
    out
}

/// The ICC pieces joined in order, or None when they do not make one whole profile.
fn joined_icc(pieces: &mut [(u8, u8, Vec<u8>)]) -> Option<Vec<u8>> {
    let count = pieces.first()?.1;
    crate::sort::by_key(pieces, |p| u64::from(p.0));
    let whole = pieces.len() == count as usize
        && pieces.iter().enumerate().all(|(i, p)| p.0 as usize == i + 1 && p.1 == count);
    whole.then(|| pieces.iter().flat_map(|p| p.2.iter().copied()).collect())
}

fn icc_segments(profile: &[u8]) -> Vec<u8> {
    let parts: Vec<&[u8]> = profile.chunks(ICC_CHUNK).collect();
    if parts.len() > 255 {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (i, part) in parts.iter().enumerate() {
        let mut p = ICC_SIG.to_vec();
        p.extend_from_slice(&[(i + 1) as u8, parts.len() as u8]);
        p.extend_from_slice(part);
        segment(&mut out, 0xE2, &p);
    }
    out
}

/// `FF E1 <len> "Exif\0\0" <tiff>`; None when it would not fit in one segment.
fn app1_exif(tiff: &[u8]) -> Option<Vec<u8>> {
    let len = u16::try_from(2 + 6 + tiff.len()).ok()?;
    let mut s = vec![0xFF, 0xE1];
    s.extend_from_slice(&len.to_be_bytes());
    s.extend_from_slice(b"Exif\0\0");
    s.extend_from_slice(tiff);
    Some(s)
}
