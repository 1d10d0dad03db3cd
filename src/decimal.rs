//! Numbers as decimal text: [`fixed`] with a fixed count of places writes the
//! same text as `format!("{:.N}", x)` (exact value of the binary number, ties
//! to even, "-0.0" for a negative number that rounds to zero), [`shortest`] the
//! same as `format!("{x}")`, and [`parse`] reads text as `text.parse::<f64>()`
//! does (the nearest f64, ties to even). Owns only that.
//!
//! Why not `str::parse`: its algorithm (Eisel-Lemire) carries a 10 KB table of
//! powers of five that hardly compresses, ~8 KB gzipped of the core wasm, for the
//! few numbers a photo's text holds (XMP coordinates, GPS accuracy); exact big-integer
//! division is fast enough for those.
//!
//! Why not `format!`: the standard library's float formatting (Grisu and Dragon
//! with their big-number tables) was ~8 KB gzipped of the core wasm, which a
//! phone downloads before its first check; integers are enough here, because
//! every finite f64 is an integer times a power of two. Must not: format in any
//! other way than `format!` does (tests compare them on many numbers).

/// `x` with `places` digits after the point (at most 20), as `format!("{:.places$}", x)`.
pub fn fixed(x: f64, places: usize) -> String {
    assert!(places <= 20, "decimal::fixed: at most 20 places");
    if x.is_nan() {
        return "NaN".into();
    }
    let sign = if x.is_sign_negative() { "-" } else { "" };
    if x.is_infinite() {
        return format!("{sign}inf");
    }
    let bits = x.to_bits();
    let (exponent, fraction) = (((bits >> 52) & 0x7ff) as i32, bits & ((1 << 52) - 1));
    // |x| = mantissa × 2^power, exactly.
    let (mantissa, power) = if exponent == 0 { (fraction, -1074) } else { (fraction | 1 << 52, exponent - 1075) };
    let mut digits = if power >= 0 {
        // A whole number: its digits, then `places` zeros.
        let mut d = whole_digits(mantissa, power as u32);
        d.extend(std::iter::repeat_n(b'0', places));
        d
    } else {
        // |x| × 10^places = mantissa × 10^places / 2^shift, rounded half to even.
        let shift = power.unsigned_abs();
        let scaled = u128::from(mantissa) * 10u128.pow(places as u32);
        let rounded = if shift >= 128 {
            0 // scaled < 2^120 < half of 2^shift
        } else {
            let (quotient, rest, half) = (scaled >> shift, scaled & ((1u128 << shift) - 1), 1u128 << (shift - 1));
            quotient + u128::from(rest > half || (rest == half && quotient & 1 == 1))
        };
        let mut d = u128_digits(rounded);
        if d.len() <= places {
            let pad = places + 1 - d.len();
            d.splice(0..0, std::iter::repeat_n(b'0', pad));
        }
        d
    };
    if places > 0 {
        let point = digits.len() - places;
        digits.insert(point, b'.');
    }
    sign.to_string() + std::str::from_utf8(&digits).unwrap_or_default()
}

/// `x` as `format!("{x}")` writes it: the shortest digits that read back as `x` (of two
/// equally near, the one further from zero), without an exponent ("1000000000000000000000",
/// "0.0000001", "1" for 1.0, "-0"). The digits come from serde_json's float writer (already in
/// the crate), which takes the even one of two equally near: that case is found from the exact
/// value and turned round here.
pub fn shortest(x: f64) -> String {
    let Some(number) = serde_json::Number::from_f64(x) else { return fixed(x, 0) };
    let text = number.to_string(); // "-1.5e-7", "1e21", "0.1", "1.0"
    let text = text.trim_start_matches('-');
    let (mantissa, exponent) = match text.split_once(['e', 'E']) {
        Some((m, e)) => (m, e.parse::<i32>().unwrap_or(0)),
        None => (text, 0),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let (mut digits, mut point) = significant(whole.bytes().chain(fraction.bytes()).collect(), whole.len() as i32 + exponent);
    // The exact value one digit longer, ending in 5: halfway, and the writer went down.
    let (exact, exact_point) = exact_digits(x);
    if exact.len() == digits.len() + 1 && exact_point == point && exact.ends_with(b"5") && exact.starts_with(&digits) {
        match digits.iter().rposition(|&d| d != b'9') {
            Some(at) => {
                digits[at] += 1;
                digits.truncate(at + 1);
            }
            None => {
                digits = vec![b'1'];
                point += 1;
            }
        }
    }
    let digits = String::from_utf8(digits).unwrap_or_default();
    let body = if digits.is_empty() {
        "0".to_string()
    } else if point <= 0 {
        format!("0.{}{digits}", "0".repeat(point.unsigned_abs() as usize))
    } else if point as usize >= digits.len() {
        format!("{digits}{}", "0".repeat(point as usize - digits.len()))
    } else {
        format!("{}.{}", &digits[..point as usize], &digits[point as usize..])
    };
    if x.is_sign_negative() { format!("-{body}") } else { body }
}

/// Digits without leading or trailing zeros, and where the point goes:
/// the number is 0.digits × 10^point (empty digits: zero).
fn significant(mut digits: Vec<u8>, mut point: i32) -> (Vec<u8>, i32) {
    let lead = digits.iter().take_while(|&&d| d == b'0').count();
    digits.drain(..lead);
    point -= lead as i32;
    while digits.last() == Some(&b'0') {
        digits.pop();
    }
    (digits, point)
}

/// The exact decimal value of |x| (finite): mantissa × 2^power is mantissa × 2^power
/// when power ≥ 0, else mantissa × 5^-power / 10^-power.
fn exact_digits(x: f64) -> (Vec<u8>, i32) {
    let bits = x.to_bits();
    let (exponent, fraction) = (((bits >> 52) & 0x7ff) as i32, bits & ((1 << 52) - 1));
    let (mantissa, power) = if exponent == 0 { (fraction, -1074) } else { (fraction | 1 << 52, exponent - 1075) };
    if power >= 0 {
        let d = big_digits(mantissa, 2, power as u32);
        let point = d.len() as i32;
        significant(d, point)
    } else {
        let d = big_digits(mantissa, 5, power.unsigned_abs());
        let point = d.len() as i32 + power;
        significant(d, point)
    }
}

/// Decimal digits of `n`.
fn u128_digits(mut n: u128) -> Vec<u8> {
    let mut d = Vec::new();
    loop {
        d.push(b'0' + (n % 10) as u8);
        n /= 10;
        if n == 0 {
            break;
        }
    }
    d.reverse();
    d
}

/// Decimal digits of `mantissa × 2^power` (up to 2^1024).
fn whole_digits(mantissa: u64, power: u32) -> Vec<u8> {
    big_digits(mantissa, 2, power)
}

/// Decimal digits of `mantissa × factor^power` (factor 2 or 5), in base-10^9 limbs.
fn big_digits(mantissa: u64, factor: u64, mut power: u32) -> Vec<u8> {
    const BASE: u64 = 1_000_000_000;
    let mut limbs: Vec<u64> = vec![mantissa % BASE, mantissa / BASE % BASE, mantissa / BASE / BASE];
    while power > 0 {
        // factor^step < 2^29, so limb × factor^step + carry fits in a u64.
        let step = power.min(if factor == 2 { 29 } else { 12 });
        power -= step;
        let by = factor.pow(step);
        let mut carry = 0u64;
        for limb in &mut limbs {
            let v = *limb * by + carry;
            *limb = v % BASE;
            carry = v / BASE;
        }
        while carry > 0 {
            limbs.push(carry % BASE);
            carry /= BASE;
        }
    }
    while limbs.len() > 1 && limbs.last() == Some(&0) {
        limbs.pop();
    }
    let mut d = u128_digits(u128::from(*limbs.last().unwrap_or(&0)));
    for limb in limbs.iter().rev().skip(1) {
        let part = u128_digits(u128::from(*limb));
        d.extend(std::iter::repeat_n(b'0', 9 - part.len()));
        d.extend(part);
    }
    d
}

/// `text` as an f64, exactly as `text.parse::<f64>().ok()`: an optional sign, then
/// `inf`, `infinity` or `nan` (any case), or digits with an optional point and
/// exponent (`1`, `1.`, `.5`, `2.5e-3`, `1E+9`); nothing else, not even spaces.
pub fn parse(text: &str) -> Option<f64> {
    let (negative, rest) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let sign = |x: f64| if negative { -x } else { x };
    for (word, value) in [("inf", f64::INFINITY), ("infinity", f64::INFINITY), ("nan", f64::NAN)] {
        if rest.eq_ignore_ascii_case(word) {
            return Some(sign(value));
        }
    }
    let b = rest.as_bytes();
    let mut at = 0;
    let mut digits = Vec::new();
    let digit_run = |at: &mut usize, digits: &mut Vec<u8>| {
        let start = *at;
        while b.get(*at).is_some_and(u8::is_ascii_digit) {
            digits.push(b[*at] - b'0');
            *at += 1;
        }
        *at - start
    };
    let whole = digit_run(&mut at, &mut digits);
    let mut fraction = 0;
    if b.get(at) == Some(&b'.') {
        at += 1;
        fraction = digit_run(&mut at, &mut digits);
    }
    if whole + fraction == 0 {
        return None;
    }
    // Exponents beyond any f64 only need to stay beyond it: saturate.
    let mut exponent: i64 = 0;
    if matches!(b.get(at), Some(b'e' | b'E')) {
        at += 1;
        let minus = match b.get(at) {
            Some(b'-') => {
                at += 1;
                true
            }
            Some(b'+') => {
                at += 1;
                false
            }
            _ => false,
        };
        let mut e = Vec::new();
        if digit_run(&mut at, &mut e) == 0 {
            return None;
        }
        exponent = e.iter().fold(0i64, |acc, &d| (acc * 10 + i64::from(d)).min(1 << 40));
        if minus {
            exponent = -exponent;
        }
    }
    if at != b.len() {
        return None;
    }
    // value = digits × 10^exponent, digits without leading or trailing zeros.
    exponent -= fraction as i64;
    let lead = digits.iter().take_while(|&&d| d == 0).count();
    digits.drain(..lead);
    while digits.last() == Some(&0) {
        digits.pop();
        exponent += 1;
    }
    // 800 digits decide every rounding (a halfway point between two f64 has at most 767);
    // a nonzero digit after them only says "a little more".
    if digits.len() > 800 {
        let more = digits[800..].iter().any(|&d| d != 0);
        exponent += (digits.len() - 800) as i64;
        digits.truncate(800);
        if more {
            digits.push(1);
            exponent -= 1;
        }
    }
    let magnitude = digits.len() as i64 + exponent; // value < 10^magnitude
    if digits.is_empty() || magnitude < -324 {
        return Some(sign(0.0));
    }
    if magnitude > 310 {
        return Some(sign(f64::INFINITY));
    }
    let mut num = Big::from_digits(&digits);
    let mut den = Big(vec![1]);
    let ten_power = if exponent >= 0 { &mut num } else { &mut den };
    let mut left = exponent.unsigned_abs();
    while left > 0 {
        let step = left.min(9);
        ten_power.mul_small(10u32.pow(step as u32));
        left -= step;
    }
    // q = floor(num × 2^s / den) with its top bit at 63 (value = q × 2^-s), and whether
    // anything was left over.
    let mut s = 64 - (num.bits() as i64 - den.bits() as i64);
    let (q, sticky) = loop {
        let (a, d) = if s >= 0 { (num.shl(s as usize), den.clone()) } else { (num.clone(), den.shl((-s) as usize)) };
        let (q, rest) = a.div_small_quotient(&d);
        if q >> 64 != 0 {
            s -= 1;
        } else if q >> 63 == 0 {
            s += 1;
        } else {
            break (q as u64, rest);
        }
    };
    // Round to the f64's 53 bits (fewer below 2^-1022), ties to even.
    let mut e2 = 63 - s; // value in [2^e2, 2^(e2+1))
    let shift = if e2 >= -1022 { 11 } else { 11 + (-1022 - e2) } as u32;
    let q = u128::from(q);
    let (mut m, rest, half) = if shift >= 127 { (0, q, u128::MAX) } else { (q >> shift, q & ((1 << shift) - 1), 1u128 << (shift - 1)) };
    if rest > half || (rest == half && (sticky || m & 1 == 1)) {
        m += 1;
    }
    let bits = if e2 >= -1022 {
        if m == 1 << 53 {
            m >>= 1;
            e2 += 1;
        }
        if e2 > 1023 {
            return Some(sign(f64::INFINITY));
        }
        ((e2 + 1023) as u64) << 52 | (m as u64 & ((1 << 52) - 1))
    } else {
        m as u64 // a subnormal; 2^52 is the smallest normal number, as it should be
    };
    Some(sign(f64::from_bits(bits)))
}

/// A whole number of any size, in base-2^32 limbs, least significant first.
#[derive(Clone)]
struct Big(Vec<u32>);

impl Big {
    fn from_digits(digits: &[u8]) -> Big {
        let mut n = Big(vec![0]);
        for chunk in digits.chunks(9) {
            n.mul_small(10u32.pow(chunk.len() as u32));
            let add = chunk.iter().fold(0u32, |acc, &d| acc * 10 + u32::from(d));
            let mut carry = u64::from(add);
            for limb in n.0.iter_mut() {
                let v = u64::from(*limb) + carry;
                *limb = v as u32;
                carry = v >> 32;
            }
            if carry > 0 {
                n.0.push(carry as u32);
            }
        }
        n
    }

    fn mul_small(&mut self, by: u32) {
        let mut carry = 0u64;
        for limb in self.0.iter_mut() {
            let v = u64::from(*limb) * u64::from(by) + carry;
            *limb = v as u32;
            carry = v >> 32;
        }
        if carry > 0 {
            self.0.push(carry as u32);
        }
    }

    /// Bits it takes (0 for zero).
    fn bits(&self) -> usize {
        let top = self.0.iter().rposition(|&l| l != 0);
        top.map_or(0, |i| i * 32 + 32 - self.0[i].leading_zeros() as usize)
    }

    fn shl(&self, by: usize) -> Big {
        let mut limbs = vec![0u32; by / 32];
        let bits = by % 32;
        let mut carry = 0u32;
        for &l in &self.0 {
            limbs.push(if bits == 0 { l } else { l << bits | carry });
            carry = if bits == 0 { 0 } else { l >> (32 - bits) };
        }
        limbs.push(carry);
        Big(limbs)
    }

    fn ge(&self, other: &Big) -> bool {
        let len = self.0.len().max(other.0.len());
        for i in (0..len).rev() {
            let (a, b) = (self.0.get(i).copied().unwrap_or(0), other.0.get(i).copied().unwrap_or(0));
            if a != b {
                return a > b;
            }
        }
        true
    }

    fn sub(&mut self, other: &Big) {
        let mut borrow = 0i64;
        for (i, limb) in self.0.iter_mut().enumerate() {
            let v = i64::from(*limb) - i64::from(other.0.get(i).copied().unwrap_or(0)) - borrow;
            *limb = v.rem_euclid(1 << 32) as u32;
            borrow = i64::from(v < 0);
        }
    }

    /// floor(self / d) when it is below 2^66 (else only its low bits), and whether a rest is left.
    fn div_small_quotient(mut self, d: &Big) -> (u128, bool) {
        let mut q = 0u128;
        for i in (0..66).rev() {
            let step = d.shl(i);
            if self.ge(&step) {
                self.sub(&step);
                q |= 1 << i;
            }
        }
        (q, self.bits() > 0)
    }
}


#[cfg(test)]
mod tests {
    use super::{fixed, parse, shortest};

    fn same_as_std(text: &str) {
        let ours = parse(text).map(f64::to_bits);
        let theirs = text.parse::<f64>().ok().map(f64::to_bits);
        assert_eq!(ours, theirs, "{text:?}: {:?} vs {:?}", ours.map(f64::from_bits), theirs.map(f64::from_bits));
    }

    /// `parse` gives the same f64 (the same bits) as `str::parse` on: the words and shapes the
    /// grammar allows or refuses, exact halfway points between two f64 (ties to even), numbers
    /// near the largest and the subnormal ones, random bit patterns written short and long,
    /// random digit strings (up to 900 digits) with random exponents, and broken text.
    #[test]
    fn parse_is_str_parse() {
        for text in [
            "", "-", "+", ".", "e1", "1e", "1e+", "1.e5", ".e5", "+.5", "-.5e-3", "1.", ".1", " 1", "1 ", "0x10", "1_0", "++1", "+-1",
            "inf", "-inf", "+Inf", "INFINITY", "-infinity", "infinit", "nan", "-nan", "+NaN", "nana", "0", "-0", "-0.0e-5", "0e9999999",
            "1e99999999999999999999", "1e-99999999999999", "-1e400", "1e308", "1.7976931348623157e308", "1.7976931348623158e308",
            "1.797693134862315807937e308", "1.7976931348623159e308", "2.4703282292062327e-324", "2.4703282292062328e-324",
            "4.9406564584124654e-324", "2.2250738585072011e-308", "2.2250738585072012e-308", "2.225073858507201136e-308",
            "9007199254740993", "9007199254740992.5", "9007199254740993.0000000000000000000000001", "123.456", "77.5946", "-12.9716",
            "0.1", "0.3", "1e23", "8.589973e9", "3.0e-2", "23", "15.594", "1/3", "N", "12,5",
        ] {
            same_as_std(text);
        }
        let mut rng = crate::test_rng::XorShift(0x51AB_2C3D_4E5F_6071u64);
        let mut next = || rng.next();
        for _ in 0..4000 {
            // Halfway between two f64: (2m+1)·2^(k-1) for whole numbers, (2m+1)·5^j / 10^j below one.
            let m = u128::from(next() >> 11 | 1 << 52);
            let k = next() % 70;
            let whole = (2 * m + 1) << k;
            for n in [whole - 1, whole, whole + 1] {
                same_as_std(&n.to_string());
            }
            let j = (next() % 21) as u32;
            let scaled = (2 * m + 1) * 5u128.pow(j);
            for n in [scaled - 1, scaled, scaled + 1] {
                same_as_std(&format!("{n}e-{j}"));
                same_as_std(&format!("{n}e-{}", j + 1 + (next() % 300) as u32));
            }
        }
        for _ in 0..30_000 {
            let x = f64::from_bits(next());
            for text in [format!("{x}"), format!("{x:e}"), format!("{x:.25e}"), format!("{:.3}", x / 1e300)] {
                same_as_std(&text);
            }
            let digits: String = (0..[1, 5, 17, 19, 25, 40, 900][(next() % 7) as usize]).map(|_| char::from(b'0' + (next() % 10) as u8)).collect();
            let point = (next() as usize) % (digits.len() + 1);
            let e = (next() % 700) as i64 - 350;
            same_as_std(&format!("{}.{}e{e}", &digits[..point], &digits[point..]));
            same_as_std(&format!("-{digits}"));
            let mut broken = format!("{}E{e}", digits);
            let at = (next() as usize) % (broken.len() + 1);
            broken.insert(at, [' ', '.', 'e', '-', '+', 'x', '0'][(next() % 7) as usize]);
            same_as_std(&broken);
        }
    }

    /// Same text as `format!` on random bit patterns (every exponent), halves and
    /// numbers near the places' rounding edges.
    #[test]
    fn same_text_as_format() {
        let mut rng = crate::test_rng::XorShift(0x9E37_79B9_7F4A_7C15u64);
        let mut next = || rng.next();
        let mut values: Vec<f64> = vec![0.0, -0.0, 0.5, 1.5, 2.5, -2.5, 0.25, 0.125, 0.375, -0.01, 1e20, 1e300, f64::MAX, f64::MIN_POSITIVE, 5e-324, 123.456, 77.5946, 12.9716];
        for _ in 0..20_000 {
            values.push(f64::from_bits(next()));
            // Small numbers of few binary digits: many exact ties.
            values.push((next() % 100_000) as f64 / (1u64 << (next() % 20)) as f64 - 500.0);
            values.push((next() % 3_600_000_000) as f64 / 1e7 - 180.0);
            // 53-bit whole numbers over small powers of two: 17 digits, often halfway.
            values.push((next() >> 11) as f64 / (1u64 << (next() % 12)) as f64);
        }
        for x in values.into_iter().filter(|x| x.is_finite()) {
            assert_eq!(shortest(x), format!("{x}"), "{x:e}");
            for places in [0usize, 1, 2, 6, 10] {
                assert_eq!(fixed(x, places), format!("{x:.places$}"), "{x:e} with {places} places");
            }
        }
        assert_eq!(fixed(f64::NAN, 1), format!("{:.1}", f64::NAN));
        assert_eq!(shortest(f64::INFINITY), format!("{}", f64::INFINITY));
        assert_eq!(fixed(f64::NEG_INFINITY, 1), format!("{:.1}", f64::NEG_INFINITY));
    }
}
