//! IPTC-IIM (to be written).
use super::Metadata;

pub fn read(data: &[u8], meta: &mut Metadata) {
    let _ = (data, meta);
}
