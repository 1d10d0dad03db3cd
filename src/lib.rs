//! ThinkTwice: checks a photo on the user's own device and says, in plain words,
//! what it gives away.
//!
//! This file is the crate's face only: the module list and the names front ends
//! use. The path a file walks once lives in the modules, top to bottom:
//!
//! - [`check`]: the pipeline, **bytes → [`container`] (walkers) → [`meta`]
//!   (readers) → [`findings`] (rules) → [`report`]**, plus how faces, codes and
//!   place names join a report;
//! - [`geo`] (offline place names), `faces` and `codes` (what the pixels show);
//! - [`clean`] (the safer copy's writers) under [`safer`] (clean, then re-check and validate);
//! - front ends: the CLI in `src/bin`, the WebAssembly bindings in `wasm/`.
//!
//! Arrows point down: nothing below `check` calls back into it.

pub mod check;
pub mod clean;
#[cfg(feature = "codes")]
pub mod codes;
pub mod container;
pub mod covers;
pub mod decimal;
#[cfg(feature = "faces")]
pub mod faces;
pub mod findings;
pub mod geo;
pub mod idcards;
pub mod meta;
pub mod report;
pub mod safer;
pub mod sort;
#[cfg(test)]
mod test_rng;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use check::{add_codes, add_faces, add_place_name, check, CheckOptions};
pub use clean::{safer_copy_name, CleanError, CleanOptions, CoverBox, CoverStyle};
pub use report::{
    accept_list, Category, Code, CodeKind, ErrorKind, Evidence, Face, Finding, FindingId, Format, ImageSize, Kept,
    Location, People, PlaceName, Position, Precision, Report, Risk, Severity,
};
pub use safer::{clean, Cleaned};
