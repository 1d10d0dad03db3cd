//! Numbers as decimal text with a fixed count of places: [`fixed`] writes the
//! same text as `format!("{:.N}", x)` (exact value of the binary number, ties
//! to even, "-0.0" for a negative number that rounds to zero). Owns only that.
//!
//! Why not `format!`: the standard library's float formatting (Grisu and Dragon
//! with their big-number tables) was ~7 KB gzipped of the core wasm, which a
//! phone downloads before its first check; integers are enough here, because
//! every finite f64 is an integer times a power of two. Must not: format in any
//! other way than `{:.N}` does (tests compare it with `format!` on many numbers).

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

/// Decimal digits of `mantissa × 2^power` (up to 2^1024), in base-10^9 limbs.
fn whole_digits(mantissa: u64, mut power: u32) -> Vec<u8> {
    const BASE: u64 = 1_000_000_000;
    let mut limbs: Vec<u64> = vec![mantissa % BASE, mantissa / BASE % BASE, mantissa / BASE / BASE];
    while power > 0 {
        let step = power.min(29);
        power -= step;
        let mut carry = 0u64;
        for limb in &mut limbs {
            let v = (*limb << step) + carry;
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
    use super::fixed;

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
        }
        for x in values.into_iter().filter(|x| x.is_finite()) {
            for places in [0usize, 1, 2, 6, 10] {
                assert_eq!(fixed(x, places), format!("{x:.places$}"), "{x:e} with {places} places");
            }
        }
        assert_eq!(fixed(f64::NAN, 1), format!("{:.1}", f64::NAN));
        assert_eq!(fixed(f64::NEG_INFINITY, 1), format!("{:.1}", f64::NEG_INFINITY));
    }
}
