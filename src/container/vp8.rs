//! Lossy WebP (VP8 key frame) bitstream, trimmed to what a decoder reads: the
//! safer copy's "scan data only up to where decoding ends" for lossy WebP, and
//! the check's count of bytes inside the picture data that no decoder reads
//! (the WebP walker reports them as unread; `clean::webp` writes the cut frame).
//!
//! A VP8 frame is a 10-byte header, a first partition (frame header, then each
//! macroblock's modes) whose size the header gives, a table of token-partition
//! sizes, and the token partitions (the last one runs to the chunk's end). Each
//! partition is read by its own boolean decoder. Bytes after what the decoder
//! reads change nothing in the picture, so they can hide anything: this module
//! parses the frame header, every macroblock's modes (partition 0) and every
//! block's DCT tokens (token partitions), exactly as RFC 6386 reads them, and
//! counts how many bytes of each partition the reference decoder loads. It then
//! writes the frame again with each partition cut to that count and the sizes
//! rewritten.
//!
//! The count is libwebp's (the decoder in Chromium and Android): it loads a byte
//! whenever fewer than 0 bits are left in its window before a read, and fails
//! with "premature end-of-file" if it must load past the end. Counting loads
//! that way (one byte at the start, then one whenever the window runs dry) keeps
//! exactly what libwebp needs, so the copy decodes bit for bit as the original.
//! Its incremental decoder (the one Chromium uses) also wants the first
//! partition to outlast the frame header by a byte; that byte is written as 0.
//! image-webp (the `image` crate's decoder) tolerates more, so it agrees too.
//!
//! It reads modes and tokens only: no dequantisation, prediction, IDCT or loop
//! filter. The token reading follows image-webp's `vp8.rs` (MIT OR Apache-2.0,
//! https://github.com/image-rs/image-webp) and libwebp's `GetCoeffs`. It must
//! not change the input, and it refuses (never guesses) a frame it cannot
//! follow: not a key frame, a partition that runs past the chunk, no pixels.

mod tables;

use tables::{BMODE_PROBS, COEFF_PROBS, COEFF_UPDATE_PROBS};

/// The frame rebuilt with every partition cut to what the decoder reads.
pub(crate) struct Trimmed {
    pub bytes: Vec<u8>,
    /// Bytes of the original no decoder reads (dropped).
    pub dropped: usize,
}

/// Where a decoder's reading of a frame ends: each partition's read part.
/// The check needs only the tails after them; the copy writes the read parts.
pub(crate) struct Reading<'a> {
    data: &'a [u8],
    tag: usize,
    first: &'a [u8],
    /// Bytes of the first partition read, and the zero byte libwebp wants after them (0 or 1).
    first_used: usize,
    pad: usize,
    spans: Vec<&'a [u8]>,
    /// Bytes kept of each token partition (see [`read`]).
    kept: Vec<usize>,
    /// Macroblock rows: a partition numbered past them is read by no row.
    rows: usize,
}

/// Why a VP8 frame cannot be trimmed (the lossless copy is then refused).
pub(crate) type Refusal = &'static str;

/// RFC 6386's boolean decoder, loading bytes as libwebp does (section 7; libwebp
/// `bit_reader_inl.h`). Past the end it reads zeros and remembers it needed them.
struct BoolDecoder<'a> {
    data: &'a [u8],
    /// Bytes loaded so far: what the decoder needs of this partition.
    loaded: usize,
    value: u64,
    range: u32,
    bits: i32,
}

impl<'a> BoolDecoder<'a> {
    fn new(data: &'a [u8]) -> Self {
        let mut d = BoolDecoder { data, loaded: 0, value: 0, range: 255, bits: -8 };
        d.load();
        d
    }

    fn load(&mut self) {
        let byte = self.data.get(self.loaded).copied().unwrap_or(0);
        self.loaded += 1;
        self.value = (self.value << 8) | u64::from(byte);
        self.bits += 8;
    }

    /// Loaded well past its data: every read now is made-up zeros.
    fn overran(&self) -> bool {
        self.loaded > self.data.len() + 64
    }

    fn bit(&mut self, prob: u8) -> bool {
        if self.bits < 0 {
            self.load();
        }
        let split = 1 + (((self.range - 1) * u32::from(prob)) >> 8);
        let big = u64::from(split) << self.bits;
        let bit = self.value >= big;
        if bit {
            self.range -= split;
            self.value -= big;
        } else {
            self.range = split;
        }
        let shift = self.range.leading_zeros() as i32 - 24;
        self.range <<= shift;
        self.bits -= shift;
        bit
    }

    fn flag(&mut self) -> bool {
        self.bit(128)
    }

    fn literal(&mut self, n: u32) -> u32 {
        (0..n).fold(0, |v, _| (v << 1) | u32::from(self.flag()))
    }

    /// A flag, then (when set) an n-bit magnitude and a sign.
    fn optional_signed(&mut self, n: u32) {
        if self.flag() {
            self.literal(n);
            self.flag();
        }
    }

    /// Walks a tree (RFC 6386 section 8.1): entries > 0 index the next node, others are leaves.
    fn tree(&mut self, tree: &[i8], probs: &[u8]) -> u8 {
        let mut i = 0usize;
        loop {
            let next = tree[i + usize::from(self.bit(probs[i >> 1]))];
            if next <= 0 {
                return (-next) as u8;
            }
            i = next as usize;
        }
    }

    /// Bytes of `data` the decoder loaded (never more than there are).
    fn used(&self) -> usize {
        self.loaded.min(self.data.len())
    }
}

const SEGMENT_TREE: [i8; 6] = [2, 4, 0, -1, -2, -3];
const B_PRED: u8 = 4;
/// Key-frame luma modes: B_PRED, DC, V, H, TM (leaves are the RFC's mode numbers).
const YMODE_TREE: [i8; 8] = [-(B_PRED as i8), 2, 4, 6, 0, -1, -2, -3];
const YMODE_PROBS: [u8; 4] = [145, 156, 163, 128];
/// The sub-block mode each whole-block luma mode counts as for its neighbours (DC, V, H, TM).
const YMODE_AS_BMODE: [u8; 4] = [0, 2, 3, 1];
const BMODE_TREE: [i8; 18] = [0, 2, -1, 4, -2, 6, 8, 12, -3, 10, -5, -6, -4, 14, -7, 16, -8, -9];
const UV_MODE_TREE: [i8; 6] = [0, 2, -1, 4, -2, -3];
const UV_MODE_PROBS: [u8; 3] = [142, 114, 183];
const BANDS: [usize; 17] = [0, 1, 2, 3, 6, 4, 5, 6, 6, 6, 6, 6, 6, 6, 6, 7, 0];
/// Extra-bit probabilities of the token categories 3 to 6.
const CAT3456: [&[u8]; 4] = [
    &[173, 148, 140],
    &[176, 155, 140, 135],
    &[180, 157, 141, 134, 130],
    &[254, 254, 243, 230, 196, 177, 153, 140, 133, 130, 129],
];

type TokenProbs = [[[[u8; 11]; 3]; 8]; 4];

/// Reads one block's tokens (libwebp `GetCoeffs`); returns whether it has any (the neighbours' context).
fn block_tokens(d: &mut BoolDecoder<'_>, probs: &[[[u8; 11]; 3]; 8], first: usize, ctx: usize) -> bool {
    let mut n = first;
    let mut p = &probs[BANDS[n]][ctx];
    while n < 16 {
        if !d.bit(p[0]) {
            return n > first; // end of block
        }
        while !d.bit(p[1]) {
            // a zero coefficient: the next one cannot end the block
            n += 1;
            if n == 16 {
                return true;
            }
            p = &probs[BANDS[n]][0];
        }
        let ctx = if !d.bit(p[2]) {
            1
        } else {
            if !d.bit(p[3]) {
                if d.bit(p[4]) {
                    d.bit(p[5]);
                }
            } else if !d.bit(p[6]) {
                if !d.bit(p[7]) {
                    d.bit(159);
                } else {
                    d.bit(165);
                    d.bit(145);
                }
            } else {
                let hi = d.bit(p[8]);
                let lo = d.bit(p[9 + usize::from(hi)]);
                for &q in CAT3456[usize::from(hi) * 2 + usize::from(lo)] {
                    d.bit(q);
                }
            }
            2
        };
        d.flag(); // sign
        n += 1;
        p = &probs[BANDS[n]][ctx];
    }
    true
}

/// Neighbour context of one macroblock: "has tokens" for Y2, the four luma
/// columns/rows, and two each for U and V (libwebp's `nz`), plus sub-block modes.
#[derive(Clone, Copy, Default)]
struct Context {
    nz: [bool; 9],
    modes: [u8; 4],
}

/// One macroblock's tokens (libwebp `ParseResiduals`).
fn macroblock_tokens(d: &mut BoolDecoder<'_>, probs: &TokenProbs, whole: bool, top: &mut Context, left: &mut Context) {
    let (first, luma) = if whole {
        let has = block_tokens(d, &probs[1], 0, usize::from(top.nz[0]) + usize::from(left.nz[0]));
        top.nz[0] = has;
        left.nz[0] = has;
        (1, &probs[0])
    } else {
        (0, &probs[3])
    };
    for y in 0..4 {
        for x in 0..4 {
            let has = block_tokens(d, luma, first, usize::from(top.nz[1 + x]) + usize::from(left.nz[1 + y]));
            top.nz[1 + x] = has;
            left.nz[1 + y] = has;
        }
    }
    for plane in [5, 7] {
        for y in 0..2 {
            for x in 0..2 {
                let has = block_tokens(d, &probs[2], 0, usize::from(top.nz[plane + x]) + usize::from(left.nz[plane + y]));
                top.nz[plane + x] = has;
                left.nz[plane + y] = has;
            }
        }
    }
}

fn u24(b: &[u8]) -> usize {
    usize::from(b[0]) | usize::from(b[1]) << 8 | usize::from(b[2]) << 16
}

/// Parses the frame and writes it again with every partition cut to what is read.
pub(crate) fn trim(data: &[u8]) -> Result<Trimmed, Refusal> {
    read(data).map(|reading| reading.rebuild())
}

/// Parses the frame (header, modes, tokens) and says where each partition's reading ends.
pub(crate) fn read(data: &[u8]) -> Result<Reading<'_>, Refusal> {
    if data.len() < 10 || data[3..6] != [0x9D, 0x01, 0x2A] {
        return Err("This WebP picture's header cannot be read.");
    }
    let tag = u24(data);
    if tag & 1 != 0 {
        return Err("This WebP picture is not a key frame.");
    }
    let first_size = tag >> 5;
    let width = usize::from(u16::from_le_bytes([data[6], data[7]]) & 0x3FFF);
    let height = usize::from(u16::from_le_bytes([data[8], data[9]]) & 0x3FFF);
    if width == 0 || height == 0 {
        return Err("This WebP picture has no pixels.");
    }
    let (mb_w, mb_h) = (width.div_ceil(16), height.div_ceil(16));
    let first = data.get(10..10 + first_size).ok_or("This WebP picture's first part runs past its end.")?;
    let rest = &data[10 + first_size..];

    // Frame header (RFC 6386 section 9.2-9.11, 19.2).
    let mut d = BoolDecoder::new(first);
    d.literal(2); // colour space, clamping
    let mut segment_probs = [255u8; 3];
    let mut update_map = false;
    if d.flag() {
        update_map = d.flag();
        if d.flag() {
            d.flag();
            (0..4).for_each(|_| d.optional_signed(7));
            (0..4).for_each(|_| d.optional_signed(6));
        }
        if update_map {
            for p in &mut segment_probs {
                if d.flag() {
                    *p = d.literal(8) as u8;
                }
            }
        }
    }
    d.literal(1 + 6 + 3); // filter type, level, sharpness
    if d.flag() && d.flag() {
        (0..8).for_each(|_| d.optional_signed(6));
    }
    let parts = 1usize << d.literal(2);
    d.literal(7); // base quantiser
    (0..5).for_each(|_| d.optional_signed(4));
    d.flag(); // refresh entropy probabilities
    let mut probs: TokenProbs = COEFF_PROBS;
    for (i, plane) in COEFF_UPDATE_PROBS.iter().enumerate() {
        for (j, band) in plane.iter().enumerate() {
            for (k, ctx) in band.iter().enumerate() {
                for (t, &update) in ctx.iter().enumerate() {
                    if d.bit(update) {
                        probs[i][j][k][t] = d.literal(8) as u8;
                    }
                }
            }
        }
    }
    let skip_prob = if d.flag() { Some(d.literal(8) as u8) } else { None };
    let header_loaded = d.loaded;

    // Token partitions: sizes of all but the last, then the data.
    let table = rest.get(..3 * (parts - 1)).ok_or("This WebP picture's part table runs past its end.")?;
    let mut spans = Vec::with_capacity(parts);
    let mut at = 3 * (parts - 1);
    for p in 0..parts {
        let size = if p + 1 < parts { u24(&table[3 * p..]) } else { rest.len() - at };
        let span = rest.get(at..at + size).ok_or("This WebP picture's parts run past its end.")?;
        spans.push(span);
        at += size;
    }
    let mut readers: Vec<BoolDecoder<'_>> = spans.iter().map(|s| BoolDecoder::new(s)).collect();

    // Every macroblock: modes from the first partition, tokens from its row's partition.
    let mut top = vec![Context::default(); mb_w];
    for mb_y in 0..mb_h {
        // A frame whose data ends long before its picture does is one libwebp refuses
        // ("premature end-of-file"); stop there rather than read zeros for every
        // macroblock of a huge frame (a tiny file must not cost seconds).
        if d.overran() || readers.iter().any(BoolDecoder::overran) {
            return Err("This WebP picture's data ends before its picture does.");
        }
        let tokens = &mut readers[mb_y % parts];
        let mut left = Context::default();
        for above in top.iter_mut() {
            if update_map {
                d.tree(&SEGMENT_TREE, &segment_probs);
            }
            let skip = skip_prob.is_some_and(|p| d.bit(p));
            let ymode = d.tree(&YMODE_TREE, &YMODE_PROBS);
            let whole = ymode != B_PRED;
            if whole {
                let m = YMODE_AS_BMODE[usize::from(ymode)];
                above.modes = [m; 4];
                left.modes = [m; 4];
            } else {
                for y in 0..4 {
                    for x in 0..4 {
                        let m = d.tree(&BMODE_TREE, &BMODE_PROBS[usize::from(above.modes[x])][usize::from(left.modes[y])]);
                        above.modes[x] = m;
                        left.modes[y] = m;
                    }
                }
            }
            d.tree(&UV_MODE_TREE, &UV_MODE_PROBS);
            if skip {
                // No tokens: the neighbours see none, except a Y2 block a sub-block-mode macroblock never has.
                let from = usize::from(!whole);
                above.nz[from..].fill(false);
                left.nz[from..].fill(false);
            } else {
                macroblock_tokens(tokens, &probs, whole, above, &mut left);
            }
        }
    }

    let first_used = d.used();
    // libwebp's incremental decoder (Chromium's) refuses a first partition the frame header alone
    // uses up: when the modes needed no byte more, one more is kept, as a zero (no read reaches it).
    let pad = usize::from(first_used <= header_loaded && first_used < first.len());
    // A partition no row reads keeps nothing; libwebp still wants the last one not empty.
    let kept: Vec<usize> = (0..parts).map(|p| if p < mb_h { readers[p].used() } else { usize::from(p + 1 == parts) }).collect();
    Ok(Reading { data, tag, first, first_used, pad, spans, kept, rows: mb_h })
}

impl<'a> Reading<'a> {
    /// The bytes after each partition's read part (a partition no row reads is all tail).
    pub(crate) fn tails(&self) -> impl Iterator<Item = &'a [u8]> + '_ {
        let first = std::iter::once(&self.first[self.first_used..]);
        let parts = self.spans.iter().zip(&self.kept).enumerate();
        first.chain(parts.map(|(p, (span, &k))| if p < self.rows { &span[k..] } else { *span }))
    }

    /// The frame again: same tag bits and header, each partition cut to what was read.
    fn rebuild(&self) -> Trimmed {
        let (first_used, pad) = (self.first_used, self.pad);
        let mut out = Vec::with_capacity(self.data.len());
        let new_tag = (self.tag & 0x1F) | ((first_used + pad) << 5);
        out.extend_from_slice(&new_tag.to_le_bytes()[..3]);
        out.extend_from_slice(&self.data[3..10]);
        out.extend_from_slice(&self.first[..first_used]);
        out.resize(out.len() + pad, 0);
        for &k in &self.kept[..self.kept.len() - 1] {
            out.extend_from_slice(&(k as u32).to_le_bytes()[..3]);
        }
        for (p, (span, &k)) in self.spans.iter().zip(&self.kept).enumerate() {
            if p < self.rows {
                out.extend_from_slice(&span[..k]);
            } else {
                out.resize(out.len() + k, 0);
            }
        }
        Trimmed { dropped: self.data.len().saturating_sub(out.len()), bytes: out }
    }
}
