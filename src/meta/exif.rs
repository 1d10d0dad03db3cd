//! EXIF through kamadak-exif (to be written).
use super::Metadata;
use crate::container::Container;
use std::ops::Range;

pub fn read(data: &[u8], meta: &mut Metadata) {
    let _ = (data, meta);
}

pub fn read_mpf(data: &[u8], span: Range<usize>, container: &Container<'_>, meta: &mut Metadata) {
    let _ = (data, span, container, meta);
}
