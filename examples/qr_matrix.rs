//! Prints a QR code's modules as text, one row a line ('#' dark, '.' light, no
//! quiet zone), so a browser test can draw a real code without an encoder of its
//! own. tests/e2e/codes.test.mjs holds one such matrix; regenerate it with:
//!   cargo run --example qr_matrix -- 'WIFI:T:WPA;S:Sharma Home;P:mango1234;;'
use rxing::{BarcodeFormat, EncodeHints, MultiFormatWriter, Writer};

fn main() {
    let text = std::env::args().nth(1).unwrap_or_else(|| "https://example.org".into());
    let hints = EncodeHints { Margin: Some("0".into()), ..Default::default() };
    let matrix = MultiFormatWriter
        .encode_with_hints(&text, &BarcodeFormat::QR_CODE, 1, 1, &hints)
        .expect("the text fits in a QR code");
    for y in 0..matrix.height() {
        let row: String = (0..matrix.width()).map(|x| if matrix.get(x, y) { '#' } else { '.' }).collect();
        println!("{row}");
    }
}
