//! Numbers as decimal text: [`fixed`] with a fixed count of places writes the
//! same text as `format!("{:.N}", x)` (exact value of the binary number, ties
//! to even, "-0.0" for a negative number that rounds to zero), [`shortest`] the
//! same as `format!("{x}")`. Owns only that.
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


#[cfg(test)]
mod tests {
    use super::{fixed, shortest};

    /// Same text as `format!` on random bit patterns (every exponent), halves and
    /// numbers near the places' rounding edges.
    #[test]
    fn same_text_as_format() {
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
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
