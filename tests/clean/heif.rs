//! Safer copies of HEIC / HEIF / AVIF files.
//!
//! Corpus part (independent truth = ExifTool): every non-malformed HEIF-family
//! file in the metadata corpus is cleaned; ExifTool must see only structure and
//! the colour profile, `-validate` must show no new warnings, and the coded
//! picture (primary item, every grid tile, their hvcC/av1C) must be byte for
//! byte the same. Byte-built part: files made here, to check what is kept,
//! what is dropped and what is refused. Skips with a message when the corpus or
//! exiftool is absent (set THINKTWICE_CORPUS=/work/shared/corpus).
#![cfg(not(target_arch = "wasm32"))] // native only: reads files, runs the CLI

use crate::common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use thinktwice::container::bmff::{self, Layout};
use thinktwice::{clean, CleanError, CleanOptions};

fn corpus_dir() -> Option<PathBuf> {
    common::corpus_part("metadata/files", "")
}

fn temp_file(bytes: &[u8], name: &str) -> PathBuf {
    static COUNTER: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let path =
        std::env::temp_dir().join(format!("thinktwice-heif-{}-{n}-{name}", std::process::id()));
    std::fs::write(&path, bytes).expect("write temp file");
    path
}

fn exiftool_json(bytes: &[u8], name: &str) -> serde_json::Map<String, serde_json::Value> {
    let path = temp_file(bytes, name);
    let out = Command::new("exiftool")
        .args(["-j", "-G1", "-a", "-u"])
        .arg(&path)
        .output()
        .expect("run exiftool");
    let _ = std::fs::remove_file(&path);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("exiftool JSON");
    v.get(0)
        .and_then(|x| x.as_object())
        .cloned()
        .unwrap_or_default()
}

/// ExifTool's validation warnings (text after "Warning : ").
fn validate_warnings(bytes: &[u8], name: &str) -> Vec<String> {
    let path = temp_file(bytes, name);
    let out = Command::new("exiftool")
        .args(["-validate", "-warning", "-a"])
        .arg(&path)
        .output()
        .expect("exiftool");
    let _ = std::fs::remove_file(&path);
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| l.starts_with("Warning"))
        .filter_map(|l| l.split_once(": ").map(|(_, w)| w.trim().to_string()))
        .collect()
}

/// HEIF structure tags (QuickTime/Meta groups) that name nobody.
const STRUCTURE: &[&str] = &[
    "MajorBrand",
    "MinorVersion",
    "CompatibleBrands",
    "HandlerType",
    "PrimaryItemReference",
    "MetaImageSize",
    "ImageSpatialExtent",
    "ImagePixelDepth",
    "Rotation",
    "MediaData",
    "MediaDataOffset",
    "MediaDataSize",
    "ColorProfiles",
    "ColorPrimaries",
    "TransferCharacteristics",
    "MatrixCoefficients",
    "VideoFullRangeFlag",
    "HEVCConfigurationVersion",
    "GeneralProfileSpace",
    "GeneralTierFlag",
    "GeneralProfileIDC",
    "GenProfileCompatibilityFlags",
    "ConstraintIndicatorFlags",
    "GeneralLevelIDC",
    "MinSpatialSegmentationIDC",
    "ParallelismType",
    "ChromaFormat",
    "BitDepthLuma",
    "BitDepthChroma",
    "AverageFrameRate",
    "ConstantFrameRate",
    "NumTemporalLayers",
    "TemporalIDNested",
    "AV1ConfigurationVersion",
    "SeqProfile",
    "SeqLevelIdx0",
    "SeqTier0",
    "HighBitDepth",
    "TwelveBit",
    "ChromaSamplePosition",
    "InitialDelaySamples",
];

/// Keys that should not be in a default safer copy of a HEIF file.
fn leftovers(json: &serde_json::Map<String, serde_json::Value>) -> Vec<String> {
    json.keys()
        .filter(|key| {
            let (group, tag) = key.split_once(':').unwrap_or((key.as_str(), ""));
            let ok = matches!(
                group,
                "SourceFile" | "ExifTool" | "System" | "File" | "Composite"
            ) || group.starts_with("ICC")
                || (matches!(group, "QuickTime" | "Meta") && STRUCTURE.contains(&tag));
            !ok
        })
        .cloned()
        .collect()
}

/// Item ids that make up the picture: the primary and everything it is built from.
fn picture_items(l: &Layout) -> Vec<u32> {
    let mut items = vec![l.primary];
    let mut i = 0;
    while i < items.len() {
        let from = items[i];
        for r in l
            .references
            .iter()
            .filter(|r| &r.typ == b"dimg" && r.from == from)
        {
            for t in &r.to {
                if !items.contains(t) {
                    items.push(*t);
                }
            }
        }
        i += 1;
    }
    items
}

/// For each picture item: its coded bytes and its codec configuration property bytes.
fn coded(bytes: &[u8], l: &Layout) -> BTreeMap<u32, (Vec<u8>, Vec<Vec<u8>>)> {
    picture_items(l)
        .into_iter()
        .map(|id| {
            let item = l.item(id).expect("picture item listed");
            let data: Vec<u8> = item
                .location
                .iter()
                .flat_map(|loc| loc.extents.iter())
                .flat_map(|r| bytes[r.clone()].to_vec())
                .collect();
            let config = l
                .associations_of(id)
                .iter()
                .filter_map(|a| {
                    (a.index as usize)
                        .checked_sub(1)
                        .and_then(|i| l.properties.get(i))
                })
                .filter(|p| matches!(&p.typ, b"hvcC" | b"av1C"))
                .map(|p| bytes[p.whole.clone()].to_vec())
                .collect();
            (id, (data, config))
        })
        .collect()
}

fn heif_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("read corpus")
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .filter(|n| !n.starts_with("malformed_"))
        .filter(|n| {
            n.rsplit('.').next().is_some_and(|e| {
                ["heic", "heif", "hif", "avif"].contains(&e.to_ascii_lowercase().as_str())
            })
        })
        .collect();
    names.sort();
    names
}

#[test]
fn corpus_heif_copies_keep_the_picture_and_nothing_else() {
    let Some(dir) = corpus_dir() else {
        eprintln!("SKIP clean_heif: corpus not found (set THINKTWICE_CORPUS=/work/shared/corpus)");
        return;
    };
    if !common::exiftool_available() {
        return;
    }
    let names = heif_names(&dir);
    let mut failures = Vec::new();
    for name in &names {
        let original = std::fs::read(dir.join(name)).expect("read");
        let copy = match clean(&original, &CleanOptions::default()) {
            Ok(c) => c,
            Err(e) => {
                failures.push(format!("{name}: refused: {e}"));
                continue;
            }
        };
        assert!(
            copy.lossless && copy.format == thinktwice::container::sniff(&original),
            "{name}"
        );
        if !copy.verified_report.findings.is_empty() {
            failures.push(format!(
                "{name}: re-check finds {:?}",
                copy.verified_report.findings
            ));
        }
        let left = leftovers(&exiftool_json(&copy.bytes, name));
        if !left.is_empty() {
            failures.push(format!("{name}: exiftool still shows {left:?}"));
        }
        let before = validate_warnings(&original, name);
        let new: Vec<String> = validate_warnings(&copy.bytes, name)
            .into_iter()
            .filter(|w| !before.contains(w))
            .collect();
        if !new.is_empty() {
            failures.push(format!("{name}: new exiftool -validate warnings {new:?}"));
        }
        let (a, b) = (
            bmff::layout(&original).expect("original layout"),
            bmff::layout(&copy.bytes),
        );
        let Ok(b) = b else {
            failures.push(format!(
                "{name}: the copy's structure cannot be read: {b:?}"
            ));
            continue;
        };
        let (coded_a, coded_b) = (coded(&original, &a), coded(&copy.bytes, &b));
        if coded_a != coded_b {
            failures.push(format!(
                "{name}: coded picture differs ({} vs {} items)",
                coded_a.len(),
                coded_b.len()
            ));
        }
        let kept_types: Vec<String> = b
            .items
            .iter()
            .map(|i| String::from_utf8_lossy(&i.item_type).into())
            .collect();
        eprintln!(
            "  {name}: {} → {} bytes, {} items → {} ({})",
            original.len(),
            copy.bytes.len(),
            a.items.len(),
            b.items.len(),
            kept_types.join(",")
        );
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(
        names.len() >= 10,
        "expected the 10 HEIF-family corpus files, found {}",
        names.len()
    );
}

#[test]
fn corpus_malformed_heic_is_refused_in_plain_words() {
    let Some(dir) = corpus_dir() else {
        eprintln!("SKIP clean_heif: corpus not found");
        return;
    };
    let original = std::fs::read(dir.join("malformed_heic_poc.heic")).expect("read");
    match clean(&original, &CleanOptions::default()) {
        Err(CleanError::Unsupported(m)) => assert!(m.contains("cannot make a safer copy"), "{m}"),
        other => panic!("expected a refusal, got {:?}", other.map(|c| c.bytes.len())),
    }
}

/// Keep options write a fresh, minimal EXIF item that ExifTool reads.
#[test]
fn corpus_keep_options_write_a_minimal_exif_item() {
    let Some(dir) = corpus_dir() else {
        eprintln!("SKIP clean_heif: corpus not found");
        return;
    };
    let name = "apple_iphone11promax_gps.heic";
    let original = std::fs::read(dir.join(name)).expect("read");
    let options = CleanOptions {
        keep_date: true,
        town_only: true,
        keep_author: true,
        ..Default::default()
    };
    let copy = clean(&original, &options).expect("a safer copy");
    let ids: Vec<&str> = copy
        .verified_report
        .findings
        .iter()
        .map(|f| f.id.as_str())
        .collect();
    assert!(
        ids.contains(&"capture-time") && ids.contains(&"gps-location"),
        "{ids:?}"
    );
    assert!(
        ids.iter()
            .all(|id| ["capture-time", "gps-location", "person-name"].contains(id)),
        "{ids:?}"
    );
    let rough = copy.verified_report.location.expect("town kept");
    assert!(
        ((rough.lat * 10.0).round() - rough.lat * 10.0).abs() < 1e-6,
        "{rough:?}"
    );
    if common::exiftool_available() {
        let json = exiftool_json(&copy.bytes, name);
        assert!(json.get("ExifIFD:DateTimeOriginal").is_some(), "{json:?}");
        assert!(json.get("GPS:GPSLatitude").is_some(), "{json:?}");
        assert!(json.keys().all(|k| !k.starts_with("XMP")
            && !k.starts_with("MakerNotes")
            && !k.contains("Serial")));
        assert!(
            validate_warnings(&copy.bytes, name).is_empty(),
            "{:?}",
            validate_warnings(&copy.bytes, name)
        );
    }
    // Every HEIF file gets a copy with all keep options (regression: the new EXIF
    // item once reused the removed thumbnail's id, bringing back its thmb reference).
    for other in heif_names(&dir) {
        let bytes = std::fs::read(dir.join(&other)).expect("read");
        let c = clean(&bytes, &options).unwrap_or_else(|e| panic!("{other}: {e}"));
        if common::exiftool_available() {
            let w = validate_warnings(&c.bytes, &other);
            assert!(w.is_empty(), "{other}: {w:?}");
        }
    }
    // Without the colour profile, ExifTool finds no ICC data.
    let no_icc = clean(
        &original,
        &CleanOptions {
            keep_colour_profile: false,
            ..Default::default()
        },
    )
    .expect("copy");
    if common::exiftool_available() {
        assert!(exiftool_json(&no_icc.bytes, name)
            .keys()
            .all(|k| !k.starts_with("ICC")));
    }
}

// ---------------------------------------------------------------------------
// Byte-built files.

fn bx(typ: &[u8; 4], body: &[u8]) -> Vec<u8> {
    let mut v = ((body.len() + 8) as u32).to_be_bytes().to_vec();
    v.extend(typ);
    v.extend(body);
    v
}

fn full(typ: &[u8; 4], version: u8, flags: u32, body: &[u8]) -> Vec<u8> {
    let mut b = (((version as u32) << 24) | flags).to_be_bytes().to_vec();
    b.extend(body);
    bx(typ, &b)
}

fn infe(id: u16, typ: &[u8; 4], content_type: &str, name: &str) -> Vec<u8> {
    let mut b = id.to_be_bytes().to_vec();
    b.extend([0, 0]);
    b.extend(typ);
    b.extend(name.as_bytes());
    b.push(0);
    if typ == b"mime" {
        b.extend(content_type.as_bytes());
        b.push(0);
    }
    full(b"infe", 2, 0, &b)
}

/// Items that use a property, and whether it is essential for them.
type ItemsUsing = Vec<(u16, bool)>;

/// An item: id, type, MIME type, construction method, data.
struct Item {
    id: u16,
    typ: [u8; 4],
    mime: &'static str,
    method: u8,
    data: Vec<u8>,
}

/// A small HEIC: items in mdat (method 0) or idat (method 1), with the given
/// references (type, from, to) and properties (box, associated items, essential).
struct Fixture {
    items: Vec<Item>,
    refs: Vec<([u8; 4], u16, Vec<u16>)>,
    props: Vec<(Vec<u8>, ItemsUsing)>,
    extra_top: Vec<u8>,
}

impl Fixture {
    fn typical() -> Fixture {
        let mut exif = 6u32.to_be_bytes().to_vec();
        exif.extend(b"Exif\0\0");
        exif.extend(gps_tiff());
        let mut ispe = 64u32.to_be_bytes().to_vec();
        ispe.extend(48u32.to_be_bytes());
        let mut grid = vec![0, 0, 0, 1];
        grid.extend(64u16.to_be_bytes());
        grid.extend(48u16.to_be_bytes());
        Fixture {
            items: vec![
                Item {
                    id: 1,
                    typ: *b"grid",
                    mime: "",
                    method: 1,
                    data: grid,
                },
                Item {
                    id: 2,
                    typ: *b"hvc1",
                    mime: "",
                    method: 0,
                    data: vec![0x11; 50],
                },
                Item {
                    id: 3,
                    typ: *b"hvc1",
                    mime: "",
                    method: 0,
                    data: vec![0x22; 60],
                },
                Item {
                    id: 4,
                    typ: *b"Exif",
                    mime: "",
                    method: 0,
                    data: exif,
                },
                Item {
                    id: 5,
                    typ: *b"mime",
                    mime: "application/rdf+xml",
                    method: 0,
                    data: b"<x:xmpmeta><dc:creator>Ann Example</dc:creator></x:xmpmeta>".to_vec(),
                },
                Item {
                    id: 6,
                    typ: *b"hvc1",
                    mime: "",
                    method: 0,
                    data: vec![0x66; 40],
                }, // thumbnail
                Item {
                    id: 7,
                    typ: *b"hvc1",
                    mime: "",
                    method: 0,
                    data: vec![0x77; 30],
                }, // depth map
            ],
            refs: vec![
                (*b"dimg", 1, vec![2, 3]),
                (*b"thmb", 6, vec![1]),
                (*b"auxl", 7, vec![1]),
                (*b"cdsc", 4, vec![1]),
                (*b"cdsc", 5, vec![1]),
            ],
            props: vec![
                (
                    bx(b"hvcC", &[1, 2, 3, 4, 5]),
                    vec![(2, true), (3, true), (6, true), (7, true)],
                ),
                (
                    full(b"ispe", 0, 0, &ispe),
                    vec![(1, false), (2, false), (3, false)],
                ),
                (bx(b"irot", &[1]), vec![(1, true)]),
                (bx(b"colr", b"nclx\0\x01\0\x0d\0\x06\x80"), vec![(1, false)]),
                (
                    full(b"auxC", 0, 0, b"urn:mpeg:hevc:2015:auxid:2\0"),
                    vec![(7, true)],
                ),
                (
                    bx(b"free", b"not a property anyone needs"),
                    vec![(1, false)],
                ),
            ],
            extra_top: bx(b"free", b"Ann's phone"),
        }
    }

    fn build(&self) -> Vec<u8> {
        self.build_with(|_| {})
    }

    /// Builds the file; `tweak` may change the meta children before they are boxed.
    fn build_with(&self, tweak: impl Fn(&mut Vec<Vec<u8>>)) -> Vec<u8> {
        let ftyp = bx(b"ftyp", b"heic\0\0\0\0mif1heic");
        let meta_for = |mdat_data_at: u32| {
            let mut iinf = (self.items.len() as u16).to_be_bytes().to_vec();
            for i in &self.items {
                iinf.extend(infe(
                    i.id,
                    &i.typ,
                    i.mime,
                    if i.id == 2 { "Ann's tile" } else { "" },
                ));
            }
            let (mut mdat_at, mut idat) = (0u32, Vec::new());
            let mut iloc = vec![0x44, 0x00];
            iloc.extend((self.items.len() as u16).to_be_bytes());
            for i in &self.items {
                iloc.extend(i.id.to_be_bytes());
                iloc.extend((i.method as u16).to_be_bytes());
                iloc.extend([0, 0, 0, 1]);
                let offset = if i.method == 1 {
                    idat.len() as u32
                } else {
                    mdat_data_at + mdat_at
                };
                iloc.extend(offset.to_be_bytes());
                iloc.extend((i.data.len() as u32).to_be_bytes());
                if i.method == 1 {
                    idat.extend(&i.data);
                } else {
                    mdat_at += i.data.len() as u32;
                }
            }
            let mut iref = Vec::new();
            for (t, from, to) in &self.refs {
                let mut b = from.to_be_bytes().to_vec();
                b.extend((to.len() as u16).to_be_bytes());
                to.iter().for_each(|x| b.extend(x.to_be_bytes()));
                iref.extend(bx(t, &b));
            }
            let ipco: Vec<u8> = self.props.iter().flat_map(|(p, _)| p.clone()).collect();
            let mut per_item: BTreeMap<u16, Vec<u8>> = BTreeMap::new();
            for (n, (_, assoc)) in self.props.iter().enumerate() {
                for (item, essential) in assoc {
                    per_item
                        .entry(*item)
                        .or_default()
                        .push((n as u8 + 1) | if *essential { 0x80 } else { 0 });
                }
            }
            let mut ipma = (per_item.len() as u32).to_be_bytes().to_vec();
            for (item, list) in per_item {
                ipma.extend(item.to_be_bytes());
                ipma.push(list.len() as u8);
                ipma.extend(list);
            }
            let mut hdlr = vec![0; 4];
            hdlr.extend(b"pict");
            hdlr.extend([0; 13]);
            let mut kids = vec![
                full(b"hdlr", 0, 0, &hdlr),
                full(b"pitm", 0, 0, &[0, 1]),
                full(b"iinf", 0, 0, &iinf),
                full(b"iloc", 1, 0, &iloc),
                full(b"iref", 0, 0, &iref),
                bx(
                    b"iprp",
                    &[bx(b"ipco", &ipco), full(b"ipma", 0, 0, &ipma)].concat(),
                ),
                bx(b"idat", &idat),
            ];
            tweak(&mut kids);
            full(b"meta", 0, 0, &kids.concat())
        };
        let draft = meta_for(0);
        let mdat_data_at = (ftyp.len() + draft.len() + self.extra_top.len() + 8) as u32;
        let meta = meta_for(mdat_data_at);
        let mdat: Vec<u8> = self
            .items
            .iter()
            .filter(|i| i.method == 0)
            .flat_map(|i| i.data.clone())
            .collect();
        [ftyp, meta, self.extra_top.clone(), bx(b"mdat", &mdat)].concat()
    }
}

/// A big-endian TIFF with a GPS IFD (48.85°N 2.35°E) and a camera serial number.
fn gps_tiff() -> Vec<u8> {
    let mut t = b"MM\0*\0\0\0\x08".to_vec();
    // IFD0 at 8: GPS pointer (0x8825) → 38, BodySerialNumber (0xA431) "SN12345" at 140.
    t.extend(2u16.to_be_bytes());
    t.extend([0x88, 0x25, 0, 4, 0, 0, 0, 1, 0, 0, 0, 38]);
    t.extend([0xA4, 0x31, 0, 2, 0, 0, 0, 8, 0, 0, 0, 140]);
    t.extend([0, 0, 0, 0]);
    // GPS IFD at 38: N, latitude at 92, E, longitude at 116.
    t.extend(4u16.to_be_bytes());
    t.extend([0, 1, 0, 2, 0, 0, 0, 2, b'N', 0, 0, 0]);
    t.extend([0, 2, 0, 5, 0, 0, 0, 3, 0, 0, 0, 92]);
    t.extend([0, 3, 0, 2, 0, 0, 0, 2, b'E', 0, 0, 0]);
    t.extend([0, 4, 0, 5, 0, 0, 0, 3, 0, 0, 0, 116]);
    t.extend([0, 0, 0, 0]);
    assert_eq!(t.len(), 92);
    for (n, d) in [(48u32, 1u32), (51, 1), (0, 1), (2, 1), (21, 1), (0, 1)] {
        t.extend(n.to_be_bytes());
        t.extend(d.to_be_bytes());
    }
    assert_eq!(t.len(), 140);
    t.extend(b"SN12345\0");
    t
}

#[test]
fn built_heic_keeps_the_grid_and_tiles_and_drops_the_rest() {
    let fixture = Fixture::typical();
    let file = fixture.build();
    let before = thinktwice::check(&file, "built.heic", &Default::default());
    let before_ids: Vec<&str> = before.findings.iter().map(|f| f.id.as_str()).collect();
    assert!(
        before_ids.contains(&"gps-location") && before_ids.contains(&"embedded-thumbnail"),
        "{before_ids:?}"
    );

    let copy = clean(&file, &CleanOptions::default()).expect("a safer copy");
    assert!(
        copy.verified_report.findings.is_empty(),
        "{:?}",
        copy.verified_report.findings
    );
    for id in [
        "gps-location",
        "embedded-thumbnail",
        "hidden-media",
        "device-serial",
    ] {
        assert!(
            copy.removed.iter().any(|r| r.as_str() == id),
            "{id} not in {:?}",
            copy.removed
        );
    }
    let l = bmff::layout(&copy.bytes).expect("the copy is well formed");
    let ids: Vec<u32> = l.items.iter().map(|i| i.id).collect();
    assert_eq!(ids, vec![1, 2, 3], "only the grid and its tiles stay");
    assert_eq!(l.primary, 1);
    assert_eq!(
        coded(&copy.bytes, &l),
        coded(&file, &bmff::layout(&file).unwrap())
    );
    // The grid descriptor stays in idat; tiles are in the new mdat.
    assert_eq!(
        l.item(1)
            .unwrap()
            .location
            .as_ref()
            .unwrap()
            .construction_method,
        1
    );
    // Only references between kept items; only properties they use, minus the unknown one.
    let refs: Vec<(String, u32, Vec<u32>)> = l
        .references
        .iter()
        .map(|r| (String::from_utf8_lossy(&r.typ).into(), r.from, r.to.clone()))
        .collect();
    assert_eq!(refs, vec![("dimg".to_string(), 1, vec![2, 3])]);
    let props: Vec<String> = l
        .properties
        .iter()
        .map(|p| String::from_utf8_lossy(&p.typ).into())
        .collect();
    assert_eq!(props, vec!["hvcC", "ispe", "irot", "colr"]);
    let grid_props: Vec<(String, bool)> = l
        .associations_of(1)
        .iter()
        .map(|a| (props[a.index as usize - 1].clone(), a.essential))
        .collect();
    assert_eq!(
        grid_props,
        vec![
            ("ispe".into(), false),
            ("irot".into(), true),
            ("colr".into(), false)
        ]
    );
    // Item names and the top-level free box are gone.
    let text = String::from_utf8_lossy(&copy.bytes);
    assert!(!text.contains("Ann"), "a name survived");
    // Top level: ftyp, meta, mdat.
    let tops: Vec<String> = l
        .top
        .iter()
        .map(|(t, _)| String::from_utf8_lossy(t).into())
        .collect();
    assert_eq!(tops, vec!["ftyp", "meta", "mdat"]);
    // Cleaning again changes nothing.
    let again = clean(&copy.bytes, &CleanOptions::default()).expect("clean twice");
    assert_eq!(again.bytes, copy.bytes);
}

#[test]
fn built_heic_keep_options_and_switches() {
    let file = Fixture::typical().build();
    let options = CleanOptions {
        town_only: true,
        keep_orientation: false,
        ..Default::default()
    };
    let copy = clean(&file, &options).expect("copy");
    let ids: Vec<&str> = copy
        .verified_report
        .findings
        .iter()
        .map(|f| f.id.as_str())
        .collect();
    assert_eq!(ids, vec!["gps-location"]);
    let rough = copy.verified_report.location.expect("a rough position");
    assert!((rough.lat - 48.9).abs() < 1e-6, "{rough:?}");
    let l = bmff::layout(&copy.bytes).unwrap();
    assert!(
        l.properties.iter().all(|p| &p.typ != b"irot"),
        "orientation not kept when asked"
    );
    let exif = l
        .items
        .iter()
        .find(|i| &i.item_type == b"Exif")
        .expect("a new EXIF item");
    assert!(exif.hidden);
    // Never a removed item's id (7 was the depth map): its old references would come back.
    assert_eq!(exif.id, 8);
    assert!(l
        .references
        .iter()
        .any(|r| &r.typ == b"cdsc" && r.from == exif.id && r.to == vec![1]));
}

fn expect_refusal(file: &[u8], what: &str) {
    match clean(file, &CleanOptions::default()) {
        Err(CleanError::Unsupported(m)) => {
            assert!(m.contains("cannot make a safer copy"), "{what}: {m}")
        }
        Err(e) => panic!("{what}: wrong error {e:?}"),
        Ok(_) => panic!("{what}: a copy was made"),
    }
}

#[test]
fn built_heic_oddities_are_refused() {
    let f = Fixture::typical();
    // Two meta boxes.
    let file = f.build();
    let meta = bmff::layout(&file).unwrap().meta;
    let twice = [&file[..meta.end], &file[meta.clone()], &file[meta.end..]].concat();
    expect_refusal(&twice, "two meta boxes");
    // A tile built from other items (construction method 2).
    let mut m2 = Fixture::typical();
    m2.items[1].method = 2;
    expect_refusal(&m2.build(), "construction method 2");
    // A grid that needs an item that is not listed.
    let mut missing = Fixture::typical();
    missing.refs[0] = (*b"dimg", 1, vec![2, 3, 9]);
    expect_refusal(&missing.build(), "missing tile");
    // An essential property nobody knows.
    let mut essential = Fixture::typical();
    essential.props[5].1 = vec![(1, true)];
    expect_refusal(&essential.build(), "unknown essential property");
    // An item table that ThinkTwice does not know.
    let ipmc = f.build_with(|kids| kids.push(full(b"ipmc", 0, 0, &[])));
    expect_refusal(&ipmc, "protection box");
    // iinf count disagreeing with its entries.
    let bad_count = f.build_with(|kids| {
        let iinf = &mut kids[2];
        iinf[13] = iinf[13].wrapping_add(1);
    });
    expect_refusal(&bad_count, "iinf count");
}

#[test]
fn built_heic_damage_never_panics_nor_yields_an_unsafe_copy() {
    let file = Fixture::typical().build();
    let mut made = 0;
    for n in (0..file.len()).step_by(3) {
        if let Ok(c) = clean(&file[..n], &CleanOptions::default()) {
            assert!(c.verified_report.findings.is_empty());
            made += 1;
        }
    }
    for i in (0..file.len()).step_by(5) {
        let mut f = file.clone();
        f[i] ^= 0x5A;
        if let Ok(c) = clean(&f, &CleanOptions::default()) {
            assert!(c.verified_report.findings.is_empty(), "byte {i}");
            assert!(
                bmff::layout(&c.bytes).is_ok(),
                "byte {i}: copy not well formed"
            );
        }
    }
    eprintln!("truncated copies made: {made}");
}
