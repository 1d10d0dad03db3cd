//! The place table: parses the compact `TTGEOPL2` file written by
//! `scripts/geo_table.py` and answers "which populated place is nearest?".
//!
//! The file is untrusted input like any other: every length is checked, counts
//! are capped, and nothing is allocated from a length field before that length
//! has been checked against the bytes actually present.
//!
//! Nearest search uses a k-d tree over unit vectors on the sphere. The straight
//! (chord) distance between two unit vectors grows with the great-circle
//! distance, so the nearest by chord is exactly the nearest by great circle,
//! with no special cases at the poles or the 180° meridian.

/// Hard caps for a table file (the real one: ~145k places, ~3.8k admin areas, 2.5 MB).
pub mod limits {
    pub const MAX_FILE_BYTES: usize = 64 << 20;
    pub const MAX_PLACES: usize = 2_000_000;
    pub const MAX_NAME_BYTES: usize = 200;
    pub const MAX_INFO_BYTES: usize = 4096;
}

use super::trig::{cos, sin};

const MAGIC: &[u8; 8] = b"TTGEOPL2";
/// Coordinates are stored as integers in units of 1e-3 degree (at most ~80 m off; a place's
/// point is its rough centre anyway, see scripts/geo_table.py).
const COORD_SCALE: f64 = 1e3;
/// Mean Earth radius (IUGG), km.
pub const EARTH_RADIUS_KM: f64 = 6371.0088;

/// The nearest populated place to a point.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    pub name: String,
    /// First-level area (state, province, region); may be empty.
    pub admin1: String,
    /// ISO 3166-1 alpha-2, e.g. `IN`.
    pub country_code: String,
    /// Great-circle distance from the asked point to the place, km.
    pub distance_km: f64,
    /// Roughly how far the place reaches from its point (see [`super::extent_km`]), km.
    pub extent_km: f64,
    pub lat: f64,
    pub lon: f64,
}

/// A loaded place table with its search index.
pub struct PlaceTable {
    lat: Vec<f64>,
    lon: Vec<f64>,
    admin_of: Vec<u16>,
    /// (country code, admin1) pairs.
    admins: Vec<(String, String)>,
    /// All names, back to back; `name_ends[i]` is where name i stops.
    names: String,
    name_ends: Vec<u32>,
    info: String,
    tree: KdTree,
}

impl std::fmt::Debug for PlaceTable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PlaceTable").field("places", &self.len()).field("admins", &self.admins.len()).finish()
    }
}

impl PlaceTable {
    /// Parses and validates a table file, then builds the search index.
    pub fn from_bytes(bytes: &[u8]) -> Result<PlaceTable, String> {
        if bytes.len() > limits::MAX_FILE_BYTES {
            return Err(format!("place table too large ({} bytes)", bytes.len()));
        }
        let mut r = Reader { bytes, pos: 0 };
        if r.take(8)? != MAGIC {
            return Err("not a place table (bad magic)".into());
        }
        let count = r.u32()? as usize;
        let admin_count = r.u32()? as usize;
        if count == 0 || count > limits::MAX_PLACES {
            return Err(format!("place count {count} out of range"));
        }
        if admin_count == 0 || admin_count > u16::MAX as usize + 1 {
            return Err(format!("admin count {admin_count} out of range"));
        }
        let mut lens = [0usize; 6];
        for l in lens.iter_mut() {
            *l = r.u32()? as usize;
        }
        let [info_len, admins_len, lat_len, lon_len, adm_len, names_len] = lens;
        let info = r.take(info_len)?;
        let admins_blob = r.take(admins_len)?;
        let lat_blob = r.take(lat_len)?;
        let lon_blob = r.take(lon_len)?;
        let adm_blob = r.take(adm_len)?;
        let names_blob = r.take(names_len)?;
        if r.pos != bytes.len() {
            return Err("trailing bytes after the place table".into());
        }
        if info.len() > limits::MAX_INFO_BYTES {
            return Err("info text too long".into());
        }
        let info = std::str::from_utf8(info).map_err(|_| "info text is not UTF-8")?.to_string();

        let admin_strings = split_nul_terminated(admins_blob, admin_count * 2, "admin list")?;
        let admins: Vec<(String, String)> =
            admin_strings.chunks_exact(2).map(|p| (p[0].to_string(), p[1].to_string())).collect();
        let lat = decode_coords(lat_blob, count, 90, "latitude")?;
        let lon = decode_coords(lon_blob, count, 180, "longitude")?;
        if adm_blob.len() != count * 2 {
            return Err("admin index column has the wrong length".into());
        }
        let admin_of: Vec<u16> = adm_blob.chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect();
        if admin_of.iter().any(|&a| a as usize >= admins.len()) {
            return Err("admin index out of range".into());
        }
        let name_list = split_nul_terminated(names_blob, count, "names")?;
        let mut names = String::with_capacity(names_blob.len());
        let mut name_ends = Vec::with_capacity(count);
        for n in name_list {
            names.push_str(n);
            name_ends.push(names.len() as u32); // < 64 MB, fits
        }
        let tree = KdTree::build(&lat, &lon);
        Ok(PlaceTable { lat, lon, admin_of, admins, names, name_ends, info, tree })
    }

    /// Number of places.
    pub fn len(&self) -> usize {
        self.lat.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lat.is_empty()
    }

    /// Source and licence of the data, for an attribution line.
    pub fn info(&self) -> &str {
        &self.info
    }

    /// The nearest place by great-circle distance, or `None` for coordinates
    /// that are not finite or not on the globe.
    pub fn nearest(&self, lat: f64, lon: f64) -> Option<Place> {
        if !valid_coordinate(lat, lon) {
            return None;
        }
        let index = self.tree.nearest(unit_vector(lat, lon), None)?;
        let mut place = self.place(index, haversine_km(lat, lon, self.lat[index], self.lon[index]));
        place.extent_km = self.extent_km(index);
        Some(place)
    }

    /// How far place `index` reaches, from how far away its nearest neighbour is.
    fn extent_km(&self, index: usize) -> f64 {
        let (lat, lon) = (self.lat[index], self.lon[index]);
        let neighbour = self.tree.nearest(unit_vector(lat, lon), Some(index));
        let spacing = neighbour.map_or(f64::INFINITY, |n| haversine_km(lat, lon, self.lat[n], self.lon[n]));
        super::extent_km(spacing)
    }

    /// Place `index` with a given distance (for tests and brute-force checks).
    pub fn place(&self, index: usize, distance_km: f64) -> Place {
        let start = if index == 0 { 0 } else { self.name_ends[index - 1] as usize };
        let end = self.name_ends[index] as usize;
        let (cc, admin1) = &self.admins[self.admin_of[index] as usize];
        Place {
            name: self.names[start..end].to_string(),
            admin1: admin1.clone(),
            country_code: cc.clone(),
            distance_km,
            extent_km: 0.0,
            lat: self.lat[index],
            lon: self.lon[index],
        }
    }

    /// Coordinates of every place, in table order (for brute-force checks).
    pub fn coordinates(&self) -> impl Iterator<Item = (f64, f64)> + '_ {
        self.lat.iter().copied().zip(self.lon.iter().copied())
    }

    /// Native only: loads the table from env `THINKTWICE_GEO` (a file path) or
    /// else `www/geo/places.bin` under the crate root (built by `scripts/build-geo.sh`).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn load_default() -> Result<PlaceTable, String> {
        let path = default_path();
        let size = std::fs::metadata(&path).map_err(|e| format!("{}: {e}", path.display()))?.len();
        if size > limits::MAX_FILE_BYTES as u64 {
            return Err(format!("{}: too large", path.display()));
        }
        let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        PlaceTable::from_bytes(&bytes)
    }

    /// In the browser there is no file system: the page fetches the table and calls `from_bytes`.
    #[cfg(target_arch = "wasm32")]
    pub fn load_default() -> Result<PlaceTable, String> {
        Err("in the browser the place table is loaded by the page".into())
    }
}

/// Where [`PlaceTable::load_default`] looks.
#[cfg(not(target_arch = "wasm32"))]
pub fn default_path() -> std::path::PathBuf {
    match std::env::var_os("THINKTWICE_GEO") {
        Some(p) if !p.is_empty() => p.into(),
        _ => std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("www/geo/places.bin"),
    }
}

fn valid_coordinate(lat: f64, lon: f64) -> bool {
    lat.is_finite() && lon.is_finite() && lat.abs() <= 90.0 && lon.abs() <= 180.0
}

/// Great-circle distance in km (haversine formula).
pub fn haversine_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let a = sin(dp / 2.0).powi(2) + cos(p1) * cos(p2) * sin(dl / 2.0).powi(2);
    2.0 * EARTH_RADIUS_KM * a.sqrt().min(1.0).asin()
}

fn unit_vector(lat: f64, lon: f64) -> [f64; 3] {
    let (p, l) = (lat.to_radians(), lon.to_radians());
    [cos(p) * cos(l), cos(p) * sin(l), sin(p)]
}

/// A bounds-checked cursor over the file.
struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        let end = self.pos.checked_add(n).ok_or("length overflow")?;
        let slice = self.bytes.get(self.pos..end).ok_or("place table is truncated")?;
        self.pos = end;
        Ok(slice)
    }

    fn u32(&mut self) -> Result<u32, String> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
}

/// Exactly `count` NUL-terminated UTF-8 strings filling `blob`.
fn split_nul_terminated<'a>(blob: &'a [u8], count: usize, what: &str) -> Result<Vec<&'a str>, String> {
    if blob.last().is_some_and(|&b| b != 0) {
        return Err(format!("{what}: last entry is not terminated"));
    }
    let parts: Vec<&[u8]> = blob.split(|&b| b == 0).take(count.saturating_add(2)).collect();
    // `split` yields one empty piece after the final NUL.
    if parts.len() != count + 1 || parts.last().is_some_and(|p| !p.is_empty()) {
        return Err(format!("{what}: expected {count} entries"));
    }
    parts[..count]
        .iter()
        .map(|p| {
            if p.len() > limits::MAX_NAME_BYTES {
                return Err(format!("{what}: entry too long"));
            }
            std::str::from_utf8(p).map_err(|_| format!("{what}: not UTF-8"))
        })
        .collect()
}

/// `count` zigzag LEB128 deltas in units of 1/COORD_SCALE degree, each running total
/// within ±`max_degrees`; the blob must be used up exactly.
fn decode_coords(blob: &[u8], count: usize, max_degrees: i64, what: &str) -> Result<Vec<f64>, String> {
    let limit = max_degrees * COORD_SCALE as i64;
    let mut out = Vec::with_capacity(count.min(blob.len()));
    let mut pos = 0usize;
    let mut value: i64 = 0;
    for _ in 0..count {
        let mut raw: u64 = 0;
        let mut shift = 0u32;
        loop {
            let byte = *blob.get(pos).ok_or_else(|| format!("{what}: column is truncated"))?;
            pos += 1;
            raw |= u64::from(byte & 0x7F) << shift;
            if byte & 0x80 == 0 {
                break;
            }
            shift += 7;
            if shift > 28 {
                return Err(format!("{what}: varint too long"));
            }
        }
        let delta = (raw >> 1) as i64 ^ -((raw & 1) as i64);
        value = value.checked_add(delta).ok_or_else(|| format!("{what}: overflow"))?;
        if value.abs() > limit {
            return Err(format!("{what}: value out of range"));
        }
        out.push(value as f64 / COORD_SCALE);
    }
    if pos != blob.len() {
        return Err(format!("{what}: column has extra bytes"));
    }
    Ok(out)
}

/// A k-d tree stored as one array: each slice's middle element splits it on
/// axis `depth % 3`. Depth is about log2(n) (≤ 21 for `MAX_PLACES`), so the
/// recursion in `build` and `search` is bounded by construction.
struct KdTree {
    points: Vec<[f64; 3]>,
    index: Vec<u32>,
}

impl KdTree {
    fn build(lat: &[f64], lon: &[f64]) -> KdTree {
        let mut nodes: Vec<([f64; 3], u32)> =
            lat.iter().zip(lon).enumerate().map(|(i, (&a, &o))| (unit_vector(a, o), i as u32)).collect();
        Self::arrange(&mut nodes, 0);
        KdTree { points: nodes.iter().map(|n| n.0).collect(), index: nodes.iter().map(|n| n.1).collect() }
    }

    fn arrange(nodes: &mut [([f64; 3], u32)], depth: usize) {
        if nodes.len() <= 1 {
            return;
        }
        let axis = depth % 3;
        let mid = nodes.len() / 2;
        nodes.select_nth_unstable_by(mid, |a, b| a.0[axis].total_cmp(&b.0[axis]));
        let (left, right) = nodes.split_at_mut(mid);
        Self::arrange(left, depth + 1);
        Self::arrange(&mut right[1..], depth + 1);
    }

    /// The nearest place's table index, leaving out table index `skip` (to find a place's neighbour).
    fn nearest(&self, q: [f64; 3], skip: Option<usize>) -> Option<usize> {
        let mut best = (f64::INFINITY, usize::MAX);
        let skip = skip.map_or(u32::MAX, |s| s as u32);
        self.search(0, self.points.len(), 0, &q, skip, &mut best);
        self.index.get(best.1).map(|&i| i as usize)
    }

    fn search(&self, start: usize, end: usize, depth: usize, q: &[f64; 3], skip: u32, best: &mut (f64, usize)) {
        if start >= end {
            return;
        }
        let mid = start + (end - start) / 2;
        let p = &self.points[mid];
        let d2 = (p[0] - q[0]).powi(2) + (p[1] - q[1]).powi(2) + (p[2] - q[2]).powi(2);
        if d2 < best.0 && self.index[mid] != skip {
            *best = (d2, mid);
        }
        let diff = q[depth % 3] - p[depth % 3];
        let (near, far) = if diff < 0.0 { ((start, mid), (mid + 1, end)) } else { ((mid + 1, end), (start, mid)) };
        self.search(near.0, near.1, depth + 1, q, skip, best);
        if diff * diff < best.0 {
            self.search(far.0, far.1, depth + 1, q, skip, best);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Builds a table file the same way scripts/geo_table.py does.
    pub(crate) fn table_bytes(places: &[(&str, &str, f64, f64, &str)]) -> Vec<u8> {
        let mut admins: Vec<(String, String)> =
            places.iter().map(|p| (p.0.to_string(), p.1.to_string())).collect();
        admins.sort();
        admins.dedup();
        let varints = |vals: Vec<i64>| {
            let mut out = Vec::new();
            let mut prev = 0i64;
            for v in vals {
                let mut z = ((v - prev) << 1 ^ ((v - prev) >> 63)) as u64;
                prev = v;
                loop {
                    let b = (z & 0x7F) as u8;
                    z >>= 7;
                    if z == 0 {
                        out.push(b);
                        break;
                    }
                    out.push(b | 0x80);
                }
            }
            out
        };
        let info = b"test".to_vec();
        let admin_blob: Vec<u8> =
            admins.iter().flat_map(|(c, a)| [c.as_bytes(), b"\0", a.as_bytes(), b"\0"].concat()).collect();
        let lat = varints(places.iter().map(|p| (p.2 * COORD_SCALE).round() as i64).collect());
        let lon = varints(places.iter().map(|p| (p.3 * COORD_SCALE).round() as i64).collect());
        let adm: Vec<u8> = places
            .iter()
            .flat_map(|p| {
                let i = admins.iter().position(|a| a.0 == p.0 && a.1 == p.1).unwrap() as u16;
                i.to_le_bytes()
            })
            .collect();
        let names: Vec<u8> = places.iter().flat_map(|p| [p.4.as_bytes(), b"\0"].concat()).collect();
        let mut out = MAGIC.to_vec();
        out.extend((places.len() as u32).to_le_bytes());
        out.extend((admins.len() as u32).to_le_bytes());
        let sections = [info, admin_blob, lat, lon, adm, names];
        for s in &sections {
            out.extend((s.len() as u32).to_le_bytes());
        }
        for s in sections {
            out.extend(s);
        }
        out
    }

    fn sample() -> Vec<u8> {
        table_bytes(&[
            ("IN", "Madhya Pradesh", 23.25469, 77.40289, "Bhopal"),
            ("NZ", "Canterbury", -43.53333, 172.63333, "Christchurch"),
            ("FJ", "Western", -17.8, 177.4, "Nadi"),
            ("US", "Alaska", 51.88, -176.65, "Adak"),
            ("NO", "Svalbard", 78.22, 15.65, "Longyearbyen"),
        ])
    }

    #[test]
    fn parses_and_finds_nearest() {
        let t = PlaceTable::from_bytes(&sample()).expect("valid table");
        assert_eq!(t.len(), 5);
        let p = t.nearest(23.2599, 77.4126).unwrap();
        assert_eq!((p.name.as_str(), p.admin1.as_str(), p.country_code.as_str()), ("Bhopal", "Madhya Pradesh", "IN"));
        assert!(p.distance_km < 2.0, "{p:?}");
        // Across the 180° meridian: just east of it is nearest to Adak (west of it).
        assert_eq!(t.nearest(51.9, 179.9).unwrap().name, "Adak");
        // Near the pole, longitude means little.
        assert_eq!(t.nearest(89.9, -100.0).unwrap().name, "Longyearbyen");
    }

    #[test]
    fn a_place_reaches_halfway_to_its_neighbour_within_bounds() {
        // 0.036° of latitude ≈ 4.0 km; 0.009° ≈ 1.0 km; 1° ≈ 111 km.
        let t = PlaceTable::from_bytes(&table_bytes(&[
            ("XX", "", 10.0, 10.0, "Town"),
            ("XX", "", 10.036, 10.0, "Suburb"),
            ("XX", "", 20.0, 20.0, "Lonely"),
            ("XX", "", 21.0, 20.0, "Far"),
            ("XX", "", 30.0, 30.0, "Dense"),
            ("XX", "", 30.009, 30.0, "Next"),
        ]))
        .unwrap();
        let town = t.nearest(9.99, 10.0).unwrap();
        assert_eq!(town.name, "Town");
        assert!((town.extent_km - 2.0).abs() < 0.01, "{town:?}");
        // Alone for 111 km: capped; crowded 1 km apart: the floor.
        assert_eq!(t.nearest(19.9, 20.0).unwrap().extent_km, crate::geo::MAX_EXTENT_KM);
        assert_eq!(t.nearest(29.99, 30.0).unwrap().extent_km, crate::geo::MIN_EXTENT_KM);
        // A table of one place has no neighbour: the cap.
        let one = PlaceTable::from_bytes(&table_bytes(&[("XX", "", 0.0, 0.0, "Only")])).unwrap();
        assert_eq!(one.nearest(0.01, 0.0).unwrap().extent_km, crate::geo::MAX_EXTENT_KM);
    }

    #[test]
    fn rejects_bad_coordinates() {
        let t = PlaceTable::from_bytes(&sample()).unwrap();
        assert!(t.nearest(f64::NAN, 0.0).is_none());
        assert!(t.nearest(91.0, 0.0).is_none());
        assert!(t.nearest(0.0, 180.5).is_none());
    }

    #[test]
    fn rejects_every_truncation_and_never_panics_on_corruption() {
        let good = sample();
        for n in 0..good.len() {
            assert!(PlaceTable::from_bytes(&good[..n]).is_err(), "truncated at {n} accepted");
        }
        let mut extra = good.clone();
        extra.push(0);
        assert!(PlaceTable::from_bytes(&extra).is_err());
        // Flip every byte: must not panic (may or may not be accepted).
        for i in 0..good.len() {
            for flip in [0x01u8, 0x80, 0xFF] {
                let mut bad = good.clone();
                bad[i] ^= flip;
                let _ = PlaceTable::from_bytes(&bad);
            }
        }
    }

    #[test]
    fn rejects_huge_counts_without_allocating() {
        let mut bad = sample();
        bad[8..12].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(PlaceTable::from_bytes(&bad).is_err());
        let mut bad = sample();
        bad[16..20].copy_from_slice(&u32::MAX.to_le_bytes()); // info_len
        assert!(PlaceTable::from_bytes(&bad).is_err());
    }

    #[test]
    fn rejects_out_of_range_latitude() {
        let bytes = table_bytes(&[("XX", "", 95.0, 0.0, "Nowhere")]);
        assert!(PlaceTable::from_bytes(&bytes).unwrap_err().contains("latitude"));
    }

    #[test]
    fn haversine_known_distance() {
        // Paris–London is about 344 km.
        let d = haversine_km(48.8566, 2.3522, 51.5074, -0.1278);
        assert!((d - 343.5).abs() < 2.0, "{d}");
    }
}
