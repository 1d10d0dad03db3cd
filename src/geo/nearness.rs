//! "In or near Seattle" or "about 12 km from Seattle": the one rule for how a
//! position is put next to its nearest named place, used by the report (and so
//! by the page) and the CLI.
//!
//! The place table is a point gazetteer: each town is one point, with no
//! outline. A town reaches roughly halfway to its nearest neighbouring town,
//! within sensible bounds; a position closer than that is "in or near" it.
//! Must not: decide what is risky, or load the table.

use crate::report::PlaceName;

/// Even among crowded suburbs a town reaches at least this far from its point…
pub const MIN_EXTENT_KM: f64 = 1.0;
/// …and even a lone town in open country no farther than this.
pub const MAX_EXTENT_KM: f64 = 5.0;

/// How far a place reaches, from the distance to its nearest neighbouring place.
pub fn extent_km(neighbour_km: f64) -> f64 {
    if neighbour_km.is_nan() {
        return MIN_EXTENT_KM;
    }
    (neighbour_km / 2.0).clamp(MIN_EXTENT_KM, MAX_EXTENT_KM)
}

/// True when a position `distance_km` from a place's point is within its usual extent.
pub fn is_in_or_near(distance_km: f64, extent_km: f64) -> bool {
    distance_km.is_finite() && distance_km <= extent_km.max(MIN_EXTENT_KM)
}

/// "Bhopal, Madhya Pradesh, IN" (the state is left out when it repeats the name).
pub fn place_words(p: &PlaceName) -> String {
    let mut words = vec![p.name.as_str()];
    if !p.admin1.is_empty() && p.admin1 != p.name {
        words.push(&p.admin1);
    }
    if !p.country_code.is_empty() {
        words.push(&p.country_code);
    }
    words.join(", ")
}

/// "in or near Seattle, Washington, US" or "about 12.3 km from Seattle, Washington, US".
pub fn place_phrase(p: &PlaceName) -> String {
    if p.in_or_near {
        format!("in or near {}", place_words(p))
    } else {
        format!("about {} km from {}", crate::decimal::fixed(p.distance_km, 1), place_words(p))
    }
}

/// The phrase as a sentence: "Taken in or near Seattle, Washington, US."
pub fn place_sentence(p: &PlaceName) -> String {
    format!("Taken {}.", place_phrase(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place(distance_km: f64, extent_km: f64) -> PlaceName {
        PlaceName {
            name: "Seattle".into(),
            admin1: "Washington".into(),
            country_code: "US".into(),
            distance_km,
            in_or_near: is_in_or_near(distance_km, extent_km),
        }
    }

    #[test]
    fn near_within_the_extent_and_a_distance_beyond_it() {
        assert_eq!(extent_km(20.0), MAX_EXTENT_KM);
        assert_eq!(extent_km(0.4), MIN_EXTENT_KM);
        assert_eq!(extent_km(6.0), 3.0);
        assert_eq!(place_sentence(&place(2.4, 3.0)), "Taken in or near Seattle, Washington, US.");
        assert_eq!(place_phrase(&place(7.25, 3.0)), "about 7.2 km from Seattle, Washington, US");
        assert!(!is_in_or_near(f64::NAN, 3.0));
    }
}
