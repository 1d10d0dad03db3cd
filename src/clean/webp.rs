//! WebP safer copy, rebuilt from an allow-list: every chunk is written again
//! from its parsed size and fields (RIFF size, VP8X flags and canvas, ANIM,
//! ANMF frame headers), holding only what shows the picture: the first picture
//! chunk (VP8 with its ALPH, or VP8L), or the animation frames; the colour
//! profile when kept (through `profile::profile_for_copy`), and a new minimal
//! EXIF when something is kept.
//!
//! Picture data is never copied as it is, so bytes hidden inside it cannot ride
//! along: a lossless picture (VP8L, still or a frame) is decoded and encoded
//! again losslessly; a lossy one (VP8) is cut to the bytes its decoder reads
//! (`container::vp8`); a transparency chunk (ALPH) keeps exactly its width × height
//! raw values, or its lossless stream decoded and encoded again. The pixels stay
//! exactly the same. A picture that cannot be followed that way is refused.
//! Decoding and encoding lossless data needs the WebP codec (feature
//! `reencode`); without it such a copy is [`CleanError::NeedsReencode`] and the
//! picture module makes it.
//! Everything else is dropped and, when ThinkTwice does not read it (unknown
//! chunks, extra bytes inside chunks or after picture data, chunks that run past
//! the end, animation chunks in a still), counted as unread. It never changes
//! the input.

use super::{CleanError, Input, Rebuilt};
use crate::container::vp8;

const FLAG_ICC: u8 = 0x20;
const FLAG_ALPHA: u8 = 0x10;
const FLAG_EXIF: u8 = 0x08;
const FLAG_ANIMATION: u8 = 0x02;

/// One animation frame: its 16-byte header fields and its picture sub-chunks.
struct Frame {
    header: [u8; 16],
    alph: Option<Vec<u8>>,
    picture: ([u8; 4], Vec<u8>),
}

#[derive(Default)]
struct Parsed {
    vp8x: Option<(u8, u32, u32)>,
    icc: Option<Vec<u8>>,
    anim: Option<[u8; 6]>,
    frames: Vec<Frame>,
    alph: Option<Vec<u8>>,
    picture: Option<([u8; 4], Vec<u8>)>,
    unread: usize,
}

/// RIFF chunks inside `data`: (fourcc, payload); stops at a chunk that runs past the end.
fn chunks(data: &[u8], unread: &mut usize) -> Vec<([u8; 4], std::ops::Range<usize>)> {
    let mut out = Vec::new();
    let mut pos = 0;
    while pos < data.len() {
        if pos + 8 > data.len() || out.len() >= crate::container::limits::MAX_BLOCKS {
            *unread += data.len() - pos;
            break;
        }
        let fourcc: [u8; 4] = data[pos..pos + 4].try_into().expect("4 bytes");
        let size = u32::from_le_bytes(data[pos + 4..pos + 8].try_into().expect("4 bytes")) as usize;
        let Some(end) = (pos + 8).checked_add(size).filter(|&e| e <= data.len()) else {
            *unread += data.len() - pos;
            break;
        };
        out.push((fourcc, pos + 8..end));
        pos = (end + (size & 1)).min(data.len());
    }
    out
}

pub(super) fn rebuild(input: &Input<'_>) -> Result<Rebuilt, CleanError> {
    let b = input.bytes;
    if b.len() < 12 || &b[0..4] != b"RIFF" || &b[8..12] != b"WEBP" {
        return Err(CleanError::Unreadable(crate::container::WalkError::damaged("This file does not start like a WebP image.")));
    }
    let riff_size = u32::from_le_bytes(b[4..8].try_into().expect("4 bytes")) as usize;
    let riff_end = riff_size.saturating_add(8).min(b.len());
    let body = &b[12..riff_end.max(12)];
    let mut st = Parsed::default();
    for (fourcc, r) in chunks(body, &mut st.unread) {
        let data = &body[r.clone()];
        let whole = r.len() + 8;
        match &fourcc {
            b"VP8X" if st.vp8x.is_none() && data.len() >= 10 => {
                let w = 1 + u32::from_le_bytes([data[4], data[5], data[6], 0]);
                let h = 1 + u32::from_le_bytes([data[7], data[8], data[9], 0]);
                st.vp8x = Some((data[0], w, h));
                st.unread += data.len() - 10;
            }
            b"ICCP" if st.icc.is_none() => st.icc = Some(data.to_vec()),
            b"ANIM" if st.anim.is_none() && data.len() >= 6 => {
                st.anim = Some(data[..6].try_into().expect("6 bytes"));
                st.unread += data.len() - 6;
            }
            b"ANMF" if data.len() >= 16 => {
                let mut frame_unread = 0;
                let mut alph = None;
                let mut picture = None;
                for (sub, sr) in chunks(&data[16..], &mut frame_unread) {
                    let sd = &data[16..][sr.clone()];
                    match &sub {
                        b"ALPH" if alph.is_none() => alph = Some(sd.to_vec()),
                        b"VP8 " | b"VP8L" if picture.is_none() => picture = Some((sub, sd.to_vec())),
                        _ => frame_unread += sr.len() + 8,
                    }
                }
                st.unread += frame_unread;
                match picture {
                    Some(picture) => {
                        let alph = if picture.0 == *b"VP8 " { alph } else { None };
                        st.frames.push(Frame { header: data[..16].try_into().expect("16 bytes"), alph, picture });
                    }
                    None => st.unread += whole,
                }
            }
            b"ALPH" if st.alph.is_none() => st.alph = Some(data.to_vec()),
            b"VP8 " | b"VP8L" if st.picture.is_none() => st.picture = Some((fourcc, data.to_vec())),
            b"EXIF" | b"XMP " => {}
            _ => st.unread += whole,
        }
    }
    let animated = st.vp8x.is_some_and(|v| v.0 & FLAG_ANIMATION != 0) && !st.frames.is_empty() && st.anim.is_some();
    if !animated {
        st.unread += st.frames.iter().map(|f| f.picture.1.len() + 24).sum::<usize>();
    }
    let profile = st.icc.as_deref().and_then(|p| super::profile::profile_for_copy(p, input.options.keep_colour_profile));
    let mut body = Vec::new();
    let mut flags = 0u8;
    let (width, height);
    if animated {
        let (vflags, w, h) = st.vp8x.expect("animated has VP8X");
        (width, height) = (w, h);
        flags |= FLAG_ANIMATION | (vflags & FLAG_ALPHA);
        body.extend(riff_chunk(b"ANIM", &st.anim.expect("animated has ANIM")));
        let mut unread = 0;
        for f in &st.frames {
            let mut frame = f.header.to_vec();
            let (fourcc, data) = &f.picture;
            if fourcc == b"VP8L" {
                frame.extend(riff_chunk(b"VP8L", &reencode_lossless(data)?.0));
            } else {
                let (picture, size) = trim_vp8(data, &mut unread)?;
                if let Some(a) = &f.alph {
                    frame.extend(riff_chunk(b"ALPH", &clean_alpha(a, size, &mut unread)?));
                }
                frame.extend(riff_chunk(b"VP8 ", &picture));
            }
            body.extend(riff_chunk(b"ANMF", &frame));
        }
        st.unread += unread;
    } else {
        let (fourcc, data) = st.picture.take().ok_or_else(|| CleanError::Image("This WebP file holds no picture.".into()))?;
        let (w, h, alpha) = if &fourcc == b"VP8L" { vp8l_info(&data) } else { vp8_info(&data) }
            .ok_or_else(|| CleanError::Image("This WebP picture's header cannot be read.".into()))?;
        (width, height) = st.vp8x.map_or((w, h), |v| (v.1, v.2));
        if &fourcc == b"VP8L" {
            let (data, alpha) = reencode_lossless(&data)?;
            flags |= if alpha { FLAG_ALPHA } else { 0 };
            body.extend(riff_chunk(b"VP8L", &data));
        } else {
            let (picture, _) = trim_vp8(&data, &mut st.unread)?;
            if let Some(a) = &st.alph {
                body.extend(riff_chunk(b"ALPH", &clean_alpha(a, (w, h), &mut st.unread)?));
                flags |= FLAG_ALPHA;
            }
            flags |= if alpha { FLAG_ALPHA } else { 0 };
            body.extend(riff_chunk(b"VP8 ", &picture));
        }
    }
    if let Some(p) = &profile {
        flags |= FLAG_ICC;
        body.splice(0..0, riff_chunk(b"ICCP", p));
    }
    if let Some(tiff) = input.exif {
        flags |= FLAG_EXIF;
        body.extend(riff_chunk(b"EXIF", tiff));
    }
    let extended = animated || st.vp8x.is_some() || flags & (FLAG_ICC | FLAG_EXIF) != 0 || st.alph.is_some();
    if extended {
        let mut x = vec![flags, 0, 0, 0];
        x.extend_from_slice(&(width.clamp(1, 1 << 24) - 1).to_le_bytes()[..3]);
        x.extend_from_slice(&(height.clamp(1, 1 << 24) - 1).to_le_bytes()[..3]);
        body.splice(0..0, riff_chunk(b"VP8X", &x));
    }
    let size = u32::try_from(body.len() + 4).map_err(|_| CleanError::Unsupported("This WebP file is too big.".into()))?;
    let mut out = b"RIFF".to_vec();
    out.extend_from_slice(&size.to_le_bytes());
    out.extend_from_slice(b"WEBP");
    out.extend(body);
    Ok(Rebuilt { bytes: out, unread: st.unread })
}

fn riff_chunk(fourcc: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut c = fourcc.to_vec();
    c.extend_from_slice(&(data.len() as u32).to_le_bytes());
    c.extend_from_slice(data);
    if data.len() % 2 == 1 {
        c.push(0);
    }
    c
}

/// VP8L header: signature 0x2F, then 14 bits width−1, 14 bits height−1, 1 bit alpha.
fn vp8l_info(data: &[u8]) -> Option<(u32, u32, bool)> {
    if data.len() < 5 || data[0] != 0x2F {
        return None;
    }
    let bits = u32::from_le_bytes([data[1], data[2], data[3], data[4]]);
    Some(((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1, bits & (1 << 28) != 0))
}

/// VP8 key frame: 3-byte tag, start code 9D 01 2A, then 14-bit width and height.
fn vp8_info(data: &[u8]) -> Option<(u32, u32, bool)> {
    if data.len() < 10 || data[3..6] != [0x9D, 0x01, 0x2A] {
        return None;
    }
    let w = u16::from_le_bytes([data[6], data[7]]) as u32 & 0x3FFF;
    let h = u16::from_le_bytes([data[8], data[9]]) as u32 & 0x3FFF;
    Some((w, h, false))
}

/// A lossy picture cut to the bytes its decoder reads (the rest counted as unread),
/// and its width and height; refused when its partitions cannot be followed.
fn trim_vp8(data: &[u8], unread: &mut usize) -> Result<(Vec<u8>, (u32, u32)), CleanError> {
    let refuse = |why: &str| {
        CleanError::Unsupported(format!(
            "{why} ThinkTwice could not find where this lossy WebP picture's data ends, so it cannot make a copy \
             that keeps the picture exactly. You can save or share it as JPEG or PNG in a photo app, then check that copy here."
        ))
    };
    let trimmed = vp8::trim(data).map_err(refuse)?;
    let (w, h, _) = vp8_info(data).ok_or_else(|| refuse("This WebP picture's header cannot be read."))?;
    *unread += trimmed.dropped;
    Ok((trimmed.bytes, (w, h)))
}

/// A transparency chunk (ALPH) for a `size` picture with only what its decoder reads:
/// the header byte, then exactly width × height raw values, or its lossless stream
/// decoded and encoded again (bytes after the raw values are counted as unread).
fn clean_alpha(alph: &[u8], (w, h): (u32, u32), unread: &mut usize) -> Result<Vec<u8>, CleanError> {
    let unreadable = || CleanError::Image("This WebP picture's transparency cannot be read.".into());
    let (&head, data) = alph.split_first().ok_or_else(unreadable)?;
    // Reserved bits 0, pre-processing 0 or 1, compression 0 (raw) or 1 (lossless): as libwebp accepts.
    if head >> 6 != 0 || (head >> 4) & 3 > 1 || head & 3 > 1 {
        return Err(unreadable());
    }
    let mut out = vec![head];
    if head & 3 == 0 {
        let n = (w as usize) * (h as usize);
        out.extend_from_slice(data.get(..n).ok_or_else(unreadable)?);
        *unread += data.len() - n;
    } else {
        out.extend(reencode_alpha(data, (w, h))?);
    }
    Ok(out)
}

/// Without the WebP codec (feature `reencode`) this copy is handed on (see `clean`'s header).
#[cfg(not(feature = "reencode"))]
fn reencode_alpha(_: &[u8], _: (u32, u32)) -> Result<Vec<u8>, CleanError> {
    Err(CleanError::NeedsReencode)
}

/// A lossless alpha stream decoded and encoded again, checked by decoding it once more.
#[cfg(feature = "reencode")]
fn reencode_alpha(data: &[u8], (w, h): (u32, u32)) -> Result<Vec<u8>, CleanError> {
    let unreadable = || CleanError::Image("This WebP picture's transparency cannot be read.".into());
    // The stream is a lossless picture without its 5-byte header; the values are its green channel.
    let values = alpha_values(data, w, h)?;
    let img = image::RgbImage::from_fn(w, h, |x, y| image::Rgb([0, values[(y * w + x) as usize], 0]));
    let encoded = encode_lossless(&image::DynamicImage::ImageRgb8(img))?;
    let stream = encoded.get(5..).ok_or_else(unreadable)?;
    if alpha_values(stream, w, h)? != values {
        return Err(unreadable());
    }
    Ok(stream.to_vec())
}

#[cfg(feature = "reencode")]
/// The values of a lossless alpha stream (an ALPH chunk's data after its header byte).
fn alpha_values(stream: &[u8], w: u32, h: u32) -> Result<Vec<u8>, CleanError> {
    let bits = (w - 1) | ((h - 1) << 14);
    let vp8l = [&[0x2F][..], &bits.to_le_bytes(), stream].concat();
    Ok(decode_lossless(&vp8l)?.to_rgba8().pixels().map(|p| p[1]).collect())
}

#[cfg(feature = "reencode")]
fn decode_lossless(vp8l: &[u8]) -> Result<image::DynamicImage, CleanError> {
    let mut file = b"RIFF".to_vec();
    let chunk = riff_chunk(b"VP8L", vp8l);
    file.extend_from_slice(&((chunk.len() + 4) as u32).to_le_bytes());
    file.extend_from_slice(b"WEBP");
    file.extend(chunk);
    image::load_from_memory_with_format(&file, image::ImageFormat::WebP).map_err(super::image_error)
}

#[cfg(feature = "reencode")]
/// A lossless bitstream (the VP8L chunk's data) of `img`.
fn encode_lossless(img: &image::DynamicImage) -> Result<Vec<u8>, CleanError> {
    use image::ImageEncoder;
    let mut out = Vec::new();
    image::codecs::webp::WebPEncoder::new_lossless(&mut out)
        .write_image(img.as_bytes(), img.width(), img.height(), img.color().into())
        .map_err(super::image_error)?;
    if out.get(12..16) != Some(b"VP8L") {
        return Err(CleanError::Image("The new WebP picture could not be written.".into()));
    }
    let len = u32::from_le_bytes(out[16..20].try_into().expect("4 bytes")) as usize;
    Ok(out[20..20 + len].to_vec())
}

#[cfg(feature = "reencode")]
/// Decodes a lossless bitstream and encodes the same pixels again: only what the
/// decoder read can reach the copy. Returns the new bitstream and whether it has alpha.
fn reencode_lossless(vp8l: &[u8]) -> Result<(Vec<u8>, bool), CleanError> {
    let img = decode_lossless(vp8l)?;
    let alpha = img.color().has_alpha();
    let img = if alpha { image::DynamicImage::ImageRgba8(img.to_rgba8()) } else { image::DynamicImage::ImageRgb8(img.to_rgb8()) };
    Ok((encode_lossless(&img)?, alpha))
}

/// Without the WebP codec (feature `reencode`) this copy is handed on (see `clean`'s header).
#[cfg(not(feature = "reencode"))]
fn reencode_lossless(_: &[u8]) -> Result<(Vec<u8>, bool), CleanError> {
    Err(CleanError::NeedsReencode)
}
