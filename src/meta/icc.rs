//! ICC profile description (to be written).
use super::Metadata;
use crate::container::Format;

pub fn read_chunks(chunks: &[&[u8]], format: Format, meta: &mut Metadata) {
    let _ = (chunks, format, meta);
}
