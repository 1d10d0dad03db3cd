//! Corpus test for the raster walkers (JPEG/MPO, PNG, WebP, GIF) and the text reader,
//! with ExifTool's output (expected.json, exiftool/<name>.json) as independent truth.
//! Skips (with a message) when the corpus is absent; set THINKTWICE_CORPUS to point at it.
#![cfg(not(target_arch = "wasm32"))] // native only: reads files, runs the CLI

use crate::common;

use std::path::PathBuf;

use serde_json::Value;
use thinktwice::container::{self, BlockKind, Container};

fn corpus_dir() -> Option<PathBuf> {
    common::corpus_part("metadata", "expected.json")
}

fn is_raster(name: &str) -> bool {
    let ext = name.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    matches!(ext.as_str(), "jpg" | "jpeg" | "mpo" | "png" | "webp" | "gif")
}

fn has_kind(c: &Container<'_>, pred: impl Fn(&BlockKind, &[u8]) -> bool) -> bool {
    c.blocks.iter().any(|b| pred(&b.kind, &b.data))
}

fn png_text_keyword_is(kind: &BlockKind, data: &[u8], prefixes: &[&str]) -> bool {
    matches!(kind, BlockKind::PngText { .. }) && prefixes.iter().any(|p| data.starts_with(p.as_bytes()))
}

#[test]
fn raster_corpus_matches_exiftool() {
    let Some(dir) = corpus_dir() else {
        eprintln!("SKIP raster_corpus: corpus not found (set THINKTWICE_CORPUS=/work/shared/corpus)");
        return;
    };
    let expected: Value = serde_json::from_str(&std::fs::read_to_string(dir.join("expected.json")).unwrap()).unwrap();
    let expected = expected.as_object().unwrap();
    let mut failures: Vec<String> = Vec::new();
    let (mut files, mut dims_ok, mut dims_checked, mut keys_checked, mut comments_checked) = (0, 0, 0, 0, 0);
    let started = std::time::Instant::now();
    let mut walk_time = std::time::Duration::ZERO;
    let mut total_bytes = 0usize;
    let mut names: Vec<&String> = expected.keys().filter(|n| is_raster(n)).collect();
    names.sort();
    for name in names {
        let exp = &expected[name.as_str()];
        let bytes = std::fs::read(dir.join("files").join(name)).unwrap();
        files += 1;
        let walked = std::panic::catch_unwind(|| container::walk(&bytes).map(|c| (c.width, c.height)));
        let Ok(walked) = walked else {
            failures.push(format!("{name}: walk panicked"));
            continue;
        };
        let t = std::time::Instant::now();
        let walked_again = container::walk(&bytes);
        walk_time += t.elapsed();
        total_bytes += bytes.len();
        let c = match walked_again {
            Ok(c) => c,
            Err(e) => {
                failures.push(format!("{name}: walk error {e}"));
                continue;
            }
        };
        let _ = walked;
        let meta = match std::panic::catch_unwind(|| thinktwice::meta::read(&c)) {
            Ok(m) => m,
            Err(_) => {
                failures.push(format!("{name}: meta::read panicked"));
                continue;
            }
        };
        let malformed = name.starts_with("malformed_");

        // Stored pixel size.
        if let Some(size) = exp["image_size"].as_array() {
            let want = (size[0].as_u64().map(|v| v as u32), size[1].as_u64().map(|v| v as u32));
            let got = (c.width, c.height);
            if got == want {
                dims_ok += 1;
            } else if !malformed {
                failures.push(format!("{name}: size {got:?}, ExifTool {want:?}"));
            }
            dims_checked += 1;
        }

        // PNG text keywords become PNG fields (XMP and raw profiles go to other readers;
        // a keyword longer than 79 bytes is a damaged chunk, shown as TextualData).
        for key in exp["png_text_keys"].as_array().into_iter().flatten().filter_map(Value::as_str) {
            if key == "XML:com.adobe.xmp" || key.starts_with("Raw profile type") || key.len() > 79 {
                continue;
            }
            keys_checked += 1;
            if !meta.fields.iter().any(|f| f.group == "PNG" && f.tag == key) {
                failures.push(format!("{name}: PNG keyword {key:?} not read"));
            }
        }

        // Comments (JPEG COM and GIF comment extension are File:Comment in ExifTool).
        if let Some(comment) = exp["comments"].get("File:Comment").and_then(Value::as_str) {
            comments_checked += 1;
            let want = comment.trim_matches(|ch: char| ch == '\0' || ch.is_whitespace());
            if !meta.fields.iter().any(|f| f.group == "File" && f.tag == "Comment" && f.value == want) {
                failures.push(format!("{name}: comment {want:?} not read"));
            }
        }
        if let Some(comment) = exp["comments"].get("PNG:Comment").and_then(Value::as_str) {
            comments_checked += 1;
            let want = comment.trim_matches(|ch: char| ch == '\0' || ch.is_whitespace());
            if !meta.fields.iter().any(|f| f.group == "PNG" && f.tag == "Comment" && f.value == want) {
                failures.push(format!("{name}: PNG comment {want:?} not read"));
            }
        }

        // Every metadata family ExifTool saw has a block of that kind.
        let xmp = has_kind(&c, |k, d| {
            matches!(k, BlockKind::Xmp | BlockKind::XmpExtended)
                || png_text_keyword_is(k, d, &["XML:com.adobe.xmp\0", "Raw profile type xmp\0"])
        });
        if exp["has_xmp"] == true && !xmp {
            failures.push(format!("{name}: ExifTool sees XMP, no XMP block"));
        }
        let irb = has_kind(&c, |k, d| {
            matches!(k, BlockKind::PhotoshopIrb) || png_text_keyword_is(k, d, &["Raw profile type 8bim\0"])
        });
        if exp["has_photoshop_irb"] == true && !irb {
            failures.push(format!("{name}: ExifTool sees a Photoshop IRB, no IRB block"));
        }
        let tool: Value = std::fs::read_to_string(dir.join("exiftool").join(format!("{name}.json")))
            .ok()
            .and_then(|s| serde_json::from_str(&s).ok())
            .unwrap_or(Value::Null);
        let tool = tool.get(0).and_then(Value::as_object);
        let tool_has = |prefix: &str| tool.is_some_and(|t| t.keys().any(|k| k.starts_with(prefix)));
        let icc = has_kind(&c, |k, d| {
            matches!(k, BlockKind::Icc)
                || png_text_keyword_is(k, d, &["Raw profile type icc\0", "Raw profile type icm\0"])
        });
        if tool_has("ICC_Profile:") && !icc {
            failures.push(format!("{name}: ExifTool sees an ICC profile, no ICC block"));
        }
        let exif = has_kind(&c, |k, d| {
            matches!(k, BlockKind::Exif)
                || png_text_keyword_is(k, d, &["Raw profile type exif\0", "Raw profile type APP1\0"])
        });
        if tool_has("IFD0:") && !exif {
            failures.push(format!("{name}: ExifTool sees IFD0, no EXIF block"));
        }

        // MPF images stored after EOI show up as trailer JPEGs of ExifTool's size.
        for img in exp["secondary_images"].as_array().into_iter().flatten() {
            let mpf = img["tag"].as_str().is_some_and(|t| t.starts_with("MPImage"));
            if mpf && img["data_present"] == true {
                let bytes = img["bytes"].as_u64().unwrap_or(0) as usize;
                if !meta.hidden_media.iter().any(|e| e.what == "another JPEG image" && e.bytes == bytes) {
                    failures.push(format!("{name}: MPF image of {bytes} bytes not found after EOI"));
                }
            }
        }

        // Spans are inside the file and blocks are in file order without overlap.
        let mut last_end = 0;
        for b in &c.blocks {
            if b.span.start < last_end || b.span.end > bytes.len() || b.span.start >= b.span.end {
                failures.push(format!("{name}: bad span {:?} for {:?}", b.span, b.kind));
            }
            last_end = b.span.end;
        }
        let kinds: Vec<String> = c.blocks.iter().map(|b| format!("{:?}", b.kind)).collect();
        eprintln!(
            "{name}: {:?}x{:?} {} blocks {:?} warnings {:?} hidden {:?}",
            c.width,
            c.height,
            c.blocks.len(),
            kinds,
            c.warnings,
            meta.hidden_media
        );
    }
    eprintln!(
        "raster corpus: walked {} MB in {:?} (whole test {:?})",
        total_bytes / (1024 * 1024),
        walk_time,
        started.elapsed()
    );
    eprintln!(
        "raster corpus: {files} files, sizes {dims_ok}/{dims_checked} equal to ExifTool, {keys_checked} PNG keywords, {comments_checked} comments checked, {} failures",
        failures.len()
    );
    assert!(failures.is_empty(), "failures:\n{}", failures.join("\n"));
}
