//! Builds the report's `location`: the first real position, the nearest named
//! place, how precise it is, altitude and direction, and any other source
//! that disagrees. Reads metadata only; what it means for the user (the
//! `gps-location` finding) is decided in `findings::location`.

use crate::geo::{self, PlaceTable};
use crate::meta::Metadata;
use crate::report::{Location, PlaceName, Position};

/// Positions closer than this are "the same place" and not listed twice.
const SAME_PLACE_KM: f64 = 0.1;

pub(super) fn describe(meta: &Metadata, places: Option<&PlaceTable>) -> Option<Location> {
    let first = meta.positions.first()?;
    let accuracy_m = geo::accuracy_from(&meta.fields);
    let other_sources = meta
        .positions
        .iter()
        .skip(1)
        .filter(|p| geo::haversine_km(first.lat, first.lon, p.lat, p.lon) > SAME_PLACE_KM)
        .map(|p| Position { lat: p.lat, lon: p.lon, source: p.source.clone() })
        .collect();
    Some(Location {
        lat: first.lat,
        lon: first.lon,
        source: first.source.clone(),
        place: places.and_then(|t| nearest_place(t, first.lat, first.lon)),
        accuracy_m,
        // An unknown accuracy counts as exact (see `geo::describe_precision`).
        precision: Some(geo::describe_precision(accuracy_m.unwrap_or(0.0))),
        altitude_m: geo::altitude_m(&meta.fields),
        direction_deg: geo::direction_deg(&meta.fields),
        other_sources,
    })
}

pub(super) fn nearest_place(table: &PlaceTable, lat: f64, lon: f64) -> Option<PlaceName> {
    table.nearest(lat, lon).map(|p| PlaceName {
        name: p.name,
        admin1: p.admin1,
        country_code: p.country_code,
        distance_km: p.distance_km,
        in_or_near: geo::is_in_or_near(p.distance_km, p.extent_km),
    })
}
