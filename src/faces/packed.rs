//! Packed face-model weights (issue #16): expands a `TTFW` container back into the exact int8
//! ONNX file that rten loads. Some int8 conv weights are shipped at fewer bits: per output
//! channel a codebook of 2^bits int8 values, and one packed index per weight.
//!
//! Owns: reading and validating the container, and the expansion. Must not: fetch anything,
//! interpret the ONNX graph (rten does that after expansion), or trust any count in the file —
//! every size is checked against the bytes actually present before anything is allocated, so a
//! corrupt or hostile file gives an error, never a panic or an oversized allocation.
//!
//! Layout (little-endian; written by `scripts/extract_models.py`, `pack_model`):
//! `"TTFW"`, version 1, u32 length L of the ONNX bytes without the packed tensors, u32 patch
//! count N; N patch heads of 17 bytes (u32 insertion offset into those ONNX bytes, u32 number of
//! int8 values, u32 channels, u32 consecutive values per channel run, u8 bits); the L ONNX bytes;
//! then per patch its codebooks (channels × 2^bits int8 values, each stored as its first value
//! then the differences, mod 256, between neighbours: they are sorted, so gzip shrinks them) and its indices (`bits` each,
//! least significant bit first, last byte zero-padded). Value i of a patch belongs to channel
//! (i / run) mod channels. Each patch's expanded values are inserted at its offset: the
//! protobuf lengths in the ONNX bytes already count them.

/// The first bytes of a packed model.
pub const MAGIC: &[u8; 4] = b"TTFW";
const VERSION: u8 = 1;
const HEAD: usize = 17;
/// The expanded model may not exceed this (CenterFace is ~2 MB).
const MAX_OUTPUT: usize = 64 << 20;
const MAX_PATCHES: usize = 4096;

struct Patch {
    at: usize,
    count: usize,
    channels: usize,
    run: usize,
    bits: u32,
}

fn bad(what: &str) -> String {
    format!("the face model file is damaged ({what})")
}

fn u32_at(b: &[u8], pos: usize) -> Result<usize, String> {
    b.get(pos..pos + 4)
        .map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]) as usize)
        .ok_or_else(|| bad("cut short"))
}

/// Whether `bytes` are a packed model (else they are taken as plain ONNX).
pub fn is_packed(bytes: &[u8]) -> bool {
    bytes.starts_with(MAGIC)
}

/// The ONNX bytes a packed model expands to. Deterministic; errors on any inconsistency.
pub fn expand(bytes: &[u8]) -> Result<Vec<u8>, String> {
    if !is_packed(bytes) {
        return Err(bad("not a packed model"));
    }
    if bytes.get(4) != Some(&VERSION) {
        return Err(bad("unknown packing version"));
    }
    let onnx_len = u32_at(bytes, 5)?;
    let n = u32_at(bytes, 9)?;
    if n > MAX_PATCHES {
        return Err(bad("too many packed tensors"));
    }
    let heads_end = 13 + n * HEAD;
    let onnx = bytes.get(heads_end..).and_then(|r| r.get(..onnx_len)).ok_or_else(|| bad("cut short"))?;
    let mut pos = heads_end + onnx_len;
    let (mut total, mut prev) = (onnx_len, 0usize);
    let mut patches = Vec::with_capacity(n);
    for h in 0..n {
        let p = 13 + h * HEAD;
        let patch = Patch {
            at: u32_at(bytes, p)?,
            count: u32_at(bytes, p + 4)?,
            channels: u32_at(bytes, p + 8)?,
            run: u32_at(bytes, p + 12)?,
            bits: bytes[p + 16] as u32,
        };
        if patch.at < prev || patch.at > onnx_len {
            return Err(bad("packed tensors out of order"));
        }
        prev = patch.at;
        if !(1..=8).contains(&patch.bits) || patch.channels == 0 || patch.run == 0 {
            return Err(bad("bad packed tensor"));
        }
        // Every value must belong to a whole channel run, and every byte must be present.
        let block = patch.channels.checked_mul(patch.run).ok_or_else(|| bad("bad packed tensor"))?;
        if patch.count == 0 || patch.count % block != 0 {
            return Err(bad("bad packed tensor"));
        }
        let books = patch.channels.checked_mul(1 << patch.bits);
        let indices = patch.count.checked_mul(patch.bits as usize).map(|b| b.div_ceil(8));
        pos = books
            .zip(indices)
            .and_then(|(b, i)| pos.checked_add(b)?.checked_add(i))
            .ok_or_else(|| bad("cut short"))?;
        if pos > bytes.len() {
            return Err(bad("cut short"));
        }
        total += patch.count;
        if total > MAX_OUTPUT {
            return Err(bad("too large"));
        }
        patches.push(patch);
    }
    if pos != bytes.len() {
        return Err(bad("unexpected bytes at the end"));
    }

    let mut out = Vec::with_capacity(total);
    let (mut data, mut copied) = (heads_end + onnx_len, 0);
    for p in &patches {
        out.extend_from_slice(&onnx[copied..p.at]);
        copied = p.at;
        let k = 1usize << p.bits;
        // Codebooks are stored as each one's first value, then differences (mod 256).
        let mut books = bytes[data..data + (p.channels << p.bits)].to_vec();
        data += books.len();
        for book in books.chunks_exact_mut(k) {
            for j in 1..k {
                book[j] = book[j].wrapping_add(book[j - 1]);
            }
        }
        let indices = &bytes[data..data + (p.count * p.bits as usize).div_ceil(8)];
        data += indices.len();
        let mask = (k - 1) as u32;
        let (mut acc, mut have, mut next) = (0u32, 0u32, indices.iter());
        for r in 0..p.count / p.run {
            let book = &books[(r % p.channels) * k..][..k];
            for _ in 0..p.run {
                if have < p.bits {
                    acc |= (*next.next().unwrap_or(&0) as u32) << have;
                    have += 8;
                }
                out.push(book[(acc & mask) as usize]);
                acc >>= p.bits;
                have -= p.bits;
            }
        }
    }
    out.extend_from_slice(&onnx[copied..]);
    Ok(out)
}

/// How many bytes from the start of a packed model its skeleton takes: the header, the patch heads
/// and the ONNX bytes without the packed tensors, which all come before the packed data. None while
/// `start` is too short to tell, or when it is not a packed model this version reads.
pub fn skeleton_len(start: &[u8]) -> Option<usize> {
    if !is_packed(start) || start.get(4) != Some(&VERSION) {
        return None;
    }
    let (onnx_len, n) = (u32_at(start, 5).ok()?, u32_at(start, 9).ok()?);
    if n > MAX_PATCHES {
        return None;
    }
    (13 + n * HEAD).checked_add(onnx_len)
}

/// The ONNX a packed model expands to with every packed value zero, made from the model's first
/// [`skeleton_len`] bytes alone: the same graph and the same tensor sizes, none of the packed
/// weights. Its one use is a warm-up while the rest of the file downloads (the browser compiles
/// the loader's and the search's code the first time they run: on a slow phone the first load
/// took ~0.35 s, a second one ~0.1 s). Checked like [`expand`]: any inconsistency is an error.
pub fn skeleton(prefix: &[u8]) -> Result<Vec<u8>, String> {
    let need = skeleton_len(prefix).ok_or_else(|| bad("not a packed model"))?;
    if prefix.len() < need {
        return Err(bad("cut short"));
    }
    let onnx_len = u32_at(prefix, 5)?;
    let n = u32_at(prefix, 9)?;
    let onnx = &prefix[need - onnx_len..need];
    let (mut out, mut copied, mut total) = (Vec::new(), 0usize, onnx_len);
    for h in 0..n {
        let (at, count) = (u32_at(prefix, 13 + h * HEAD)?, u32_at(prefix, 13 + h * HEAD + 4)?);
        if at < copied || at > onnx_len {
            return Err(bad("packed tensors out of order"));
        }
        total = total.checked_add(count).filter(|&t| t <= MAX_OUTPUT).ok_or_else(|| bad("too large"))?;
        out.extend_from_slice(&onnx[copied..at]);
        out.resize(out.len() + count, 0);
        copied = at;
    }
    out.extend_from_slice(&onnx[copied..]);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A container by hand: ONNX-ish bytes "ab|cd" with 4 values inserted at 2 (2 channels,
    /// runs of 1, 2 bits) and 3 values at 4 (1 channel, 8 bits).
    fn sample() -> Vec<u8> {
        let mut b = MAGIC.to_vec();
        b.push(VERSION);
        b.extend(4u32.to_le_bytes());
        b.extend(2u32.to_le_bytes());
        for (at, count, ch, run, bits) in [(2u32, 4u32, 2u32, 1u32, 2u8), (4, 3, 1, 1, 8)] {
            for v in [at, count, ch, run] {
                b.extend(v.to_le_bytes());
            }
            b.push(bits);
        }
        b.extend(b"abcd");
        b.extend([10, 1, 1, 1, 20, 1, 1, 1]); // codebooks 10..=13 and 20..=23, as differences
        b.push(0b01_10_11_00); // indices 0, 3, 2, 1 (LSB first)
        let mut book8 = [0u8; 256]; // 8-bit codebook: 0 everywhere but 7 at index 7
        book8[7] = 7;
        book8[8] = 0u8.wrapping_sub(7);
        b.extend(book8);
        b.extend([7, 0, 7]); // indices
        b
    }

    #[test]
    fn expands_to_the_exact_bytes() {
        let b = sample();
        assert_eq!(expand(&b).unwrap(), b"ab\x0a\x17\x0c\x15cd\x07\x00\x07".to_vec());
    }

    #[test]
    fn skeleton_is_the_model_with_zeros_for_the_packed_values_from_its_start_alone() {
        let b = sample();
        let need = skeleton_len(&b).unwrap();
        assert_eq!(need, 13 + 2 * HEAD + 4, "header, two heads, the ONNX bytes");
        assert_eq!(skeleton(&b[..need]).unwrap(), b"ab\0\0\0\0cd\0\0\0".to_vec());
        assert_eq!(skeleton(&b).unwrap(), skeleton(&b[..need]).unwrap(), "what follows is not read");
        // Same length and layout as the real expansion: only the packed values differ.
        assert_eq!(skeleton(&b).unwrap().len(), expand(&b).unwrap().len());
        for n in 0..need {
            assert!(skeleton(&b[..n]).is_err(), "cut at {n} accepted");
            assert!(skeleton_len(&b[..n]).is_none() || n >= 13, "length told from {n} bytes");
        }
        assert_eq!(skeleton_len(b"ONNX-bytes-not-packed"), None);
        let mut huge = b.clone();
        huge[17..21].copy_from_slice(&u32::MAX.to_le_bytes()); // value count
        assert!(skeleton(&huge).is_err());
        let mut order = b;
        order[13 + HEAD..13 + HEAD + 4].copy_from_slice(&1u32.to_le_bytes()); // before the first patch
        assert!(skeleton(&order).is_err());
    }

    #[test]
    fn every_truncation_and_extension_is_an_error() {
        let b = sample();
        for n in 0..b.len() {
            assert!(expand(&b[..n]).is_err(), "cut at {n} accepted");
        }
        let mut longer = b.clone();
        longer.push(0);
        assert!(expand(&longer).is_err());
    }

    #[test]
    fn corrupt_heads_are_errors_not_panics_or_huge_allocations() {
        let good = sample();
        for pos in 4..13 + 2 * HEAD {
            for v in [0u8, 1, 3, 9, 0x7F, 0xFF] {
                let mut b = good.clone();
                b[pos] = v;
                let _ = expand(&b); // must return, whatever it says
            }
        }
        let mut huge = good.clone();
        huge[9..13].copy_from_slice(&u32::MAX.to_le_bytes()); // patch count
        assert!(expand(&huge).is_err());
        let mut huge = good.clone();
        huge[17..21].copy_from_slice(&u32::MAX.to_le_bytes()); // value count
        assert!(expand(&huge).is_err());
        let mut bits = good.clone();
        bits[13 + 16] = 9;
        assert!(expand(&bits).is_err());
        let mut order = good;
        order[13 + HEAD..13 + HEAD + 4].copy_from_slice(&1u32.to_le_bytes()); // before the first patch
        assert!(expand(&order).is_err());
    }
}
