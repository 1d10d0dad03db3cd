//! Mutation test: at least 10,000 deterministic broken variants of the
//! fixtures (and of the shared corpus when present). Every one must give a
//! report or a plain error, quickly, without panicking.
#![cfg(not(target_arch = "wasm32"))] // native only: reads files, runs the CLI

use crate::common;
use std::time::{Duration, Instant};
use thinktwice::{check, CheckOptions};

use common::Rng;

/// Seeds: the project's own fixtures, plus hostile hand-made structures.
fn seeds() -> Vec<(String, Vec<u8>)> {
    let mut s = vec![
        ("camera.jpg".to_string(), common::camera_jpeg(23.2599, 77.4126)),
        ("xmp.jpg".into(), common::jpeg_with(&[common::xmp_app1(XMP), common::com("hello")], 8, 8)),
        ("text.png".into(), common::png_with(&[(b"tEXt", b"Author\0Asha".to_vec()), (b"eXIf", exif_tiff())])),
        ("ifd-loop.tif".into(), ifd_loop()),
        ("huge-count.tif".into(), huge_count()),
        ("nested.heic".into(), nested_boxes(200)),
        ("ztxt-bomb.png".into(), ztxt_bomb()),
        ("huge-dims.png".into(), huge_png()),
        ("huge-dims.jpg".into(), huge_jpeg()),
    ];
    if let Some(dir) = corpus_files() {
        let mut paths: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
        paths.sort();
        for p in paths {
            let bytes = std::fs::read(&p).unwrap();
            // Headers are where parsers live; keep big files' first 256 KiB plus their tail.
            let bytes = if bytes.len() > 512 * 1024 {
                [&bytes[..256 * 1024], &bytes[bytes.len() - 64 * 1024..]].concat()
            } else {
                bytes
            };
            s.push((p.file_name().unwrap().to_string_lossy().into_owned(), bytes));
        }
    } else {
        eprintln!("note: ../shared/corpus not found; mutating the project's own fixtures only");
    }
    s
}

fn corpus_files() -> Option<std::path::PathBuf> {
    common::corpus_part("metadata/files", "")
}

const XMP: &str = r#"<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="23,15.594N" exif:GPSLongitude="77,24.756E"><dc:creator><rdf:Seq><rdf:li>Asha</rdf:li></rdf:Seq></dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>"#;

fn exif_tiff() -> Vec<u8> {
    common::tiff(vec![common::ascii(0x013B, "Asha")], vec![], common::gps_entries(10.0, 20.0))
}

/// IFD0 whose "next IFD" pointer points back at itself.
fn ifd_loop() -> Vec<u8> {
    let mut t = b"MM\0*\0\0\0\x08".to_vec();
    t.extend_from_slice(&1u16.to_be_bytes());
    t.extend_from_slice(&[0x01, 0x0F, 0, 2, 0, 0, 0, 4, b'A', b'B', b'C', 0]);
    t.extend_from_slice(&8u32.to_be_bytes());
    t
}

/// An IFD claiming 65535 entries in a tiny file.
fn huge_count() -> Vec<u8> {
    let mut t = b"II*\0\x08\0\0\0".to_vec();
    t.extend_from_slice(&0xFFFFu16.to_le_bytes());
    t.extend_from_slice(&[0; 24]);
    t
}

/// An ISO-BMFF file with `depth` nested boxes.
fn nested_boxes(depth: usize) -> Vec<u8> {
    let mut inner = Vec::new();
    for _ in 0..depth {
        let mut b = ((inner.len() + 8) as u32).to_be_bytes().to_vec();
        b.extend_from_slice(b"meta");
        b.extend_from_slice(&inner);
        inner = b;
    }
    let mut f = vec![0, 0, 0, 16];
    f.extend_from_slice(b"ftypheic\0\0\0\0");
    f.extend_from_slice(&inner);
    f
}

/// A zTXt chunk that inflates to 64 MB of zeros.
fn ztxt_bomb() -> Vec<u8> {
    let zeros = vec![0u8; 64 * 1024 * 1024];
    let mut data = b"Comment\0\0".to_vec();
    data.extend_from_slice(&miniz_oxide::deflate::compress_to_vec_zlib(&zeros, 9));
    common::png_with(&[(b"zTXt", data)])
}

fn huge_png() -> Vec<u8> {
    let mut p = common::png_with(&[]);
    p[16..20].copy_from_slice(&65535u32.to_be_bytes());
    p[20..24].copy_from_slice(&65535u32.to_be_bytes());
    p
}

fn huge_jpeg() -> Vec<u8> {
    let mut j = common::base_jpeg(8, 8);
    if let Some(i) = j.windows(2).position(|w| w == [0xFF, 0xC0]) {
        j[i + 5..i + 9].copy_from_slice(&[0xFF, 0xFF, 0xFF, 0xFF]);
    }
    j
}

/// One broken variant of `seed`, chosen by `kind`.
fn mutate(seed: &[u8], kind: usize, rng: &mut Rng) -> Vec<u8> {
    let mut v = seed.to_vec();
    let head = v.len().min(64 * 1024);
    match kind % 6 {
        0 => v.truncate(rng.below(v.len() + 1)),
        1 => {
            for _ in 0..1 + rng.below(8) {
                let i = rng.below(head);
                if i < v.len() {
                    v[i] ^= 1 << rng.below(8);
                }
            }
        }
        2 => {
            // Corrupt what may be a length or offset field with an extreme value.
            let i = rng.below(head.saturating_sub(4));
            let value: [u8; 4] = match rng.below(4) {
                0 => [0xFF; 4],
                1 => [0; 4],
                2 => [0x7F, 0xFF, 0xFF, 0xFF],
                _ => (rng.next() as u32).to_be_bytes(),
            };
            if i + 4 <= v.len() {
                v[i..i + 4].copy_from_slice(&value);
            }
        }
        3 => {
            // Replace a run with random bytes.
            let i = rng.below(head);
            for j in i..(i + 1 + rng.below(64)).min(v.len()) {
                v[j] = rng.next() as u8;
            }
        }
        4 => {
            // Duplicate a slice (repeated segments, boxes or chunks).
            let i = rng.below(head);
            let end = (i + 1 + rng.below(512)).min(v.len());
            let copy = v[i..end].to_vec();
            let at = rng.below(v.len() + 1);
            v.splice(at..at, copy);
        }
        _ => {
            // Cut a hole out of the middle.
            let i = rng.below(v.len());
            let end = (i + 1 + rng.below(4096)).min(v.len());
            v.drain(i..end);
        }
    }
    v
}

#[test]
fn ten_thousand_broken_files_get_an_answer() {
    let seeds = seeds();
    let target = 10_000usize;
    let per_seed = target.div_ceil(seeds.len());
    let mut rng = Rng(0x5EED_1234_ABCD_0001);
    let (mut tried, mut errors) = (0usize, 0usize);
    let mut slowest = (Duration::ZERO, String::new());
    let options = CheckOptions::default();
    let started = Instant::now();
    for (name, seed) in &seeds {
        // The seed itself first, then its variants.
        for k in 0..=per_seed {
            let variant = if k == 0 { seed.clone() } else { mutate(seed, k, &mut rng) };
            let t0 = Instant::now();
            let result = std::panic::catch_unwind(|| check(&variant, name, &options));
            let took = t0.elapsed();
            let report = result.unwrap_or_else(|_| {
                let path = std::env::temp_dir().join(format!("thinktwice-panic-{name}-{k}"));
                std::fs::write(&path, &variant).unwrap();
                panic!("check panicked on variant {k} of {name}; saved to {}", path.display())
            });
            errors += report.error.is_some() as usize;
            if took > slowest.0 {
                slowest = (took, format!("{name} variant {k} ({} bytes)", variant.len()));
            }
            tried += 1;
        }
    }
    println!(
        "mutation: {tried} files tried in {:.1} s, {errors} answered with an error, slowest {:.1} ms: {}",
        started.elapsed().as_secs_f64(),
        slowest.0.as_secs_f64() * 1000.0,
        slowest.1
    );
    assert!(tried >= target, "only {tried} variants");
    assert!(slowest.0 < Duration::from_secs(1), "slowest file took {:?}: {}", slowest.0, slowest.1);
}
