//! Location in words a child understands.
//!
//! Owns: the offline place table (nearest populated place from GeoNames,
//! built by `scripts/build-geo.sh` into `www/geo/places.bin`), how precise a
//! recorded position is, altitude/direction from GPS fields, grouping a
//! batch of positions into places, and "in or near" versus "about N km from".
//!
//! Must not: fetch anything over the network, decide what is risky (that is
//! `findings`), or read files itself (`meta` does; only the native
//! [`PlaceTable::load_default`] reads the table from disk).
//!
//! Place names: GeoNames (geonames.org), CC BY 4.0 — show [`PlaceTable::info`]
//! wherever names are shown.

mod accuracy;
mod group;
mod nearness;
mod table;
/// sin/cos for distances: libm's bits without its code for huge angles (public for the wasm test).
pub mod trig;

pub use accuracy::{accuracy_from, altitude_m, describe_precision, direction_deg, Precision};
pub use group::{group_by_place, PlaceGroup};
pub use nearness::{extent_km, is_in_or_near, place_phrase, place_sentence, place_words, MAX_EXTENT_KM, MIN_EXTENT_KM};
#[cfg(not(target_arch = "wasm32"))]
pub use table::default_path;
pub use table::{haversine_km, limits, Place, PlaceTable, EARTH_RADIUS_KM};
