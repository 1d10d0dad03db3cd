//! JPEG scan data: finds exactly where the picture's coded bits end, so a safer
//! copy keeps the scan data and nothing after it (bytes hidden after the last
//! block of a scan or of a restart interval are never copied).
//!
//! It owns Huffman decoding of the coefficient *bits* only: which bits each
//! block uses, for baseline, extended and progressive scans (DC first/refine,
//! AC first/refine with end-of-band runs). It never dequantises or transforms,
//! and it writes the kept bits again byte-stuffed, padded with 1-bits.

use super::CleanError;

/// Largest picture whose scans are walked, in pixels (the same order as the decoder's budget).
const MAX_PIXELS: u64 = 200_000_000;

pub(super) fn damaged(what: &str) -> CleanError {
    CleanError::Image(format!(
        "The picture data of this JPEG is damaged ({what}), so ThinkTwice cannot tell where it ends and does not make a copy."
    ))
}

/// A Huffman table as JPEG defines it: code counts per length 1..=16 and the symbols.
#[derive(Clone)]
pub(super) struct Huffman {
    /// Fast path: the next 9 bits → (symbol, code length); length 0 = longer code.
    fast: Vec<(u8, u8)>,
    maxcode: [i32; 17],
    mincode: [i32; 17],
    valptr: [i32; 17],
    values: Vec<u8>,
}

const FAST_BITS: u32 = 9;

impl Huffman {
    pub fn new(counts: &[u8; 16], values: &[u8]) -> Result<Huffman, CleanError> {
        let total: usize = counts.iter().map(|&c| c as usize).sum();
        if total != values.len() || total > 256 {
            return Err(damaged("a Huffman table with the wrong number of symbols"));
        }
        let mut fast = vec![(0u8, 0u8); 1 << FAST_BITS];
        let (mut maxcode, mut mincode, mut valptr) = ([-1i32; 17], [0i32; 17], [0i32; 17]);
        let (mut code, mut k) = (0u32, 0usize);
        for len in 1..=16u32 {
            let n = counts[len as usize - 1] as usize;
            valptr[len as usize] = k as i32;
            mincode[len as usize] = code as i32;
            for _ in 0..n {
                if len <= FAST_BITS {
                    let shift = FAST_BITS - len;
                    for fill in 0..(1u32 << shift) {
                        fast[((code << shift) | fill) as usize] = (values[k], len as u8);
                    }
                }
                code += 1;
                k += 1;
            }
            if code > (1 << len) {
                return Err(damaged("a Huffman table with too many codes"));
            }
            maxcode[len as usize] = if n > 0 { code as i32 - 1 } else { -1 };
            code <<= 1;
        }
        Ok(Huffman { fast, maxcode, mincode, valptr, values: values.to_vec() })
    }

    fn decode(&self, bits: &mut Bits<'_>) -> Result<u8, CleanError> {
        let peek = bits.peek16();
        let (sym, len) = self.fast[(peek >> (16 - FAST_BITS)) as usize];
        if len > 0 {
            bits.skip(len as u32);
            return Ok(sym);
        }
        for len in FAST_BITS + 1..=16 {
            let c = (peek >> (16 - len)) as i32;
            if c <= self.maxcode[len as usize] {
                bits.skip(len);
                let i = self.valptr[len as usize] + c - self.mincode[len as usize];
                return self.values.get(i as usize).copied().ok_or_else(|| damaged("a code outside its table"));
            }
        }
        Err(damaged("a code that is in no table"))
    }
}

/// Reads unstuffed entropy-coded bytes, most significant bit first; past the end it reads zeros.
struct Bits<'a> {
    data: &'a [u8],
    pos: usize,
    acc: u64,
    n: u32,
    consumed: u64,
}

impl<'a> Bits<'a> {
    fn new(data: &'a [u8]) -> Self {
        Bits { data, pos: 0, acc: 0, n: 0, consumed: 0 }
    }
    fn fill(&mut self) {
        while self.n <= 56 {
            let b = self.data.get(self.pos).copied().unwrap_or(0);
            self.pos += 1;
            self.acc |= (b as u64) << (56 - self.n);
            self.n += 8;
        }
    }
    fn peek16(&mut self) -> u32 {
        self.fill();
        (self.acc >> 48) as u32
    }
    fn skip(&mut self, k: u32) {
        if k == 0 {
            return;
        }
        self.fill();
        self.acc <<= k;
        self.n -= k;
        self.consumed += k as u64;
    }
    fn bits(&mut self, k: u32) -> u32 {
        if k == 0 {
            return 0;
        }
        self.fill();
        let v = (self.acc >> (64 - k)) as u32;
        self.skip(k);
        v
    }
}

/// One component of the frame.
#[derive(Clone, Debug)]
pub(super) struct Component {
    pub id: u8,
    pub h: u8,
    pub v: u8,
    pub tq: u8,
}

/// The frame (SOFn) as far as scans need it, plus which AC coefficients are
/// already non-zero (progressive refinement reads a bit for each of those).
pub(super) struct Frame {
    pub marker: u8,
    pub precision: u8,
    pub width: u16,
    pub height: u16,
    pub components: Vec<Component>,
    hmax: u32,
    vmax: u32,
    mcux: u32,
    mcuy: u32,
    nonzero: Vec<Vec<u64>>,
}

impl Frame {
    pub fn new(marker: u8, precision: u8, width: u16, height: u16, components: Vec<Component>) -> Result<Frame, CleanError> {
        if width == 0 || height == 0 {
            return Err(CleanError::Unsupported(
                "This JPEG gives its height only after the picture data; ThinkTwice cannot copy it safely.".into(),
            ));
        }
        if components.is_empty() || components.len() > 4 || components.iter().any(|c| !(1..=4).contains(&c.h) || !(1..=4).contains(&c.v)) {
            return Err(damaged("an impossible frame header"));
        }
        if u64::from(width) * u64::from(height) > MAX_PIXELS {
            return Err(CleanError::Image(format!("This picture ({width}×{height}) is too large to make a new copy.")));
        }
        let hmax = components.iter().map(|c| c.h as u32).max().unwrap_or(1);
        let vmax = components.iter().map(|c| c.v as u32).max().unwrap_or(1);
        let mcux = (width as u32).div_ceil(8 * hmax);
        let mcuy = (height as u32).div_ceil(8 * vmax);
        let progressive = marker == 0xC2;
        let nonzero = components
            .iter()
            .map(|c| if progressive { vec![0u64; (mcux * c.h as u32 * mcuy * c.v as u32) as usize] } else { Vec::new() })
            .collect();
        Ok(Frame { marker, precision, width, height, components, hmax, vmax, mcux, mcuy, nonzero })
    }

    fn progressive(&self) -> bool {
        self.marker == 0xC2
    }

    /// Blocks across and down of a component scanned on its own (no MCU padding).
    fn own_blocks(&self, c: usize) -> (u32, u32) {
        let comp = &self.components[c];
        let w = (self.width as u32 * comp.h as u32).div_ceil(self.hmax);
        let h = (self.height as u32 * comp.v as u32).div_ceil(self.vmax);
        (w.div_ceil(8), h.div_ceil(8))
    }
}

/// One scan header (SOS).
pub(super) struct Scan {
    /// (component index in the frame, DC table, AC table)
    pub components: Vec<(usize, u8, u8)>,
    pub ss: u8,
    pub se: u8,
    pub ah: u8,
    pub al: u8,
}

impl Scan {
    /// Whether this scan reads DC / AC Huffman tables.
    /// A sequential scan always codes DC (whatever its spectral selection says); a progressive
    /// one only in its first DC pass.
    pub fn uses_dc_table(&self, progressive: bool) -> bool {
        !progressive || (self.ss == 0 && self.ah == 0)
    }
    pub fn uses_ac_table(&self, progressive: bool) -> bool {
        !progressive || self.se > 0
    }
}

/// The scan's data rewritten: exactly the coded bits, re-stuffed, with canonical restart markers.
pub(super) struct ScanData {
    pub bytes: Vec<u8>,
    /// Offset (in the input slice) of the marker that ends the scan, or its length.
    pub end: usize,
    /// Bytes of the input before `end` that were not coded picture data.
    pub unread: usize,
}

/// Walks the entropy-coded data at the start of `data` for one scan.
pub(super) fn rewrite(
    frame: &mut Frame,
    scan: &Scan,
    dc: &[Option<Huffman>; 4],
    ac: &[Option<Huffman>; 4],
    restart: u16,
    data: &[u8],
) -> Result<ScanData, CleanError> {
    let progressive = frame.progressive();
    if scan.components.is_empty() || scan.se > 63 || scan.ss > scan.se && scan.ss != 0 {
        return Err(damaged("an impossible scan header"));
    }
    if progressive && scan.ss > 0 && scan.components.len() != 1 {
        return Err(damaged("a progressive scan with several components"));
    }
    let tables: Vec<(Option<&Huffman>, Option<&Huffman>)> = scan
        .components
        .iter()
        .map(|&(_, td, ta)| {
            let d = if scan.uses_dc_table(progressive) { Some(dc[td as usize & 3].as_ref().ok_or_else(|| damaged("a missing Huffman table"))?) } else { None };
            let a = if scan.uses_ac_table(progressive) { Some(ac[ta as usize & 3].as_ref().ok_or_else(|| damaged("a missing Huffman table"))?) } else { None };
            Ok((d, a))
        })
        .collect::<Result<_, CleanError>>()?;
    let (intervals, end) = split_intervals(data);
    let interleaved = scan.components.len() > 1;
    let units: u64 = if interleaved {
        frame.mcux as u64 * frame.mcuy as u64
    } else {
        let (w, h) = frame.own_blocks(scan.components[0].0);
        w as u64 * h as u64
    };
    let per_interval = if restart > 0 { restart as u64 } else { units.max(1) };
    let needed = units.div_ceil(per_interval) as usize;
    let mut out = Vec::with_capacity(data.len().min(end));
    let mut unread = 0usize;
    let mut unit = 0u64;
    for i in 0..needed {
        let raw = intervals.get(i).map(|r| &data[r.clone()]).unwrap_or(&[]);
        let plain = unstuff(raw);
        let mut bits = Bits::new(&plain);
        let mut eobrun = 0u32;
        let last = (unit + per_interval).min(units);
        while unit < last {
            if interleaved {
                let (mx, my) = ((unit % frame.mcux as u64) as u32, (unit / frame.mcux as u64) as u32);
                for (k, &(c, _, _)) in scan.components.iter().enumerate() {
                    let comp = frame.components[c].clone();
                    for v in 0..comp.v as u32 {
                        for h in 0..comp.h as u32 {
                            let (row, col) = (my * comp.v as u32 + v, mx * comp.h as u32 + h);
                            block(frame, scan, tables[k], c, row, col, &mut bits, &mut eobrun)?;
                        }
                    }
                }
            } else {
                let c = scan.components[0].0;
                let (w, _) = frame.own_blocks(c);
                let (row, col) = ((unit / w as u64) as u32, (unit % w as u64) as u32);
                block(frame, scan, tables[0], c, row, col, &mut bits, &mut eobrun)?;
            }
            unit += 1;
        }
        let used_bits = bits.consumed;
        let used = (used_bits.div_ceil(8) as usize).min(plain.len());
        let mut kept = plain[..used].to_vec();
        let tail_bits = (used_bits % 8) as u32;
        if tail_bits != 0 && used_bits.div_ceil(8) as usize <= plain.len() {
            if let Some(b) = kept.last_mut() {
                *b |= (1u8 << (8 - tail_bits)) - 1;
            }
        }
        unread += plain.len() - used;
        restuff(&kept, &mut out);
        if i + 1 < needed {
            out.extend_from_slice(&[0xFF, 0xD0 + (i % 8) as u8]);
        }
    }
    // Intervals beyond the last block hold nothing the picture needs.
    for r in intervals.iter().skip(needed) {
        unread += r.len() + 2;
    }
    Ok(ScanData { bytes: out, end, unread })
}

#[allow(clippy::too_many_arguments)]
fn block(
    frame: &mut Frame,
    scan: &Scan,
    (dc, ac): (Option<&Huffman>, Option<&Huffman>),
    c: usize,
    row: u32,
    col: u32,
    bits: &mut Bits<'_>,
    eobrun: &mut u32,
) -> Result<(), CleanError> {
    let progressive = frame.progressive();
    if !progressive {
        let (dc, ac) = (dc.expect("dc table"), ac.expect("ac table"));
        let s = dc.decode(bits)?;
        bits.skip((s & 15) as u32);
        let mut k = 1u32;
        while k < 64 {
            let rs = ac.decode(bits)?;
            let (r, s) = ((rs >> 4) as u32, (rs & 15) as u32);
            if s == 0 {
                if r == 15 {
                    k += 16;
                    continue;
                }
                break;
            }
            k += r;
            bits.skip(s);
            k += 1;
        }
        return Ok(());
    }
    if scan.ss == 0 {
        if scan.ah == 0 {
            let s = dc.expect("dc table").decode(bits)?;
            bits.skip((s & 15) as u32);
        } else {
            bits.skip(1);
        }
        return Ok(());
    }
    let ac = ac.expect("ac table");
    let bw = frame.mcux * frame.components[c].h as u32;
    let index = (row * bw + col) as usize;
    let nonzero = frame.nonzero[c].get_mut(index).ok_or_else(|| damaged("a block outside the picture"))?;
    let (ss, se) = (scan.ss as u32, scan.se as u32);
    if scan.ah == 0 {
        // AC first pass.
        if *eobrun > 0 {
            *eobrun -= 1;
            return Ok(());
        }
        let mut k = ss;
        while k <= se {
            let rs = ac.decode(bits)?;
            let (r, s) = ((rs >> 4) as u32, (rs & 15) as u32);
            if s == 0 {
                if r < 15 {
                    *eobrun = (1 << r) - 1;
                    if r > 0 {
                        *eobrun += bits.bits(r);
                    }
                    break;
                }
                k += 16;
                continue;
            }
            k += r;
            bits.skip(s);
            if k < 64 {
                *nonzero |= 1u64 << k;
            }
            k += 1;
        }
        return Ok(());
    }
    // AC refinement (as libjpeg's decode_mcu_AC_refine).
    let mut k = ss;
    if *eobrun == 0 {
        while k <= se {
            let rs = ac.decode(bits)?;
            let (mut r, s) = ((rs >> 4) as i32, (rs & 15) as u32);
            if s != 0 {
                bits.skip(1); // sign of the new coefficient
            } else if r != 15 {
                *eobrun = 1 << r;
                if r > 0 {
                    *eobrun += bits.bits(r as u32);
                }
                break;
            }
            while k <= se {
                if *nonzero & (1u64 << k) != 0 {
                    bits.skip(1);
                } else {
                    r -= 1;
                    if r < 0 {
                        break;
                    }
                }
                k += 1;
            }
            if s != 0 && k < 64 {
                *nonzero |= 1u64 << k;
            }
            k += 1;
        }
    }
    if *eobrun > 0 {
        while k <= se {
            if *nonzero & (1u64 << k) != 0 {
                bits.skip(1);
            }
            k += 1;
        }
        *eobrun -= 1;
    }
    Ok(())
}

/// Splits the scan data into restart intervals (ranges of stuffed bytes) and finds
/// the offset of the marker that ends the scan.
fn split_intervals(data: &[u8]) -> (Vec<std::ops::Range<usize>>, usize) {
    let mut intervals = Vec::new();
    let mut start = 0;
    let mut p = 0;
    loop {
        let Some(at) = memchr::memchr(0xFF, &data[p..]).map(|i| p + i) else {
            intervals.push(start..data.len());
            return (intervals, data.len());
        };
        let mut q = at;
        while data.get(q + 1) == Some(&0xFF) {
            q += 1;
        }
        match data.get(q + 1) {
            None => {
                intervals.push(start..at);
                return (intervals, data.len());
            }
            Some(0x00) if q == at => p = q + 2,
            Some(0xD0..=0xD7) => {
                intervals.push(start..at);
                start = q + 2;
                p = start;
            }
            Some(_) => {
                intervals.push(start..at);
                return (intervals, at);
            }
        }
    }
}

/// Removes the 00 after each FF (the stuffing entropy-coded data needs).
fn unstuff(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        out.push(raw[i]);
        i += if raw[i] == 0xFF { 2 } else { 1 };
    }
    out
}

fn restuff(plain: &[u8], out: &mut Vec<u8>) {
    for &b in plain {
        out.push(b);
        if b == 0xFF {
            out.push(0);
        }
    }
}
