//! The safer copy: every format's rewrite, covering areas, HEIF rebuilding and
//! the copies of the whole shared corpus. One test binary, one module per theme.

#[path = "../common/mod.rs"]
mod common;

mod corpus;
mod cover;
mod formats;
mod heif;
mod hostile;
mod lossy_webp;
