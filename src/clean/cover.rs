//! Covering areas of a decoded picture for good (faces, name tags, house numbers).
//!
//! Covering is irreversible on purpose: a solid colour, or coarse blocks of the
//! average colour (each block at least 1/8 of the box and at least 12 px). Never
//! a blur, which can sometimes be undone. It owns only the pixels inside the
//! boxes: decoding and encoding live in `codec`, and it never reads or writes files.
//! The boxes and styles are always here (they are the copy's options); painting
//! them (`paint`) needs the image crate, so only with the `reencode` feature.

#[cfg(feature = "reencode")]
mod paint;
#[cfg(feature = "reencode")]
pub use paint::cover;

/// An area to cover, in upright pixel coordinates (as the picture is shown).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CoverBox {
    pub x: u32,
    pub y: u32,
    pub w: u32,
    pub h: u32,
}

/// How a covered area looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CoverStyle {
    /// Big blocks of average colour: you can see something was there, but not who.
    #[default]
    Pixelate,
    /// One solid dark grey: nothing of the area is left.
    Solid,
}
