//! Grouping a batch of photo positions into places ("these 12 photos were all
//! taken at the same spot"). Pure geometry; no names, no risk decisions.

use super::table::haversine_km;

/// Photos taken within `radius_m` of a group's first photo.
#[derive(Debug, Clone, PartialEq)]
pub struct PlaceGroup {
    /// Position of the group's first member (the "leader").
    pub lat: f64,
    pub lon: f64,
    /// Indexes into the input, in input order.
    pub members: Vec<usize>,
}

/// Greedy leader grouping: each point joins the first existing group whose
/// leader is within `radius_m`, else starts a new group. Deterministic and
/// order-preserving; it never chains groups across a town the way
/// single-linkage clustering can. Points with invalid coordinates are left out.
/// Cost is points × groups, fine for the batches a person selects.
pub fn group_by_place(points: &[(f64, f64)], radius_m: f64) -> Vec<PlaceGroup> {
    let radius_km = radius_m.max(0.0) / 1000.0;
    let mut groups: Vec<PlaceGroup> = Vec::new();
    for (i, &(lat, lon)) in points.iter().enumerate() {
        if !(lat.is_finite() && lon.is_finite() && lat.abs() <= 90.0 && lon.abs() <= 180.0) {
            continue;
        }
        match groups.iter_mut().find(|g| haversine_km(g.lat, g.lon, lat, lon) <= radius_km) {
            Some(g) => g.members.push(i),
            None => groups.push(PlaceGroup { lat, lon, members: vec![i] }),
        }
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_nearby_points_and_keeps_far_ones_apart() {
        // 0.001° of latitude ≈ 111 m.
        let pts = [(23.2599, 77.4126), (23.2609, 77.4126), (28.6139, 77.2090), (23.2589, 77.4127), (f64::NAN, 0.0)];
        let g = group_by_place(&pts, 200.0);
        assert_eq!(g.len(), 2, "{g:?}");
        assert_eq!(g[0].members, vec![0, 1, 3]);
        assert_eq!(g[1].members, vec![2]);
    }

    #[test]
    fn radius_is_measured_from_the_leader() {
        // 0 → 1 is 167 m, 1 → 2 is 167 m, but 0 → 2 is 334 m: two groups.
        let pts = [(0.0, 0.0), (0.0015, 0.0), (0.003, 0.0)];
        let g = group_by_place(&pts, 200.0);
        assert_eq!(g.iter().map(|g| g.members.clone()).collect::<Vec<_>>(), vec![vec![0, 1], vec![2]]);
        assert!(group_by_place(&[], 200.0).is_empty());
    }

    #[test]
    fn works_across_the_date_line() {
        let g = group_by_place(&[(10.0, 179.9995), (10.0, -179.9995)], 200.0);
        assert_eq!(g.len(), 1);
    }
}
