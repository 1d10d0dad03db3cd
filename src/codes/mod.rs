//! Codes in the picture: QR, Aztec, PDF417, Data Matrix and bar codes that a
//! photo shows (a boarding pass, a Wi-Fi sticker, a UPI payment card) and
//! what they give away.
//!
//! - [`find_codes`]: pure core on pixels (RGBA or grey), used by the
//!   WebAssembly build too;
//! - [`find_in_file`]: decodes a file with `image`, turns it upright (EXIF
//!   orientation) and calls [`find_codes`];
//! - the `barcode` finding per code is a rule: it lives in `findings::codes`;
//! - `wasm` (wasm32 only): `findCodes` for the page's picture worker (the core's `withCodes` adds them to a report).
//!
//! `detect` finds and decodes, `classify` reads the text. This module never
//! keeps a code's raw text in the report: only a masked summary.

mod classify;
mod detect;
mod gray;
mod locate;

pub use classify::classify;

use crate::report::Code;
use rxing::BarcodeFormat;

/// Finds the codes in a picture given as RGBA (4 bytes a pixel), RGB (3) or
/// grey (1), told apart by the buffer length. Boxes are in the same pixels.
/// A buffer whose length fits none of them gives no codes.
pub fn find_codes(pixels: &[u8], width: u32, height: u32) -> Vec<Code> {
    find_codes_with_texts(pixels, width, height).into_iter().map(|(code, _)| code).collect()
}

/// [`find_codes`] with each code's raw text beside it, for tests that check
/// the text read is exactly the text encoded. Never for a report: the raw
/// text holds the secrets the summary masks.
#[doc(hidden)]
pub fn find_codes_with_texts(pixels: &[u8], width: u32, height: u32) -> Vec<(Code, String)> {
    let count = width as usize * height as usize;
    let luma: std::borrow::Cow<[u8]> = match pixels.len() {
        n if n == count => pixels.into(),
        n if n == count * 3 => pixels.chunks_exact(3).map(luma_of).collect::<Vec<u8>>().into(),
        n if n == count * 4 => pixels.chunks_exact(4).map(luma_of).collect::<Vec<u8>>().into(),
        _ => return Vec::new(),
    };
    detect::scan(&luma, width, height)
        .into_iter()
        .map(|d| (within_picture(to_code(&d), width as f32, height as f32), d.text))
        .collect()
}

/// A code's box cut to the picture: the padding around a read code may reach
/// past an edge, and a report's box must lie on the photo it describes.
fn within_picture(mut code: Code, width: f32, height: f32) -> Code {
    code.x = code.x.clamp(0.0, width);
    code.y = code.y.clamp(0.0, height);
    code.w = code.w.min(width - code.x).max(0.0);
    code.h = code.h.min(height - code.y).max(0.0);
    code
}

/// BT.601 luma in integers; the decoders need only contrast, not exact colour.
fn luma_of(px: &[u8]) -> u8 {
    let (r, g, b) = (u32::from(px[0]), u32::from(px[1]), u32::from(px[2]));
    ((77 * r + 150 * g + 29 * b) >> 8) as u8
}

/// Decodes an image file and finds its codes, in upright pixels.
#[cfg(all(not(target_arch = "wasm32"), feature = "decode-files"))]
pub fn find_in_file(bytes: &[u8]) -> Result<Vec<Code>, String> {
    codes_and_size(bytes).map(|(codes, _, _)| codes)
}

/// [`find_in_file`] with the upright picture's width and height.
#[cfg(all(not(target_arch = "wasm32"), feature = "decode-files"))]
fn codes_and_size(bytes: &[u8]) -> Result<(Vec<Code>, u32, u32), String> {
    let mut image = image::load_from_memory(bytes).map_err(|e| format!("could not decode the picture: {e}"))?;
    let orientation = crate::container::walk(bytes)
        .ok()
        .and_then(|c| crate::meta::read(&c).orientation)
        .and_then(|o| u8::try_from(o).ok())
        .and_then(image::metadata::Orientation::from_exif);
    if let Some(o) = orientation {
        image.apply_orientation(o);
    }
    let gray = image.into_luma8();
    let (w, h) = gray.dimensions();
    Ok((find_codes(gray.as_raw(), w, h), w, h))
}

fn to_code(d: &detect::Decoded) -> Code {
    let (kind, summary) = classify(&d.text);
    Code { format: format_id(d.format).to_string(), kind, x: d.x, y: d.y, w: d.w, h: d.h, summary }
}

fn format_id(format: BarcodeFormat) -> &'static str {
    match format {
        BarcodeFormat::QR_CODE => "qr",
        BarcodeFormat::MICRO_QR_CODE | BarcodeFormat::RECTANGULAR_MICRO_QR_CODE => "micro-qr",
        BarcodeFormat::AZTEC => "aztec",
        BarcodeFormat::PDF_417 => "pdf417",
        BarcodeFormat::DATA_MATRIX => "data-matrix",
        BarcodeFormat::CODE_128 => "code-128",
        BarcodeFormat::CODE_39 => "code-39",
        BarcodeFormat::CODE_93 => "code-93",
        BarcodeFormat::EAN_13 => "ean-13",
        BarcodeFormat::EAN_8 => "ean-8",
        BarcodeFormat::UPC_A => "upc-a",
        BarcodeFormat::UPC_E => "upc-e",
        _ => "barcode",
    }
}

/// The identity-card codes (Aadhaar, PAN) readable in a file, in upright pixels,
/// with the picture's upright size. The safer copy covers them unless the person
/// keeps them, and a copy is offered only when none can be read any more.
#[cfg(all(not(target_arch = "wasm32"), feature = "decode-files"))]
pub fn id_cards_in_file(bytes: &[u8]) -> Result<(Vec<Code>, u32, u32), String> {
    let (codes, w, h) = codes_and_size(bytes)?;
    Ok((codes.into_iter().filter(|c| crate::findings::codes::is_id_card(c.kind)).collect(), w, h))
}
