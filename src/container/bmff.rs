//! ISO-BMFF (HEIC / HEIF / AVIF) walker (to be written).
use super::{Container, Format, WalkError};

pub fn sniff_brand(_bytes: &[u8]) -> Format {
    Format::Heif
}

pub fn walk(bytes: &[u8]) -> Result<Container<'_>, WalkError> {
    Ok(Container::new(sniff_brand(bytes)))
}
