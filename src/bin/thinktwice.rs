//! The ThinkTwice command line: argument parsing and printing only; all the
//! work happens in the library.
//!
//!   thinktwice check [--json] [--no-faces] [--no-codes] FILE...
//!   thinktwice clean IN [-o OUT] [--keep-date] [--town-only] [--keep-author] [--no-colour-profile] [--cover x,y,w,h]... [--solid]
//!   thinktwice fields FILE      (every value read, ExifTool-style names; for developers)
//!   thinktwice --help | -h | --version | -V
//!
//! Conventions: help and version go to stdout and exit 0; a wrong command or
//! option is one line on stderr and exit 2; a file that cannot be checked is
//! a report with `error`, not a failure. No colour is ever printed, so
//! `NO_COLOR` is respected by construction (a test holds this).

use std::process::ExitCode;
use thinktwice::findings::{add_picture_not_checked, PictureSkipped};
use thinktwice::{check, clean, CheckOptions, CleanOptions, CoverBox, CoverStyle, Report};

const USAGE: &str = "usage: thinktwice check [--json] [--no-faces] [--no-codes] FILE...
       thinktwice clean IN [-o OUT] [--keep-date] [--town-only] [--keep-author] [--no-colour-profile] [--cover x,y,w,h]... [--cover-faces] [--keep-id-codes] [--solid]
       thinktwice fields FILE
       thinktwice --help | --version";

const HELP: &str = "ThinkTwice checks a photo on your own computer and says, in plain words, what it gives away
(where it was taken, who took it and with what, when, who is in it, and what is hidden in the file),
then makes a safer copy. Nothing is sent anywhere.

Commands:
  check FILE...       Check photos and print what each one gives away.
      --json          Print the reports as JSON (one array, in argument order).
      --no-faces      Do not look for faces in the picture.
      --no-codes      Do not look for QR codes and bar codes in the picture.
  clean IN [-o OUT]   Write a safer copy of IN to OUT (IN is never changed). Without -o, the copy
                      gets a neutral name beside IN that does not repeat dates or numbers.
      --keep-date     Keep the date and time the photo was taken.
      --town-only     Keep the location, rounded to the nearest town.
      --keep-author   Keep the author and copyright names.
      --no-colour-profile  Leave out the colour profile (colours may look a little different).
      --cover x,y,w,h Cover a box of the picture (pixels); may be given more than once.
      --cover-faces   Cover every face the detector finds.
      --keep-id-codes Do not cover the codes of ID cards (Aadhaar QR…) found in the picture.
      --solid         Cover with a solid colour instead of a blur.
  fields FILE         List every metadata value read (ExifTool-style names; for developers).

Options:
  -h, --help          Show this help.
  -V, --version       Show the version.

Exit status: 0 when done (a file that cannot be checked is reported, not an error),
1 when a safer copy could not be made, 2 for a wrong command or option.";

/// A wrong command line: one line on stderr, exit status 2.
fn usage_error(message: &str) -> ExitCode {
    eprintln!("thinktwice: {message} (see 'thinktwice --help')");
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // Help and version win wherever they are, as most tools do.
    if args.iter().any(|a| a == "--help" || a == "-h") || args.first().map(String::as_str) == Some("help") {
        println!("{HELP}\n\n{USAGE}");
        return ExitCode::SUCCESS;
    }
    if args.iter().any(|a| a == "--version" || a == "-V") {
        println!("thinktwice {}", env!("CARGO_PKG_VERSION"));
        return ExitCode::SUCCESS;
    }
    match args.first().map(String::as_str) {
        Some("check") => run_check(&args[1..]),
        Some("clean") => run_clean(&args[1..]),
        Some("fields") if args.len() == 2 => print_fields(&args[1]),
        Some("fields") => usage_error("fields takes exactly one FILE"),
        Some(a) if a.starts_with('-') => usage_error(&format!("unknown option '{a}'")),
        Some(a) => usage_error(&format!("unknown command '{a}'")),
        None => {
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
            a if a.starts_with('-') && a != "-" => return usage_error(&format!("unknown option '{a}' for check")),
            _ => files.push(arg.clone()),
        }
    }
    if files.is_empty() {
        return usage_error("check needs at least one FILE");
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
            } else {
                add_picture_not_checked(&mut report.not_checked, PictureSkipped::FacesOff);
            }
            if codes {
                add_codes(bytes, &mut report);
            } else {
                add_picture_not_checked(&mut report.not_checked, PictureSkipped::CodesOff);
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
    let mut keep_id_codes = false;
    let (mut input, mut output) = (None, None);
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "-o" => output = it.next().cloned(),
            "--keep-date" => options.keep_date = true,
            "--town-only" => options.town_only = true,
            "--keep-author" => options.keep_author = true,
            "--no-colour-profile" => options.keep_colour_profile = false,
            "--solid" => options.cover_style = CoverStyle::Solid,
            "--cover" => match it.next().and_then(|b| parse_box(b)) {
                Some(b) => options.cover.push(b),
                None => {
                    eprintln!("--cover needs x,y,w,h in pixels, e.g. --cover 120,80,64,64");
                    return ExitCode::from(2);
                }
            },
            "--cover-faces" => cover_faces = true,
            "--keep-id-codes" => keep_id_codes = true,
            a if a.starts_with('-') => return usage_error(&format!("unknown option '{a}' for clean")),
            _ if input.is_none() => input = Some(arg.clone()),
            _ => return usage_error("clean takes one input file"),
        }
    }
    let Some(input) = input else {
        return usage_error("clean needs an input file");
    };
    let bytes = match std::fs::read(&input) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("Could not open {input}: {e}");
            return ExitCode::from(1);
        }
    };
    if cover_faces {
        // The picture's upright size, so the grown boxes stay inside it (same rule as the page: covers.rs).
        let size = check(&bytes, "", &CheckOptions::default()).image;
        match (detect_faces(&bytes), size) {
            (Ok(found), Some(size)) => {
                options.cover.extend(found.iter().filter_map(|f| thinktwice::covers::face_box(f, size.width, size.height)))
            }
            (Ok(_), None) => {
                eprintln!("Could not look for faces: the picture's size is unknown");
                return ExitCode::from(1);
            }
            (Err(e), _) => {
                eprintln!("Could not look for faces: {e}");
                return ExitCode::from(1);
            }
        }
    }
    if !keep_id_codes {
        options.cover.extend(id_card_covers(&bytes));
    }
    let cleaned = match clean(&bytes, &options) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("No safer copy made: {e}");
            return ExitCode::from(1);
        }
    };
    if !keep_id_codes && id_card_still_readable(&cleaned.bytes) {
        eprintln!("No safer copy made: an ID card's code could still be read in the copy. Crop the card out of the photo instead.");
        return ExitCode::from(1);
    }
    // Without -o: beside the original, under a name that does not repeat its date or number.
    let chosen_name = output.clone();
    let output = output.unwrap_or_else(|| {
        let name = thinktwice::safer_copy_name(&input, cleaned.format.extension().unwrap_or("jpg"));
        let folder = std::path::Path::new(&input).parent().unwrap_or(std::path::Path::new(""));
        folder.join(name).to_string_lossy().into_owned()
    });
    if chosen_name.is_none() && std::path::Path::new(&output).exists() {
        eprintln!("Did not save: {output} already exists. Choose a name with -o.");
        return ExitCode::from(1);
    }
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
    if cleaned.unread_bytes_removed > 0 {
        println!("  Left out {} bytes ThinkTwice could not read (hidden or unknown parts of the file).", cleaned.unread_bytes_removed);
    }
    println!("  Kept: {}", list_or_nothing(&cleaned.kept));
    if cleaned.kept.contains(&thinktwice::Kept::ColourProfile) {
        println!("  Colour profile: kept the colours, removed its name and date.");
    }
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
/// A photo the detector cannot decode (e.g. HEIC) keeps its metadata report,
/// and the report's `not_checked` says the faces were not looked for.
fn add_detected_faces(bytes: &[u8], report: &mut Report) {
    match detect_faces(bytes) {
        Ok(found) => thinktwice::add_faces(report, found),
        Err(e) => {
            eprintln!("note: faces not checked in {}: {e}", report.file);
            add_picture_not_checked(&mut report.not_checked, why_picture_skipped(bytes, PictureSkipped::FacesOff));
        }
    }
}

/// Why a picture check failed: the picture cannot be decoded here (HEIC, AVIF,
/// damaged pixels), or something else (no face model), which is `otherwise`.
fn why_picture_skipped(bytes: &[u8], otherwise: PictureSkipped) -> PictureSkipped {
    let decodable = image::ImageReader::new(std::io::Cursor::new(bytes))
        .with_guessed_format()
        .ok()
        .and_then(|r| r.into_dimensions().ok())
        .is_some();
    if decodable { otherwise } else { PictureSkipped::Undecodable }
}

#[cfg(feature = "faces")]
fn detect_faces(bytes: &[u8]) -> Result<Vec<thinktwice::Face>, String> {
    thinktwice::faces::detect_in_file(bytes)
}

#[cfg(not(feature = "faces"))]
fn detect_faces(_bytes: &[u8]) -> Result<Vec<thinktwice::Face>, String> {
    Err("this build has no face detector".into())
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

/// Cover boxes for the identity-card codes (Aadhaar, PAN) in a photo: they are covered
/// by default. A picture that cannot be decoded has none to cover.
#[cfg(feature = "codes")]
fn id_card_covers(bytes: &[u8]) -> Vec<CoverBox> {
    match thinktwice::codes::id_cards_in_file(bytes) {
        Ok((cards, w, h)) => cards.iter().filter_map(|c| thinktwice::covers::code_box(c, w, h)).collect(),
        Err(_) => Vec::new(),
    }
}

#[cfg(not(feature = "codes"))]
fn id_card_covers(_bytes: &[u8]) -> Vec<CoverBox> {
    Vec::new()
}

/// The re-check of a copy: is an identity card's code still readable in it?
#[cfg(feature = "codes")]
fn id_card_still_readable(copy: &[u8]) -> bool {
    thinktwice::codes::id_cards_in_file(copy).is_ok_and(|(cards, _, _)| !cards.is_empty())
}

#[cfg(not(feature = "codes"))]
fn id_card_still_readable(_copy: &[u8]) -> bool {
    false
}

/// Reads the codes (QR, bar codes...) in the pixels and adds one finding per code.
#[cfg(feature = "codes")]
fn add_codes(bytes: &[u8], report: &mut Report) {
    match thinktwice::codes::find_in_file(bytes) {
        Ok(found) => thinktwice::add_codes(report, found),
        Err(e) => {
            eprintln!("note: codes not read in {}: {e}", report.file);
            add_picture_not_checked(&mut report.not_checked, why_picture_skipped(bytes, PictureSkipped::CodesOff));
        }
    }
}

#[cfg(not(feature = "codes"))]
fn add_codes(_bytes: &[u8], report: &mut Report) {
    add_picture_not_checked(&mut report.not_checked, PictureSkipped::CodesOff);
}

/// The readable summary: what was found (with why it matters and what to do),
/// then always what was checked and what was not.
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
            println!("  {}", thinktwice::geo::place_sentence(p));
        }
    }
    if r.findings.is_empty() {
        println!("  No hidden details found.");
    }
    for f in &r.findings {
        println!("  [{:?}] {}", f.severity, f.title);
        for e in f.evidence.iter().take(5) {
            // One line per row, even for a value with line breaks in it.
            println!("      {} {}: {}", e.source, e.field, e.value.split_whitespace().collect::<Vec<_>>().join(" "));
        }
        if f.evidence.len() > 5 {
            println!("      … and {} more", f.evidence.len() - 5);
        }
        println!("      Why it matters: {}", f.why);
        println!("      What to do: {}", f.advice);
    }
    println!("  Checked: {}", r.checked.join("; "));
    println!("  Not checked: {}", r.not_checked.join("; "));
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
