//! The code-built fixtures (tests/fixtures) are real, well-formed files: read
//! them with independent libraries (image decodes the pixels, kamadak-exif reads
//! the EXIF). Keeps wasm/e2e failures about ThinkTwice, not about the fixtures.
#![cfg(not(target_arch = "wasm32"))]

use crate::fixtures;

use std::io::Cursor;

fn exif_of(bytes: &[u8]) -> exif::Exif {
    exif::Reader::new().read_from_container(&mut Cursor::new(bytes)).expect("EXIF readable")
}

fn ascii(exif: &exif::Exif, tag: exif::Tag) -> String {
    let field = exif.get_field(tag, exif::In::PRIMARY).unwrap_or_else(|| panic!("{tag} missing"));
    field.display_value().to_string().trim_matches('"').to_string()
}

#[test]
fn gps_fixture_decodes_and_holds_gps() {
    let bytes = fixtures::gps_jpeg();
    let img = image::load_from_memory(&bytes).expect("decodes");
    assert_eq!((img.width(), img.height()), (64, 48));
    let exif = exif_of(&bytes);
    assert_eq!(ascii(&exif, exif::Tag::Make), "ThinkTwiceCam");
    assert_eq!(ascii(&exif, exif::Tag::GPSLatitudeRef), "N");
    let lat = exif.get_field(exif::Tag::GPSLatitude, exif::In::PRIMARY).expect("GPSLatitude");
    match &lat.value {
        exif::Value::Rational(v) => {
            let deg = v[0].to_f64() + v[1].to_f64() / 60.0 + v[2].to_f64() / 3600.0;
            assert!((deg - fixtures::GPS_LAT).abs() < 1e-9);
        }
        other => panic!("GPSLatitude is {other:?}"),
    }
    assert_eq!(ascii(&exif, exif::Tag::BodySerialNumber), "SN-0042-7788");
}

#[test]
fn xss_fixture_holds_markup_as_artist() {
    let bytes = fixtures::xss_jpeg();
    image::load_from_memory(&bytes).expect("decodes");
    assert_eq!(ascii(&exif_of(&bytes), exif::Tag::Artist), fixtures::XSS);
    let com = fixtures::com(fixtures::XSS);
    assert!(bytes.windows(com.len()).any(|w| w == com.as_slice()), "COM segment present");
}

#[test]
fn garbage_is_not_an_image() {
    assert!(image::load_from_memory(&fixtures::garbage()).is_err());
}
