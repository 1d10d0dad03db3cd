//! GIF walker (to be written).
use super::{Container, Format, WalkError};

pub fn walk(bytes: &[u8]) -> Result<Container<'_>, WalkError> {
    let _ = bytes;
    Ok(Container::new(Format::Gif))
}
