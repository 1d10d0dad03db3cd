//! Indian ID cards in photos (issue #20), against independent truth: UIDAI's own
//! Secure QR test payload (`../shared/corpus/ids/uidai_secure_qr_sample.txt`, a
//! fictional person) rendered into a QR code at test time, pasted into photos at
//! several sizes and slight rotations; an old printed-letter XML QR with a
//! fictional Verhoeff-valid number; numbers typed into metadata. Each must be
//! recognised, reported masked (no name, birth date, PIN code or full number
//! anywhere in the report JSON), and covered in the safer copy so that no card
//! code can be read in it. Negatives: other long numeric codes and 12-digit
//! numbers that fail the check digit are not called Aadhaar.
#![cfg(all(feature = "codes", not(target_arch = "wasm32")))]

use crate::common;

use image::{codecs::jpeg::JpegEncoder, RgbImage};
use rxing::{BarcodeFormat, EncodeHints, MultiFormatWriter, Writer};
use std::process::Command;
use thinktwice::codes::{find_codes_with_texts, find_in_file, id_cards_in_file};
use thinktwice::{CodeKind, Report};

/// What the sample payload holds in clear: none of it may appear in a report.
const SAMPLE_SECRETS: &[&str] = &["Sumit", "Kumar", "01-01-1984", "110051", "Ishwar", "B-31", "Radhey", "20190308114407"];

fn uidai_sample() -> Option<String> {
    let dir = common::corpus_part("ids", "uidai_secure_qr_sample.txt")?;
    Some(std::fs::read_to_string(dir.join("uidai_secure_qr_sample.txt")).ok()?.trim().to_string())
}

/// A fictional Aadhaar number: 11 digits and their Verhoeff check digit.
fn fictional_aadhaar() -> String {
    let first11 = "73429105862";
    format!("{first11}{}", verhoeff::calculate(first11))
}

/// QR modules (true = dark) with a 4-module quiet zone, at error-correction level `ec`.
fn qr_modules(text: &str, ec: &str) -> (Vec<bool>, usize) {
    let hints = EncodeHints { Margin: Some("4".into()), ErrorCorrection: Some(ec.into()), ..Default::default() };
    let m = MultiFormatWriter.encode_with_hints(text, &BarcodeFormat::QR_CODE, 1, 1, &hints).expect("encodes");
    let n = m.width() as usize;
    ((0..n * n).map(|i| m.get((i % n) as u32, (i / n) as u32)).collect(), n)
}

/// A photo-like picture (soft gradient and noise) with the QR drawn at `module_px`
/// pixels a module, turned by `degrees`, saved as a JPEG of quality 92.
fn photo_with_qr(text: &str, ec: &str, module_px: f64, degrees: f64) -> Vec<u8> {
    let (dark, n) = qr_modules(text, ec);
    let side = n as f64 * module_px;
    let size = (side * 1.6) as u32 + 40;
    let (w, h) = (size + 160, size);
    let (cx, cy) = (w as f64 / 2.0, h as f64 / 2.0);
    let (sin, cos) = degrees.to_radians().sin_cos();
    let mut noise = common::Rng(0x5EED_1D);
    let img = RgbImage::from_fn(w, h, |x, y| {
        let base = [90.0 + 60.0 * x as f64 / w as f64, 120.0, 150.0 - 50.0 * y as f64 / h as f64];
        // Where this pixel falls on the (unturned) code, 2×2 supersampled.
        let mut ink = 0.0;
        let mut covered = 0;
        for (sx, sy) in [(0.25, 0.25), (0.75, 0.25), (0.25, 0.75), (0.75, 0.75)] {
            let (px, py) = (x as f64 + sx - cx, y as f64 + sy - cy);
            let (u, v) = (px * cos + py * sin + side / 2.0, -px * sin + py * cos + side / 2.0);
            if (0.0..side).contains(&u) && (0.0..side).contains(&v) {
                covered += 1;
                let (mx, my) = ((u / module_px) as usize, (v / module_px) as usize);
                ink += if dark[my * n + mx] { 25.0 } else { 235.0 };
            }
        }
        let jitter = (noise.next() % 9) as f64 - 4.0;
        let a = covered as f64 / 4.0;
        image::Rgb(base.map(|b| {
            let v = if covered > 0 { b * (1.0 - a) + ink / covered as f64 * a } else { b };
            (v + jitter).clamp(0.0, 255.0) as u8
        }))
    });
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, 92).encode_image(&img).unwrap();
    out
}

/// The full report a front end shows: metadata check plus the codes in the picture.
fn report_with_codes(bytes: &[u8], name: &str) -> Report {
    let mut report = thinktwice::check(bytes, name, &Default::default());
    thinktwice::add_codes(&mut report, find_in_file(bytes).expect("decodes"));
    report
}

fn assert_masked(json: &str, secrets: &[&str]) {
    for secret in secrets {
        assert!(!json.contains(secret), "the report shows {secret:?}: {json}");
    }
}

#[test]
fn uidai_secure_qr_is_recognised_masked_and_covered_at_several_sizes_and_angles() {
    let Some(payload) = uidai_sample() else {
        eprintln!("SKIP: ../shared/corpus/ids not found (set THINKTWICE_CORPUS)");
        return;
    };
    // The payload needs QR version 26 at level L or 30 at level M.
    for (ec, module_px, degrees) in [("L", 4.0, 0.0), ("L", 5.0, 3.0), ("M", 4.5, -4.0), ("L", 6.0, 7.0)] {
        let case = format!("level {ec}, {module_px} px a module, turned {degrees}°");
        let photo = photo_with_qr(&payload, ec, module_px, degrees);
        let report = report_with_codes(&photo, "card.jpg");
        let codes = report.codes.as_deref().unwrap_or_default();
        assert_eq!(codes.len(), 1, "{case}: {codes:?}");
        assert_eq!(codes[0].kind, CodeKind::Aadhaar, "{case}");
        assert_eq!(
            codes[0].summary,
            "Aadhaar card ending 2697: name, date of birth, gender, home address, PIN code, photo \
             and a check code for the mobile number or e-mail inside",
            "{case}"
        );
        let finding = report.findings.iter().find(|f| f.id== thinktwice::FindingId::IdDocument).expect("id-document finding");
        assert_eq!(finding.severity, thinktwice::Severity::High, "{case}");
        assert_eq!(report.findings[0].id, thinktwice::FindingId::IdDocument, "{case}: the card is named first");
        assert_eq!(report.risk, thinktwice::Risk::High, "{case}");
        assert!(report.findings.iter().all(|f| f.id!= thinktwice::FindingId::Barcode), "{case}: not also a plain barcode");
        assert_masked(&serde_json::to_string(&report).unwrap(), SAMPLE_SECRETS);

        // The safer copy covers the card's code by default (the CLI), and the re-check finds none.
        let dir = std::env::temp_dir().join(format!("tt-idcard-{}-{module_px}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let (input, output) = (dir.join("card.jpg"), dir.join("copy.jpg"));
        std::fs::write(&input, &photo).unwrap();
        let run = Command::new(env!("CARGO_BIN_EXE_thinktwice"))
            .args(["clean", input.to_str().unwrap(), "-o", output.to_str().unwrap()])
            .output()
            .unwrap();
        assert!(run.status.success(), "{case}: {}", String::from_utf8_lossy(&run.stderr));
        let copy = std::fs::read(&output).unwrap();
        let (left, _, _) = id_cards_in_file(&copy).expect("the copy decodes");
        assert!(left.is_empty(), "{case}: a card code is still readable in the copy");
        let gray = image::load_from_memory(&copy).unwrap().into_luma8();
        assert!(
            find_codes_with_texts(gray.as_raw(), gray.width(), gray.height()).is_empty(),
            "{case}: no code at all can be read in the copy"
        );
        std::fs::remove_dir_all(&dir).ok();
    }
}

#[test]
fn the_person_may_choose_to_keep_the_card_code() {
    let Some(payload) = uidai_sample() else {
        eprintln!("SKIP: ../shared/corpus/ids not found (set THINKTWICE_CORPUS)");
        return;
    };
    let dir = std::env::temp_dir().join(format!("tt-idcard-keep-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (input, output) = (dir.join("card.jpg"), dir.join("copy.jpg"));
    std::fs::write(&input, photo_with_qr(&payload, "L", 5.0, 0.0)).unwrap();
    let run = Command::new(env!("CARGO_BIN_EXE_thinktwice"))
        .args(["clean", input.to_str().unwrap(), "-o", output.to_str().unwrap(), "--keep-id-codes"])
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let (left, _, _) = id_cards_in_file(&std::fs::read(&output).unwrap()).unwrap();
    assert_eq!(left.len(), 1, "kept as asked");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn old_letter_qr_with_the_full_number_is_recognised_and_masked() {
    let uid = fictional_aadhaar();
    let xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<PrintLetterBarcodeData uid=\"{uid}\" name=\"Meena Iyer\" \
         gender=\"F\" yob=\"2009\" co=\"D/O Raghavan Iyer\" house=\"4/17\" street=\"Lake View Road\" lm=\"\" \
         loc=\"Kottur\" vtc=\"Chennai\" po=\"Kotturpuram\" dist=\"Chennai\" subdist=\"Mylapore\" state=\"Tamil Nadu\" \
         pc=\"600085\" dob=\"14/02/2009\"/>"
    );
    let photo = photo_with_qr(&xml, "M", 4.0, 2.0);
    let report = report_with_codes(&photo, "letter.jpg");
    let codes = report.codes.as_deref().unwrap_or_default();
    assert_eq!(codes.len(), 1, "{codes:?}");
    assert_eq!(codes[0].kind, CodeKind::Aadhaar);
    assert!(codes[0].summary.starts_with(&format!("Aadhaar card ending {}: the full 12-digit number", &uid[8..])));
    assert!(report.findings.iter().any(|f| f.id== thinktwice::FindingId::IdDocument));
    assert_masked(&serde_json::to_string(&report).unwrap(), &[&uid[..8], "Meena", "Iyer", "600085", "14/02/2009", "Lake View"]);
}

#[test]
fn long_numeric_codes_and_numbers_failing_the_check_digit_are_not_aadhaar() {
    // A long number that is not a compressed card payload (a ticket or meter code).
    let digits: String = (0..1500u32).map(|i| char::from(b'0' + ((i * 7919 + 13) % 10) as u8)).collect();
    // A 12-digit number with a wrong check digit.
    let good = fictional_aadhaar();
    let wrong = format!("{}{}", &good[..11], (good.as_bytes()[11] - b'0' + 1) % 10);
    for text in [digits.as_str(), wrong.as_str(), &format!("Order {wrong} shipped")] {
        let report = report_with_codes(&photo_with_qr(text, "M", 4.0, 0.0), "other.jpg");
        let codes = report.codes.as_deref().unwrap_or_default();
        assert_eq!(codes.len(), 1, "{text:.40}: {codes:?}");
        assert!(!matches!(codes[0].kind, CodeKind::Aadhaar | CodeKind::Pan), "{text:.40} called {:?}", codes[0].kind);
        assert!(report.findings.iter().all(|f| f.id!= thinktwice::FindingId::IdDocument), "{text:.40}");
    }
}

#[test]
fn numbers_typed_into_metadata_are_reported_masked() {
    let uid = fictional_aadhaar();
    let grouped = format!("{} {} {}", &uid[..4], &uid[4..8], &uid[8..]);
    let comment = format!("KYC for Riya: Aadhaar {grouped}, PAN BXKPR4821M");
    let photo = common::jpeg_with(&[(0xFE, comment.into_bytes())], 16, 16);
    let report = thinktwice::check(&photo, "kyc.jpg", &Default::default());
    let finding = report.findings.iter().find(|f| f.id== thinktwice::FindingId::IdDocument).expect("id-document finding");
    let values: Vec<&str> = finding.evidence.iter().map(|e| e.value.as_str()).collect();
    assert!(values.contains(&format!("Aadhaar number ending {}", &uid[8..]).as_str()), "{values:?}");
    assert!(values.contains(&"PAN (tax card) number ending 821M"), "{values:?}");
    // No finding shows either number in full (the comment finding shows the masked text).
    assert_masked(&serde_json::to_string(&report).unwrap(), &[&uid[..8], &grouped[..9], "BXKPR"]);
}

/// A scan or screenshot of the card's code fills the picture, quiet zone only:
/// the padding put around a read code must not reach past the picture, since the
/// page draws the report's box on the photo (seen: a 685 px scan got a 736 px box).
#[test]
fn a_code_that_fills_the_picture_gets_a_box_on_the_picture() {
    let Some(card) = uidai_sample() else {
        eprintln!("SKIP: ../shared/corpus/ids not found (set THINKTWICE_CORPUS)");
        return;
    };
    let (dark, n) = qr_modules(&card, "L");
    let px = 5;
    let side = (n * px) as u32;
    let img = RgbImage::from_fn(side, side, |x, y| {
        let on = dark[(y as usize / px) * n + x as usize / px];
        image::Rgb(if on { [20, 20, 20] } else { [245, 245, 245] })
    });
    let codes = thinktwice::codes::find_codes(img.as_raw(), side, side);
    assert!(codes.iter().any(|c| c.kind == CodeKind::Aadhaar), "the card code is read: {codes:?}");
    for c in &codes {
        let inside = c.x >= 0.0 && c.y >= 0.0 && c.x + c.w <= side as f32 + 0.01 && c.y + c.h <= side as f32 + 0.01;
        assert!(inside, "box {:?} reaches past the {side}×{side} picture", (c.x, c.y, c.w, c.h));
    }
}
