//! GIF picture data (LZW, least significant bit first, GIF's code size switch)
//! decoded for the GIF safer copy (`gif.rs`).
//!
//! Owns: [`decode`], which gives the same colour indices *and the same count of
//! input bytes used* as weezl 0.1's `Decoder` driven the way the copy drove it
//! (`decode_bytes` until the pixels are filled, the stream ends, or a call makes no
//! progress). The count decides how many bytes the copy reports as left unread, so
//! this is a port of weezl's decoding step, kept to its order of reading: the
//! 64-bit bit buffer topped up whole bytes at a time, codes taken in bursts of up
//! to six. weezl builds four decoders (both bit orders, two output modes), ~9 KB
//! of the core module; this is the one GIF uses. The tests compare both on valid,
//! cut, padded and random streams; weezl still encodes the copy's data.
//!
//! Must not: allocate from anything but the pixel count it is given (the caller
//! caps it) and its fixed 4096-entry tables; panic on any input.

/// Codes are at most 12 bits, so the table holds at most 4096 entries.
const MAX_ENTRIES: usize = 4096;
/// Codes decoded together in one step of weezl's loop (its `BURST`).
const BURST: usize = 6;

/// Decodes up to `pixels` colour indices from `data` (sub-blocks joined); returns them and
/// how many bytes of `data` the decoder took in.
pub(super) fn decode(data: &[u8], min_code: u8, pixels: usize) -> (Vec<u8>, usize) {
    let mut decoder = Decoder::new(min_code);
    let mut out = vec![0u8; pixels];
    let (mut read, mut written) = (0, 0);
    while written < pixels {
        let mut input = &data[read..];
        let (n, status) = decoder.step(&mut input, &mut out[written..]);
        let consumed = data.len() - read - input.len();
        read += consumed;
        written += n;
        if status != Status::Ok || consumed + n == 0 {
            break;
        }
    }
    out.truncate(written);
    (out, read)
}

#[derive(Clone, Copy, PartialEq)]
enum Status {
    Ok,
    NoProgress,
    Done,
    Invalid,
}

/// A table entry: the code before it, its last byte, its first byte.
#[derive(Clone, Copy)]
struct Link {
    prev: u16,
    byte: u8,
    first: u8,
}

/// The last decoded code and the first byte of its word (weezl's `DerivationBase`).
#[derive(Clone, Copy)]
struct Base {
    code: u16,
    first: u8,
}

struct Decoder {
    min_size: u8,
    links: Vec<Link>,
    depths: Vec<u16>,
    /// The last word, or the part of it that did not fit the output yet (`read..write`).
    word: Vec<u8>,
    read: usize,
    write: usize,
    last: Option<Base>,
    clear_code: u16,
    end_code: u16,
    next_code: u16,
    ended: bool,
    bit_buffer: u64,
    bits: u8,
    code_size: u8,
    code_mask: u16,
}

impl Decoder {
    fn new(min_size: u8) -> Self {
        Decoder {
            min_size,
            links: Vec::with_capacity(MAX_ENTRIES),
            depths: Vec::with_capacity(MAX_ENTRIES),
            word: vec![0; MAX_ENTRIES],
            read: 0,
            write: 0,
            last: None,
            clear_code: 1 << min_size,
            end_code: (1 << min_size) + 1,
            next_code: (1 << min_size) + 2,
            ended: false,
            bit_buffer: 0,
            bits: 0,
            code_size: min_size + 1,
            code_mask: (1 << (min_size + 1)) - 1,
        }
    }

    fn reset_code_size(&mut self) {
        self.code_size = self.min_size + 1;
        self.code_mask = (1 << self.code_size) - 1;
        self.next_code = (1 << self.min_size) + 2;
    }

    /// The table of single bytes plus the clear and end codes.
    fn init_tables(&mut self) {
        self.reset_code_size();
        self.links.clear();
        self.depths.clear();
        for i in 0..1u16 << self.min_size {
            self.links.push(Link { prev: 0, byte: i as u8, first: i as u8 });
            self.depths.push(1);
        }
        for _ in 0..2 {
            self.links.push(Link { prev: 0, byte: 0, first: 0 });
            self.depths.push(0);
        }
    }

    /// After a clear code: back to the single bytes.
    fn reset_tables(&mut self) {
        self.reset_code_size();
        let static_count = usize::from(self.next_code);
        self.links.truncate(static_count);
        self.depths.truncate(static_count);
    }

    fn is_full(&self) -> bool {
        self.links.len() >= MAX_ENTRIES
    }

    /// Tops the bit buffer up with whole bytes (as many as fit in 64 bits).
    fn refill(&mut self, input: &mut &[u8]) {
        let wish = usize::from((64 - self.bits) / 8);
        let take = wish.min(input.len());
        let mut bytes = [0u8; 8];
        bytes[..take].copy_from_slice(&input[..take]);
        *input = &input[take..];
        if take > 0 {
            self.bit_buffer |= u64::from_le_bytes(bytes) << self.bits;
            self.bits += take as u8 * 8;
        }
    }

    fn next_symbol(&mut self, input: &mut &[u8]) -> Option<u16> {
        if self.bits < self.code_size {
            self.refill(input);
        }
        if self.bits < self.code_size {
            return None;
        }
        let code = (self.bit_buffer & u64::from(self.code_mask)) as u16;
        self.bit_buffer >>= self.code_size;
        self.bits -= self.code_size;
        Some(code)
    }

    /// Writes the word of `code` into `out` (its depth long), from its end; returns its first byte.
    fn reconstruct(&self, code: u16, out: &mut [u8]) -> u8 {
        let table = &self.links[..=usize::from(code)];
        let mut at = code;
        for byte in out.iter_mut().rev() {
            let link = table[usize::from(at)];
            at = link.prev.min(code);
            *byte = link.byte;
        }
        table[usize::from(code)].first
    }

    /// Puts the word of `code` in `word`, unread; returns its first byte.
    fn fill_word(&mut self, code: u16) -> u8 {
        let depth = usize::from(self.depths[usize::from(code)]);
        let mut word = std::mem::take(&mut self.word);
        let first = self.reconstruct(code, &mut word[..depth]);
        self.word = word;
        self.read = 0;
        self.write = depth;
        first
    }

    fn derive(&mut self, from: Base, byte: u8) {
        self.links.push(Link { prev: from.code, byte, first: from.first });
        self.depths.push(self.depths[usize::from(from.code)] + 1);
    }

    /// One `decode_bytes` call of weezl's decoder: decodes into `out`, takes input from
    /// `input`; returns the bytes written and the status.
    fn step(&mut self, input: &mut &[u8], out: &mut [u8]) -> (usize, Status) {
        if self.ended {
            return (0, Status::Done);
        }
        let input_before = input.len();
        let mut pos = 0;
        let mut link = None;
        let mut status = Status::Ok;
        match self.last.take() {
            None => match self.next_symbol(input) {
                None => status = Status::NoProgress,
                Some(code) if code >= self.next_code => status = Status::Invalid,
                Some(code) if code == self.clear_code => self.init_tables(),
                Some(code) if code == self.end_code => {
                    self.ended = true;
                    status = Status::Done;
                }
                Some(code) => {
                    if self.links.is_empty() {
                        self.init_tables(); // a stream may start without a clear code
                    }
                    let first = self.fill_word(code);
                    link = Some(Base { code, first });
                }
            },
            Some(base) => link = Some(base),
        }

        // The rest of a word that did not fit last time.
        let mut waiting_for_data = false;
        if link.is_some() {
            let remain = self.write - self.read;
            if remain > out.len() {
                if out.is_empty() {
                    status = Status::NoProgress;
                } else {
                    out.copy_from_slice(&self.word[self.read..self.read + out.len()]);
                    self.read += out.len();
                    pos = out.len();
                }
            } else if remain == 0 {
                status = Status::NoProgress;
                waiting_for_data = true;
            } else {
                out[..remain].copy_from_slice(&self.word[self.read..self.write]);
                self.read = self.write;
                pos = remain;
            }
        }

        // Where in `out` the last decoded word is (start, length).
        let mut last_word: Option<(usize, usize)> = None;
        if self.read == self.write {
            loop {
                let Some(mut base) = link.take() else { break };
                self.refill(input);
                let count = usize::from(self.bits / self.code_size).min(BURST);
                if count == 0 {
                    if waiting_for_data {
                        status = Status::NoProgress;
                    }
                    link = Some(base);
                    break;
                }
                let mut codes = [0u16; BURST];
                let mut buffer = self.bit_buffer;
                for code in codes.iter_mut().take(count) {
                    *code = (buffer & u64::from(self.code_mask)) as u16;
                    buffer >>= self.code_size;
                }

                // A burst: codes already in the table, not special, that fit in `out`,
                // before the code size changes; the code after them is handled alone.
                let left_before_size_switch = usize::from(self.code_mask.saturating_sub(self.next_code));
                let mut burst_size = 0;
                let mut room = out.len() - pos;
                let mut lengths = [0usize; BURST];
                for &code in &codes[..count] {
                    if burst_size > 0 {
                        room -= lengths[burst_size - 1];
                    }
                    burst_size += 1;
                    if burst_size > left_before_size_switch
                        || code == self.clear_code
                        || code == self.end_code
                        || code >= self.next_code
                    {
                        break;
                    }
                    let len = usize::from(self.depths[usize::from(code)]);
                    if room < len {
                        break;
                    }
                    lengths[burst_size - 1] = len;
                }
                let consumed_bits = self.code_size * burst_size as u8;
                self.bit_buffer = if consumed_bits >= self.bits { 0 } else { self.bit_buffer >> consumed_bits };
                self.bits = self.bits.wrapping_sub(consumed_bits);
                waiting_for_data = false;

                let new_code = codes[burst_size - 1];
                let burst = &codes[..burst_size - 1];
                if !self.is_full() {
                    self.next_code += burst.len() as u16;
                }
                let mut firsts = [0u8; BURST];
                for (i, &code) in burst.iter().enumerate() {
                    let len = lengths[i];
                    firsts[i] = self.reconstruct(code, &mut out[pos..pos + len]);
                    last_word = Some((pos, len));
                    pos += len;
                }
                for (i, &code) in burst.iter().enumerate() {
                    self.derive(base, firsts[i]);
                    base = Base { code, first: firsts[i] };
                }

                if new_code == self.clear_code {
                    self.reset_tables();
                    last_word = None;
                    break;
                }
                if new_code == self.end_code {
                    self.ended = true;
                    status = Status::Done;
                    last_word = None;
                    break;
                }
                if new_code > self.next_code {
                    status = Status::Invalid;
                    last_word = None;
                    break;
                }

                // new_code == next_code is the word before plus its own first byte.
                let repeats = new_code == self.next_code;
                let required = usize::from(if repeats {
                    self.depths[usize::from(base.code)] + 1
                } else {
                    self.depths[usize::from(new_code)]
                });
                if !repeats {
                    last_word = None; // only a repeat reads the last word (set again below)
                }
                let first;
                let in_buffer = required > out.len() - pos;
                if in_buffer {
                    if repeats {
                        if let Some((start, len)) = last_word.take() {
                            self.word[..len].copy_from_slice(&out[start..start + len]);
                            self.write = len;
                        }
                        self.word[self.write] = self.word[0];
                        self.write += 1;
                        self.read = 0;
                        first = self.word[0];
                    } else {
                        first = self.fill_word(new_code);
                    }
                } else {
                    if repeats {
                        let (start, len) = match last_word {
                            Some(w) => w,
                            None => {
                                // the word before is in `word`: copy it out first
                                let len = self.write;
                                out[pos..pos + len].copy_from_slice(&self.word[..len]);
                                (pos, len)
                            }
                        };
                        first = if len > 0 { out[start] } else { 0 };
                        out.copy_within(start..start + len, pos);
                        out[pos + len] = first;
                    } else {
                        first = self.reconstruct(new_code, &mut out[pos..pos + required]);
                    }
                    last_word = Some((pos, required));
                    pos += required;
                }

                if !self.is_full() {
                    self.derive(base, first);
                    if self.next_code >= self.code_mask && self.code_size < 12 {
                        self.code_size += 1;
                        self.code_mask = (self.code_mask << 1) | 1;
                    }
                    self.next_code += 1;
                }
                link = Some(Base { code: new_code, first });
                if in_buffer || pos == out.len() {
                    break;
                }
            }
        }

        // Keep the last word: a repeat code at the start of the next call builds on it.
        if let Some((start, len)) = last_word {
            self.word[..len].copy_from_slice(&out[start..start + len]);
            self.write = len;
            self.read = len;
        }
        if input.len() < input_before && status == Status::NoProgress {
            status = Status::Ok;
        }
        self.last = link;
        (pos, status)
    }
}

#[cfg(test)]
mod tests {
    use super::decode;

    /// What the GIF copy did before: weezl's decoder, called until the pixels are filled,
    /// the stream ends, or a call makes no progress.
    fn weezl_decode(data: &[u8], min_code: u8, pixels: usize) -> (Vec<u8>, usize) {
        let mut decoder = weezl::decode::Decoder::new(weezl::BitOrder::Lsb, min_code);
        let mut out = vec![0u8; pixels];
        let (mut read, mut written) = (0, 0);
        while written < pixels {
            let r = decoder.decode_bytes(&data[read..], &mut out[written..]);
            read += r.consumed_in;
            written += r.consumed_out;
            match r.status {
                Ok(weezl::LzwStatus::Ok) if r.consumed_in + r.consumed_out > 0 => continue,
                _ => break,
            }
        }
        out.truncate(written);
        (out, read)
    }

    use crate::test_rng::XorShift as Rng;

    fn same(data: &[u8], min_code: u8, pixels: usize, what: &str) {
        let ours = decode(data, min_code, pixels);
        let theirs = weezl_decode(data, min_code, pixels);
        assert_eq!(ours.1, theirs.1, "{what}: bytes used (min code {min_code}, {pixels} pixels, {} bytes)", data.len());
        assert!(ours.0 == theirs.0, "{what}: pixels differ (min code {min_code}, {pixels} pixels, {} bytes)", data.len());
    }

    /// Pixels of a picture: runs and repeats (long words, a full table) or noise.
    fn pixels(rng: &mut Rng, min_code: u8, count: usize) -> Vec<u8> {
        let colours = 1u64 << rng.below(u64::from(min_code) + 1);
        let mut out = Vec::with_capacity(count);
        while out.len() < count {
            match rng.below(3) {
                0 => out.push(rng.below(colours) as u8),
                1 => {
                    let v = rng.below(colours) as u8;
                    let n = rng.below(300) as usize;
                    out.extend(std::iter::repeat(v).take(n));
                }
                _ if out.len() > 2 => {
                    let start = rng.below(out.len() as u64) as usize;
                    let n = rng.below(200) as usize;
                    for i in 0..n {
                        out.push(out[start + i % (out.len() - start)]);
                    }
                }
                _ => {}
            }
        }
        out.truncate(count);
        out
    }

    /// Codes packed LSB first at the code size a decoder would use for them, with clear
    /// and end codes, repeat codes and impossible codes mixed in where `wild`.
    fn code_stream(rng: &mut Rng, min_code: u8, codes: usize, wild: bool) -> Vec<u8> {
        let (clear, end) = (1u32 << min_code, (1u32 << min_code) + 1);
        let (mut size, mut next, mut first) = (u32::from(min_code) + 1, end + 1, true);
        let (mut acc, mut nbits, mut out) = (0u64, 0u32, Vec::new());
        for _ in 0..codes {
            let roll = rng.below(100);
            let code = if wild && roll < 3 {
                clear
            } else if wild && roll < 4 {
                end
            } else if wild && roll < 6 {
                rng.below(1 << size) as u32
            } else if first {
                rng.below(u64::from(clear)) as u32
            } else {
                rng.below(u64::from(next) + 1) as u32
            };
            acc |= u64::from(code & ((1 << size) - 1)) << nbits;
            nbits += size;
            while nbits >= 8 {
                out.push(acc as u8);
                acc >>= 8;
                nbits -= 8;
            }
            if code == clear {
                size = u32::from(min_code) + 1;
                next = end + 1;
                first = true;
            } else if first {
                first = false;
            } else if next < 4096 {
                if next >= (1 << size) - 1 && size < 12 {
                    size += 1;
                }
                next += 1;
            }
        }
        if nbits > 0 {
            out.push(acc as u8);
        }
        out
    }

    #[test]
    fn same_as_weezl_on_encoded_pictures() {
        let mut rng = Rng(0x1234_5678_9ABC_DEF1);
        for case in 0..3000 {
            let min_code = 2 + rng.below(7) as u8;
            let count = if case % 100 == 0 { 60_000 } else { 1 + rng.below(3000) as usize };
            let picture = pixels(&mut rng, min_code, count);
            let data = weezl::encode::Encoder::new(weezl::BitOrder::Lsb, min_code).encode(&picture).unwrap();
            let (decoded, _) = decode(&data, min_code, count);
            assert_eq!(decoded, picture, "case {case}: a valid stream decodes to its picture");
            same(&data, min_code, count, "exact");
            // fewer pixels than the stream holds, more, the stream cut, junk after it, a bit flipped
            same(&data, min_code, rng.below(count as u64) as usize, "fewer pixels");
            same(&data, min_code, count + 1 + rng.below(500) as usize, "more pixels");
            let cut = rng.below(data.len() as u64) as usize;
            same(&data[..cut], min_code, count, "cut");
            let mut padded = data.clone();
            padded.extend((0..rng.below(40)).map(|_| rng.next() as u8));
            same(&padded, min_code, count, "junk after");
            let mut flipped = data.clone();
            let at = rng.below(flipped.len() as u64) as usize;
            flipped[at] ^= 1 << rng.below(8);
            same(&flipped, min_code, count, "bit flipped");
        }
    }

    #[test]
    fn same_as_weezl_on_made_up_and_random_streams() {
        let mut rng = Rng(0x0DDB_1A5E_5BAD_5EED);
        for case in 0..20_000 {
            let min_code = 2 + rng.below(7) as u8;
            let data = match case % 3 {
                0 => {
                    let codes = rng.below(6000) as usize;
                    code_stream(&mut rng, min_code, codes, false)
                }
                1 => {
                    let codes = rng.below(3000) as usize;
                    code_stream(&mut rng, min_code, codes, true)
                }
                _ => (0..rng.below(400)).map(|_| rng.next() as u8).collect(),
            };
            let count = match rng.below(4) {
                0 => 0,
                1 => rng.below(64) as usize,
                _ => rng.below(20_000) as usize,
            };
            same(&data, min_code, count, &format!("case {case}"));
        }
        // Clear codes one after another, at the start and later (a call that reads one without
        // taking in a byte made the old loop stop).
        for min_code in 2..=8u8 {
            let clear = 1u128 << min_code;
            for codes in [vec![clear, clear, 1, 2, clear, clear, clear, 3, clear + 1], vec![1, clear, clear, 2, 2, 2]] {
                let mut acc = 0u128;
                let mut n = 0;
                for c in &codes {
                    acc |= c << n;
                    n += u32::from(min_code) + 1;
                }
                same(&acc.to_le_bytes(), min_code, 50, "clear codes in a row");
            }
        }
    }
}
