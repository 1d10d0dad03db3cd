//! Safer copies of every JPEG, PNG, WebP, TIFF and HEIF-family file in the
//! metadata corpus (malformed_* excluded), judged by independent truth:
//! ExifTool must see nothing but image structure, the colour profile and the
//! orientation; the pixels must decode exactly as before on the lossless path;
//! ThinkTwice's own re-check must find nothing.
//!
//! Skips with a message when the corpus or exiftool is absent. Set
//! THINKTWICE_CORPUS=/work/shared/corpus when the worktree is not next to it.
#![cfg(not(target_arch = "wasm32"))] // native only: reads files, runs the CLI

use crate::common;

use std::path::PathBuf;
use std::process::Command;
use thinktwice::container::Format;
use thinktwice::{clean, CleanError, CleanOptions};

fn corpus_dir() -> Option<PathBuf> {
    common::corpus_part("metadata/files", "")
}

const EXTENSIONS: &[&str] = &["jpg", "jpeg", "mpo", "png", "webp", "tif", "tiff", "dng", "heic", "heif", "hif", "avif"];

/// Groups ExifTool may show in a safer copy: file structure, the colour profile, composite values.
fn allowed_group(group: &str) -> bool {
    matches!(
        group,
        "SourceFile" | "ExifTool" | "System" | "File" | "Composite" | "JFIF" | "Adobe" | "RIFF" | "PNG-pHYs"
    ) || group.starts_with("ICC")
}

/// PNG tags that describe pixels, never people (text keywords would show up as other PNG tags).
const PNG_STRUCTURE: &[&str] = &[
    "ImageWidth",
    "ImageHeight",
    "BitDepth",
    "ColorType",
    "Compression",
    "Filter",
    "Interlace",
    "Gamma",
    "WhitePointX",
    "WhitePointY",
    "RedX",
    "RedY",
    "GreenX",
    "GreenY",
    "BlueX",
    "BlueY",
    "SRGBRendering",
    "BackgroundColor",
    "Palette",
    "ProfileName",
    "SignificantBits",
    "Transparency",
];

/// HEIF/AVIF structure as ExifTool names it (QuickTime/Meta groups): brands,
/// codec configuration, size, rotation, colour numbers — never people.
pub const HEIF_STRUCTURE: &[&str] = &[
    "MajorBrand", "MinorVersion", "CompatibleBrands", "HandlerType", "PrimaryItemReference", "MetaImageSize",
    "ImageSpatialExtent", "ImagePixelDepth", "Rotation", "MediaData", "MediaDataOffset", "MediaDataSize",
    "ColorProfiles", "ColorPrimaries", "TransferCharacteristics", "MatrixCoefficients", "VideoFullRangeFlag",
    "HEVCConfigurationVersion", "GeneralProfileSpace", "GeneralTierFlag", "GeneralProfileIDC",
    "GenProfileCompatibilityFlags", "ConstraintIndicatorFlags", "GeneralLevelIDC", "MinSpatialSegmentationIDC",
    "ParallelismType", "ChromaFormat", "BitDepthLuma", "BitDepthChroma", "AverageFrameRate", "ConstantFrameRate",
    "NumTemporalLayers", "TemporalIDNested", "AV1ConfigurationVersion", "SeqProfile", "SeqLevelIdx0", "SeqTier0",
    "HighBitDepth", "TwelveBit", "ChromaSamplePosition", "InitialDelaySamples", "Monochrome",
    "ChromaSubsamplingX", "ChromaSubsamplingY",
];

/// Keys ExifTool reports that should not be in a default safer copy.
fn leftovers(json: &serde_json::Value) -> Vec<String> {
    let Some(obj) = json.as_object() else { return vec!["exiftool output is not an object".into()] };
    obj.keys()
        .filter(|key| {
            let (group, tag) = key.split_once(':').unwrap_or((key.as_str(), ""));
            let ok = allowed_group(group)
                || (group == "PNG" && PNG_STRUCTURE.contains(&tag))
                || (group == "IFD0" && tag == "Orientation")
                || (matches!(group, "QuickTime" | "Meta") && HEIF_STRUCTURE.contains(&tag))
                || (group == "File" && tag != "Comment");
            !ok || tag == "Comment"
        })
        .cloned()
        .collect()
}

fn exiftool_json(bytes: &[u8], name: &str) -> serde_json::Value {
    let path = std::env::temp_dir().join(format!("thinktwice-clean-{}-{name}", std::process::id()));
    std::fs::write(&path, bytes).expect("write temp file");
    let out = Command::new("exiftool").args(["-j", "-G1", "-a", "-u"]).arg(&path).output().expect("run exiftool");
    let _ = std::fs::remove_file(&path);
    let mut v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("exiftool JSON");
    v.get_mut(0).map(|x| x.take()).unwrap_or_default()
}

/// Decoded pixels as stored (no orientation applied), or None when `image` cannot decode.
fn pixels(bytes: &[u8]) -> Option<image::DynamicImage> {
    image::load_from_memory(bytes).ok()
}

/// Decoded pixels turned upright the way a viewer shows them.
fn upright(bytes: &[u8]) -> Option<image::DynamicImage> {
    use image::ImageDecoder;
    let mut dec =
        image::ImageReader::new(std::io::Cursor::new(bytes)).with_guessed_format().ok()?.into_decoder().ok()?;
    let o = dec.orientation().ok()?;
    let mut img = image::DynamicImage::from_decoder(dec).ok()?;
    img.apply_orientation(o);
    Some(img)
}

/// A DNG whose previews are all missing from the file, by ExifTool's account in expected.json
/// (`data_present: false`: the sample was cut short). It holds no picture to share, so it must be refused.
fn dng_without_picture(expected: &serde_json::Value, name: &str) -> bool {
    let entry = &expected[name];
    entry["file_type"] == "DNG"
        && entry["embedded_thumbnails"].as_array().is_some_and(|t| t.iter().all(|t| t["data_present"] == false))
}

/// LittleCMS's rendering of a Lab TIFF as 8-bit sRGB (exact per-pixel maths, no precalculated table),
/// as raw RGB bytes: an independent decoder and colour engine to compare the safer copy against.
fn lcms_srgb(python: &str, path: &std::path::Path) -> Vec<u8> {
    let script = format!(
        "import sys\nfrom PIL import Image, ImageCms\n{}im = Image.open(sys.argv[1])\n\
         t = ImageCms.buildTransform(ImageCms.createProfile('LAB'), ImageCms.createProfile('sRGB'), 'LAB', 'RGB', \
         flags=NOTPRECALC)\nsys.stdout.buffer.write(ImageCms.applyTransform(im, t).tobytes())\n",
        common::PY_LCMS_EXACT_FLAGS
    );
    let out = Command::new(python).args(["-c", &script]).arg(path).output().expect("run python");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    out.stdout
}

/// Whether Pillow (libjpeg, libpng, libwebp: decoders independent of ThinkTwice's) fails to read
/// the picture data to the end, e.g. a cut-down sample whose scan breaks off.
fn picture_is_damaged(python: &str, path: &std::path::Path) -> bool {
    const SCRIPT: &str = "import sys\nfrom PIL import Image\nImage.open(sys.argv[1]).load()\n";
    Command::new(python).args(["-c", SCRIPT]).arg(path).output().is_ok_and(|o| !o.status.success())
}

/// Largest channel difference between two RGB8 buffers of the same size.
fn max_channel_difference(a: &[u8], b: &[u8]) -> u8 {
    assert_eq!(a.len(), b.len(), "different sizes");
    a.iter().zip(b).map(|(x, y)| x.abs_diff(*y)).max().unwrap_or(0)
}

#[test]
fn default_clean_leaves_nothing_identifying_and_the_same_pixels() {
    let Some(dir) = corpus_dir() else {
        eprintln!("SKIP clean_corpus: corpus not found (set THINKTWICE_CORPUS=/work/shared/corpus)");
        return;
    };
    if !common::exiftool_available() {
        return;
    }
    let expected: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("../expected.json")).expect("expected.json")).unwrap();
    let python = common::python_with_lcms();
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("read corpus")
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .filter(|n| !n.starts_with("malformed_"))
        .filter(|n| n.rsplit('.').next().is_some_and(|ext| EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str())))
        .collect();
    names.sort();
    let (mut cleaned, mut refused, mut same_pixels, mut close_colours, mut failures) = (0, Vec::new(), 0, 0, Vec::new());
    let (mut bytes_in, mut bytes_out) = (0usize, 0usize);
    let mut damaged_originals = 0;
    for name in &names {
        let original = std::fs::read(dir.join(name)).expect("read file");
        let format = thinktwice::container::sniff(&original);
        let result = clean(&original, &CleanOptions::default());
        if dng_without_picture(&expected, name) {
            // Nothing to share: a plain refusal is the right answer, and nothing else is.
            match result {
                Err(CleanError::Unsupported(m)) if m.contains("no finished picture") => refused.push(format!("{name}: {m}")),
                other => failures.push(format!("{name}: holds no picture, yet clean gave {:?}", other.map(|c| c.format))),
            }
            continue;
        }
        let copy = match result {
            Ok(c) => c,
            Err(e) => {
                failures.push(format!("{name}: no copy: {e}"));
                continue;
            }
        };
        cleaned += 1;
        bytes_in += original.len();
        bytes_out += copy.bytes.len();
        // ThinkTwice, run again from scratch, finds nothing.
        let recheck = thinktwice::check(&copy.bytes, name, &Default::default());
        if !recheck.findings.is_empty() || recheck.error.is_some() {
            let ids: Vec<&str> = recheck.findings.iter().map(|f| f.id.as_str()).collect();
            failures.push(format!("{name}: re-check finds {ids:?} {:?}", recheck.error));
        }
        // ExifTool sees only structure, colour profile and orientation.
        let left = leftovers(&exiftool_json(&copy.bytes, name));
        if !left.is_empty() {
            failures.push(format!("{name}: exiftool still shows {left:?}"));
        }
        if !copy.lossless {
            // The one lossy default path: Lab colours converted to sRGB. LittleCMS is the truth.
            assert!(format == Format::Tiff && copy.format == Format::Png, "{name}: only Lab TIFFs may change pixels");
            let Some(py) = python.as_deref() else {
                common::tool_missing(name, "Pillow with LittleCMS (Lab colours not compared)", "apt-get install python3-pil");
                continue;
            };
            let ours = pixels(&copy.bytes).expect("the copy decodes").to_rgb8();
            let diff = max_channel_difference(ours.as_raw(), &lcms_srgb(py, &dir.join(name)));
            if diff > 2 {
                failures.push(format!("{name}: colours differ from LittleCMS's by up to {diff}"));
            } else {
                close_colours += 1;
            }
            continue;
        }
        // The same pixels: the lossless copy, the same upright pixels (TIFF → PNG), or for a DNG the
        // camera's preview exactly as stored inside it.
        let before = match format {
            Format::Dng => embedded_preview(&original).and_then(|p| pixels(&p)),
            _ if copy.format == format => pixels(&original),
            _ => upright(&original),
        };
        match (before, pixels(&copy.bytes)) {
            (Some(a), Some(b)) if a.color() == b.color() && a.as_bytes() == b.as_bytes() => same_pixels += 1,
            // The allow-list copy keeps picture data only as far as it decodes; past damage, decoders
            // each invent different pixels, so only an original that an independent decoder
            // (libjpeg, through Pillow) reads to the end must give the very same pixels.
            (Some(_), Some(_)) if python.as_deref().is_some_and(|py| picture_is_damaged(py, &dir.join(name))) => {
                eprintln!("  {name}: its picture data is damaged (Pillow/libjpeg cannot read it to the end); the copy keeps the readable part");
                damaged_originals += 1;
            }
            (Some(a), Some(b)) => failures.push(format!(
                "{name}: pixels differ ({:?} {}×{} vs {:?} {}×{})",
                a.color(),
                a.width(),
                a.height(),
                b.color(),
                b.width(),
                b.height()
            )),
            (None, _) => eprintln!("  {name}: the image crate cannot decode the original; pixels not compared"),
            (Some(_), None) => failures.push(format!("{name}: the copy does not decode")),
        }
    }
    eprintln!(
        "clean_corpus: {} files, {cleaned} cleaned ({same_pixels} with identical pixels, {close_colours} Lab → sRGB \
         within 2 of LittleCMS, {damaged_originals} with damaged picture data), {} refused; {bytes_in} bytes in, {bytes_out} out",
        names.len(),
        refused.len()
    );
    for r in &refused {
        eprintln!("  refused {r}");
    }
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
    assert!(cleaned >= 80, "too few files cleaned: {cleaned}");
}

/// The largest JPEG preview ExifTool finds in a DNG, cut out by ExifTool's own reading of the offsets.
fn embedded_preview(original: &[u8]) -> Option<Vec<u8>> {
    let path = std::env::temp_dir().join(format!("thinktwice-dng-{}.dng", std::process::id()));
    std::fs::write(&path, original).ok()?;
    let previews = ["JpgFromRaw", "PreviewImage", "OtherImage"].map(|tag| {
        let out = Command::new("exiftool").args(["-b", &format!("-{tag}")]).arg(&path).output();
        out.map(|o| o.stdout).unwrap_or_default()
    });
    let _ = std::fs::remove_file(&path);
    let size = |b: &Vec<u8>| image::load_from_memory(b).map(|i| u64::from(i.width()) * u64::from(i.height())).ok();
    previews.into_iter().filter(|b| size(b).is_some()).max_by_key(|b| size(b))
}

/// The three keep options keep exactly what they say, and nothing else.
#[test]
fn keep_options_keep_only_what_was_chosen() {
    let Some(dir) = corpus_dir() else {
        eprintln!("SKIP clean_corpus: corpus not found (set THINKTWICE_CORPUS=/work/shared/corpus)");
        return;
    };
    let name = "panasonic_lx3_gps_serial.jpg";
    let original = std::fs::read(dir.join(name)).expect("read file");
    let options = CleanOptions { keep_date: true, town_only: true, keep_author: true, ..Default::default() };
    let copy = clean(&original, &options).expect("a safer copy");
    let ids: Vec<&str> = copy.verified_report.findings.iter().map(|f| f.id.as_str()).collect();
    assert!(ids.iter().all(|id| ["capture-time", "gps-location", "person-name"].contains(id)), "{ids:?}");
    assert!(copy.kept.contains(&thinktwice::Kept::GpsLocation) && copy.kept.contains(&thinktwice::Kept::CaptureTime));
    let before = thinktwice::check(&original, name, &Default::default());
    let exact = before.location.expect("original has a position");
    let rough = copy.verified_report.location.expect("town kept");
    assert!((rough.lat - exact.lat).abs() <= 0.05 + 1e-9 && (rough.lon - exact.lon).abs() <= 0.05 + 1e-9);
    assert!(((rough.lat * 10.0).round() - rough.lat * 10.0).abs() < 1e-6, "{rough:?}");
    assert!(!ids.contains(&"device-serial") && copy.removed.contains(&thinktwice::FindingId::DeviceSerial));
    if common::exiftool_available() {
        let json = exiftool_json(&copy.bytes, name);
        assert!(json.get("ExifIFD:DateTimeOriginal").is_some(), "{json}");
        assert!(json.get("GPS:GPSLatitude").is_some(), "{json}");
        assert!(json.get("ExifIFD:SerialNumber").is_none() && json.get("IFD1:ThumbnailImage").is_none(), "{json}");
    }
}
