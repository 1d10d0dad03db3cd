//! GIF safer copy, rebuilt from an allow-list: the header and logical screen,
//! the colour tables (entries no pixel uses set to zero), and per frame its
//! graphic control (delay, disposal, transparency) and its picture, whose LZW
//! data is decoded and encoded again (only pixels the frame shows can reach
//! the copy), plus the looping extension of an animation. Each is written again
//! from parsed values.
//!
//! Everything else is dropped: comments, XMP and colour-profile extensions
//! (reported by their findings) and, counted as unread, other application
//! extensions, plain-text extensions, unknown blocks, extra sub-blocks and bytes
//! after the picture data. It never changes the input.

use super::{CleanError, Input, Rebuilt};

/// Largest number of pixels decoded over all frames.
const MAX_PIXELS: u64 = 400_000_000;

struct Frame {
    /// Graphic control: packed flags, delay (2 bytes), transparent index.
    control: Option<[u8; 4]>,
    /// left, top, width, height (u16 LE each) and the packed flags.
    descriptor: [u8; 9],
    local: Option<Vec<u8>>,
    min_code: u8,
    indices: Vec<u8>,
}

fn colour_table_len(packed: u8) -> usize {
    if packed & 0x80 != 0 {
        3 << ((packed & 0x07) + 1)
    } else {
        0
    }
}

/// The sub-blocks at `pos`: their payload ranges and the offset after the terminator.
fn sub_blocks(b: &[u8], mut pos: usize) -> Option<(Vec<std::ops::Range<usize>>, usize)> {
    let mut parts = Vec::new();
    loop {
        let len = *b.get(pos)? as usize;
        pos += 1;
        if len == 0 {
            return Some((parts, pos));
        }
        if pos + len > b.len() {
            return None;
        }
        parts.push(pos..pos + len);
        pos += len;
    }
}

pub(super) fn rebuild(input: &Input<'_>) -> Result<Rebuilt, CleanError> {
    let b = input.bytes;
    if !(b.starts_with(b"GIF87a") || b.starts_with(b"GIF89a")) || b.len() < 13 {
        return Err(CleanError::Unreadable(crate::container::WalkError::damaged("This file does not start like a GIF image.")));
    }
    let screen: [u8; 7] = b[6..13].try_into().expect("7 bytes");
    let global_len = colour_table_len(screen[4]);
    let mut global = b.get(13..13 + global_len).ok_or_else(|| damaged("the colour table is cut short"))?.to_vec();
    let mut pos = 13 + global_len;
    let mut unread = 0usize;
    let mut frames: Vec<Frame> = Vec::new();
    let mut control: Option<[u8; 4]> = None;
    let mut looping: Option<[u8; 2]> = None;
    let mut pixels = 0u64;
    loop {
        match b.get(pos) {
            Some(0x3B) | None => break, // bytes after the trailer are the walker's trailer: reported there
            Some(0x21) => {
                let label = b.get(pos + 1).copied();
                let Some((parts, end)) = sub_blocks(b, pos + 2) else {
                    unread += b.len() - pos;
                    break;
                };
                let whole = end - pos;
                let first = parts.first().map(|r| &b[r.clone()]);
                match (label, first) {
                    (Some(0xF9), Some(p)) if p.len() == 4 => {
                        control = Some(p.try_into().expect("4 bytes"));
                        unread += whole - 8;
                    }
                    (Some(0xFF), Some(id)) if id == b"NETSCAPE2.0" || id == b"ANIMEXTS1.0" => {
                        match parts.get(1).map(|r| &b[r.clone()]) {
                            Some(&[1, lo, hi]) if looping.is_none() => {
                                looping = Some([lo, hi]);
                                unread += whole - 19;
                            }
                            _ => unread += whole,
                        }
                    }
                    (Some(0xFF), Some(id)) if id == b"XMP DataXMP" || id == b"ICCRGBG1012" => {}
                    (Some(0xFE), _) => {}
                    _ => unread += whole,
                }
                pos = end;
            }
            Some(0x2C) => {
                let Some(d) = b.get(pos + 1..pos + 10) else {
                    unread += b.len() - pos;
                    break;
                };
                let descriptor: [u8; 9] = d.try_into().expect("9 bytes");
                let local_len = colour_table_len(descriptor[8]);
                let table_at = pos + 10;
                let (Some(local), Some(&min_code)) = (b.get(table_at..table_at + local_len), b.get(table_at + local_len)) else {
                    unread += b.len() - pos;
                    break;
                };
                if !(2..=8).contains(&min_code) {
                    return Err(damaged("an impossible picture code size"));
                }
                let Some((parts, end)) = sub_blocks(b, table_at + local_len + 1) else {
                    unread += b.len() - pos;
                    break;
                };
                let w = u16::from_le_bytes([descriptor[4], descriptor[5]]) as u64;
                let h = u16::from_le_bytes([descriptor[6], descriptor[7]]) as u64;
                pixels += w * h;
                if pixels > MAX_PIXELS {
                    return Err(CleanError::Image("This GIF has too many pixels to make a new copy.".into()));
                }
                let data: Vec<u8> = parts.iter().flat_map(|r| b[r.clone()].iter().copied()).collect();
                let (indices, used_bytes) = super::lzw::decode(&data, min_code, (w * h) as usize);
                unread += data.len() - used_bytes;
                frames.push(Frame {
                    control: control.take(),
                    descriptor,
                    local: (local_len > 0).then(|| local.to_vec()),
                    min_code,
                    indices,
                });
                pos = end;
            }
            Some(_) => {
                unread += b.len() - pos; // not a GIF block: nothing after it is read
                break;
            }
        }
    }
    if frames.is_empty() {
        return Err(damaged("no picture"));
    }
    // Colour table entries no pixel uses can carry anything: set them to zero.
    let mut global_used = [false; 256];
    global_used[screen[5] as usize] = true; // background colour
    for f in frames.iter_mut() {
        match &mut f.local {
            Some(local) => {
                let mut used = [false; 256];
                f.indices.iter().for_each(|&i| used[i as usize] = true);
                unread += blank_unused(local, &used);
            }
            None => f.indices.iter().for_each(|&i| global_used[i as usize] = true),
        }
    }
    unread += blank_unused(&mut global, &global_used);

    let mut out = b"GIF89a".to_vec();
    out.extend_from_slice(&screen[..6]);
    out.push(0); // pixel aspect ratio: not given
    out.extend_from_slice(&global);
    if let Some([lo, hi]) = looping {
        out.extend_from_slice(&[0x21, 0xFF, 11]);
        out.extend_from_slice(b"NETSCAPE2.0");
        out.extend_from_slice(&[3, 1, lo, hi, 0]);
    }
    for f in &frames {
        if let Some([packed, d0, d1, transparent]) = f.control {
            out.extend_from_slice(&[0x21, 0xF9, 4, packed & 0x1F, d0, d1, transparent, 0]);
        }
        out.push(0x2C);
        out.extend_from_slice(&f.descriptor[..8]);
        out.push(f.descriptor[8] & 0xE7);
        if let Some(local) = &f.local {
            out.extend_from_slice(local);
        }
        out.push(f.min_code);
        let lzw = weezl::encode::Encoder::new(weezl::BitOrder::Lsb, f.min_code)
            .encode(&f.indices)
            .map_err(|_| CleanError::Image("The GIF picture could not be written again.".into()))?;
        for part in lzw.chunks(255) {
            out.push(part.len() as u8);
            out.extend_from_slice(part);
        }
        out.push(0);
    }
    out.push(0x3B);
    Ok(Rebuilt { bytes: out, unread })
}

fn damaged(what: &str) -> CleanError {
    CleanError::Image(format!("This GIF is damaged ({what}), so ThinkTwice does not make a copy."))
}

/// Zeroes the table entries not marked used; returns how many bytes changed.
fn blank_unused(table: &mut [u8], used: &[bool; 256]) -> usize {
    let mut changed = 0;
    for (i, entry) in table.chunks_mut(3).enumerate() {
        if !used.get(i).copied().unwrap_or(false) && entry.iter().any(|&v| v != 0) {
            changed += entry.iter().filter(|&&v| v != 0).count();
            entry.fill(0);
        }
    }
    changed
}
