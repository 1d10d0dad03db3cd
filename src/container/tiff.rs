//! TIFF / DNG walker (to be written).
use super::{Container, Format, WalkError};

pub fn sniff_dng(_bytes: &[u8]) -> Format {
    Format::Tiff
}

pub fn walk(bytes: &[u8]) -> Result<Container<'_>, WalkError> {
    let _ = bytes;
    Ok(Container::new(Format::Tiff))
}
