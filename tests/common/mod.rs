//! Fixture builders shared by the integration tests: small, valid files made
//! byte by byte so that no binary fixture is committed.
#![allow(dead_code)]

/// A tiny real JPEG (8×8 grey) made by the `image` crate, as SOI + rest.
pub fn base_jpeg(width: u32, height: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(width, height, |x, y| image::Rgb([(x * 7) as u8, (y * 5) as u8, 128]));
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90).encode_image(&img).unwrap();
    out
}

/// Inserts APPn/COM segments (marker, payload) right after SOI.
pub fn jpeg_with(segments: &[(u8, Vec<u8>)], width: u32, height: u32) -> Vec<u8> {
    let base = base_jpeg(width, height);
    let mut out = vec![0xFF, 0xD8];
    for (marker, payload) in segments {
        out.extend_from_slice(&[0xFF, *marker]);
        out.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
        out.extend_from_slice(payload);
    }
    out.extend_from_slice(&base[2..]);
    out
}

/// One IFD entry for the TIFF builder.
pub struct Entry {
    pub tag: u16,
    pub typ: u16,
    pub count: u32,
    pub data: Vec<u8>,
}

pub fn ascii(tag: u16, s: &str) -> Entry {
    let mut data = s.as_bytes().to_vec();
    data.push(0);
    Entry { tag, typ: 2, count: data.len() as u32, data }
}

pub fn rationals(tag: u16, values: &[(u32, u32)]) -> Entry {
    let data = values.iter().flat_map(|(n, d)| n.to_be_bytes().into_iter().chain(d.to_be_bytes())).collect();
    Entry { tag, typ: 5, count: values.len() as u32, data }
}

pub fn short(tag: u16, v: u16) -> Entry {
    Entry { tag, typ: 3, count: 1, data: v.to_be_bytes().to_vec() }
}

fn long(tag: u16, v: u32) -> Entry {
    Entry { tag, typ: 4, count: 1, data: v.to_be_bytes().to_vec() }
}

/// Big-endian TIFF with IFD0 entries, an optional GPS IFD and an optional Exif IFD.
pub fn tiff(ifd0: Vec<Entry>, exif: Vec<Entry>, gps: Vec<Entry>) -> Vec<u8> {
    // Layout: header | IFD0 | Exif IFD | GPS IFD | data area. Offsets are fixed up as we go.
    let mut ifd0 = ifd0;
    let has_exif = !exif.is_empty();
    let has_gps = !gps.is_empty();
    if has_exif {
        ifd0.push(long(0x8769, 0));
    }
    if has_gps {
        ifd0.push(long(0x8825, 0));
    }
    ifd0.sort_by_key(|e| e.tag);
    let ifd_len = |n: usize| 2 + 12 * n + 4;
    let ifd0_at = 8;
    let exif_at = ifd0_at + ifd_len(ifd0.len());
    let gps_at = exif_at + if has_exif { ifd_len(exif.len()) } else { 0 };
    let mut data_at = gps_at + if has_gps { ifd_len(gps.len()) } else { 0 };
    for e in ifd0.iter_mut() {
        if e.tag == 0x8769 {
            e.data = (exif_at as u32).to_be_bytes().to_vec();
        }
        if e.tag == 0x8825 {
            e.data = (gps_at as u32).to_be_bytes().to_vec();
        }
    }
    let mut out = b"MM\0*".to_vec();
    out.extend_from_slice(&(ifd0_at as u32).to_be_bytes());
    let mut data_area = Vec::new();
    let write_ifd = |out: &mut Vec<u8>, entries: &[Entry], data_area: &mut Vec<u8>, data_at: &mut usize| {
        out.extend_from_slice(&(entries.len() as u16).to_be_bytes());
        for e in entries {
            out.extend_from_slice(&e.tag.to_be_bytes());
            out.extend_from_slice(&e.typ.to_be_bytes());
            out.extend_from_slice(&e.count.to_be_bytes());
            if e.data.len() <= 4 {
                let mut v = e.data.clone();
                v.resize(4, 0);
                out.extend_from_slice(&v);
            } else {
                out.extend_from_slice(&(*data_at as u32).to_be_bytes());
                data_area.extend_from_slice(&e.data);
                *data_at += e.data.len();
                if e.data.len() % 2 == 1 {
                    data_area.push(0);
                    *data_at += 1;
                }
            }
        }
        out.extend_from_slice(&0u32.to_be_bytes());
    };
    write_ifd(&mut out, &ifd0, &mut data_area, &mut data_at);
    if has_exif {
        write_ifd(&mut out, &exif, &mut data_area, &mut data_at);
    }
    if has_gps {
        write_ifd(&mut out, &gps, &mut data_area, &mut data_at);
    }
    out.extend_from_slice(&data_area);
    out
}

/// GPS IFD entries for a position in degrees/minutes/seconds.
pub fn gps_entries(lat: f64, lon: f64) -> Vec<Entry> {
    let dms = |v: f64| {
        let v = v.abs();
        let d = v.trunc();
        let m = ((v - d) * 60.0).trunc();
        let s = ((v - d) * 60.0 - m) * 60.0;
        vec![(d as u32, 1), (m as u32, 1), ((s * 10000.0).round() as u32, 10000)]
    };
    vec![
        Entry { tag: 0, typ: 1, count: 4, data: vec![2, 3, 0, 0] },
        ascii(1, if lat >= 0.0 { "N" } else { "S" }),
        rationals(2, &dms(lat)),
        ascii(3, if lon >= 0.0 { "E" } else { "W" }),
        rationals(4, &dms(lon)),
    ]
}

/// APP1 payload holding EXIF.
pub fn exif_app1(tiff: &[u8]) -> (u8, Vec<u8>) {
    let mut p = b"Exif\0\0".to_vec();
    p.extend_from_slice(tiff);
    (0xE1, p)
}

/// APP1 payload holding an XMP packet.
pub fn xmp_app1(xmp: &str) -> (u8, Vec<u8>) {
    let mut p = b"http://ns.adobe.com/xap/1.0/\0".to_vec();
    p.extend_from_slice(xmp.as_bytes());
    (0xE1, p)
}

pub fn com(text: &str) -> (u8, Vec<u8>) {
    (0xFE, text.as_bytes().to_vec())
}

/// A camera JPEG: Make/Model/Artist, a serial number, a date and a GPS position.
pub fn camera_jpeg(lat: f64, lon: f64) -> Vec<u8> {
    let t = tiff(
        vec![ascii(0x010F, "DemoCam"), ascii(0x0110, "DemoCam X1"), ascii(0x013B, "Asha Verma")],
        vec![ascii(0x9003, "2026:01:26 09:30:00"), ascii(0xA431, "SN-4455667788")],
        gps_entries(lat, lon),
    );
    jpeg_with(&[exif_app1(&t)], 16, 16)
}

/// A PNG with the given extra chunks placed before IDAT.
pub fn png_with(chunks: &[(&[u8; 4], Vec<u8>)]) -> Vec<u8> {
    let img = image::RgbImage::from_pixel(4, 4, image::Rgb([10, 20, 30]));
    let mut base = Vec::new();
    image::codecs::png::PngEncoder::new(&mut base)
        .write_image(img.as_raw(), 4, 4, image::ExtendedColorType::Rgb8)
        .unwrap();
    // IHDR chunk ends at 8 + 25 = 33.
    let mut out = base[..33].to_vec();
    for (kind, data) in chunks {
        out.extend_from_slice(&png_chunk(kind, data));
    }
    out.extend_from_slice(&base[33..]);
    out
}

pub fn png_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut c = (data.len() as u32).to_be_bytes().to_vec();
    c.extend_from_slice(kind);
    c.extend_from_slice(data);
    let crc = crc32(&c[4..]);
    c.extend_from_slice(&crc.to_be_bytes());
    c
}

pub fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in bytes {
        crc ^= b as u32;
        for _ in 0..8 {
            crc = if crc & 1 != 0 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

use image::ImageEncoder;

/// The part `sub` of the shared corpus (`THINKTWICE_CORPUS`, else `../shared/corpus` beside the
/// project) when `sub/marker` exists there; `None` means the corpus tests skip.
pub fn corpus_part(sub: &str, marker: &str) -> Option<std::path::PathBuf> {
    let candidates = [
        std::env::var_os("THINKTWICE_CORPUS").filter(|p| !p.is_empty()).map(std::path::PathBuf::from),
        Some(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus")),
    ];
    candidates.into_iter().flatten().map(|root| root.join(sub)).find(|dir| dir.join(marker).exists())
}

/// A small deterministic generator (xorshift64*), so every run makes the same test data.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in [lo, hi).
    pub fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }

    /// Uniform in 0..n (0 when n is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

/// Great-circle distance in km, written independently of the crate's `geo::haversine_km`
/// (the 1 − cos form instead of sin², so a slip in either shows), with the same mean earth
/// radius (6371.0088 km, IUGG): the tests' one oracle for distances.
pub fn independent_haversine_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    const EARTH_RADIUS_KM: f64 = 6371.0088;
    let (a1, a2) = (lat1 * std::f64::consts::PI / 180.0, lat2 * std::f64::consts::PI / 180.0);
    let dlat = a2 - a1;
    let dlon = (lon2 - lon1) * std::f64::consts::PI / 180.0;
    let h = (1.0 - dlat.cos()) / 2.0 + a1.cos() * a2.cos() * (1.0 - dlon.cos()) / 2.0;
    2.0 * EARTH_RADIUS_KM * h.sqrt().clamp(0.0, 1.0).asin()
}

/// A tool that `scripts/setup.sh` installs (ExifTool, Pillow's LittleCMS, the face model, the place
/// table) is missing. Someone running one test by hand gets a skip that says how to fix it; under CI
/// (`CI` set, as `.ci/run` runs) it fails, because set-up should have installed it and a silent skip
/// would hide a broken set-up.
pub fn tool_missing(test: &str, what: &str, fix: &str) {
    let message = format!("{test}: {what} is missing ({fix})");
    if std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false") {
        panic!("{message}; scripts/setup.sh should have installed it");
    }
    eprintln!("SKIP {message}");
}

/// ExifTool, when the one on PATH can give the grouped JSON the tests read (`-j -G1`, ExifTool 10+):
/// a fresh machine may carry another ExifTool than Debian's, so the feature is checked, not assumed.
/// When it is missing, says so through [`tool_missing`] (a failure under CI).
pub fn exiftool_available() -> bool {
    let major = std::process::Command::new("exiftool")
        .arg("-ver")
        .output()
        .ok()
        .filter(|out| out.status.success())
        .and_then(|out| String::from_utf8_lossy(&out.stdout).trim().split('.').next()?.parse::<u32>().ok());
    let usable = major.is_some_and(|m| m >= 10);
    if !usable {
        tool_missing("ExifTool cross-check", "exiftool 10 or newer", "apt-get install libimage-exiftool-perl");
    }
    usable
}

/// A Python with Pillow's LittleCMS binding: the interpreter `scripts/setup.sh` checked
/// (`THINKTWICE_PYTHON`, exported by `scripts/lib.sh`), else Debian's, else the first on PATH.
/// A newer Python on PATH (pyenv, python.org) may have no Pillow or a newer one than Debian's.
pub fn python_with_lcms() -> Option<String> {
    let chosen = std::env::var("THINKTWICE_PYTHON").ok().filter(|p| !p.is_empty());
    chosen.into_iter().chain(["/usr/bin/python3".to_string(), "python3".to_string()]).find(|py| {
        std::process::Command::new(py)
            .args(["-c", "import PIL.ImageCms"])
            .output()
            .is_ok_and(|o| o.status.success())
    })
}

/// The Python lines that pick LittleCMS's "no precalculated table" flag (cmsFLAGS_NOOPTIMIZE, 0x0100)
/// in any Pillow: the `ImageCms.Flags` enum (Pillow 10.3+) names it NOOPTIMIZE and has no NOTPRECALC;
/// the old `ImageCms.FLAGS` dict (Debian's Pillow 9) calls the same bit NOTPRECALC.
pub const PY_LCMS_EXACT_FLAGS: &str = "NOTPRECALC = ImageCms.Flags.NOOPTIMIZE if hasattr(ImageCms, 'Flags') \
    else ImageCms.FLAGS['NOTPRECALC']\n";
