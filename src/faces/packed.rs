//! Packed face-model weights (issue #16): expands a `TTFW` container back into the exact int8
//! ONNX file that rten loads. Some int8 conv weights are shipped at fewer bits: per output
//! channel a codebook of 2^bits int8 values, and one packed index per weight; the f32 tensors
//! (scales, biases) as half floats, expanded exactly to f32.
//!
//! Owns: reading and validating the container, and the expansion. Must not: fetch anything,
//! interpret the ONNX graph (rten does that after expansion), or trust any count in the file —
//! every size is checked against the bytes actually present before anything is allocated, so a
//! corrupt or hostile file gives an error, never a panic or an oversized allocation.
//!
//! Layout (little-endian; written by `scripts/extract_models.py`, `pack_model`):
//! `"TTFW"`, version 2, u32 length L of the ONNX bytes without the packed tensors, u32 patch
//! count N; N patch heads of 18 bytes (u8 kind, u32 insertion offset into those ONNX bytes, u32
//! number of values, u32 channels, u32 consecutive values per channel run, u8 bits or shift); the
//! L ONNX bytes; then each patch's data, in order. The patch's expanded bytes are inserted at its
//! offset: the protobuf lengths in the ONNX bytes already count them.
//! - Kind 0, codebook (int8 weights): the codebooks (channels × 2^bits int8 values, each stored
//!   as its first value then the differences, mod 256, between neighbours: they are sorted, so
//!   gzip shrinks them) and the indices (`bits` each, least significant bit first, last byte
//!   zero-padded). Value i belongs to channel (i / run) mod channels. Expands to one byte a value.
//! - Kind 1, f16 (f32 tensors: scales, biases, BatchNormalization parameters): channels and run
//!   are 0, the last head byte is a shift s (0..=60); the low bytes of the values' IEEE half
//!   floats, then their high bytes. Value = half float × 2^-s, exactly; expands to 4 bytes (f32).

/// The first bytes of a packed model.
pub const MAGIC: &[u8; 4] = b"TTFW";
const VERSION: u8 = 2;
const HEAD: usize = 18;
const CODEBOOK: u8 = 0;
const F16: u8 = 1;
const MAX_SHIFT: u32 = 60;
/// The expanded model may not exceed this (CenterFace is ~2 MB).
const MAX_OUTPUT: usize = 64 << 20;
const MAX_PATCHES: usize = 4096;

struct Patch {
    kind: u8,
    at: usize,
    count: usize,
    channels: usize,
    run: usize,
    /// Bits per index (codebook) or the power-of-two shift (f16).
    bits: u32,
}

impl Patch {
    /// (bytes of data in the file, bytes it expands to), or None when the sizes overflow.
    fn sizes(&self) -> Option<(usize, usize)> {
        match self.kind {
            CODEBOOK => {
                let books = self.channels.checked_mul(1 << self.bits)?;
                let indices = self.count.checked_mul(self.bits as usize)?.div_ceil(8);
                Some((books.checked_add(indices)?, self.count))
            }
            _ => Some((self.count.checked_mul(2)?, self.count.checked_mul(4)?)),
        }
    }
}

fn bad(what: &str) -> String {
    format!("the face model file is damaged ({what})")
}

fn u32_at(b: &[u8], pos: usize) -> Result<usize, String> {
    b.get(pos..pos + 4)
        .map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]) as usize)
        .ok_or_else(|| bad("cut short"))
}

/// The exact f32 value of an IEEE 754 half float (binary16): every half float is an f32.
pub(crate) fn f16_to_f32(h: u16) -> f32 {
    let sign = u32::from(h & 0x8000) << 16;
    let (exp, man) = (u32::from(h >> 10) & 0x1F, u32::from(h) & 0x3FF);
    let bits = match exp {
        // zero and subnormals: man × 2^-24, exact in f32 (2^-24 is 103 << 23)
        0 => (man as f32 * f32::from_bits(103 << 23)).to_bits(),
        0x1F => 0x7F80_0000 | man << 13, // infinity, NaN (payload kept)
        _ => (exp + 127 - 15) << 23 | man << 13,
    };
    f32::from_bits(sign | bits)
}

/// Whether `bytes` are a packed model (else they are taken as plain ONNX).
pub fn is_packed(bytes: &[u8]) -> bool {
    bytes.starts_with(MAGIC)
}

/// A packed model's header and patch heads, checked (version, order, kinds, sizes bounded), from
/// the file's start alone: (L, where the L ONNX bytes start, the patches, the expanded size).
fn read_heads(bytes: &[u8]) -> Result<(usize, usize, Vec<Patch>, usize), String> {
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
    if bytes.len() < heads_end {
        return Err(bad("cut short"));
    }
    let (mut total, mut prev) = (onnx_len, 0usize);
    let mut patches = Vec::with_capacity(n);
    for h in 0..n {
        let p = 13 + h * HEAD;
        let patch = Patch {
            kind: bytes[p],
            at: u32_at(bytes, p + 1)?,
            count: u32_at(bytes, p + 5)?,
            channels: u32_at(bytes, p + 9)?,
            run: u32_at(bytes, p + 13)?,
            bits: bytes[p + 17] as u32,
        };
        if patch.at < prev || patch.at > onnx_len {
            return Err(bad("packed tensors out of order"));
        }
        prev = patch.at;
        if patch.count == 0 {
            return Err(bad("bad packed tensor"));
        }
        match patch.kind {
            CODEBOOK => {
                if !(1..=8).contains(&patch.bits) || patch.channels == 0 || patch.run == 0 {
                    return Err(bad("bad packed tensor"));
                }
                // Every value must belong to a whole channel run.
                let block = patch.channels.checked_mul(patch.run).ok_or_else(|| bad("bad packed tensor"))?;
                if patch.count % block != 0 {
                    return Err(bad("bad packed tensor"));
                }
            }
            F16 => {
                if patch.bits > MAX_SHIFT || patch.channels != 0 || patch.run != 0 {
                    return Err(bad("bad half-float tensor"));
                }
            }
            _ => return Err(bad("unknown kind of packed tensor")),
        }
        // The output stays bounded before anything is allocated.
        let (_, expanded) = patch.sizes().ok_or_else(|| bad("cut short"))?;
        total = total.checked_add(expanded).filter(|&t| t <= MAX_OUTPUT).ok_or_else(|| bad("too large"))?;
        patches.push(patch);
    }
    Ok((onnx_len, heads_end, patches, total))
}

/// The ONNX bytes a packed model expands to. Deterministic; errors on any inconsistency.
pub fn expand(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let (onnx_len, heads_end, patches, total) = read_heads(bytes)?;
    let onnx = bytes.get(heads_end..).and_then(|r| r.get(..onnx_len)).ok_or_else(|| bad("cut short"))?;
    // Every byte must be present before anything is allocated.
    let mut pos = heads_end + onnx_len;
    for patch in &patches {
        let (stored, _) = patch.sizes().ok_or_else(|| bad("cut short"))?;
        pos = pos.checked_add(stored).filter(|&e| e <= bytes.len()).ok_or_else(|| bad("cut short"))?;
    }
    if pos != bytes.len() {
        return Err(bad("unexpected bytes at the end"));
    }

    let mut out = Vec::with_capacity(total);
    let (mut data, mut copied) = (heads_end + onnx_len, 0);
    for p in &patches {
        out.extend_from_slice(&onnx[copied..p.at]);
        copied = p.at;
        let stored = &bytes[data..data + p.sizes().map_or(0, |s| s.0)];
        data += stored.len();
        if p.kind == F16 {
            let (lo, hi) = stored.split_at(p.count);
            let scale = f32::from_bits((127 - p.bits) << 23); // 2^-shift, exact
            for (&l, &h) in lo.iter().zip(hi) {
                let v = f16_to_f32(u16::from_le_bytes([l, h])) * scale;
                out.extend_from_slice(&v.to_le_bytes());
            }
            continue;
        }
        let k = 1usize << p.bits;
        // Codebooks are stored as each one's first value, then differences (mod 256).
        let (books, indices) = stored.split_at(p.channels << p.bits);
        let mut books = books.to_vec();
        for book in books.chunks_exact_mut(k) {
            for j in 1..k {
                book[j] = book[j].wrapping_add(book[j - 1]);
            }
        }
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
/// values. Its one use is a warm-up while the rest of the file downloads (the browser compiles
/// the loader's and the search's code the first time they run: on a slow phone the first load
/// took ~0.35 s, a second one ~0.1 s). Checked like [`expand`]: any inconsistency is an error.
pub fn skeleton(prefix: &[u8]) -> Result<Vec<u8>, String> {
    let (onnx_len, heads_end, patches, total) = read_heads(prefix)?;
    let onnx = prefix.get(heads_end..).and_then(|r| r.get(..onnx_len)).ok_or_else(|| bad("cut short"))?;
    let (mut out, mut copied) = (Vec::with_capacity(total), 0);
    for p in &patches {
        out.extend_from_slice(&onnx[copied..p.at]);
        copied = p.at;
        let (_, expanded) = p.sizes().ok_or_else(|| bad("cut short"))?;
        out.resize(out.len() + expanded, 0);
    }
    out.extend_from_slice(&onnx[copied..]);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(b: &mut Vec<u8>, kind: u8, at: u32, count: u32, ch: u32, run: u32, bits: u8) {
        b.push(kind);
        for v in [at, count, ch, run] {
            b.extend(v.to_le_bytes());
        }
        b.push(bits);
    }

    /// A container by hand: ONNX-ish bytes "ab|c|d" with 4 values inserted at 2 (codebooks: 2
    /// channels, runs of 1, 2 bits), 2 half floats at 3 (shift 1) and 3 values at 4 (1 channel,
    /// 8 bits).
    fn sample() -> Vec<u8> {
        let mut b = MAGIC.to_vec();
        b.push(VERSION);
        b.extend(4u32.to_le_bytes());
        b.extend(3u32.to_le_bytes());
        head(&mut b, CODEBOOK, 2, 4, 2, 1, 2);
        head(&mut b, F16, 3, 2, 0, 0, 1);
        head(&mut b, CODEBOOK, 4, 3, 1, 1, 8);
        b.extend(b"abcd");
        b.extend([10, 1, 1, 1, 20, 1, 1, 1]); // codebooks 10..=13 and 20..=23, as differences
        b.push(0b01_10_11_00); // indices 0, 3, 2, 1 (LSB first)
        b.extend([0x00, 0x00, 0x3C, 0xC0]); // half floats 1.0 (0x3C00) and -2.0 (0xC000): low bytes, high bytes
        let mut book8 = [0u8; 256]; // 8-bit codebook: 0 everywhere but 7 at index 7
        book8[7] = 7;
        book8[8] = 0u8.wrapping_sub(7);
        b.extend(book8);
        b.extend([7, 0, 7]); // indices
        b
    }

    /// Offset of patch `i`'s head field at `field` (0 kind, 1 at, 5 count, 9 channels, 13 run, 17 bits).
    fn at(i: usize, field: usize) -> usize {
        13 + i * HEAD + field
    }

    #[test]
    fn expands_to_the_exact_bytes() {
        let mut want = b"ab\x0a\x17\x0c\x15c".to_vec();
        want.extend(0.5f32.to_le_bytes()); // 1.0 x 2^-1
        want.extend((-1.0f32).to_le_bytes());
        want.extend(b"d\x07\x00\x07");
        assert_eq!(expand(&sample()).unwrap(), want);
    }

    #[test]
    fn skeleton_is_the_model_with_zeros_for_the_packed_values_from_its_start_alone() {
        let b = sample();
        let need = skeleton_len(&b).unwrap();
        assert_eq!(need, 13 + 3 * HEAD + 4, "header, three heads, the ONNX bytes");
        // 4 codebook values at 2, 2 half floats (8 bytes of f32) at 3, 3 codebook values at 4.
        assert_eq!(skeleton(&b[..need]).unwrap(), b"ab\0\0\0\0c\0\0\0\0\0\0\0\0d\0\0\0".to_vec());
        assert_eq!(skeleton(&b).unwrap(), skeleton(&b[..need]).unwrap(), "what follows is not read");
        // Same length and layout as the real expansion: only the packed values differ.
        assert_eq!(skeleton(&b).unwrap().len(), expand(&b).unwrap().len());
        for n in 0..need {
            assert!(skeleton(&b[..n]).is_err(), "cut at {n} accepted");
            assert!(skeleton_len(&b[..n]).is_none() || n >= 13, "length told from {n} bytes");
        }
        assert_eq!(skeleton_len(b"ONNX-bytes-not-packed"), None);
        let mut huge = b.clone();
        huge[at(0, 5)..at(0, 9)].copy_from_slice(&u32::MAX.to_le_bytes()); // value count
        assert!(skeleton(&huge).is_err());
        let mut order = b.clone();
        order[at(1, 1)..at(1, 5)].copy_from_slice(&1u32.to_le_bytes()); // before the first patch
        assert!(skeleton(&order).is_err());
        let mut kind = b;
        kind[at(1, 0)] = 7;
        assert!(skeleton(&kind).is_err());
    }

    /// Random damage to the sample (bytes changed, cut, inserted): never a panic, and whenever the
    /// whole expands, its skeleton does too, to the same length, from its start alone.
    #[test]
    fn random_damage_never_panics_and_skeleton_agrees_with_expand() {
        let good = sample();
        let mut rng = crate::test_rng::XorShift(0x9E37_79B9_7F4A_7C15);
        for _ in 0..20_000 {
            let mut b = good.clone();
            for _ in 0..1 + rng.below(3) {
                let i = rng.below(b.len() as u64) as usize;
                match rng.below(3) {
                    0 => b[i] = rng.next() as u8,
                    1 => b.truncate(i),
                    _ => b.insert(i, rng.next() as u8),
                }
                if b.is_empty() {
                    break;
                }
            }
            if let Ok(full) = expand(&b) {
                let need = skeleton_len(&b).expect("an expandable model has a skeleton");
                let zeros = skeleton(&b[..need]).expect("and it loads from the start alone");
                assert_eq!(zeros.len(), full.len());
            }
            let _ = skeleton(&b);
        }
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
        for pos in 4..at(3, 0) {
            for v in [0u8, 1, 2, 3, 9, 16, 61, 0x7F, 0xFF] {
                let mut b = good.clone();
                b[pos] = v;
                let _ = expand(&b); // must return, whatever it says
            }
        }
        let set = |pos: usize, v: u32| {
            let mut b = good.clone();
            b[pos..pos + 4].copy_from_slice(&v.to_le_bytes());
            expand(&b)
        };
        assert!(set(9, u32::MAX).is_err()); // patch count
        assert!(set(at(0, 5), u32::MAX).is_err()); // value counts
        assert!(set(at(1, 5), u32::MAX).is_err());
        assert!(set(at(1, 5), u32::MAX / 2).is_err()); // 2 bytes a value: far past the end
        assert!(set(at(1, 5), 0).is_err());
        assert!(set(at(1, 5), 3).is_err()); // one value more than the bytes hold
        assert!(set(at(1, 5), 1).is_err()); // one fewer: bytes left over
        assert!(set(at(1, 9), 1).is_err()); // a half-float tensor has no channels
        assert!(set(at(1, 13), 1).is_err());
        assert!(set(at(1, 1), 1).is_err()); // before the first patch
        let mut b = good.clone();
        b[at(0, 17)] = 9; // bits
        assert!(expand(&b).is_err());
        let mut b = good.clone();
        b[at(1, 17)] = MAX_SHIFT as u8 + 1; // shift
        assert!(expand(&b).is_err());
        for kind in [2u8, 0xFF] {
            let mut b = good.clone();
            b[at(1, 0)] = kind;
            assert!(expand(&b).is_err(), "kind {kind}");
        }
        let mut b = good.clone();
        b[4] = 1; // version 1 heads are 17 bytes: refused, not misread
        assert!(expand(&b).is_err());
    }

    #[test]
    fn half_float_data_of_odd_length_is_refused() {
        let good = sample();
        let data = at(3, 0) + 4 + 8 + 1; // the half floats' bytes
        let mut odd = good.clone();
        odd.insert(data + 2, 0); // 5 bytes where the head says 4
        assert!(expand(&odd).is_err());
        let mut odd = good;
        odd.remove(data + 3); // 3 bytes
        assert!(expand(&odd).is_err());
    }

    /// Every one of the 65 536 half floats, against the definition computed independently in f64:
    /// (-1)^sign × 2^(exp-15) × 1.man, subnormals 2^-14 × 0.man, exp 31 infinity or NaN.
    #[test]
    fn every_half_float_expands_exactly() {
        for h in 0..=u16::MAX {
            let sign = if h & 0x8000 != 0 { -1.0f64 } else { 1.0 };
            let (exp, man) = (i32::from(h >> 10 & 0x1F), f64::from(h & 0x3FF));
            let got = f16_to_f32(h);
            if exp == 31 && man != 0.0 {
                assert!(got.is_nan() && got.is_sign_negative() == (sign < 0.0), "{h:#06x}");
                continue;
            }
            let want = match exp {
                0 => sign * man / 1024.0 * 2f64.powi(-14),
                31 => sign * f64::INFINITY,
                _ => sign * (1.0 + man / 1024.0) * 2f64.powi(exp - 15),
            };
            assert_eq!(got.to_bits(), (want as f32).to_bits(), "{h:#06x}: {got} vs {want}");
            assert_eq!(f64::from(got), want, "{h:#06x} not exact");
        }
        // and the shift: exact powers of two, down to the smallest half float at the largest shift
        let tiny = f16_to_f32(1) * f32::from_bits((127 - MAX_SHIFT) << 23);
        assert_eq!(f64::from(tiny), 2f64.powi(-24 - MAX_SHIFT as i32));
    }
}
