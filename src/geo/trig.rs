//! Sine and cosine for the distances between positions (`table::haversine_km`,
//! `table::unit_vector`), without the code for huge angles.
//!
//! Owns: `sin` and `cos` of angles in radians. They are the same algorithm as
//! the standard library's on wasm32 (compiler_builtins' libm, a port of musl:
//! argument reduction `rem_pio2`, kernels `k_sin`/`k_cos`), minus the reduction
//! for |x| ≥ 2^20·π/2 (`rem_pio2_large`, with its 1,200-digit table of 2/π):
//! ~5 KB of the core module that no position ever reaches. For every |x| below
//! that bound the answers are the same bits as libm's (tests compare them), so
//! no distance and no place name changes; the crate only passes angles of valid
//! positions (|x| ≤ 2π, every position is checked to be within ±90°/±180°).
//!
//! Must not: be used for angles that can be huge (above the bound the answer
//! is still finite for finite x, but not accurate).

const EPS: f64 = 2.2204460492503131e-16;
const TO_INT: f64 = 1.5 / EPS;
const INV_PIO2: f64 = 6.36619772367581382433e-01; /* 0x3FE45F30, 0x6DC9C883 */
const PIO2_1: f64 = 1.57079632673412561417e+00; /* 0x3FF921FB, 0x54400000 */
const PIO2_1T: f64 = 6.07710050650619224932e-11; /* 0x3DD0B461, 0x1A626331 */
const PIO2_2: f64 = 6.07710050630396597660e-11; /* 0x3DD0B461, 0x1A600000 */
const PIO2_2T: f64 = 2.02226624879595063154e-21; /* 0x3BA3198A, 0x2E037073 */
const PIO2_3: f64 = 2.02226624871116645580e-21; /* 0x3BA3198A, 0x2E000000 */
const PIO2_3T: f64 = 8.47842766036889956997e-32; /* 0x397B839A, 0x252049C1 */

/// sin(x), the same bits as `f64::sin` on wasm32 for |x| < 2^20·π/2.
pub fn sin(x: f64) -> f64 {
    let ix = high_word(x);
    if ix <= 0x3fe921fb {
        // |x| ~< π/4
        if ix < 0x3e500000 {
            return x; // |x| < 2^-26
        }
        return k_sin(x, 0.0, 0);
    }
    if ix >= 0x7ff00000 {
        return x - x; // sin(inf or NaN) is NaN
    }
    let (n, y0, y1) = rem_pio2(x);
    match n & 3 {
        0 => k_sin(y0, y1, 1),
        1 => k_cos(y0, y1),
        2 => -k_sin(y0, y1, 1),
        _ => -k_cos(y0, y1),
    }
}

/// cos(x), the same bits as `f64::cos` on wasm32 for |x| < 2^20·π/2.
pub fn cos(x: f64) -> f64 {
    let ix = high_word(x);
    if ix <= 0x3fe921fb {
        // |x| ~< π/4
        if ix < 0x3e46a09e && x as i32 == 0 {
            return 1.0; // |x| < 2^-27·√2
        }
        return k_cos(x, 0.0);
    }
    if ix >= 0x7ff00000 {
        return x - x; // cos(inf or NaN) is NaN
    }
    let (n, y0, y1) = rem_pio2(x);
    match n & 3 {
        0 => k_cos(y0, y1),
        1 => -k_sin(y0, y1, 1),
        2 => -k_cos(y0, y1),
        _ => k_sin(y0, y1, 1),
    }
}

/// The high 32 bits of |x|.
fn high_word(x: f64) -> u32 {
    (x.to_bits() >> 32) as u32 & 0x7fffffff
}

/// x = n·π/2 + (y0 + y1), |y0 + y1| ≤ π/4 (musl's `__rem_pio2` without its large case).
fn rem_pio2(x: f64) -> (i32, f64, f64) {
    let negative = x.is_sign_negative();
    let ix = high_word(x);
    // Small multiples of π/2 (|x| ~<= 9π/4) are reduced with one round unless x is
    // close to a multiple, as musl does (its results differ from `medium` in the last bit).
    let near_multiple = (ix & 0xfffff) == 0x921fb || ix == 0x4012d97c || ix == 0x401921fb;
    if ix <= 0x401c463b && !near_multiple {
        let k = if ix <= 0x4002d97c {
            1 // |x| ~<= 3π/4
        } else if ix <= 0x400f6a7a {
            2 // |x| ~<= 5π/4
        } else if ix <= 0x4015fdbc {
            3 // |x| ~<= 7π/4
        } else {
            4
        };
        let (n, s) = if negative { (-k, -1.0) } else { (k, 1.0) };
        let kf = f64::from(k);
        let z = x - s * kf * PIO2_1;
        let y0 = z - s * kf * PIO2_1T;
        let y1 = (z - y0) - s * kf * PIO2_1T;
        return (n, y0, y1);
    }
    // rint(x/(π/2)), then up to three rounds of subtracting n·π/2 in parts.
    let f_n = (x * INV_PIO2 + TO_INT) - TO_INT;
    let n = f_n as i32;
    let mut r = x - f_n * PIO2_1;
    let mut w = f_n * PIO2_1T;
    let mut y0 = r - w;
    let ex = (ix >> 20) as i32;
    let exponent = |y: f64| (y.to_bits() >> 52) as i32 & 0x7ff;
    if ex - exponent(y0) > 16 {
        let t = r;
        w = f_n * PIO2_2;
        r = t - w;
        w = f_n * PIO2_2T - ((t - r) - w);
        y0 = r - w;
        if ex - exponent(y0) > 49 {
            let t = r;
            w = f_n * PIO2_3;
            r = t - w;
            w = f_n * PIO2_3T - ((t - r) - w);
            y0 = r - w;
        }
    }
    (n, y0, (r - y0) - w)
}

/// sin on [-π/4, π/4]; y is the tail of x, iy = 0 when y is zero.
fn k_sin(x: f64, y: f64, iy: i32) -> f64 {
    const S1: f64 = -1.66666666666666324348e-01; /* 0xBFC55555, 0x55555549 */
    const S2: f64 = 8.33333333332248946124e-03; /* 0x3F811111, 0x1110F8A6 */
    const S3: f64 = -1.98412698298579493134e-04; /* 0xBF2A01A0, 0x19C161D5 */
    const S4: f64 = 2.75573137070700676789e-06; /* 0x3EC71DE3, 0x57B1FE7D */
    const S5: f64 = -2.50507602534068634195e-08; /* 0xBE5AE5E6, 0x8A2B9CEB */
    const S6: f64 = 1.58969099521155010221e-10; /* 0x3DE5D93A, 0x5ACFD57C */
    let z = x * x;
    let w = z * z;
    let r = S2 + z * (S3 + z * S4) + z * w * (S5 + z * S6);
    let v = z * x;
    if iy == 0 {
        x + v * (S1 + z * r)
    } else {
        x - ((z * (0.5 * y - v * r) - y) - v * S1)
    }
}

/// cos on [-π/4, π/4]; y is the tail of x.
fn k_cos(x: f64, y: f64) -> f64 {
    const C1: f64 = 4.16666666666666019037e-02; /* 0x3FA55555, 0x5555554C */
    const C2: f64 = -1.38888888888741095749e-03; /* 0xBF56C16C, 0x16C15177 */
    const C3: f64 = 2.48015872894767294178e-05; /* 0x3EFA01A0, 0x19CB1590 */
    const C4: f64 = -2.75573143513906633035e-07; /* 0xBE927E4F, 0x809C52AD */
    const C5: f64 = 2.08757232129817482790e-09; /* 0x3E21EE9E, 0xBDB4B1C4 */
    const C6: f64 = -1.13596475577881948265e-11; /* 0xBDA8FAE9, 0xBE8838D4 */
    let z = x * x;
    let w = z * z;
    let r = z * (C1 + z * (C2 + z * C3)) + w * w * (C4 + z * (C5 + z * C6));
    let hz = 0.5 * z;
    let w = 1.0 - hz;
    w + (((1.0 - w) - hz) + (z * r - x * y))
}

#[cfg(test)]
mod tests {
    use super::{cos, sin};

    /// Angles to compare on: every kind the reduction treats differently — tiny, below π/4,
    /// the one-round small multiples, numbers a few ulps from k·π/2 (cancellation: medium
    /// rounds 2 and 3), random ones up to the bound, and the angles positions give.
    pub(crate) fn angles() -> Vec<f64> {
        let mut out = vec![0.0, -0.0, 1e-300, -1e-20, 1e-9, 0.5, -0.785, 0.7853981633974483, 1.0, -2.0, 3.0];
        let mut rng = crate::test_rng::XorShift(0x9E37_79B9_7F4A_7C15);
        let mut next = move || rng.next();
        for k in -40i32..=40 {
            let base = f64::from(k) * std::f64::consts::FRAC_PI_2;
            for d in -4i64..=4 {
                out.push(f64::from_bits((base.to_bits() as i64 + d) as u64));
            }
        }
        for k in [1000.0, 12345.0, 1_000_000.0, 1_600_000.0] {
            let base: f64 = k * std::f64::consts::FRAC_PI_2;
            for d in -3i64..=3 {
                out.push(f64::from_bits((base.to_bits() as i64 + d) as u64));
            }
        }
        for _ in 0..100_000 {
            let unit = (next() >> 11) as f64 / (1u64 << 53) as f64;
            let scale = [1.0, 4.0, 8.0, 30.0, 1e3, 1e6][(next() % 6) as usize];
            out.push((unit * 2.0 - 1.0) * scale);
        }
        // Degrees of positions and their halves and differences, as table.rs makes them.
        for i in -1800..=1800 {
            let degrees = f64::from(i) / 10.0 + 0.0123;
            out.push(degrees.to_radians());
            out.push(degrees.to_radians() / 2.0);
            out.push((degrees - 179.99).to_radians() / 2.0);
        }
        out.retain(|x| x.is_finite());
        out
    }

    #[test]
    fn same_bits_as_libm() {
        let mut checked = 0;
        for x in angles() {
            assert_eq!(sin(x).to_bits(), libm::sin(x).to_bits(), "sin({x:e})");
            assert_eq!(cos(x).to_bits(), libm::cos(x).to_bits(), "cos({x:e})");
            checked += 1;
        }
        assert!(checked > 100_000);
    }

    #[test]
    fn close_to_std() {
        for x in angles() {
            for (ours, std) in [(sin(x), x.sin()), (cos(x), x.cos())] {
                assert!((ours - std).abs() <= 1e-15 * std.abs().max(1e-300) || ours == std, "{x:e}: {ours:e} vs {std:e}");
            }
        }
    }

    #[test]
    fn not_finite_is_nan() {
        for x in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            assert!(sin(x).is_nan() && cos(x).is_nan());
        }
    }
}
