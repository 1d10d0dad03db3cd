//! Issue #17: findings say only what is true, readably. Each class of mistake
//! has a fixture built here (byte by byte, see `common`) and, where the shared
//! corpus has an example, a check against ExifTool's JSON for that file.
//! Reports are read through their JSON (what every front end sees), so the
//! tests do not depend on how the crate types finding ids.
#![cfg(not(target_arch = "wasm32"))] // native only: reads files, runs the CLI

use crate::common;

use common::{ascii, exif_app1, gps_entries, jpeg_with, png_with, rationals, tiff, xmp_app1, Entry};
use serde_json::Value;
use std::path::PathBuf;
use thinktwice::{check, CheckOptions};

fn report(bytes: &[u8]) -> Value {
    serde_json::to_value(check(bytes, "photo", &CheckOptions::default())).unwrap()
}

fn finding<'r>(r: &'r Value, id: &str) -> Option<&'r Value> {
    r["findings"].as_array().unwrap().iter().find(|f| f["id"] == id)
}

/// `(field, value)` of every evidence row of finding `id`.
fn rows(r: &Value, id: &str) -> Vec<(String, String)> {
    finding(r, id).map_or(vec![], |f| {
        f["evidence"].as_array().unwrap().iter().map(|e| (e["field"].as_str().unwrap().into(), e["value"].as_str().unwrap().into())).collect()
    })
}

fn values(r: &Value, id: &str) -> Vec<String> {
    rows(r, id).into_iter().map(|(_, v)| v).collect()
}

/// A value no person can read: blank, "undef", a hex dump or a raw XMP packet.
fn unreadable(v: &str) -> bool {
    let t = v.trim();
    let mut run = 0;
    let mut hex_dump = false;
    for c in t.chars() {
        if c.is_ascii_hexdigit() {
            run += 1;
            hex_dump |= run >= 64;
        } else if !c.is_ascii_whitespace() {
            run = 0;
        }
    }
    t.is_empty() || t.split_whitespace().any(|w| w == "undef") || hex_dump || t.contains("<x:xmpmeta") || t.contains("<?xpacket") || t.contains("<rdf:")
}

fn all_values(r: &Value) -> Vec<String> {
    let mut out = vec![];
    for f in r["findings"].as_array().unwrap() {
        for e in f["evidence"].as_array().unwrap() {
            out.push(e["value"].as_str().unwrap().to_string());
        }
    }
    out
}

fn bytes_entry(tag: u16, typ: u16, data: &[u8]) -> Entry {
    Entry { tag, typ, count: data.len() as u32, data: data.to_vec() }
}

/// ASCII entry from raw bytes (Latin-1, Windows-1252…), NUL added.
fn ascii_bytes(tag: u16, b: &[u8]) -> Entry {
    bytes_entry(tag, 2, &[b, &[0]].concat())
}

fn jpeg_exif(ifd0: Vec<Entry>, exif: Vec<Entry>, gps: Vec<Entry>) -> Vec<u8> {
    jpeg_with(&[exif_app1(&tiff(ifd0, exif, gps))], 16, 16)
}

/// APP13 Photoshop block with one IPTC resource holding `(dataset, value)` of record 2.
fn iptc_app13(datasets: &[(u8, &str)]) -> (u8, Vec<u8>) {
    let mut iptc = vec![0x1C, 1, 90, 0, 3, 0x1B, b'%', b'G']; // CodedCharacterSet: UTF-8
    for (ds, v) in datasets {
        iptc.extend([0x1C, 2, *ds]);
        iptc.extend((v.len() as u16).to_be_bytes());
        iptc.extend(v.as_bytes());
    }
    let mut p = b"Photoshop 3.0\0".to_vec();
    p.extend(b"8BIM");
    p.extend(0x0404u16.to_be_bytes());
    p.extend([0, 0]); // empty Pascal name, padded
    p.extend((iptc.len() as u32).to_be_bytes());
    p.extend(&iptc);
    if iptc.len() % 2 == 1 {
        p.push(0);
    }
    (0xED, p)
}

/// The formats whose metadata is read (as in tests/corpus.rs); others only get an answer.
const READ_FORMATS: &[&str] = &["JPEG", "PNG", "WEBP", "Extended WEBP", "HEIC", "HEIF", "AVIF", "TIFF", "DNG", "GIF", "MPO"];

fn corpus() -> Option<PathBuf> {
    let dir = common::corpus_part("metadata", "expected.json");
    if dir.is_none() {
        eprintln!("shared corpus not found: corpus half of this test skipped");
    }
    dir
}

fn corpus_file(dir: &PathBuf, name: &str) -> (Vec<u8>, Value) {
    let bytes = std::fs::read(dir.join("files").join(name)).unwrap();
    let json: Value = serde_json::from_slice(&std::fs::read(dir.join("exiftool").join(format!("{name}.json"))).unwrap()).unwrap();
    (bytes, json[0].clone())
}

fn corpus_names(dir: &PathBuf) -> Vec<String> {
    let mut names: Vec<String> =
        std::fs::read_dir(dir.join("files")).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

// ---------------------------------------------------------------- file paths

#[test]
fn file_source_alone_is_no_file_path_but_real_paths_are() {
    // EXIF FileSource is an enum (3 = digital camera).
    let r = report(&jpeg_exif(vec![ascii(0x010F, "Cam")], vec![bytes_entry(0xA300, 7, &[3])], vec![]));
    assert!(finding(&r, "file-path").is_none(), "{:?}", rows(&r, "file-path"));

    let r = report(&jpeg_exif(
        vec![ascii(0x010D, "D:\\scans\\2019\\grandma.tif"), ascii(0x010E, "DCIM\\106FPLAN\\DJI_0012.TIF")],
        vec![bytes_entry(0xA300, 7, &[3])],
        vec![],
    ));
    let paths = rows(&r, "file-path");
    assert!(paths.contains(&("DocumentName".into(), "D:\\scans\\2019\\grandma.tif".into())), "{paths:?}");
    assert!(paths.contains(&("ImageDescription".into(), "DCIM\\106FPLAN\\DJI_0012.TIF".into())), "{paths:?}");
    assert!(paths.iter().all(|(f, _)| f != "FileSource"), "{paths:?}");
}

#[test]
fn corpus_file_source_is_never_a_path() {
    let Some(dir) = corpus() else { return };
    let mut with_source = 0;
    for name in corpus_names(&dir) {
        let (bytes, et) = corpus_file(&dir, &name);
        if et.get("ExifIFD:FileSource").is_none() && et.get("XMP-exif:FileSource").is_none() {
            continue;
        }
        with_source += 1;
        let r = report(&bytes);
        assert!(rows(&r, "file-path").iter().all(|(f, _)| f != "FileSource"), "{name}: {:?}", rows(&r, "file-path"));
    }
    assert!(with_source >= 20, "ExifTool lists FileSource in {with_source} files");
}

// ---------------------------------------------------------------- raw blobs and contact details

#[test]
fn png_dumps_and_timestamps_are_not_contact_details() {
    let hex: String = (0..400u32).map(|i| format!("{:02x}", (i * 37 + 11) as u8)).collect::<Vec<_>>().chunks(36).map(|c| c.concat() + "\n").collect();
    let raw_profile = format!("\nexif\n     400\n{hex}");
    let xmp = "<?xpacket begin=''?><x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'/></x:xmpmeta>";
    let png = png_with(&[
        (b"tEXt", [b"Raw profile type exif\0".as_slice(), raw_profile.as_bytes()].concat()),
        (b"tEXt", [b"date:create\0".as_slice(), b"2019-06-24T10:22:31+02:00"].concat()),
        (b"tEXt", [b"date:modify\0".as_slice(), b"2019-06-24T10:22:31+02:00"].concat()),
        (b"iTXt", [b"XML:com.adobe.xmp\0\0\0\0\0".as_slice(), xmp.as_bytes()].concat()),
    ]);
    let r = report(&png);
    assert!(finding(&r, "contact-info").is_none(), "{:?}", rows(&r, "contact-info"));
    for v in all_values(&r) {
        assert!(!unreadable(&v), "unreadable evidence {v:?}");
    }
}

#[test]
fn supplemental_categories_phone_and_email_are_contact_details() {
    let jpeg = jpeg_with(
        &[iptc_app13(&[(20, "703-614-9154"), (20, "navyvisualnews@navy.mil"), (20, "UNCLASSIFIED")]), xmp_app1(
            "<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>\
             <rdf:Description xmlns:photoshop='http://ns.adobe.com/photoshop/1.0/'><photoshop:SupplementalCategories><rdf:Bag>\
             <rdf:li>+91 98765 43210</rdf:li><rdf:li>desk@example.org</rdf:li></rdf:Bag></photoshop:SupplementalCategories>\
             </rdf:Description></rdf:RDF></x:xmpmeta>",
        )],
        16,
        16,
    );
    let r = report(&jpeg);
    let contact = values(&r, "contact-info").join(" | ");
    for want in ["703-614-9154", "navyvisualnews@navy.mil", "+91 98765 43210", "desk@example.org"] {
        assert!(contact.contains(want), "{want} missing from contact details: {contact}");
    }
    assert!(!contact.contains("UNCLASSIFIED") || contact.contains("@"), "{contact}");
}

#[test]
fn corpus_contact_details_are_real_and_readable() {
    let Some(dir) = corpus() else { return };
    // ExifTool's SupplementalCategories holding a phone number or an e-mail must be shown.
    let mut seen = 0;
    for name in corpus_names(&dir) {
        let (bytes, et) = corpus_file(&dir, &name);
        let r = report(&bytes);
        let contact = values(&r, "contact-info").join(" | ");
        // Only formats whose metadata ThinkTwice reads (JPEG 2000 and JPEG XL are only named).
        let read = !r["error"].is_string() && READ_FORMATS.contains(&r["format"].as_str().unwrap_or(""));
        for (key, v) in et.as_object().unwrap().iter().filter(|_| read) {
            if !key.ends_with(":SupplementalCategories") {
                continue;
            }
            let items: Vec<String> = match v {
                Value::Array(a) => a.iter().map(|x| x.as_str().map_or(x.to_string(), str::to_string)).collect(),
                other => vec![other.as_str().map_or(other.to_string(), str::to_string)],
            };
            for item in items.iter().flat_map(|i| i.split(", ").map(str::to_string).collect::<Vec<_>>()) {
                if item == "703-614-9154" || item.contains('@') {
                    seen += 1;
                    assert!(contact.contains(&item), "{name}: {key} {item} not in contact details: {contact}");
                }
            }
        }
        // No raw blob, "undef" or blank value anywhere, in any corpus file.
        for v in all_values(&r) {
            assert!(!unreadable(&v), "{name}: unreadable evidence {v:?}");
        }
        // The ImageMagick PNG: its hex dumps and dates are no contact details.
        if name == "png_imagemagick_rawprofile_exif_iptc.png" {
            assert!(finding(&r, "contact-info").is_none(), "{name}: {contact}");
        }
    }
    assert!(seen >= 5, "only {seen} SupplementalCategories contacts in the corpus");
}

// ---------------------------------------------------------------- text decoding

#[test]
fn latin1_and_windows_1252_text_is_decoded() {
    let r = report(&jpeg_exif(
        vec![
            ascii_bytes(0x013B, b"Bal\xE1zs Iv\xE1n"),           // Artist, Latin-1
            ascii_bytes(0x010E, b"Anna\x92s \x93best\x94 day"),  // ImageDescription, Windows-1252
            ascii_bytes(0x8298, "© Zoë Müller".as_bytes()),       // Copyright, UTF-8
        ],
        vec![],
        vec![],
    ));
    let names = values(&r, "person-name");
    assert!(names.contains(&"Balázs Iván".to_string()), "{names:?}");
    assert!(names.contains(&"© Zoë Müller".to_string()), "{names:?}");
    assert!(values(&r, "comment").contains(&"Anna’s “best” day".to_string()), "{:?}", values(&r, "comment"));
    assert!(all_values(&r).iter().all(|v| !v.contains('\u{FFFD}')));
}

#[test]
fn corpus_latin1_owner_name_matches_exiftool() {
    let Some(dir) = corpus() else { return };
    let (bytes, et) = corpus_file(&dir, "canon_g11_owner_phone.jpg");
    // ExifTool writes '?' for each byte it cannot show as UTF-8; every other character must match.
    let exiftool = et["Canon:OwnerName"].as_str().unwrap();
    let r = report(&bytes);
    let ours = values(&r, "person-name").into_iter().find(|v| v.ends_with("+36304028290")).expect("owner name shown");
    assert_eq!(ours, "Balázs Iván József +36304028290");
    assert_eq!(ours.chars().count(), exiftool.chars().count());
    for (a, b) in ours.chars().zip(exiftool.chars()) {
        if b == '?' {
            assert!(a.is_alphabetic() && !a.is_ascii(), "{ours} vs {exiftool}");
        } else {
            assert_eq!(a, b, "{ours} vs {exiftool}");
        }
    }
    // The phone number in the owner name is a contact detail.
    assert!(values(&r, "contact-info").iter().any(|v| v.contains("+36304028290")));
}

// ---------------------------------------------------------------- raw values

fn gps_with(extra: Vec<Entry>) -> Vec<Entry> {
    let mut gps = gps_entries(47.6097, -122.3331);
    gps.extend(extra);
    gps.sort_by_key(|e| e.tag);
    gps
}

#[test]
fn gps_time_is_a_clock_time_and_undefined_values_are_left_out() {
    let r = report(&jpeg_exif(vec![], vec![], gps_with(vec![rationals(7, &[(23, 1), (11, 1), (2563, 100)])])));
    assert!(rows(&r, "capture-time").contains(&("GPSTimeStamp".into(), "23:11:25".into())), "{:?}", rows(&r, "capture-time"));
    let r = report(&jpeg_exif(vec![], vec![], gps_with(vec![rationals(7, &[(0, 0), (0, 0), (0, 0)])])));
    assert!(rows(&r, "capture-time").iter().all(|(f, _)| f != "GPSTimeStamp"), "{:?}", rows(&r, "capture-time"));
    assert!(all_values(&r).iter().all(|v| !unreadable(v)), "{:?}", all_values(&r));
}

#[test]
fn corpus_gps_times_match_exiftool() {
    let Some(dir) = corpus() else { return };
    let mut compared = 0;
    for name in corpus_names(&dir) {
        let (bytes, et) = corpus_file(&dir, &name);
        let Some(want) = et.get("GPS:GPSTimeStamp").and_then(Value::as_str) else { continue };
        let Ok(walked) = thinktwice::container::walk(&bytes) else { continue };
        let meta = thinktwice::meta::read(&walked);
        let ours: Vec<&str> = meta.fields.iter().filter(|f| f.group == "GPS" && f.tag == "GPSTimeStamp").map(|f| f.value.as_str()).collect();
        // Whole seconds: ExifTool's "14:38:55.88" is shown as 14:38:55.
        let whole = want.split('.').next().unwrap();
        assert_eq!(ours, vec![whole], "{name}");
        compared += 1;
    }
    assert!(compared >= 15, "only {compared} files with GPSTimeStamp");
}

#[test]
fn empty_location_tags_are_shown_as_empty_not_as_blank_lines() {
    // Latitude and longitude present but empty (0/0 rationals), as some phones write them.
    let gps = vec![
        ascii(1, "N"),
        rationals(2, &[(0, 0), (0, 0), (0, 0)]),
        ascii(3, "E"),
        rationals(4, &[(0, 0), (0, 0), (0, 0)]),
    ];
    let r = report(&jpeg_exif(vec![], vec![], gps));
    let hidden = rows(&r, "gps-hidden");
    assert!(hidden.contains(&("GPSLatitude".into(), "empty".into())), "{hidden:?}");
    assert!(all_values(&r).iter().all(|v| !unreadable(v)), "{:?}", all_values(&r));
}

// ---------------------------------------------------------------- wording

#[test]
fn measurement_void_means_the_camera_never_had_a_fix() {
    let gps = vec![ascii(1, "N"), rationals(2, &[(0, 1), (0, 1), (0, 1)]), ascii(3, "E"), rationals(4, &[(0, 1), (0, 1), (0, 1)]), ascii(9, "V")];
    let r = report(&jpeg_exif(vec![], vec![], gps));
    assert!(finding(&r, "gps-hidden").is_none(), "a camera without a fix did not blank anything out");
    let f = finding(&r, "gps-no-fix").expect("gps-no-fix finding");
    assert!(f["title"].as_str().unwrap().contains("never found"), "{}", f["title"]);
    assert!(!f["title"].as_str().unwrap().contains("blanked"));
    // "A" (a real fix) with zero coordinates is still a blanked-out location.
    let gps = vec![ascii(1, "N"), rationals(2, &[(0, 1), (0, 1), (0, 1)]), ascii(3, "E"), rationals(4, &[(0, 1), (0, 1), (0, 1)]), ascii(9, "A")];
    assert!(finding(&report(&jpeg_exif(vec![], vec![], gps)), "gps-hidden").is_some());
}

#[test]
fn organisation_names_are_not_called_a_person() {
    let r = report(&jpeg_exif(vec![ascii(0x013B, "Navy Visual News Service")], vec![], vec![]));
    let f = finding(&r, "person-name").unwrap();
    assert!(f["title"].as_str().unwrap().contains("person or organisation"), "{}", f["title"]);
    assert!(f["why"].as_str().unwrap().contains("organisation"), "{}", f["why"]);
}

#[test]
fn near_a_place_inside_its_extent_and_a_distance_outside() {
    let Ok(table) = thinktwice::geo::PlaceTable::load_default() else {
        eprintln!("place table not built: skipped (scripts/build-geo.sh)");
        return;
    };
    let options = CheckOptions { places: Some(std::sync::Arc::new(table)) };
    let place_row = |lat: f64, lon: f64| {
        let r = serde_json::to_value(check(&common::camera_jpeg(lat, lon), "p.jpg", &options)).unwrap();
        (r["location"]["place"].clone(), rows(&r, "gps-location").into_iter().find(|(f, _)| f == "Nearest place").unwrap().1)
    };
    // Downtown Seattle, a little over 2 km from GeoNames' point for the city: inside it.
    let (place, words) = place_row(47.6270, -122.3420);
    assert_eq!(place["name"], "Seattle", "{place}");
    assert!(place["distance_km"].as_f64().unwrap() > 1.5, "{place}");
    assert_eq!(place["in_or_near"], true, "{place}");
    assert!(words.starts_with("in or near Seattle"), "{words}");
    // The middle of the Nevada desert: far from any town, so a distance.
    let (place, words) = place_row(40.2, -117.2);
    assert_eq!(place["in_or_near"], false, "{place}");
    assert!(words.starts_with("about ") && words.contains(" km from "), "{words}");
}

// ---------------------------------------------------------------- the command line

fn cli(args: &[&str], env: &[(&str, &str)]) -> (i32, String, String) {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_thinktwice"));
    cmd.args(args).env_remove("NO_COLOR");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
}

/// The shared English catalog, read on its own (not through the crate).
fn catalog_ui(key: &str) -> String {
    let en: Value = serde_json::from_str(include_str!("../../www/i18n/en.json")).unwrap();
    en["ui"][key].as_str().unwrap_or_else(|| panic!("no ui.{key} in en.json")).to_string()
}

fn temp_file(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("tt-truthful-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

#[test]
fn help_and_version_exit_0_and_wrong_options_give_one_line_and_exit_2() {
    for flag in ["--help", "-h"] {
        let (code, out, err) = cli(&[flag], &[]);
        assert_eq!(code, 0, "{flag}: {err}");
        assert!(out.contains("usage: thinktwice check") && out.contains("--no-faces") && out.contains("clean IN [-o OUT]"), "{out}");
    }
    let (code, out, _) = cli(&["check", "--help"], &[]);
    assert_eq!(code, 0);
    assert!(out.contains("usage:"));
    let (code, out, _) = cli(&["--version"], &[]);
    assert_eq!(code, 0);
    assert_eq!(out.trim(), format!("thinktwice {}", env!("CARGO_PKG_VERSION")));
    for args in [vec!["--bogus"], vec!["frobnicate"], vec!["check", "--bogus", "x.jpg"], vec!["clean", "a.jpg", "--nope"], vec!["check"]] {
        let (code, out, err) = cli(&args, &[]);
        assert_eq!(code, 2, "{args:?}");
        assert!(out.is_empty(), "{args:?}: {out}");
        assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: one line wanted, got {err:?}");
    }
}

#[test]
fn summary_keeps_why_advice_and_what_was_and_was_not_checked() {
    let photo = temp_file("found.jpg", &common::camera_jpeg(23.2599, 77.4126));
    let p = photo.to_str().unwrap();
    let (_, json, _) = cli(&["check", "--json", "--no-faces", "--no-codes", p], &[]);
    let report: Value = serde_json::from_str(&json).unwrap();
    let serial = report[0]["findings"].as_array().unwrap().iter().find(|f| f["id"] == "device-serial").unwrap().clone();
    let (code, text, _) = cli(&["check", "--no-faces", "--no-codes", p], &[("TERM", "xterm-256color")]);
    assert_eq!(code, 0);
    assert!(text.contains(serial["title"].as_str().unwrap()), "{text}");
    assert!(text.contains(serial["why"].as_str().unwrap()), "{text}");
    assert!(text.contains(serial["advice"].as_str().unwrap()), "{text}");
    assert!(text.contains("Checked: ") && text.contains("Not checked: "), "{text}");
    // Faces and codes were switched off: the report says they were not looked for.
    let not_checked: Vec<&str> = report[0]["not_checked"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    assert!(not_checked.contains(&catalog_ui("not_checked.faces_off").as_str()), "{not_checked:?}");
    assert!(not_checked.contains(&catalog_ui("not_checked.codes_off").as_str()), "{not_checked:?}");
    assert!(text.contains(&catalog_ui("not_checked.faces_off")));
    // No colour, ever: NO_COLOR holds by construction.
    let (_, coloured, _) = cli(&["check", "--no-faces", "--no-codes", p], &[("NO_COLOR", "1"), ("TERM", "xterm-256color")]);
    assert!(!text.contains('\u{1b}') && !coloured.contains('\u{1b}'));
    assert_eq!(text, coloured);
}

#[test]
fn corpus_undecodable_pictures_say_faces_and_codes_were_not_checked() {
    let Some(dir) = corpus() else { return };
    let line = catalog_ui("not_checked.picture_undecodable");
    for name in ["apple_iphone7_gps.heic", "avif_gps_artist_xmp.avif"] {
        let path = dir.join("files").join(name);
        let (code, json, _) = cli(&["check", "--json", path.to_str().unwrap()], &[]);
        assert_eq!(code, 0);
        let r: Value = serde_json::from_str(&json).unwrap();
        assert!(r[0]["error"].is_null(), "{name}: {}", r[0]["error"]);
        let not_checked: Vec<&str> = r[0]["not_checked"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
        assert!(not_checked.contains(&line.as_str()), "{name}: {not_checked:?}");
        assert!(r[0].get("faces").is_none(), "{name}: faces cannot have been looked for");
    }
    // A JPEG's picture is decoded: nothing of the kind is added.
    let path = dir.join("files").join("canon_g11_owner_phone.jpg");
    let (_, json, _) = cli(&["check", "--json", "--no-codes", path.to_str().unwrap()], &[]);
    let r: Value = serde_json::from_str(&json).unwrap();
    assert!(!r[0]["not_checked"].as_array().unwrap().iter().any(|v| v == &Value::String(line.clone())));
}

// ---------------------------------------------------------------- maker-note serials

#[test]
fn corpus_maker_note_serials_match_exiftool_group_tag_and_value() {
    let Some(dir) = corpus() else { return };
    let expected: Value = serde_json::from_slice(&std::fs::read(dir.join("expected.json")).unwrap()).unwrap();
    let mut compared = 0;
    for (name, facts) in expected.as_object().unwrap() {
        let Some(serials) = facts["serial_numbers"].as_object() else { continue };
        let Ok(bytes) = std::fs::read(dir.join("files").join(name)) else { continue };
        let Ok(walked) = thinktwice::container::walk(&bytes) else { continue };
        let meta = thinktwice::meta::read(&walked);
        for (group_tag, want) in serials {
            let (group, tag) = group_tag.split_once(':').unwrap();
            // Maker-note groups only (EXIF/XMP serials are plain tags, checked in tests/corpus.rs).
            if group.starts_with("XMP") || ["ExifIFD", "IFD0", "FLIR", "Sony", "Nintendo"].contains(&group) {
                continue;
            }
            let want = want.as_str().map_or(want.to_string(), str::to_string);
            let ours: Vec<&str> = meta.fields.iter().filter(|f| f.group == group && f.tag == tag).map(|f| f.value.as_str()).collect();
            assert!(ours.contains(&want.trim()), "{name}: {group_tag} ExifTool {want:?}, ThinkTwice {ours:?}");
            compared += 1;
        }
    }
    assert!(compared >= 12, "only {compared} maker-note serials compared");
}
