//! Colour profile in a safer copy: what profile bytes a copy may carry.
//!
//! It owns one decision, asked by every writer that writes a profile: keep the
//! colours, drop the identity. (The neutral rebuild of the profile lands with
//! the colour-profile work; until then the profile is passed through when kept.)
//! It must not parse containers or write files.

/// The profile bytes to write in a copy, or None to write no profile.
pub(crate) fn profile_for_copy(original_icc: &[u8], keep: bool) -> Option<Vec<u8>> {
    if keep && !original_icc.is_empty() {
        Some(original_icc.to_vec())
    } else {
        None
    }
}
