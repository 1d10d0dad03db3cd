//! Comments, PNG text chunks, PNG tIME, trailers (to be written).
use super::Metadata;
use crate::container::Format;

pub fn read_comment(data: &[u8], format: Format, meta: &mut Metadata) {
    let _ = (data, format, meta);
}

pub fn read_png_text(chunk: &str, data: &[u8], meta: &mut Metadata) {
    let _ = (chunk, data, meta);
}

pub fn read_png_time(data: &[u8], meta: &mut Metadata) {
    let _ = (data, meta);
}

pub fn read_trailer(data: &[u8], meta: &mut Metadata) {
    let _ = (data, meta);
}
