//! FLIR thermal-camera data: JPEG APP1 segments whose payload starts "FLIR\0".
//!
//! Owns: joining the segments (in file order) into one "FFF" file, walking its
//! record directory, and reading the few records that matter for privacy —
//! CameraInfo (camera/lens serials, models, capture time), GPSInfo (a position
//! that is often the only one in the file) and EmbeddedImage (a visible-light
//! photo hidden next to the thermal one). Names follow ExifTool's FLIR group.
//! It never decides what is risky.
//!
//! Layout (ExifTool FLIR.pm): each segment is "FLIR\0", 0x01, chunk index, last
//! index, then data. The FFF header is 64 bytes: "FFF\0", creator (16 bytes),
//! version (u32 at 20, 100..=199, which also tells the byte order), directory
//! offset (u32 at 24) and entry count (u32 at 28). Each directory entry is 32 bytes:
//! record type (u16 at 0), offset (u32 at 12), length (u32 at 16).
//! Records themselves are little-endian on every camera seen; CameraInfo starts
//! with the word 2, which is used to confirm the order.

use super::exif::num;
use super::{Embedded, GeoPoint, Metadata};

const SEGMENT_SIG: &[u8] = b"FLIR\0";
const SEGMENT_HEADER: usize = 8;
/// More directory entries than any camera writes (seen: 14).
const MAX_RECORDS: usize = 256;

const RECORD_EMBEDDED_IMAGE: u16 = 0x0E;
const RECORD_CAMERA_INFO: u16 = 0x20;
const RECORD_GPS_INFO: u16 = 0x2B;

const SOURCE: &str = "Maker notes (FLIR)";

/// Reads the FLIR APP1 segments of one JPEG (payloads including the "FLIR\0" header).
pub fn read_chunks(chunks: &[&[u8]], meta: &mut Metadata) {
    let fff = join(chunks);
    if fff.is_empty() {
        return;
    }
    if !meta.maker_notes.iter().any(|v| v == "FLIR") {
        meta.maker_notes.push("FLIR".into());
    }
    let Some(records) = directory(&fff) else {
        meta.warnings.push("The FLIR thermal data is not readable.".into());
        return;
    };
    let le = records
        .iter()
        .find(|r| r.0 == RECORD_CAMERA_INFO)
        .map_or(true, |r| Rec { b: r.1, le: true }.u16(0) == Some(2));
    for (kind, data) in records {
        let rec = Rec { b: data, le };
        match kind {
            RECORD_EMBEDDED_IMAGE => read_embedded_image(rec, meta),
            RECORD_CAMERA_INFO => read_camera_info(rec, meta),
            RECORD_GPS_INFO => read_gps(rec, meta),
            _ => {}
        }
    }
}

/// The data of every "FLIR\0" segment, in file order, without segment headers.
fn join(chunks: &[&[u8]]) -> Vec<u8> {
    let mut out = Vec::new();
    for c in chunks {
        if c.starts_with(SEGMENT_SIG) {
            out.extend_from_slice(c.get(SEGMENT_HEADER..).unwrap_or(&[]));
        }
    }
    out
}

/// The FFF record directory: (record type, record bytes) for records inside the data.
fn directory(fff: &[u8]) -> Option<Vec<(u16, &[u8])>> {
    if !(fff.starts_with(b"FFF\0") || fff.starts_with(b"AFF\0")) {
        return None;
    }
    let be = Rec { b: fff, le: false };
    let le = Rec { b: fff, le: true };
    let head = [be, le].into_iter().find(|r| r.u32(20).is_some_and(|v| (100..200).contains(&v)))?;
    let dir_at = head.u32(24)? as usize;
    let count = (head.u32(28)? as usize).min(MAX_RECORDS);
    let mut out = Vec::new();
    for i in 0..count {
        let at = dir_at.checked_add(i * 32)?;
        let (Some(kind), Some(off), Some(len)) = (head.u16(at), head.u32(at + 12), head.u32(at + 16)) else { break };
        let (off, len) = (off as usize, len as usize);
        if kind == 0 || len == 0 {
            continue; // empty slot
        }
        if let Some(data) = off.checked_add(len).and_then(|end| fff.get(off..end)) {
            out.push((kind, data));
        }
    }
    Some(out)
}

/// A record's bytes and byte order, with bounded reads.
#[derive(Clone, Copy)]
struct Rec<'a> {
    b: &'a [u8],
    le: bool,
}

impl<'a> Rec<'a> {
    fn get<const N: usize>(&self, at: usize) -> Option<[u8; N]> {
        let mut a: [u8; N] = self.b.get(at..at.checked_add(N)?)?.try_into().ok()?;
        if !self.le {
            a.reverse();
        }
        Some(a) // now little-endian
    }
    fn u16(&self, at: usize) -> Option<u16> {
        self.get::<2>(at).map(u16::from_le_bytes)
    }
    fn i16(&self, at: usize) -> Option<i16> {
        self.get::<2>(at).map(i16::from_le_bytes)
    }
    fn u32(&self, at: usize) -> Option<u32> {
        self.get::<4>(at).map(u32::from_le_bytes)
    }
    fn f32(&self, at: usize) -> Option<f32> {
        self.get::<4>(at).map(f32::from_le_bytes)
    }
    fn f64(&self, at: usize) -> Option<f64> {
        self.get::<8>(at).map(f64::from_le_bytes)
    }
    /// A fixed-size text field, up to the first NUL.
    fn text(&self, at: usize, len: usize) -> String {
        let b = at.checked_add(len).and_then(|end| self.b.get(at..end)).unwrap_or(&[]);
        let b = b.split(|c| *c == 0).next().unwrap_or(&[]);
        String::from_utf8_lossy(b).trim().to_string()
    }
}

/// EmbeddedImage: width (u16 at 2), height (u16 at 4), the image from byte 32.
fn read_embedded_image(rec: Rec<'_>, meta: &mut Metadata) {
    let Some(image) = rec.b.get(32..).filter(|i| !i.is_empty()) else { return };
    let (w, h) = (rec.u16(2).unwrap_or(0), rec.u16(4).unwrap_or(0));
    let kind = image_type(image);
    meta.add("FLIR", "EmbeddedImageWidth", w.to_string());
    meta.add("FLIR", "EmbeddedImageHeight", h.to_string());
    meta.add("FLIR", "EmbeddedImageType", kind);
    meta.add("FLIR", "EmbeddedImage", format!("(Binary data {} bytes)", image.len()));
    meta.hidden_media.push(Embedded {
        source: SOURCE.into(),
        what: format!("a normal photo of the same scene ({kind} {w}×{h})"),
        bytes: image.len(),
    });
}

fn image_type(b: &[u8]) -> &'static str {
    if b.starts_with(&[0xFF, 0xD8]) {
        "JPG"
    } else if b.starts_with(b"\x89PNG") {
        "PNG"
    } else {
        "DAT"
    }
}

/// CameraInfo text fields (offset, length, ExifTool name).
const CAMERA_INFO_TEXT: &[(usize, usize, &str)] = &[
    (0xD4, 32, "CameraModel"),
    (0xF4, 16, "CameraPartNumber"),
    (0x104, 16, "CameraSerialNumber"),
    (0x114, 16, "CameraSoftware"),
    (0x170, 32, "LensModel"),
    (0x190, 16, "LensPartNumber"),
    (0x1A0, 16, "LensSerialNumber"),
    (0x1EC, 16, "FilterModel"),
    (0x1FC, 32, "FilterPartNumber"),
    (0x21C, 32, "FilterSerialNumber"),
];

fn read_camera_info(rec: Rec<'_>, meta: &mut Metadata) {
    for (at, len, name) in CAMERA_INFO_TEXT {
        meta.add("FLIR", name, rec.text(*at, *len));
    }
    if let Some(when) = capture_time(rec) {
        meta.add("FLIR", "DateTimeOriginal", when);
    }
}

/// DateTimeOriginal at 0x384: Unix seconds (u32), milliseconds (u32), and the
/// zone as minutes west of UTC (i16), printed like ExifTool: `2021:05:16 12:27:36.107-07:00`.
fn capture_time(rec: Rec<'_>) -> Option<String> {
    let (secs, ms, west) = (rec.u32(0x384)?, rec.u32(0x388)?, rec.i16(0x38C)?);
    if secs == 0 || ms > 999 || west.unsigned_abs() > 14 * 60 {
        return None;
    }
    let local = i64::from(secs) - i64::from(west) * 60;
    let (days, rest) = (local.div_euclid(86_400), local.rem_euclid(86_400));
    let (y, m, d) = civil_from_days(days);
    let east = -i32::from(west);
    let sign = if east < 0 { '-' } else { '+' };
    let (zh, zm) = (east.abs() / 60, east.abs() % 60);
    Some(format!(
        "{y:04}:{m:02}:{d:02} {:02}:{:02}:{:02}.{ms:03}{sign}{zh:02}:{zm:02}",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    ))
}

/// Days since 1970-01-01 → (year, month, day), proleptic Gregorian (H. Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// GPSInfo: valid flag (u32 at 0), refs ("N"/"S" at 8, "E"/"W" at 10),
/// latitude and longitude (f64 at 16 and 24, unsigned degrees), altitude (f32 at 32).
fn read_gps(rec: Rec<'_>, meta: &mut Metadata) {
    let valid = rec.u32(0).unwrap_or(0) != 0;
    let (lat_ref, lon_ref) = (rec.text(8, 2), rec.text(10, 2));
    let (Some(lat), Some(lon)) = (rec.f64(16), rec.f64(24)) else { return };
    if !valid || !lat.is_finite() || !lon.is_finite() {
        return;
    }
    meta.add("FLIR", "GPSLatitudeRef", lat_ref.clone());
    meta.add("FLIR", "GPSLongitudeRef", lon_ref.clone());
    meta.add("FLIR", "GPSLatitude", num(lat));
    meta.add("FLIR", "GPSLongitude", num(lon));
    if let Some(alt) = rec.f32(32).filter(|a| a.is_finite()) {
        meta.add("FLIR", "GPSAltitude", num(f64::from(alt)));
    }
    let real = (lat != 0.0 || lon != 0.0) && lat.abs() <= 90.0 && lon.abs() <= 180.0;
    if real {
        let lat = if lat_ref.starts_with('S') { -lat.abs() } else { lat };
        let lon = if lon_ref.starts_with('W') { -lon.abs() } else { lon };
        meta.positions.push(GeoPoint { lat, lon, source: SOURCE.into() });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn put(b: &mut Vec<u8>, at: usize, v: &[u8]) {
        if b.len() < at + v.len() {
            b.resize(at + v.len(), 0);
        }
        b[at..at + v.len()].copy_from_slice(v);
    }

    /// An FFF file (big-endian header, little-endian records) with CameraInfo,
    /// GPSInfo and an EmbeddedImage, split into APP1 payloads of `chunk` bytes.
    fn flir_segments(chunk: usize) -> Vec<Vec<u8>> {
        let mut camera = vec![0u8; 0x400];
        put(&mut camera, 0, &2u16.to_le_bytes());
        put(&mut camera, 0xD4, b"FLIR ONE Pro");
        put(&mut camera, 0x104, b"T06L1T00177");
        put(&mut camera, 0x1A0, b"No Lens");
        put(&mut camera, 0x384, &1_621_193_256u32.to_le_bytes()); // 2021-05-16 19:27:36 UTC
        put(&mut camera, 0x388, &107u32.to_le_bytes());
        put(&mut camera, 0x38C, &420i16.to_le_bytes());
        let mut gps = vec![0u8; 0xB8];
        put(&mut gps, 0, &1u32.to_le_bytes());
        put(&mut gps, 8, b"N\0W\0");
        put(&mut gps, 16, &34.0754261592891f64.to_le_bytes());
        put(&mut gps, 24, &118.254268165533f64.to_le_bytes());
        put(&mut gps, 32, &139.5f32.to_le_bytes());
        let mut image = vec![0u8; 32];
        put(&mut image, 0, &3u16.to_le_bytes());
        put(&mut image, 2, &1080u16.to_le_bytes());
        put(&mut image, 4, &1440u16.to_le_bytes());
        image.extend([0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3, 0xFF, 0xD9]);

        let records = [(RECORD_EMBEDDED_IMAGE, image), (RECORD_CAMERA_INFO, camera), (RECORD_GPS_INFO, gps), (0, vec![])];
        let mut fff = b"FFF\0".to_vec();
        fff.resize(64, 0);
        put(&mut fff, 20, &100u32.to_be_bytes());
        put(&mut fff, 24, &64u32.to_be_bytes());
        put(&mut fff, 28, &(records.len() as u32).to_be_bytes());
        let mut data_at = 64 + records.len() * 32;
        for (i, (kind, data)) in records.iter().enumerate() {
            let e = 64 + i * 32;
            put(&mut fff, e, &kind.to_be_bytes());
            put(&mut fff, e + 12, &(data_at as u32).to_be_bytes());
            put(&mut fff, e + 16, &(data.len() as u32).to_be_bytes());
            put(&mut fff, data_at, data);
            data_at += data.len();
        }
        let parts: Vec<&[u8]> = fff.chunks(chunk).collect();
        let last = parts.len() as u8 - 1;
        parts
            .iter()
            .enumerate()
            .map(|(i, p)| [SEGMENT_SIG, &[1, i as u8, last], p].concat())
            .collect()
    }

    fn value<'m>(m: &'m Metadata, tag: &str) -> Option<&'m str> {
        m.fields.iter().find(|f| f.group == "FLIR" && f.tag == tag).map(|f| f.value.as_str())
    }

    #[test]
    fn reads_serials_gps_time_and_visible_photo_across_segments() {
        let segs = flir_segments(300);
        assert!(segs.len() > 3);
        let refs: Vec<&[u8]> = segs.iter().map(|s| s.as_slice()).collect();
        let mut m = Metadata::default();
        read_chunks(&refs, &mut m);
        assert_eq!(value(&m, "CameraSerialNumber"), Some("T06L1T00177"));
        assert_eq!(value(&m, "LensSerialNumber"), Some("No Lens"));
        assert_eq!(value(&m, "CameraModel"), Some("FLIR ONE Pro"));
        assert_eq!(value(&m, "DateTimeOriginal"), Some("2021:05:16 12:27:36.107-07:00"));
        assert_eq!(m.positions.len(), 1);
        let p = &m.positions[0];
        assert!((p.lat - 34.0754262).abs() < 1e-6 && (p.lon + 118.2542682).abs() < 1e-6, "{p:?}");
        assert_eq!(p.source, "Maker notes (FLIR)");
        assert_eq!(m.hidden_media.len(), 1);
        assert_eq!(m.hidden_media[0].bytes, 9);
        assert_eq!(value(&m, "EmbeddedImageType"), Some("JPG"));
        assert_eq!(m.maker_notes, vec!["FLIR".to_string()]);
    }

    #[test]
    fn invalid_gps_gives_no_position() {
        let segs = flir_segments(100_000);
        let mut seg = segs[0].clone();
        // GPSValid is the first word of the GPS record; find it via the directory.
        let fff = &seg[SEGMENT_HEADER..];
        let gps_at = directory(fff).unwrap().iter().find(|r| r.0 == RECORD_GPS_INFO).unwrap().1.as_ptr() as usize
            - fff.as_ptr() as usize;
        seg[SEGMENT_HEADER + gps_at] = 0;
        let mut m = Metadata::default();
        read_chunks(&[&seg], &mut m);
        assert!(m.positions.is_empty());
        assert_eq!(value(&m, "CameraSerialNumber"), Some("T06L1T00177"));
    }

    #[test]
    fn hostile_flir_never_panics() {
        let seg = flir_segments(100_000).remove(0);
        for n in 0..seg.len().min(400) {
            read_chunks(&[&seg[..n]], &mut Metadata::default());
        }
        let mut b = seg.clone();
        for i in (SEGMENT_HEADER..b.len()).step_by(7) {
            b[i] = b[i].wrapping_add(0x5A);
            read_chunks(&[&b], &mut Metadata::default());
        }
        read_chunks(&[b"not flir"], &mut Metadata::default());
    }

    #[test]
    fn civil_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(18_763), (2021, 5, 16));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
    }
}
