//! What a safer copy keeps on purpose, written as a new, minimal EXIF block
//! (big-endian TIFF structure): Orientation, and only when chosen the capture
//! date, the author/copyright, and a rounded "town only" position.
//!
//! It owns choosing those values from what the readers found and writing the
//! bytes. It never copies a block of the original: everything kept is written
//! fresh, so nothing else can ride along.

use super::CleanOptions;
use crate::meta::Metadata;

/// Rounding step for "town only", in degrees (0.1° is about 11 km north–south).
pub(crate) const TOWN_STEP: f64 = 0.1;

/// Tags that hold the person who made the photo, most specific first.
const AUTHOR_TAGS: &[&str] = &["Artist", "Creator", "By-line", "XPAuthor", "Author"];
const COPYRIGHT_TAGS: &[&str] = &["Copyright", "Rights", "CopyrightNotice"];
/// Capture dates, best source first.
const DATE_TAGS: &[&str] = &["DateTimeOriginal", "CreateDate", "DateCreated", "DateTimeDigitized", "ModifyDate"];

/// Values chosen to be kept (besides orientation).
#[derive(Debug, Clone, Default)]
pub(crate) struct Kept {
    pub date: Option<String>,
    pub artist: Option<String>,
    pub copyright: Option<String>,
    pub town: Option<(f64, f64)>,
}

impl Kept {
    pub fn choose(meta: &Metadata, options: &CleanOptions) -> Kept {
        let first = |tags: &[&str]| {
            tags.iter().find_map(|t| meta.values(t).map(|f| f.value.trim().to_string()).find(|v| !v.is_empty()))
        };
        Kept {
            date: if options.keep_date { first(DATE_TAGS).and_then(|d| exif_date(&d)) } else { None },
            artist: if options.keep_author { first(AUTHOR_TAGS) } else { None },
            copyright: if options.keep_author { first(COPYRIGHT_TAGS) } else { None },
            town: if options.town_only {
                meta.positions.first().map(|p| (round_town(p.lat), round_town(p.lon)))
            } else {
                None
            },
        }
    }

    /// True when nothing but (maybe) orientation is kept.
    pub fn is_empty(&self) -> bool {
        self.date.is_none() && self.artist.is_none() && self.copyright.is_none() && self.town.is_none()
    }

    /// The minimal EXIF (TIFF header first), or None when there is nothing to write.
    /// `orientation` 1 (upright) is left out: it is the default anyway.
    pub fn exif(&self, orientation: Option<u16>) -> Option<Vec<u8>> {
        let orientation = orientation.filter(|o| (2..=8).contains(o));
        if orientation.is_none() && self.is_empty() {
            return None;
        }
        let mut ifd0 = Ifd::default();
        if let Some(o) = orientation {
            ifd0.short(0x0112, o);
        }
        if let Some(a) = &self.artist {
            ifd0.ascii(0x013B, a);
        }
        if let Some(c) = &self.copyright {
            ifd0.ascii(0x8298, c);
        }
        let mut exif_ifd = Ifd::default();
        if let Some(d) = &self.date {
            exif_ifd.ascii(0x9003, d); // DateTimeOriginal
        }
        let mut gps = Ifd::default();
        if let Some((lat, lon)) = self.town {
            gps.entries.push((0x0000, 1, 4, vec![2, 3, 0, 0])); // GPSVersionID 2.3
            gps.ascii(0x0001, if lat < 0.0 { "S" } else { "N" });
            gps.degrees(0x0002, lat.abs());
            gps.ascii(0x0003, if lon < 0.0 { "W" } else { "E" });
            gps.degrees(0x0004, lon.abs());
        }
        Some(write_tiff(ifd0, exif_ifd, gps))
    }
}

fn round_town(v: f64) -> f64 {
    (v / TOWN_STEP).round() * TOWN_STEP
}

/// "2008-05-30T15:56:01+02:00" or "2008:05:30 15:56:01" → "2008:05:30 15:56:01".
fn exif_date(value: &str) -> Option<String> {
    let v: Vec<char> = value.chars().take(19).collect();
    if v.len() < 10 || !v[..4].iter().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let mut out: String = v[..10].iter().map(|&c| if c == '-' { ':' } else { c }).collect();
    if v.len() == 19 {
        out.push(' ');
        out.extend(&v[11..19]);
    } else {
        out.push_str(" 00:00:00");
    }
    Some(out)
}

/// One IFD being built: (tag, type, count, value bytes big-endian).
#[derive(Default)]
struct Ifd {
    entries: Vec<(u16, u16, u32, Vec<u8>)>,
}

impl Ifd {
    fn short(&mut self, tag: u16, v: u16) {
        self.entries.push((tag, 3, 1, v.to_be_bytes().to_vec()));
    }
    fn ascii(&mut self, tag: u16, s: &str) {
        let mut b: Vec<u8> = s.bytes().filter(|&c| c != 0).take(4096).collect();
        b.push(0);
        self.entries.push((tag, 2, b.len() as u32, b));
    }
    /// Decimal degrees as three RATIONALs: whole degrees in hundredths, 0', 0".
    fn degrees(&mut self, tag: u16, deg: f64) {
        let mut b = Vec::with_capacity(24);
        for (num, den) in [((deg * 100.0).round() as u32, 100u32), (0, 1), (0, 1)] {
            b.extend_from_slice(&num.to_be_bytes());
            b.extend_from_slice(&den.to_be_bytes());
        }
        self.entries.push((tag, 5, 3, b));
    }
    fn dir_len(&self) -> usize {
        2 + 12 * self.entries.len() + 4
    }
    fn data_len(&self) -> usize {
        self.entries.iter().map(|e| if e.3.len() > 4 { (e.3.len() + 1) & !1 } else { 0 }).sum()
    }
    /// Appends the directory at `out.len()` (which must be its planned offset), then its data.
    fn write(mut self, out: &mut Vec<u8>) {
        crate::sort::by_key(&mut self.entries, |e| u64::from(e.0));
        let start = out.len();
        let mut data_at = start + self.dir_len();
        let mut data = Vec::new();
        out.extend_from_slice(&(self.entries.len() as u16).to_be_bytes());
        for (tag, typ, count, value) in &self.entries {
            out.extend_from_slice(&tag.to_be_bytes());
            out.extend_from_slice(&typ.to_be_bytes());
            out.extend_from_slice(&count.to_be_bytes());
            if value.len() <= 4 {
                let mut v = value.clone();
                v.resize(4, 0);
                out.extend_from_slice(&v);
            } else {
                out.extend_from_slice(&(data_at as u32).to_be_bytes());
                data.extend_from_slice(value);
                if value.len() % 2 == 1 {
                    data.push(0);
                }
                data_at += (value.len() + 1) & !1;
            }
        }
        out.extend_from_slice(&0u32.to_be_bytes()); // no next IFD (so no thumbnail IFD1)
        out.extend_from_slice(&data);
    }
}

/// Lays out IFD0, then the Exif and GPS sub-IFDs when they have entries.
fn write_tiff(mut ifd0: Ifd, exif_ifd: Ifd, gps: Ifd) -> Vec<u8> {
    let has_exif = !exif_ifd.entries.is_empty();
    let has_gps = !gps.entries.is_empty();
    // Pointer entries are 4 bytes, so sizes are known before the offsets are.
    let ifd0_len = ifd0.dir_len() + 12 * (has_exif as usize + has_gps as usize) + ifd0.data_len();
    let exif_at = 8 + ifd0_len;
    let gps_at = exif_at + if has_exif { exif_ifd.dir_len() + exif_ifd.data_len() } else { 0 };
    if has_exif {
        ifd0.entries.push((0x8769, 4, 1, (exif_at as u32).to_be_bytes().to_vec()));
    }
    if has_gps {
        ifd0.entries.push((0x8825, 4, 1, (gps_at as u32).to_be_bytes().to_vec()));
    }
    let mut out = b"MM\0*\0\0\0\x08".to_vec();
    ifd0.write(&mut out);
    if has_exif {
        exif_ifd.write(&mut out);
    }
    if has_gps {
        gps.write(&mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minimal_exif_reads_back_with_only_the_kept_values() {
        let kept = Kept {
            date: exif_date("2008-05-30T15:56:01+02:00"),
            artist: Some("Ana".into()),
            copyright: None,
            town: Some((round_town(48.8583701), round_town(-2.2944813))),
        };
        let tiff = kept.exif(Some(6)).expect("something to write");
        let mut meta = Metadata::default();
        crate::meta::exif::read(&tiff, &mut meta);
        let get = |t: &str| meta.values(t).next().map(|f| f.value.clone());
        assert_eq!(get("Artist").as_deref(), Some("Ana"));
        assert!(get("DateTimeOriginal").unwrap_or_default().starts_with("2008:05:30 15:56:01"));
        assert_eq!(meta.orientation, Some(6));
        let p = meta.positions.first().expect("a position");
        assert!((p.lat - 48.9).abs() < 1e-9 && (p.lon + 2.3).abs() < 1e-9, "{p:?}");
        assert!(meta.thumbnails.is_empty());
    }

    #[test]
    fn nothing_to_write_when_upright_and_nothing_kept() {
        assert!(Kept::default().exif(Some(1)).is_none());
        assert!(Kept::default().exif(None).is_none());
        assert!(Kept::default().exif(Some(3)).is_some());
    }
}
