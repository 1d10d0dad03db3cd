//! XMP (to be written).
use super::Metadata;

pub fn read(data: &[u8], meta: &mut Metadata) {
    let _ = (data, meta);
}

pub fn read_extended(chunks: &[&[u8]], meta: &mut Metadata) {
    let _ = (chunks, meta);
}
