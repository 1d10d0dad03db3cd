//! The ThinkTwice command line: argument parsing and printing only; all the
//! work happens in the library.
//!
//!   thinktwice check [--json] [--no-faces] [--no-codes] FILE...
//!   thinktwice clean IN -o OUT [--keep-date] [--town-only] [--keep-author] [--cover x,y,w,h]... [--solid]
//!   thinktwice fields FILE      (every value read, ExifTool-style names; for developers)

use std::process::ExitCode;
use thinktwice::{check, clean, CheckOptions, CleanOptions, CoverBox, CoverStyle, Report};

const USAGE: &str = "usage: thinktwice check [--json] [--no-faces] [--no-codes] FILE...
       thinktwice clean IN -o OUT [--keep-date] [--town-only] [--keep-author] [--cover x,y,w,h]... [--solid]";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("check") => run_check(&args[1..]),
        Some("clean") => run_clean(&args[1..]),
        Some("fields") if args.len() == 2 => print_fields(&args[1]),
        Some("--help") | Some("-h") => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn run_check(args: &[String]) -> ExitCode {
    let mut json = false;
    let mut faces = cfg!(feature = "faces");
    let mut codes = cfg!(feature = "codes");
    let mut files = Vec::new();
    let mut options = CheckOptions::default();
    for arg in args {
        match arg.as_str() {
            "--json" => json = true,
            "--no-faces" => faces = false,
            "--no-codes" => codes = false,
            a if a.starts_with("--") => {
                eprintln!("unknown option {a}\n{USAGE}");
                return ExitCode::from(2);
            }
            _ => files.push(arg.clone()),
        }
    }
    if files.is_empty() {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    }
    let mut places_tried = false;
    let mut reports = Vec::new();
    for path in &files {
        let (name, bytes) = read_file(path);
        let mut report = report_for(&name, &bytes, &options);
        // The place table is loaded only once a photo has coordinates; that photo is
        // then checked again with it (a few milliseconds), so its report is built in one pass.
        if report.location.is_some() && !places_tried {
            places_tried = true;
            match thinktwice::geo::PlaceTable::load_default() {
                Ok(table) => {
                    options.places = Some(std::sync::Arc::new(table));
                    report = report_for(&name, &bytes, &options);
                }
                Err(e) => eprintln!("note: place names unavailable ({e}); run scripts/build-geo.sh"),
            }
        }
        if let (Ok(bytes), None) = (&bytes, &report.error) {
            if faces {
                add_detected_faces(bytes, &mut report);
            }
            if codes {
                add_codes(bytes, &mut report);
            }
        }
        reports.push(report);
    }
    if json {
        println!("{}", serde_json::to_string_pretty(&reports).unwrap_or_else(|_| "[]".into()));
    } else {
        reports.iter().for_each(print_summary);
    }
    ExitCode::SUCCESS
}

/// Makes a safer copy of one file and says what was removed and what was kept.
fn run_clean(args: &[String]) -> ExitCode {
    let mut options = CleanOptions::default();
    let mut cover_faces = false;
    let (mut input, mut output) = (None, None);
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "-o" => output = it.next().cloned(),
            "--keep-date" => options.keep_date = true,
            "--town-only" => options.town_only = true,
            "--keep-author" => options.keep_author = true,
            "--solid" => options.cover_style = CoverStyle::Solid,
            "--cover" => match it.next().and_then(|b| parse_box(b)) {
                Some(b) => options.cover.push(b),
                None => {
                    eprintln!("--cover needs x,y,w,h in pixels, e.g. --cover 120,80,64,64");
                    return ExitCode::from(2);
                }
            },
            "--cover-faces" => cover_faces = true,
            a if a.starts_with('-') => {
                eprintln!("unknown option {a}\n{USAGE}");
                return ExitCode::from(2);
            }
            _ if input.is_none() => input = Some(arg.clone()),
            _ => {
                eprintln!("{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    let (Some(input), Some(output)) = (input, output) else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let bytes = match std::fs::read(&input) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("Could not open {input}: {e}");
            return ExitCode::from(1);
        }
    };
    if cover_faces {
        let size = check(&bytes, &input, &CheckOptions::default()).image;
        match detect_faces(&bytes) {
            Ok(found) => options.cover.extend(found.iter().filter_map(|f| face_box(f, size))),
            Err(e) => {
                eprintln!("Could not look for faces: {e}");
                return ExitCode::from(1);
            }
        }
    }
    let cleaned = match clean(&bytes, &options) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("No safer copy made: {e}");
            return ExitCode::from(1);
        }
    };
    if let Err(e) = std::fs::write(&output, &cleaned.bytes) {
        eprintln!("Could not write {output}: {e}");
        return ExitCode::from(1);
    }
    let how = if cleaned.lossless { "picture unchanged" } else { "picture encoded again" };
    println!(
        "Saved a safer copy to {output} ({}, {how}, {} bytes; was {}).",
        cleaned.format.name(),
        cleaned.bytes.len(),
        bytes.len()
    );
    println!("  Removed: {}", list_or_nothing(&cleaned.removed));
    println!("  Kept: {}", list_or_nothing(&cleaned.kept));
    if cleaned.kept.contains(&thinktwice::Kept::CameraPreview) {
        println!("  This is the camera's own finished picture from the raw file, as a JPEG; the raw sensor data is left out.");
    }
    ExitCode::SUCCESS
}

fn list_or_nothing<T: std::fmt::Display>(items: &[T]) -> String {
    if items.is_empty() {
        "nothing".into()
    } else {
        items.iter().map(T::to_string).collect::<Vec<_>>().join(", ")
    }
}

/// "x,y,w,h" in whole pixels.
fn parse_box(s: &str) -> Option<CoverBox> {
    let v: Vec<u32> = s.split(',').map(|p| p.trim().parse().ok()).collect::<Option<_>>()?;
    match v[..] {
        [x, y, w, h] if w > 0 && h > 0 => Some(CoverBox { x, y, w, h }),
        _ => None,
    }
}

/// Runs the face detector on the file and adds what it finds to the report.
/// A photo the detector cannot decode (e.g. HEIC) keeps its metadata report.
fn add_detected_faces(bytes: &[u8], report: &mut Report) {
    match detect_faces(bytes) {
        Ok(found) => thinktwice::add_faces(report, found),
        Err(e) => eprintln!("note: faces not checked in {}: {e}", report.file),
    }
}

#[cfg(feature = "faces")]
fn detect_faces(bytes: &[u8]) -> Result<Vec<thinktwice::Face>, String> {
    thinktwice::faces::detect_in_file(bytes)
}

#[cfg(not(feature = "faces"))]
fn detect_faces(_bytes: &[u8]) -> Result<Vec<thinktwice::Face>, String> {
    Err("this build has no face detector".into())
}

/// A detected face as a cover box, grown by the core's face margin so hair and chin are covered too.
fn face_box(f: &thinktwice::Face, size: Option<thinktwice::ImageSize>) -> Option<CoverBox> {
    thinktwice::clean::grown_box(f.x, f.y, f.w, f.h, thinktwice::clean::FACE_MARGIN, size)
}

/// Reads one file once: its display name and its bytes (or why it could not be opened).
fn read_file(path: &str) -> (String, Result<Vec<u8>, String>) {
    let name = std::path::Path::new(path).file_name().map(|n| n.to_string_lossy().into_owned());
    let name = name.unwrap_or_else(|| path.to_string());
    (name, std::fs::read(path).map_err(|e| format!("Could not open this file: {e}")))
}

/// Checks one file's bytes; a file that could not be read becomes a report with `error` set.
fn report_for(name: &str, bytes: &Result<Vec<u8>, String>, options: &CheckOptions) -> Report {
    match bytes {
        Ok(bytes) => check(bytes, name, options),
        Err(e) => {
            let mut report = check(&[], name, options);
            report.error = Some(e.clone());
            report.error_kind = Some(thinktwice::ErrorKind::CouldNotOpen);
            report
        }
    }
}

/// Reads the codes (QR, bar codes...) in the pixels and adds one finding per code.
#[cfg(feature = "codes")]
fn add_codes(bytes: &[u8], report: &mut Report) {
    match thinktwice::codes::find_in_file(bytes) {
        Ok(found) => thinktwice::add_codes(report, found),
        Err(e) => eprintln!("note: codes not read in {}: {e}", report.file),
    }
}

#[cfg(not(feature = "codes"))]
fn add_codes(_bytes: &[u8], _report: &mut Report) {}

fn print_summary(r: &Report) {
    println!("{} ({})", r.file, r.format);
    if let Some(err) = &r.error {
        println!("  Could not check: {err}\n");
        return;
    }
    if let Some(img) = r.image {
        println!("  {} × {} pixels", img.width, img.height);
    }
    if let Some(faces) = &r.faces {
        println!("  Faces seen: {}", faces.len());
    }
    if let Some(loc) = &r.location {
        println!("  Location: {:.6}, {:.6} (from {})", loc.lat, loc.lon, loc.source);
        if let Some(p) = &loc.place {
            println!("  About {:.1} km from {}, {}, {}", p.distance_km, p.name, p.admin1, p.country_code);
        }
    }
    if r.findings.is_empty() {
        println!("  No hidden details found.\n  Checked: {}", r.checked.join("; "));
        println!("  Not checked: {}", r.not_checked.join("; "));
    }
    for f in &r.findings {
        println!("  [{:?}] {}", f.severity, f.title);
        for e in f.evidence.iter().take(5) {
            println!("      {} {}: {}", e.source, e.field, e.value);
        }
        if f.evidence.len() > 5 {
            println!("      … and {} more", f.evidence.len() - 5);
        }
    }
    println!();
}

/// Prints every value the readers found, as `Group:Tag = value`.
fn print_fields(path: &str) -> ExitCode {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("Could not open {path}: {e}");
            return ExitCode::from(1);
        }
    };
    match thinktwice::container::walk(&bytes) {
        Ok(container) => {
            let meta = thinktwice::meta::read(&container);
            for f in &meta.fields {
                println!("{}:{} = {}", f.group, f.tag, f.value);
            }
            for p in &meta.positions {
                println!("position {:.7}, {:.7} ({})", p.lat, p.lon, p.source);
            }
            for t in meta.thumbnails.iter().chain(&meta.hidden_media) {
                println!("embedded {} — {} ({} bytes)", t.source, t.what, t.bytes);
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(1)
        }
    }
}
